/** A fixed-window request counter per source address (sign-in endpoints). */
export class SourceRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** ms to wait before the next attempt, or 0 when this one is allowed. */
  take(source: string, now: number): number {
    let w = this.windows.get(source);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(source, w);
    }
    w.count++;
    return w.count > this.limit ? w.start + this.windowMs - now : 0;
  }
}
