/**
 * How a value sparkline spends its width when the start of its window holds nothing stored
 * (a station started a few minutes ago, a tag added since): the stored span is drawn across
 * most of the width, scaled to itself, and the part of the window without data is a marked
 * "no data" strip on the left — never the line squeezed against the right edge of an empty
 * box. While the lead without data is under a quarter of the window the strip keeps its true
 * width (the time axis is then linear over the whole window); beyond that it stays a quarter.
 * Pure.
 */

/** At most this share of the width goes to the lead without data. */
export const MAX_NO_DATA_SHARE = 0.25;

export interface SparkLayout {
  /** Width of the "no data" strip at the left, in the sparkline's units (0: the window is covered). */
  readonly noDataWidth: number;
  /** Where the data part's time axis starts: the first stored point, or the window's start. */
  readonly dataFrom: number;
  /** Milliseconds of the window before the first stored point (0 when covered). */
  readonly noDataMs: number;
}

export function sparkLayout(
  series: { readonly from: number; readonly to: number; readonly t: readonly number[] },
  width: number,
  buckets: number,
): SparkLayout {
  const span = Math.max(1, series.to - series.from);
  const first = series.t.length > 0 ? series.t[0]! : null;
  const covered: SparkLayout = { noDataWidth: 0, dataFrom: series.from, noDataMs: 0 };
  if (first === null) return covered;
  const lead = Math.min(Math.max(0, first - series.from), span);
  // A bucket's time is its start: up to two buckets' lead is the historian's own rounding.
  if (lead <= (2 * span) / Math.max(1, buckets)) return covered;
  const share = Math.min(lead / span, MAX_NO_DATA_SHARE);
  return { noDataWidth: Math.round(share * width), dataFrom: Math.min(first, series.to), noDataMs: lead };
}
