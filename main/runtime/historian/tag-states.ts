/**
 * The tags the writer knows, by name: each tag's state is made when it is first seen (or
 * at opening, for the tags of the file and of the journal read back), restored from the
 * file; samples offered to a tag go through its storage filter, and the points it stores
 * join a write batch with the rollup buckets they complete. No I/O of its own (a new
 * tag's restore reads the file).
 */
import type { DriverLogger, Sample, TagValue } from '../../../protocols/driver.js';
import type { SeriesStore } from './series-store.js';
import type { SeriesState } from './series-writer.js';
import { StorageFilter } from './storage-filter.js';
import type { StoragePolicy } from './storage-policy.js';
import { RollupAccumulator, RollupRows, TIER_HOUR, TIER_MINUTE, TIER_RAW, TIER_WIDTH_MS } from './rollups.js';
import { TagTail } from './recent-samples.js';
import { qualityIndex } from './sample-block.js';
import { restoreTag } from './tag-restore.js';
import { NO_PENDING, NO_ROWS, numericOf, phaseOf, type TagState, type WriteBatch } from './write-batch.js';

export interface TagStatesOptions {
  readonly policies: (tag: string) => StoragePolicy;
  readonly sealSpanMs: number;
  readonly log: DriverLogger;
  /** The open file and its series by `tag \u0000 tier` (no store: nothing to restore from). */
  readonly store: () => SeriesStore | null;
  readonly series: ReadonlyMap<string, SeriesState>;
}

export class TagStates {
  /** Every known tag's state, by name. */
  readonly byName = new Map<string, TagState>();
  /** Samples refused because they were not after their tag's previous one. */
  outOfOrder = 0;
  /** Tails read back from the journal at opening, until each tag's state is made. */
  replayed = new Map<string, TagTail>();
  /** Journal tag ids, given out in the order tags are first seen. */
  private nextJid = 1;

  constructor(private readonly options: TagStatesOptions) {}

  /** A tag's state, made (and restored from the file) when it is first seen. */
  get(name: string): TagState {
    const st = this.byName.get(name);
    if (st) return st;
    const state: TagState = {
      name,
      filter: new StorageFilter(this.options.policies(name)),
      minute: new RollupAccumulator(TIER_WIDTH_MS[TIER_MINUTE]),
      hour: new RollupAccumulator(TIER_WIDTH_MS[TIER_HOUR]),
      tail: this.replayed.get(name) ?? new TagTail(),
      phase: phaseOf(name, this.options.sealSpanMs),
      rawId: this.options.series.get(`${name}\u0000${TIER_RAW}`)?.id ?? 0,
      jid: this.nextJid++,
      journalSeq: 0,
      pendingMinute: NO_PENDING,
      pendingHour: NO_PENDING,
      minuteTo: 0,
      hourTo: 0,
      carriedFrom: Infinity,
      batch: null,
      part: null,
      sparePart: null,
      emit: (t, v, q, r) => keep(state.batch as WriteBatch, state, t, v, q, r),
    };
    this.byName.set(name, state);
    const store = this.options.store();
    if (store) restoreTag(store, this.options.series, state);
    return state;
  }

  /** A queued sample through its tag's storage filter; what it stores joins `batch`. */
  offer(batch: WriteBatch, s: Sample): void {
    const st = this.get(s.tag);
    if (st.batch !== batch) {
      st.batch = batch;
      st.part = null;
    }
    const outcome = st.filter.offer(s.sourceTime, s.value, qualityIndex(s.quality.code), s.quality.reason, st.emit);
    if (outcome === 'late') {
      this.outOfOrder++;
      this.options.log.warn(
        { tag: s.tag, sourceTime: s.sourceTime, previous: st.filter.lastTime },
        'sample not after the previous one for this tag; not stored',
      );
    }
  }
}

/** A point the filter stores: into the tag's part of the batch, and through its rollups. */
function keep(batch: WriteBatch, st: TagState, t: number, v: TagValue, q: number, r: string | undefined): void {
  const part = (st.part ??= batch.partFor(st));
  part.raw.push(t, v, q, r);
  batch.stored++;
  const x = numericOf(v);
  if (x !== null) {
    // Rows for completed buckets are made only when a bucket completes.
    const { minute, hour } = st;
    minute.add(
      t,
      x,
      q === 0,
      minute.count > 0 && t >= minute.start + minute.widthMs ? (part.minute ??= new RollupRows()) : NO_ROWS,
    );
    hour.add(
      t,
      x,
      q === 0,
      hour.count > 0 && t >= hour.start + hour.widthMs ? (part.hour ??= new RollupRows()) : NO_ROWS,
    );
  }
}
