import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StorageFilter, type StoredPoint } from '../../main/runtime/historian/storage-filter.js';
import {
  resolveStoragePolicy,
  historyConfigSchema,
  type StoragePolicy,
} from '../../main/runtime/historian/storage-policy.js';
import { RollupAccumulator, RollupRows } from '../../main/runtime/historian/rollups.js';
import { TrendBuilder, pickTier } from '../../main/runtime/historian/downsample.js';
import type { TagValue } from '../../protocols/driver.js';

function run(policy: StoragePolicy, points: Array<[number, TagValue, number?, string?]>): StoredPoint[] {
  const f = new StorageFilter(policy);
  const out: StoredPoint[] = [];
  for (const [t, v, q, r] of points)
    f.offer(t, v, q ?? 0, r, (t2, v2, q2, r2) => out.push({ t: t2, v: v2, q: q2, r: r2 }));
  f.flushPending((t2, v2, q2, r2) => out.push({ t: t2, v: v2, q: q2, r: r2 }));
  return out;
}

describe('storage policy resolution', () => {
  it('uses defaults by tag kind and turns a percent of the range into an absolute deadband', () => {
    expect(resolveStoragePolicy(undefined, { kind: 'analog' })).toEqual({
      mode: 'deadband',
      deadband: 0,
      relativePercent: 0,
      heartbeatMs: 60_000,
    });
    expect(resolveStoragePolicy(undefined, { kind: 'digital' }).heartbeatMs).toBe(600_000);
    expect(resolveStoragePolicy({ deadbandPercent: 0.5 }, { kind: 'analog', range: [0, 200] }).deadband).toBe(1);
    expect(resolveStoragePolicy({ deadbandPercent: 2 }, { kind: 'analog' })).toMatchObject({
      deadband: 0,
      relativePercent: 2,
    });
    expect(resolveStoragePolicy({ mode: 'swinging-door', deadband: 0.2, heartbeatS: 0 }, { kind: 'analog' })).toEqual({
      mode: 'swinging-door',
      deadband: 0.2,
      relativePercent: 0,
      heartbeatMs: 0,
    });
    expect(historyConfigSchema.safeParse({ deadband: -1 }).success).toBe(false);
    expect(historyConfigSchema.safeParse({ mode: 'sometimes' }).success).toBe(false);
  });
});

describe('storage filter', () => {
  const deadband = (d: number, heartbeatS = 0): StoragePolicy => ({
    mode: 'deadband',
    deadband: d,
    relativePercent: 0,
    heartbeatMs: heartbeatS * 1000,
  });

  it('stores the first sample, changes beyond the deadband, and heartbeats', () => {
    const s = 1000;
    const kept = run(deadband(1, 10), [
      [0, 5],
      [1 * s, 5.5],
      [2 * s, 6.5],
      [3 * s, 6],
      [4 * s, 4],
      [13 * s, 4],
      [14 * s, 4],
      [15 * s, 4.2],
    ]);
    expect(kept.map((p) => [p.t / s, p.v])).toEqual([
      [0, 5],
      [2, 6.5],
      [4, 4],
      [14, 4],
    ]);
  });

  it('with deadband 0 stores every change and no repeats', () => {
    expect(
      run(deadband(0), [
        [0, 1],
        [1, 1],
        [2, 2],
        [3, 2],
        [4, 1],
      ]).map((p) => p.t),
    ).toEqual([0, 2, 4]);
  });

  it('always stores quality and reason changes, nulls, and type changes', () => {
    const kept = run(deadband(100), [
      [0, 1],
      [1, 1, 2, 'communication lost'],
      [2, 1, 2, 'communication lost'],
      [3, 1, 2, 'timeout'],
      [4, null, 2, 'timeout'],
      [5, null, 2, 'timeout'],
      [6, 'text'],
      [7, 1],
    ]);
    expect(kept.map((p) => p.t)).toEqual([0, 1, 3, 4, 6, 7]);
    expect(kept[1]).toEqual({ t: 1, v: 1, q: 2, r: 'communication lost' });
  });

  it('refuses samples that are not after the previous one', () => {
    const f = new StorageFilter(deadband(0));
    const noop = () => {};
    expect(f.offer(10, 1, 0, undefined, noop)).toBe('stored');
    expect(f.offer(10, 2, 0, undefined, noop)).toBe('late');
    expect(f.offer(9, 2, 0, undefined, noop)).toBe('late');
    expect(f.offer(11, 2, 0, undefined, noop)).toBe('stored');
  });

  it('stores booleans and strings on change', () => {
    expect(
      run(deadband(0), [
        [0, false],
        [1, false],
        [2, true],
        [3, 'a'],
        [4, 'a'],
        [5, 'b'],
      ]).map((p) => p.t),
    ).toEqual([0, 2, 3, 5]);
  });

  it('swinging door: a straight ramp keeps its two ends; the reconstruction stays within the deviation', () => {
    const sdt: StoragePolicy = { mode: 'swinging-door', deadband: 0.5, relativePercent: 0, heartbeatMs: 0 };
    const ramp = Array.from({ length: 100 }, (_, i): [number, number] => [i * 1000, i * 0.3]);
    expect(run(sdt, ramp).map((p) => p.t)).toEqual([0, 99_000]);

    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 200 }),
        (steps) => {
          let x = 0;
          const points = steps.map((s, i): [number, number] => [i * 1000, (x += s)]);
          const kept = run(sdt, points);
          expect(kept[0]?.t).toBe(0);
          expect(kept[kept.length - 1]?.t).toBe((points.length - 1) * 1000);
          // Linear interpolation between kept points stays within twice the deviation (the classic bound).
          let k = 0;
          for (const [t, v] of points) {
            while ((kept[k + 1]?.t ?? Infinity) < t) k++;
            const a = kept[k] as StoredPoint;
            const b = kept[k + 1] ?? a;
            const interpolated =
              b.t === a.t
                ? (a.v as number)
                : (a.v as number) + (((b.v as number) - (a.v as number)) * (t - a.t)) / (b.t - a.t);
            expect(Math.abs(interpolated - v)).toBeLessThanOrEqual(2 * 0.5 + 1e-9);
          }
        },
      ),
    );
  });
});

describe('rollups and trends', () => {
  it('a rollup bucket is emitted when the next bucket starts, with min/max/first/last/sum/count/good', () => {
    const acc = new RollupAccumulator(60_000);
    const out = new RollupRows();
    acc.add(60_000, 5, true, out);
    acc.add(70_000, 1, false, out);
    acc.add(110_000, 3, true, out);
    expect(out.length).toBe(0);
    acc.add(125_000, 9, true, out);
    expect({ ...out }).toEqual({
      t: [60_000],
      count: [3],
      good: [2],
      min: [1],
      max: [5],
      first: [5],
      last: [3],
      sum: [9],
    });
  });

  it('M4 buckets keep a one-sample spike at any zoom, and rollups give the same trend as raw samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 10, maxLength: 600 }),
        fc.integer({ min: 1, max: 10 }),
        (all, perBucket) => {
          // Pixel buckets a whole number of minutes wide (as pickTier guarantees they are at least one).
          const values = all.slice(0, Math.max(perBucket, Math.floor(all.length / perBucket) * perBucket));
          const buckets = values.length / perBucket;
          const t = (i: number) => i * 60_000;
          const from = 0;
          const to = values.length * 60_000;
          const raw = new TrendBuilder(from, to, buckets);
          const viaRollups = new TrendBuilder(from, to, buckets);
          const acc = new RollupAccumulator(60_000);
          const rows = new RollupRows();
          values.forEach((v, i) => {
            raw.addSample(t(i) + 1000, v, true);
            acc.add(t(i) + 1000, v, true, rows);
            acc.add(t(i) + 2000, v, false, rows);
            raw.addSample(t(i) + 2000, v, false);
          });
          acc.add(Number.MAX_SAFE_INTEGER - 1, 0, true, rows);
          for (let k = 0; k < rows.length; k++)
            viaRollups.addBucket(
              rows.t[k] as number,
              rows.count[k] as number,
              rows.good[k] as number,
              rows.min[k] as number,
              rows.max[k] as number,
              rows.first[k] as number,
              rows.last[k] as number,
              rows.sum[k] as number,
            );
          const a = raw.finish('X', 'raw');
          const b = viaRollups.finish('X', '1m');
          expect(b.max).toEqual(a.max);
          expect(b.min).toEqual(a.min);
          expect(b.first).toEqual(a.first);
          expect(b.count).toEqual(a.count);
          expect(b.q).toEqual(a.q.map(() => 0.5));
          expect(Math.max(...a.max)).toBe(Math.max(...values));
          expect(Math.min(...a.min)).toBe(Math.min(...values));
        },
      ),
    );
  });

  it('picks the coarsest tier that fits the pixel width', () => {
    const day = 86_400_000;
    expect(pickTier(0, 3_600_000, 2000)).toBe(0);
    expect(pickTier(0, day, 2000)).toBe(0);
    expect(pickTier(0, 30 * day, 2000)).toBe(1);
    expect(pickTier(0, 365 * day, 2000)).toBe(2);
  });
});
