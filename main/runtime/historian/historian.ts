/**
 * The historian: samples from the tag bus in, compressed history in one SQLite file
 * out. `ingest` only queues (cheap, never blocks); a flush every `flushIntervalMs`
 * drains the queue in slices of a few milliseconds each — filter by storage policy,
 * maintain rollups — yielding to the event loop between slices, then appends the
 * flush's stored samples as one compact record to the journal files (journal-file.ts:
 * written once, outside SQLite). Each tag keeps its recent samples in memory as well
 * (encoded) and writes them as a block of its series once they span its window
 * (`sealSpanMs`, staggered per tag); due tags are written together in time-sliced
 * transactions, and a journal file is deleted once every sample in it is in a block and a
 * checkpoint has synced it.
 *
 * When the journal append fails (disk full, I/O error) the batch is kept and retried at
 * the next flush; when a block write fails (also: file locked) the tails stay in the
 * journal and are written later. Samples keep queueing up to `maxBufferedSamples`, beyond
 * which whole ingest calls are dropped and recorded as gaps (tag, span, count, reason).
 * Opening never throws: a damaged file is moved aside; if no file can be opened at all,
 * the historian reports itself unavailable, keeps buffering, and retries.
 */
import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DriverLogger, Sample, TagValue } from '../../../protocols/driver.js';
import { silentLogger } from '../../../protocols/driver.js';
import {
  DAMAGE_MARKER_SUFFIX,
  describeError,
  isBusy,
  moveAside,
  openChecked,
  openWithRecovery,
  sqliteCode,
  type OpenedDatabase,
  type Synchronous,
} from './historian-db.js';
import {
  HistoryUnavailableError,
  type BackupResult,
  type Historian,
  type HistorianOptions,
  type HistorianStatus,
  type RetentionOptions,
} from './historian-api.js';
import { describeStatus } from './historian-status.js';
import { enforceRetention } from './retention.js';
import { SeriesStore, type GapRecord } from './series-store.js';
import { StorageFilter } from './storage-filter.js';
import { STORE_EVERYTHING, type StoragePolicy } from './storage-policy.js';
import { RollupAccumulator, RollupRows, TIER_HOUR, TIER_MINUTE, TIER_RAW, TIER_WIDTH_MS } from './rollups.js';
import type { SeriesState } from './series-writer.js';
import { TagTail, encodeRecentRow, type RecentGroup } from './recent-samples.js';
import { replayJournal, replayJournalFiles, tailSegment } from './recent-journal.js';
import { JournalWriter, listJournalFiles, takeJournalLock } from './journal-file.js';
import { JournalRows } from './journal-rows.js';
import { NO_ROWS, WriteBatch, appendRollups, journalGroups, numericOf, phaseOf, type TagState } from './write-batch.js';
import { copyTailsInto } from './historian-backup.js';
import { qualityIndex } from './sample-block.js';
import { IngestQueue, DropEpisode } from './ingest-queue.js';
import { restoreTag } from './tag-restore.js';
import { windowClosed, writeTagOut, type WriteOutContext } from './tag-writeout.js';
import {
  queryRaw as queryRawFrom,
  queryTrend as queryTrendFrom,
  type RawColumns,
  type TrendResult,
} from './history-query.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { exportCsv as exportCsvFrom, type ExportOptions, type ExportResult } from './csv-export.js';

export { HistoryUnavailableError } from './historian-api.js';
export type {
  BackupResult,
  Historian,
  HistorianLevel,
  HistorianOptions,
  HistorianStatus,
  RetentionOptions,
} from './historian-api.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The code of a failure to read or write the journal files while opening (not damage of the database). */
const JOURNAL_IO = 'HISTORY_JOURNAL_IO';

/** A journal step of opening: its I/O failures are told apart from damage of the database file. */
function journalStep<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (isBusy(err)) throw err;
    throw Object.assign(new Error(`history journal: ${describeError(err)}`, { cause: err }), { code: JOURNAL_IO });
  }
}
/** A journal file is closed and a new one started beyond this size. */
const JOURNAL_FILE_BYTES = 8 * 1024 * 1024;
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

class HistorianImpl implements Historian {
  private db: Database.Database | null = null;
  private store: SeriesStore | null = null;
  private checkpointer: Checkpointer | null = null;
  private recovered: HistorianStatus['recovered'] = null;
  /** Damage found by the background check of a big file. */
  private damage: string | null = null;
  private readonly queue = new IngestQueue();
  private retryBatch: WriteBatch | null = null;
  /** The batch being prepared (its samples left the queue but are not written yet). */
  private building: WriteBatch | null = null;
  private readonly tags = new Map<string, TagState>();
  private readonly series = new Map<string, SeriesState>();
  private episode: DropEpisode | null = null;
  private pendingGaps: GapRecord[] = [];
  private storedSamples = 0;
  private droppedSamples = 0;
  private gapsRecorded = 0;
  private outOfOrder = 0;
  private lastWriteAt: number | null = null;
  private slowestWriteMs = 0;
  private get lastError(): string | null {
    return this.journalError ?? this.blockError;
  }
  private openError: string | null = null;
  private draining: Promise<void> | null = null;
  private flushSoon: NodeJS.Immediate | null = null;
  /** Queued samples that start a flush before the next tick. */
  private readonly flushAtSamples = 20_000;
  private sliceSamples = 2_000;
  private closed = false;
  private readonly listeners = new Set<(s: HistorianStatus) => void>();
  private lastReported = '';
  private readonly timers: NodeJS.Timeout[] = [];
  private retentionRunning = false;
  /** Tags whose recent points are to be written as blocks at the next block write. */
  private readonly due = new Set<TagState>();
  /** Backups running (block write-outs wait meanwhile). */
  private backingUp = 0;
  /** When `due` last became non-empty (performance.now()). */
  private dueSince = 0;
  /** The journal files (null while no file is open) and the lock that makes this process their only writer. */
  private journal: JournalWriter | null = null;
  private unlockJournal: (() => void) | null = null;
  /** Journal tag ids, given out in the order tags are first seen. */
  private nextJid = 1;
  /** Points in every tail (in memory and in the journal, not yet in blocks), and when block writes began to fail. */
  private tailPoints = 0;
  private tailPointsAtFailure = 0;
  /** The last failure of a journal append and of a block write (status shows the first of them). */
  private journalError: string | null = null;
  private blockError: string | null = null;
  /** The number of the last journal record. */
  private lastRow = 0;
  /** The newest source time written to the journal. */
  private newestT = -Infinity;
  private lastQuietCheck = 0;
  /** Tails read back from the journal at opening, until each tag's state is made. */
  private replayed = new Map<string, TagTail>();
  /** The first journal record of every tail holding points (the floor of the journal files still needed). */
  private readonly journalRows = new JournalRows();
  /** While closing: every tail and pending rollup is written, without a time budget. */
  private writeEverything = false;

  private readonly file: string;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly policies: (tag: string) => StoragePolicy;
  private readonly maxBuffered: number;
  private readonly synchronous: Synchronous;
  private readonly sliceBudgetMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly startupCheckMaxBytes: number | undefined;
  private readonly retention: Required<RetentionOptions>;
  private readonly sealSpanMs: number;
  private readonly maxWalBytes: number;
  private readonly blockWaitMs: number;
  private readonly journalFileBytes: number;

  constructor(options: HistorianOptions) {
    this.file = options.file;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.policies = options.policies ?? (() => STORE_EVERYTHING);
    this.maxBuffered = options.maxBufferedSamples ?? 500_000;
    this.synchronous = options.synchronous ?? 'NORMAL';
    this.sliceBudgetMs = options.sliceBudgetMs ?? 5;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 1000;
    this.startupCheckMaxBytes = options.startupCheckMaxBytes;
    this.sealSpanMs = options.sealSpanMs ?? 3_600_000;
    this.maxWalBytes = options.maxWalBytes ?? 16 * 1024 * 1024;
    this.blockWaitMs = options.blockWaitMs ?? 5_000;
    this.journalFileBytes = options.journalFileBytes ?? JOURNAL_FILE_BYTES;
    this.retention = {
      rawDays: options.retention?.rawDays ?? 90,
      minuteDays: options.retention?.minuteDays ?? 730,
      hourDays: options.retention?.hourDays === undefined ? null : options.retention.hourDays,
    };
    this.tryOpen();
    const flushTimer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    const retentionTimer = setInterval(() => void this.enforceRetention(), options.retentionIntervalMs ?? 600_000);
    const firstRetention = setTimeout(
      () => void this.enforceRetention(),
      Math.min(30_000, options.retentionIntervalMs ?? 30_000),
    );
    const reopenTimer = setInterval(() => {
      if (!this.db && !this.closed) this.tryOpen();
    }, options.reopenIntervalMs ?? 30_000);
    for (const t of [flushTimer, retentionTimer, firstRetention, reopenTimer]) {
      t.unref();
      this.timers.push(t);
    }
  }

  // ---------------------------------------------------------------- opening

  private tryOpen(): void {
    try {
      this.adopt(openWithRecovery(this.file, this.synchronous, this.now, this.startupCheckMaxBytes));
    } catch (firstError) {
      let err = firstError;
      // Damage can also show only when the series are read back (restoring the tags): that
      // file is moved aside too, and a fresh one started. (Not when the journal files could
      // not be read or written — a full disk, an I/O error: the file is fine, opening is
      // retried.)
      if (this.db && !isBusy(err) && sqliteCode(err) !== JOURNAL_IO) {
        this.dropConnection();
        try {
          const problem = describeError(err);
          const movedTo = moveAside(this.file, this.now());
          this.adopt({
            ...openChecked(this.file, this.synchronous, this.now, this.startupCheckMaxBytes),
            recovered: { problem, movedTo },
          });
          this.reportStatus();
          return;
        } catch (again) {
          err = again;
        }
      }
      this.dropConnection();
      this.openError = describeError(err);
      this.log.error(
        { file: this.file, err },
        'history file cannot be opened; history unavailable, live values continue',
      );
    }
    this.reportStatus();
  }

  private dropConnection(): void {
    void this.checkpointer?.close();
    this.checkpointer = null;
    this.journal?.close();
    this.journal = null;
    this.unlockJournal?.();
    this.unlockJournal = null;
    try {
      this.db?.close();
    } catch {
      // unusable already
    }
    this.db = null;
    this.store = null;
  }

  private adopt(opened: OpenedDatabase): void {
    this.db = opened.db;
    this.store = new SeriesStore(opened.db);
    if (opened.recovered) {
      this.recovered = opened.recovered;
      this.log.error(
        { file: this.file, movedTo: opened.recovered.movedTo, problem: opened.recovered.problem },
        'history file could not be used; moved aside and started a new one',
      );
    }
    this.tags.clear();
    this.series.clear();
    for (const s of this.store.listSeries())
      this.series.set(`${s.tag}\u0000${s.tier}`, {
        id: s.id,
        unsealedCount: 0,
        firstUnsealedT: 0,
        coveredTo: s.covered_to,
      });
    const byId = new Map([...this.series.values()].map((s) => [s.id, s]));
    for (const u of this.store.unsealedStats()) {
      const s = byId.get(u.series_id);
      if (s) {
        s.unsealedCount = u.n;
        s.firstUnsealedT = u.first;
      }
    }
    // The journal: each tag's recent points not yet in a block, back into memory — from the
    // journal table of files written by an earlier version, then from the journal files.
    this.unlockJournal = journalStep(() => takeJournalLock(this.file));
    const table = replayJournal(this.store, this.now);
    this.replayed = table.tails;
    const files = journalStep(() => replayJournalFiles(this.file, this.store as SeriesStore, this.now, this.replayed));
    for (const problem of files.problems)
      this.log.error({ file: this.file, problem }, 'history journal: samples after this point could not be read back');
    this.lastRow = files.lastRecord;
    const nextSeq = Math.max(0, ...listJournalFiles(this.file).map((f) => f.seq)) + 1;
    this.journal = new JournalWriter(this.file, nextSeq, files.files, this.journalFileBytes);
    this.due.clear();
    this.tailPoints = 0;
    this.journalError = null;
    this.blockError = null;
    this.store.recent = (tag) => tailSegment(this.tags.get(tag)?.tail ?? this.replayed.get(tag));
    // Restore every known tag now (start-up) rather than inside a write slice later.
    for (const s of this.store.listSeries()) if (s.tier === TIER_RAW) this.tagState(s.tag);
    for (const tag of this.replayed.keys()) this.tagState(tag);
    this.replayed = new Map();
    if (table.lastRow > 0) journalStep(() => this.moveTableJournal());
    this.journalRows.reset([...this.tags.values()].filter((st) => st.tail.n > 0).map((st) => st.tail.firstRow));
    this.checkpointer = startCheckpointer(opened.db, this.file, this.checkpointIntervalMs, this.log);
    if (opened.check === 'deferred') void this.checkInBackground(this.checkpointer);
    this.openError = null;
    this.log.info({ file: this.file, check: opened.check, tags: this.tags.size }, 'history file open');
  }

  /** For files too big to check at start-up: quick_check on the worker, a marker if damaged. */
  private async checkInBackground(checkpointer: Checkpointer): Promise<void> {
    const problems = await checkpointer.check();
    if (!problems || problems.length === 0) return;
    const summary = problems.slice(0, 3).join('; ').replace(/\s+/g, ' ').slice(0, 500);
    this.damage = summary;
    try {
      writeFileSync(this.file + DAMAGE_MARKER_SUFFIX, summary);
    } catch (err) {
      this.log.warn({ file: this.file, err }, 'could not leave the damage marker next to the history file');
    }
    this.log.error({ file: this.file, problems }, 'history file is damaged; it will be moved aside at the next start');
    this.reportStatus();
  }

  // ---------------------------------------------------------------- ingest

  ingest(samples: readonly Sample[]): void {
    if (this.closed || samples.length === 0) return;
    const buffered = this.buffered();
    if (buffered + samples.length > this.maxBuffered) {
      this.drop(samples);
      return;
    }
    if (this.episode) this.closeEpisode();
    this.queue.push(samples);
    // A burst does not wait for the next tick: start writing once a slice's worth is waiting.
    if (this.queue.queued >= this.flushAtSamples && !this.draining && !this.flushSoon && this.db && !this.retryBatch) {
      this.flushSoon = setImmediate(() => {
        this.flushSoon = null;
        void this.flush();
      });
    }
  }

  private drop(samples: readonly Sample[]): void {
    if (!this.episode) {
      const reason = `history buffer full (${this.maxBuffered} samples) while ${this.lastError ?? this.openError ?? 'the writer was behind'}`;
      this.episode = new DropEpisode(reason);
      this.log.error({ file: this.file, reason }, 'history buffer overflow: dropping samples and recording the gap');
    }
    this.gapsRecorded += this.episode.add(samples);
    this.droppedSamples += samples.length;
    this.reportStatus();
  }

  private closeEpisode(): void {
    const episode = this.episode;
    if (!episode) return;
    this.episode = null;
    this.pendingGaps.push(...episode.gaps());
  }

  // ---------------------------------------------------------------- batches

  private tagState(name: string): TagState {
    let st = this.tags.get(name);
    if (st) return st;
    const state: TagState = {
      name,
      filter: new StorageFilter(this.policies(name)),
      minute: new RollupAccumulator(TIER_WIDTH_MS[TIER_MINUTE]),
      hour: new RollupAccumulator(TIER_WIDTH_MS[TIER_HOUR]),
      tail: this.replayed.get(name) ?? new TagTail(),
      phase: phaseOf(name, this.sealSpanMs),
      rawId: this.series.get(`${name}\u0000${TIER_RAW}`)?.id ?? 0,
      jid: this.nextJid++,
      journalSeq: 0,
      pendingMinute: new RollupRows(),
      pendingHour: new RollupRows(),
      minuteTo: 0,
      hourTo: 0,
      carriedFrom: Infinity,
      batch: null,
      part: null,
      sparePart: null,
      emit: (t, v, q, r) => this.keep(state.batch as WriteBatch, state, t, v, q, r),
    };
    st = state;
    this.tags.set(name, st);
    this.tailPoints += st.tail.n;
    if (this.store) restoreTag(this.store, this.series, st);
    return st;
  }

  /** Take up to `maxSamples` queued samples into `batch` (storage filter, rollups); returns how many. */
  private fillBatch(batch: WriteBatch, maxSamples: number): number {
    const taken = this.queue.take(maxSamples, (s: Sample) => this.offer(batch, s));
    batch.samples += taken;
    return taken;
  }

  private offer(batch: WriteBatch, s: Sample): void {
    const st = this.tagState(s.tag);
    if (st.batch !== batch) {
      st.batch = batch;
      st.part = null;
    }
    const outcome = st.filter.offer(s.sourceTime, s.value, qualityIndex(s.quality.code), s.quality.reason, st.emit);
    if (outcome === 'late') {
      this.outOfOrder++;
      this.log.warn(
        { tag: s.tag, sourceTime: s.sourceTime, previous: st.filter.lastTime },
        'sample not after the previous one for this tag; not stored',
      );
    }
  }

  private keep(batch: WriteBatch, st: TagState, t: number, v: TagValue, q: number, r: string | undefined): void {
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

  // ---------------------------------------------------------------- writing

  /**
   * Append the batch's stored points to the journal (one record); true when written. On
   * failure (disk full, I/O error) nothing changes and the batch is kept for the retry.
   * Once written, the points join their tags' tails (acknowledged: they survive a crash),
   * and tags whose window closed are due for a block write.
   */
  private write(batch: WriteBatch): boolean {
    const journal = this.journal;
    if (!journal || !this.db) return false;
    const seq = journal.currentSeq;
    const { groups, names } = journalGroups(batch, seq);
    const number = this.lastRow + 1;
    if (groups.length > 0) {
      try {
        journal.append({ number, names, row: encodeRecentRow(groups) });
      } catch (err) {
        const described = describeError(err);
        if (described !== this.journalError)
          this.log.error(
            { file: this.file, err, buffered: this.buffered() },
            'history journal write failed; keeping the batch for the retry',
          );
        this.journalError = described;
        this.reportStatus();
        return false;
      }
      this.lastRow = number;
    }
    const at = this.now();
    for (const part of batch.parts) {
      const st = part.st;
      const raw = part.raw;
      if (raw.length > 0) {
        st.journalSeq = seq;
        const tail = st.tail;
        if (tail.n === 0) {
          tail.firstRow = number;
          tail.firstAt = at;
          this.journalRows.hold(number);
        }
        for (let i = 0; i < raw.length; i++)
          tail.push(raw.t[i] as number, raw.v[i] as TagValue, raw.q[i] as number, raw.r[i]);
        this.tailPoints += raw.length;
        // (A point stamped in the future, a device with a wrong clock, does not count.)
        if (tail.lastT > this.newestT && tail.lastT <= at + 60_000) this.newestT = tail.lastT;
        if (!this.due.has(st) && windowClosed(st, this.sealSpanMs)) this.markDue(st);
      }
      if (part.minute) appendRollups(st.pendingMinute, part.minute);
      if (part.hour) appendRollups(st.pendingHour, part.hour);
    }
    batch.recycle();
    this.storedSamples += batch.stored;
    this.lastWriteAt = this.now();
    if (this.journalError !== null) {
      this.journalError = null;
      if (this.blockError === null) this.log.info({ file: this.file }, 'history writes succeed again; catching up');
    }
    this.reportStatus();
    return true;
  }

  private markDue(st: TagState): void {
    if (this.due.size === 0) this.dueSince = performance.now();
    this.due.add(st);
  }

  /** Whether block write-outs are worth a transaction now (enough tags due, or waiting long enough). */
  private blocksWanted(): boolean {
    if (this.backingUp > 0) return false;
    if (this.pendingGaps.length > 0 || this.writeEverything) return this.due.size > 0 || this.pendingGaps.length > 0;
    if (this.due.size === 0) return false;
    return (
      this.due.size >= BLOCK_BATCH_TAGS ||
      performance.now() - this.dueSince >= this.blockWaitMs ||
      this.blockError !== null
    );
  }

  /**
   * One transaction of block write-outs (as many due tags as the time budget allows; the
   * rest at the next one) and the pending gap records; true when committed. On failure
   * the tails stay (they are in the journal) and are written at a later try.
   */
  private writeBlocks(): boolean {
    const db = this.db;
    const store = this.store;
    if (!db || !store) return false;
    const gaps = this.pendingGaps;
    const started = performance.now();
    const ctx: WriteOutContext = {
      store,
      series: this.series,
      staged: new Map(),
      budget: { until: started + this.sliceBudgetMs / 2 },
      committed: [],
      writeEverything: this.writeEverything,
    };
    const writtenOut = new Set<TagState>();
    const rollupsWritten = new Set<TagState>();
    try {
      db.exec('BEGIN');
      try {
        for (const st of this.due) {
          // At least BLOCK_MIN_TAGS a commit: on a machine shared with other work the time
          // budget (wall time) would pass while the process is off the core, shrinking
          // commits to a few tags that each write the same index, interior and header pages.
          const elapsed = performance.now() - started;
          if (writtenOut.size > 0 && elapsed > BLOCK_MAX_MS) break;
          if (writtenOut.size >= BLOCK_MIN_TAGS && elapsed > this.sliceBudgetMs) break;
          if (writeTagOut(ctx, st)) rollupsWritten.add(st);
          writtenOut.add(st);
        }
        const at = this.now();
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
    } catch (err) {
      const described = describeError(err);
      if (described !== this.blockError)
        this.log.error(
          { file: this.file, err, tails: this.tailPoints },
          'history block write failed; the samples stay in the journal for the retry',
        );
      if (this.blockError === null) this.tailPointsAtFailure = this.tailPoints;
      this.blockError = described;
      this.reportStatus();
      return false;
    }
    for (const [key, st] of ctx.staged) this.series.set(key, st);
    for (const adopt of ctx.committed) adopt();
    for (const st of writtenOut) {
      if (!st.rawId) st.rawId = this.series.get(`${st.name}\u0000${TIER_RAW}`)?.id ?? 0;
      this.tailPoints -= st.tail.n;
      if (st.tail.n > 0) this.journalRows.drop(st.tail.firstRow);
      st.tail.clear();
      this.due.delete(st);
    }
    if (this.due.size > 0) this.dueSince = performance.now();
    for (const st of rollupsWritten) {
      st.pendingMinute = new RollupRows();
      st.pendingHour = new RollupRows();
    }
    this.pendingGaps = this.pendingGaps.slice(gaps.length);
    // Journal files holding only points now in blocks go once a checkpoint made the blocks durable.
    this.journal?.release(this.journalFloor(), (this.checkpointer?.requested() ?? 0) + 1);
    if (this.blockError !== null) {
      this.blockError = null;
      if (this.journalError === null) this.log.info({ file: this.file }, 'history writes succeed again; catching up');
    }
    this.reportStatus();
    return true;
  }

  /** The first journal record some tag still needs (every record before it is in blocks). */
  private journalFloor(): number {
    return this.journalRows.oldest(this.lastRow + 1);
  }

  /** After opening a file of an earlier version: its journal table's points go to a journal file, the table is emptied. */
  private moveTableJournal(): void {
    const journal = this.journal;
    const db = this.db;
    if (!journal || !db) return;
    const groups: RecentGroup[] = [];
    const names: Array<[number, string]> = [];
    for (const st of this.tags.values()) {
      const tail = st.tail;
      if (tail.n === 0) continue;
      const c = tail.columns();
      names.push([st.jid, st.name]);
      groups.push({ id: st.jid, t: c.t, v: c.v, q: c.q, r: c.r, count: tail.n, previous: null });
    }
    const number = this.lastRow + 1;
    if (groups.length > 0) {
      journal.append({ number, names, row: encodeRecentRow(groups) });
      this.lastRow = number;
      const seq = journal.currentSeq;
      for (const st of this.tags.values()) {
        if (st.tail.n === 0) continue;
        st.tail.firstRow = number;
        st.journalSeq = seq;
      }
    }
    db.exec('DELETE FROM recent');
  }

  /**
   * Tags whose recent points are old by the clock (the tag went quiet) or by the source
   * time of the newest points written (catching up: the plant's time moves faster than the
   * clock): written at the next writes, so that no tail holds the journal files back.
   */
  private markQuietTails(): void {
    const now = this.now();
    if (now - this.lastQuietCheck < 1000) return;
    this.lastQuietCheck = now;
    for (const st of this.tags.values()) {
      const tail = st.tail;
      if (tail.n === 0 || this.due.has(st)) continue;
      if (now - tail.firstAt > 2 * this.sealSpanMs || this.newestT - tail.firstT > 2 * this.sealSpanMs)
        this.markDue(st);
    }
  }

  /** Back-pressure: while the WAL is over its limit, wait for checkpoints (a bounded number of times). */
  private async waitForWal(): Promise<void> {
    for (let tries = 0; tries < 20; tries++) {
      const checkpointer = this.checkpointer;
      if (!checkpointer) return;
      let size: number;
      try {
        size = statSync(`${this.file}-wal`).size;
      } catch {
        return;
      }
      if (size <= this.maxWalBytes) return;
      const complete = await checkpointer.checkpointNow();
      if (complete === null) return;
      if (complete) return; // the next commit starts the WAL over (and truncates it)
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private buffered(): number {
    return this.queue.queued + (this.retryBatch?.samples ?? 0) + (this.building?.samples ?? 0);
  }

  flush(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    this.markQuietTails();
    for (;;) {
      if (!this.db) return;
      await this.waitForWal();
      if (!this.db) return;
      this.journal?.deleteReleased(this.checkpointer?.durableThrough() ?? Infinity);
      let progressed = false;
      if (this.retryBatch) {
        if (!this.write(this.retryBatch)) return;
        this.retryBatch = null;
        progressed = true;
      } else if (
        this.queue.queued > 0 &&
        !(this.blockError !== null && this.tailPoints - this.tailPointsAtFailure >= this.maxBuffered)
      ) {
        // While blocks cannot be written, the tails (memory and journal) grow only up to the
        // buffer's bound; beyond it samples wait in the queue, and overflow becomes gaps.
        // One slice: a slice's worth of samples through the storage filter and rollups, and
        // appended as one journal record (a flush of 10,000 tags is a few records, each
        // slice a few milliseconds).
        const batch = new WriteBatch();
        this.building = batch;
        const started = performance.now();
        const taken = this.fillBatch(batch, this.sliceSamples);
        this.building = null;
        if (!this.write(batch)) {
          this.retryBatch = batch;
          return;
        }
        this.sliceTook(taken, performance.now() - started);
        progressed = true;
      }
      if (this.blocksWanted()) {
        await yieldToEventLoop();
        if (!this.db) return;
        const started = performance.now();
        const ok = this.writeBlocks();
        this.sliceTook(0, performance.now() - started);
        if (!ok && !progressed) return;
        progressed = true;
      }
      if (!progressed) return;
      await yieldToEventLoop();
    }
  }

  /** Aim each preparing slice at the budget, moving gently so one slow slice does not swing it. */
  private sliceTook(samples: number, elapsed: number): void {
    if (elapsed > this.slowestWriteMs) this.slowestWriteMs = Math.round(elapsed * 10) / 10;
    if (samples === 0 || elapsed <= 0) return;
    // Grow only after full slices; shrink after any slice over the budget.
    if (samples === this.sliceSamples || elapsed > this.sliceBudgetMs) {
      const target = (this.sliceSamples * this.sliceBudgetMs) / elapsed;
      this.sliceSamples = Math.round(Math.min(16_000, Math.max(500, this.sliceSamples * 0.7 + target * 0.3)));
    }
  }

  // ---------------------------------------------------------------- retention

  private async enforceRetention(): Promise<void> {
    if (this.retentionRunning || !this.store || this.closed) return;
    this.retentionRunning = true;
    try {
      // Free pages up to twice the journal's size are kept: the journal reuses them.
      await enforceRetention(
        { store: () => this.store, db: () => this.db, closed: () => this.closed },
        this.retention,
        this.now(),
      );
    } catch (err) {
      this.log.warn({ file: this.file, err }, 'history retention pass failed; will try again');
    } finally {
      this.retentionRunning = false;
    }
  }

  // ---------------------------------------------------------------- queries

  private requireStore(): SeriesStore {
    if (!this.store)
      throw new HistoryUnavailableError(`history is unavailable: ${this.openError ?? 'the history file is closed'}`);
    return this.store;
  }

  queryRaw(tag: string, from: number, to: number, limit?: number): RawColumns {
    return queryRawFrom(this.requireStore(), tag, from, to, limit);
  }

  queryTrend(tag: string, from: number, to: number, buckets: number): TrendResult {
    return queryTrendFrom(this.requireStore(), tag, from, to, buckets);
  }

  exportCsv(options: ExportOptions): Promise<ExportResult> {
    return exportCsvFrom(this.requireStore(), options);
  }

  async backup(toFile: string, onProgress?: (fraction: number) => void): Promise<BackupResult> {
    const db = this.db;
    if (!db)
      throw new HistoryUnavailableError(`history is unavailable: ${this.openError ?? 'the history file is closed'}`);
    const started = performance.now();
    // No block write-outs meanwhile: what is not in the copied blocks is in the tails copied after.
    this.backingUp++;
    try {
      await db.backup(toFile, {
        progress: ({ totalPages, remainingPages }) => {
          onProgress?.(totalPages > 0 ? (totalPages - remainingPages) / totalPages : 1);
          return 200;
        },
      });
      copyTailsInto(toFile, this.tags.values(), this.now());
    } finally {
      this.backingUp--;
    }
    return { file: toFile, bytes: statSync(toFile).size, durationMs: Math.round(performance.now() - started) };
  }

  // ---------------------------------------------------------------- status

  status(): HistorianStatus {
    return describeStatus({
      file: this.file,
      open: this.db !== null,
      openError: this.openError,
      lastError: this.lastError,
      dropping: this.episode !== null,
      damage: this.damage,
      recovered: this.recovered,
      buffered: this.buffered(),
      maxBuffered: this.maxBuffered,
      storedSamples: this.storedSamples,
      droppedSamples: this.droppedSamples,
      gapsRecorded: this.gapsRecorded,
      outOfOrderSamples: this.outOfOrder,
      lastWriteAt: this.lastWriteAt,
      slowestWriteMs: this.slowestWriteMs,
    });
  }

  onStatus(listener: (status: HistorianStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private reportStatus(): void {
    if (this.listeners.size === 0) return;
    const s = this.status();
    const key = `${s.level}|${s.message.replace(/\d+ samples buffered/, '')}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    for (const l of this.listeners) l(s);
  }

  // ---------------------------------------------------------------- closing

  async close(): Promise<void> {
    if (this.closed) return;
    for (const t of this.timers) clearInterval(t);
    if (this.flushSoon) clearImmediate(this.flushSoon);
    this.flushSoon = null;
    await this.flush();
    this.closed = true;
    if (this.episode) this.closeEpisode();
    if (this.db && !this.retryBatch && this.queue.queued === 0) {
      // Held swinging-door points, so each line reaches its last value.
      const batch = new WriteBatch();
      for (const st of this.tags.values()) {
        st.batch = batch;
        st.part = null;
        st.filter.flushPending(st.emit);
      }
      if (this.write(batch)) {
        // Every tag's recent points and completed rollup buckets as blocks (in slices): the
        // closed file holds everything without its journal.
        this.writeEverything = true;
        for (const st of this.tags.values())
          if (st.tail.n > 0 || st.pendingMinute.length > 0 || st.pendingHour.length > 0) this.markDue(st);
        await this.flush();
        // Free pages (a journal table moved out of a file of an earlier version): give them back.
        if (this.due.size === 0 && this.lastError === null) {
          try {
            this.db?.pragma('incremental_vacuum');
          } catch (err) {
            this.log.warn({ file: this.file, err }, 'could not give the free pages of the history file back');
          }
        }
      }
    }
    const lost = this.buffered();
    if (lost > 0)
      this.log.error(
        { file: this.file, samples: lost, error: this.lastError },
        'history closed with samples that could not be written',
      );
    while (this.draining) await this.draining;
    await this.checkpointer?.close();
    this.checkpointer = null;
    let closedCleanly = false;
    try {
      this.db?.close();
      closedCleanly = this.db !== null;
    } catch (err) {
      this.log.warn({ file: this.file, err }, 'closing the history file failed');
    }
    // Closed with every point in blocks (and the file synced by the last checkpoint on
    // close): the journal is not needed any more. Otherwise it stays for the next opening.
    if (
      closedCleanly &&
      this.tailPoints === 0 &&
      this.due.size === 0 &&
      this.lastError === null &&
      this.buffered() === 0
    )
      this.journal?.deleteAll();
    else this.journal?.close();
    this.journal = null;
    this.unlockJournal?.();
    this.unlockJournal = null;
    this.db = null;
    this.store = null;
  }
}

/** Open (or create) the history file. Never throws: problems are reported in `status()`. */
export function openHistorian(options: HistorianOptions): Historian {
  return new HistorianImpl(options);
}
