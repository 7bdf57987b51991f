import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { round15, scaleDecimals, scaleToEngineering, scaleToRaw } from '../../protocols/scaling.js';

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
    expect(scaleToEngineering(1200, scale)).toEqual({
      value: 100,
      quality: { code: 'Uncertain', reason: 'clamped: raw 1200 outside [0,1000]' },
    });
    expect(scaleToEngineering(-5, scale)).toEqual({
      value: 0,
      quality: { code: 'Uncertain', reason: 'clamped: raw -5 outside [0,1000]' },
    });
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
    const range = fc
      .tuple(fc.integer({ min: -10000, max: 10000 }), fc.integer({ min: -10000, max: 10000 }))
      .filter(([a, b]) => a !== b);
    fc.assert(
      fc.property(range, range, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (raw, eng, x) => {
        const scale = { raw, eng };
        const back = scaleToRaw(scaleToEngineering(x, scale).value, scale);
        return back.ok && Math.abs(back.raw - x) <= 1e-6 * Math.max(1, Math.abs(x));
      }),
    );
  });
});

describe('factor/offset scaling and the precision of a scale', () => {
  it('scales by factor and offset, and back', () => {
    expect(scaleToEngineering(215, { factor: 0.1 })).toEqual({ value: 21.5, quality: { code: 'Good' } });
    expect(scaleToEngineering(1000, { factor: 0.1, offset: -40 }).value).toBe(60);
    expect(scaleToRaw(60, { factor: 0.1, offset: -40 })).toEqual({ ok: true, raw: 1000 });
    expect(scaleToRaw(1, { factor: 0 })).toEqual({ ok: false, reason: 'factor is 0: the scaling cannot be inverted' });
  });

  it('delivers an integer register at the precision of its scale, not with binary noise', () => {
    // 3 × 0.1 is 0.30000000000000004 in floating point.
    expect(3 * 0.1).not.toBe(0.3);
    expect(scaleToEngineering(3, { factor: 0.1 }).value).toBe(0.3);
    expect(scaleToEngineering(-373, { factor: 0.01 }).value).toBe(-3.73);
    expect(scaleToEngineering(-373, { raw: [0, 100], eng: [0, 1] }).value).toBe(-3.73);
    expect(scaleToEngineering(7, { factor: 0.1, offset: 0.05 }).value).toBe(0.75);
    for (let raw = -32768; raw <= 32767; raw += 7) {
      const v = scaleToEngineering(raw, { factor: 0.01 }).value;
      expect(v).toBe(Number((raw / 100).toFixed(2)));
    }
  });

  it('names the decimals of a scale, or none when its step is not a short decimal', () => {
    expect(scaleDecimals({ factor: 0.01 })).toBe(2);
    expect(scaleDecimals({ factor: 0.5, offset: -40 })).toBe(1);
    expect(scaleDecimals({ raw: [0, 1000], eng: [0, 100] })).toBe(1);
    expect(scaleDecimals({ raw: [0, 27648], eng: [0, 100] })).toBeNull();
    // Such a scale is only cleaned of binary noise (15 significant digits).
    expect(scaleToEngineering(13824, { raw: [0, 27648], eng: [0, 100] }).value).toBe(50);
    expect(scaleToEngineering(1, { raw: [0, 3], eng: [0, 1] }).value).toBe(0.333333333333333);
  });

  it('keeps a float raw value to its own precision', () => {
    expect(scaleToEngineering(12.345, { factor: 0.01 }).value).toBe(0.12345);
  });
});

describe('rounding to 15 significant digits', () => {
  const viaString = (x: number) => Number(x.toPrecision(15));
  it('is what toPrecision(15) gives, for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(round15(x), viaString(x))).toBe(true);
      }),
      { numRuns: 50_000 },
    );
  });
  it('is what toPrecision(15) gives for scaled integers, ties and powers of ten included', () => {
    const gains = [100 / 27648, 1 / 3, 0.1, 0.01, 7 / 9, 1e-5 / 3, 123.456 / 4095, 2 ** -20];
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
        fc.constantFrom(...gains),
        fc.constantFrom(0, -50, 0.3, 1e-9, 273.15),
        (raw, gain, offset) => {
          const x = raw * gain + offset;
          expect(Object.is(round15(x), viaString(x))).toBe(true);
        },
      ),
      { numRuns: 50_000 },
    );
    for (let k = -8; k <= 15; k++) {
      for (const x of [10 ** k, 10 ** k * (1 - 2 ** -52), 10 ** k * (1 + 2 ** -52), 1.5 * 10 ** k, 0.5 + 10 ** k]) {
        expect(Object.is(round15(x), viaString(x))).toBe(true);
        expect(Object.is(round15(-x), viaString(-x))).toBe(true);
      }
    }
    for (let n = 1; n < 20_000; n++) {
      const tie = (n + 0.5) / 1e15; // 15-digit ties at many scales
      expect(Object.is(round15(tie), viaString(tie))).toBe(true);
      expect(Object.is(round15(tie * 1e9), viaString(tie * 1e9))).toBe(true);
    }
  });
});
