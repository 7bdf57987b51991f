import { describe, expect, it } from 'vitest';
import type { HistoryTrendDto } from '../../preload/contract.js';
import {
  buildFrame,
  countGaps,
  indexAt,
  liveGrid,
  LATE_SAMPLE_MS,
  liveTail,
  rawChannel,
  slideFrame,
  type TrendFrame,
  valueIndexNear,
} from '../../renderer/trends/trend-data.js';

const from = 1_000_000;
const bucketMs = 1000;

/** A trend reply with one entry per given bucket index. */
function reply(
  entries: { i: number; min: number; max: number; avg: number; last?: number; q?: number }[],
  gaps: HistoryTrendDto['gaps'] = [],
): HistoryTrendDto {
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

/** `frame` slid to end at bucket `toBucket` (the time then being its end), `tail` answering from bucket `fromBucket`. */
function slide(frame: TrendFrame, tail: HistoryTrendDto, fromBucket: number, toBucket: number, holdMs: number) {
  const to = from + toBucket * bucketMs;
  return slideFrame(frame, [{ reply: tail, shiftMs: 0 }], from + fromBucket * bucketMs, to, to, holdMs);
}

describe('buildFrame', () => {
  it('puts x at bucket centres and the band and average in their buckets', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 5, avg: 3 },
            { i: 1, min: 2, max: 9, avg: 4 },
          ]),
        },
      ],
      { ...options, holdMs: 0 },
    );
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
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 1, avg: 1 },
            { i: 1, min: 1, max: 500, avg: 2 },
            { i: 2, min: 1, max: 1, avg: 1 },
          ]),
        },
      ],
      options,
    );
    expect(Math.max(...frame.pens[0]!.max.filter((v): v is number => v !== null))).toBe(500);
  });

  it('holds the last stored value across empty buckets within the hold time (no change stored), then leaves a gap', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 5, avg: 3, last: 4 },
            { i: 8, min: 7, max: 7, avg: 7 },
          ]),
        },
      ],
      { ...options, holdMs: 3000 },
    );
    const pen = frame.pens[0]!;
    // Buckets 1..3 start within 3 s of bucket 0: they repeat its last value, not an interpolation toward 7.
    expect(pen.avg.slice(0, 9)).toEqual([3, 4, 4, 4, null, null, null, null, 7]);
    expect(pen.min[2]).toBe(4);
    expect(pen.held.slice(0, 5)).toEqual([false, true, true, true, false]);
    expect(pen.avgGood[5]).toBeNull();
  });

  it('draws recorded gaps as gaps even within the hold time', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply(
            [
              { i: 0, min: 1, max: 1, avg: 1 },
              { i: 5, min: 2, max: 2, avg: 2 },
            ],
            [{ from: from + 1000, to: from + 2500, samples: 40, reason: 'buffer overflow' }],
          ),
        },
      ],
      options,
    );
    const pen = frame.pens[0]!;
    expect(pen.avg.slice(0, 6)).toEqual([1, null, null, null, null, 2]);
    expect(pen.avg.slice(6)).toEqual([2, 2, 2, 2]);
  });

  it('does not hold past now', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 0, min: 1, max: 1, avg: 1 }]) }], {
      ...options,
      nowMs: from + 2500,
    });
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
    const r = reply([
      { i: -1, min: 9, max: 9, avg: 9 },
      { i: 10, min: 9, max: 9, avg: 9 },
    ]);
    const frame = buildFrame([{ tag: 'T1', reply: r }], options);
    expect(frame.pens[0]!.avg.every((v) => v === null)).toBe(true);
  });
});

describe('valueIndexNear', () => {
  it('finds the nearest bucket with a value within reach', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 4, min: 1, max: 1, avg: 1 }]) }], {
      ...options,
      holdMs: 0,
    });
    const pen = frame.pens[0]!;
    expect(valueIndexNear(pen, 4)).toBe(4);
    expect(valueIndexNear(pen, 6)).toBe(4);
    expect(valueIndexNear(pen, 8)).toBeNull();
    expect(valueIndexNear(pen, 0, 5)).toBe(4);
  });
});

describe('outages and gaps', () => {
  it('draws a device outage (no Good sample, the value frozen) as a gap, holds nothing over from it, and counts the break', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 2, avg: 1.5 },
            { i: 1, min: 2, max: 2, avg: 2, q: 0 },
            { i: 5, min: 3, max: 4, avg: 3.5 },
          ]),
        },
      ],
      { ...options, holdMs: 60_000 },
    );
    const pen = frame.pens[0]!;
    expect(pen.avg.slice(0, 6)).toEqual([1.5, null, null, null, null, 3.5]);
    expect(pen.gaps).toBe(1);
  });

  it('keeps a not-Good bucket whose value moves (Uncertain data is still data), dashed', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 2, avg: 1.5 },
            { i: 1, min: 2, max: 3, avg: 2.5, q: 0 },
          ]),
        },
      ],
      { ...options, holdMs: 0 },
    );
    expect(frame.pens[0]!.avgPoor[1]).toBe(2.5);
  });

  it('breaks the line where samples stop for longer than the hold time', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 1, avg: 1 },
            { i: 8, min: 1, max: 1, avg: 1 },
          ]),
        },
      ],
      { ...options, holdMs: 2500 },
    );
    const pen = frame.pens[0]!;
    expect(pen.held.slice(0, 9)).toEqual([false, true, true, false, false, false, false, false, false]);
    expect(pen.gaps).toBe(1);
  });

  it('counts runs of empty buckets only between values', () => {
    expect(countGaps([null, 1, null, null, 2, null, 3, null])).toBe(2);
    expect(countGaps([null, null])).toBe(0);
  });
});

describe('time-shifted channels', () => {
  it('places a reply asked for a day earlier on the shown window', () => {
    const day = 86_400_000;
    const earlier = { ...reply([{ i: 2, min: 5, max: 5, avg: 5 }]), t: [from - day + 2 * bucketMs] };
    const frame = buildFrame([{ tag: 'T1', reply: earlier, shiftMs: day }], { ...options, holdMs: 0 });
    expect(frame.pens[0]!.avg.slice(0, 4)).toEqual([null, null, 5, null]);
  });
});

describe('live window', () => {
  it('aligns the grid on whole buckets ending at or after now', () => {
    expect(liveGrid(60_000, 60, 1_000_500)).toEqual({ from: 941_000, to: 1_001_000, bucketMs: 1000, buckets: 60 });
    expect(liveGrid(60_000, 7, 1_000_000).bucketMs).toBe(8572);
  });

  it('slides by whole buckets, keeps what it had and replaces the newest buckets from the tail reply', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 1, avg: 1 },
            { i: 8, min: 8, max: 8, avg: 8 },
            { i: 9, min: 9, max: 9, avg: 9 },
          ]),
        },
      ],
      { ...options, holdMs: 0 },
    );
    const tail: HistoryTrendDto = {
      ...reply([]),
      t: [from + 9 * bucketMs, from + 11 * bucketMs],
      min: [9.5, 11],
      max: [9.5, 11],
      avg: [9.5, 11],
      first: [9.5, 11],
      last: [9.5, 11],
      count: [1, 1],
      q: [1, 1],
    };
    const next = slide(frame, tail, 9, 12, 0);
    expect(next.from).toBe(from + 2 * bucketMs);
    expect(next.to).toBe(from + 12 * bucketMs);
    expect(next.x[0]).toBe(from + 2500);
    expect(next.x).toHaveLength(10);
    // Bucket 0 fell off; 8 stayed (now index 6); 9 was replaced by the tail; 10 empty; 11 new.
    expect(next.pens[0]!.avg).toEqual([null, null, null, null, null, null, 8, 9.5, null, 11]);
  });

  it('re-derives holding across the seam', () => {
    const frame = buildFrame([{ tag: 'T1', reply: reply([{ i: 9, min: 4, max: 4, avg: 4 }]) }], {
      ...options,
      holdMs: 5000,
    });
    const next = slide(frame, reply([{ i: 9, min: 4, max: 4, avg: 4 }]), 9, 12, 5000);
    expect(next.pens[0]!.avg.slice(7)).toEqual([4, 4, 4]);
    expect(next.pens[0]!.held.slice(7)).toEqual([false, true, true]);
  });
});

describe('a live tail placed on the grid', () => {
  const grid = { from, bucketMs, buckets: 10 };
  it('holds only the buckets from the first one asked for, entry 0 being that bucket', () => {
    const tail = reply(
      [
        { i: 5, min: 5, max: 5, avg: 5 },
        { i: 7, min: 6, max: 8, avg: 7 },
        { i: 9, min: 9, max: 9, avg: 9 },
        { i: 10, min: 10, max: 10, avg: 10 },
      ],
      [{ from: from + 6 * bucketMs, to: from + 12 * bucketMs, samples: 0, reason: 'offline' }],
    );
    const whole = rawChannel('T1', tail, grid);
    const part = rawChannel('T1', tail, grid, 0, 6);
    expect(part.avg).toEqual(whole.avg.slice(6));
    expect(part.avg).toEqual([null, 7, null, 9]);
    expect(part.min).toEqual(whole.min.slice(6));
    expect(part.inGap).toEqual(whole.inGap.slice(6));
    expect(part.inGap).toEqual([true, true, true, true]);
    expect(rawChannel('T1', tail, grid, 0, 10).avg).toEqual([]);
  });

  it('slides to the same frame as one built from scratch, and keeps the bucket centres when not slid', () => {
    const all = [
      { i: 0, min: 1, max: 2, avg: 1.5 },
      { i: 3, min: 3, max: 3, avg: 3, q: 0 },
      { i: 6, min: 5, max: 7, avg: 6, q: 0.5 },
      { i: 8, min: 8, max: 8, avg: 8 },
      { i: 9, min: 9, max: 9.5, avg: 9.2 },
      { i: 11, min: 11, max: 11, avg: 11 },
    ];
    const frame = buildFrame([{ tag: 'T1', reply: reply(all.filter((e) => e.i < 10)) }], { ...options, holdMs: 2000 });
    const tail = (entries: typeof all) => ({
      ...reply(entries),
      gaps: [{ from: from + 10_100, to: from + 10_200, samples: 0, reason: 'offline' }],
    });
    const slid = slide(frame, tail(all.filter((e) => e.i >= 8)), 8, 12, 2000);
    const scratch = buildFrame([{ tag: 'T1', reply: { ...reply(all.filter((e) => e.i >= 2)), gaps: tail([]).gaps } }], {
      from: from + 2 * bucketMs,
      to: from + 12 * bucketMs,
      buckets: 10,
      nowMs: from + 12 * bucketMs,
      holdMs: 2000,
    });
    expect(slid.pens).toEqual(scratch.pens);
    expect(slid.x).toEqual(scratch.x);
    // Not slid, a newer answer for the newest bucket: new columns, the same bucket centres.
    const filled = slide(slid, tail([{ i: 11, min: 11, max: 12, avg: 11.5 }]), 11, 12, 2000);
    expect(filled.pens[0]!.avg[9]).toBe(11.5);
    expect(filled.x).toBe(slid.x);
  });
});

describe('indexAt', () => {
  it('finds the bucket of a time, clamped to the frame', () => {
    const frame = buildFrame([], { ...options });
    expect(indexAt(frame, from + 2500)).toBe(2);
    expect(indexAt(frame, from - 5)).toBe(0);
    expect(indexAt(frame, from + 99_000)).toBe(9);
  });
});

describe('holding after a stretch that was not all Good', () => {
  it('holds only a few seconds (the last sample may have been Bad), then breaks the line', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 0, min: 1, max: 2, avg: 1.5, q: 0.5 },
            { i: 9, min: 1, max: 1, avg: 1 },
          ]),
        },
      ],
      { from, to: from + 10 * 2000, buckets: 10, nowMs: from + 100_000, holdMs: 60_000 },
    );
    const pen = frame.pens[0]!;
    expect(pen.held.slice(0, 5)).toEqual([false, true, true, false, false]);
    expect(pen.gaps).toBe(1);
  });
});

describe('a live second with nothing new', () => {
  it('returns the same frame when the window did not move and the tail repeats what it has', () => {
    const frame = buildFrame(
      [
        {
          tag: 'T1',
          reply: reply([
            { i: 8, min: 8, max: 8, avg: 8 },
            { i: 9, min: 9, max: 9, avg: 9 },
          ]),
        },
      ],
      { ...options, holdMs: 0 },
    );
    const same = slide(frame, reply([{ i: 9, min: 9, max: 9, avg: 9 }]), 9, 10, 0);
    expect(same).toBe(frame);
    const moved = slide(frame, reply([{ i: 9, min: 9, max: 9.5, avg: 9.2 }]), 9, 10, 0);
    expect(moved).not.toBe(frame);
    expect(moved.pens[0]!.avg[9]).toBe(9.2);
  });
});

describe('a live second that changed some channels only', () => {
  it('keeps the columns of a channel whose answers did not change and derives the others again', () => {
    const steady = reply([
      { i: 8, min: 8, max: 8, avg: 8 },
      { i: 9, min: 9, max: 9, avg: 9 },
    ]);
    const frame = buildFrame(
      [
        { tag: 'A', reply: steady },
        { tag: 'B', reply: steady },
        { tag: 'C', reply: steady },
      ],
      { ...options, holdMs: 0 },
    );
    const same = reply([{ i: 9, min: 9, max: 9, avg: 9 }]);
    const newer = reply([{ i: 9, min: 9, max: 9.5, avg: 9.2 }]);
    // A's last sample differs only in its last value: what a held bucket after it repeats.
    const lastOnly = reply([{ i: 9, min: 9, max: 9, avg: 9, last: 8.5 }]);
    const next = slideFrame(
      frame,
      [
        { reply: lastOnly, shiftMs: 0 },
        { reply: same, shiftMs: 0 },
        { reply: newer, shiftMs: 0 },
      ],
      from + 9 * bucketMs,
      from + 10 * bucketMs,
      from + 10 * bucketMs,
      0,
    );
    expect(next).not.toBe(frame);
    expect(next.pens[1]).toBe(frame.pens[1]);
    expect(next.raw![1]).toBe(frame.raw![1]);
    expect(next.pens[0]).not.toBe(frame.pens[0]);
    expect(next.raw![0]!.last[9]).toBe(8.5);
    expect(next.pens[2]!.avg[9]).toBe(9.2);
    expect(frame.pens[2]!.avg[9]).toBe(9);
    // Slid by a bucket, every channel moves.
    const slid = slideFrame(
      frame,
      [
        { reply: same, shiftMs: 0 },
        { reply: same, shiftMs: 0 },
        { reply: same, shiftMs: 0 },
      ],
      from + 9 * bucketMs,
      from + 11 * bucketMs,
      from + 11 * bucketMs,
      0,
    );
    expect(slid.pens[1]).not.toBe(frame.pens[1]);
    expect(slid.pens[1]!.avg.slice(7)).toEqual([8, 9, null]);
  });
});

describe('live seconds and samples that reach the history late', () => {
  it('asks again from a few seconds before the frame end, in whole buckets, at least one', () => {
    const frame = { from: 0, to: 70_000, bucketMs: 700 };
    expect(liveTail(frame, 70_500, 15_000)).toEqual({ from: 70_000 - 22 * 700, to: 70_700, buckets: 23 });
    expect(liveTail(frame, 70_500, 0)).toEqual({ from: 69_300, to: 70_700, buckets: 2 });
    // A wide bucket: one bucket back is already further than the lateness.
    expect(liveTail({ from: 0, to: 3_600_000, bucketMs: 60_000 }, 3_600_000, 15_000)).toEqual({
      from: 3_540_000,
      to: 3_600_000,
      buckets: 1,
    });
    // Never before the frame.
    expect(liveTail({ from: 60_000, to: 70_000, bucketMs: 1000 }, 70_000, 15_000).from).toBe(60_000);
  });

  /**
   * A history that answers `history.trend` from samples it has received by the time it is
   * asked: each sample has the time it was stamped and the time it became queryable.
   */
  interface Stored {
    readonly t: number;
    readonly v: number;
    readonly good: boolean;
    readonly visibleAt: number;
  }
  function answer(samples: readonly Stored[], from: number, to: number, buckets: number, at: number): HistoryTrendDto {
    const width = (to - from) / buckets;
    const out: HistoryTrendDto = {
      ...reply([]),
      from,
      to,
      bucketMs: width,
      t: [],
      min: [],
      max: [],
      avg: [],
      first: [],
      last: [],
      count: [],
      q: [],
    };
    for (let b = 0; b < buckets; b++) {
      const start = from + b * width;
      const inside = samples.filter((s) => s.visibleAt <= at && s.t >= start && s.t < start + width);
      if (inside.length === 0) continue;
      const v = inside.map((s) => s.v);
      out.t.push(start);
      out.min.push(Math.min(...v));
      out.max.push(Math.max(...v));
      out.avg.push(v.reduce((a, x) => a + x, 0) / v.length);
      out.first.push(v[0]!);
      out.last.push(v[v.length - 1]!);
      out.count.push(v.length);
      out.q.push(inside.filter((s) => s.good).length / inside.length);
    }
    return out;
  }

  /**
   * A device answers every 250 ms with a moving value, stops answering at 20 s (one Bad
   * sample with the frozen value: the driver reports the loss once), answers again at 32 s.
   * Good samples are queryable 300 ms after their stamp; the Bad one 1.6 s after (the
   * station was busy). The console appends each second, as the trend view does.
   */
  function runLive(lateMs: number): { frame: TrendFrame; full: TrendFrame } {
    const start = 1_700_000_000_000;
    const samples: Stored[] = [];
    for (let t = start - 60_000; t < start + 45_000; t += 250) {
      const s = t - start;
      if (s >= 20_000 && s < 32_000) continue;
      samples.push({ t, v: 50 + Math.sin(t / 3000), good: true, visibleAt: t + 300 });
    }
    const frozen = samples.filter((x) => x.t < start + 20_000).at(-1)!.v;
    samples.push({ t: start + 20_050, v: frozen, good: false, visibleAt: start + 21_650 });
    samples.sort((a, b) => a.t - b.t);

    const grid = liveGrid(60_000, 86, start);
    let frame = buildFrame([{ tag: 'T1', reply: answer(samples, grid.from, grid.to, grid.buckets, start) }], {
      ...grid,
      nowMs: start,
    });
    let now = start;
    for (now += 1000; now <= start + 45_000; now += 1000) {
      const tail = liveTail(frame, now, lateMs);
      const reply = answer(samples, tail.from, tail.to, tail.buckets, now);
      frame = slideFrame(frame, [{ reply, shiftMs: 0 }], tail.from, tail.to, now);
    }
    now -= 1000;
    // The same window asked for in full at the last second.
    const n = frame.x.length;
    const full = buildFrame([{ tag: 'T1', reply: answer(samples, frame.from, frame.to, n, now) }], {
      from: frame.from,
      to: frame.to,
      buckets: n,
      nowMs: now,
    });
    return { frame, full };
  }

  it('draws an outage whose Bad sample arrived after its bucket was first asked for as a gap, not a held flat line', () => {
    const { frame, full } = runLive(LATE_SAMPLE_MS);
    expect(full.pens[0]!.gaps).toBe(1);
    expect(frame.pens[0]!.gaps).toBe(1);
    // Appended second by second, the window is what asking for it in full draws.
    expect(frame.pens[0]!.avg).toEqual(full.pens[0]!.avg);
  });

  it('would hold the last Good value over that outage if only the newest bucket were asked again', () => {
    const { frame } = runLive(0);
    expect(frame.pens[0]!.gaps).toBe(0);
    expect(frame.pens[0]!.held.filter(Boolean).length).toBeGreaterThan(10);
  });
});
