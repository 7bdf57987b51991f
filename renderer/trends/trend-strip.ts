/**
 * A live second drawn as a strip instead of the whole chart. When the window has slid by a
 * whole number of canvas pixels and no y scale has changed, the plotting area already shows
 * everything but the newest buckets, some pixels too far right: it is moved left in place
 * (one copy of the canvas onto itself), and uPlot draws again only where something changed —
 * the newest buckets at the right, the limit labels and first-point marks at the left and the
 * time axis below (when the drawing moved), and the right-hand axes with the pens' end marks — clipped to those
 * regions, from data holding only the buckets under them (the two parts apart by an empty
 * bucket, a gap), so the paths of the rest are neither built nor walked through. Anything
 * else (a zoom, a resize, a new y range, a gap that moved an end mark into the middle, a tick
 * label that would change) is a full draw, as before.
 *
 * The planning is pure arithmetic on the data and the plot's box; `drawStrip` is the canvas part.
 */
import type uPlot from 'uplot';
import type { AlignedData } from 'uplot';

/** What the canvas shows: the data last drawn and the x range it was drawn over. */
export interface Drawn {
  readonly from: number;
  readonly to: number;
  readonly data: AlignedData;
}

/** Where the overlay drew its marks in the last draw (device pixels, canvas coordinates). */
export interface OverlayReach {
  /** Right edge of the limit labels and first-point marks at the plot's left (the plot's left edge when none). */
  leftMarks: number;
  /** Leftmost point of the pens' end marks (Infinity when none). */
  endMarks: number;
}

/** A device-pixel rectangle: x, y, width, height. */
export type Rect = readonly [number, number, number, number];

export interface StripPlan {
  /** Device pixels the drawing moves left. */
  readonly dx: number;
  /**
   * The new data with only the buckets the redrawn regions need: those under the left strip,
   * an empty bucket between (a gap, so no line or band joins the two parts), those under the
   * right strip.
   */
  readonly data: AlignedData;
  /** Series (indices into `data`) without a value in the strip's buckets: left out of its draw. */
  readonly empty: readonly number[];
  /** Where the canvas is drawn again (device pixels). */
  readonly regions: readonly Rect[];
  /** Start of the redrawn strip at the right of the plotting area (device pixels). */
  readonly stripFrom: number;
  /** End of the redrawn strip at its left (device pixels; the plot's left edge when none). */
  readonly stripTo: number;
  /**
   * The marks at the plot's left (limit labels, first-point marks) are drawn again: the drawing
   * moved under them. A strip that did not move leaves them, and the time axis, as they are.
   */
  readonly leftMarks: boolean;
}

export interface StripGeometry {
  /** The plotting area in device pixels. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** The canvas size in device pixels. */
  readonly canvasWidth: number;
  readonly canvasHeight: number;
}

type Column = ArrayLike<number | null | undefined>;

/**
 * The first bucket of `next` that is not `prev`'s bucket `steps` further right, in any
 * series; `n - steps` when only the new buckets differ.
 */
export function firstChanged(prev: AlignedData, next: AlignedData, steps: number): number {
  const n = next[0].length;
  let first = n - steps;
  for (let s = 1; s < next.length; s++) {
    const a = next[s] as Column;
    const b = prev[s] as Column;
    for (let i = 0; i < first; i++) {
      if ((a[i] ?? null) !== (b[i + steps] ?? null)) {
        first = i;
        break;
      }
    }
  }
  return first;
}

/** Smallest and largest value per scale over the series drawn on it, as uPlot's auto range takes them. */
export function scaleExtents(
  scaleOf: readonly (string | undefined)[],
  data: AlignedData,
): Map<string, [number | null, number | null]> {
  const acc = new Map<string, [number, number]>();
  for (let s = 1; s < data.length; s++) {
    const key = scaleOf[s];
    if (!key) continue;
    const column = data[s] as Column;
    let [lo, hi] = acc.get(key) ?? [Infinity, -Infinity];
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v == null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    acc.set(key, [lo, hi]);
  }
  const out = new Map<string, [number | null, number | null]>();
  for (const [key, [lo, hi]] of acc) out.set(key, [lo === Infinity ? null : lo, hi === -Infinity ? null : hi]);
  return out;
}

/**
 * How to draw `next` over a canvas that shows `prev`, or null when it takes a full draw.
 * `sameRanges` says whether the y scales would keep their ranges with `next`.
 */
export function planStrip(
  geometry: StripGeometry,
  prev: Drawn,
  next: Drawn,
  reach: OverlayReach,
  sameRanges: boolean,
): StripPlan | null {
  const n = next.data[0].length;
  if (!sameRanges || n < 8 || prev.data[0].length !== n || prev.data.length !== next.data.length) return null;
  const span = next.to - next.from;
  if (span <= 0 || prev.to - prev.from !== span) return null;
  const bucketMs = span / n;
  const steps = Math.round((next.from - prev.from) / bucketMs);
  if (steps < 0 || steps > n / 4 || Math.abs(next.from - (prev.from + steps * bucketMs)) > 1e-6 * bucketMs) return null;
  const { left, top, width, height, canvasWidth, canvasHeight } = geometry;
  const perBucket = width / n;
  const dx = steps * perBucket;
  // Only whole pixels move without blurring.
  if (Math.abs(dx - Math.round(dx)) > 1e-6) return null;
  const first = firstChanged(prev.data, next.data, steps);
  // The segment into the first changed bucket changes too; a pixel more for the line's width.
  const from = Math.max(0, first - 2);
  const stripFrom = Math.max(left, Math.floor(left + from * perBucket) - 2);
  // End marks of the last draw that the move would carry into the untouched middle.
  if (reach.endMarks !== Infinity && reach.endMarks - dx < stripFrom) return null;
  const moved = steps > 0;
  const stripTo = moved && reach.leftMarks > left ? Math.ceil(reach.leftMarks) + 2 : left;
  if (stripFrom - stripTo < width / 4) return null;
  // Buckets the strips draw: up to one past the left strip, from one before the right strip.
  const leftLast = stripTo > left ? Math.min(n - 1, Math.ceil((stripTo - left) / perBucket) + 1) : -1;
  const rightFirst = Math.max(0, Math.floor((stripFrom - left) / perBucket) - 1);
  const data = stripData(next.data, leftLast, rightFirst);
  const bottom = top + height;
  const regions: Rect[] = [
    [stripFrom, 0, left + width - stripFrom, bottom],
    [left + width, 0, canvasWidth - left - width, bottom],
  ];
  // The time axis moved with the drawing.
  if (moved) regions.push([0, bottom, canvasWidth, canvasHeight - bottom]);
  if (stripTo > left) regions.push([left, 0, stripTo - left, bottom]);
  return { dx: Math.round(dx), data, empty: emptySeries(data), regions, stripFrom, stripTo, leftMarks: moved };
}

/** The series (1…) without a single value: a not-Good average where all was Good, an overlay not yet there. */
export function emptySeries(data: AlignedData): number[] {
  const empty: number[] = [];
  for (let s = 1; s < data.length; s++) {
    const column = data[s] as Column;
    let i = 0;
    while (i < column.length && column[i] == null) i++;
    if (i === column.length) empty.push(s);
  }
  return empty;
}

/**
 * Buckets 0…`leftLast` and `rightFirst`…n−1 of every column (`leftLast` −1: none at the left),
 * with one empty bucket between the two parts, halfway in time.
 */
export function stripData(data: AlignedData, leftLast: number, rightFirst: number): AlignedData {
  const x = data[0] as ArrayLike<number>;
  const n = x.length;
  const gap = leftLast >= 0 && rightFirst > leftLast + 1 ? 1 : 0;
  const start = gap || leftLast < 0 ? rightFirst : leftLast + 1;
  const size = leftLast + 1 + gap + (n - start);
  const columns: (number | null)[][] = [];
  for (let s = 0; s < data.length; s++) {
    const column = data[s] as Column;
    const out = new Array<number | null>(size);
    let k = 0;
    for (let i = 0; i <= leftLast; i++) out[k++] = column[i] ?? null;
    if (gap) out[k++] = s === 0 ? ((x[leftLast] as number) + (x[rightFirst] as number)) / 2 : null;
    for (let i = start; i < n; i++) out[k++] = column[i] ?? null;
    columns.push(out);
  }
  return columns as unknown as AlignedData;
}

/** The context state uPlot remembers having set (it skips setting a value it believes is set). */
function captureStyle(ctx: CanvasRenderingContext2D) {
  return {
    strokeStyle: ctx.strokeStyle,
    fillStyle: ctx.fillStyle,
    lineWidth: ctx.lineWidth,
    lineJoin: ctx.lineJoin,
    lineCap: ctx.lineCap,
    font: ctx.font,
    textAlign: ctx.textAlign,
    textBaseline: ctx.textBaseline,
    globalAlpha: ctx.globalAlpha,
    dash: ctx.getLineDash(),
  };
}

function applyStyle(ctx: CanvasRenderingContext2D, style: ReturnType<typeof captureStyle>): void {
  ctx.strokeStyle = style.strokeStyle;
  ctx.fillStyle = style.fillStyle;
  ctx.lineWidth = style.lineWidth;
  ctx.lineJoin = style.lineJoin;
  ctx.lineCap = style.lineCap;
  ctx.font = style.font;
  ctx.textAlign = style.textAlign;
  ctx.textBaseline = style.textBaseline;
  ctx.globalAlpha = style.globalAlpha;
  ctx.setLineDash(style.dash);
}

/**
 * Moves the plotting area left by `plan.dx` and has uPlot draw the strip's data clipped to
 * the plan's regions (its own clear of the whole canvas left out). The caller puts the full
 * data back afterwards (`setData(data, false)`: no draw) and keeps the y ranges fixed meanwhile.
 */
export function drawStrip(u: uPlot, plan: StripPlan, geometry: StripGeometry): void {
  const ctx = u.ctx;
  const { left, top, width, height } = geometry;
  const bottom = top + height;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (plan.dx > 0) {
    ctx.beginPath();
    ctx.rect(left, 0, width - plan.dx, bottom);
    ctx.clip();
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(ctx.canvas, left + plan.dx, 0, width - plan.dx, bottom, left, 0, width - plan.dx, bottom);
  }
  ctx.restore();
  for (const [x, y, w, h] of plan.regions) ctx.clearRect(x, y, w, h);
  ctx.save();
  ctx.beginPath();
  for (const [x, y, w, h] of plan.regions) ctx.rect(x, y, w, h);
  ctx.clip();
  const clear = ctx.clearRect;
  // uPlot clears the whole canvas before it draws: here only the regions are cleared (above).
  ctx.clearRect = () => undefined;
  let style: ReturnType<typeof captureStyle> | null = null;
  // A series with nothing to draw here builds no paths (uPlot skips a hidden series); shown again at once.
  const hidden = plan.empty.filter((s) => u.series[s]?.show);
  for (const s of hidden) u.series[s]!.show = false;
  try {
    u.batch(() => u.setData(plan.data));
    style = captureStyle(ctx);
  } finally {
    for (const s of hidden) u.series[s]!.show = true;
    delete (ctx as { clearRect?: unknown }).clearRect;
    if (ctx.clearRect !== clear) ctx.clearRect = clear;
    ctx.restore();
    if (style) applyStyle(ctx, style);
  }
}
