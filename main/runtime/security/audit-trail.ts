/**
 * The audit trail: `audit.db`, append-only and chained with a keyed MAC (HMAC-SHA256 with
 * the install's audit key, a file kept outside the database: see audit-entry.ts). The head
 * (last seq and MAC) is checkpointed after every append in `audit-head.json` beside the
 * database (and copied into every history backup); at open the trail checks that the
 * database still reaches the checkpoint and that the entries after it are genuine, and
 * reports a mismatch (`integrity()`), carried in the checkpoint until someone looks.
 * Entries written before the chain was keyed (migration 0002) keep their plain SHA-256. "No privileged action without its record": `append` is synchronous, commits
 * with WAL + synchronous=FULL (the entry is on disk when it returns, surviving a power
 * cut), and THROWS `AuditWriteError` when the entry cannot be written; the caller must
 * then refuse the action. `withAudit` packages that rule.
 *
 * Triggers refuse UPDATE and DELETE on the table (defence in depth against mistakes and
 * casual edits); the hash chain is what detects edits made with another tool.
 */
import Database from 'better-sqlite3';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { applyMigrations, type Migration } from './migrations.js';
import {
  GENESIS_HASH,
  MAX_DETAILS_CHARS,
  canonicalJson,
  clampField,
  entryHash,
  entryMac,
  isAuditAction,
  type AuditDetails,
  type AuditEntry,
  type AuditInput,
} from './audit-entry.js';
import { auditCsvHeader, auditCsvLine, csvLine } from './audit-csv.js';
import { systemClock, type Clock } from './clock.js';
import { loadOrCreateKeyFile } from './install-secret.js';

export const AUDIT_DB_FILE = 'audit.db';
/** The audit key (32 random bytes, hex, 0600), beside the database but never in it. Back it up with the data folder. */
export const AUDIT_KEY_FILE = 'audit-key';
/** The head checkpoint: last seq and MAC, written after every append. */
export const AUDIT_CHECKPOINT_FILE = 'audit-head.json';

export const auditMigrations: readonly Migration[] = [
  {
    name: '0001-init',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_time ON audit_log (time);
      CREATE INDEX audit_log_actor ON audit_log (actor, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE INDEX audit_log_target ON audit_log (target, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    // From this seq on, entries are chained with the keyed MAC; before it, plain SHA-256.
    name: '0002-keyed-chain',
    sql: `
      CREATE TABLE audit_chain (keyed_from INTEGER NOT NULL);
      INSERT INTO audit_chain (keyed_from) SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log;
      CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
        BEGIN SELECT RAISE(ABORT, 'the audit chain settings are fixed'); END;
      CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
        BEGIN SELECT RAISE(ABORT, 'the audit chain settings are fixed'); END;
    `,
  },
];

/** What is written to the checkpoint file (its `mac` covers the rest, with the audit key). */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly keyedFrom: number;
  readonly time: number;
  /** Problems found at earlier starts, carried until the file is replaced by hand. */
  readonly problems: readonly string[];
}

/** The trail's health as found at open (and since). */
export interface AuditIntegrity {
  readonly ok: boolean;
  /** Each problem in a sentence: a cut tail, a forged entry, a checkpoint that does not match. */
  readonly problems: readonly string[];
  readonly head: { seq: number; hash: string } | null;
  readonly checkpoint: { seq: number; hash: string } | null;
}

function checkpointMac(key: Buffer, c: Omit<AuditCheckpoint, 'problems'> & { problems: readonly string[] }): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([c.seq, c.hash, c.keyedFrom, c.time, c.problems]), 'utf8')
    .digest('hex');
}

/** The checkpoint in `file`, or a reason it cannot be trusted, or null when there is none. */
export function readCheckpoint(file: string, key: Buffer | null): AuditCheckpoint | { problem: string } | null {
  if (!existsSync(file)) return null;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as AuditCheckpoint & { mac?: string };
    const { mac, ...c } = raw;
    if (
      typeof c.seq !== 'number' ||
      typeof c.hash !== 'string' ||
      typeof c.keyedFrom !== 'number' ||
      !Array.isArray(c.problems)
    ) {
      return { problem: `the audit checkpoint ${file} is not readable` };
    }
    if (key) {
      const expected = Buffer.from(checkpointMac(key, c), 'hex');
      const given = Buffer.from(typeof mac === 'string' ? mac : '', 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { problem: `the audit checkpoint ${file} was changed (its MAC does not match)` };
    }
    return c;
  } catch (err) {
    return {
      problem: `the audit checkpoint ${file} is not readable: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

let checkpointWrites = 0;

function writeCheckpoint(file: string, key: Buffer, c: AuditCheckpoint): void {
  // A name of its own per write: two processes (or connections) appending must not mix their copies.
  const tmp = `${file}.${process.pid}.${++checkpointWrites}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ ...c, mac: checkpointMac(key, c) }) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** An audit entry could not be written: the action it would record must not happen. */
export class AuditWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditWriteError';
  }
}

/** What `withAudit` callers and the authenticator need: only appending. */
export interface AuditAppender {
  append(input: AuditInput): AuditEntry;
}

export interface AuditFilter {
  /** Inclusive, ms since epoch. */
  readonly from?: number;
  /** Exclusive, ms since epoch. */
  readonly to?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  /** Default 100 for `query`, unlimited for `exportCsv`; at most 10 000 for `query`. */
  readonly limit?: number;
  readonly offset?: number;
  /** Newest first by default. */
  readonly order?: 'asc' | 'desc';
}

export interface AuditTrailOptions {
  readonly clock?: Clock;
  /** The audit key; default: `audit-key` beside the database (created on first use). */
  readonly key?: Buffer;
  /** The head checkpoint; default: `audit-head.json` beside the database. */
  readonly checkpointFile?: string;
  /** How long `append` waits for a lock held by another connection before it fails. */
  readonly busyTimeoutMs?: number;
  /** Told of every write failure (so it can be logged and shown), before `append` throws. */
  readonly onWriteFailure?: (error: AuditWriteError, input: AuditInput) => void;
}

interface AuditRow {
  seq: number;
  time: number;
  actor: string;
  role: string;
  source: string;
  action: string;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  let details: AuditDetails;
  try {
    details = JSON.parse(row.details) as AuditDetails;
  } catch {
    details = { unreadable: row.details };
  }
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    role: row.role,
    source: row.source,
    action: row.action,
    target: row.target,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const QUERY_LIMIT_MAX = 10_000;

function whereClause(filter: AuditFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('time >= ?', filter.from);
  add('time < ?', filter.to);
  add('actor = ?', filter.actor);
  add('action = ?', filter.action);
  add('target = ?', filter.target);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function selectSql(filter: AuditFilter, defaultLimit: number | null): { sql: string; params: (string | number)[] } {
  const where = whereClause(filter);
  const order = filter.order === 'asc' ? 'ASC' : 'DESC';
  const limit = filter.limit ?? defaultLimit;
  const offset = Math.max(0, Math.floor(filter.offset ?? 0));
  const params = [...where.params];
  let sql = `SELECT * FROM audit_log ${where.sql} ORDER BY seq ${order}`;
  if (limit !== null) {
    sql += ' LIMIT ? OFFSET ?';
    params.push(Math.max(0, Math.min(QUERY_LIMIT_MAX, Math.floor(limit))), offset);
  } else if (offset > 0) {
    sql += ' LIMIT -1 OFFSET ?';
    params.push(offset);
  }
  return { sql, params };
}

export class AuditTrail implements AuditAppender {
  private readonly clock: Clock;
  private readonly onWriteFailure: AuditTrailOptions['onWriteFailure'];
  private readonly appendTransaction: (input: AuditInput, details: string) => AuditEntry;
  private readonly key: Buffer;
  private readonly keyedFrom: number;
  /** Where the head is checkpointed after every append. */
  readonly checkpointFile: string;
  private found: AuditIntegrity;
  /** Problems carried in the checkpoint (found now or at an earlier start). */
  private problems: string[];
  private checkpointError: string | null = null;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    options: AuditTrailOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.onWriteFailure = options.onWriteFailure;
    this.checkpointFile = options.checkpointFile ?? join(dirname(file), AUDIT_CHECKPOINT_FILE);
    this.keyedFrom =
      (db.prepare('SELECT keyed_from FROM audit_chain').get() as { keyed_from: number } | undefined)?.keyed_from ?? 1;
    const keyFile = join(dirname(file), AUDIT_KEY_FILE);
    const hadKey = options.key !== undefined || existsSync(keyFile);
    this.key = options.key ?? loadOrCreateKeyFile(keyFile);
    this.found = checkIntegrity(
      db,
      this.key,
      this.keyedFrom,
      readCheckpoint(this.checkpointFile, this.key),
      this.clock,
    );
    const lastSeq = (db.prepare('SELECT MAX(seq) AS n FROM audit_log').get() as { n: number | null }).n ?? 0;
    if (!hadKey && lastSeq >= this.keyedFrom) {
      this.found = {
        ...this.found,
        ok: false,
        problems: [
          ...this.found.problems,
          `the audit key ${keyFile} was missing; a new one was made, so entries ${this.keyedFrom}–${lastSeq} cannot be verified`,
        ],
      };
    }
    this.problems = [...this.found.problems];
    // Record what was found at once, so a problem is not forgotten if nothing is appended.
    this.saveCheckpoint();
    const last = db.prepare('SELECT seq, time, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, time, actor, role, source, action, target, details, prev_hash, hash)
       VALUES (@seq, @time, @actor, @role, @source, @action, @target, @details, @prevHash, @hash)`,
    );
    const tx = db.transaction((input: AuditInput, details: string): AuditEntry => {
      // The previous hash is read from the file inside the write lock, never from memory,
      // so a failed write can never leave the chain and this process out of step.
      const previous = last.get() as { seq: number; time: number; hash: string } | undefined;
      const fields = {
        seq: (previous?.seq ?? 0) + 1,
        time: this.clock(),
        actor: clampField(input.actor),
        role: clampField(input.role),
        source: clampField(input.source),
        action: input.action,
        target: clampField(input.target ?? ''),
        details,
        prevHash: previous?.hash ?? GENESIS_HASH,
      };
      const hash = fields.seq >= this.keyedFrom ? entryMac(this.key, fields) : entryHash(fields);
      insert.run({ ...fields, hash });
      return toEntry({ ...fields, prev_hash: fields.prevHash, hash });
    });
    this.appendTransaction = (input, details) => {
      const entry = tx.immediate(input, details);
      this.saveCheckpoint(entry);
      return entry;
    };
  }

  /** Write the head checkpoint (a failure is kept for `integrity()`; the entry itself is committed). */
  private saveCheckpoint(entry?: AuditEntry): void {
    const head = entry ? { seq: entry.seq, hash: entry.hash } : this.head();
    try {
      writeCheckpoint(this.checkpointFile, this.key, {
        seq: head?.seq ?? 0,
        hash: head?.hash ?? GENESIS_HASH,
        keyedFrom: this.keyedFrom,
        time: this.clock(),
        problems: this.problems,
      });
      this.checkpointError = null;
    } catch (err) {
      this.checkpointError = `the audit checkpoint ${this.checkpointFile} cannot be written: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /**
   * What the check at open found (a cut tail, entries that are not genuine, a changed
   * checkpoint), plus problems carried from earlier starts and a failing checkpoint write.
   */
  integrity(): AuditIntegrity {
    const problems = this.checkpointError ? [...this.problems, this.checkpointError] : [...this.problems];
    return { ...this.found, ok: problems.length === 0, problems };
  }

  /** Open (creating if needed) the audit database at `file`, in WAL mode with synchronous=FULL. */
  static open(file: string, options: AuditTrailOptions = {}): AuditTrail {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    try {
      const journal = db.pragma('journal_mode = WAL', { simple: true });
      if (journal !== 'wal')
        throw new Error(`the audit database ${file} cannot use WAL (journal mode is ${String(journal)})`);
      // FULL: in WAL mode the WAL is synced on every commit, so a committed entry survives a power cut.
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      applyMigrations(db, auditMigrations, options.clock ?? systemClock);
      return new AuditTrail(db, file, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Write one entry and return it. Synchronous: when it returns, the entry is committed.
   * Throws `AuditWriteError` if it cannot be written; the caller must then refuse the action.
   */
  append(input: AuditInput): AuditEntry {
    try {
      if (!isAuditAction(input.action)) throw new Error(`unknown audit action ${JSON.stringify(input.action)}`);
      const details = canonicalJson(input.details ?? {});
      if (details.length > MAX_DETAILS_CHARS)
        throw new Error(`details of ${details.length} characters exceed ${MAX_DETAILS_CHARS}`);
      return this.appendTransaction(input, details);
    } catch (err) {
      const error = new AuditWriteError(
        `the audit entry for ${String(input.action)} by ${clampField(String(input.actor))} could not be written: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
      this.onWriteFailure?.(error, input);
      throw error;
    }
  }

  /**
   * Run a privileged action with its record: a `requested` entry is appended first (if it
   * cannot be written, `action` never runs and `AuditWriteError` is thrown), then a
   * result entry with the same action and target: `result: 'ok'` (plus `describeResult`'s
   * fields) or `result: 'failed'` with the error message, and `requestSeq` pointing back.
   *
   * If the result entry cannot be written, the action has already happened: the value is
   * still returned (the `requested` entry records the attempt) and the failure goes to
   * `onWriteFailure`. An entry with `result: 'requested'` and no result entry after it
   * therefore means "outcome not recorded".
   */
  async withAudit<T>(
    input: AuditInput,
    action: () => T | Promise<T>,
    describeResult?: (value: T) => AuditDetails,
  ): Promise<T> {
    const requested = this.append({ ...input, details: { ...input.details, result: 'requested' } });
    let value: T;
    try {
      value = await action();
    } catch (err) {
      this.appendResult(input, {
        result: 'failed',
        error: err instanceof Error ? err.message : String(err),
        requestSeq: requested.seq,
      });
      throw err;
    }
    // The description may say the action completed but failed (a device refusing a write): its `result` wins.
    this.appendResult(input, {
      result: 'ok',
      ...(describeResult ? describeResult(value) : {}),
      requestSeq: requested.seq,
    });
    return value;
  }

  private appendResult(input: AuditInput, result: AuditDetails): void {
    try {
      this.append({ ...input, details: { ...input.details, ...result } });
    } catch {
      // already reported through onWriteFailure by append()
    }
  }

  query(filter: AuditFilter = {}): AuditEntry[] {
    const { sql, params } = selectSql(filter, 100);
    return (this.db.prepare(sql).all(...params) as AuditRow[]).map(toEntry);
  }

  count(filter: Omit<AuditFilter, 'limit' | 'offset' | 'order'> = {}): number {
    const where = whereClause(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${where.sql}`).get(...where.params) as { n: number })
      .n;
  }

  /** The last entry's seq and hash (keep a copy elsewhere to detect a cut-off tail), or null when empty. */
  head(): { seq: number; hash: string } | null {
    return (
      (this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined) ?? null
    );
  }

  /**
   * Write the entries matching `filter` (oldest first unless told) as CSV to `out`, with
   * backpressure. Reads through a separate read-only connection so a long export never
   * holds up `append`. Resolves with the number of rows written; does not end `out`.
   */
  async exportCsv(filter: AuditFilter, out: Writable): Promise<number> {
    const reader = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      const { sql, params } = selectSql({ order: 'asc', ...filter }, null);
      let rows = 0;
      const write = async (text: string): Promise<void> => {
        if (!out.write(text)) await once(out, 'drain');
      };
      await write(csvLine([...auditCsvHeader]));
      for (const row of reader.prepare(sql).iterate(...params) as IterableIterator<AuditRow>) {
        await write(auditCsvLine(toEntry(row)));
        rows++;
      }
      return rows;
    } finally {
      reader.close();
    }
  }

  /** The connection's journal mode and synchronous level, for checks and diagnostics. */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' } {
    const journalMode = String(this.db.pragma('journal_mode', { simple: true }));
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    const synchronous = (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[level] ?? 'OFF';
    return { journalMode, synchronous };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type ChainVerification =
  | { readonly ok: true; readonly entries: number; readonly head: { seq: number; hash: string } | null }
  | { readonly ok: false; readonly firstBrokenSeq: number; readonly reason: string; readonly entriesChecked: number };

/**
 * Walk the chain from `fromSeq` (whose predecessor's hash is `prevHash`) to the end. Entries
 * from `keyedFrom` on must carry the keyed MAC (`key` null: they cannot be checked).
 */
function walkChain(
  db: Database.Database,
  key: Buffer | null,
  keyedFrom: number,
  fromSeq: number,
  prevHash: string,
): ChainVerification {
  let expectedSeq = fromSeq;
  let previous = prevHash;
  let checked = 0;
  const broken = (seq: number, reason: string): ChainVerification => ({
    ok: false,
    firstBrokenSeq: seq,
    reason,
    entriesChecked: checked,
  });
  for (const row of db
    .prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq ASC')
    .iterate(fromSeq) as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq) {
      return broken(
        expectedSeq,
        row.seq > expectedSeq
          ? `entry ${expectedSeq} is missing (the next entry is ${row.seq})`
          : `entry ${row.seq} is out of sequence`,
      );
    }
    if (row.prev_hash !== previous) {
      return broken(
        row.seq,
        `prev_hash of entry ${row.seq} does not match the hash of entry ${row.seq - 1} (an entry was changed, removed or inserted)`,
      );
    }
    const fields = { ...row, prevHash: row.prev_hash };
    if (row.seq >= keyedFrom) {
      if (!key) return broken(row.seq, `entry ${row.seq} is chained with the audit key, and no key was given`);
      if (entryMac(key, fields) !== row.hash)
        return broken(
          row.seq,
          `entry ${row.seq} does not match its MAC (its content was changed, or it was not written by this install)`,
        );
    } else if (entryHash(fields) !== row.hash)
      return broken(row.seq, `entry ${row.seq} does not match its hash (its content was changed)`);
    previous = row.hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, entries: checked, head: expectedSeq > fromSeq ? { seq: expectedSeq - 1, hash: previous } : null };
}

function keyedFromOf(db: Database.Database): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").get();
  if (!hasTable) return Number.MAX_SAFE_INTEGER; // written before the chain was keyed
  return (
    (db.prepare('SELECT keyed_from FROM audit_chain').get() as { keyed_from: number } | undefined)?.keyed_from ?? 1
  );
}

/** The check at open: does the database still reach the checkpoint, and is everything after it genuine? */
function checkIntegrity(
  db: Database.Database,
  key: Buffer,
  keyedFrom: number,
  checkpoint: ReturnType<typeof readCheckpoint>,
  clock: Clock,
): AuditIntegrity {
  const head =
    (db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined) ?? null;
  const when = new Date(clock()).toISOString();
  const problems: string[] = [];
  let from = 1;
  let prevHash = GENESIS_HASH;
  if (checkpoint && 'problem' in checkpoint) problems.push(`${when}: ${checkpoint.problem}`);
  const kept = checkpoint && !('problem' in checkpoint) ? checkpoint : null;
  if (kept) {
    problems.push(...kept.problems);
    if (kept.keyedFrom !== keyedFrom)
      problems.push(
        `${when}: the audit trail's keyed start moved from entry ${kept.keyedFrom} to ${keyedFrom} (the database was replaced or edited)`,
      );
    if (kept.seq > 0) {
      const at = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(kept.seq) as { hash: string } | undefined;
      if (!at) {
        problems.push(
          `${when}: the audit trail ends at entry ${head?.seq ?? 0} but entry ${kept.seq} was checkpointed: entries ${(head?.seq ?? 0) + 1}–${kept.seq} were removed`,
        );
      } else if (at.hash !== kept.hash) {
        problems.push(
          `${when}: entry ${kept.seq} is not the one checkpointed (the trail was rewritten from there or before)`,
        );
      } else {
        from = kept.seq + 1;
        prevHash = kept.hash;
      }
    }
  }
  const walk = walkChain(db, key, keyedFrom, from === 1 ? 1 : from, prevHash);
  if (!walk.ok) problems.push(`${when}: audit entry ${walk.firstBrokenSeq} is not genuine: ${walk.reason}`);
  return { ok: problems.length === 0, problems, head, checkpoint: kept ? { seq: kept.seq, hash: kept.hash } : null };
}

/** The audit key beside an audit database, or null when there is none. */
export function readAuditKey(dbFile: string): Buffer | null {
  const keyFile = join(dirname(dbFile), AUDIT_KEY_FILE);
  if (!existsSync(keyFile)) return null;
  return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
}

/**
 * Check the whole chain of the audit database `dbFile`, oldest first, through a read-only
 * connection. Reports the first broken link: a missing entry, an entry whose MAC (or, for
 * entries from before the chain was keyed, hash) does not match its content, or one whose
 * prev_hash does not match the entry before it. `key` defaults to the `audit-key` file
 * beside the database. Given `expectedHead` (a checkpoint kept outside the database), also
 * detects a cut-off or replaced tail. Throws if the file cannot be opened or is not an
 * audit database.
 */
export function verifyChain(
  dbFile: string,
  options: { expectedHead?: { seq: number; hash: string }; key?: Buffer | null } = {},
): ChainVerification {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
    if (!hasTable) throw new Error(`${dbFile} is not an Argus audit database (no audit_log table)`);
    const key = options.key === undefined ? readAuditKey(dbFile) : options.key;
    const result = walkChain(db, key, keyedFromOf(db), 1, GENESIS_HASH);
    if (!result.ok) return result;
    const { head } = result;
    const expected = options.expectedHead;
    const broken = (seq: number, reason: string): ChainVerification => ({
      ok: false,
      firstBrokenSeq: seq,
      reason,
      entriesChecked: result.entries,
    });
    if (expected && expected.seq > 0) {
      if (!head || head.seq < expected.seq)
        return broken(
          (head?.seq ?? 0) + 1,
          `the trail ends at entry ${head?.seq ?? 0} but entry ${expected.seq} was recorded (the tail was cut off)`,
        );
      const atExpected = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(expected.seq) as
        { hash: string } | undefined;
      if (atExpected?.hash !== expected.hash)
        return broken(expected.seq, `entry ${expected.seq} is not the one recorded as the head`);
    }
    return result;
  } finally {
    db.close();
  }
}
