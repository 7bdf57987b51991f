import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  openHistorian,
  openHistoryReader,
  historyRestHandler,
  type Historian,
} from '../../main/runtime/historian/index.js';
import { resolveStoragePolicy } from '../../main/runtime/historian/storage-policy.js';
import type { Sample } from '../../protocols/driver.js';
import { analogSamples, tempDir } from './historian-support.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function open(file: string, extra: Partial<Parameters<typeof openHistorian>[0]> = {}): Historian {
  const h = openHistorian({ file, flushIntervalMs: 50, blockWaitMs: 0, ...extra });
  cleanups.push(() => h.close());
  return h;
}

describe('historian storage', () => {
  it('stores samples, answers raw and trend queries, and keeps them across a restart', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const file = join(dir, 'history.db');
    const h = open(file);
    const batches = analogSamples(['A.B.T1', 'A.B.T2'], T0, 3 * 3600 + 10);
    for (const b of batches) h.ingest(b);
    await h.flush();
    expect(h.status().level).toBe('ok');
    expect(h.status().storedSamples).toBe(batches.length * 2);

    const raw = h.queryRaw('A.B.T1', T0, T0 + 3599_000);
    expect(raw.t.length).toBe(3600);
    expect(raw.v.slice(0, 3)).toEqual(batches.slice(0, 3).map((b) => b[0]?.value));
    expect(raw.q.every((q) => q === 0)).toBe(true);

    // 3 hours in 3 buckets come from the 1-hour rollups, the tail from raw samples.
    const trend = h.queryTrend('A.B.T1', T0, T0 + 3 * 3600_000 - 1, 3);
    expect(trend.tier).toBe('1h');
    const values = batches.map((b) => b[0]?.value as number);
    const firstHour = values.slice(0, 3600);
    expect(trend.min[0]).toBe(Math.min(...firstHour));
    expect(trend.max[0]).toBe(Math.max(...firstHour));
    expect(trend.count).toEqual([3600, 3600, 3600]);
    expect(trend.avg[0]).toBeCloseTo(firstHour.reduce((a, b) => a + b, 0) / 3600, 6);

    const minute = h.queryTrend('A.B.T1', T0, T0 + 3 * 3600_000 - 1, 180);
    expect(minute.tier).toBe('1m');
    expect(minute.count.reduce((a, b) => a + b, 0)).toBe(3 * 3600);
    expect(Math.max(...minute.max)).toBe(Math.max(...values.slice(0, 3 * 3600)));
    await h.close();

    // Reopen: the filter and the open rollup buckets continue where they were.
    const again = open(file);
    const more = analogSamples(['A.B.T1', 'A.B.T2'], T0 + batches.length * 1000, 600);
    for (const b of more) again.ingest(b);
    await again.flush();
    const all = again.queryRaw('A.B.T1', T0, T0 + 10 * 3600_000);
    expect(all.t.length).toBe(batches.length + more.length);
    const hours = again.queryTrend('A.B.T1', T0, T0 + 4 * 3600_000 - 1, 4);
    expect(hours.count).toEqual([3600, 3600, 3600, 610]);
    await again.close();

    const reader = openHistoryReader(file);
    expect(reader.queryRaw('A.B.T2', T0, T0 + 10_000).t).toEqual([
      T0,
      T0 + 1000,
      T0 + 2000,
      T0 + 3000,
      T0 + 4000,
      T0 + 5000,
      T0 + 6000,
      T0 + 7000,
      T0 + 8000,
      T0 + 9000,
      T0 + 10_000,
    ]);
    reader.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const sealed = db.prepare('SELECT count(*) AS n FROM segments WHERE sealed = 1').get() as { n: number };
    expect(sealed.n).toBeGreaterThan(0);
    db.close();
  });

  it('applies the storage policy: deadband, heartbeat, quality changes', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const h = open(join(dir, 'h.db'), {
      policies: () => resolveStoragePolicy({ deadband: 0.5, heartbeatS: 10 }, { kind: 'analog' }),
    });
    const s = (i: number, value: number, code: 'Good' | 'Bad' = 'Good'): Sample => ({
      tag: 'X.Y.Z',
      value,
      quality: code === 'Good' ? { code } : { code, reason: 'communication lost' },
      sourceTime: T0 + i * 1000,
      receiveTime: T0 + i * 1000,
    });
    h.ingest([
      s(0, 1),
      s(1, 1.2),
      s(2, 1.6),
      s(3, 1.7),
      s(4, 1.7, 'Bad'),
      s(5, 1.7, 'Bad'),
      s(6, 1.7),
      s(20, 1.7),
      s(21, 1.8),
      s(19, 5),
    ]);
    await h.flush();
    const raw = h.queryRaw('X.Y.Z', T0, T0 + 60_000);
    expect(raw.t.map((t) => (t - T0) / 1000)).toEqual([0, 2, 4, 6, 20]);
    expect(raw.q).toEqual([0, 0, 2, 0, 0]);
    expect(raw.r).toEqual([null, null, 'communication lost', null, null]);
    expect(h.status().outOfOrderSamples).toBe(1);
  });

  it('serves GET /api/v1/history with clear errors', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const h = open(join(dir, 'h.db'));
    for (const b of analogSamples(['A.B.C'], T0, 120)) h.ingest(b);
    await h.flush();
    const q = (s: string) => historyRestHandler(h, new URLSearchParams(s));
    const iso = (t: number) => new Date(t).toISOString();
    const raw = q(`tag=A.B.C&from=${iso(T0)}&to=${iso(T0 + 59_000)}`);
    expect(raw.status).toBe(200);
    expect((raw.body as { t: number[] }).t.length).toBe(60);
    const trend = q(`tag=A.B.C&from=${iso(T0)}&to=${iso(T0 + 119_999)}&buckets=2`);
    expect((trend.body as { count: number[] }).count).toEqual([60, 60]);
    expect(q(`from=${iso(T0)}&to=${iso(T0)}`)).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('"tag"') } },
    });
    expect(q(`tag=A.B.C&from=yesterday&to=${iso(T0)}`)).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('"from"') } },
    });
    expect(q(`tag=A.B.C&from=${iso(T0)}`)).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('"to"') } },
    });
    expect(q(`tag=A.B.C&from=${iso(T0)}&to=${iso(T0 + 1)}&buckets=0`)).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('"buckets"') } },
    });
    expect(q(`tag=A.B.C&from=${iso(T0 + 5)}&to=${iso(T0)}`).status).toBe(400);
  });
});

describe('historian retention', () => {
  it('drops each tier after its own retention, in the background', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const day = 86_400_000;
    const h = open(join(dir, 'r.db'), {
      now: () => T0 + 10 * day,
      retention: { rawDays: 5, minuteDays: 8, hourDays: null },
      retentionIntervalMs: 30,
    });
    // One sample a minute for 9 days.
    for (const b of analogSamples(['RT.A.B'], T0, 9 * 1440, 60_000)) h.ingest(b);
    await h.flush();
    // A pass goes tier by tier: wait for the raw and the 1-minute tiers both.
    const trimmed = () =>
      h.queryRaw('RT.A.B', T0, T0 + 4 * day).t.length === 0 &&
      (h.queryTrend('RT.A.B', T0, T0 + 9 * day, 9 * 24 * 4).t[0] ?? 0) >= T0 + day;
    for (let i = 0; i < 100 && !trimmed(); i++) await new Promise((r) => setTimeout(r, 20));
    // Raw: nothing left before the cutoff, except in a block that reaches past it (blocks span ≤ 6 h).
    expect(h.queryRaw('RT.A.B', T0, T0 + 5 * day - 6 * 3_600_000).t).toEqual([]);
    expect(h.queryRaw('RT.A.B', T0 + 5 * day, T0 + 6 * day - 1).t.length).toBe(1440);
    const minutes = h.queryTrend('RT.A.B', T0, T0 + 9 * day, 9 * 24 * 4);
    expect(minutes.tier).toBe('1m');
    expect(minutes.t[0]).toBeGreaterThanOrEqual(T0 + 2 * day - day);
    const hours = h.queryTrend('RT.A.B', T0, T0 + 9 * day, 9 * 24);
    expect(hours.tier).toBe('1h');
    expect(hours.t[0]).toBe(T0);
    expect(hours.count.reduce((a, b) => a + b, 0)).toBe(9 * 1440);
  });
});
