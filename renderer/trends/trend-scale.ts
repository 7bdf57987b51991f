/**
 * A y axis that stays put while a live window appends. Drawn from scratch (a new range, a
 * zoom, new pens), a scale spans its data's smallest and largest value and the pens' alarm
 * limits with 5 % to spare (`rangeWithLimits`). A live second keeps the range on screen as
 * long as the data and limits stay inside it and still fill a good part of it; only when a
 * value leaves it, or the data has shrunk to a small part of it (a spike slid out of the
 * window), does the axis change, then with more room on both sides so that a slow ramp or
 * the noise of the next seconds does not change it again at once.
 *
 * A changed axis redraws the whole chart; an axis that moved by a fraction of a percent every
 * few seconds (each new extreme of a noisy value) made the operator's scale jitter and
 * turned a third of the live seconds into full draws. Pure.
 */
import { rangeWithLimits } from './trend-references.js';

/** The data (with limits) must fill at least this share of a held range, else the axis closes in. */
export const HOLD_MIN_FILL = 0.5;

/** The data keeps this share of a held range clear at its top and bottom (a line at the very edge would be cut in half). */
export const HOLD_EDGE = 0.01;

/** Room on each side, as a share of the data's span, when a live second changes the axis. */
export const LIVE_HEADROOM = 0.15;

/** The range for data drawn from scratch: the extremes and the limits, 5 % to spare; [0, 1] for no data. */
export function freshRange(min: number | null, max: number | null, limits: readonly number[]): [number, number] {
  return rangeWithLimits(min, max, limits) ?? [0, 1];
}

/**
 * The range a live second draws on: `shown` (the range on screen) when the data's extremes
 * and the limits lie within it (HOLD_EDGE clear of its ends) and span at least HOLD_MIN_FILL
 * of it; otherwise a new one
 * with LIVE_HEADROOM on each side (a flat line: one unit either side, as from scratch).
 * Without a range on screen (or without data), as from scratch.
 */
export function liveRange(
  shown: readonly [number, number] | null,
  min: number | null,
  max: number | null,
  limits: readonly number[],
): [number, number] {
  let lo = min ?? Infinity;
  let hi = max ?? -Infinity;
  for (const v of limits) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!shown || !Number.isFinite(lo) || !Number.isFinite(hi)) return freshRange(min, max, limits);
  const [from, to] = shown;
  const edge = (to - from) * HOLD_EDGE;
  const inside = lo >= from + edge && hi <= to - edge;
  if (inside && hi - lo >= HOLD_MIN_FILL * (to - from)) return [from, to];
  if (lo === hi) return inside && to - from <= 2 ? [from, to] : [lo - 1, hi + 1];
  const pad = (hi - lo) * LIVE_HEADROOM;
  return [lo - pad, hi + pad];
}
