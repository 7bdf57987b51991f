/**
 * Injected faults: each starts at a simulated time and grows to its severity over a ramp
 * (fouling and wear build up over hours, a leak opens within minutes, a valve sticks at once).
 */
export type FaultKind = 'hx-fouling' | 'pump-bearing-wear' | 'secondary-leak' | 'sensor-drift' | 'stuck-valve';
export const faultKinds: readonly FaultKind[] = [
  'hx-fouling',
  'pump-bearing-wear',
  'secondary-leak',
  'sensor-drift',
  'stuck-valve',
];

/** Default time to reach full severity, simulated ms. */
export const defaultRampMs: Record<FaultKind, number> = {
  'hx-fouling': 6 * 3_600_000,
  'pump-bearing-wear': 6 * 3_600_000,
  'secondary-leak': 2 * 60_000,
  'sensor-drift': 3 * 3_600_000,
  'stuck-valve': 0,
};

export interface ActiveFault {
  readonly kind: FaultKind;
  readonly startsAt: number;
  readonly severity: number;
  readonly rampMs: number;
  /** Pump ('P1'/'P2') for bearing wear; tag signal (e.g. 'HX.T_SEC_SUP') for sensor drift. */
  readonly target?: string;
}

/** How far a fault has developed at a time: 0 before it starts, then up to its severity. */
export function faultLevel(fault: ActiveFault, simTimeMs: number): number {
  if (simTimeMs < fault.startsAt) return 0;
  const severity = Math.min(1, Math.max(0, fault.severity));
  if (fault.rampMs <= 0) return severity;
  return severity * Math.min(1, (simTimeMs - fault.startsAt) / fault.rampMs);
}

/** The strongest level of all faults of a kind (optionally for one target). */
export function levelOf(faults: readonly ActiveFault[], kind: FaultKind, simTimeMs: number, target?: string): number {
  let level = 0;
  for (const f of faults) {
    if (f.kind !== kind) continue;
    if (target !== undefined && f.target !== undefined && f.target !== target) continue;
    level = Math.max(level, faultLevel(f, simTimeMs));
  }
  return level;
}
