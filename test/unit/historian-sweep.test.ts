import { describe, expect, it } from 'vitest';
import { RoundRobin } from '../../main/runtime/historian/round-robin.js';
import { NO_PENDING, withPending } from '../../main/runtime/historian/write-batch.js';
import { RollupAccumulator, RollupRows } from '../../main/runtime/historian/rollups.js';

function take<T>(sweep: RoundRobin<T>, max: number): T[] {
  const seen: T[] = [];
  const n = sweep.visit(max, (x) => seen.push(x));
  expect(n).toBe(seen.length);
  return seen;
}

describe('round-robin walk over the tags (quiet-tail check)', () => {
  it('takes at most `max` a call, continues where it stopped, ends a round at the end and starts the next', () => {
    const tags = new Map(Array.from({ length: 7 }, (_, i) => [`T${i}`, i]));
    const sweep = new RoundRobin(() => tags.values());
    expect(take(sweep, 3)).toEqual([0, 1, 2]);
    expect(take(sweep, 3)).toEqual([3, 4, 5]);
    // The end of the round: no item twice in one call.
    expect(take(sweep, 3)).toEqual([6]);
    expect(take(sweep, 3)).toEqual([0, 1, 2]);
    // A call larger than the collection takes each item once.
    sweep.restart();
    expect(take(sweep, 100)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(take(sweep, 100)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reaches tags added during a round in that round, and every tag once per round', () => {
    const tags = new Map<string, number>([
      ['A', 1],
      ['B', 2],
      ['C', 3],
    ]);
    const sweep = new RoundRobin(() => tags.values());
    expect(take(sweep, 2)).toEqual([1, 2]);
    tags.set('D', 4);
    expect(take(sweep, 2)).toEqual([3, 4]);
    const counts = new Map<number, number>();
    for (let call = 0; call < 10; call++) for (const x of take(sweep, 3)) counts.set(x, (counts.get(x) ?? 0) + 1);
    // 10 calls of up to 3 over 4 tags: rounds of [3, 1] calls → 5 rounds, each tag 5 times.
    expect([...counts.values()]).toEqual([5, 5, 5, 5]);
  });

  it('starts over after restart (a file was opened: new tag states)', () => {
    const tags = new Map([
      ['A', 1],
      ['B', 2],
    ]);
    const sweep = new RoundRobin(() => tags.values());
    expect(take(sweep, 1)).toEqual([1]);
    tags.clear();
    tags.set('C', 3);
    sweep.restart();
    expect(take(sweep, 5)).toEqual([3]);
    expect(take(sweep, 0)).toEqual([]);
  });
});

describe('pending rollup buckets', () => {
  it('a tag with none shares one frozen value: appending to it throws instead of reaching every tag', () => {
    expect(NO_PENDING.length).toBe(0);
    expect(() => NO_PENDING.t.push(1)).toThrow(TypeError);
    const acc = new RollupAccumulator(60_000);
    acc.add(0, 1, true, NO_PENDING);
    // Completing a bucket into the shared value is refused.
    expect(() => acc.add(60_000, 2, true, NO_PENDING)).toThrow(TypeError);
    expect(NO_PENDING.length).toBe(0);
  });

  it('a batch’s buckets become the pending ones when none were, and are appended after them otherwise', () => {
    const rows = (...t: number[]): RollupRows => {
      const r = new RollupRows();
      r.append({ t, count: t.map(() => 1), good: t.map(() => 1), min: t, max: t, first: t, last: t, sum: t });
      return r;
    };
    const first = rows(0, 60_000);
    const pending = withPending(NO_PENDING, first);
    expect(pending).toBe(first);
    const more = withPending(pending, rows(120_000));
    expect(more).toBe(first);
    expect(more.t).toEqual([0, 60_000, 120_000]);
    expect(more.sum).toEqual([0, 60_000, 120_000]);
    expect(NO_PENDING.length).toBe(0);
  });
});
