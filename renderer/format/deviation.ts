/**
 * The deviation cue of a controlled value: PV against its setpoint (e.g. HX.T_SEC_SUP
 * against HC.T_SP), as a signed difference on a small centred bar. Abnormal beyond the
 * deviation alarm's limit; `near` past half of it. Pure.
 */
export type DeviationState = 'ok' | 'near' | 'beyond' | 'unknown';

export interface DeviationView {
  /** PV − SP, or null when either is not a number. */
  readonly delta: number | null;
  /** −1 … 1 along the bar (0 centre), clamped. */
  readonly fraction: number;
  readonly clamped: boolean;
  readonly state: DeviationState;
  /** The bar's half span in engineering units (the limit sits at half of it). */
  readonly halfSpan: number;
}

/** Without a deviation alarm, the bar spans ±`fallbackHalfSpan` and nothing is classed abnormal. */
export function deviationView(
  pv: number | null,
  sp: number | null,
  limit: number | undefined,
  fallbackHalfSpan = 5,
): DeviationView {
  const halfSpan = limit !== undefined && limit > 0 ? limit * 2 : fallbackHalfSpan;
  if (pv === null || sp === null || !Number.isFinite(pv) || !Number.isFinite(sp))
    return { delta: null, fraction: 0, clamped: false, state: 'unknown', halfSpan };
  const delta = pv - sp;
  const raw = delta / halfSpan;
  const fraction = Math.max(-1, Math.min(1, raw));
  let state: DeviationState = 'ok';
  if (limit !== undefined && limit > 0) {
    if (Math.abs(delta) > limit) state = 'beyond';
    else if (Math.abs(delta) > limit / 2) state = 'near';
  }
  return { delta, fraction, clamped: fraction !== raw, state, halfSpan };
}
