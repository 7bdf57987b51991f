import { describe, expect, it } from 'vitest';
import {
  NO_VALUE_TEXT,
  digitalLabel,
  formatAge,
  formatNumber,
  formatValue,
  type FormatInfo,
} from '../../renderer/format/format-value.js';

const temp: FormatInfo = { kind: 'analog', unit: '°C', decimals: 1 };
const run: FormatInfo = { kind: 'digital', unit: '', decimals: 0, states: { false: 'Stopped', true: 'Running' } };

describe('formatNumber', () => {
  it.each([
    [63.24, 1, '63.2'],
    [63.25, 0, '63'],
    [1180.4, 0, '1180'],
    [0.5, 2, '0.50'],
    [-3.361, 2, '-3.36'],
    [-0.04, 1, '0.0'],
    [-0.0, 2, '0.00'],
    [12, 99, '12.0000000000'],
    [12.345, -1, '12'],
    [Number.NaN, 1, NO_VALUE_TEXT],
    [Number.POSITIVE_INFINITY, 1, NO_VALUE_TEXT],
  ])('%s with %s decimals → %s', (v, d, text) => {
    expect(formatNumber(v, d)).toBe(text);
  });
});

describe('formatValue', () => {
  it('prints analog values with decimals and unit', () => {
    expect(formatValue(63.24, temp)).toEqual({ value: '63.2', unit: '°C', text: '63.2 °C' });
  });

  it('prints unitless values without a trailing space', () => {
    expect(formatValue(401, { kind: 'analog', unit: '', decimals: 0 }).text).toBe('401');
  });

  it('labels digital values with the project state names, from booleans or 0/1', () => {
    expect(formatValue(true, run).text).toBe('Running');
    expect(formatValue(false, run).text).toBe('Stopped');
    expect(formatValue(1, run).text).toBe('Running');
    expect(formatValue(0, run).text).toBe('Stopped');
  });

  it('falls back to ON/OFF for digital tags without state names', () => {
    expect(formatValue(true, { kind: 'digital', unit: '', decimals: 0 }).text).toBe('ON');
    expect(digitalLabel(false, undefined)).toBe('OFF');
    expect(digitalLabel(true, undefined, 'zh')).toBe('开');
    expect(formatValue(false, { kind: 'digital', unit: '', decimals: 0 }, 'zh-CN').text).toBe('关');
  });

  it("shows state names given in both languages in the operator's, and one-language names as written", () => {
    const alarmBit: FormatInfo = {
      kind: 'digital',
      unit: '',
      decimals: 0,
      states: { false: { en: 'Normal', zh: '正常' }, true: { en: 'Alarm', zh: '报警' } },
    };
    expect(formatValue(false, alarmBit, 'zh-CN').text).toBe('正常');
    expect(formatValue(1, alarmBit, 'zh-CN').text).toBe('报警');
    expect(formatValue(false, alarmBit, 'en-GB').text).toBe('Normal');
    expect(digitalLabel(true, alarmBit.states, 'zh')).toBe('报警');
    expect(formatValue(true, run, 'zh-CN').text).toBe('Running');
    expect(digitalLabel(true, { false: '—', true: { en: 'Reset' } }, 'zh')).toBe('Reset');
  });

  it('never shows a missing or unreadable value as a number', () => {
    expect(formatValue(null, temp).text).toBe(`${NO_VALUE_TEXT} °C`);
    expect(formatValue(undefined, temp).value).toBe(NO_VALUE_TEXT);
    expect(formatValue('garbage', run).text).toBe(NO_VALUE_TEXT);
  });

  it('prints text tags as they are', () => {
    expect(formatValue('AUTO', { kind: 'text', unit: '', decimals: 0 }).text).toBe('AUTO');
  });

  it('formats values of unknown tags with two decimals and no unit', () => {
    expect(formatValue(3.14159, undefined).text).toBe('3.14');
  });
});

describe('formatAge', () => {
  it.each([
    [400, '0.4 s'],
    [12_300, '12 s'],
    [-50, '0.0 s'],
    [3 * 60_000, '3 min'],
    [2 * 3_600_000 + 5, '2 h'],
    [5 * 86_400_000, '5 d'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
