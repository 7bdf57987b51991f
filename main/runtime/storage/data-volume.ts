/**
 * The data volume's free space, and a reserve kept on it so a full disk cannot stop the
 * station from starting: `reserve.bin` (a few MiB) is (re)made at every start while there is
 * room; when the databases cannot be opened because the disk is full, the reserve is given
 * back and the station comes up READ-ONLY (live values, sign-in, no commands or backups)
 * and says why. The operating decisions are pure (`storageVerdict`); the rest is small I/O.
 */
import { closeSync, openSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const RESERVE_FILE = 'reserve.bin';
export const DEFAULT_RESERVE_BYTES = 8 * 1024 * 1024;

export interface StorageStatus {
  readonly mode: 'read-write' | 'read-only';
  /** Why the station is read-only (null when it is not). */
  readonly reason: string | null;
  readonly freeBytes: number | null;
}

/** Free bytes for this process on the volume holding `dir`, or null when it cannot be told. */
export function freeBytesOf(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** Is this error a full disk (or the I/O error SQLite reports when it cannot grow its files)? */
export function isStorageFullError(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (
      code === 'ENOSPC' ||
      code === 'EDQUOT' ||
      code === 'SQLITE_FULL' ||
      (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
    )
      return true;
    const message = e instanceof Error ? e.message : '';
    if (/database or disk is full|disk I\/O error|ENOSPC|no space left/i.test(message)) return true;
  }
  return false;
}

/** Make sure the reserve file exists with `bytes` bytes; false when there was no room (nothing is left half-made). */
export function ensureReserve(dataDir: string, bytes = DEFAULT_RESERVE_BYTES): boolean {
  const file = join(dataDir, RESERVE_FILE);
  try {
    if (statSync(file).size >= bytes) return true;
  } catch {
    // not there yet
  }
  let fd: number | null = null;
  try {
    fd = openSync(file, 'w', 0o600);
    const block = Buffer.alloc(64 * 1024);
    for (let written = 0; written < bytes;) written += writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    closeSync(fd);
    return true;
  } catch {
    if (fd !== null) closeSync(fd);
    rmSync(file, { force: true });
    return false;
  }
}

/** Give the reserve back to the volume; true when there was one. */
export function releaseReserve(dataDir: string): boolean {
  const file = join(dataDir, RESERVE_FILE);
  try {
    statSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}

/** Below this much free space (after the reserve) the station runs read-only. */
export const READ_ONLY_BELOW_BYTES = 1024 * 1024;

/** Read-write or read-only, from what start-up saw (pure). */
export function storageVerdict(seen: {
  releasedReserve: boolean;
  freeBytes: number | null;
  auditWritable: boolean;
  openError?: string;
}): StorageStatus {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  const free = seen.freeBytes;
  if (seen.releasedReserve) {
    return {
      mode: 'read-only',
      reason: `the data volume was full${seen.openError ? ` (${seen.openError})` : ''}; the station started read-only on its reserve${free !== null ? ` (${mib(free)} free)` : ''}: free space and restart`,
      freeBytes: free,
    };
  }
  if (!seen.auditWritable)
    return {
      mode: 'read-only',
      reason:
        'the audit trail cannot be written, so no command can be recorded: free space or repair audit.db and restart',
      freeBytes: free,
    };
  if (free !== null && free < READ_ONLY_BELOW_BYTES)
    return {
      mode: 'read-only',
      reason: `the data volume is nearly full (${mib(free)} free): free space and restart`,
      freeBytes: free,
    };
  return { mode: 'read-write', reason: null, freeBytes: free };
}
