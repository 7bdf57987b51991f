import { describe, expect, it } from 'vitest';
import { MIN_SPAN_MS, RANGE_PRESETS, customRange, describeRange, formatSpan, liveRefreshMs, presetRange, resolveRange, toLocalInput, zoomRange } from '../../renderer/trends/trend-range.js';

const now = Date.UTC(2025, 0, 10, 12, 0, 0);

describe('range presets', () => {
  it.each([
    ['15m', 15 * 60_000],
    ['1h', 3_600_000],
    ['8h', 8 * 3_600_000],
    ['24h', 86_400_000],
    ['7d', 7 * 86_400_000],
    ['30d', 30 * 86_400_000],
    ['1y', 365 * 86_400_000],
  ] as const)('%s ends at now and spans %d ms', (id, ms) => {
    const range = presetRange(id);
    expect(range.kind).toBe('live');
    expect(resolveRange(range, now)).toEqual({ from: now - ms, to: now });
  });

  it('lists every preset once', () => {
    expect(new Set(RANGE_PRESETS.map((p) => p.id)).size).toBe(RANGE_PRESETS.length);
  });
});

describe('live refresh', () => {
  it('refreshes about once a bucket, between 2 s and 60 s', () => {
    expect(liveRefreshMs(15 * 60_000, 1000)).toBe(2000);
    expect(liveRefreshMs(3_600_000, 1000)).toBe(3600);
    expect(liveRefreshMs(365 * 86_400_000, 1000)).toBe(60_000);
    expect(liveRefreshMs(60_000, 0)).toBe(60_000);
  });
});

describe('zoomRange', () => {
  it('turns a drag into a fixed range whichever way it went', () => {
    expect(zoomRange(now, now - 60_000)).toEqual({ kind: 'fixed', from: now - 60_000, to: now });
  });

  it('widens a tiny drag around its centre to the minimum span', () => {
    const r = zoomRange(now, now + 1000);
    expect(r.kind === 'fixed' && r.to - r.from).toBe(MIN_SPAN_MS);
    expect(r.kind === 'fixed' && (r.from + r.to) / 2).toBe(now + 500);
  });
});

describe('customRange', () => {
  const parse = (text: string) => (text ? Date.parse(`${text}:00Z`) : Number.NaN);
  it('accepts a start before the end', () => {
    expect(customRange('2025-01-10T08:00', '2025-01-10T12:00', parse)).toEqual({ kind: 'fixed', from: now - 4 * 3_600_000, to: now });
  });
  it.each([
    ['', '2025-01-10T12:00', 'start'],
    ['2025-01-10T08:00', '', 'end date'],
    ['2025-01-10T12:00', '2025-01-10T08:00', 'after the start'],
    ['2025-01-10T12:00', '2025-01-10T12:00', 'after the start'],
  ])('refuses %j – %j with a message', (a, b, words) => {
    const r = customRange(a, b, parse);
    expect(typeof r).toBe('string');
    expect(r).toContain(words);
  });
});

describe('texts', () => {
  it('formats local input values with the zone offset', () => {
    expect(toLocalInput(now, 60)).toBe('2025-01-10T13:00');
    expect(toLocalInput(now, 0)).toBe('2025-01-10T12:00');
  });
  it('describes ranges', () => {
    expect(describeRange(presetRange('8h'), String)).toBe('Last 8 h, live');
    expect(describeRange({ kind: 'fixed', from: 0, to: 90_000 }, (ms) => `t${ms}`)).toBe('t0 – t90000 (90 s)');
  });
  it.each([
    [30_000, '30 s'],
    [600_000, '10 min'],
    [5_400_000, '90 min'],
    [9_000_000, '2.5 h'],
    [3 * 86_400_000, '3 d'],
  ])('span %d → %s', (ms, text) => expect(formatSpan(ms)).toBe(text));
});
