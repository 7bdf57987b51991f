/**
 * The backfill's windows as views into one normalized grid must be the very tensors the
 * exact gate builds (windowFromChannels), and every window the gate would fill or refuse
 * must be left to it.
 */
import { describe, expect, it } from 'vitest';
import { BackfillGrid, slidingExtreme } from '../../main/runtime/predictions/backfill-grid.js';
import { windowFromChannels } from '../../main/runtime/predictions/feature-window.js';
import { modelManifestSchema } from '../../main/runtime/predictions/model-manifest.js';

const input = modelManifestSchema.shape.input.parse({
  tensor: 'x',
  periodS: 60,
  window: 6,
  tags: [
    { tag: 'SS01.HX.T_SEC_SUP', mean: 60, std: 10, trainingRange: [20, 100] },
    { tag: 'SS01.HM.POWER', mean: 1000, std: 250, trainingRange: [0, 2000] },
  ],
  timeFeatures: true,
  maxMissingShare: 0.5,
  frozenBelow: 0.001,
});

describe('backfill windows from one grid', () => {
  it('slides minima and maxima over a window, ignoring NaN', () => {
    const v = Float64Array.from([3, 1, Number.NaN, 4, 1, 5, 9, 2]);
    expect([...slidingExtreme(v, 3, false)]).toEqual([NaN, NaN, 1, 1, 1, 1, 1, 2]);
    expect([...slidingExtreme(v, 3, true)]).toEqual([NaN, NaN, 3, 4, 4, 5, 9, 9]);
  });

  it('gives the exact tensor where the gate passes untouched, and leaves the rest to the gate', () => {
    const start = Date.UTC(2026, 10, 29, 22, 0);
    const grid = Array.from({ length: 40 }, (_, i) => start + i * 60_000);
    const t = Float64Array.from(grid, (_, i) => 55 + 5 * Math.sin(i / 3));
    const p = Float64Array.from(grid, (_, i) => 900 + 40 * Math.cos(i / 4));
    t[20] = Number.NaN; // missing: filled by the gate
    p[30] = 2500; // outside the training range: refused by the gate
    for (let i = 10; i < 18; i++) t[i] = 57; // frozen for a while
    const fast = new BackfillGrid(input, [t, p], grid);
    let viaGrid = 0;
    for (let end = input.window - 1; end < grid.length; end++) {
      const s = end - input.window + 1;
      const exact = windowFromChannels(input, [t.subarray(s, end + 1), p.subarray(s, end + 1)], grid.slice(s, end + 1));
      const view = fast.window(end);
      const untouched = exact.ok && exact.filled === 0;
      if (view) {
        viaGrid++;
        expect(untouched).toBe(true);
        expect(exact.ok && [...view]).toEqual(exact.ok && [...exact.tensor]);
      } else {
        expect(untouched).toBe(false);
      }
    }
    expect(viaGrid).toBeGreaterThan(10);
  });
});
