/**
 * The heating curve: secondary supply setpoint as a function of outdoor temperature,
 * a straight line between two points, flat (clamped) beyond them, shifted by an offset.
 */
export interface HeatingCurve {
  /** Outdoor temperature of the cold design point, °C (e.g. −10). */
  readonly outdoorColdC: number;
  /** Supply temperature at the cold design point, °C (e.g. 70). */
  readonly supplyColdC: number;
  /** Outdoor temperature of the mild point, °C (e.g. +15). */
  readonly outdoorMildC: number;
  /** Supply temperature at the mild point, °C (e.g. 40). */
  readonly supplyMildC: number;
  /** Parallel shift of the whole curve, K. */
  readonly offsetK: number;
}

export const defaultHeatingCurve: HeatingCurve = {
  outdoorColdC: -10,
  supplyColdC: 70,
  outdoorMildC: 15,
  supplyMildC: 40,
  offsetK: 0,
};

export function supplySetpointC(curve: HeatingCurve, outdoorC: number): number {
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
