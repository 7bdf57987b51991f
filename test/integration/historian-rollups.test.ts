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

function open(file: string, extra: Partial<Parameters<typeof openHistorian>[0]> = {}): Historian {
  const h = openHistorian({ file, flushIntervalMs: 50, blockWaitMs: 0, ...extra });
  cleanups.push(() => h.close());
  return h;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every bucket of `width` from `from`, as the rollups of `values` sampled every `stepMs` from T0. */
function expectBuckets(
  trend: ReturnType<Historian['queryTrend']>,
  values: readonly number[],
  stepMs: number,
  from: number,
  width: number,
  buckets: number,
): void {
  const per = width / stepMs;
  // One pixel bucket per rollup bucket (the query's `to` is the last bucket's end − 1 ms).
  expect(trend.t).toEqual(
    Array.from({ length: buckets }, (_, k) => Math.round(from + (k * (buckets * width - 1)) / buckets)),
  );
  for (let k = 0; k < buckets; k++) {
    const first = (from - T0) / stepMs + k * per;
    const bucket = values.slice(first, first + per);
    expect(trend.count[k], `bucket ${k}`).toBe(per);
    expect(trend.min[k], `bucket ${k}`).toBe(Math.min(...bucket));
    expect(trend.max[k], `bucket ${k}`).toBe(Math.max(...bucket));
    expect(trend.first[k], `bucket ${k}`).toBe(bucket[0]);
    expect(trend.last[k], `bucket ${k}`).toBe(bucket[per - 1]);
    expect(trend.avg[k], `bucket ${k}`).toBeCloseTo(bucket.reduce((a, b) => a + b, 0) / per, 6);
  }
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

  it('keep a raw block until the buckets it carries are in the rollup series: many small writes over days, retention passes between them', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const file = join(dir, 'history.db');
    const day = 24 * HOUR;
    // History older than the raw retention written in small batches (37 minutes each, one
    // sample a minute), with a retention pass between the batches: a tag's first day of
    // carried buckets is not in any rollup series yet while its first raw blocks expire.
    const h = open(file, {
      now: () => T0 + 10 * day,
      retention: { rawDays: 5, minuteDays: 8, hourDays: null },
      retentionIntervalMs: 1,
    });
    const tags = ['RC.B.T1', 'RC.B.T2'];
    const batches = analogSamples(tags, T0, 9 * 1440, 60_000);
    const values = (k: number) => batches.map((b) => b[k]?.value as number);
    for (let i = 0; i < batches.length; i += 37) {
      for (const b of batches.slice(i, i + 37)) h.ingest(b);
      await h.flush();
      await sleep(2);
    }
    const trimmed = () => tags.every((tag) => h.queryRaw(tag, T0, T0 + 4 * day).t.length === 0);
    for (let i = 0; i < 200 && !trimmed(); i++) await sleep(10);
    for (const [k, tag] of tags.entries()) {
      // Raw blocks before the cutoff are gone (a block spans at most 6 hours), those after it kept.
      expect(h.queryRaw(tag, T0, T0 + 5 * day - 6 * HOUR).t).toEqual([]);
      expect(h.queryRaw(tag, T0 + 5 * day, T0 + 9 * day - 1).v).toEqual(values(k).slice(5 * 1440));
      // Every hour of the nine days, each equal to the rollup of its 60 samples.
      const hours = h.queryTrend(tag, T0, T0 + 9 * day - 1, 9 * 24);
      expect(hours.tier).toBe('1h');
      expectBuckets(hours, values(k), 60_000, T0, HOUR, 9 * 24);
      // Every minute within the 1-minute retention (a day a query: at most 10,000 buckets a trend).
      for (let d = 2; d < 9; d++) {
        const minutes = h.queryTrend(tag, T0 + d * day, T0 + (d + 1) * day - 1, 1440);
        expect(minutes.tier).toBe('1m');
        expect(minutes.count).toEqual(Array.from({ length: 1440 }, () => 1));
        expect(minutes.first).toEqual(values(k).slice(d * 1440, (d + 1) * 1440));
      }
    }
  });

  it('give every hour and minute across a day boundary when written in many small batches at 1 Hz', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const file = join(dir, 'history.db');
    const tags = ['RC.C.T1', 'RC.C.T2', 'RC.C.T3'];
    const batches = analogSamples(tags, T0, 26 * 3600);
    const values = (k: number) => batches.map((b) => b[k]?.value as number);
    // Batches of 7 minutes 13 seconds, so that they end anywhere in a minute and an hour,
    // and a restart after 23 hours.
    let h = open(file);
    for (let i = 0; i < batches.length; i += 433) {
      if (i >= 23 * 3600 && i - 433 < 23 * 3600) {
        await h.close();
        h = open(file);
      }
      for (const b of batches.slice(i, i + 433)) h.ingest(b);
      await h.flush();
    }
    await h.close();
    h = open(file);
    const reader = openHistoryReader(file);
    cleanups.push(() => reader.close());
    for (const q of [h, reader]) {
      for (const [k, tag] of tags.entries()) {
        const hours = q.queryTrend(tag, T0, T0 + 26 * HOUR - 1, 26);
        expect(hours.tier).toBe('1h');
        expectBuckets(hours, values(k), 1000, T0, HOUR, 26);
        const minutes = q.queryTrend(tag, T0 + 22 * HOUR, T0 + 26 * HOUR - 1, 4 * 60);
        expect(minutes.tier).toBe('1m');
        expectBuckets(minutes, values(k), 1000, T0 + 22 * HOUR, 60_000, 4 * 60);
      }
    }
  });
});
