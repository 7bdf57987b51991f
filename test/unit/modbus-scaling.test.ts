import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleToEngineering, scaleToRaw } from '../../protocols/scaling.js';

describe('linear scaling raw → engineering', () => {
  const pct = { raw: [0, 27648] as [number, number], eng: [0, 100] as [number, number] };
  const cases: [string, { raw: [number, number]; eng: [number, number]; clamp?: boolean }, number, number][] = [
    ['S7 analogue 0..27648 → 0..100 %', pct, 13824, 50],
    ['tenths of a degree', { raw: [0, 1000], eng: [0, 100] }, 215, 21.5],
    ['offset range 4..20 mA → -50..150 °C', { raw: [4, 20], eng: [-50, 150] }, 12, 50],
    ['descending raw range', { raw: [100, 0], eng: [0, 10] }, 25, 7.5],
    ['no clamp: out of range extrapolates', { raw: [0, 100], eng: [0, 10] }, 150, 15],
  ];
  for (const [name, scale, raw, eng] of cases) {
    it(name, () => {
      const r = scaleToEngineering(raw, scale);
      expect(r.value).toBeCloseTo(eng, 9);
      expect(r.quality).toEqual({ code: 'Good' });
    });
  }

  it('clamps to the engineering range and says why (Uncertain)', () => {
    const scale = { raw: [0, 1000] as [number, number], eng: [0, 100] as [number, number], clamp: true };
    expect(scaleToEngineering(1200, scale)).toEqual({ value: 100, quality: { code: 'Uncertain', reason: 'clamped: raw 1200 outside [0,1000]' } });
    expect(scaleToEngineering(-5, scale)).toEqual({ value: 0, quality: { code: 'Uncertain', reason: 'clamped: raw -5 outside [0,1000]' } });
    expect(scaleToEngineering(1000, scale).quality.code).toBe('Good');
  });

  it('clamps a descending range to the right end', () => {
    const scale = { raw: [1000, 0] as [number, number], eng: [0, 100] as [number, number], clamp: true };
    expect(scaleToEngineering(1100, scale).value).toBe(0);
    expect(scaleToEngineering(-1, scale).value).toBe(100);
  });
});

describe('linear scaling engineering → raw (writes)', () => {
  it('inverts the scaling', () => {
    expect(scaleToRaw(21.5, { raw: [0, 1000], eng: [0, 100] })).toEqual({ ok: true, raw: 215 });
  });
  it('refuses a value outside the engineering range when clamping, rather than clamping it', () => {
    const r = scaleToRaw(120, { raw: [0, 1000], eng: [0, 100], clamp: true });
    expect(r).toEqual({ ok: false, reason: 'value 120 outside the engineering range [0,100]' });
  });
  it('refuses non-finite values and an empty engineering range', () => {
    expect(scaleToRaw(Number.NaN, { raw: [0, 1], eng: [0, 1] }).ok).toBe(false);
    expect(scaleToRaw(1, { raw: [0, 1], eng: [5, 5] }).ok).toBe(false);
  });
  it('round-trips (property)', () => {
    const range = fc.tuple(fc.integer({ min: -10000, max: 10000 }), fc.integer({ min: -10000, max: 10000 })).filter(([a, b]) => a !== b);
    fc.assert(
      fc.property(range, range, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (raw, eng, x) => {
        const scale = { raw, eng };
        const back = scaleToRaw(scaleToEngineering(x, scale).value, scale);
        return back.ok && Math.abs(back.raw - x) <= 1e-6 * Math.max(1, Math.abs(x));
      }),
    );
  });
});
