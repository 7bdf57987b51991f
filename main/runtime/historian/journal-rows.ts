/**
 * Which journal records the tags' recent points still need: how many tails start at each
 * record. The oldest such record is the floor below which journal files can go once their
 * blocks are durable. Kept incrementally because the floor is asked after every block
 * transaction, and walking every tag each time made a station of 10,000 tags spend more
 * time finding the floor than writing the blocks.
 */
export class JournalRows {
  /** Record number → tails starting there, in ascending record order (Map keeps insertion order). */
  private starts = new Map<number, number>();
  private newest = -Infinity;

  /** A tail starts at `row`. */
  hold(row: number): void {
    const n = this.starts.get(row);
    if (n !== undefined) {
      this.starts.set(row, n + 1);
      return;
    }
    if (row < this.newest) {
      // Out of order (not how the historian appends, but kept correct): re-sort.
      this.reset([...this.expand(), row]);
      return;
    }
    this.starts.set(row, 1);
    this.newest = row;
  }

  /** A tail that started at `row` was written to blocks. */
  drop(row: number): void {
    const n = this.starts.get(row);
    if (n === undefined) return;
    if (n <= 1) this.starts.delete(row);
    else this.starts.set(row, n - 1);
  }

  /** The oldest record some tail still needs, or `fallback` when none does. */
  oldest(fallback: number): number {
    for (const row of this.starts.keys()) return Math.min(row, fallback);
    return fallback;
  }

  /** Start over from the first records of every tail holding points. */
  reset(rows: Iterable<number>): void {
    const sorted = [...rows].sort((a, b) => a - b);
    this.starts = new Map();
    this.newest = -Infinity;
    for (const row of sorted) {
      this.starts.set(row, (this.starts.get(row) ?? 0) + 1);
      this.newest = row;
    }
  }

  private *expand(): Generator<number> {
    for (const [row, n] of this.starts) for (let i = 0; i < n; i++) yield row;
  }
}
