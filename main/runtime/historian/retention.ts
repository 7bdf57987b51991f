/**
 * Retention: each tier's blocks older than its retention are deleted in small
 * transactions (yielding between them), old gap records with the raw tier, then part of
 * the free space is given back (`incremental_vacuum`), keeping what the journal of recent
 * samples reuses (giving it back only to grow the file again would write it twice).
 */
import type Database from 'better-sqlite3';
import type { SeriesStore } from './series-store.js';
import { TIER_RAW, type Tier } from './rollups.js';
import type { RetentionOptions } from './historian-api.js';

const DAY = 86_400_000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The open file, as long as it stays open (the pass stops when it closes). */
export interface RetentionTarget {
  readonly store: () => SeriesStore | null;
  readonly db: () => Database.Database | null;
  readonly closed: () => boolean;
}

export async function enforceRetention(
  target: RetentionTarget,
  retention: Required<RetentionOptions>,
  now: number,
  reservePages = 0,
): Promise<void> {
  const keep: Record<Tier, number | null> = { 0: retention.rawDays, 1: retention.minuteDays, 2: retention.hourDays };
  const series = target.store()?.listSeries() ?? [];
  // Raw blocks carry the rollup buckets of their tag that are not in its rollup series yet
  // (written there once a day): a raw block goes only once they are.
  const rolledUpTo = new Map<string, number>();
  for (const row of series) {
    if (row.tier === TIER_RAW) continue;
    rolledUpTo.set(row.tag, Math.min(rolledUpTo.get(row.tag) ?? Infinity, row.covered_to));
  }
  for (const row of series) {
    const days = keep[row.tier];
    if (days === null) continue;
    const cutoff = Math.min(now - days * DAY, row.tier === TIER_RAW ? (rolledUpTo.get(row.tag) ?? Infinity) : Infinity);
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
