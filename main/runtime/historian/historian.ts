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
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { DriverLogger, Sample } from '../../../protocols/driver.js';
import {
  describeError,
  isBusy,
  moveAside,
  openChecked,
  openWithRecovery,
  sqliteCode,
  type OpenedDatabase,
} from './historian-db.js';
import {
  HistoryUnavailableError,
  type BackupResult,
  type Historian,
  type HistorianOptions,
  type HistorianStatus,
} from './historian-api.js';
import { describeStatus } from './historian-status.js';
import { enforceRetention } from './retention.js';
import { SeriesStore } from './series-store.js';
import { historianConfig, type HistorianConfig } from './historian-options.js';
import { TIER_RAW } from './rollups.js';
import type { SeriesState } from './series-writer.js';
import { tailSegment } from './recent-journal.js';
import { WriteBatch, type TagState } from './write-batch.js';
import { backupTo } from './historian-backup.js';
import { IngestQueue, DropEpisode } from './ingest-queue.js';
import { TagStates } from './tag-states.js';
import { TailWriter } from './tail-writer.js';
import { JOURNAL_IO, journalStep, loadSeriesStates, markDamage, openJournal } from './historian-open.js';
import { SliceSize } from './slice-size.js';
import {
  queryRaw as queryRawFrom,
  queryTrend as queryTrendFrom,
  type RawColumns,
  type TrendResult,
} from './history-query.js';
import { startCheckpointer, waitForWal, type Checkpointer } from './checkpointer.js';
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
/**
 * A turn of its own, after the timers and I/O due: an immediate asked for from a timer's
 * callback runs before the next timers (in the same turn of the loop); one asked for from
 * an immediate runs after them.
 */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Samples taken into a batch between looks at the clock: a slice ends at most one step
 * past its budget. A tag seen for the first time (its state made) costs tens of
 * microseconds while the code is cold: 250 new tags were 5–9 ms past the budget.
 */
const FILL_STEP_SAMPLES = 64;

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
  private readonly series = new Map<string, SeriesState>();
  private readonly tagStates: TagStates;
  /** Every known tag's state, by name (the tag states' map). */
  private readonly tags: Map<string, TagState>;
  /** The journal, the tails and the block writes. */
  private readonly tails: TailWriter;
  private episode: DropEpisode | null = null;
  private droppedSamples = 0;
  private gapsRecorded = 0;
  private openError: string | null = null;
  private draining: Promise<void> | null = null;
  private flushSoon: NodeJS.Immediate | null = null;
  /** Queued samples that start a flush before the next tick. */
  private readonly flushAtSamples = 20_000;
  private closed = false;
  private readonly listeners = new Set<(s: HistorianStatus) => void>();
  private lastReported = '';
  private readonly timers: NodeJS.Timeout[] = [];
  private retentionRunning = false;
  /** Backups running (block write-outs wait meanwhile). */
  private backingUp = 0;
  /** The lock that makes this process the only writer of the journal files. */
  private unlockJournal: (() => void) | null = null;

  private readonly config: HistorianConfig;
  private readonly file: string;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly slices: SliceSize;

  constructor(options: HistorianOptions) {
    const config = historianConfig(options);
    this.config = config;
    this.file = config.file;
    this.log = config.log;
    this.now = config.now;
    this.slices = new SliceSize(config.sliceBudgetMs);
    this.tagStates = new TagStates({ ...config, store: () => this.store, series: this.series });
    this.tags = this.tagStates.byName;
    this.tails = new TailWriter({
      ...config,
      db: () => this.db,
      store: () => this.store,
      checkpointer: () => this.checkpointer,
      series: this.series,
      tags: this.tags,
      buffered: () => this.buffered(),
      reportStatus: () => this.reportStatus(),
    });
    this.tryOpen();
    const flushTimer = setInterval(() => void this.flush(), config.flushIntervalMs);
    const retentionTimer = setInterval(() => void this.enforceRetention(), config.retentionIntervalMs);
    const firstRetention = setTimeout(() => void this.enforceRetention(), config.firstRetentionMs);
    const reopenTimer = setInterval(() => {
      if (!this.db && !this.closed) this.tryOpen();
    }, config.reopenIntervalMs);
    for (const t of [flushTimer, retentionTimer, firstRetention, reopenTimer]) {
      t.unref();
      this.timers.push(t);
    }
  }

  // ---------------------------------------------------------------- opening

  private tryOpen(): void {
    try {
      this.adopt(openWithRecovery(this.file, this.config.synchronous, this.now, this.config.startupCheckMaxBytes));
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
            ...openChecked(this.file, this.config.synchronous, this.now, this.config.startupCheckMaxBytes),
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
    this.tails.journal?.close();
    this.tails.journal = null;
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
    loadSeriesStates(this.store, this.series);
    // The journal: each tag's recent points not yet in a block, back into memory.
    const journal = openJournal(this.file, this.store, this.now, this.config.journalFileBytes, this.log);
    this.unlockJournal = journal.unlock;
    this.tails.opened(journal.journal, journal.lastRecord);
    const states = this.tagStates;
    states.replayed = journal.tails;
    this.store.recent = (tag) => tailSegment(this.tags.get(tag)?.tail ?? states.replayed.get(tag));
    // Restore every known tag now (start-up) rather than inside a write slice later.
    for (const s of this.store.listSeries()) if (s.tier === TIER_RAW) states.get(s.tag);
    for (const tag of states.replayed.keys()) states.get(tag);
    states.replayed = new Map();
    this.tails.countTails();
    if (journal.tableToMove) journalStep(() => this.tails.moveTableJournal());
    this.tails.holdTailRecords();
    this.checkpointer = startCheckpointer(opened.db, this.file, this.config.checkpointIntervalMs, this.log);
    if (opened.check === 'deferred') void this.checkInBackground(this.checkpointer);
    this.openError = null;
    this.log.info({ file: this.file, check: opened.check, tags: this.tags.size }, 'history file open');
  }

  /** For files too big to check at start-up: quick_check on the worker, a marker if damaged. */
  private async checkInBackground(checkpointer: Checkpointer): Promise<void> {
    const problems = await checkpointer.check();
    if (!problems || problems.length === 0) return;
    this.damage = markDamage(this.file, problems, this.log);
    this.reportStatus();
  }

  // ---------------------------------------------------------------- ingest

  ingest(samples: readonly Sample[]): void {
    if (this.closed || samples.length === 0) return;
    const buffered = this.buffered();
    if (buffered + samples.length > this.config.maxBuffered) {
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
      const reason = `history buffer full (${this.config.maxBuffered} samples) while ${this.tails.lastError ?? this.openError ?? 'the writer was behind'}`;
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
    this.tails.pendingGaps.push(...episode.gaps());
  }

  // ---------------------------------------------------------------- batches

  /** Take up to `maxSamples` queued samples into `batch` (storage filter, rollups); returns how many. */
  private fillBatch(batch: WriteBatch, maxSamples: number): number {
    // In steps, ending early once the slice's time is spent: the slice size is learnt from
    // earlier slices, and samples of tags seen for the first time (a station's first
    // second, 10,000 new tags) cost several times what the learnt size assumes.
    const until = performance.now() + this.config.sliceBudgetMs;
    const states = this.tagStates;
    const offer = (s: Sample): void => states.offer(batch, s);
    let taken = 0;
    while (taken < maxSamples) {
      const step = this.queue.take(Math.min(FILL_STEP_SAMPLES, maxSamples - taken), offer);
      taken += step;
      if (step === 0 || performance.now() > until) break;
    }
    batch.samples += taken;
    return taken;
  }

  // ---------------------------------------------------------------- writing

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
    // Not in the caller's turn: whoever asked (code that has just done its own work, such
    // as taking a second of 10,000 samples through the history feed) has its turn end, and
    // the timers due meanwhile run, before the first slice starts.
    await nextTurn();
    this.tails.markQuietTails();
    for (;;) {
      if (!this.db) return;
      await waitForWal(() => this.checkpointer, this.file, this.config.maxWalBytes);
      if (!this.db) return;
      this.tails.journal?.deleteReleased(this.checkpointer?.durableThrough() ?? Infinity);
      let progressed = false;
      if (this.retryBatch) {
        if (!this.tails.write(this.retryBatch)) return;
        this.retryBatch = null;
        progressed = true;
      } else if (this.queue.queued > 0 && !this.tails.heldBack(this.config.maxBuffered)) {
        // While blocks cannot be written, the tails (memory and journal) grow only up to the
        // buffer's bound; beyond it samples wait in the queue, and overflow becomes gaps.
        // One slice: a slice's worth of samples through the storage filter and rollups, and
        // appended as one journal record (a flush of 10,000 tags is a few records, each
        // slice a few milliseconds).
        const batch = new WriteBatch();
        this.building = batch;
        const started = performance.now();
        const taken = this.fillBatch(batch, this.slices.samples);
        this.building = null;
        if (!this.tails.write(batch)) {
          this.retryBatch = batch;
          return;
        }
        this.slices.took(taken, performance.now() - started);
        progressed = true;
      }
      if (this.tails.blocksWanted(this.backingUp > 0)) {
        await yieldToEventLoop();
        if (!this.db) return;
        const started = performance.now();
        const ok = this.tails.writeBlocks();
        this.slices.took(0, performance.now() - started);
        if (!ok && !progressed) return;
        progressed = true;
      }
      if (!progressed) return;
      await yieldToEventLoop();
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
        this.config.retention,
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
    // No block write-outs meanwhile: what is not in the copied blocks is in the tails copied after.
    this.backingUp++;
    try {
      return await backupTo(db, toFile, () => this.tags.values(), this.now, onProgress);
    } finally {
      this.backingUp--;
    }
  }

  // ---------------------------------------------------------------- status

  status(): HistorianStatus {
    return describeStatus({
      file: this.file,
      open: this.db !== null,
      openError: this.openError,
      lastError: this.tails.lastError,
      dropping: this.episode !== null,
      damage: this.damage,
      recovered: this.recovered,
      buffered: this.buffered(),
      maxBuffered: this.config.maxBuffered,
      storedSamples: this.tails.storedSamples,
      droppedSamples: this.droppedSamples,
      gapsRecorded: this.gapsRecorded,
      outOfOrderSamples: this.tagStates.outOfOrder,
      lastWriteAt: this.tails.lastWriteAt,
      slowestWriteMs: this.slices.slowestMs,
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
      if (this.tails.writeHeldPoints()) {
        // Every tag's recent points and completed rollup buckets as blocks (in slices): the
        // closed file holds everything without its journal.
        this.tails.dueAll();
        await this.flush();
        // Free pages (a journal table moved out of a file of an earlier version): give them back.
        if (this.tails.due.size === 0 && this.tails.lastError === null) {
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
        { file: this.file, samples: lost, error: this.tails.lastError },
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
    // The journal files go when every point is in blocks, else they stay for the next opening.
    this.tails.closeJournal(closedCleanly && this.buffered() === 0);
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
