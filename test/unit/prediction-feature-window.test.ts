/**
 * The quality gate refuses a window whose input did not move beyond noise (a frozen
 * sensor or a stuck value), names the tag and says why; an input that moved a little
 * more than the allowance passes, and a model that sets no allowance never refuses.
 */
import { describe, expect, it } from 'vitest';
import {
  buildWindow,
  stepTimes,
  windowFromChannels,
  type InputSeries,
} from '../../main/runtime/predictions/feature-window.js';
import { modelManifestSchema } from '../../main/runtime/predictions/model-manifest.js';

const T = 'SS01.HX.T_SEC_SUP';
const P = 'SS01.HM.POWER';
// std 10: frozenBelow 0.05 (normalized) is a movement of 0.5 °C over the whole window.
const input = modelManifestSchema.shape.input.parse({
  tensor: 'x',
  periodS: 60,
  window: 6,
  tags: [
    { tag: T, mean: 60, std: 10, trainingRange: [20, 100] },
    { tag: P, mean: 1000, std: 250, trainingRange: [0, 2000] },
  ],
  frozenBelow: 0.05,
});
const end = Date.UTC(2026, 10, 30, 12, 0);
const steps = stepTimes(input, end);
const moving = Float64Array.from([900, 950, 1010, 980, 1040, 1000]);

describe('feature window: frozen input', () => {
  it('refuses a window whose input only wandered within noise, naming the tag and the window', () => {
    const noise = Float64Array.from([57.1, 56.9, 57.2, 57.0, 56.8, 57.1]); // 0.4 °C = 0.04 normalized
    const r = windowFromChannels(input, [noise, moving], steps);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(`input ${T} is frozen (no movement over the 6 min window)`);
  });

  it('refuses a constant input, and passes one that moved beyond the allowance', () => {
    const constant = Float64Array.from([57, 57, 57, 57, 57, 57]);
    const still = windowFromChannels(input, [constant, moving], steps);
    expect(!still.ok && still.reason).toContain(`input ${T} is frozen`);
    const moved = Float64Array.from([57.0, 57.2, 57.4, 57.3, 57.5, 57.6]); // 0.6 °C = 0.06 normalized
    const r = windowFromChannels(input, [moved, moving], steps);
    expect(r.ok).toBe(true);
    expect(r.ok && r.tensor[0]).toBeCloseTo((57 - 60) / 10, 6);
  });

  it('names the frozen tag when it is not the first input', () => {
    const t = Float64Array.from([55, 56, 57, 58, 59, 60]);
    const p = Float64Array.from([1000, 1001, 1000, 1002, 1001, 1000]); // 2 kW = 0.008 normalized
    const r = windowFromChannels(input, [t, p], steps);
    expect(!r.ok && r.reason).toBe(`input ${P} is frozen (no movement over the 6 min window)`);
  });

  it('never refuses a still input when the model sets no allowance', () => {
    const open = { ...input, frozenBelow: 0 };
    const constant = Float64Array.from([57, 57, 57, 57, 57, 57]);
    expect(windowFromChannels(open, [constant, moving], steps).ok).toBe(true);
  });

  it('refuses a frozen sensor read from history (one stored value carried over the window)', () => {
    const series = (tag: string, t: number[], v: number[]): InputSeries => ({
      tag,
      t,
      v,
      q: v.map(() => 0),
      gaps: [],
      live: { value: v.at(-1)!, bad: null },
    });
    const r = buildWindow({ input }, [series(T, [steps[0]! - 30_000], [57]), series(P, steps, [...moving])], end);
    expect(!r.ok && r.reason).toBe(`input ${T} is frozen (no movement over the 6 min window)`);
  });
});
