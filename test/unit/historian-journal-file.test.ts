import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JournalWriter,
  encodeRecord,
  journalPath,
  listJournalFiles,
  parseJournal,
  readJournalFiles,
  takeJournalLock,
  type JournalRecord,
} from '../../main/runtime/historian/journal-file.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-journal-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAGIC = Buffer.from('ARGUSJ01', 'latin1');

function records(count: number, first = 1): JournalRecord[] {
  return Array.from({ length: count }, (_, k) => ({
    number: first + k,
    names: k % 3 === 0 ? [[k + 1, `T.${k}.PV`] as const, [k + 2, 'Ünïcode 温度']] : [],
    row: Uint8Array.from({ length: 20 + ((k * 37) % 300) }, (_, i) => (i * 31 + k) % 256),
  }));
}

function fileOf(recs: JournalRecord[]): Buffer {
  return Buffer.concat([MAGIC, ...recs.map(encodeRecord)]);
}

describe('journal files', () => {
  it('round-trip records exactly', () => {
    const recs = records(50);
    const parsed = parseJournal(fileOf(recs));
    expect(parsed.problem).toBeNull();
    expect(parsed.badBytes).toBe(0);
    expect(parsed.records.map((r) => ({ number: r.number, names: r.names, row: Array.from(r.row) }))).toEqual(
      recs.map((r) => ({ number: r.number, names: r.names.map(([id, n]) => [id, n]), row: Array.from(r.row) })),
    );
  });

  it('a record torn anywhere at the end (a crash in the middle of a write) is left out, the ones before it kept', () => {
    const recs = records(4);
    const whole = fileOf(recs);
    const lastStart = whole.length - encodeRecord(recs[3] as JournalRecord).length;
    for (let cut = lastStart + 1; cut < whole.length; cut++) {
      const parsed = parseJournal(whole.subarray(0, cut));
      expect(parsed.records.map((r) => r.number)).toEqual([1, 2, 3]);
      expect(parsed.problem).toMatch(/torn/);
      expect(parsed.badBytes).toBe(cut - lastStart);
    }
  });

  it('a CRC mismatch stops reading at that record (the rest of the file counts as damaged)', () => {
    const recs = records(6);
    const whole = fileOf(recs);
    const at =
      MAGIC.length + encodeRecord(recs[0] as JournalRecord).length + encodeRecord(recs[1] as JournalRecord).length;
    for (const offset of [8, 9, 30]) {
      const damaged = Buffer.from(whole);
      damaged[at + offset] = (damaged[at + offset] as number) ^ 0x40;
      const parsed = parseJournal(damaged);
      expect(parsed.records.map((r) => r.number)).toEqual([1, 2]);
      expect(parsed.problem).toMatch(/CRC mismatch/);
    }
    // A flipped length reads as a torn or a mismatching record, never as data.
    const badLength = Buffer.from(whole);
    badLength.writeUInt32LE(7, at);
    expect(parseJournal(badLength).records.map((r) => r.number)).toEqual([1, 2]);
  });

  it('stale bytes after a failed write (a record number that does not follow) are not read as data', () => {
    const recs = records(3);
    const stale = encodeRecord({ number: 2, names: [], row: Uint8Array.of(1, 2, 3) });
    const parsed = parseJournal(Buffer.concat([fileOf(recs), stale]));
    expect(parsed.records.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(parsed.problem).toMatch(/does not follow/);
  });

  it('something else than a journal is refused whole', () => {
    expect(parseJournal(Buffer.from('SQLite format 3\u0000 and more')).problem).toMatch(/magic/);
    expect(parseJournal(new Uint8Array(0))).toMatchObject({ records: [], problem: null });
  });

  it('the writer appends, rotates, reads back across files, and deletes released files only once durable', () => {
    const file = join(dir, 'w.db');
    const writer = new JournalWriter(file, 1, [], 1024);
    const recs = records(40);
    for (const r of recs) writer.append(r);
    const files = listJournalFiles(file);
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]?.path).toBe(journalPath(file, 1));
    const read = readJournalFiles(file);
    expect(read.flatMap((f) => f.parsed.records.map((r) => r.number))).toEqual(recs.map((r) => r.number));
    expect(read.every((f) => f.parsed.problem === null)).toBe(true);
    // Records before 20 are in blocks; the files holding only those go once a checkpoint after mark 5 completed.
    writer.release(20, 5);
    writer.deleteReleased(4);
    expect(listJournalFiles(file)).toHaveLength(files.length);
    writer.deleteReleased(5);
    const left = readJournalFiles(file).flatMap((f) => f.parsed.records.map((r) => r.number));
    expect(left[0]).toBeLessThanOrEqual(20);
    expect(left[left.length - 1]).toBe(40);
    expect(listJournalFiles(file).length).toBeLessThan(files.length);
    writer.deleteAll();
    expect(listJournalFiles(file)).toEqual([]);
  });

  it('one writer per history file: a live holder is refused, a stale lock (a dead process) taken over', () => {
    const file = join(dir, 'lock.db');
    const release = takeJournalLock(file);
    expect(readFileSync(`${file}.journal-lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    // A lock held by another live process (pid 1 exists on every Linux machine).
    release();
    writeFileSync(`${file}.journal-lock`, '1');
    expect(() => takeJournalLock(file)).toThrow(/in use by process 1/);
    // A lock of a process that is gone, and one left before the machine restarted.
    writeFileSync(`${file}.journal-lock`, '999999999');
    takeJournalLock(file)();
    writeFileSync(`${file}.journal-lock`, '1 00000000-0000-0000-0000-000000000000');
    const again = takeJournalLock(file);
    again();
    expect(existsSync(`${file}.journal-lock`)).toBe(false);
  });
});
