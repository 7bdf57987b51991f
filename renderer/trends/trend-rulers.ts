/**
 * Two rulers on the trend and what lies between them: each pen's lowest, highest and
 * average value over the buckets whose centre falls between the rulers. Rulers are placed
 * by mouse (a click places the next one) or by keys (`[` and `]` at the keyboard cursor).
 * Pure.
 */
import type { PenColumns } from './trend-data.js';

export interface Rulers {
  /** Times in ms since epoch; null while not placed. */
  readonly a: number | null;
  readonly b: number | null;
}

export const NO_RULERS: Rulers = { a: null, b: null };

/** A click places ruler A, the next ruler B, then A again (the older of the two moves). */
export function placeNextRuler(
  rulers: Rulers,
  ms: number,
  lastPlaced: 'a' | 'b' | null,
): { rulers: Rulers; placed: 'a' | 'b' } {
  const which = rulers.a === null ? 'a' : rulers.b === null ? 'b' : lastPlaced === 'a' ? 'b' : 'a';
  return { rulers: { ...rulers, [which]: ms }, placed: which };
}

export interface RulerStats {
  readonly min: number | null;
  readonly max: number | null;
  /** Mean of the bucket averages (buckets are of equal length, so this is the time average over the covered time). */
  readonly avg: number | null;
  /** Buckets with a value between the rulers. */
  readonly buckets: number;
}

/** Statistics of one pen between two times (either order); nulls where nothing was recorded between them. */
export function rulerStats(
  pen: Pick<PenColumns, 'min' | 'max' | 'avg'>,
  x: readonly number[],
  a: number,
  b: number,
): RulerStats {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const t = x[i]!;
    if (t < lo || t > hi) continue;
    const v = pen.avg[i];
    if (v == null) continue;
    const bucketMin = pen.min[i] ?? v;
    const bucketMax = pen.max[i] ?? v;
    if (bucketMin < min) min = bucketMin;
    if (bucketMax > max) max = bucketMax;
    sum += v;
    n++;
  }
  return n === 0 ? { min: null, max: null, avg: null, buckets: 0 } : { min, max, avg: sum / n, buckets: n };
}

/** The keyboard cursor one step on (clamped to the frame); `step` in buckets. */
export function moveCursor(index: number | null, step: number, length: number): number | null {
  if (length === 0) return null;
  const from = index ?? (step > 0 ? -1 : length);
  return Math.min(length - 1, Math.max(0, from + step));
}
