import { describe, expect, it } from 'vitest';
import type { HistoryTrendDto } from '../../preload/contract.js';
import { buildFrame } from '../../renderer/trends/trend-data.js';
import {
  MAX_PENS,
  PEN_COLOURS,
  addPen,
  axisLabel,
  penRefusal,
  pensFor,
  pensFromList,
  readout,
  unitAxes,
  type PenInfo,
} from '../../renderer/trends/trend-pens.js';

const infos: Record<string, PenInfo> = {
  TT101: { name: 'TT101', unit: '°C', decimals: 1, kind: 'analog', description: { en: 'Supply temperature' } },
  TT102: { name: 'TT102', unit: '°C', decimals: 1, kind: 'analog' },
  PT201: { name: 'PT201', unit: 'bar', decimals: 2, kind: 'analog' },
  FT301: { name: 'FT301', unit: 'm³/h', decimals: 0, kind: 'analog' },
  X1: { name: 'X1', unit: '', decimals: 0, kind: 'analog' },
};

describe('unit axes', () => {
  it('gives one axis per unit, pens sharing a unit share it, sides alternate starting left', () => {
    const pens = pensFor(['TT101', 'PT201', 'TT102', 'FT301'], (t) => infos[t]);
    const axes = unitAxes(pens);
    expect(axes.map((a) => [a.unit, a.side, a.pens])).toEqual([
      ['°C', 3, [0, 2]],
      ['bar', 1, [1]],
      ['m³/h', 3, [3]],
    ]);
    expect(pens[2]!.scale).toBe(pens[0]!.scale);
    expect(axisLabel(axes[0]!, pens)).toBe('°C  (pen 1, 3)');
  });

  it('names a unitless axis as such', () => {
    const pens = pensFor(['X1'], (t) => infos[t]);
    expect(axisLabel(unitAxes(pens)[0]!, pens)).toBe('(no unit)  (pen 1)');
  });

  it('numbers pens, labels them with their description and gives each a different colour', () => {
    const pens = pensFor(['TT101', 'PT201', 'TT102', 'FT301', 'X1', 'unknown'], (t) => infos[t]);
    expect(pens.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pens[0]!.label).toBe('TT101 — Supply temperature');
    expect(new Set(pens.map((p) => p.colour)).size).toBe(6);
    expect(pens[5]!.unit).toBe('');
  });
});

describe('addPen', () => {
  it('adds once and stops at the limit', () => {
    expect(addPen(['A'], 'A')).toEqual(['A']);
    const full = Array.from({ length: MAX_PENS }, (_, i) => `T${i}`);
    expect(addPen(full, 'new')).toEqual(full);
    expect(addPen(['A'], 'B')).toEqual(['A', 'B']);
  });
  it('takes eight pens and says why a ninth (or a repeat) is refused', () => {
    expect(MAX_PENS).toBe(8);
    const seven = Array.from({ length: 7 }, (_, i) => `T${i}`);
    expect(penRefusal(seven, 'T7')).toBeNull();
    expect(penRefusal([...seven, 'T7'], 'T8')).toBe('full');
    expect(penRefusal(seven, 'T3')).toBe('duplicate');
  });

  it('gives eight pens eight different colours', () => {
    const pens = pensFor(
      Array.from({ length: 8 }, (_, i) => `T${i}`),
      () => undefined,
    );
    expect(new Set(pens.map((p) => p.colour)).size).toBe(8);
    expect(PEN_COLOURS).toHaveLength(8);
  });

  it('builds the pen list a link or a saved set asks for: known tags, no repeats, at most eight', () => {
    const wanted = ['A', 'X', 'A', ...Array.from({ length: 9 }, (_, i) => `T${i}`)];
    const known = (t: string) => t !== 'X';
    expect(pensFromList(wanted, known)).toEqual({
      tags: ['A', 'T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6'],
      unknown: ['X'],
      dropped: ['T7', 'T8'],
    });
  });
});

describe('readout', () => {
  const t0 = 1_000_000;
  const reply: HistoryTrendDto = {
    tag: 'TT101',
    tier: 'raw',
    from: t0,
    to: t0 + 4000,
    bucketMs: 1000,
    t: [t0, t0 + 1000],
    min: [60, 61.04],
    max: [60, 64.96],
    avg: [60, 62.5],
    first: [60, 61],
    last: [60, 64],
    count: [1, 4],
    q: [1, 0.75],
    gaps: [],
  };
  const frame = buildFrame([{ tag: 'TT101', reply }], { from: t0, to: t0 + 4000, buckets: 4, nowMs: t0 + 10_000 });
  const pen = pensFor(['TT101'], (t) => infos[t])[0]!;

  it('shows the value with its unit', () => {
    expect(readout(pen, frame.pens[0], 0)).toEqual({ value: '60.0 °C', span: null, quality: null });
  });
  it('shows the range in the bucket and the not-Good share in words', () => {
    expect(readout(pen, frame.pens[0], 1)).toEqual({
      value: '62.5 °C',
      span: '61.0 … 65.0 °C',
      quality: '25 % not Good',
    });
  });
  it('says when a value is repeated from the last stored sample', () => {
    expect(readout(pen, frame.pens[0], 2).quality).toContain('not Good');
    const good = buildFrame([{ tag: 'TT101', reply: { ...reply, q: [1, 1] } }], {
      from: t0,
      to: t0 + 4000,
      buckets: 4,
      nowMs: t0 + 10_000,
    });
    expect(readout(pen, good.pens[0], 2)).toEqual({ value: '64.0 °C', span: null, quality: 'unchanged' });
  });
  it('shows a dash where there is no value', () => {
    expect(readout(pen, undefined, 0).value).toBe('—');
    expect(readout(pen, frame.pens[0], null)).toEqual({ value: '—', span: null, quality: null });
  });
});
