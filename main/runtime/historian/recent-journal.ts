/**
 * Reading the journal of recent samples back (at start-up, and for a read-only reader):
 * every row in order, each tag's points after the last one already in a block of its raw
 * series gathered into its `TagTail`.
 */
import type { SegmentRow, SeriesStore } from './series-store.js';
import { RecentRowDecoder, TagTail } from './recent-samples.js';
import { TIER_RAW } from './rollups.js';
import { readJournalFiles, type JournalFileInfo } from './journal-file.js';

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
        if (tag === undefined)
          throw Object.assign(new Error(`journal row ${row.id} refers to series ${id}, which does not exist`), {
            code: 'SQLITE_CORRUPT',
          });
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
  return { id: -1, t_start: tail.firstT, t_end: tail.lastT, n: tail.n, data };
}

/**
 * The journal files (journal-file.ts) read back into `tails`: each file decoded on its
 * own (a tag's first group in a file is absolute), points already in a block of the tag's
 * raw series skipped. Returns the last record number and what could not be read.
 */
export function replayJournalFiles(
  file: string,
  store: SeriesStore,
  clock: () => number,
  tails: Map<string, TagTail>,
): { lastRecord: number; files: JournalFileInfo[]; problems: string[] } {
  const lastInBlocks = new Map<string, number>();
  const blockEnd = (tag: string): number => {
    let t = lastInBlocks.get(tag);
    if (t === undefined) {
      const series = store.series(tag, TIER_RAW);
      t = series ? (store.lastSegment(series.id)?.t_end ?? -Infinity) : -Infinity;
      lastInBlocks.set(tag, t);
    }
    return t;
  };
  const at = clock();
  const files: JournalFileInfo[] = [];
  const problems: string[] = [];
  let lastRecord = 0;
  for (const { info, parsed } of readJournalFiles(file)) {
    files.push(info);
    if (parsed.problem) problems.push(`${info.path}: ${parsed.problem} (${parsed.badBytes} bytes not read)`);
    const names = new Map<number, string>();
    const decoder = new RecentRowDecoder();
    for (const record of parsed.records) {
      lastRecord = record.number;
      for (const [id, name] of record.names) names.set(id, name);
      try {
        decoder.decode(record.row, (id, t, v, q, r) => {
          const tag = names.get(id);
          if (tag === undefined)
            throw new RangeError(`journal record ${record.number} refers to tag ${id}, not defined in its file`);
          if (t <= blockEnd(tag)) return;
          let tail = tails.get(tag);
          if (!tail) {
            tail = new TagTail();
            tails.set(tag, tail);
          }
          if (tail.n > 0 && t <= tail.lastT) return;
          if (tail.n === 0) {
            tail.firstRow = record.number;
            tail.firstAt = at;
          }
          tail.push(t, v, q, r);
        });
      } catch (err) {
        problems.push(
          `${info.path}: record ${record.number} cannot be decoded: ${err instanceof Error ? err.message : String(err)}`,
        );
        break;
      }
    }
  }
  return { lastRecord, files, problems };
}
