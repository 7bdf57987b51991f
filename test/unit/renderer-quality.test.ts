import { describe, expect, it } from 'vitest';
import { STALE_MIN_MS, type TagInfo, type TagValueDto } from '../../preload/contract.js';
import { displayQuality, qualityPresentation, qualityTooltip, reasonText } from '../../renderer/format/quality.js';
import { valueView } from '../../renderer/format/value-view.js';

const now = 1_800_000_000_000;
const fresh = (q: TagValueDto['q'], r?: string): TagValueDto => ({
  tag: 'SS01.HX.T_SEC_SUP',
  v: 63.24,
  q,
  r,
  ts: now - 200,
  rt: now - 100,
});
const info: TagInfo = {
  name: 'SS01.HX.T_SEC_SUP',
  device: 'SS01-PLC',
  description: { en: 'Secondary supply temperature', zh: '二次供水温度' },
  unit: '°C',
  kind: 'analog',
  decimals: 1,
  writable: false,
  critical: false,
  intervalMs: 250,
};

describe('displayQuality', () => {
  it.each([
    ['Good', true, 'Good'],
    ['Uncertain', true, 'Uncertain'],
    ['Bad', true, 'Bad'],
    ['Good', false, 'Stale'],
    ['Bad', false, 'Stale'],
  ] as const)('a fresh %s value, connected=%s, shows %s', (q, connected, shown) => {
    expect(displayQuality({ value: fresh(q), nowMs: now, intervalMs: 250, connected })).toBe(shown);
  });

  it('turns a Good value Stale once it is older than the stale limit', () => {
    const value = { ...fresh('Good'), rt: now - STALE_MIN_MS - 1 };
    expect(displayQuality({ value, nowMs: now, intervalMs: 250, connected: true })).toBe('Stale');
    const justInside = { ...fresh('Good'), rt: now - STALE_MIN_MS };
    expect(displayQuality({ value: justInside, nowMs: now, intervalMs: 250, connected: true })).toBe('Good');
  });

  it('scales the stale limit with slow tags', () => {
    const value = { ...fresh('Good'), rt: now - 8000 };
    expect(displayQuality({ value, nowMs: now, intervalMs: 2000, connected: true })).toBe('Good');
    expect(displayQuality({ value, nowMs: now, intervalMs: 1000, connected: true })).toBe('Stale');
  });

  it('shows a tag without any value as Stale, never Good', () => {
    expect(displayQuality({ value: undefined, nowMs: now, intervalMs: 250, connected: true })).toBe('Stale');
  });
});

describe('quality presentation', () => {
  it('gives every non-Good quality a text marker', () => {
    expect(qualityPresentation('Good').marker).toBe('');
    expect(qualityPresentation('Uncertain').marker).toBe('?');
    expect(qualityPresentation('Bad')).toMatchObject({ marker: 'BAD', struck: true });
    expect(qualityPresentation('Stale').marker).toBe('STALE');
  });

  it('explains Bad values with their reason', () => {
    const text = qualityTooltip(
      { value: fresh('Bad', 'communication lost'), nowMs: now, intervalMs: 250, connected: true },
      'T',
    );
    expect(text).toContain('BAD: Communication (communication lost)');
  });

  it("leads a station's reason with its kind in the operator's language and keeps the words as sent", () => {
    expect(reasonText('connection closed by peer', 'zh')).toBe('通讯故障（connection closed by peer）');
    expect(reasonText('connection closed by peer', 'en')).toBe('Communication (connection closed by peer)');
    expect(reasonText('SS01-PLC unit 1 input 100: exception 2 (illegal data address)', 'zh')).toMatch(/^设备报错（/);
    expect(reasonText('non-finite value NaN', 'zh')).toBe('数值无效（non-finite value NaN）');
    expect(reasonText('maintenance', 'zh')).toBe('站点报告（maintenance）');
    // A Stale value's last quality is named in the language, not as the station's code.
    const stale = { ...fresh('Uncertain', 'sensor drift suspected'), rt: now - 60_000, ts: now - 60_000 };
    const zh = qualityTooltip({ value: stale, nowMs: now, intervalMs: 250, connected: true }, 'T', 'zh');
    expect(zh).toContain('最后质量：不确定，站点报告（sensor drift suspected）');
    expect(zh).not.toMatch(/Uncertain/);
  });

  it('explains Stale values by their age or the lost connection', () => {
    const old = { ...fresh('Good'), rt: now - 60_000 };
    expect(qualityTooltip({ value: old, nowMs: now, intervalMs: 250, connected: true }, 'T')).toContain(
      'no update for 60 s',
    );
    expect(qualityTooltip({ value: fresh('Good'), nowMs: now, intervalMs: 250, connected: false }, 'T')).toContain(
      'connection to station lost',
    );
  });
});

describe('valueView', () => {
  it('shows value and unit with the display quality', () => {
    const view = valueView(info.name, fresh('Good'), info, now, true);
    expect(view).toMatchObject({ text: '63.2 °C', quality: 'Good' });
  });

  it('keeps the last value visible when Bad (struck through by the presentation)', () => {
    const view = valueView(info.name, fresh('Bad', 'timeout'), info, now, true);
    expect(view.text).toBe('63.2 °C');
    expect(view.presentation.struck).toBe(true);
  });

  it('uses a 1 s expected interval for tags it has no definition of', () => {
    const value = { ...fresh('Good'), rt: now - 4000 };
    expect(valueView('X', value, undefined, now, true).quality).toBe('Good');
    expect(valueView('X', { ...value, rt: now - 5001 }, undefined, now, true).quality).toBe('Stale');
  });
});
