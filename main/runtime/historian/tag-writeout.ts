/**
 * Writing a tag out, inside the caller's block-write transaction: its recent points as a
 * block of its raw series, carrying the rollup buckets completed since its previous block
 * (`block_rollups`: appended, no index of its own), and once a day its carried buckets as
 * blocks of its 1-minute and 1-hour series. Series rows and counters are staged (adopted
 * by the caller after the commit), and so are the tag's marks (`committed`).
 */
import type { TagValue } from '../../../protocols/driver.js';
import type { SeriesStore } from './series-store.js';
import { PointColumns, SEAL_RULES, appendToSeries, type SealBudget, type SeriesState } from './series-writer.js';
import { RollupRows, TIER_HOUR, TIER_MINUTE, TIER_RAW, TIER_WIDTH_MS, type Tier } from './rollups.js';
import { appendBuckets, decodeCarried } from './carried-rollups.js';
import type { TagState } from './write-batch.js';

/** A tag's carried rollup buckets are written to its rollup series once they span this long. */
export const CARRIED_SPAN_MS = 86_400_000;

/** One block-write transaction's view of the file. */
export interface WriteOutContext {
  readonly store: SeriesStore;
  /** The series as committed, by `tag \u0000 tier`. */
  readonly series: ReadonlyMap<string, SeriesState>;
  /** Series created or changed in this transaction (adopted after the commit). */
  readonly staged: Map<string, SeriesState>;
  readonly budget: SealBudget;
  /** Changes to tag states, applied once the transaction commits. */
  readonly committed: Array<() => void>;
  /** Closing: pending rollup buckets are written even when few. */
  readonly writeEverything: boolean;
}

/** The staged state of a series, created (in this transaction) when it does not exist yet. */
export function seriesFor(ctx: WriteOutContext, tag: string, tier: Tier): SeriesState {
  const key = `${tag}\u0000${tier}`;
  let st = ctx.staged.get(key);
  if (st) return st;
  const known = ctx.series.get(key);
  st = known
    ? { ...known }
    : { id: ctx.store.ensureSeries(tag, tier).id, unsealedCount: 0, firstUnsealedT: 0, coveredTo: 0 };
  ctx.staged.set(key, st);
  return st;
}

/** Whether a tag's recent points reach past its window of `spanMs` (or fill a block). */
export function windowClosed(st: TagState, spanMs: number): boolean {
  const tail = st.tail;
  if (tail.n === 0) return false;
  if (tail.n >= SEAL_RULES[TIER_RAW].blockSize) return true;
  return Math.floor((tail.lastT + st.phase) / spanMs) !== Math.floor((tail.firstT + st.phase) / spanMs);
}

/**
 * Write a tag's recent points as a block of its raw series, carrying the rollup buckets
 * completed since its previous block; once a day's buckets are carried, they are written
 * to the 1-minute and 1-hour series. True when the pending buckets were written.
 */
export function writeTagOut(ctx: WriteOutContext, st: TagState): boolean {
  const { store, budget } = ctx;
  const tail = st.tail;
  const minute = st.pendingMinute;
  const hour = st.pendingHour;
  if (tail.n > 0) {
    const points = new PointColumns();
    const c = tail.columns();
    for (let i = 0; i < tail.n; i++) points.push(c.t[i] as number, c.v[i] as TagValue, c.q[i] as number, c.r[i]);
    const minuteTo = st.minute.count > 0 ? Math.max(st.minuteTo, st.minute.start) : st.minuteTo;
    const hourTo = st.hour.count > 0 ? Math.max(st.hourTo, st.hour.start) : st.hourTo;
    const carries = minute.length > 0 || hour.length > 0 || minuteTo !== st.minuteTo || hourTo !== st.hourTo;
    appendToSeries(
      store,
      TIER_RAW,
      seriesFor(ctx, st.name, TIER_RAW),
      points,
      budget,
      carries ? { minute, hour, minuteTo, hourTo } : undefined,
    );
    if (carries) {
      let carriedFrom =
        st.carriedFrom === Infinity ? (minute.length > 0 ? (minute.t[0] as number) : minuteTo) : st.carriedFrom;
      if (minuteTo - carriedFrom >= CARRIED_SPAN_MS) {
        moveCarried(ctx, st);
        carriedFrom = minuteTo;
      }
      ctx.committed.push(() => {
        st.minuteTo = minuteTo;
        st.hourTo = hourTo;
        st.carriedFrom = carriedFrom;
      });
    }
    return true;
  }
  // No points to carry them (buckets rebuilt after a restart from points already in
  // blocks, in a file of an earlier version): written to the rollup series directly.
  if (!ctx.writeEverything && hour.length === 0 && minute.length < 120) return false;
  for (const [tier, rows] of [
    [TIER_MINUTE, minute],
    [TIER_HOUR, hour],
  ] as const) {
    if (rows.length === 0) continue;
    const s = seriesFor(ctx, st.name, tier);
    appendToSeries(store, tier, s, rows, budget);
    // Where the tier is written up to is read from its last block (series-store.ts).
    s.coveredTo = (rows.t[rows.length - 1] as number) + TIER_WIDTH_MS[tier];
  }
  return true;
}

/** A tag's carried buckets into its 1-minute and 1-hour series (one block write each). */
function moveCarried(ctx: WriteOutContext, st: TagState): void {
  const raw = seriesFor(ctx, st.name, TIER_RAW);
  const minuteSeries = seriesFor(ctx, st.name, TIER_MINUTE);
  const hourSeries = seriesFor(ctx, st.name, TIER_HOUR);
  const minute = new RollupRows();
  const hour = new RollupRows();
  for (const row of ctx.store.carriedInRange(
    raw.id,
    Math.min(minuteSeries.coveredTo, hourSeries.coveredTo),
    Infinity,
  )) {
    const carried = decodeCarried(row.data);
    appendBuckets(minute, carried.minute, minuteSeries.coveredTo);
    appendBuckets(hour, carried.hour, hourSeries.coveredTo);
  }
  for (const [tier, rows, s] of [
    [TIER_MINUTE, minute, minuteSeries],
    [TIER_HOUR, hour, hourSeries],
  ] as const) {
    if (rows.length === 0) continue;
    appendToSeries(ctx.store, tier, s, rows, ctx.budget);
    s.coveredTo = (rows.t[rows.length - 1] as number) + TIER_WIDTH_MS[tier];
  }
}
