/** Rulers, limits, setpoints, overlays, routes and saved sets of the trend screen. */
import { describe, expect, it } from 'vitest';
import { moveCursor, NO_RULERS, placeNextRuler, rulerStats } from '../../renderer/trends/trend-rulers.js';
import {
  channelsFor,
  limitLines,
  overlayLabel,
  overlayShiftMs,
  rangeWithLimits,
  setpointTag,
  shiftedRange,
} from '../../renderer/trends/trend-references.js';
import { trendHash, trendTagsFromHash } from '../../renderer/trends/trend-route.js';
import {
  MAX_TREND_SETS,
  parseTrendSets,
  removeTrendSet,
  saveTrendSet,
  setName,
  storedTrendSets,
  type TrendSet,
} from '../../renderer/trends/trend-sets.js';
import { presetRange } from '../../renderer/trends/trend-range.js';

describe('rulers', () => {
  const x = [10, 20, 30, 40, 50];
  const pen = { min: [1, 2, null, 0, 9], max: [3, 8, null, 4, 12], avg: [2, 5, null, 2, 10] };

  it('gives min, max and average of the buckets between the rulers, in either order, skipping empty buckets', () => {
    expect(rulerStats(pen, x, 15, 45)).toEqual({ min: 0, max: 8, avg: 3.5, buckets: 2 });
    expect(rulerStats(pen, x, 45, 15)).toEqual(rulerStats(pen, x, 15, 45));
    expect(rulerStats(pen, x, 0, 100)).toEqual({ min: 0, max: 12, avg: 19 / 4, buckets: 4 });
  });

  it('says nothing was recorded between rulers over an outage', () => {
    expect(rulerStats(pen, x, 25, 35)).toEqual({ min: null, max: null, avg: null, buckets: 0 });
  });

  it('places A, then B, then moves the older of the two', () => {
    let r = placeNextRuler(NO_RULERS, 100, null);
    expect(r).toEqual({ rulers: { a: 100, b: null }, placed: 'a' });
    r = placeNextRuler(r.rulers, 200, r.placed);
    expect(r).toEqual({ rulers: { a: 100, b: 200 }, placed: 'b' });
    r = placeNextRuler(r.rulers, 300, r.placed);
    expect(r).toEqual({ rulers: { a: 300, b: 200 }, placed: 'a' });
  });

  it('moves the keyboard cursor within the frame', () => {
    expect(moveCursor(null, 1, 5)).toBe(0);
    expect(moveCursor(null, -1, 5)).toBe(4);
    expect(moveCursor(3, 10, 5)).toBe(4);
    expect(moveCursor(3, -10, 5)).toBe(0);
    expect(moveCursor(2, 1, 0)).toBeNull();
  });
});

describe('limit lines and setpoints', () => {
  const defs = [
    { tag: 'T', kind: 'high', limit: 85, priority: 'high' as const },
    { tag: 'T', kind: 'low-low', limit: 20, priority: 'critical' as const },
    { tag: 'T', kind: 'high-high', limit: 95, priority: 'critical' as const },
    { tag: 'T', kind: 'rate', limit: 5, priority: 'low' as const },
    { tag: 'T', kind: 'deviation', limit: 3, priority: 'medium' as const, reference: 'T_REF' },
    { tag: 'U', kind: 'high', limit: 1, priority: 'low' as const },
    { tag: 'T', kind: 'comm-lost', limit: null, priority: 'high' as const },
  ];

  it('draws the absolute limits of the pen only, highest first, marked HH/H/L/LL', () => {
    expect(limitLines('T', defs).map((l) => `${l.mark} ${l.value}`)).toEqual(['HH 95', 'H 85', 'LL 20']);
    expect(limitLines('none', defs)).toEqual([]);
  });

  it('takes the setpoint from the deviation alarm first, then a _SP tag by name', () => {
    const known = (t: string) => ['T_REF', 'T_SP', 'P_SP'].includes(t);
    expect(setpointTag('T', defs, known)).toBe('T_REF');
    expect(setpointTag('P', defs, known)).toBe('P_SP');
    expect(setpointTag('Q', defs, known)).toBeNull();
    // A reference the station does not know (or the pen itself) is not a setpoint.
    expect(setpointTag('T', defs, (t) => t === 'T_SP')).toBe('T_SP');
    expect(setpointTag('T', [{ tag: 'T', kind: 'deviation', reference: 'T' }], () => true)).toBe('T_SP');
  });

  it('widens the axis to keep the limits in view', () => {
    expect(rangeWithLimits(40, 60, [85, 20])).toEqual([16.75, 88.25]);
    expect(rangeWithLimits(null, null, [])).toBeNull();
    expect(rangeWithLimits(5, 5, [])).toEqual([4, 6]);
  });
});

describe('overlays', () => {
  it('shifts the window back by a day or a week and labels it with a true minus sign', () => {
    expect(overlayShiftMs('1d')).toBe(86_400_000);
    expect(shiftedRange(1000 + 7 * 86_400_000, 2000 + 7 * 86_400_000, overlayShiftMs('7d'))).toEqual({
      from: 1000,
      to: 2000,
    });
    expect(overlayLabel('1d')).toBe('\u22121 d');
    expect(overlayLabel('7d')).toBe('\u22127 d');
  });

  it('asks for pens first, then setpoints, band edges and overlays, so pen i is channel i', () => {
    const channels = channelsFor(
      [{ tag: 'A' }, { tag: 'B', band: { lower: 'B_LO', upper: 'B_HI' } }],
      ['A_SP', null],
      ['1d'],
    );
    expect(channels.map((c) => `${c.role}:${c.tag}@${c.shiftMs}`)).toEqual([
      'pen:A@0',
      'pen:B@0',
      'setpoint:A_SP@0',
      'band-lower:B_LO@0',
      'band-upper:B_HI@0',
      'overlay:A@86400000',
      'overlay:B@86400000',
    ]);
  });
});

describe('trend links', () => {
  it('makes and reads #/trends?tags=… with each name encoded', () => {
    const hash = trendHash(['SS01.HX.T_SEC_SUP', 'A,B', 'SS01.HC.T_SP']);
    expect(hash).toBe('#/trends?tags=SS01.HX.T_SEC_SUP,A%2CB,SS01.HC.T_SP');
    expect(trendTagsFromHash(hash)).toEqual(['SS01.HX.T_SEC_SUP', 'A,B', 'SS01.HC.T_SP']);
    expect(trendHash([])).toBe('#/trends');
  });

  it('ignores repeats and empty names, and is null for other routes', () => {
    expect(trendTagsFromHash('#/trends?tags=A,,A,B')).toEqual(['A', 'B']);
    expect(trendTagsFromHash('#/trends')).toBeNull();
    expect(trendTagsFromHash('#/tags')).toBeNull();
    expect(trendTagsFromHash('#/trends?x=1&tags=Q')).toEqual(['Q']);
  });
});

describe('saved trend sets', () => {
  const set: TrendSet = { name: 'Supply loop', tags: ['A', 'B'], range: presetRange('8h'), overlays: ['1d'] };

  it('round-trips through the stored form; a live range is kept as its preset', () => {
    const stored = storedTrendSets([set]);
    expect(stored).toEqual([
      { name: 'Supply loop', tags: ['A', 'B'], range: { kind: 'live', preset: '8h' }, overlays: ['1d'] },
    ]);
    expect(parseTrendSets(JSON.parse(JSON.stringify(stored)))).toEqual([set]);
  });

  it('drops malformed sets and fields instead of trusting them', () => {
    const parsed = parseTrendSets([
      null,
      { name: '', tags: ['A'], range: { kind: 'live', preset: '8h' } },
      { name: 'x', tags: [], range: { kind: 'live', preset: '8h' } },
      { name: 'bad range', tags: ['A'], range: { kind: 'fixed', from: 5, to: 1 } },
      { name: 'unknown preset', tags: ['A'], range: { kind: 'live', preset: '2w' } },
      {
        name: 'ok',
        tags: ['A', 'A', 7, 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'],
        range: { kind: 'fixed', from: 1, to: 2 },
        overlays: ['1d', '3d', '1d'],
      },
    ]);
    expect(parsed).toEqual([
      {
        name: 'ok',
        tags: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
        range: { kind: 'fixed', from: 1, to: 2 },
        overlays: ['1d'],
      },
    ]);
    expect(parseTrendSets('nope')).toEqual([]);
  });

  it('saves under a name (replacing one of the same name), refuses past the limit, and removes', () => {
    const other = { ...set, name: 'Other' };
    expect(saveTrendSet([set], { ...set, tags: ['C'] })).toEqual([{ ...set, tags: ['C'] }]);
    expect(saveTrendSet([set], other)).toEqual([other, set]);
    const full = Array.from({ length: MAX_TREND_SETS }, (_, i) => ({ ...set, name: `S${i}` }));
    expect(saveTrendSet(full, other)).toBeNull();
    expect(saveTrendSet(full, { ...set, name: 'S3' })).toHaveLength(MAX_TREND_SETS);
    expect(removeTrendSet([set, other], 'Supply loop')).toEqual([other]);
  });

  it('trims names and refuses empty or too long ones', () => {
    expect(setName('  Night   shift ')).toBe('Night shift');
    expect(setName('   ')).toBeNull();
    expect(setName('x'.repeat(61))).toBeNull();
  });
});
