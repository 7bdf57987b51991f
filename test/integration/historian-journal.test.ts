import { afterAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openHistorian, openHistoryReader } from '../../main/runtime/historian/index.js';
import { listJournalFiles } from '../../main/runtime/historian/journal-file.js';
import type { Sample } from '../../protocols/driver.js';
import { analogSamples, tempDir } from './historian-support.js';
import { countRows } from '../support/sqlite-count.js';

const T0 = Date.UTC(2026, 0, 1);
const { dir, remove } = tempDir();
afterAll(remove);

describe('the journal of recent samples', () => {
  it('a live station: one journal record per flush, a sealed block per tag and window, old journal files deleted; reopening continues', async () => {
    const file = join(dir, 'live.db');
    const tags = Array.from({ length: 40 }, (_, i) => `J.L.T${String(i).padStart(2, '0')}`);
    // Small journal files, so that whole files become free during the run.
    const h = openHistorian({
      file,
      flushIntervalMs: 3_600_000,
      sealSpanMs: 300_000,
      blockWaitMs: 0,
      journalFileBytes: 4096,
      checkpointIntervalMs: 20,
    });
    const batches = analogSamples(tags, T0, 1200);
    // As the runtime writes: every tag once a second, a flush after each second.
    for (const b of batches) {
      h.ingest(b);
      await h.flush();
    }
    expect(h.status()).toMatchObject({ level: 'ok', storedSamples: 1200 * tags.length });
    // Every tag has written sealed blocks of its windows (no unsealed segment per flush) …
    const rawBlocks = 'FROM segments s JOIN series r ON r.id = s.series_id WHERE r.tier = 0';
    expect(countRows(file, `SELECT count(*) AS n ${rawBlocks} AND s.sealed = 0`)).toBe(0);
    expect(countRows(file, `SELECT count(*) AS n ${rawBlocks}`)).toBeGreaterThanOrEqual(3 * tags.length);
    expect(countRows(file, `SELECT min(s.n) AS n ${rawBlocks}`)).toBeGreaterThanOrEqual(256);
    // … nothing goes to the journal table any more, and the journal keeps only the files some
    // tag still needs (at most one window and a bit): the oldest ones are gone.
    expect(countRows(file, 'SELECT count(*) AS n FROM recent')).toBe(0);
    const files = listJournalFiles(file);
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]?.seq).toBeGreaterThan(3);
    const journalBytes = files.reduce((a, f) => a + statSync(f.path).size, 0);
    expect(journalBytes).toBeLessThan(0.6 * 1200 * tags.length * 3);
    // Queries see blocks and recent samples as one series.
    for (const tag of [tags[0] as string, tags[39] as string]) {
      const k = tags.indexOf(tag);
      const raw = h.queryRaw(tag, T0, T0 + 1e9, 100_000);
      expect(raw.t).toEqual(batches.map((b) => b[k]?.sourceTime));
      expect(raw.v).toEqual(batches.map((b) => b[k]?.value));
    }
    // A reader (another connection) reads the journal too.
    const reader = openHistoryReader(file);
    expect(reader.queryRaw(tags[7] as string, T0, T0 + 1e9, 100_000).t).toHaveLength(1200);
    reader.close();
    await h.close();
    // Closed: everything is in blocks, the journal files are gone.
    expect(listJournalFiles(file)).toEqual([]);
    expect(countRows(file, `SELECT sum(s.n) AS n ${rawBlocks}`)).toBe(1200 * tags.length);

    const again = openHistorian({ file, flushIntervalMs: 3_600_000, sealSpanMs: 300_000 });
    const more = analogSamples(tags, T0 + 1200 * 1000, 60);
    for (const b of more) {
      again.ingest(b);
      await again.flush();
    }
    expect(again.queryRaw(tags[3] as string, T0, T0 + 1e9, 100_000).t).toHaveLength(1260);
    expect(again.queryTrend(tags[3] as string, T0, T0 + 1260 * 1000 - 1, 21).count.reduce((a, b) => a + b, 0)).toBe(
      1260,
    );
    await again.close();
  });

  it('samples of a tag that went quiet are written as a block after a while, so the journal does not grow with it', async () => {
    const file = join(dir, 'quiet.db');
    let now = T0;
    const h = openHistorian({ file, flushIntervalMs: 3_600_000, sealSpanMs: 60_000, blockWaitMs: 0, now: () => now });
    const quiet: Sample = { tag: 'J.Q.QUIET', value: 1.5, quality: { code: 'Good' }, sourceTime: T0, receiveTime: T0 };
    h.ingest([quiet]);
    await h.flush();
    for (let k = 1; k <= 300; k++) {
      now = T0 + k * 1000;
      h.ingest([{ tag: 'J.Q.BUSY', value: k / 10, quality: { code: 'Good' }, sourceTime: now, receiveTime: now }]);
      await h.flush();
    }
    // The quiet tag's one point was written as a block.
    const quietBlocks = countRows(
      file,
      "SELECT count(*) AS n FROM segments s JOIN series r ON r.id = s.series_id WHERE r.tag = 'J.Q.QUIET' AND r.tier = 0",
    );
    expect(quietBlocks).toBe(1);
    expect(h.queryRaw('J.Q.QUIET', T0, T0 + 1e9).v).toEqual([1.5]);
    await h.close();
  });

  it('catching up as fast as it goes: the WAL stays near its limit (and without the limit it does not)', async () => {
    const tags = Array.from({ length: 200 }, (_, i) => `J.W.T${String(i).padStart(3, '0')}`);
    const batches = analogSamples(tags, T0, 1000);
    const run = async (name: string, maxWalBytes: number): Promise<number> => {
      const file = join(dir, name);
      const h = openHistorian({
        file,
        flushIntervalMs: 3_600_000,
        sealSpanMs: 120_000,
        maxWalBytes,
        checkpointIntervalMs: 60_000,
      });
      let maxWal = 0;
      for (const b of batches) {
        h.ingest(b);
        await h.flush();
        try {
          maxWal = Math.max(maxWal, statSync(`${file}-wal`).size);
        } catch {
          // no WAL yet
        }
      }
      await h.close();
      return maxWal;
    };
    const limited = await run('wal-limited.db', 512 * 1024);
    const unlimited = await run('wal-unlimited.db', Number.MAX_SAFE_INTEGER);
    expect(limited).toBeLessThan(2 * 1024 * 1024);
    expect(unlimited).toBeGreaterThan(2 * limited);
  }, 60_000);
});
