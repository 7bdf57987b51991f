/**
 * The history database file: schema migrations, pragmas, the start-up integrity check,
 * and the recovery rule — a file that cannot be opened, checked or migrated is moved
 * aside (with its -wal and -shm) and a fresh one is started, so start-up never
 * crash-loops. A file that is merely locked by another process is left alone.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations, type Migration } from '../security/migrations.js';

export const historianMigrations: readonly Migration[] = [
  {
    name: '0001-init',
    sql: `
      -- One series per tag and tier (0 raw samples, 1 one-minute rollups, 2 one-hour rollups).
      -- covered_to: the end of the last rollup bucket written; later data is still open in memory.
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        tag TEXT NOT NULL,
        tier INTEGER NOT NULL CHECK (tier IN (0, 1, 2)),
        covered_to INTEGER NOT NULL DEFAULT 0,
        UNIQUE (tag, tier)
      );
      -- Compressed blocks of a series. Sealed blocks are large and final; unsealed ones are
      -- the small recent segments written at each flush, merged into a sealed block later.
      CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series (id),
        t_start INTEGER NOT NULL,
        t_end INTEGER NOT NULL,
        n INTEGER NOT NULL,
        sealed INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE UNIQUE INDEX segments_by_series_time ON segments (series_id, t_start);
      CREATE INDEX segments_unsealed ON segments (series_id, t_start) WHERE sealed = 0;
      -- What could not be stored (buffer overflow while the disk was full, …): never a silent loss.
      CREATE TABLE gaps (
        id INTEGER PRIMARY KEY,
        tag TEXT NOT NULL,
        t_from INTEGER NOT NULL,
        t_to INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        reason TEXT NOT NULL,
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX gaps_by_tag_time ON gaps (tag, t_from);
    `,
  },
  {
    name: '0002-recent',
    sql: `
      -- The journal of recent samples: one row per write, every tag's new samples in it,
      -- appended at the end of the table (a write touches pages in proportion to its bytes,
      -- not to the number of tags). Each tag's samples are written as a block of its series
      -- every few minutes; a row is deleted once no tag still needs it. Old unsealed
      -- segments stay readable and are merged as before.
      CREATE TABLE recent (
        id INTEGER PRIMARY KEY,
        written_at INTEGER NOT NULL,
        n INTEGER NOT NULL,
        data BLOB NOT NULL
      );
    `,
  },
  {
    name: '0003-block-rollups',
    sql: `
      -- The rollup buckets a tag completed since its previous raw block, carried with the
      -- block: one row per raw block, keyed by the block's id, so each is appended at the
      -- end of this table (no index of its own, no random page per tag and hour as the
      -- 1-minute and 1-hour series' own inserts cost). minute_to / hour_to: where the tag's
      -- open bucket of each tier started when the block was written (every stored sample
      -- before it is in a written bucket). Once a day a tag's carried buckets are written
      -- to its 1-minute and 1-hour series as blocks; a row goes with its raw block.
      CREATE TABLE block_rollups (
        segment_id INTEGER PRIMARY KEY,
        minute_to INTEGER NOT NULL,
        hour_to INTEGER NOT NULL,
        data BLOB NOT NULL
      );
    `,
  },
];

/** Above this size the start-up check is `quick_check` instead of the full `integrity_check`. */
export const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Above this size even `quick_check` (which reads the whole file: seconds per GB) does not
 * run at start-up; it runs on the checkpoint worker after opening instead, and if it
 * finds damage it leaves a marker so the file is moved aside at the next start.
 */
export const STARTUP_CHECK_MAX_BYTES = 1024 * 1024 * 1024;
export const DAMAGE_MARKER_SUFFIX = '.needs-recovery';

export type Synchronous = 'FULL' | 'NORMAL';

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** Set when the previous file was moved aside: what was wrong and where it went. */
  readonly recovered?: { readonly problem: string; readonly movedTo: string };
  readonly check: 'integrity_check' | 'quick_check' | 'deferred' | 'new';
}

export function sqliteCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

export function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function describeError(err: unknown): string {
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  // The journal files: Node's errno codes.
  if (code === 'ENOSPC' || code === 'EDQUOT') return `disk full (${code}): ${message}`;
  if (code === 'EIO') return `I/O error (${code}): ${message}`;
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return `history folder is not writable (${code}): ${message}`;
  if (code.startsWith('SQLITE_FULL')) return `disk full (${code}): ${message}`;
  if (code.startsWith('SQLITE_IOERR')) return `I/O error (${code}): ${message}`;
  if (isBusy(err)) return `history file is locked by another process (${code}): ${message}`;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return `history file is damaged (${code}): ${message}`;
  if (code.startsWith('SQLITE_READONLY')) return `history file is read-only (${code}): ${message}`;
  return code ? `${code}: ${message}` : message;
}

function applyPragmas(db: Database.Database, synchronous: Synchronous): void {
  db.pragma('busy_timeout = 0');
  // auto_vacuum only takes effect on an empty database: set it before the first migration.
  if ((db.pragma('user_version', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`could not switch the history file to WAL (journal_mode is ${String(mode)})`);
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('cache_size = -16000');
  // After a checkpoint has copied the whole WAL, the next commit starts it over and cuts
  // the file back to this size (otherwise it keeps its largest size on disk for good).
  db.pragma('journal_size_limit = 4194304');
}

function check(db: Database.Database, file: string, startupCheckMaxBytes: number): OpenedDatabase['check'] {
  if (existsSync(file + DAMAGE_MARKER_SUFFIX)) {
    const err = new Error(
      `damage found while running: ${readFileSync(file + DAMAGE_MARKER_SUFFIX, 'utf8').slice(0, 500)}`,
    );
    Object.assign(err, { code: 'SQLITE_CORRUPT' });
    throw err;
  }
  const size = statSync(file).size;
  if (size > startupCheckMaxBytes) return 'deferred';
  const pragma = size > FULL_CHECK_MAX_BYTES ? 'quick_check' : 'integrity_check';
  const rows = db.pragma(pragma) as Array<Record<string, string>>;
  const messages = rows.map((r) => Object.values(r)[0]).filter((m) => m !== 'ok');
  if (messages.length > 0) {
    const err = new Error(`${pragma} failed: ${messages.slice(0, 3).join('; ').replace(/\s+/g, ' ').slice(0, 500)}`);
    Object.assign(err, { code: 'SQLITE_CORRUPT' });
    throw err;
  }
  return pragma;
}

/** Open, check and migrate `file`; throws on any failure (the caller decides about recovery). */
export function openChecked(
  file: string,
  synchronous: Synchronous,
  clock: () => number,
  startupCheckMaxBytes = STARTUP_CHECK_MAX_BYTES,
): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  const existed = existsSync(file) && statSync(file).size > 0;
  const db = new Database(file);
  try {
    applyPragmas(db, synchronous);
    const checked = existed ? check(db, file, startupCheckMaxBytes) : 'new';
    applyMigrations(db, historianMigrations, clock);
    return { db, check: checked };
  } catch (err) {
    try {
      db.close();
    } catch {
      // already unusable; the original error is what matters
    }
    throw err;
  }
}

/** Move `file` and its -wal/-shm companions aside; returns the new name of the main file. */
export function moveAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = `${file}.damaged-${stamp}`;
  for (const suffix of ['', '-wal', '-shm', '-journal', DAMAGE_MARKER_SUFFIX]) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

/**
 * Open with recovery: a damaged or unopenable file is moved aside and a fresh one
 * started. Throws only when even the fresh file cannot be opened, or the file is locked.
 */
export function openWithRecovery(
  file: string,
  synchronous: Synchronous,
  clock: () => number,
  startupCheckMaxBytes = STARTUP_CHECK_MAX_BYTES,
): OpenedDatabase {
  try {
    return openChecked(file, synchronous, clock, startupCheckMaxBytes);
  } catch (err) {
    if (isBusy(err)) throw err;
    const problem = describeError(err);
    const movedTo = moveAside(file, clock());
    const fresh = openChecked(file, synchronous, clock, startupCheckMaxBytes);
    return { ...fresh, recovered: { problem, movedTo } };
  }
}
