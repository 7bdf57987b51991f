/** The y range of a trend's scale: from scratch, and held while a live window appends. */
import { describe, expect, it } from 'vitest';
import { freshRange, HOLD_EDGE, HOLD_MIN_FILL, LIVE_HEADROOM, liveRange } from '../../renderer/trends/trend-scale.js';

describe('freshRange', () => {
  it('spans the data and the limits with 5 % to spare, [0, 1] without data', () => {
    expect(freshRange(40, 60, [85, 20])).toEqual([16.75, 88.25]);
    expect(freshRange(null, null, [])).toEqual([0, 1]);
    expect(freshRange(5, 5, [])).toEqual([4, 6]);
  });
});

describe('liveRange', () => {
  const shown = [10, 30] as const;

  it('keeps the range on screen while the data stays inside it and fills enough of it', () => {
    expect(liveRange(shown, 12, 28, [])).toEqual([10, 30]);
    // A new extreme inside the range: no change (it was a new range every time before).
    expect(liveRange(shown, 11.9, 28.2, [])).toEqual([10, 30]);
    expect(liveRange(shown, 10 + HOLD_EDGE * 20, 30 - HOLD_EDGE * 20, [])).toEqual([10, 30]);
    // Exactly the share needed.
    expect(liveRange(shown, 15, 15 + HOLD_MIN_FILL * 20, [])).toEqual([10, 30]);
  });

  it('does not let a value sit on the edge of the range (its line would be cut in half)', () => {
    expect(liveRange(shown, 12, 30, [])).not.toEqual([10, 30]);
    expect(liveRange(shown, 10, 28, [])).not.toEqual([10, 30]);
    expect(liveRange(shown, 12, 30, [])[1]).toBeGreaterThan(30);
  });

  it('opens up with headroom on both sides when a value leaves the range', () => {
    const [lo, hi] = liveRange(shown, 12, 32, []);
    expect(lo).toBeCloseTo(12 - 20 * LIVE_HEADROOM, 9);
    expect(hi).toBeCloseTo(32 + 20 * LIVE_HEADROOM, 9);
    // The next second's small rise stays inside.
    expect(liveRange([lo, hi], 12, 33, [])).toEqual([lo, hi]);
    expect(liveRange(shown, 9, 20, [])[0]).toBeLessThan(9);
  });

  it('closes in when the data shrank to a small part of the range (a spike slid out)', () => {
    const [lo, hi] = liveRange(shown, 20, 25, []);
    expect(lo).toBeCloseTo(20 - 5 * LIVE_HEADROOM, 9);
    expect(hi).toBeCloseTo(25 + 5 * LIVE_HEADROOM, 9);
  });

  it('keeps the limits in view: they count as data', () => {
    expect(liveRange(shown, 20, 22, [12, 29])).toEqual([10, 30]);
    const [lo, hi] = liveRange(shown, 20, 22, [35]);
    expect(lo).toBeLessThan(20);
    expect(hi).toBeGreaterThan(35);
  });

  it('draws a flat line one unit either side, and keeps a range that shows it that way', () => {
    expect(liveRange(shown, 50, 50, [])).toEqual([49, 51]);
    expect(liveRange([49, 51], 50, 50, [])).toEqual([49, 51]);
    expect(liveRange([49.5, 51], 50.5, 50.5, [])).toEqual([49.5, 51]);
  });

  it('is the range from scratch without a range on screen or without data', () => {
    expect(liveRange(null, 40, 60, [85, 20])).toEqual(freshRange(40, 60, [85, 20]));
    expect(liveRange(shown, null, null, [])).toEqual([0, 1]);
  });
});
