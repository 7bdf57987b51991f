/**
 * The journal of recent samples as append-only files next to the history file
 * (`history.db.journal-000001`, …), outside SQLite: a flush's stored samples are written
 * once, at the end of the current file, instead of going through the WAL and again into
 * the database file. Each tag's samples are written as blocks of its series in SQLite
 * later; a journal file is deleted once every sample in it is in a block and a checkpoint
 * has made those blocks durable.
 *
 *   file    := magic "ARGUSJ01" · record*
 *   record  := length (u32 LE) · crc32 of payload (u32 LE) · payload
 *   payload := record number (varint) · names · row (recent-samples.ts)
 *   names   := count (varint) · (journal tag id (varint) · UTF-8 length (varint) · bytes)*
 *
 * A file is self-contained: a tag's first group in a file is absolute and its name is
 * defined in the file before (or in the record of) its first use, so the files left after
 * a crash are read one after another with nothing carried over. A record is written at
 * the file's known good length (`pwrite`): a write that failed half-way (disk full, I/O
 * error) leaves bytes after it that the retry overwrites. Reading stops, per file, at the
 * first record that is incomplete (torn by a crash) or fails its CRC, or whose number
 * does not follow the previous one; the rest of that file is counted as damaged.
 *
 * The I/O here is synchronous by design (one `pwrite` per write slice, a few KB; about
 * 30 KB a second at 10,000 tags): the flush resolves once its samples are in the file, which survives a crash of
 * the process; `fdatasync` runs on the thread pool after each record, which bounds what a
 * power loss can take to about one flush.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter } from './byte-io.js';

const MAGIC = Buffer.from('ARGUSJ01', 'latin1');
const HEADER = 8;
/** A record longer than this is damage, not data (a flush of 100,000 tags is ~300 KB). */
const MAX_RECORD = 64 * 1024 * 1024;
export const JOURNAL_SUFFIX = '.journal-';
export const LOCK_SUFFIX = '.journal-lock';

export interface JournalRecord {
  readonly number: number;
  /** Tag names defined by this record (journal tag id → name). */
  readonly names: ReadonlyArray<readonly [number, string]>;
  readonly row: Uint8Array;
}

export function encodeRecord(record: JournalRecord): Buffer {
  const w = new ByteWriter(64 + record.row.length);
  w.varint(record.number);
  w.varint(record.names.length);
  for (const [id, name] of record.names) {
    const bytes = Buffer.from(name, 'utf8');
    w.varint(id);
    w.varint(bytes.length);
    w.bytes(bytes);
  }
  w.bytes(record.row);
  const payload = w.finish();
  const out = Buffer.allocUnsafe(8 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.set(payload, 8);
  return out;
}

export interface ParsedJournal {
  readonly records: JournalRecord[];
  /** Bytes after the last good record (a torn write, or damage). */
  readonly badBytes: number;
  /** Why reading stopped before the end, or null. */
  readonly problem: string | null;
}

/** The good records of one file's bytes, in order; stops at the first bad one. */
export function parseJournal(bytes: Uint8Array, after = -Infinity): ParsedJournal {
  const records: JournalRecord[] = [];
  if (bytes.length < HEADER || !MAGIC.equals(Buffer.from(bytes.buffer, bytes.byteOffset, HEADER))) {
    return { records, badBytes: bytes.length, problem: bytes.length === 0 ? null : 'not a journal file (bad magic)' };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = HEADER;
  let last = after;
  let problem: string | null = null;
  while (pos < bytes.length) {
    if (pos + 8 > bytes.length) {
      problem = 'torn record header at the end';
      break;
    }
    const length = view.getUint32(pos, true);
    const crc = view.getUint32(pos + 4, true);
    if (length > MAX_RECORD || pos + 8 + length > bytes.length) {
      problem = 'torn record at the end';
      break;
    }
    const payload = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(payload) !== crc) {
      problem = `CRC mismatch at byte ${pos}`;
      break;
    }
    let record: JournalRecord;
    try {
      const r = new ByteReader(payload);
      const number = r.varint();
      const names: Array<[number, string]> = [];
      const count = r.varint();
      for (let k = 0; k < count; k++) {
        const id = r.varint();
        names.push([id, Buffer.from(r.bytes(r.varint())).toString('utf8')]);
      }
      record = { number, names, row: payload.subarray(r.offset) };
    } catch (err) {
      problem = `unreadable record at byte ${pos}: ${err instanceof Error ? err.message : String(err)}`;
      break;
    }
    if (record.number <= last) {
      problem = `record number ${record.number} does not follow ${last} at byte ${pos}`;
      break;
    }
    last = record.number;
    records.push(record);
    pos += 8 + length;
  }
  return { records, badBytes: bytes.length - pos, problem };
}

/** The journal files of a history file, oldest first. */
export function listJournalFiles(file: string): Array<{ seq: number; path: string }> {
  const dir = dirname(file);
  const prefix = basename(file) + JOURNAL_SUFFIX;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ seq: number; path: string }> = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const seq = Number(name.slice(prefix.length));
    if (Number.isInteger(seq) && seq > 0) out.push({ seq, path: join(dir, name) });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export function journalPath(file: string, seq: number): string {
  return `${file}${JOURNAL_SUFFIX}${String(seq).padStart(6, '0')}`;
}

export interface JournalFileInfo {
  readonly seq: number;
  readonly path: string;
  /** Record numbers held (first 0 while empty). */
  first: number;
  last: number;
  bytes: number;
}

/** This boot of the machine (Linux), so that a lock left before a restart is never taken for a live one. */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Only one writer may append to a history file's journal: a lock file holding the
 * writer's pid and the machine's boot id. A lock left by a process that is gone (or by an
 * earlier boot) is taken over. Throws an error with code SQLITE_BUSY (the historian's
 * "locked by another process") otherwise.
 */
export function takeJournalLock(file: string): () => void {
  const lock = file + LOCK_SUFFIX;
  const mine = `${process.pid} ${bootId()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(lock, 'utf8') === mine) unlinkSync(lock);
        } catch {
          // gone already
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, boot] = (existsSync(lock) ? readFileSync(lock, 'utf8') : '').split(' ');
      const pid = Number(pidText);
      let alive = false;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && (boot === undefined || boot === bootId())) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive)
        throw Object.assign(new Error(`the history journal is in use by process ${pid} (${lock})`), {
          code: 'SQLITE_BUSY',
        });
      try {
        unlinkSync(lock);
      } catch {
        // someone else removed it; try again
      }
    }
  }
  throw Object.assign(new Error(`could not take the history journal lock ${lock}`), { code: 'SQLITE_BUSY' });
}

/**
 * The writer's side: appends records to the current file, starts a new file when it is
 * large, and deletes old files once released (and a checkpoint made their blocks durable).
 */
export class JournalWriter {
  readonly files: JournalFileInfo[] = [];
  private fd: number | null = null;
  private current: JournalFileInfo | null = null;
  private syncing = false;
  private syncAgain = false;
  private syncTimer: NodeJS.Timeout | null = null;
  private lastSync = -Infinity;
  /** The longest a written record waits for its fdatasync (ms). */
  readonly syncIntervalMs = 1000;
  private syncError: string | null = null;
  /** Files released but not yet deleted: deleted once `durableThrough` reaches their mark. */
  private readonly released: Array<{ file: JournalFileInfo; mark: number }> = [];

  constructor(
    private readonly file: string,
    nextSeq: number,
    existing: JournalFileInfo[],
    private readonly rotateBytes: number,
  ) {
    this.files.push(...existing);
    this.nextSeq = nextSeq;
  }

  private nextSeq: number;

  /** The sequence number of the file records go to now (a new file is started on the first append after a rotation). */
  get currentSeq(): number {
    return this.current && this.current.bytes < this.rotateBytes ? this.current.seq : this.nextSeq;
  }

  get totalBytes(): number {
    let n = 0;
    for (const f of this.files) n += f.bytes;
    return n;
  }

  /** The last fdatasync failure, if any (cleared by the next success). */
  get lastSyncError(): string | null {
    return this.syncError;
  }

  /** Append one record; throws (nothing written as far as the next append is concerned) on failure. */
  append(record: JournalRecord): void {
    if (!this.current || this.current.bytes >= this.rotateBytes) this.startFile();
    const cur = this.current as JournalFileInfo;
    const bytes = encodeRecord(record);
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fd as number, bytes, done, bytes.length - done, cur.bytes + done);
    cur.bytes += bytes.length;
    if (cur.first === 0) cur.first = record.number;
    cur.last = record.number;
    this.syncSoon();
  }

  private startFile(): void {
    const seq = this.nextSeq;
    const path = journalPath(this.file, seq);
    const fd = openSync(path, 'w');
    try {
      let done = 0;
      while (done < HEADER) done += writeSync(fd, MAGIC, done, HEADER - done, done);
    } catch (err) {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // nothing to remove
      }
      throw err;
    }
    if (this.fd !== null) {
      const old = this.fd;
      // The finished file's last records reach the disk on the thread pool.
      fdatasync(old, () => closeSync(old));
    }
    this.nextSeq = seq + 1;
    this.fd = fd;
    this.current = { seq, path, first: 0, last: 0, bytes: HEADER };
    this.files.push(this.current);
  }

  /**
   * fdatasync on the thread pool, at most once per `syncIntervalMs` (each sync cleans the
   * file's last, partly filled page, which the next record dirties and writes again).
   */
  private syncSoon(): void {
    if (this.syncing || this.syncTimer) {
      this.syncAgain = true;
      return;
    }
    const fd = this.fd;
    if (fd === null) return;
    const wait = this.lastSync + this.syncIntervalMs - performance.now();
    if (wait > 0) {
      this.syncTimer = setTimeout(() => {
        this.syncTimer = null;
        this.syncAgain = false;
        this.syncSoon();
      }, wait);
      this.syncTimer.unref();
      return;
    }
    this.syncing = true;
    this.lastSync = performance.now();
    fdatasync(fd, (err) => {
      this.syncing = false;
      this.syncError = err ? `journal fdatasync failed (${err.code ?? ''}): ${err.message}` : null;
      if (this.syncAgain && this.fd === fd) {
        this.syncAgain = false;
        this.syncSoon();
      }
    });
  }

  /**
   * Records before `floor` are no longer needed (their samples are in blocks): the files
   * holding only such records are deleted once `durableThrough()` reaches `mark`.
   */
  release(floor: number, mark: number): void {
    for (const f of this.files) {
      if (f === this.current || f.last >= floor) break;
      if (this.released.some((r) => r.file === f)) continue;
      this.released.push({ file: f, mark });
    }
  }

  /** Delete the released files whose blocks a checkpoint has made durable (`mark` ≤ `durable`). */
  deleteReleased(durable: number): void {
    while (this.released.length > 0 && (this.released[0] as { mark: number }).mark <= durable) {
      const { file } = this.released.shift() as { file: JournalFileInfo };
      try {
        unlinkSync(file.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.released.unshift({ file, mark: durable });
          return;
        }
      }
      const i = this.files.indexOf(file);
      if (i >= 0) this.files.splice(i, 1);
    }
  }

  /** Every sample is in blocks and the database is closed: delete every file. */
  deleteAll(): void {
    this.closeFd();
    for (const f of this.files.splice(0)) {
      try {
        unlinkSync(f.path);
      } catch {
        // gone already
      }
    }
    this.released.length = 0;
  }

  private closeFd(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // the records were written; a failing sync is reported by the next open's read-back
    }
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    this.fd = null;
    this.current = null;
  }

  close(): void {
    this.closeFd();
  }
}

/** Read every journal file of `file` (oldest first). */
export function readJournalFiles(file: string): Array<{ info: JournalFileInfo; parsed: ParsedJournal }> {
  const out: Array<{ info: JournalFileInfo; parsed: ParsedJournal }> = [];
  let last = -Infinity;
  for (const { seq, path } of listJournalFiles(file)) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const parsed = parseJournal(bytes, last);
    const records = parsed.records;
    if (records.length > 0) last = (records[records.length - 1] as JournalRecord).number;
    out.push({
      info: {
        seq,
        path,
        first: records[0]?.number ?? 0,
        last: records[records.length - 1]?.number ?? 0,
        bytes: bytes.length,
      },
      parsed,
    });
  }
  return out;
}
