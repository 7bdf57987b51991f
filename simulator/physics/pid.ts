/**
 * A PID controller in parallel form with the derivative on the measurement (no kick on
 * setpoint changes) and conditional-integration anti-windup: the integral stops growing
 * while the output is pinned at a limit in the direction of the error.
 */
export interface PidParams {
  /** Proportional gain, % output per unit of error. */
  kp: number;
  /** Integral time, s (0 disables the integral). */
  tiS: number;
  /** Derivative time, s. */
  tdS: number;
  outMin: number;
  outMax: number;
}

export class Pid {
  private integral = 0;
  private lastMeasurement: number | null = null;
  output = 0;

  constructor(public params: PidParams) {}

  /** Bumpless transfer: start from a given output (e.g. when switching manual → auto). */
  track(output: number, measurement: number, setpoint: number): void {
    const p = this.params;
    this.output = Math.min(p.outMax, Math.max(p.outMin, output));
    this.integral = this.output - p.kp * (setpoint - measurement);
    this.lastMeasurement = measurement;
  }

  step(setpoint: number, measurement: number, dtS: number): number {
    const p = this.params;
    const error = setpoint - measurement;
    const derivative = this.lastMeasurement === null || dtS <= 0 ? 0 : -(measurement - this.lastMeasurement) / dtS;
    this.lastMeasurement = measurement;
    const proportional = p.kp * error;
    const unclamped = proportional + this.integral + p.kp * p.tdS * derivative;
    const saturatedHigh = unclamped >= p.outMax && error > 0;
    const saturatedLow = unclamped <= p.outMin && error < 0;
    if (p.tiS > 0 && !saturatedHigh && !saturatedLow) this.integral += ((p.kp * dtS) / p.tiS) * error;
    // Keep the integral itself within the output span so a long saturation cannot wind it up.
    this.integral = Math.min(p.outMax, Math.max(p.outMin - p.kp * Math.abs(error), this.integral));
    this.output = Math.min(p.outMax, Math.max(p.outMin, proportional + this.integral + p.kp * p.tdS * derivative));
    return this.output;
  }

  get integralTerm(): number {
    return this.integral;
  }
}
