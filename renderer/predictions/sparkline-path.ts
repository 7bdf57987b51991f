/** The SVG path of a sparkline: time on x over [from, to], values on y (fixed or own domain), a break at every null. Pure. */
export interface SparkOptions {
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly height: number;
  readonly domain?: readonly [number, number] | undefined;
  /** Inner margin, px. */
  readonly pad?: number;
  /** Points further apart than this (ms) are not joined: nothing was stored between them. */
  readonly gapMs?: number;
}

export interface SparkPath {
  readonly d: string;
  /** Points drawn. */
  readonly count: number;
  /** Value → y (for reference lines). */
  y(v: number): number;
}

export function sparkPath(t: readonly number[], v: readonly (number | null)[], o: SparkOptions): SparkPath {
  const pad = o.pad ?? 3;
  const values = v.filter((x): x is number => x !== null && Number.isFinite(x));
  let [lo, hi] = o.domain ?? [Math.min(...values), Math.max(...values)];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const span = Math.max(1, o.to - o.from);
  const x = (ms: number) => pad + ((ms - o.from) / span) * (o.width - 2 * pad);
  const y = (val: number) =>
    o.height - pad - ((Math.min(hi, Math.max(lo, val)) - lo) / (hi - lo)) * (o.height - 2 * pad);
  const parts: string[] = [];
  let pen = false;
  let count = 0;
  for (let i = 0; i < t.length; i++) {
    const val = v[i];
    if (val === null || val === undefined || !Number.isFinite(val)) {
      pen = false;
      continue;
    }
    // Nothing stored between the last point and this one: a break, not a straight line across the gap.
    if (pen && o.gapMs !== undefined && t[i]! - t[i - 1]! > o.gapMs) pen = false;
    const next = v[i + 1];
    const nextJoins = next !== null && next !== undefined && (o.gapMs === undefined || t[i + 1]! - t[i]! <= o.gapMs);
    const alone: boolean = !pen && !nextJoins;
    const px = x(t[i]!).toFixed(1);
    const py = y(val).toFixed(1);
    // A lone point between breaks is a short tick, so it is still seen.
    parts.push(alone ? `M${px},${py}h1.5` : `${pen ? 'L' : 'M'}${px},${py}`);
    pen = !alone;
    count++;
  }
  return { d: parts.join(''), count, y };
}

/**
 * Where a sparkline's window holds nothing stored, as x ranges in px: before the first
 * bucket (a station that started recently, or a tag added since), between buckets further
 * apart than `gapMs`, and after the last one up to `to` when it is more than `gapMs` old.
 * The line never pretends to span the window; these ranges are drawn as "no data". Pure.
 */
export function noDataSpans(
  t: readonly number[],
  o: Pick<SparkOptions, 'from' | 'to' | 'width' | 'pad'> & { readonly bucketMs: number },
): { x: number; width: number; fromMs: number; toMs: number }[] {
  const pad = o.pad ?? 3;
  const span = Math.max(1, o.to - o.from);
  const x = (ms: number) => pad + ((Math.min(o.to, Math.max(o.from, ms)) - o.from) / span) * (o.width - 2 * pad);
  const gapMs = Math.max(1, o.bucketMs) * 1.5;
  const out: { x: number; width: number; fromMs: number; toMs: number }[] = [];
  const add = (fromMs: number, toMs: number) => {
    const x0 = x(fromMs);
    const x1 = x(toMs);
    if (x1 - x0 >= 1) out.push({ x: x0, width: x1 - x0, fromMs, toMs });
  };
  if (t.length === 0) {
    add(o.from, o.to);
    return out;
  }
  // A bucket's time is its start: the first one covers from there.
  if (t[0]! - o.from > gapMs) add(o.from, t[0]!);
  for (let i = 1; i < t.length; i++) if (t[i]! - t[i - 1]! > gapMs) add(t[i - 1]! + o.bucketMs, t[i]!);
  const last = t[t.length - 1]! + o.bucketMs;
  if (o.to - last > gapMs) add(last, o.to);
  return out;
}
