/**
 * What the historian offers: its options, its status, and the `Historian` interface
 * (implemented in historian.ts, opened with `openHistorian()`).
 */
import type { DriverLogger, Sample } from '../../../protocols/driver.js';
import type { Synchronous } from './historian-db.js';
import type { StoragePolicy } from './storage-policy.js';
import type { RawColumns, TrendResult } from './history-query.js';
import type { ExportOptions, ExportResult } from './csv-export.js';

export interface RetentionOptions {
  /** Days of raw samples to keep (default 90). */
  readonly rawDays?: number;
  /** Days of 1-minute rollups (default 730). */
  readonly minuteDays?: number;
  /** Days of 1-hour rollups; null keeps them forever (default). */
  readonly hourDays?: number | null;
}

export interface HistorianOptions {
  /** The database file (created with its folder if missing). */
  readonly file: string;
  readonly flushIntervalMs?: number;
  /** Storage policy per tag; default: every change, heartbeat 60 s. */
  readonly policies?: (tag: string) => StoragePolicy;
  readonly retention?: RetentionOptions;
  readonly log?: DriverLogger;
  /** Samples kept in memory while the file cannot be written (default 500,000: about 40 minutes of 200 tags at 1 s, ~75 MB). */
  readonly maxBufferedSamples?: number;
  readonly now?: () => number;
  /**
   * NORMAL (default): a commit survives a crash of the process at once, and a power loss
   * once the checkpoint worker has synced it (every `checkpointIntervalMs`). FULL: every
   * commit is fsynced on the writer's thread (survives power loss at once; slower, and
   * the fsync blocks the event loop).
   */
  readonly synchronous?: Synchronous;
  /** Target duration of one write slice, ms (default 5). */
  readonly sliceBudgetMs?: number;
  /** How often the checkpoint worker copies the WAL into the file and fsyncs it, ms (default 1000). */
  readonly checkpointIntervalMs?: number;
  /** How often retention runs, ms (default 10 min; the first run is 30 s after opening). */
  readonly retentionIntervalMs?: number;
  /** Files larger than this are checked on the worker after opening instead of at start-up (default 1 GiB). */
  readonly startupCheckMaxBytes?: number;
  /** How often to retry opening when the file could not be opened at all, ms (default 30 s). */
  readonly reopenIntervalMs?: number;
  /**
   * How much source time of a tag's samples is collected (in memory and in the journal)
   * before they are written as one block of its series, ms (default 1 hour: one index
   * entry per tag and hour). Each tag's windows are offset differently, so tags do not all
   * write at the same moment.
   */
  readonly sealSpanMs?: number;
  /**
   * Writes pause while the WAL is larger than this, until a checkpoint has copied it into
   * the file (bytes, default 16 MiB): catching up, an import or a backfill cannot outrun
   * the checkpoints and fill the disk with WAL.
   */
  readonly maxWalBytes?: number;
  /**
   * Tags whose window closed are written as blocks together: once 64 are due, or the first
   * has waited this long (ms, default 5 s). Fewer, larger commits write fewer pages; the
   * points are in the journal meanwhile.
   */
  readonly blockWaitMs?: number;
  /** A journal file is closed and the next one started beyond this size (bytes, default 8 MiB); whole files are deleted. */
  readonly journalFileBytes?: number;
}

export type HistorianLevel = 'ok' | 'degraded' | 'unavailable';

export interface HistorianStatus {
  readonly level: HistorianLevel;
  /** One sentence for people. */
  readonly message: string;
  readonly file: string;
  /** Samples received and not yet written. */
  readonly bufferedSamples: number;
  /** Samples stored since start. */
  readonly storedSamples: number;
  /** Samples dropped because the buffer was full, since start (each recorded as part of a gap). */
  readonly droppedSamples: number;
  readonly gapsRecorded: number;
  /** Samples refused because their timestamp was not after the tag's previous one. */
  readonly outOfOrderSamples: number;
  readonly lastWriteAt: number | null;
  /** The longest single write slice since start, ms (the event loop is blocked that long). */
  readonly slowestWriteMs: number;
  readonly lastError: string | null;
  /** Set when a damaged file was moved aside at start-up. */
  readonly recovered: { readonly problem: string; readonly movedTo: string } | null;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly durationMs: number;
}

export interface Historian {
  /** Queue samples for storage. Cheap and never blocks. Keep the array unchanged afterwards. */
  ingest(samples: readonly Sample[]): void;
  queryRaw(tag: string, from: number, to: number, limit?: number): RawColumns;
  queryTrend(tag: string, from: number, to: number, buckets: number): TrendResult;
  exportCsv(options: ExportOptions): Promise<ExportResult>;
  backup(toFile: string, onProgress?: (fraction: number) => void): Promise<BackupResult>;
  /** Write everything queued now (resolves when the queue is empty or a write failed). */
  flush(): Promise<void>;
  status(): HistorianStatus;
  onStatus(listener: (status: HistorianStatus) => void): () => void;
  /** Flush the buffer (including held swinging-door points) and close the file. */
  close(): Promise<void>;
}

export class HistoryUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
}
