/** The station server's heap growth setting: default, override, off, and a refusal that says what is wrong. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from '../../main/server/heap-growth.js';

describe('heapGrowingPercent', () => {
  it('applies the default unless told otherwise', () => {
    expect(heapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ ARGUS_HEAP_GROWING_PERCENT: ' ' })).toBe(DEFAULT_HEAP_GROWING_PERCENT);
  });

  it('takes an override, and 0 leaves V8 its own policy', () => {
    expect(heapGrowingPercent({ ARGUS_HEAP_GROWING_PERCENT: '100' })).toBe(100);
    expect(heapGrowingPercent({ ARGUS_HEAP_GROWING_PERCENT: '0' })).toBeNull();
  });

  it.each(['-5', '2.5', 'lots', '5000'])('refuses %s, naming the variable', (text) => {
    expect(() => heapGrowingPercent({ ARGUS_HEAP_GROWING_PERCENT: text })).toThrow(
      `ARGUS_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000, got "${text}"`,
    );
  });
});
