/**
 * Centrifugal pump on a variable-speed drive, by the affinity laws: flow ∝ n, head ∝ n²,
 * shaft power ∝ n³ (n = speed / rated speed). Motor current follows from electrical power
 * plus magnetising current; vibration grows with speed and with bearing wear.
 */
export interface PumpRating {
  /** Flow at rated speed on the design system curve, m³/h. */
  readonly flowM3h: number;
  /** Head at rated speed, m. */
  readonly headM: number;
  /** Electrical input at rated speed, kW. */
  readonly powerKw: number;
  /** Motor rated current, A (400 V). */
  readonly ratedCurrentA: number;
  readonly ratedHz: number;
  /** Baseline vibration velocity of a healthy pump at rated speed, mm/s RMS. */
  readonly vibrationMmS: number;
  /** VFD ramp, % speed per second. */
  readonly rampPctPerS: number;
}

export const circulationPump: PumpRating = {
  flowM3h: 75,
  headM: 25,
  powerKw: 7.3,
  ratedCurrentA: 14.5,
  ratedHz: 50,
  vibrationMmS: 1.8,
  rampPctPerS: 5,
};

export interface PumpOperatingPoint {
  readonly flowM3h: number;
  readonly headM: number;
  readonly powerKw: number;
  readonly currentA: number;
  readonly frequencyHz: number;
  readonly vibrationMmS: number;
}

/** Operating point at a speed (% of rated), with bearing wear 0..1 adding friction and vibration. */
export function pumpOperatingPoint(rating: PumpRating, speedPct: number, wear = 0): PumpOperatingPoint {
  const n = Math.max(0, speedPct) / 100;
  if (n <= 0) return { flowM3h: 0, headM: 0, powerKw: 0, currentA: 0, frequencyHz: 0, vibrationMmS: 0 };
  const hydraulicKw = rating.powerKw * n * n * n;
  // Worn bearings add friction torque (∝ speed) on top of the hydraulic load.
  const frictionKw = 0.12 * rating.powerKw * wear * n;
  const powerKw = hydraulicKw + frictionKw;
  const loadCurrent = (0.85 * rating.ratedCurrentA * powerKw) / rating.powerKw;
  const magnetisingCurrent = 0.3 * rating.ratedCurrentA * n;
  return {
    flowM3h: rating.flowM3h * n,
    headM: rating.headM * n * n,
    powerKw,
    currentA: Math.hypot(loadCurrent, magnetisingCurrent),
    frequencyHz: rating.ratedHz * n,
    vibrationMmS: rating.vibrationMmS * (0.4 + 0.6 * n * n) * (1 + 8 * wear),
  };
}

/** Drive ramp: new actual speed after dt towards the commanded speed. */
export function rampSpeed(actualPct: number, targetPct: number, dtS: number, rating: PumpRating): number {
  const max = rating.rampPctPerS * dtS;
  return actualPct + Math.max(-max, Math.min(max, targetPct - actualPct));
}
