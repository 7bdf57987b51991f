/**
 * Per-call-site log rate limiting: a dead PLC must not fill the disk. A message key
 * (call site + message) may log `burst` times per window; after that it goes quiet
 * and the next window opens with one line saying how many were suppressed.
 */
export interface RateDecision {
  readonly log: boolean;
  /** Repeats swallowed in the previous window, to mention in the line being logged. */
  readonly suppressed: number;
}

export class LogRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; suppressed: number }>();

  constructor(
    private readonly burst = 100,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  decide(key: string, now: number): RateDecision {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      const suppressed = w?.suppressed ?? 0;
      if (!w && this.windows.size >= this.maxKeys) this.windows.clear();
      this.windows.set(key, { start: now, count: 1, suppressed: 0 });
      return { log: true, suppressed };
    }
    if (w.count < this.burst) {
      w.count++;
      return { log: true, suppressed: 0 };
    }
    w.suppressed++;
    return { log: false, suppressed: 0 };
  }
}
