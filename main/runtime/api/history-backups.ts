/**
 * Backups of the history file, as a plant-wide engineer's action that cannot fill the disk:
 * one at a time, at most one start per `minIntervalMs`, refused when the copy would leave
 * less than `reserveBytes` free, under names the runtime makes (never the client's), with
 * the oldest removed beyond `keep`. Each backup carries a copy of the audit trail's head
 * checkpoint (so a later cut of the trail's tail shows against any backup).
 * The decisions are pure functions; `HistoryBackups` does the I/O.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupResult, Historian } from '../historian/index.js';

export interface BackupPolicy {
  /** Least time between two backup starts. Default 60 s. */
  readonly minIntervalMs: number;
  /** Backups kept; older ones are removed after a successful backup. Default 10. */
  readonly keep: number;
  /** Free space a backup must leave on the data volume. Default 128 MiB. */
  readonly reserveBytes: number;
}

export const defaultBackupPolicy: BackupPolicy = { minIntervalMs: 60_000, keep: 10, reserveBytes: 128 * 1024 * 1024 };

export interface BackupState {
  readonly running: boolean;
  readonly lastStartedAt: number | null;
}

const MiB = 1024 * 1024;

/** Why a backup may not start now, or null. `freeBytes`/`estimateBytes`: the volume's free space, the copy's size. */
export function backupRefusal(
  state: BackupState,
  now: number,
  policy: BackupPolicy,
  freeBytes: number,
  estimateBytes: number,
): string | null {
  if (state.running) return 'a history backup is already running; wait for it to finish';
  if (state.lastStartedAt !== null && now - state.lastStartedAt < policy.minIntervalMs) {
    return `a history backup was started ${Math.round((now - state.lastStartedAt) / 1000)} s ago; the next one may start in ${Math.ceil((state.lastStartedAt + policy.minIntervalMs - now) / 1000)} s`;
  }
  if (freeBytes - estimateBytes < policy.reserveBytes) {
    return `not enough free space for a history backup: ${Math.floor(freeBytes / MiB)} MiB free, the copy needs about ${Math.ceil(estimateBytes / MiB)} MiB and ${Math.ceil(policy.reserveBytes / MiB)} MiB must stay free`;
  }
  return null;
}

const BACKUP_NAME = /^history-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)(?:-\d+)?\.db$/;

/** The name of a backup started at `now` (sortable by time; `serial` keeps two in one ms apart). */
export function backupFileName(now: number, serial = 0): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return `history-${stamp}${serial > 0 ? `-${serial}` : ''}.db`;
}

/** The head checkpoint copy that goes with a backup file. */
export function checkpointCopyName(backupName: string): string {
  return backupName.replace(/\.db$/, '.audit-head.json');
}

/** Backups (by file name) to remove so that `keep` remain, oldest first. Files not made by the runtime are left alone. */
export function backupsToRemove(names: readonly string[], keep: number): string[] {
  const ours = names.filter((n) => BACKUP_NAME.test(n)).sort();
  return ours.slice(0, Math.max(0, ours.length - Math.max(1, keep)));
}

export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

export interface HistoryBackupsOptions {
  readonly historian: Historian;
  /** `<data>/backups` */
  readonly dir: string;
  /** The audit head checkpoint file to copy beside each backup (if it exists). */
  readonly auditCheckpointFile?: string;
  readonly policy?: Partial<BackupPolicy>;
  readonly now?: () => number;
  /** Free bytes on the volume holding `dir`; default statfs. */
  readonly freeBytes?: (dir: string) => number;
}

function statfsFree(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

function sizeOf(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      // not there
    }
  }
  return total;
}

export class HistoryBackups {
  private readonly policy: BackupPolicy;
  private readonly now: () => number;
  private running = false;
  private lastStartedAt: number | null = null;
  private serial = 0;

  constructor(private readonly options: HistoryBackupsOptions) {
    this.policy = { ...defaultBackupPolicy, ...options.policy };
    this.now = options.now ?? Date.now;
  }

  /** Why a backup would be refused right now, or null (checks free space too). */
  refusal(): string | null {
    mkdirSync(this.options.dir, { recursive: true });
    const free = (this.options.freeBytes ?? statfsFree)(this.options.dir);
    return backupRefusal(
      { running: this.running, lastStartedAt: this.lastStartedAt },
      this.now(),
      this.policy,
      free,
      sizeOf(this.options.historian.status().file),
    );
  }

  /** Run one backup now; throws BackupRefusedError when the policy says no. */
  async run(): Promise<BackupResult> {
    const refusal = this.refusal();
    if (refusal) throw new BackupRefusedError(refusal);
    this.running = true;
    const started = this.now();
    this.lastStartedAt = started;
    let name = backupFileName(started);
    while (existsSync(join(this.options.dir, name))) name = backupFileName(started, ++this.serial);
    const file = join(this.options.dir, name);
    try {
      const result = await this.options.historian.backup(file);
      const checkpoint = this.options.auditCheckpointFile;
      if (checkpoint && existsSync(checkpoint))
        copyFileSync(checkpoint, join(this.options.dir, checkpointCopyName(name)));
      for (const old of backupsToRemove(readdirSync(this.options.dir), this.policy.keep)) {
        rmSync(join(this.options.dir, old), { force: true });
        rmSync(join(this.options.dir, checkpointCopyName(old)), { force: true });
      }
      return result;
    } catch (err) {
      // a half-written copy (disk full, I/O error) is worth nothing and takes space
      rmSync(file, { force: true });
      throw err;
    } finally {
      this.running = false;
    }
  }
}
