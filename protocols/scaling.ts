/**
 * Linear scaling between what a device holds (raw) and what an operator reads
 * (engineering units). Pure: no I/O, no state beyond a per-scale cache of derived constants.
 *
 * Two ways to write a scale, both linear:
 *  - ranges: raw [r0, r1] maps onto eng [e0, e1]; either range may be descending (e.g. a
 *    4–20 mA transmitter wired in reverse). With `clamp`, a raw value outside the raw range
 *    gives the nearest engineering bound and an Uncertain quality that says why, so a
 *    transmitter that over-ranges is visible instead of silently flattened.
 *  - factor/offset: eng = raw × factor + offset (a register in hundredths is `factor: 0.01`).
 *
 * Precision: a scale whose step (the engineering change per raw count) and offset are exact
 * decimals gives values at that precision for integer raw values: an int16 −373 × 0.01 is
 * −3.73, not −3.730000000000004. Other results are rounded to 15 significant digits, which
 * drops binary noise and keeps every distinguishable value.
 */
import { GOOD, uncertain, type Quality } from './driver.js';

export interface LinearScaleSpec {
  readonly raw?: readonly [number, number];
  readonly eng?: readonly [number, number];
  readonly clamp?: boolean;
  /** eng = raw × factor + offset; used when `raw`/`eng` are absent. */
  readonly factor?: number;
  readonly offset?: number;
}

export interface ScaledValue {
  readonly value: number;
  readonly quality: Quality;
}

/** A scale's derived constants, computed once per scale. */
export interface CompiledScale {
  /** eng = raw × gain + offset */
  readonly gain: number;
  readonly offset: number;
  /** 10^decimals when gain and offset are exact decimals, else 0. */
  readonly quantum: number;
  readonly rawBounds: readonly [number, number] | null;
  readonly engBounds: readonly [number, number] | null;
}

const compiled = new WeakMap<LinearScaleSpec, CompiledScale>();

function bounds(range: readonly [number, number]): [number, number] {
  return range[0] <= range[1] ? [range[0], range[1]] : [range[1], range[0]];
}

/** Fraction digits of a number written as a short decimal (0.01 → 2), or null when it is not one (1/3). */
export function decimalsOf(x: number): number | null {
  for (let d = 0; d <= 9; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6) return d;
  }
  return null;
}

/** The scale's constants (cached per scale object): a driver keeps them beside its tag for the hot path. */
export function compileScale(scale: LinearScaleSpec): CompiledScale {
  let result = compiled.get(scale);
  if (result) return result;
  let gain: number;
  let offset: number;
  if (scale.raw && scale.eng) {
    gain = (scale.eng[1] - scale.eng[0]) / (scale.raw[1] - scale.raw[0]);
    offset = scale.eng[0] - scale.raw[0] * gain;
  } else {
    gain = scale.factor ?? 1;
    offset = scale.offset ?? 0;
  }
  const dg = decimalsOf(gain);
  const doff = decimalsOf(offset);
  const clampable = scale.clamp === true && scale.raw !== undefined && scale.eng !== undefined;
  result = {
    gain,
    offset,
    quantum: dg === null || doff === null ? 0 : 10 ** Math.max(dg, doff),
    rawBounds: clampable ? bounds(scale.raw!) : null,
    engBounds: clampable ? bounds(scale.eng!) : null,
  };
  compiled.set(scale, result);
  return result;
}

/** The number of fraction digits scaled integer values carry, or null when the scale has no exact decimal step. */
export function scaleDecimals(scale: LinearScaleSpec): number | null {
  const { quantum } = compileScale(scale);
  return quantum === 0 ? null : Math.round(Math.log10(quantum));
}

function tidy(value: number, integerRaw: boolean, quantum: number): number {
  if (integerRaw && quantum !== 0) return Math.round(value * quantum) / quantum;
  return value === 0 ? 0 : round15(value);
}

/** 10^0 … 10^22, each exact in a double (written out, not computed). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `Number(x.toPrecision(15))` — x rounded to 15 significant digits — without building a string
 * for most x. x × 10^k (k putting 15 digits before the point, so below 2^50 where doubles are at
 * most 1/8 apart) is within 1/16 of the exact product: unless its fraction is within 1/16 of one
 * half, its rounding is the decimal's, and that integer over the exact power of ten is the
 * nearest double to the decimal, as parsing gives. Near a tie, near a power of ten, or outside
 * 1e-7…1e14 the string way decides.
 */
export function round15(x: number): number {
  const a = x < 0 ? -x : x;
  if (a >= 1e-7 && a < 1e14) {
    const k = 14 - Math.floor(Math.log10(a));
    const power = POWERS_OF_TEN[k];
    if (power !== undefined && k >= 1) {
      const scaled = a * power;
      if (scaled >= 1e14 + 1 && scaled < 1e15 - 1) {
        const whole = Math.floor(scaled);
        const fraction = scaled - whole;
        if (fraction < 0.4375 || fraction > 0.5625) {
          const digits = fraction < 0.5 ? whole : whole + 1;
          return (x < 0 ? -digits : digits) / power;
        }
      }
    }
  }
  return Number(x.toPrecision(15));
}

/** A raw value the scale would clamp (outside the raw range of a clamping scale): `scaleToEngineering` says why. */
export function clampsRaw(raw: number, c: CompiledScale): boolean {
  return c.rawBounds !== null && (raw < c.rawBounds[0] || raw > c.rawBounds[1]);
}

/**
 * Raw → engineering for a finite raw value the scale does not clamp, with no allocation: the
 * value `scaleToEngineering` gives (its quality is then Good).
 */
export function unclampedToEngineering(raw: number, c: CompiledScale): number {
  return tidy(raw * c.gain + c.offset, Number.isInteger(raw), c.quantum);
}

/** Raw → engineering. A non-finite raw value is returned as is (the codec reports it). */
export function scaleToEngineering(raw: number, scale: LinearScaleSpec): ScaledValue {
  if (!Number.isFinite(raw)) return { value: raw, quality: GOOD };
  const c = compileScale(scale);
  if (c.rawBounds) {
    const [lo, hi] = c.rawBounds;
    if (raw < lo || raw > hi) {
      const edge = raw < lo ? lo : hi;
      return {
        value: tidy(edge * c.gain + c.offset, Number.isInteger(edge), c.quantum),
        quality: uncertain(`clamped: raw ${raw} outside [${lo},${hi}]`),
      };
    }
  }
  return { value: tidy(raw * c.gain + c.offset, Number.isInteger(raw), c.quantum), quality: GOOD };
}

export type RawForWrite = { readonly ok: true; readonly raw: number } | { readonly ok: false; readonly reason: string };

/**
 * Engineering → raw, for writes. With `clamp`, a value outside the engineering range is
 * refused rather than clamped: a setpoint must land where the operator asked, or nowhere.
 */
export function scaleToRaw(eng: number, scale: LinearScaleSpec): RawForWrite {
  if (!Number.isFinite(eng)) return { ok: false, reason: `value ${eng} is not a finite number` };
  const c = compileScale(scale);
  if (c.gain === 0 || !Number.isFinite(c.gain)) {
    return {
      ok: false,
      reason: scale.eng
        ? 'engineering range is empty: the scaling cannot be inverted'
        : 'factor is 0: the scaling cannot be inverted',
    };
  }
  if (c.engBounds) {
    const [lo, hi] = c.engBounds;
    if (eng < lo || eng > hi) return { ok: false, reason: `value ${eng} outside the engineering range [${lo},${hi}]` };
  }
  const raw = (eng - c.offset) / c.gain;
  return { ok: true, raw: Number(raw.toPrecision(15)) };
}
