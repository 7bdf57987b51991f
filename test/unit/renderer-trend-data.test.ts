import { describe, expect, it } from 'vitest';
import type { HistoryTrendDto } from '../../preload/contract.js';
import { buildFrame, valueIndexNear } from '../../renderer/trends/trend-data.js';

const from = 1_000_000;
const bucketMs = 1000;

/** A trend reply with one entry per given bucket index. */
function reply(entries: { i: number; min: number; max: number; avg: number; last?: number; q?: number }[], gaps: HistoryTrendDto['gaps'] = []): HistoryTrendDto {
  return {
    tag: 'T1',
    tier: 'raw',
    from,
    to: from + 10 * bucketMs,
    bucketMs,
    t: entries.map((e) => from + e.i * bucketMs),
    min: entries.map((e) => e.min),
    max: entries.map((e) => e.max),
    avg: entries.map((e) => e.avg),
    first: entries.map((e) => e.avg),
    last: entries.map((e) => e.last ?? e.avg),
    count: entries.map(() => 3),
    q: entries.map((e) => e.q ?? 1),
    gaps,
  };
}

const options = { from, to: from + 10 * bucketMs, buckets: 10, nowMs: from + 100 * bucketMs };

describe('buildFrame', () => {
  it('puts x at bucket centres and the band and average in their buckets', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 5, avg: 3 }, { i: 1, min: 2, max: 9, avg: 4 }]) }], { ...options, holdMs: 0 });
    expect(frame.x.slice(0, 2)).toEqual([from + 500, from + 1500]);
    expect(frame.x).toHaveLength(10);
    const pen = frame.pens[0]!;
    expect(pen.min.slice(0, 3)).toEqual([1, 2, null]);
    expect(pen.max.slice(0, 3)).toEqual([5, 9, null]);
    expect(pen.avgGood.slice(0, 3)).toEqual([3, 4, null]);
    expect(pen.avgPoor.every((v) => v === null)).toBe(true);
    expect(pen.stored).toBe(2);
  });

  it('keeps a one-bucket spike in the band', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 1, avg: 1 }, { i: 1, min: 1, max: 500, avg: 2 }, { i: 2, min: 1, max: 1, avg: 1 }]) }], options);
    expect(Math.max(...frame.pens[0]!.max.filter((v): v is number => v !== null))).toBe(500);
  });

  it('holds the last stored value across empty buckets within the hold time (no change stored), then leaves a gap', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 5, avg: 3, last: 4 }, { i: 8, min: 7, max: 7, avg: 7 }]) }], { ...options, holdMs: 3000 });
    const pen = frame.pens[0]!;
    // Buckets 1..3 start within 3 s of bucket 0: they repeat its last value, not an interpolation toward 7.
    expect(pen.avg.slice(0, 9)).toEqual([3, 4, 4, 4, null, null, null, null, 7]);
    expect(pen.min[2]).toBe(4);
    expect(pen.held.slice(0, 5)).toEqual([false, true, true, true, false]);
    expect(pen.avgGood[5]).toBeNull();
  });

  it('draws recorded gaps as gaps even within the hold time', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 1, avg: 1 }, { i: 5, min: 2, max: 2, avg: 2 }], [{ from: from + 1000, to: from + 2500, samples: 40, reason: 'buffer overflow' }]) }], options);
    const pen = frame.pens[0]!;
    expect(pen.avg.slice(0, 6)).toEqual([1, null, null, null, null, 2]);
    expect(pen.avg.slice(6)).toEqual([2, 2, 2, 2]);
  });

  it('does not hold past now', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 1, avg: 1 }]) }], { ...options, nowMs: from + 2500 });
    expect(frame.pens[0]!.avg.slice(0, 4)).toEqual([1, 1, 1, null]);
  });

  it('splits the average: not-Good buckets go to the dashed series, joined to the solid line on both sides', () => {
    const frame = buildFrame(
      [{ tag: 'T1', reply: reply([0, 1, 2, 3, 4].map((i) => ({ i, min: i, max: i, avg: i, q: i === 2 ? 0.5 : 1 }))) }],
      { ...options, holdMs: 0 },
    );
    const pen = frame.pens[0]!;
    expect(pen.avgGood.slice(0, 5)).toEqual([0, 1, null, 3, 4]);
    expect(pen.avgPoor.slice(0, 5)).toEqual([null, 1, 2, 3, null]);
    expect(pen.q[2]).toBe(0.5);
  });

  it('gives a pen without a reply empty columns of the right length', () => {
    const frame = buildFrame([{ tag: 'T1', reply: null }], options);
    expect(frame.pens[0]!.avg).toEqual(new Array(10).fill(null));
    expect(frame.pens[0]!.stored).toBe(0);
  });

  it('ignores buckets outside the range', () => {
    const r = reply([{ i: -1, min: 9, max: 9, avg: 9 }, { i: 10, min: 9, max: 9, avg: 9 }]);
    const frame = buildFrame([{ tag: 'T1', reply: r }], options);
    expect(frame.pens[0]!.avg.every((v) => v === null)).toBe(true);
  });
});

describe('valueIndexNear', () => {
  it('finds the nearest bucket with a value within reach', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 4, min: 1, max: 1, avg: 1 }]) }], { ...options, holdMs: 0 });
    const pen = frame.pens[0]!;
    expect(valueIndexNear(pen, 4)).toBe(4);
    expect(valueIndexNear(pen, 6)).toBe(4);
    expect(valueIndexNear(pen, 8)).toBeNull();
    expect(valueIndexNear(pen, 0, 5)).toBe(4);
  });
});
