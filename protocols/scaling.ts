/**
 * Linear scaling between what a device holds (raw) and what an operator reads
 * (engineering units). Pure: no I/O, no state.
 *
 * raw [r0, r1] maps onto eng [e0, e1]; either range may be descending (e.g. a 4–20 mA
 * transmitter wired in reverse). With `clamp`, a raw value outside the raw range gives the
 * nearest engineering bound and an Uncertain quality that says why, so a transmitter that
 * over-ranges is visible instead of silently flattened.
 */
import { GOOD, uncertain, type Quality } from './driver.js';

export interface LinearScaleSpec {
  readonly raw: readonly [number, number];
  readonly eng: readonly [number, number];
  readonly clamp?: boolean;
}

export interface ScaledValue {
  readonly value: number;
  readonly quality: Quality;
}

function lerp(x: number, from: readonly [number, number], to: readonly [number, number]): number {
  return to[0] + ((x - from[0]) * (to[1] - to[0])) / (from[1] - from[0]);
}

function bounds(range: readonly [number, number]): [number, number] {
  return range[0] <= range[1] ? [range[0], range[1]] : [range[1], range[0]];
}

/** Raw → engineering. A non-finite raw value is returned as is (the codec reports it). */
export function scaleToEngineering(raw: number, scale: LinearScaleSpec): ScaledValue {
  if (!Number.isFinite(raw)) return { value: raw, quality: GOOD };
  if (scale.clamp) {
    const [lo, hi] = bounds(scale.raw);
    if (raw < lo || raw > hi) {
      const edge = raw < lo ? lo : hi;
      return { value: lerp(edge, scale.raw, scale.eng), quality: uncertain(`clamped: raw ${raw} outside [${lo},${hi}]`) };
    }
  }
  return { value: lerp(raw, scale.raw, scale.eng), quality: GOOD };
}

export type RawForWrite = { readonly ok: true; readonly raw: number } | { readonly ok: false; readonly reason: string };

/**
 * Engineering → raw, for writes. With `clamp`, a value outside the engineering range is
 * refused rather than clamped: a setpoint must land where the operator asked, or nowhere.
 */
export function scaleToRaw(eng: number, scale: LinearScaleSpec): RawForWrite {
  if (!Number.isFinite(eng)) return { ok: false, reason: `value ${eng} is not a finite number` };
  if (scale.eng[0] === scale.eng[1]) return { ok: false, reason: 'engineering range is empty: the scaling cannot be inverted' };
  if (scale.clamp) {
    const [lo, hi] = bounds(scale.eng);
    if (eng < lo || eng > hi) return { ok: false, reason: `value ${eng} outside the engineering range [${lo},${hi}]` };
  }
  return { ok: true, raw: lerp(eng, scale.eng, scale.raw) };
}
