/** The SVG path of a sparkline: time on x over [from, to], values on y (fixed or own domain), a break at every null. Pure. */
export interface SparkOptions {
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly height: number;
  readonly domain?: readonly [number, number] | undefined;
  /** Inner margin, px. */
  readonly pad?: number;
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
  const y = (val: number) => o.height - pad - ((Math.min(hi, Math.max(lo, val)) - lo) / (hi - lo)) * (o.height - 2 * pad);
  const parts: string[] = [];
  let pen = false;
  let count = 0;
  for (let i = 0; i < t.length; i++) {
    const val = v[i];
    if (val === null || val === undefined || !Number.isFinite(val)) {
      pen = false;
      continue;
    }
    const next = v[i + 1];
    const alone: boolean = !pen && (next === null || next === undefined);
    const px = x(t[i]!).toFixed(1);
    const py = y(val).toFixed(1);
    // A lone point between breaks is a short tick, so it is still seen.
    parts.push(alone ? `M${px},${py}h1.5` : `${pen ? 'L' : 'M'}${px},${py}`);
    pen = !alone;
    count++;
  }
  return { d: parts.join(''), count, y };
}
