/**
 * The steps of opening a history file that are not the database's own (historian-db.ts):
 * its series' writing state, the journal read back into tails (from the journal files, and
 * from the journal table of a file of an earlier version, which is moved into a journal
 * file), and the damage marker a background check leaves. Journal I/O failures are told
 * apart from damage of the database file, which is moved aside.
 */
import type Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import type { DriverLogger } from '../../../protocols/driver.js';
import { DAMAGE_MARKER_SUFFIX, describeError, isBusy } from './historian-db.js';
import type { SeriesStore } from './series-store.js';
import type { SeriesState } from './series-writer.js';
import { encodeRecentRow, type RecentGroup, type TagTail } from './recent-samples.js';
import { replayJournal, replayJournalFiles } from './recent-journal.js';
import { JournalWriter, listJournalFiles, takeJournalLock } from './journal-file.js';
import type { TagState } from './write-batch.js';

/** The code of a failure to read or write the journal files while opening (not damage of the database). */
export const JOURNAL_IO = 'HISTORY_JOURNAL_IO';

/** A journal step of opening: its I/O failures are told apart from damage of the database file. */
export function journalStep<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (isBusy(err)) throw err;
    throw Object.assign(new Error(`history journal: ${describeError(err)}`, { cause: err }), { code: JOURNAL_IO });
  }
}

/** Every series of the file with its unsealed points, into `series` (by `tag \u0000 tier`). */
export function loadSeriesStates(store: SeriesStore, series: Map<string, SeriesState>): void {
  series.clear();
  for (const s of store.listSeries())
    series.set(`${s.tag}\u0000${s.tier}`, {
      id: s.id,
      unsealedCount: 0,
      firstUnsealedT: 0,
      coveredTo: s.covered_to,
    });
  const byId = new Map([...series.values()].map((s) => [s.id, s]));
  for (const u of store.unsealedStats()) {
    const s = byId.get(u.series_id);
    if (s) {
      s.unsealedCount = u.n;
      s.firstUnsealedT = u.first;
    }
  }
}

export interface OpenedJournal {
  readonly journal: JournalWriter;
  readonly unlock: () => void;
  /** Each tag's recent points not yet in a block, read back. */
  readonly tails: Map<string, TagTail>;
  /** The number of the last journal record read back. */
  readonly lastRecord: number;
  /** Whether the file has a journal table of an earlier version holding points (to move into a journal file). */
  readonly tableToMove: boolean;
}

/**
 * The journal, as this process its only writer: each tag's recent points not yet in a
 * block, back into tails — from the journal table of files written by an earlier version,
 * then from the journal files (what cannot be read back is logged).
 */
export function openJournal(
  file: string,
  store: SeriesStore,
  now: () => number,
  journalFileBytes: number,
  log: DriverLogger,
): OpenedJournal {
  const unlock = journalStep(() => takeJournalLock(file));
  try {
    const table = replayJournal(store, now);
    const files = journalStep(() => replayJournalFiles(file, store, now, table.tails));
    for (const problem of files.problems)
      log.error({ file, problem }, 'history journal: samples after this point could not be read back');
    const nextSeq = Math.max(0, ...listJournalFiles(file).map((f) => f.seq)) + 1;
    const journal = new JournalWriter(file, nextSeq, files.files, journalFileBytes);
    return { journal, unlock, tails: table.tails, lastRecord: files.lastRecord, tableToMove: table.lastRow > 0 };
  } catch (err) {
    unlock();
    throw err;
  }
}

/**
 * After opening a file of an earlier version: its journal table's points go to a journal
 * file (record `number`), the table is emptied. Returns the last record's number.
 */
export function moveTableJournal(
  journal: JournalWriter,
  db: Database.Database,
  tags: Iterable<TagState>,
  lastRow: number,
): number {
  const groups: RecentGroup[] = [];
  const names: Array<[number, string]> = [];
  const holding: TagState[] = [];
  for (const st of tags) {
    const tail = st.tail;
    if (tail.n === 0) continue;
    const c = tail.columns();
    names.push([st.jid, st.name]);
    groups.push({ id: st.jid, t: c.t, v: c.v, q: c.q, r: c.r, count: tail.n, previous: null });
    holding.push(st);
  }
  const number = lastRow + 1;
  let last = lastRow;
  if (groups.length > 0) {
    journal.append({ number, names, row: encodeRecentRow(groups) });
    last = number;
    const seq = journal.currentSeq;
    for (const st of holding) {
      st.tail.firstRow = number;
      st.journalSeq = seq;
    }
  }
  db.exec('DELETE FROM recent');
  return last;
}

/** The damage a background check found, in one line, left as a marker next to the file (moved aside at the next start). */
export function markDamage(file: string, problems: readonly string[], log: DriverLogger): string {
  const summary = problems.slice(0, 3).join('; ').replace(/\s+/g, ' ').slice(0, 500);
  try {
    writeFileSync(file + DAMAGE_MARKER_SUFFIX, summary);
  } catch (err) {
    log.warn({ file, err }, 'could not leave the damage marker next to the history file');
  }
  log.error({ file, problems }, 'history file is damaged; it will be moved aside at the next start');
  return summary;
}
