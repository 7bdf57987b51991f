import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from '../../main/runtime/historian/byte-io.js';
import { decodeSampleBlock, encodeSampleBlock, reasonAt, valueAt } from '../../main/runtime/historian/sample-block.js';
import { decodeRollupBlock, encodeRollupBlock } from '../../main/runtime/historian/rollup-block.js';
import { decimalsOf } from '../../main/runtime/historian/number-column.js';
import type { TagValue } from '../../protocols/driver.js';

describe('varints', () => {
  it('round-trip signed integers up to 2^52', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 })), (xs) => {
        const w = new ByteWriter(4);
        for (const x of xs) w.svarint(x);
        const r = new ByteReader(w.finish());
        expect(xs.map(() => r.svarint())).toEqual(xs);
        expect(r.done).toBe(true);
      }),
    );
  });
});

const timeline = (n: number, start: number, deltas: number[]) => {
  const t = n > 0 ? [start] : [];
  for (let i = 1; i < n; i++) t.push((t[i - 1] as number) + (deltas[i % deltas.length] as number));
  return t;
};

describe('sample blocks', () => {
  const valueArb: fc.Arbitrary<TagValue> = fc.oneof(
    fc.double({ noDefaultInfinity: false }),
    fc.integer({ min: -100000, max: 100000 }).map((i) => i / 100),
    fc.float().map((f) => f),
    fc.constant(null),
  );
  const blockArb = (values: fc.Arbitrary<TagValue>) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: 2 ** 44 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 10 ** 9 }),
            values,
            fc.integer({ min: 0, max: 2 }),
            fc.option(fc.constantFrom('communication lost', 'sensor fault', 'überlauf'), { nil: undefined }),
          ),
          { maxLength: 300 },
        ),
      )
      .map(([start, rows]) => ({
        t: timeline(
          rows.length,
          start,
          rows.map((r) => r[0]),
        ),
        v: rows.map((r) => r[1]),
        q: rows.map((r) => r[2]),
        r: rows.map((r) => r[3]),
      }));

  const roundTrip = (cols: { t: number[]; v: TagValue[]; q: number[]; r: (string | undefined)[] }) => {
    const block = decodeSampleBlock(encodeSampleBlock(cols));
    expect(block.n).toBe(cols.t.length);
    expect(Array.from(block.t)).toEqual(cols.t);
    expect(Array.from(block.q)).toEqual(cols.q);
    const values = cols.t.map((_, i) => valueAt(block, i));
    cols.v.forEach((v, i) => expect(Object.is(values[i], v) || (v === 0 && values[i] === 0)).toBe(true));
    expect(cols.t.map((_, i) => reasonAt(block, i))).toEqual(cols.r);
  };

  it('round-trip numbers of any kind, nulls, qualities and reasons exactly', () => {
    fc.assert(fc.property(blockArb(valueArb), roundTrip), {
      numRuns: Number(process.env.HISTORIAN_PROPERTY_RUNS ?? 300),
    });
  });
  it('round-trip booleans and strings', () => {
    fc.assert(fc.property(blockArb(fc.oneof(fc.boolean(), fc.constant(null))), roundTrip), { numRuns: 100 });
    fc.assert(fc.property(blockArb(fc.oneof(fc.string(), fc.constant(null), fc.integer())), roundTrip), {
      numRuns: 100,
    });
  });

  it('spends about two bytes per sample on a noisy 0.01-resolution value at 1 s with jitter', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 4096;
    const t: number[] = [];
    const v: number[] = [];
    let x = 60;
    for (let i = 0; i < n; i++) {
      t.push(1_700_000_000_000 + i * 1000 + Math.round(rand() * 6 - 3));
      x += (rand() - 0.5) * 0.1;
      v.push(Math.round((x + (rand() - 0.5) * 0.1) * 100) / 100);
    }
    const bytes = encodeSampleBlock({ t, v, q: t.map(() => 0), r: t.map(() => undefined) });
    expect(bytes.length / n).toBeLessThan(2.5);
  });
});

describe('rollup blocks', () => {
  it('round-trip buckets, with the sum rounded to the values’ decimals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 5 }),
            fc.integer({ min: 1, max: 60 }),
            fc.integer({ min: -5000, max: 5000 }),
          ),
          { maxLength: 200 },
        ),
        (rows) => {
          const width = 60_000;
          const t = timeline(
            rows.length,
            28_000_000 * width,
            rows.map((r) => r[0] * width),
          );
          const count = rows.map((r) => r[1]);
          const good = rows.map((r) => Math.floor(r[1] / 2));
          const min = rows.map((r) => r[2] / 100);
          const max = rows.map((r) => r[2] / 100 + 1.5);
          const sum = rows.map((r, i) => (r[2] / 100) * (count[i] as number) + 0.1 + 0.2);
          const block = decodeRollupBlock(
            encodeRollupBlock({ t, count, good, min, max, first: min, last: max, sum }, width),
          );
          expect(Array.from(block.t)).toEqual(t);
          expect(Array.from(block.count)).toEqual(count);
          expect(Array.from(block.good)).toEqual(good);
          expect(Array.from(block.min)).toEqual(min);
          expect(Array.from(block.max)).toEqual(max);
          Array.from(block.sum).forEach((s, i) => expect(s).toBeCloseTo(sum[i] as number, 9));
        },
      ),
    );
  });
});

describe('rollup block sums', () => {
  it('keep the decimals of values between a whole-number minimum and maximum', () => {
    // Values with a decimal their bucket's minimum and maximum lack, summed with float noise.
    const values = [1, 1.1, 1.3, 1.4, 2];
    const sum = values.reduce((a, b) => a + b, 0);
    expect(sum).not.toBe(6.8);
    const block = decodeRollupBlock(
      encodeRollupBlock(
        { t: [0], count: [5], good: [5], min: [1], max: [2], first: [1], last: [2], sum: [sum] },
        3_600_000,
      ),
    );
    expect(Array.from(block.sum)).toEqual([6.8]);
  });

  it('give each bucket the sum of its values, whatever their decimals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(fc.integer({ min: -200_000, max: 200_000 }), fc.constantFrom(1, 10, 100, 1000, 0.5, 0.25)),
            { minLength: 1, maxLength: 120 },
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (buckets) => {
          const values = buckets.map((b) => b.map(([k, scale]) => (k / 1000) * scale));
          const cols = {
            t: values.map((_, i) => i * 60_000),
            count: values.map((v) => v.length),
            good: values.map((v) => v.length),
            min: values.map((v) => Math.min(...v)),
            max: values.map((v) => Math.max(...v)),
            first: values.map((v) => v[0] as number),
            last: values.map((v) => v[v.length - 1] as number),
            sum: values.map((v) => v.reduce((a, b) => a + b, 0)),
          };
          const block = decodeRollupBlock(encodeRollupBlock(cols, 60_000));
          values.forEach((v, i) => {
            // The exact sum (in thousandths of thousandths: integers, so no rounding of its own).
            const exact = v.reduce((a, x) => a + Math.round(x * 1e6), 0) / 1e6;
            const scale = Math.max(1, Math.abs(cols.min[i] as number), Math.abs(cols.max[i] as number));
            expect(Math.abs((block.sum[i] as number) - exact)).toBeLessThanOrEqual(v.length * v.length * scale * 1e-15);
          });
        },
      ),
    );
  });
});

describe('decimalsOf', () => {
  it('finds the sensor resolution', () => {
    expect(decimalsOf([1, 2, 3], 3)).toBe(0);
    expect(decimalsOf([60.07, 59.99, 0.5], 3)).toBe(2);
    expect(decimalsOf([Math.PI], 1)).toBe(-1);
    expect(decimalsOf([NaN], 1)).toBe(-1);
    // A large integer first, then a value needing 6 decimals: scaled, the first would not stay exact.
    expect(decimalsOf([4503739904, 139775.109375], 2)).toBe(-1);
  });
});
