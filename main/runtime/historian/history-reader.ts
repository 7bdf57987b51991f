/**
 * A read-only connection to a history file (reports, tools, benchmarks): the same
 * queries as the historian, without taking part in writing. The recent samples not yet
 * in blocks are read from the journal (its files, and the table of files of an earlier
 * version) once, when the reader opens.
 */
import Database from 'better-sqlite3';
import { SeriesStore } from './series-store.js';
import { queryRaw, queryTrend, type RawColumns, type TrendResult } from './history-query.js';
import { replayJournal, replayJournalFiles, tailSegment } from './recent-journal.js';

export interface HistoryReader {
  queryRaw(tag: string, from: number, to: number, limit?: number): RawColumns;
  queryTrend(tag: string, from: number, to: number, buckets: number): TrendResult;
  close(): void;
}

export function openHistoryReader(file: string): HistoryReader {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const store = new SeriesStore(db);
  const { tails } = replayJournal(store, Date.now);
  replayJournalFiles(file, store, Date.now, tails);
  store.recent = (tag) => tailSegment(tails.get(tag));
  return {
    queryRaw: (tag, from, to, limit) => queryRaw(store, tag, from, to, limit),
    queryTrend: (tag, from, to, buckets) => queryTrend(store, tag, from, to, buckets),
    close: () => db.close(),
  };
}
