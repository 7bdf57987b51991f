/**
 * The writer's working state: per tag (filter, rollup accumulators, recent points not yet
 * in a block, completed rollup buckets not yet written) and per write (each tag's stored
 * points and completed buckets of one slice). No I/O.
 */
import type { TagValue } from '../../../protocols/driver.js';
import type { GapRecord } from './series-store.js';
import type { StorageFilter } from './storage-filter.js';
import { RollupRows, type RollupAccumulator } from './rollups.js';
import { PointColumns } from './series-writer.js';
import type { RecentGroup, TagTail } from './recent-samples.js';

export interface TagState {
  readonly name: string;
  readonly filter: StorageFilter;
  readonly minute: RollupAccumulator;
  readonly hour: RollupAccumulator;
  /** Stored points not yet in a block (they are in the journal). */
  readonly tail: TagTail;
  /** Offset of this tag's block windows, ms. */
  readonly phase: number;
  /** Its raw series (0 until its first block write creates it). */
  rawId: number;
  /** Its id in the journal files (given out by this process; names are defined in each file). */
  readonly jid: number;
  /** The journal file its last group went to (its next group there continues from it; in a new file it is absolute). */
  journalSeq: number;
  /** Completed rollup buckets not yet written (rebuilt from raw points after a restart). */
  pendingMinute: RollupRows;
  pendingHour: RollupRows;
  /**
   * Where the open 1-minute / 1-hour bucket started at the last raw block write: every
   * stored point before it is in a bucket written (carried with a raw block, or in the
   * rollup series). Carried with the next block when it moves.
   */
  minuteTo: number;
  hourTo: number;
  /** The first carried 1-minute bucket not yet in the 1-minute series (Infinity: none carried yet). */
  carriedFrom: number;
  /** The batch this tag's stored points currently go to, and the tag's part of it. */
  batch: WriteBatch | null;
  part: TagBatch | null;
  /** Its part of the last batch written, emptied, for the next batch (no new arrays per tag and slice). */
  sparePart: TagBatch | null;
  /** Receives the points the filter decides to store (created once per tag: no closure per sample). */
  readonly emit: (t: number, v: TagValue, q: number, r: string | undefined) => void;
}

export interface TagBatch {
  readonly st: TagState;
  readonly raw: PointColumns;
  /** Rollup buckets completed by this batch's points (most batches complete none). */
  minute: RollupRows | null;
  hour: RollupRows | null;
}

export class WriteBatch {
  /** Received samples this batch accounts for. */
  samples = 0;
  stored = 0;
  /** Each tag's part, in the order tags first stored a point in this batch. */
  readonly parts: TagBatch[] = [];
  gaps: GapRecord[] = [];

  /** A tag's part of this batch; called once per tag and batch (the tag keeps it in `st.part`). */
  partFor(st: TagState): TagBatch {
    const part = st.sparePart ?? { st, raw: new PointColumns(), minute: null, hour: null };
    st.sparePart = null;
    this.parts.push(part);
    return part;
  }

  /** After the batch is written: each tag's part, emptied, goes back to its tag for the next batch. */
  recycle(): void {
    for (const part of this.parts) {
      part.raw.clear();
      part.minute = null;
      part.hour = null;
      part.st.sparePart = part;
    }
    this.parts.length = 0;
  }
}

/**
 * A batch's stored points as the groups of one journal record (journal file `seq`), and
 * the tag names the record defines: a tag's first group in a journal file is absolute
 * (each file reads back on its own), and so is its first group after its points were
 * written as a block.
 */
export function journalGroups(
  batch: WriteBatch,
  seq: number,
): { groups: RecentGroup[]; names: Array<[number, string]> } {
  const groups: RecentGroup[] = [];
  const names: Array<[number, string]> = [];
  for (const part of batch.parts) {
    const raw = part.raw;
    if (raw.length === 0) continue;
    const st = part.st;
    const tail = st.tail;
    const fresh = st.journalSeq !== seq;
    if (fresh) names.push([st.jid, st.name]);
    const previous = fresh || tail.n === 0 ? null : { t: tail.lastT, v: tail.lastV };
    groups.push({ id: st.jid, t: raw.t, v: raw.v, q: raw.q, r: raw.r, count: raw.length, previous });
  }
  return { groups, names };
}

/** Never receives a row: the sink for rollup additions that complete no bucket. */
export const NO_ROWS = new RollupRows();

/**
 * A tag's pending rollup buckets while it has none: one shared value, frozen (appending to
 * it throws). A tag's own rows are those of the batch that completed its first bucket
 * (`withPending`): at 10,000 tags seen for the first time, sixteen empty arrays per tag
 * were a large part of what the first second allocated.
 */
export const NO_PENDING: RollupRows = frozenRows();

function frozenRows(): RollupRows {
  const rows = new RollupRows();
  for (const column of [rows.t, rows.count, rows.good, rows.min, rows.max, rows.first, rows.last, rows.sum])
    Object.freeze(column);
  return Object.freeze(rows);
}

/** `pending` followed by `rows` (buckets a written batch completed): `rows` itself when nothing was pending. */
export function withPending(pending: RollupRows, rows: RollupRows): RollupRows {
  if (pending.length === 0) return rows;
  pending.append(rows);
  return pending;
}

export function appendRollups(into: RollupRows, rows: RollupRows): void {
  into.append(rows);
}

/** `a` followed by `b`, without changing either (a copy when both have rows). */
export function joinRollups(a: RollupRows, b: RollupRows | null | undefined): RollupRows {
  if (!b || b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new RollupRows();
  appendRollups(out, a);
  appendRollups(out, b);
  return out;
}

/** Where a tag's block windows start: spread over the span by its name (FNV-1a). */
export function phaseOf(name: string, spanMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % Math.max(1, Math.round(spanMs));
}

export function numericOf(v: TagValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}
