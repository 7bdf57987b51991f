/** One shared 1 s tick for everything whose look depends on the time (staleness, ages, the header clock). */
export class Clock {
  private now = Date.now();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly periodMs = 1000) {}

  get = (): number => this.now;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.timer === null) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearTimeout(this.timer);
        this.timer = null;
      }
    };
  };

  private schedule(): void {
    // Aligned to the wall-clock second so the header clock does not lag by up to a second.
    const delay = this.periodMs - (Date.now() % this.periodMs) + 5;
    this.timer = setTimeout(() => {
      this.now = Date.now();
      for (const listener of [...this.listeners]) listener();
      this.schedule();
    }, delay);
  }
}
