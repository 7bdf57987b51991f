/**
 * When a Modbus driver tries its device again after losing it: exponential back-off with
 * jitter between attempts, the failure count reset by a real answer (not by a mere TCP
 * connect, so a device that accepts connections and then never answers stays demoted); and
 * the callers waiting for the next connection (a write reading back after a resync).
 */
import { backoffDelayMs } from '../driver.js';

export class Reconnect {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private waiters: (() => void)[] = [];

  constructor(
    /** Called when the back-off delay is over. */
    private readonly attempt: () => void,
    private readonly random: () => number,
    private readonly baseMs = 500,
    private readonly maxMs = 15_000,
  ) {}

  /** Attempt again after the next back-off delay (once: an attempt already scheduled stands). */
  schedule(): void {
    if (this.timer) return;
    const delay = backoffDelayMs(this.failures++, this.baseMs, this.maxMs, this.random);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, delay);
    this.timer.unref();
  }

  /** The device answered: the next loss starts the back-off from its first delay. */
  answered(): void {
    this.failures = 0;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves with `current()` once `connected()` is called, or after `withinMs`. */
  wait<T>(withinMs: number, current: () => T): Promise<T> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(current()), withinMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(current());
      });
    });
  }

  /** A connection opened (or the driver stopped): wake every waiter. */
  connected(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
