/**
 * Reading the journal of recent samples back (at start-up, and for a read-only reader):
 * every row in order, each tag's points after the last one already in a block of its raw
 * series gathered into its `TagTail`.
 */
import type { SegmentRow, SeriesStore } from './series-store.js';
import { RecentRowDecoder, TagTail } from './recent-samples.js';
import { TIER_RAW } from './rollups.js';

export interface ReplayedJournal {
  /** Tag → its recent points not yet in a block. */
  readonly tails: Map<string, TagTail>;
  /** The id of the last journal row (0 when empty). */
  readonly lastRow: number;
}

export function replayJournal(store: SeriesStore, clock: () => number): ReplayedJournal {
  const tagOf = new Map<number, string>();
  const lastInBlocks = new Map<number, number>();
  for (const s of store.listSeries()) {
    if (s.tier !== TIER_RAW) continue;
    tagOf.set(s.id, s.tag);
    lastInBlocks.set(s.id, store.lastSegment(s.id)?.t_end ?? -Infinity);
  }
  const tails = new Map<string, TagTail>();
  const byId = new Map<number, TagTail>();
  const decoder = new RecentRowDecoder();
  let lastRow = 0;
  const at = clock();
  for (const row of store.recentRows()) {
    lastRow = row.id;
    decoder.decode(row.data, (id, t, v, q, r) => {
      if (t <= (lastInBlocks.get(id) ?? -Infinity)) return;
      let tail = byId.get(id);
      if (!tail) {
        const tag = tagOf.get(id);
        if (tag === undefined) throw Object.assign(new Error(`journal row ${row.id} refers to series ${id}, which does not exist`), { code: 'SQLITE_CORRUPT' });
        tail = new TagTail();
        byId.set(id, tail);
        tails.set(tag, tail);
      }
      if (tail.n > 0 && t <= tail.lastT) return;
      if (tail.n === 0) {
        tail.firstRow = row.id;
        tail.firstAt = at;
      }
      tail.push(t, v, q, r);
    });
  }
  return { tails, lastRow };
}

/** A tail as the segment row queries read after the blocks (id -1: not a row of the file). */
export function tailSegment(tail: TagTail | undefined): SegmentRow | null {
  if (!tail || tail.n === 0) return null;
  const data = tail.encode() as Uint8Array;
  return { id: -1, t_start: tail.t[0] as number, t_end: tail.lastT, n: tail.n, data };
}
