/**
 * Encoding of one column of numbers, choosing per column the most compact exact form:
 *
 * - `scaled`: every value is a decimal with at most 9 fraction digits (a sensor's
 *   resolution, e.g. 0.01 °C): stored as integers × 10^-d, delta + zigzag varint. Noisy
 *   quantized analog values take 1–2 bytes each.
 * - `float32`: every value is exactly a float32 (OPC UA Float, Modbus float32): stored as
 *   deltas of the 32-bit patterns, zigzag varint (nearby values have nearby patterns).
 * - `float64`: anything else (NaN, ±Infinity, full doubles): 8 bytes each.
 *
 * All three round-trip bit-exactly (except that -0 reads back as 0 in the scaled form).
 */
import type { ByteReader, ByteWriter } from './byte-io.js';

const MODE_SCALED = 0;
const MODE_FLOAT32 = 1;
const MODE_FLOAT64 = 2;

const MAX_DECIMALS = 9;
const MAX_SCALED = 2 ** 50;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Smallest number of decimals d ≤ 9 with which every value round-trips through an integer, or -1. */
export function decimalsOf(values: ArrayLike<number>, count: number): number {
  let d = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    for (;;) {
      const p = POW10[d] as number;
      const r = Math.round(v * p);
      if (r / p === v && r <= MAX_SCALED && r >= -MAX_SCALED) break;
      if (++d > MAX_DECIMALS) return -1;
    }
  }
  // d only grew along the way: check the earlier values again at the final d (exactness
  // and the size limit that keeps every delta exact in a double).
  const p = POW10[d] as number;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    const r = Math.round(v * p);
    if (r / p !== v || r > MAX_SCALED || r < -MAX_SCALED) return -1;
  }
  return d;
}

function allFloat32(values: ArrayLike<number>, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    if (Math.fround(v) !== v) return false;
  }
  return true;
}

export function writeNumberColumn(w: ByteWriter, values: ArrayLike<number>, count: number): void {
  const d = decimalsOf(values, count);
  if (d >= 0) {
    w.byte(MODE_SCALED);
    w.byte(d);
    const p = POW10[d] as number;
    let prev = 0;
    for (let i = 0; i < count; i++) {
      const r = Math.round((values[i] as number) * p);
      w.svarint(r - prev);
      prev = r;
    }
    return;
  }
  if (allFloat32(values, count)) {
    w.byte(MODE_FLOAT32);
    let prev = 0;
    for (let i = 0; i < count; i++) {
      f32[0] = values[i] as number;
      const bits = i32[0] as number;
      w.svarint(bits - prev);
      prev = bits;
    }
    return;
  }
  w.byte(MODE_FLOAT64);
  for (let i = 0; i < count; i++) w.float64(values[i] as number);
}

export function readNumberColumn(r: ByteReader, out: Float64Array, count: number): void {
  const mode = r.byte();
  if (mode === MODE_SCALED) {
    const d = r.byte();
    if (d > MAX_DECIMALS) throw new RangeError(`bad decimals ${d}`);
    r.deltasInto(out, count, POW10[d] as number);
  } else if (mode === MODE_FLOAT32) {
    let acc = 0;
    for (let i = 0; i < count; i++) {
      acc += r.svarint();
      i32[0] = acc;
      out[i] = f32[0] as number;
    }
  } else if (mode === MODE_FLOAT64) {
    for (let i = 0; i < count; i++) out[i] = r.float64();
  } else {
    throw new RangeError(`unknown number column mode ${mode}`);
  }
}
