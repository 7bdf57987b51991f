/** When a live second of the trend is drawn as a strip, and what the strip redraws. */
import { describe, expect, it } from 'vitest';
import type { AlignedData } from 'uplot';
import {
  emptySeries,
  firstChanged,
  planStrip,
  scaleExtents,
  stripData,
  type Drawn,
} from '../../renderer/trends/trend-strip.js';

const N = 100;
const BUCKET = 36_000;
/** A 1-hour window of N buckets starting `from`, one series whose value at bucket i is f(time). */
function frame(from: number, f: (t: number) => number | null): Drawn {
  const x = Array.from({ length: N }, (_, i) => from + (i + 0.5) * BUCKET);
  const data: AlignedData = [x, x.map(f)];
  return { from, to: from + N * BUCKET, data };
}
const wave = (t: number) => Math.sin(t / 1e6);
/** The plot 1 device pixel per bucket (as the trend asks for as many buckets as it has pixels). */
const geometry = { left: 50, top: 10, width: N, height: 80, canvasWidth: N + 110, canvasHeight: 130 };
const noMarks = { leftMarks: 50, endMarks: Infinity };

describe('firstChanged', () => {
  it('finds nothing but the new buckets when the window only slid', () => {
    const a = frame(0, wave);
    const b = frame(2 * BUCKET, wave);
    expect(firstChanged(a.data, b.data, 2)).toBe(N - 2);
  });
  it('finds an older bucket that changed (a late sample, a gap filled)', () => {
    const a = frame(0, wave);
    const b = frame(BUCKET, (t) => (t > 40 * BUCKET && t < 41 * BUCKET ? 5 : wave(t)));
    expect(firstChanged(a.data, b.data, 1)).toBe(39);
  });
  it('treats undefined and null alike', () => {
    const a: AlignedData = [
      [1, 2, 3],
      [1, undefined as unknown as null, 3],
    ];
    const b: AlignedData = [
      [1, 2, 3],
      [1, null, 3],
    ];
    expect(firstChanged(a, b, 0)).toBe(3);
  });
});

describe('scaleExtents', () => {
  it('takes the smallest and largest value of every series on a scale, skipping gaps', () => {
    const data: AlignedData = [
      [1, 2, 3],
      [5, null, 7],
      [1, 9, null],
      [null, null, null],
    ];
    const extents = scaleExtents([undefined, 'unit:°C', 'unit:°C', 'unit:%'], data);
    expect(extents.get('unit:°C')).toEqual([1, 9]);
    expect(extents.get('unit:%')).toEqual([null, null]);
  });
});

describe('stripData', () => {
  const data: AlignedData = [
    [10, 20, 30, 40, 50, 60],
    [1, null, 3, 4, 5, 6],
    [7, 8, 9, null, 11, 12],
  ];
  it('keeps the buckets at both ends with an empty bucket between, halfway in time', () => {
    expect(stripData(data, 1, 4)).toEqual([
      [10, 20, 35, 50, 60],
      [1, null, null, 5, 6],
      [7, 8, null, 11, 12],
    ]);
  });
  it('keeps only the right part when nothing is redrawn at the left', () => {
    expect(stripData(data, -1, 3)).toEqual([
      [40, 50, 60],
      [4, 5, 6],
      [null, 11, 12],
    ]);
  });
  it('puts no empty bucket between parts that meet or overlap, and repeats no bucket', () => {
    expect(stripData(data, 2, 3)).toEqual(data);
    expect(stripData(data, 3, 2)).toEqual(data);
  });
});

describe('emptySeries', () => {
  it('names the series without a single value (never the time column)', () => {
    const data: AlignedData = [
      [1, 2, 3],
      [null, null, null],
      [null, 0, null],
      [undefined as unknown as null, null, null],
      [],
    ];
    expect(emptySeries(data)).toEqual([1, 3, 4]);
    expect(emptySeries([[], [5]])).toEqual([]);
  });

  it('is part of a strip plan: a not-Good average with nothing in the strip is left out', () => {
    const prev = frame(0, wave);
    const x = prev.data[0] as number[];
    const withPoor = (d: Drawn): Drawn => ({
      ...d,
      data: [...d.data, x.map((_, i) => (i < 20 ? 1 : null))] as AlignedData,
    });
    const plan = planStrip(
      geometry,
      withPoor(prev),
      withPoor(frame(0, (t) => (t > 99 * BUCKET ? 3 : wave(t)))),
      noMarks,
      true,
    )!;
    expect(plan.empty).toEqual([2]);
  });
});

describe('planStrip', () => {
  const prev = frame(0, wave);

  it('moves the drawing by whole pixels and redraws the newest buckets, the axes and the right margin', () => {
    const next = frame(2 * BUCKET, wave);
    const plan = planStrip(geometry, prev, next, noMarks, true)!;
    expect(plan.dx).toBe(2);
    // From two buckets before the first changed one (the segment into it), a pixel more for the line.
    expect(plan.stripFrom).toBe(50 + (N - 2 - 2) - 2);
    expect(plan.regions).toContainEqual([plan.stripFrom, 0, 50 + N - plan.stripFrom, 90]);
    expect(plan.regions).toContainEqual([50 + N, 0, 60, 90]);
    expect(plan.regions).toContainEqual([0, 90, N + 110, 40]);
    // Only the buckets the strip draws are kept (from one before its left edge), the others left out.
    expect(plan.data[0]).toEqual((next.data[0] as number[]).slice(N - 7));
    expect(plan.data[1]).toEqual((next.data[1] as number[]).slice(N - 7));
  });

  it('redraws the limit labels at the left with the buckets under them', () => {
    const next = frame(BUCKET, wave);
    const plan = planStrip(geometry, prev, next, { leftMarks: 70, endMarks: Infinity }, true)!;
    expect(plan.stripTo).toBe(72);
    expect(plan.regions).toContainEqual([50, 0, 22, 90]);
    // Buckets 0…23 (one past the left strip), an empty bucket, buckets 94…99 (one before the right strip).
    const values = next.data[1] as number[];
    const x = next.data[0] as number[];
    expect(plan.data[1]).toEqual([...values.slice(0, 24), null, ...values.slice(94)]);
    expect(plan.data[0]).toEqual([...x.slice(0, 24), (x[23]! + x[94]!) / 2, ...x.slice(94)]);
  });

  it('draws in full when a y range changed, the window jumped, or the step is not a whole pixel', () => {
    expect(planStrip(geometry, prev, frame(BUCKET, wave), noMarks, false)).toBeNull();
    expect(planStrip(geometry, prev, frame(-BUCKET, wave), noMarks, true)).toBeNull();
    expect(planStrip(geometry, prev, frame(40 * BUCKET, wave), noMarks, true)).toBeNull();
    expect(planStrip({ ...geometry, width: 150 }, prev, frame(BUCKET, wave), noMarks, true)).toBeNull();
    expect(planStrip(geometry, prev, frame(BUCKET / 2, wave), noMarks, true)).toBeNull();
  });

  it('draws in full when an older bucket changed far from the newest ones', () => {
    const next = frame(BUCKET, (t) => (t < 10 * BUCKET ? 5 : wave(t)));
    expect(planStrip(geometry, prev, next, noMarks, true)).toBeNull();
  });

  it('draws in full when a pen ended left of the strip (its end mark would be carried along)', () => {
    const next = frame(BUCKET, wave);
    expect(planStrip(geometry, prev, next, { leftMarks: 50, endMarks: 120 }, true)).toBeNull();
    expect(planStrip(geometry, prev, next, { leftMarks: 50, endMarks: 149 }, true)).not.toBeNull();
  });

  it('draws without moving when the window did not slide (the newest bucket filled in)', () => {
    const next = frame(0, (t) => (t > 99 * BUCKET ? 3 : wave(t)));
    const plan = planStrip(geometry, prev, next, noMarks, true)!;
    expect(plan.dx).toBe(0);
    expect(plan.stripFrom).toBe(50 + 97 - 2);
  });

  it('leaves the limit labels at the left and the time axis alone when the drawing did not move', () => {
    const next = frame(0, (t) => (t > 99 * BUCKET ? 3 : wave(t)));
    const plan = planStrip(geometry, prev, next, { leftMarks: 70, endMarks: Infinity }, true)!;
    expect(plan.leftMarks).toBe(false);
    expect(plan.stripTo).toBe(50);
    // The newest buckets and the right margin only: no region at the left, none below the plot.
    expect(plan.regions).toEqual([
      [plan.stripFrom, 0, 50 + N - plan.stripFrom, 90],
      [50 + N, 0, 60, 90],
    ]);
    expect(plan.data[1]).toEqual((next.data[1] as number[]).slice(N - 6));
    // Moved by a bucket, the labels and the axis are drawn again.
    const moved = planStrip(geometry, prev, frame(BUCKET, wave), { leftMarks: 70, endMarks: Infinity }, true)!;
    expect(moved.leftMarks).toBe(true);
    expect(moved.regions).toContainEqual([0, 90, N + 110, 40]);
  });
});
