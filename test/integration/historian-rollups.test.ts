import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openHistorian, openHistoryReader, type Historian } from '../../main/runtime/historian/index.js';
import { analogSamples, tempDir } from './historian-support.js';
import { countRows } from '../support/sqlite-count.js';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function open(file: string): Historian {
  const h = openHistorian({ file, flushIntervalMs: 50, blockWaitMs: 0 });
  cleanups.push(() => h.close());
  return h;
}

describe('historian rollups carried with the raw blocks', () => {
  it('carry each hour’s buckets in the raw block’s row, write them to the rollup series once a day, and give the same trends across restarts', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const file = join(dir, 'history.db');
    const tag = 'RC.A.T1';
    const batches = analogSamples([tag], T0, 30 * 3600);
    const values = batches.map((b) => b[0]?.value as number);
    // 30 hours in three runs of the writer (a restart after 7 h and after 20 h 30 min).
    const cuts = [0, 7 * 3600, 20 * 3600 + 1800, batches.length];
    for (let run = 0; run < 3; run++) {
      const h = open(file);
      for (const b of batches.slice(cuts[run], cuts[run + 1])) h.ingest(b);
      await h.flush();
      expect(h.status().level).toBe('ok');
      await h.close();
    }

    // Rollup series rows: written once a day (an unsealed or sealed block per tier), not per hour.
    const tierRows = (tier: number) =>
      countRows(
        file,
        `SELECT count(*) AS n FROM segments s JOIN series r ON r.id = s.series_id WHERE r.tag = '${tag}' AND r.tier = ${tier}`,
      );
    expect(tierRows(1)).toBeGreaterThanOrEqual(1);
    expect(tierRows(1)).toBeLessThanOrEqual(2);
    expect(tierRows(2)).toBeLessThanOrEqual(2);
    // Every raw block write carried its buckets: one row per write (a write of a long tail,
    // up to a slice of 16,000 points here, is cut into several blocks and carries once).
    expect(countRows(file, 'SELECT count(*) AS n FROM block_rollups')).toBeGreaterThanOrEqual(7);

    const h = open(file);
    const reader = openHistoryReader(file);
    cleanups.push(() => reader.close());
    for (const q of [h, reader]) {
      const hours = q.queryTrend(tag, T0, T0 + 30 * HOUR - 1, 30);
      expect(hours.tier).toBe('1h');
      expect(hours.count).toEqual(Array.from({ length: 30 }, () => 3600));
      for (let k = 0; k < 30; k++) {
        const hour = values.slice(k * 3600, (k + 1) * 3600);
        expect(hours.min[k]).toBe(Math.min(...hour));
        expect(hours.max[k]).toBe(Math.max(...hour));
        expect(hours.first[k]).toBe(hour[0]);
        expect(hours.last[k]).toBe(hour[3599]);
      }
      const minutes = q.queryTrend(tag, T0, T0 + 30 * HOUR - 1, 30 * 60);
      expect(minutes.tier).toBe('1m');
      expect(minutes.count).toEqual(Array.from({ length: 30 * 60 }, () => 60));
      expect(minutes.max[7 * 60]).toBe(Math.max(...values.slice(7 * 3600, 7 * 3600 + 60)));
      // A window across the day's move to the rollup series and the restarts.
      const across = q.queryTrend(tag, T0 + 20 * HOUR, T0 + 26 * HOUR - 1, 6 * 60);
      expect(across.count.reduce((a, b) => a + b, 0)).toBe(6 * 3600);
    }
  });
});
