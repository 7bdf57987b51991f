/**
 * Whether a classifier's predictive warnings came true: a warning counts as confirmed when a
 * conventional alarm became active in the same area (the tag's part before its first dot,
 * e.g. `SS01`) after it and within the lead horizon. One conventional alarm may confirm
 * several warnings. Pure: the caller reads the journal rows.
 */

/** A journal activation row, as far as confirmation needs it. */
export interface ActivationRow {
  readonly at: number;
  readonly tag: string | null;
}

export interface WarningConfirmation {
  readonly raised: number;
  readonly confirmed: number;
}

/** Lead horizon when the model's manifest names none. */
export const DEFAULT_WARNING_HORIZON_MS = 2 * 3_600_000;

export function areaOfTag(tag: string | null): string | null {
  if (!tag) return null;
  const dot = tag.indexOf('.');
  return dot > 0 ? tag.slice(0, dot) : null;
}

export function confirmWarnings(
  warnings: readonly ActivationRow[],
  conventional: readonly ActivationRow[],
  horizonMs: number,
): WarningConfirmation {
  if (!(horizonMs > 0)) throw new Error(`warning confirmation: horizon must be positive, got ${horizonMs} ms`);
  const timesByArea = new Map<string, number[]>();
  for (const row of conventional) {
    const area = areaOfTag(row.tag);
    if (area === null) continue;
    const times = timesByArea.get(area);
    if (times) times.push(row.at);
    else timesByArea.set(area, [row.at]);
  }
  for (const times of timesByArea.values()) times.sort((a, b) => a - b);
  let confirmed = 0;
  for (const w of warnings) {
    const times = timesByArea.get(areaOfTag(w.tag) ?? '');
    if (!times) continue;
    const next = firstAfter(times, w.at);
    if (next < times.length && times[next]! <= w.at + horizonMs) confirmed++;
  }
  return { raised: warnings.length, confirmed };
}

/** Index of the first time strictly after `at` in ascending `times` (times.length if none). */
function firstAfter(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
