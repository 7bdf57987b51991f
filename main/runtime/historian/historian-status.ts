/**
 * The historian's status from the facts the writer keeps: one level, one sentence for
 * people, and the counters. Pure.
 */
import type { HistorianLevel, HistorianStatus } from './historian-api.js';

export interface StatusFacts {
  readonly file: string;
  readonly open: boolean;
  readonly openError: string | null;
  readonly lastError: string | null;
  /** Samples are being dropped (the buffer is full). */
  readonly dropping: boolean;
  readonly damage: string | null;
  readonly recovered: HistorianStatus['recovered'];
  readonly buffered: number;
  readonly maxBuffered: number;
  readonly storedSamples: number;
  readonly droppedSamples: number;
  readonly gapsRecorded: number;
  readonly outOfOrderSamples: number;
  readonly lastWriteAt: number | null;
  readonly slowestWriteMs: number;
}

export function describeStatus(f: StatusFacts): HistorianStatus {
  const buffered = f.buffered;
  let level: HistorianLevel = 'ok';
  let message = 'history is being recorded';
  if (!f.open) {
    level = 'unavailable';
    message = `history is unavailable (${f.openError ?? 'closed'}); live values continue${buffered > 0 ? `, ${buffered} samples buffered` : ''}`;
  } else if (f.lastError) {
    level = 'degraded';
    message = `history writes are failing (${f.lastError}); ${buffered} samples buffered, will retry`;
  } else if (f.dropping) {
    level = 'degraded';
    message = `history buffer full: samples are being dropped and recorded as gaps`;
  } else if (f.damage) {
    level = 'degraded';
    message = `the history file is damaged (${f.damage}); recording continues, and the file will be moved aside at the next start`;
  } else if (f.recovered) {
    level = 'degraded';
    message = `the history file was damaged (${f.recovered.problem}) and was moved to ${f.recovered.movedTo}; a new one was started`;
  } else if (buffered > f.maxBuffered / 2) {
    level = 'degraded';
    message = `history writing is behind: ${buffered} samples buffered`;
  }
  if (level !== 'unavailable' && f.droppedSamples > 0)
    message += `; ${f.droppedSamples} samples lost in ${f.gapsRecorded} recorded gaps since start`;
  return {
    level,
    message,
    file: f.file,
    bufferedSamples: buffered,
    storedSamples: f.storedSamples,
    droppedSamples: f.droppedSamples,
    gapsRecorded: f.gapsRecorded,
    outOfOrderSamples: f.outOfOrderSamples,
    lastWriteAt: f.lastWriteAt,
    slowestWriteMs: f.slowestWriteMs,
    lastError: f.lastError ?? f.openError,
    recovered: f.recovered,
  };
}
