/**
 * The alarm journal: `alarms.db` in the data folder. Every transition (time, value,
 * limit, state, user, comment) as one row, and the current state of every alarm that is
 * not plainly normal, so a restart (or a crash) brings back what was active,
 * unacknowledged, shelved or out of service.
 *
 * Writes are batched: `append` queues and returns at once; a flush stores the queue in
 * transactions of at most `sliceRows` rows (a flood of 10,000 transitions never blocks
 * the event loop for long) and only then counts the rows as written (`writtenSeq`,
 * `onWritten`). When the disk refuses (full, locked), rows stay queued, the failure is
 * reported once, and the next flush tries again: nothing is dropped while memory lasts.
 */
import Database from 'better-sqlite3';
import { mkdirSync, createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { applyMigrations, type Migration } from '../security/migrations.js';
import type { AlarmRecord } from './alarm-engine.js';
import type { AlarmState } from './alarm-state-machine.js';
import type { AlarmDefinition } from './alarm-definitions.js';
import { csvRow } from '../export/csv.js';

export const ALARM_DB_FILE = 'alarms.db';

export const alarmMigrations: readonly Migration[] = [
  {
    name: '0001-init',
    sql: `
      CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        alarm_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        condition INTEGER NOT NULL,
        value TEXT,
        limit_value REAL,
        user TEXT,
        comment TEXT,
        tag TEXT,
        area TEXT,
        priority TEXT NOT NULL,
        source TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX journal_at ON journal (at);
      CREATE INDEX journal_alarm ON journal (alarm_id, at);
      CREATE TABLE alarm_state (
        alarm_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

/** A journal row as queried. */
export interface JournalEntry {
  readonly seq: number;
  readonly at: number;
  readonly alarmId: string;
  readonly kind: string;
  readonly state: string;
  readonly condition: boolean;
  readonly value: number | boolean | string | null;
  readonly limit: number | null;
  readonly user: string | null;
  readonly comment: string | null;
  readonly tag: string | null;
  readonly area: string | null;
  readonly priority: string;
  readonly source: string;
  readonly message: string;
}

export interface JournalFilter {
  readonly from: number;
  readonly to: number;
  readonly alarmId?: string | undefined;
  /** Exact tag name, or a prefix ending in `.` / `*` (e.g. `SS01.P1.`). */
  readonly tag?: string | undefined;
  readonly area?: string | undefined;
  readonly priority?: string | undefined;
  readonly kind?: string | undefined;
  readonly user?: string | undefined;
  /** Substring of the message or alarm id. */
  readonly text?: string | undefined;
  /** Only these areas (a user limited to some areas); undefined = all. */
  readonly areas?: readonly string[] | undefined;
  /** Newest first, rows with seq below this (paging). */
  readonly beforeSeq?: number | undefined;
  readonly limit?: number | undefined;
}

interface QueuedRow {
  readonly record: AlarmRecord;
  readonly def: AlarmDefinition;
}

/** How long one write waits for a lock another program holds on the journal file. */
export const JOURNAL_BUSY_TIMEOUT_MS = 250;

export interface AlarmJournalOptions {
  readonly file: string;
  readonly sliceRows?: number;
  /** Told once per failure spell (disk full, file locked), and again when writing works. */
  readonly onHealth?: (problem: string | null) => void;
}

function encodeValue(v: AlarmRecord['value']): string | null {
  return v === null ? null : JSON.stringify(v);
}

function decodeValue(v: string | null): JournalEntry['value'] {
  if (v === null) return null;
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'number' || typeof parsed === 'boolean' || typeof parsed === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

interface Row {
  seq: number;
  at: number;
  alarm_id: string;
  kind: string;
  state: string;
  condition: number;
  value: string | null;
  limit_value: number | null;
  user: string | null;
  comment: string | null;
  tag: string | null;
  area: string | null;
  priority: string;
  source: string;
  message: string;
}

function toEntry(r: Row): JournalEntry {
  return {
    seq: r.seq,
    at: r.at,
    alarmId: r.alarm_id,
    kind: r.kind,
    state: r.state,
    condition: r.condition === 1,
    value: decodeValue(r.value),
    limit: r.limit_value,
    user: r.user,
    comment: r.comment,
    tag: r.tag,
    area: r.area,
    priority: r.priority,
    source: r.source,
    message: r.message,
  };
}

export const journalCsvHeader = [
  'seq',
  'time',
  'alarm',
  'event',
  'state',
  'active',
  'value',
  'limit',
  'user',
  'comment',
  'tag',
  'area',
  'priority',
  'source',
  'message',
];

export class AlarmJournal {
  private readonly db: Database.Database;
  private queue: QueuedRow[] = [];
  private readonly dirtyStates = new Map<string, AlarmState>();
  /** Meta values set but not yet stored (written with the next flush, like the rows). */
  private readonly dirtyMeta = new Map<string, string>();
  private flushing: Promise<void> | null = null;
  private problem: string | null = null;
  private written = 0;
  private readonly writtenListeners = new Set<(count: number) => void>();
  private readonly insert: Database.Statement;
  private readonly saveState: Database.Statement;
  private readonly dropState: Database.Statement;
  private readonly saveMeta: Database.Statement;
  private readonly sliceRows: number;

  constructor(private readonly options: AlarmJournalOptions) {
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    // Writes run on the station's event loop: a file locked by another program may hold it
    // for at most this long per attempt (the rows wait in memory and the next try stores them).
    this.db = new Database(options.file, { timeout: JOURNAL_BUSY_TIMEOUT_MS });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      applyMigrations(this.db, alarmMigrations);
    } catch (err) {
      this.db.close();
      throw new Error(
        `cannot open the alarm journal ${options.file}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    this.sliceRows = options.sliceRows ?? 2000;
    this.insert = this.db.prepare(
      `INSERT INTO journal (at, alarm_id, kind, state, condition, value, limit_value, user, comment, tag, area, priority, source, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.saveState = this.db.prepare(
      'INSERT INTO alarm_state (alarm_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(alarm_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    );
    this.dropState = this.db.prepare('DELETE FROM alarm_state WHERE alarm_id = ?');
    this.saveMeta = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.written = (this.db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number }).n;
  }

  /** Saved states of alarms that were not plainly normal. */
  loadStates(): Map<string, AlarmState> {
    const out = new Map<string, AlarmState>();
    for (const row of this.db.prepare('SELECT alarm_id, state FROM alarm_state').iterate() as IterableIterator<{
      alarm_id: string;
      state: string;
    }>) {
      try {
        out.set(row.alarm_id, JSON.parse(row.state) as AlarmState);
      } catch {
        // a damaged row: that alarm starts from normal and its next transition rewrites it
      }
    }
    return out;
  }

  getMeta(key: string): string | null {
    const pending = this.dirtyMeta.get(key);
    if (pending !== undefined) return pending;
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Queued like the rows (a locked or full file must not fail the command that set it); stored by the next flush. */
  setMeta(key: string, value: string): void {
    this.dirtyMeta.set(key, value);
  }

  /** Queue transitions and the resulting states; stored by the next flush. */
  append(rows: readonly QueuedRow[], states: ReadonlyMap<string, AlarmState>): void {
    for (const row of rows) this.queue.push(row);
    for (const [id, state] of states) this.dirtyStates.set(id, state);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Rows stored so far (since the file was created). */
  get writtenCount(): number {
    return this.written;
  }

  onWritten(listener: (count: number) => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  /** Store everything queued; resolves when it is on disk (or rejects with why, keeping the rows). */
  flush(): Promise<void> {
    this.flushing ??= this.drainQueue().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0 || this.dirtyStates.size > 0 || this.dirtyMeta.size > 0) {
      const slice = this.queue.slice(0, this.sliceRows);
      const states = this.queue.length <= this.sliceRows ? new Map(this.dirtyStates) : new Map<string, AlarmState>();
      const meta = new Map(this.dirtyMeta);
      try {
        this.db.transaction(() => {
          for (const { record: r, def } of slice) {
            this.insert.run(
              r.at,
              r.alarmId,
              r.kind,
              r.state,
              r.condition ? 1 : 0,
              encodeValue(r.value),
              r.limit,
              r.user,
              r.comment,
              def.tag,
              def.area,
              def.priority,
              def.source,
              def.message.en,
            );
          }
          for (const [id, state] of states) {
            const plain =
              state.core === 'normal' && !state.condition && !state.shelved && !state.suppressed && !state.outOfService;
            if (plain) this.dropState.run(id);
            else this.saveState.run(id, JSON.stringify(state), state.changedAt);
          }
          for (const [key, value] of meta) this.saveMeta.run(key, value);
        })();
      } catch (err) {
        const message = `the alarm journal cannot be written (${this.options.file}): ${err instanceof Error ? err.message : String(err)}`;
        if (this.problem === null) this.options.onHealth?.(message);
        this.problem = message;
        throw new Error(message, { cause: err });
      }
      this.queue.splice(0, slice.length);
      for (const [id, state] of states) if (this.dirtyStates.get(id) === state) this.dirtyStates.delete(id);
      for (const [key, value] of meta) if (this.dirtyMeta.get(key) === value) this.dirtyMeta.delete(key);
      this.written += slice.length;
      if (this.problem !== null) {
        this.problem = null;
        this.options.onHealth?.(null);
      }
      for (const listener of this.writtenListeners) listener(this.written);
      // Let the rest of the process breathe between slices of a flood.
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  get health(): string | null {
    return this.problem;
  }

  query(filter: JournalFilter): JournalEntry[] {
    const { sql, args } = this.where(filter);
    const limit = Math.min(filter.limit ?? 500, 10_000);
    const rows = this.db.prepare(`SELECT * FROM journal ${sql} ORDER BY seq DESC LIMIT ?`).all(...args, limit) as Row[];
    return rows.map(toEntry);
  }

  /** Rows in a time range, oldest first (for KPIs and export). */
  *iterate(filter: JournalFilter): IterableIterator<JournalEntry> {
    const { sql, args } = this.where({ ...filter, beforeSeq: undefined });
    for (const row of this.db
      .prepare(`SELECT * FROM journal ${sql} ORDER BY seq ASC`)
      .iterate(...args) as IterableIterator<Row>)
      yield toEntry(row);
  }

  count(filter: JournalFilter): number {
    const { sql, args } = this.where({ ...filter, beforeSeq: undefined });
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM journal ${sql}`).get(...args) as { n: number }).n;
  }

  /** Write the rows matching `filter` as CSV; progress as a fraction of the rows. */
  async exportCsv(
    filter: JournalFilter,
    file: string,
    onProgress: (fraction: number, rows: number) => void,
  ): Promise<number> {
    const total = this.count(filter);
    const out = createWriteStream(file, { flags: 'wx' });
    const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
    failed.catch(() => undefined);
    let rows = 0;
    const write = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
    };
    await write(csvRow(journalCsvHeader));
    for (const e of this.iterate(filter)) {
      await write(
        csvRow([
          e.seq,
          new Date(e.at).toISOString(),
          e.alarmId,
          e.kind,
          e.state,
          e.condition,
          e.value === null ? null : String(e.value),
          e.limit,
          e.user,
          e.comment,
          e.tag,
          e.area,
          e.priority,
          e.source,
          e.message,
        ]),
      );
      rows++;
      if (rows % 1000 === 0) {
        onProgress(total === 0 ? 1 : rows / total, rows);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    return rows;
  }

  private where(f: JournalFilter): { sql: string; args: unknown[] } {
    const clauses = ['at >= ?', 'at <= ?'];
    const args: unknown[] = [f.from, f.to];
    if (f.alarmId) {
      clauses.push('alarm_id = ?');
      args.push(f.alarmId);
    }
    if (f.tag) {
      if (f.tag.endsWith('*') || f.tag.endsWith('.')) {
        clauses.push("tag LIKE ? ESCAPE '\\'");
        args.push(`${escapeLike(f.tag.replace(/\*$/, ''))}%`);
      } else {
        clauses.push('tag = ?');
        args.push(f.tag);
      }
    }
    if (f.area) {
      clauses.push('area = ?');
      args.push(f.area);
    }
    if (f.areas && f.areas.length > 0) {
      clauses.push(`area IN (${f.areas.map(() => '?').join(',')})`);
      args.push(...f.areas);
    }
    if (f.priority) {
      clauses.push('priority = ?');
      args.push(f.priority);
    }
    if (f.kind) {
      clauses.push('kind = ?');
      args.push(f.kind);
    }
    if (f.user) {
      clauses.push('user = ?');
      args.push(f.user);
    }
    if (f.text) {
      clauses.push("(message LIKE ? ESCAPE '\\' OR alarm_id LIKE ? ESCAPE '\\')");
      const like = `%${escapeLike(f.text)}%`;
      args.push(like, like);
    }
    if (f.beforeSeq !== undefined) {
      clauses.push('seq < ?');
      args.push(f.beforeSeq);
    }
    return { sql: `WHERE ${clauses.join(' AND ')}`, args };
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } catch {
      // reported through onHealth; closing goes ahead
    }
    this.db.close();
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
