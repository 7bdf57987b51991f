/**
 * The write path below the ingest queue: a slice's batch appended to the journal files as
 * one record, its points joining their tags' tails (acknowledged: they survive a crash of
 * the process); tags whose window closed, or whose tail went quiet, due for a block
 * write; block transactions writing due tails out (block-transaction.ts), after which the
 * journal files holding only points in blocks are released. A failed journal append
 * changes nothing (the caller keeps the batch for the retry); a failed block transaction
 * leaves the tails (their points are in the journal) for a later try.
 */
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { DriverLogger, TagValue } from '../../../protocols/driver.js';
import { describeError } from './historian-db.js';
import type { GapRecord, SeriesStore } from './series-store.js';
import type { SeriesState } from './series-writer.js';
import { TIER_RAW } from './rollups.js';
import { encodeRecentRow } from './recent-samples.js';
import type { JournalWriter } from './journal-file.js';
import { JournalRows } from './journal-rows.js';
import type { Checkpointer } from './checkpointer.js';
import { NO_PENDING, WriteBatch, journalGroups, withPending, type TagState } from './write-batch.js';
import { windowClosed } from './tag-writeout.js';
import { blocksWanted, writeBlockTransaction } from './block-transaction.js';
import { moveTableJournal } from './historian-open.js';
import { RoundRobin } from './round-robin.js';

/** Tags the quiet-tail check looks at per second (10,000 tags: a round every 5 s). */
const QUIET_SWEEP_TAGS = 2_000;

export interface TailWriterOptions {
  readonly file: string;
  readonly log: DriverLogger;
  readonly now: () => number;
  readonly sealSpanMs: number;
  readonly sliceBudgetMs: number;
  readonly blockWaitMs: number;
  /** The open file (null while none is open). */
  readonly db: () => Database.Database | null;
  readonly store: () => SeriesStore | null;
  readonly checkpointer: () => Checkpointer | null;
  /** The file's series by `tag \u0000 tier`, and every known tag's state by name. */
  readonly series: Map<string, SeriesState>;
  readonly tags: ReadonlyMap<string, TagState>;
  /** Samples received and not written yet (for the log). */
  readonly buffered: () => number;
  readonly reportStatus: () => void;
}

export class TailWriter {
  /** The journal files (null while no file is open). */
  journal: JournalWriter | null = null;
  /** The number of the last journal record. */
  lastRow = 0;
  /** Tags whose recent points are to be written as blocks at the next block write. */
  readonly due = new Set<TagState>();
  /** When `due` last became non-empty (performance.now()). */
  private dueSince = 0;
  /** Gap records waiting for the next block transaction. */
  pendingGaps: GapRecord[] = [];
  /** Points in every tail (in memory and in the journal, not yet in blocks), and when block writes began to fail. */
  tailPoints = 0;
  private tailPointsAtFailure = 0;
  /** The last failure of a journal append and of a block write (status shows the first of them). */
  journalError: string | null = null;
  blockError: string | null = null;
  storedSamples = 0;
  lastWriteAt: number | null = null;
  /** While closing: every tail and pending rollup is written, without a time budget. */
  writeEverything = false;
  /** The newest source time written to the journal. */
  private newestT = -Infinity;
  private lastQuietCheck = 0;
  /** The tags the quiet-tail check walks, a share at a time. */
  private readonly quietSweep: RoundRobin<TagState>;
  /** The first journal record of every tail holding points (the floor of the journal files still needed). */
  private readonly journalRows = new JournalRows();

  constructor(private readonly options: TailWriterOptions) {
    this.quietSweep = new RoundRobin(() => options.tags.values());
  }

  get lastError(): string | null {
    return this.journalError ?? this.blockError;
  }

  /** A file was opened: its journal, read back up to record `lastRecord` (the tags' tails are restored next). */
  opened(journal: JournalWriter, lastRecord: number): void {
    this.journal = journal;
    this.lastRow = lastRecord;
    this.quietSweep.restart();
    this.due.clear();
    this.tailPoints = 0;
    this.journalError = null;
    this.blockError = null;
  }

  /** The tags' tails are read back: count their points (`tailPoints`). */
  countTails(): void {
    let n = 0;
    for (const st of this.options.tags.values()) n += st.tail.n;
    this.tailPoints = n;
  }

  /** The journal records the tails start at (after opening, and after a journal table was moved into a file). */
  holdTailRecords(): void {
    const rows: number[] = [];
    for (const st of this.options.tags.values()) if (st.tail.n > 0) rows.push(st.tail.firstRow);
    this.journalRows.reset(rows);
  }

  /**
   * While blocks cannot be written, the tails (memory and journal) grow only up to the
   * buffer's bound; beyond it samples wait in the queue, and overflow becomes gaps.
   */
  heldBack(maxBuffered: number): boolean {
    return this.blockError !== null && this.tailPoints - this.tailPointsAtFailure >= maxBuffered;
  }

  /** Whether block write-outs are worth a transaction now. */
  blocksWanted(backingUp: boolean): boolean {
    return blocksWanted({
      backingUp,
      pendingGaps: this.pendingGaps.length,
      writeEverything: this.writeEverything,
      due: this.due.size,
      waitedMs: performance.now() - this.dueSince,
      blockWaitMs: this.options.blockWaitMs,
      failing: this.blockError !== null,
    });
  }

  /**
   * Append the batch's stored points to the journal (one record); true when written. On
   * failure (disk full, I/O error) nothing changes and the batch is kept for the retry.
   * Once written, the points join their tags' tails (acknowledged: they survive a crash),
   * and tags whose window closed are due for a block write.
   */
  write(batch: WriteBatch): boolean {
    const journal = this.journal;
    if (!journal || !this.options.db()) return false;
    const seq = journal.currentSeq;
    const { groups, names } = journalGroups(batch, seq);
    const number = this.lastRow + 1;
    if (groups.length > 0) {
      try {
        journal.append({ number, names, row: encodeRecentRow(groups) });
      } catch (err) {
        const described = describeError(err);
        if (described !== this.journalError)
          this.options.log.error(
            { file: this.options.file, err, buffered: this.options.buffered() },
            'history journal write failed; keeping the batch for the retry',
          );
        this.journalError = described;
        this.options.reportStatus();
        return false;
      }
      this.lastRow = number;
    }
    const at = this.options.now();
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
        if (!this.due.has(st) && windowClosed(st, this.options.sealSpanMs)) this.markDue(st);
      }
      // (A part's rows are made for its batch: the tag keeps them.)
      if (part.minute) st.pendingMinute = withPending(st.pendingMinute, part.minute);
      if (part.hour) st.pendingHour = withPending(st.pendingHour, part.hour);
    }
    batch.recycle();
    this.storedSamples += batch.stored;
    this.lastWriteAt = this.options.now();
    if (this.journalError !== null) {
      this.journalError = null;
      if (this.blockError === null)
        this.options.log.info({ file: this.options.file }, 'history writes succeed again; catching up');
    }
    this.options.reportStatus();
    return true;
  }

  markDue(st: TagState): void {
    if (this.due.size === 0) this.dueSince = performance.now();
    this.due.add(st);
  }

  /**
   * One transaction of block write-outs (as many due tags as the time budget allows; the
   * rest at the next one) and the pending gap records; true when committed. On failure
   * the tails stay (they are in the journal) and are written at a later try.
   */
  writeBlocks(): boolean {
    const db = this.options.db();
    const store = this.options.store();
    if (!db || !store) return false;
    const gaps = this.pendingGaps;
    let written;
    try {
      written = writeBlockTransaction(db, store, this.options.series, this.due, gaps, {
        sliceBudgetMs: this.options.sliceBudgetMs,
        writeEverything: this.writeEverything,
        now: this.options.now,
      });
    } catch (err) {
      const described = describeError(err);
      if (described !== this.blockError)
        this.options.log.error(
          { file: this.options.file, err, tails: this.tailPoints },
          'history block write failed; the samples stay in the journal for the retry',
        );
      if (this.blockError === null) this.tailPointsAtFailure = this.tailPoints;
      this.blockError = described;
      this.options.reportStatus();
      return false;
    }
    const { ctx, writtenOut, rollupsWritten } = written;
    for (const [key, st] of ctx.staged) this.options.series.set(key, st);
    for (const adopt of ctx.committed) adopt();
    for (const st of writtenOut) {
      if (!st.rawId) st.rawId = this.options.series.get(`${st.name}\u0000${TIER_RAW}`)?.id ?? 0;
      this.tailPoints -= st.tail.n;
      if (st.tail.n > 0) this.journalRows.drop(st.tail.firstRow);
      st.tail.clear();
      this.due.delete(st);
    }
    if (this.due.size > 0) this.dueSince = performance.now();
    for (const st of rollupsWritten) {
      st.pendingMinute = NO_PENDING;
      st.pendingHour = NO_PENDING;
    }
    this.pendingGaps = this.pendingGaps.slice(gaps.length);
    // Journal files holding only points now in blocks go once a checkpoint made the blocks durable.
    this.journal?.release(this.journalFloor(), (this.options.checkpointer()?.requested() ?? 0) + 1);
    if (this.blockError !== null) {
      this.blockError = null;
      if (this.journalError === null)
        this.options.log.info({ file: this.options.file }, 'history writes succeed again; catching up');
    }
    this.options.reportStatus();
    return true;
  }

  /** The first journal record some tag still needs (every record before it is in blocks). */
  private journalFloor(): number {
    return this.journalRows.oldest(this.lastRow + 1);
  }

  /** After opening a file of an earlier version: its journal table's points go to a journal file, the table is emptied. */
  moveTableJournal(): void {
    const db = this.options.db();
    if (!this.journal || !db) return;
    this.lastRow = moveTableJournal(this.journal, db, this.options.tags.values(), this.lastRow);
  }

  /**
   * Tags whose recent points are old by the clock (the tag went quiet) or by the source
   * time of the newest points written (catching up: the plant's time moves faster than the
   * clock): written at the next writes, so that no tail holds the journal files back.
   * Once a second, QUIET_SWEEP_TAGS tags at a time (a tail is late by two windows before it
   * counts, hours at the default: a round of seconds adds nothing that matters).
   */
  markQuietTails(): void {
    const now = this.options.now();
    if (now - this.lastQuietCheck < 1000) return;
    this.lastQuietCheck = now;
    const late = 2 * this.options.sealSpanMs;
    this.quietSweep.visit(QUIET_SWEEP_TAGS, (st) => {
      const tail = st.tail;
      if (tail.n === 0 || this.due.has(st)) return;
      if (now - tail.firstAt > late || this.newestT - tail.firstT > late) this.markDue(st);
    });
  }

  /** Closing: the points the storage filters hold (swinging door), so each line reaches its last value; true when written. */
  writeHeldPoints(): boolean {
    const batch = new WriteBatch();
    for (const st of this.options.tags.values()) {
      st.batch = batch;
      st.part = null;
      st.filter.flushPending(st.emit);
    }
    return this.write(batch);
  }

  /** Closing: every tag with recent points or completed rollup buckets is due, written without a time budget. */
  dueAll(): void {
    this.writeEverything = true;
    for (const st of this.options.tags.values())
      if (st.tail.n > 0 || st.pendingMinute.length > 0 || st.pendingHour.length > 0) this.markDue(st);
  }

  /**
   * Closed: with every point in blocks (and the file synced by the last checkpoint on
   * close), the journal is not needed any more; otherwise it stays for the next opening.
   */
  closeJournal(closedCleanly: boolean): void {
    if (closedCleanly && this.tailPoints === 0 && this.due.size === 0 && this.lastError === null)
      this.journal?.deleteAll();
    else this.journal?.close();
    this.journal = null;
  }
}
