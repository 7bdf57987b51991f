/**
 * Retention: each tier's blocks older than its retention are deleted in small
 * transactions (yielding between them), old gap records with the raw tier, then part of
 * the free space is given back (`incremental_vacuum`), keeping what the journal of recent
 * samples reuses (giving it back only to grow the file again would write it twice).
 *
 * The pass reads the series a page at a time and yields once a few milliseconds are
 * spent, also where nothing is deleted: at 10,000 tags (30,000 series) listing them with
 * how far each is written, and asking each for expired blocks, held the event loop for
 * hundreds of milliseconds every pass.
 */
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { SeriesStore } from './series-store.js';
import { TIER_HOUR, TIER_MINUTE, TIER_RAW, type Tier } from './rollups.js';
import type { RetentionOptions } from './historian-api.js';

const DAY = 86_400_000;
/** Work between yields, ms. */
const SLICE_MS = 5;
/** Series read at a time. */
const SERIES_PAGE = 500;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The open file, as long as it stays open (the pass stops when it closes). */
export interface RetentionTarget {
  readonly store: () => SeriesStore | null;
  readonly db: () => Database.Database | null;
  readonly closed: () => boolean;
}

/**
 * The raw tier's cutoff as the carried rollups allow it: a raw block goes only once every
 * bucket it carries is in its tag's rollup series (they are written there once a day).
 * With both rollup series (`rolledUpTo`: the smaller of how far they are written), every
 * block ending before that has had its buckets written out. Rollup series are created
 * when a tag's first day of carried buckets is written out, so a tag younger than that
 * (or a day of history imported at once) has raw blocks carrying buckets that are in no
 * rollup series yet: a tag lacking one keeps every block from the first one carrying
 * buckets before `cutoff` on (a tag with no numeric values carries none, and its raw
 * blocks go by age alone).
 */
function rawCutoffLimit(
  store: SeriesStore,
  rawSeriesId: number,
  rolledUpTo: number | undefined,
  cutoff: number,
): number {
  if (rolledUpTo !== undefined) return rolledUpTo;
  return store.firstCarriedBefore(rawSeriesId, cutoff) ?? Infinity;
}

export async function enforceRetention(
  target: RetentionTarget,
  retention: Required<RetentionOptions>,
  now: number,
  reservePages = 0,
): Promise<void> {
  const keep: Record<Tier, number | null> = { 0: retention.rawDays, 1: retention.minuteDays, 2: retention.hourDays };
  let sliceStart = performance.now();
  /** Yields once the slice's time is spent; the file, or null when it closed meanwhile. */
  const resume = async (): Promise<{ store: SeriesStore; db: Database.Database } | null> => {
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    const store = target.store();
    const db = target.db();
    return store && db && !target.closed() ? { store, db } : null;
  };
  // The series, and how far each tag's rollup series are written (before any of their
  // blocks go): raw blocks carry the buckets not in them yet.
  const series: Array<{ id: number; tag: string; tier: Tier }> = [];
  const covered = new Map<string, { minute?: number; hour?: number }>();
  for (let after = 0; ;) {
    const file = await resume();
    if (!file) return;
    const page = file.store.seriesPage(after, SERIES_PAGE);
    if (page.length === 0) break;
    for (const row of page) {
      series.push(row);
      if (row.tier === TIER_RAW) continue;
      const entry = covered.get(row.tag) ?? {};
      if (row.tier === TIER_MINUTE) entry.minute = file.store.coveredTo(row.id);
      if (row.tier === TIER_HOUR) entry.hour = file.store.coveredTo(row.id);
      covered.set(row.tag, entry);
    }
    after = (page[page.length - 1] as { id: number }).id;
  }
  const rolledUpTo = new Map<string, number>();
  for (const [tag, { minute, hour }] of covered)
    if (minute !== undefined && hour !== undefined) rolledUpTo.set(tag, Math.min(minute, hour));
  for (const row of series) {
    const days = keep[row.tier];
    if (days === null) continue;
    const file = await resume();
    if (!file) return;
    let cutoff = now - days * DAY;
    if (row.tier === TIER_RAW)
      cutoff = Math.min(cutoff, rawCutoffLimit(file.store, row.id, rolledUpTo.get(row.tag), cutoff));
    for (;;) {
      const store = target.store();
      const db = target.db();
      if (!store || !db || target.closed()) return;
      const ids = store.expired(row.id, cutoff, 200);
      if (ids.length === 0) break;
      db.transaction(() => ids.forEach((id) => store.deleteSegment(id)))();
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  const store = target.store();
  const db = target.db();
  if (store && db && !target.closed()) {
    store.deleteGapsBefore(now - retention.rawDays * DAY);
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const pages = Math.min(2000, free - reservePages);
    if (pages > 0) db.pragma(`incremental_vacuum(${pages})`);
  }
}
