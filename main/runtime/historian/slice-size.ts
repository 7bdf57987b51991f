/**
 * How many queued samples a write slice takes: learnt from the slices before, aimed at
 * the slice's time budget, moving gently so that one slow slice does not swing it; and
 * the slowest slice seen (the status shows it). Pure.
 */
export class SliceSize {
  /** Samples the next slice takes. */
  samples = 2_000;
  /** The longest slice so far, ms (one decimal). */
  slowestMs = 0;

  constructor(private readonly budgetMs: number) {}

  /** A slice (or a block transaction: `samples` 0) took `elapsed` ms. */
  took(samples: number, elapsed: number): void {
    if (elapsed > this.slowestMs) this.slowestMs = Math.round(elapsed * 10) / 10;
    if (samples === 0 || elapsed <= 0) return;
    // Grow only after full slices; shrink after any slice over the budget.
    if (samples === this.samples || elapsed > this.budgetMs) {
      const target = (this.samples * this.budgetMs) / elapsed;
      this.samples = Math.round(Math.min(16_000, Math.max(500, this.samples * 0.7 + target * 0.3)));
    }
  }
}
