/**
 * The audit trail: `audit.db`, append-only and hash-chained (see audit-entry.ts for the
 * hash). "No privileged action without its record": `append` is synchronous, commits
 * with WAL + synchronous=FULL (the entry is on disk when it returns, surviving a power
 * cut), and THROWS `AuditWriteError` when the entry cannot be written; the caller must
 * then refuse the action. `withAudit` packages that rule.
 *
 * Triggers refuse UPDATE and DELETE on the table (defence in depth against mistakes and
 * casual edits); the hash chain is what detects edits made with another tool.
 */
import Database from 'better-sqlite3';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { applyMigrations, type Migration } from './migrations.js';
import {
  GENESIS_HASH,
  MAX_DETAILS_CHARS,
  canonicalJson,
  clampField,
  entryHash,
  isAuditAction,
  type AuditDetails,
  type AuditEntry,
  type AuditInput,
} from './audit-entry.js';
import { auditCsvHeader, auditCsvLine, csvLine } from './audit-csv.js';
import { systemClock, type Clock } from './clock.js';

export const AUDIT_DB_FILE = 'audit.db';

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
];

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

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    options: AuditTrailOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.onWriteFailure = options.onWriteFailure;
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
      const hash = entryHash(fields);
      insert.run({ ...fields, hash });
      return toEntry({ ...fields, prev_hash: fields.prevHash, hash });
    });
    this.appendTransaction = (input, details) => tx.immediate(input, details);
  }

  /** Open (creating if needed) the audit database at `file`, in WAL mode with synchronous=FULL. */
  static open(file: string, options: AuditTrailOptions = {}): AuditTrail {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    try {
      const journal = db.pragma('journal_mode = WAL', { simple: true });
      if (journal !== 'wal') throw new Error(`the audit database ${file} cannot use WAL (journal mode is ${String(journal)})`);
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
      if (details.length > MAX_DETAILS_CHARS) throw new Error(`details of ${details.length} characters exceed ${MAX_DETAILS_CHARS}`);
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
  async withAudit<T>(input: AuditInput, action: () => T | Promise<T>, describeResult?: (value: T) => AuditDetails): Promise<T> {
    const requested = this.append({ ...input, details: { ...input.details, result: 'requested' } });
    let value: T;
    try {
      value = await action();
    } catch (err) {
      this.appendResult(input, { result: 'failed', error: err instanceof Error ? err.message : String(err), requestSeq: requested.seq });
      throw err;
    }
    // The description may say the action completed but failed (a device refusing a write): its `result` wins.
    this.appendResult(input, { result: 'ok', ...(describeResult ? describeResult(value) : {}), requestSeq: requested.seq });
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
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${where.sql}`).get(...where.params) as { n: number }).n;
  }

  /** The last entry's seq and hash (keep a copy elsewhere to detect a cut-off tail), or null when empty. */
  head(): { seq: number; hash: string } | null {
    return (this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
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
 * Check the whole chain of the audit database `dbFile`, oldest first, through a read-only
 * connection. Reports the first broken link: a missing entry, an entry whose hash does not
 * match its content, or one whose prev_hash does not match the entry before it. Given
 * `expectedHead` (kept outside the database), also detects a cut-off or replaced tail.
 * Throws if the file cannot be opened or is not an audit database.
 */
export function verifyChain(dbFile: string, options: { expectedHead?: { seq: number; hash: string } } = {}): ChainVerification {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
    if (!hasTable) throw new Error(`${dbFile} is not an Argus audit database (no audit_log table)`);
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const broken = (seq: number, reason: string): ChainVerification => ({ ok: false, firstBrokenSeq: seq, reason, entriesChecked: checked });
    for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq ASC').iterate() as IterableIterator<AuditRow>) {
      if (row.seq !== expectedSeq) {
        return broken(expectedSeq, row.seq > expectedSeq ? `entry ${expectedSeq} is missing (the next entry is ${row.seq})` : `entry ${row.seq} is out of sequence`);
      }
      const recomputed = entryHash({ ...row, prevHash: row.prev_hash });
      if (row.prev_hash !== prevHash) {
        return broken(row.seq, `prev_hash of entry ${row.seq} does not match the hash of entry ${row.seq - 1} (an entry was changed, removed or inserted)`);
      }
      if (recomputed !== row.hash) return broken(row.seq, `entry ${row.seq} does not match its hash (its content was changed)`);
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    const head = checked > 0 ? { seq: expectedSeq - 1, hash: prevHash } : null;
    const expected = options.expectedHead;
    if (expected) {
      if (!head || head.seq < expected.seq) return broken((head?.seq ?? 0) + 1, `the trail ends at entry ${head?.seq ?? 0} but entry ${expected.seq} was recorded (the tail was cut off)`);
      const atExpected = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(expected.seq) as { hash: string } | undefined;
      if (atExpected?.hash !== expected.hash) return broken(expected.seq, `entry ${expected.seq} is not the one recorded as the head`);
    }
    return { ok: true, entries: checked, head };
  } finally {
    db.close();
  }
}
