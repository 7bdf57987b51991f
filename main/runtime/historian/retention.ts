/**
 * Retention: each tier's blocks older than its retention are deleted in small
 * transactions (yielding between them), old gap records with the raw tier, then part of
 * the free space is given back (`incremental_vacuum`), keeping what the journal of recent
 * samples reuses (giving it back only to grow the file again would write it twice).
 */
import type Database from 'better-sqlite3';
import type { SeriesRow, SeriesStore } from './series-store.js';
import { TIER_HOUR, TIER_MINUTE, TIER_RAW, type Tier } from './rollups.js';
import type { RetentionOptions } from './historian-api.js';

const DAY = 86_400_000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The open file, as long as it stays open (the pass stops when it closes). */
export interface RetentionTarget {
  readonly store: () => SeriesStore | null;
  readonly db: () => Database.Database | null;
  readonly closed: () => boolean;
}

/**
 * Per tag, how far both its rollup series are written (the smaller `covered_to`), or null
 * when it lacks one of them: rollup series are created when a tag's first day of carried
 * buckets is written out, so a tag younger than that (or a day of history imported at
 * once) has raw blocks carrying buckets that are in no rollup series yet.
 */
function rolledUpLimits(series: readonly SeriesRow[]): Map<string, number | null> {
  const tiers = new Map<string, { minute: number | null; hour: number | null }>();
  for (const row of series) {
    if (row.tier === TIER_RAW) continue;
    const entry = tiers.get(row.tag) ?? { minute: null, hour: null };
    if (row.tier === TIER_MINUTE) entry.minute = row.covered_to;
    if (row.tier === TIER_HOUR) entry.hour = row.covered_to;
    tiers.set(row.tag, entry);
  }
  const limits = new Map<string, number | null>();
  for (const [tag, { minute, hour }] of tiers)
    limits.set(tag, minute === null || hour === null ? null : Math.min(minute, hour));
  return limits;
}

/**
 * The raw tier's cutoff as the carried rollups allow it: a raw block goes only once every
 * bucket it carries is in its tag's rollup series (they are written there once a day).
 * With both rollup series, that is where they are written up to (every block ending
 * before it has had its buckets written out); a tag lacking one keeps every block from
 * the first one carrying buckets before `cutoff` on (a tag with no numeric values carries
 * none, and its raw blocks go by age alone).
 */
function rawCutoffLimit(
  store: SeriesStore,
  rawSeriesId: number,
  rolledUpTo: number | null | undefined,
  cutoff: number,
): number {
  if (typeof rolledUpTo === 'number') return rolledUpTo;
  return store.firstCarriedBefore(rawSeriesId, cutoff) ?? Infinity;
}

export async function enforceRetention(
  target: RetentionTarget,
  retention: Required<RetentionOptions>,
  now: number,
  reservePages = 0,
): Promise<void> {
  const keep: Record<Tier, number | null> = { 0: retention.rawDays, 1: retention.minuteDays, 2: retention.hourDays };
  const series = target.store()?.listSeries() ?? [];
  const rolledUpTo = rolledUpLimits(series);
  for (const row of series) {
    const days = keep[row.tier];
    if (days === null) continue;
    let cutoff = now - days * DAY;
    if (row.tier === TIER_RAW) {
      const store = target.store();
      if (!store) return;
      cutoff = Math.min(cutoff, rawCutoffLimit(store, row.id, rolledUpTo.get(row.tag), cutoff));
    }
    for (;;) {
      const store = target.store();
      const db = target.db();
      if (!store || !db || target.closed()) return;
      const ids = store.expired(row.id, cutoff, 200);
      if (ids.length === 0) break;
      db.transaction(() => ids.forEach((id) => store.deleteSegment(id)))();
      await yieldToEventLoop();
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
