/**
 * The supply-temperature setpoint from the heating curve, computed the way the station's
 * controller computes it (simulator/physics/heating-curve.ts; a unit test holds the two
 * equal): a straight line between a cold and a mild point of outdoor temperature, flat
 * beyond them, shifted in parallel by the offset. The controller faceplate uses it to show
 * the setpoint a new offset or curve point WILL give before the operator confirms. Pure.
 */

export interface CurvePoints {
  /** Outdoor temperature of the cold point, °C (HC.T_OUT_1). */
  readonly outdoorColdC: number;
  /** Supply temperature at the cold point, °C (HC.T_SUP_1). */
  readonly supplyColdC: number;
  /** Outdoor temperature of the mild point, °C (HC.T_OUT_2). */
  readonly outdoorMildC: number;
  /** Supply temperature at the mild point, °C (HC.T_SUP_2). */
  readonly supplyMildC: number;
  /** Parallel shift, K (HC.OFFSET). */
  readonly offsetK: number;
}

export function curveSetpointC(curve: CurvePoints, outdoorC: number): number {
  const { outdoorColdC: x0, supplyColdC: y0, outdoorMildC: x1, supplyMildC: y1 } = curve;
  let y: number;
  if (x1 === x0) y = (y0 + y1) / 2;
  else {
    const lo = Math.min(x0, x1);
    const hi = Math.max(x0, x1);
    const x = Math.min(hi, Math.max(lo, outdoorC));
    y = y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
  }
  return y + curve.offsetK;
}

/** Which tag of the curve a write changes. */
export type CurveField = keyof CurvePoints;

/** The tag signal (without area) of each curve field. */
export const curveFieldSignal: Readonly<Record<CurveField, string>> = {
  outdoorColdC: 'HC.T_OUT_1',
  supplyColdC: 'HC.T_SUP_1',
  outdoorMildC: 'HC.T_OUT_2',
  supplyMildC: 'HC.T_SUP_2',
  offsetK: 'HC.OFFSET',
};

/** `SS01.HC.OFFSET` → `offsetK`; null for a tag that is not a curve field. */
export function curveFieldOfTag(tag: string): CurveField | null {
  const signal = tag.split('.').slice(1).join('.');
  for (const [field, s] of Object.entries(curveFieldSignal) as [CurveField, string][]) if (s === signal) return field;
  return null;
}

/** The curve from live values; null while any of its five values is not a number. */
export function curveFromValues(values: Readonly<Record<CurveField, unknown>>): CurvePoints | null {
  const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const c = {
    outdoorColdC: n(values.outdoorColdC),
    supplyColdC: n(values.supplyColdC),
    outdoorMildC: n(values.outdoorMildC),
    supplyMildC: n(values.supplyMildC),
    offsetK: n(values.offsetK),
  };
  if (
    c.outdoorColdC === null ||
    c.supplyColdC === null ||
    c.outdoorMildC === null ||
    c.supplyMildC === null ||
    c.offsetK === null
  )
    return null;
  return c as CurvePoints;
}

export interface SetpointPreview {
  /** Setpoint with today's curve at the current outdoor temperature. */
  readonly now: number;
  /** Setpoint after the change. */
  readonly next: number;
  readonly delta: number;
}

/** What changing one curve field to `value` does to the setpoint at `outdoorC`. */
export function previewSetpoint(
  curve: CurvePoints,
  outdoorC: number,
  field: CurveField,
  value: number,
): SetpointPreview {
  const now = curveSetpointC(curve, outdoorC);
  const next = curveSetpointC({ ...curve, [field]: value }, outdoorC);
  return { now, next, delta: next - now };
}

export interface CurveGeometry {
  /** Polyline points in chart pixels. */
  readonly points: readonly (readonly [number, number])[];
  /** Outdoor temperature and setpoint marker, pixels. */
  readonly marker: readonly [number, number] | null;
  readonly xTicks: readonly { readonly v: number; readonly x: number }[];
  readonly yTicks: readonly { readonly v: number; readonly y: number }[];
  readonly x: (c: number) => number;
  readonly y: (c: number) => number;
  /** Another curve (a proposed change) on the same axes. */
  pointsOf(curve: CurvePoints): (readonly [number, number])[];
  markerOf(curve: CurvePoints): readonly [number, number] | null;
}

export interface CurveChartOptions {
  readonly pad?: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  readonly outdoorRange?: readonly [number, number];
  /** Further curves the y axis must cover (a proposed change). */
  readonly alsoFit?: readonly CurvePoints[];
}

function samplesOf(curve: CurvePoints, xMin: number, xMax: number): number[] {
  return [
    xMin,
    Math.min(curve.outdoorColdC, curve.outdoorMildC),
    Math.max(curve.outdoorColdC, curve.outdoorMildC),
    xMax,
  ]
    .filter((v) => v >= xMin && v <= xMax)
    .sort((a, b) => a - b);
}

/**
 * The curve drawn over an outdoor range (default −20…+20 °C) in a chart of `width`×`height`
 * pixels with room for the axes; the y axis covers the curve (and `alsoFit`) in steps of 10 K.
 */
export function curveGeometry(
  curve: CurvePoints,
  outdoorC: number | null,
  width: number,
  height: number,
  options: CurveChartOptions = {},
): CurveGeometry {
  const pad = options.pad ?? { left: 34, right: 8, top: 8, bottom: 20 };
  const [xMin, xMax] = options.outdoorRange ?? [-20, 20];
  const ys = [curve, ...(options.alsoFit ?? [])].flatMap((c) =>
    samplesOf(c, xMin, xMax).map((o) => curveSetpointC(c, o)),
  );
  let yLo = Math.floor((Math.min(...ys) - 5) / 10) * 10;
  let yHi = Math.ceil((Math.max(...ys) + 5) / 10) * 10;
  if (yHi - yLo < 10) [yLo, yHi] = [yLo - 5, yHi + 5];
  const x = (c: number) => pad.left + ((c - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
  const y = (c: number) => height - pad.bottom - ((c - yLo) / (yHi - yLo)) * (height - pad.top - pad.bottom);
  const clampedOutdoor = outdoorC === null ? null : Math.min(xMax, Math.max(xMin, outdoorC));
  const pointsOf = (c: CurvePoints) => samplesOf(c, xMin, xMax).map((o) => [x(o), y(curveSetpointC(c, o))] as const);
  const markerOf = (c: CurvePoints) =>
    clampedOutdoor === null ? null : ([x(clampedOutdoor), y(curveSetpointC(c, clampedOutdoor))] as const);
  const step = (xMax - xMin) / 4;
  const xTicks = [0, 1, 2, 3, 4].map((i) => xMin + i * step).map((v) => ({ v, x: x(v) }));
  const yTicks: { v: number; y: number }[] = [];
  for (let v = yLo; v <= yHi; v += 10) yTicks.push({ v, y: y(v) });
  return { points: pointsOf(curve), marker: markerOf(curve), xTicks, yTicks, x, y, pointsOf, markerOf };
}
