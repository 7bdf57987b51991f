import { describe, expect, it } from 'vitest';
import { SliceSize } from '../../main/runtime/historian/slice-size.js';
import { blocksWanted, type BlockWriteState } from '../../main/runtime/historian/block-transaction.js';

describe('write slice size', () => {
  it('grows after full slices under the budget, shrinks after slow ones, within 500 … 16,000 samples', () => {
    const size = new SliceSize(5);
    expect(size.samples).toBe(2_000);
    // A slice that took fewer samples than offered (the queue ran dry) teaches nothing when fast.
    size.took(1_000, 1);
    expect(size.samples).toBe(2_000);
    for (let i = 0; i < 50; i++) size.took(size.samples, 1);
    expect(size.samples).toBe(16_000);
    // Any slice over the budget shrinks it, full or not.
    size.took(100, 50);
    expect(size.samples).toBeLessThan(16_000);
    for (let i = 0; i < 50; i++) size.took(100, 500);
    expect(size.samples).toBe(500);
  });

  it('keeps the slowest slice, block transactions included', () => {
    const size = new SliceSize(5);
    size.took(2_000, 3.14);
    size.took(0, 12.34);
    size.took(2_000, 4);
    expect(size.slowestMs).toBe(12.3);
    expect(size.samples).toBeGreaterThan(2_000);
  });
});

describe('block transactions wanted', () => {
  const idle: BlockWriteState = {
    backingUp: false,
    pendingGaps: 0,
    writeEverything: false,
    due: 0,
    waitedMs: 0,
    blockWaitMs: 5_000,
    failing: false,
  };

  it('wait for 64 due tags or the first one waiting blockWaitMs, or retry at once after a failure', () => {
    expect(blocksWanted(idle)).toBe(false);
    expect(blocksWanted({ ...idle, due: 63, waitedMs: 4_999 })).toBe(false);
    expect(blocksWanted({ ...idle, due: 64 })).toBe(true);
    expect(blocksWanted({ ...idle, due: 1, waitedMs: 5_000 })).toBe(true);
    expect(blocksWanted({ ...idle, due: 1, failing: true })).toBe(true);
    expect(blocksWanted({ ...idle, failing: true })).toBe(false);
  });

  it('write gap records and, when closing, every due tag without waiting; nothing while a backup runs', () => {
    expect(blocksWanted({ ...idle, pendingGaps: 1 })).toBe(true);
    expect(blocksWanted({ ...idle, writeEverything: true, due: 1 })).toBe(true);
    expect(blocksWanted({ ...idle, writeEverything: true })).toBe(false);
    expect(blocksWanted({ ...idle, backingUp: true, due: 100, pendingGaps: 3 })).toBe(false);
  });
});
