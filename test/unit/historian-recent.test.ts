import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RecentRowDecoder,
  TagTail,
  encodeRecentRow,
  type RecentGroup,
} from '../../main/runtime/historian/recent-samples.js';
import { decodeSampleBlock, reasonAt, valueAt } from '../../main/runtime/historian/sample-block.js';
import type { TagValue } from '../../protocols/driver.js';

type Point = [t: number, v: TagValue, q: number, r: string | undefined];

/** The writer's side in miniature: per tag the points since its last write-out, one row per write. */
function writeRows(writes: Array<{ points: Map<number, Point[]>; writtenOut: Set<number> }>): {
  rows: Uint8Array[];
  tails: Map<number, Point[]>;
} {
  const tails = new Map<number, Point[]>();
  const rows: Uint8Array[] = [];
  for (const { points, writtenOut } of writes) {
    const groups: RecentGroup[] = [];
    for (const [id, pts] of points) {
      const tail = tails.get(id) ?? [];
      const last = tail[tail.length - 1];
      groups.push({
        id,
        t: pts.map((p) => p[0]),
        v: pts.map((p) => p[1]),
        q: pts.map((p) => p[2]),
        r: pts.map((p) => p[3]),
        count: pts.length,
        previous: writtenOut.has(id) || !last ? null : { t: last[0], v: last[1] },
      });
    }
    rows.push(encodeRecentRow(groups));
    for (const [id, pts] of points) if (!writtenOut.has(id)) tails.set(id, [...(tails.get(id) ?? []), ...pts]);
    for (const id of writtenOut) tails.delete(id);
  }
  return { rows, tails };
}

function decodeAll(rows: Uint8Array[]): Map<number, Point[]> {
  const out = new Map<number, Point[]>();
  const decoder = new RecentRowDecoder();
  for (const row of rows) {
    decoder.decode(row, (id, t, v, q, r) => {
      const list = out.get(id) ?? [];
      list.push([t, v, q, r]);
      out.set(id, list);
    });
  }
  return out;
}

const valueArb: fc.Arbitrary<TagValue> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .integer({ min: -2_000_000, max: 2_000_000 })
      .chain((i) => fc.constantFrom(i, i / 10, i / 100, i / 1000)),
  },
  { weight: 2, arbitrary: fc.double({ noDefaultInfinity: false }).map((x) => (Object.is(x, -0) ? 0 : x)) },
  { weight: 1, arbitrary: fc.float().map((x) => (Object.is(x, -0) ? 0 : x)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, 'running', 'überlast ⚠', '') },
);
const pointArb = fc.tuple(
  fc.integer({ min: 1, max: 5000 }),
  valueArb,
  fc.integer({ min: 0, max: 2 }),
  fc.option(fc.constantFrom('communication lost', 'sensor fault'), { nil: undefined }),
);
const writesArb = fc.array(
  fc.tuple(
    fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(pointArb, { minLength: 1, maxLength: 5 })), {
      maxLength: 12,
    }),
    fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
  ),
  { maxLength: 25 },
);

/** Turn random draws into writes with increasing timestamps per tag. */
function toWrites(draws: Array<[Array<[number, Point[]]>, number[]]>) {
  const clock = new Map<number, number>();
  return draws.map(([groups, out]) => {
    const points = new Map<number, Point[]>();
    for (const [id, pts] of groups) {
      if (points.has(id)) continue;
      points.set(
        id,
        pts.map(([dt, v, q, r]): Point => {
          const t = (clock.get(id) ?? 1_790_000_000_000) + dt;
          clock.set(id, t);
          return [t, v, q, r];
        }),
      );
    }
    return { points, writtenOut: new Set(out) };
  });
}

describe('the journal of recent samples', () => {
  it('round-trips every point of every row exactly, decoded in order', () => {
    fc.assert(
      fc.property(writesArb, (draws) => {
        const writes = toWrites(draws);
        const { rows } = writeRows(writes);
        const expected = new Map<number, Point[]>();
        for (const { points } of writes)
          for (const [id, pts] of points) expected.set(id, [...(expected.get(id) ?? []), ...pts]);
        expect(decodeAll(rows)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('read from a later row on (earlier rows deleted), still gives every point not yet written out', () => {
    fc.assert(
      fc.property(writesArb, fc.nat(), (draws, cut) => {
        const writes = toWrites(draws);
        const { rows, tails } = writeRows(writes);
        // The writer's rule: rows before the first row holding a point still in a tail may go.
        const firstRowOf = new Map<number, number>();
        writes.forEach(({ points, writtenOut }, k) => {
          for (const id of points.keys()) if (!writtenOut.has(id) && !firstRowOf.has(id)) firstRowOf.set(id, k);
          for (const id of writtenOut) firstRowOf.delete(id);
        });
        const floor = Math.min(rows.length, cut % (rows.length + 1), ...firstRowOf.values());
        const decoded = decodeAll(rows.slice(floor));
        for (const [id, pts] of tails) {
          const got = decoded.get(id) ?? [];
          expect(got.slice(got.length - pts.length)).toEqual(pts);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('costs about two bytes a sample for a flush of noisy 0.01-resolution tags', () => {
    const tags = 1000;
    const value = (i: number, k: number) =>
      Math.round(5000 + i * 10 + 30 * Math.sin(k / 7 + i) + ((i * 7919 + k * 104729) % 9)) / 100;
    const tails = new Map<number, { t: number; v: TagValue }>();
    let bytes = 0;
    for (let k = 0; k < 10; k++) {
      const groups: RecentGroup[] = [];
      for (let i = 0; i < tags; i++) {
        const t = 1_790_000_000_000 + k * 1000 + ((i * 13 + k * 7) % 41) - 20;
        groups.push({
          id: i + 1,
          t: [t],
          v: [value(i, k)],
          q: [0],
          r: [undefined],
          count: 1,
          previous: tails.get(i) ?? null,
        });
        tails.set(i, { t, v: value(i, k) });
      }
      const row = encodeRecentRow(groups);
      if (k > 0) bytes += row.length;
    }
    expect(bytes / (9 * tags)).toBeLessThan(2.5);
  });
});

describe('a tag tail', () => {
  it('keeps an hour of a noisy 1 s tag in a few bytes a point, exactly', () => {
    const tail = new TagTail();
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < 3600; i++) {
      t.push(1_790_000_000_000 + i * 1000 + ((i * 7919) % 41) - 20);
      v.push(Math.round(6000 + 300 * Math.sin(i / 200) + ((i * 104729) % 37)) / 100);
      tail.push(t[i] as number, v[i] as number, 0, undefined);
    }
    expect(tail.bytes / 3600).toBeLessThan(4);
    const c = tail.columns();
    expect(Array.from(c.t)).toEqual(t);
    expect(Array.from(c.v as Float64Array)).toEqual(v);
    expect(tail).toMatchObject({ n: 3600, firstT: t[0], lastT: t[3599], lastV: v[3599], lastQ: 0 });
  });

  it('takes any value, quality and reason, and encodes as a sample block', () => {
    const tail = new TagTail();
    for (let i = 0; i < 100; i++) tail.push(1000 + i, i / 100, 0, undefined);
    tail.push(2000, 'text', 2, 'sensor fault');
    tail.push(2001, null, 0, undefined);
    const block = decodeSampleBlock(tail.encode() as Uint8Array);
    expect(block.n).toBe(102);
    expect(valueAt(block, 5)).toBe(0.05);
    expect(valueAt(block, 100)).toBe('text');
    expect(reasonAt(block, 100)).toBe('sensor fault');
    expect(valueAt(block, 101)).toBeNull();
    expect(reasonAt(block, 101)).toBeUndefined();
    tail.push(2002, true, 1, 'stale');
    tail.push(2003, Number.NaN, 1, 'stale');
    tail.push(2004, 1e300, 0, undefined);
    const c = tail.columns();
    expect(Array.from(c.v).slice(99)).toEqual([0.99, 'text', null, true, Number.NaN, 1e300]);
    expect(Array.from(c.q).slice(99)).toEqual([0, 2, 0, 1, 1, 0]);
    expect(Array.from({ length: 6 }, (_, k) => c.r[99 + k])).toEqual([
      undefined,
      'sensor fault',
      undefined,
      'stale',
      'stale',
      undefined,
    ]);
    tail.clear();
    expect(tail.n).toBe(0);
    expect(tail.encode()).toBeNull();
  });
});
