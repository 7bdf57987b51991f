import { describe, expect, it } from 'vitest';
import {
  MIN_SPAN_MS,
  RANGE_PRESETS,
  customRange,
  describeRange,
  formatInput,
  formatSpan,
  liveRefreshMs,
  panRange,
  parseStamp,
  presetRange,
  resolveRange,
  scaleRange,
  toLocalInput,
  zoomRange,
} from '../../renderer/trends/trend-range.js';

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
    expect(customRange('2025-01-10T08:00', '2025-01-10T12:00', parse)).toEqual({
      kind: 'fixed',
      from: now - 4 * 3_600_000,
      to: now,
    });
  });
  it.each([
    ['', '2025-01-10T12:00', 'badFrom'],
    ['2025-01-10T08:00', '', 'badTo'],
    ['2025-01-10T12:00', '2025-01-10T08:00', 'endBeforeStart'],
    ['2025-01-10T12:00', '2025-01-10T12:00', 'endBeforeStart'],
  ])('refuses %j – %j and says why (%s)', (a, b, problem) => {
    expect(customRange(a, b, parse)).toBe(problem);
  });
  it('refuses a range shorter than the minimum span', () => {
    expect(customRange('2025-01-10 08:00:00', '2025-01-10 08:00:05')).toBe('tooShort');
  });
  it('reads the 24-hour text inputs by default', () => {
    expect(customRange('2025-01-10 08:00', '2025-01-10 20:30')).toEqual({
      kind: 'fixed',
      from: new Date(2025, 0, 10, 8, 0).getTime(),
      to: new Date(2025, 0, 10, 20, 30).getTime(),
    });
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

describe('24-hour range text', () => {
  it('formats and reads YYYY-MM-DD HH:MM on a 24-hour clock, whatever the locale', () => {
    const ms = new Date(2025, 0, 10, 21, 5).getTime();
    expect(formatInput(ms)).toBe('2025-01-10 21:05');
    expect(parseStamp('2025-01-10 21:05')).toBe(ms);
    expect(parseStamp('2025-01-10T21:05:30')).toBe(ms + 30_000);
    expect(parseStamp(' 2025-1-9 7:05 ')).toBe(new Date(2025, 0, 9, 7, 5).getTime());
  });
  it.each([
    '',
    '2025-01-10',
    '2025-01-10 9:05 PM',
    '2025-01-10 24:00',
    '2025-02-30 10:00',
    '2025-13-01 10:00',
    '10/01/2025 10:00',
    '2025-01-10 10:60',
  ])('refuses %j', (text) => {
    expect(parseStamp(text)).toBeNull();
  });
});

describe('keyboard zoom and pan', () => {
  it('halves and doubles the span around its centre', () => {
    expect(scaleRange(now - 3_600_000, now, 0.5)).toEqual({ kind: 'fixed', from: now - 2_700_000, to: now - 900_000 });
    expect(scaleRange(now - 3_600_000, now, 2)).toEqual({ kind: 'fixed', from: now - 5_400_000, to: now + 1_800_000 });
  });
  it('never zooms below the minimum span', () => {
    const r = scaleRange(now - MIN_SPAN_MS, now, 0.1);
    expect(r.kind === 'fixed' && r.to - r.from).toBe(MIN_SPAN_MS);
  });
  it('pans by a share of the span, back and forth', () => {
    expect(panRange(now - 3_600_000, now, -0.25)).toEqual({ kind: 'fixed', from: now - 4_500_000, to: now - 900_000 });
    expect(panRange(now - 3_600_000, now, 0.25)).toEqual({ kind: 'fixed', from: now - 2_700_000, to: now + 900_000 });
  });
});
