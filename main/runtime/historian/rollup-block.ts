/**
 * The compressed block of rollup buckets (1-minute or 1-hour aggregates) of one tag:
 * bucket starts (first absolute, then steps in bucket widths), count, good count, and
 * min/max/first/last/sum as number columns (see number-column.ts).
 *
 * The sum is rounded to the decimals of the values themselves before encoding: the
 * sum of 0.01-resolution values is itself a 0.01-resolution value, and the rounding
 * only removes floating-point accumulation noise (so it compresses like the values).
 * The values' decimals are not known from the bucket alone (min and max may be whole
 * numbers while values between them have halves): each sum gets the fewest decimals,
 * from those of the block's minima and maxima on, that change it by no more than that
 * noise can be, and keeps its bits when none do.
 */
import { ByteReader, ByteWriter } from './byte-io.js';
import { decimalsOf, readNumberColumn, writeNumberColumn } from './number-column.js';

const BLOCK_VERSION = 1;

export interface RollupColumns {
  /** Bucket start, ms since epoch (a multiple of the width). */
  readonly t: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  /** How many of the samples had Good quality. */
  readonly good: ArrayLike<number>;
  readonly min: ArrayLike<number>;
  readonly max: ArrayLike<number>;
  readonly first: ArrayLike<number>;
  readonly last: ArrayLike<number>;
  readonly sum: ArrayLike<number>;
}

export interface RollupBlock extends RollupColumns {
  readonly n: number;
  readonly t: Float64Array;
  readonly count: Float64Array;
  readonly good: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly sum: Float64Array;
}

export function encodeRollupBlock(cols: RollupColumns, widthMs: number, count: number = cols.t.length): Uint8Array {
  const w = new ByteWriter(32 + count * 8);
  w.byte(BLOCK_VERSION);
  w.varint(count);
  w.varint(widthMs);
  if (count === 0) return w.finish();
  let prev = cols.t[0] as number;
  w.svarint(prev);
  for (let i = 1; i < count; i++) {
    const ti = cols.t[i] as number;
    w.svarint((ti - prev) / widthMs);
    prev = ti;
  }
  for (let i = 0; i < count; i++) w.varint(cols.count[i] as number);
  for (let i = 0; i < count; i++) w.varint((cols.count[i] as number) - (cols.good[i] as number));
  writeNumberColumn(w, cols.min, count);
  writeNumberColumn(w, cols.max, count);
  writeNumberColumn(w, cols.first, count);
  writeNumberColumn(w, cols.last, count);
  const d = Math.max(decimalsOf(cols.min, count), decimalsOf(cols.max, count));
  if (d >= 0 && decimalsOf(cols.sum, count) < 0) {
    const rounded = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const n = cols.count[i] as number;
      const magnitude = Math.max(Math.abs(cols.min[i] as number), Math.abs(cols.max[i] as number));
      rounded[i] = withoutNoise(cols.sum[i] as number, d, n * n * magnitude * Number.EPSILON);
    }
    writeNumberColumn(w, rounded, count);
  } else {
    writeNumberColumn(w, cols.sum, count);
  }
  return w.finish();
}

/** The largest number of decimals a sum is rounded to. */
const MAX_SUM_DECIMALS = 9;

/**
 * `sum` rounded to the fewest decimals (at least `decimals`) that move it by no more than
 * `noise` (the accumulation error a sum of its bucket's values can have), or `sum` itself.
 */
function withoutNoise(sum: number, decimals: number, noise: number): number {
  for (let d = decimals; d <= MAX_SUM_DECIMALS; d++) {
    const p = 10 ** d;
    const r = Math.round(sum * p) / p;
    if (Math.abs(r - sum) <= noise) return r;
  }
  return sum;
}

export function decodeRollupBlock(bytes: Uint8Array): RollupBlock {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== BLOCK_VERSION) throw new RangeError(`unknown rollup block version ${version}`);
  const n = r.varint();
  const widthMs = r.varint();
  const cols = () => new Float64Array(n);
  const block = {
    n,
    t: cols(),
    count: cols(),
    good: cols(),
    min: cols(),
    max: cols(),
    first: cols(),
    last: cols(),
    sum: cols(),
  };
  if (n === 0) return block;
  let acc = r.svarint();
  block.t[0] = acc;
  for (let i = 1; i < n; i++) {
    acc += r.svarint() * widthMs;
    block.t[i] = acc;
  }
  for (let i = 0; i < n; i++) block.count[i] = r.varint();
  for (let i = 0; i < n; i++) block.good[i] = (block.count[i] as number) - r.varint();
  readNumberColumn(r, block.min, n);
  readNumberColumn(r, block.max, n);
  readNumberColumn(r, block.first, n);
  readNumberColumn(r, block.last, n);
  readNumberColumn(r, block.sum, n);
  return block;
}
