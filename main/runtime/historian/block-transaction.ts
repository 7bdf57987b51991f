/**
 * One block-write transaction: when one is worth starting (enough tags due, or waiting
 * long enough), and which due tags it writes out (tag-writeout.ts) within its time budget,
 * with the pending gap records. Series rows and tag marks are staged in the returned
 * context and adopted by the caller once the transaction commits; on failure it is rolled
 * back and the error thrown (the tails stay: their points are in the journal).
 */
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { GapRecord, SeriesStore } from './series-store.js';
import type { SeriesState } from './series-writer.js';
import { writeTagOut, type WriteOutContext } from './tag-writeout.js';
import type { TagState } from './write-batch.js';

/** Block write-outs wait until this many tags are due, or the first has waited `blockWaitMs` (fewer, larger commits). */
const BLOCK_BATCH_TAGS = 64;
/** A block transaction writes at least this many due tags (about 5 ms of CPU), whatever the clock says. */
const BLOCK_MIN_TAGS = 16;
/**
 * A block transaction ends past this wall time whatever its tag count: tags that each
 * carry much (history imported in bulk, days of rollups to move) must not hold the event
 * loop for a second to reach BLOCK_MIN_TAGS.
 */
const BLOCK_MAX_MS = 40;

/** What decides whether block write-outs are worth a transaction now. */
export interface BlockWriteState {
  readonly backingUp: boolean;
  readonly pendingGaps: number;
  /** Closing: every tail and pending rollup is written, without waiting. */
  readonly writeEverything: boolean;
  readonly due: number;
  /** How long the first due tag has waited, ms. */
  readonly waitedMs: number;
  readonly blockWaitMs: number;
  readonly failing: boolean;
}

/** Whether block write-outs are worth a transaction now (enough tags due, or waiting long enough). */
export function blocksWanted(s: BlockWriteState): boolean {
  if (s.backingUp) return false;
  if (s.pendingGaps > 0 || s.writeEverything) return s.due > 0 || s.pendingGaps > 0;
  if (s.due === 0) return false;
  return s.due >= BLOCK_BATCH_TAGS || s.waitedMs >= s.blockWaitMs || s.failing;
}

export interface BlockTransaction {
  /** Staged series and tag marks, to adopt after the commit. */
  readonly ctx: WriteOutContext;
  /** The tags written out (their tails are in blocks now). */
  readonly writtenOut: Set<TagState>;
  /** The tags whose pending rollup buckets were written (carried or into their series). */
  readonly rollupsWritten: Set<TagState>;
}

/**
 * Write as many due tags as the time budget allows (at least BLOCK_MIN_TAGS unless a tag
 * takes BLOCK_MAX_MS) and the gap records, in one transaction; throws (rolled back) on failure.
 */
export function writeBlockTransaction(
  db: Database.Database,
  store: SeriesStore,
  series: ReadonlyMap<string, SeriesState>,
  due: Iterable<TagState>,
  gaps: readonly GapRecord[],
  options: { readonly sliceBudgetMs: number; readonly writeEverything: boolean; readonly now: () => number },
): BlockTransaction {
  const started = performance.now();
  const ctx: WriteOutContext = {
    store,
    series,
    staged: new Map(),
    budget: { until: started + options.sliceBudgetMs / 2 },
    committed: [],
    writeEverything: options.writeEverything,
  };
  const writtenOut = new Set<TagState>();
  const rollupsWritten = new Set<TagState>();
  db.exec('BEGIN');
  try {
    for (const st of due) {
      // At least BLOCK_MIN_TAGS a commit: on a machine shared with other work the time
      // budget (wall time) would pass while the process is off the core, shrinking
      // commits to a few tags that each write the same index, interior and header pages.
      const elapsed = performance.now() - started;
      if (writtenOut.size > 0 && elapsed > BLOCK_MAX_MS) break;
      if (writtenOut.size >= BLOCK_MIN_TAGS && elapsed > options.sliceBudgetMs) break;
      if (writeTagOut(ctx, st)) rollupsWritten.add(st);
      writtenOut.add(st);
    }
    const at = options.now();
    for (const g of gaps) store.insertGap(g, at);
    db.exec('COMMIT');
  } catch (err) {
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // the rollback failing too changes nothing for the caller: the tails are kept
    }
    throw err;
  }
  return { ctx, writtenOut, rollupsWritten };
}
