/**
 * The historian's options with their defaults filled in (see `HistorianOptions` in
 * historian-api.ts for what each one means). Pure.
 */
import type { DriverLogger } from '../../../protocols/driver.js';
import { silentLogger } from '../../../protocols/driver.js';
import type { HistorianOptions, RetentionOptions } from './historian-api.js';
import type { Synchronous } from './historian-db.js';
import { STORE_EVERYTHING, type StoragePolicy } from './storage-policy.js';

/** A journal file is closed and a new one started beyond this size. */
const JOURNAL_FILE_BYTES = 8 * 1024 * 1024;

export interface HistorianConfig {
  readonly file: string;
  readonly log: DriverLogger;
  readonly now: () => number;
  readonly policies: (tag: string) => StoragePolicy;
  readonly maxBuffered: number;
  readonly synchronous: Synchronous;
  readonly sliceBudgetMs: number;
  readonly checkpointIntervalMs: number;
  readonly startupCheckMaxBytes: number | undefined;
  readonly retention: Required<RetentionOptions>;
  readonly sealSpanMs: number;
  readonly maxWalBytes: number;
  readonly blockWaitMs: number;
  readonly journalFileBytes: number;
  readonly flushIntervalMs: number;
  readonly retentionIntervalMs: number;
  /** The first retention pass runs this long after opening. */
  readonly firstRetentionMs: number;
  readonly reopenIntervalMs: number;
}

export function historianConfig(options: HistorianOptions): HistorianConfig {
  return {
    file: options.file,
    log: options.log ?? silentLogger,
    now: options.now ?? Date.now,
    policies: options.policies ?? (() => STORE_EVERYTHING),
    maxBuffered: options.maxBufferedSamples ?? 500_000,
    synchronous: options.synchronous ?? 'NORMAL',
    sliceBudgetMs: options.sliceBudgetMs ?? 5,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
    startupCheckMaxBytes: options.startupCheckMaxBytes,
    retention: {
      rawDays: options.retention?.rawDays ?? 90,
      minuteDays: options.retention?.minuteDays ?? 730,
      hourDays: options.retention?.hourDays === undefined ? null : options.retention.hourDays,
    },
    sealSpanMs: options.sealSpanMs ?? 3_600_000,
    maxWalBytes: options.maxWalBytes ?? 16 * 1024 * 1024,
    blockWaitMs: options.blockWaitMs ?? 5_000,
    journalFileBytes: options.journalFileBytes ?? JOURNAL_FILE_BYTES,
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    retentionIntervalMs: options.retentionIntervalMs ?? 600_000,
    firstRetentionMs: Math.min(30_000, options.retentionIntervalMs ?? 30_000),
    reopenIntervalMs: options.reopenIntervalMs ?? 30_000,
  };
}
