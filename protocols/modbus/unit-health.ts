/**
 * Per unit id behind one connection (a gateway may front many): consecutive failures and
 * until when its reads are skipped. A unit that stops answering is demoted for a back-off
 * delay that grows with each failure, so a dead unit cannot slow down the live ones; any
 * answer (data or exception) restores it. Pure: clock and randomness are passed in.
 */
import { backoffDelayMs } from '../driver.js';

interface Health {
  failures: number;
  demotedUntil: number;
}

export class UnitHealth {
  private readonly units = new Map<number, Health>();

  constructor(
    private readonly now: () => number,
    private readonly random: () => number,
    /** The device's poll period: the first demotion lasts about this long (at least 250 ms). */
    private readonly pollMs: number,
    private readonly maxDemotionMs = 60_000,
  ) {}

  isDemoted(unitId: number): boolean {
    const health = this.units.get(unitId);
    return health !== undefined && health.demotedUntil > this.now();
  }

  /** Every one of `unitIds` is demoted (false for none). */
  allDemoted(unitIds: Iterable<number>): boolean {
    let any = false;
    for (const unitId of unitIds) {
      any = true;
      if (!this.isDemoted(unitId)) return false;
    }
    return any;
  }

  /** The unit answered (data or exception): it is alive. */
  answered(unitId: number): void {
    const health = this.units.get(unitId);
    if (health) {
      health.failures = 0;
      health.demotedUntil = 0;
    }
  }

  /** The unit did not answer (or answered garbage): skip it for a growing back-off. */
  failed(unitId: number): void {
    let health = this.units.get(unitId);
    if (!health) this.units.set(unitId, (health = { failures: 0, demotedUntil: 0 }));
    health.demotedUntil =
      this.now() + backoffDelayMs(health.failures++, Math.max(this.pollMs, 250), this.maxDemotionMs, this.random);
  }
}
