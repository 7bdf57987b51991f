/**
 * The primary control valve: an actuator that travels towards its command at a limited
 * rate, and an equal-percentage characteristic turning position into flow.
 */
export interface ValveParams {
  /** Full-stroke travel time, s. */
  readonly strokeTimeS: number;
  /** Flow coefficient fully open, m³/h at 1 bar. */
  readonly kvs: number;
  /** Rangeability of the equal-percentage characteristic. */
  readonly rangeability: number;
}

export const defaultValve: ValveParams = { strokeTimeS: 60, kvs: 50, rangeability: 30 };

/** New actuator position (%) after dt, moving towards the command at most 100 % per stroke time. */
export function actuatorStep(positionPct: number, commandPct: number, dtS: number, params: ValveParams): number {
  const maxMove = (100 * dtS) / params.strokeTimeS;
  const target = Math.min(100, Math.max(0, commandPct));
  const delta = Math.max(-maxMove, Math.min(maxMove, target - positionPct));
  return positionPct + delta;
}

/** Kv at a position (%): equal percentage above 2 %, linear to zero below (tight shut-off). */
export function valveKv(positionPct: number, params: ValveParams): number {
  const x = Math.min(1, Math.max(0, positionPct / 100));
  const knee = 0.02;
  const kvAt = (v: number) => params.kvs * Math.pow(params.rangeability, v - 1);
  return x >= knee ? kvAt(x) : (kvAt(knee) * x) / knee;
}

/** Flow through the valve, m³/h, for a differential pressure in bar. */
export function valveFlow(positionPct: number, dpBar: number, params: ValveParams): number {
  return valveKv(positionPct, params) * Math.sqrt(Math.max(0, dpBar));
}
