import { describe, expect, it } from 'vitest';
import {
  defineMessages,
  fill,
  formatClock,
  formatDateTime,
  isLang,
  langTag,
  pickText,
  translator,
} from '../../renderer/i18n/i18n.js';

const text = defineMessages({ hello: 'Hello {name}', plain: 'Trends' }, { hello: '你好 {name}', plain: '趋势' });

describe('i18n layer', () => {
  it('translates in the chosen language and fills placeholders', () => {
    expect(translator(text, 'en')('hello', { name: 'Li' })).toBe('Hello Li');
    expect(translator(text, 'zh')('hello', { name: 'Li' })).toBe('你好 Li');
    expect(translator(text, 'zh')('plain')).toBe('趋势');
  });
  it('keeps an unknown placeholder visible', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('picks project texts in either language with a fallback', () => {
    expect(pickText({ en: 'Pump', zh: '泵' }, 'zh')).toBe('泵');
    expect(pickText({ en: 'Pump' }, 'zh')).toBe('Pump');
    expect(pickText({ zh: '泵' }, 'en')).toBe('泵');
    expect(pickText('Pump', 'zh')).toBe('Pump');
    expect(pickText(undefined, 'en')).toBe('');
  });
  it('formats times on a 24-hour clock', () => {
    const t = new Date(2026, 10, 30, 15, 4, 5).getTime();
    expect(formatClock(t)).toBe('15:04:05');
    expect(formatClock(t, false)).toBe('15:04');
    expect(formatDateTime(t)).toBe('2026-11-30 15:04:05');
  });
  it('knows its languages', () => {
    expect(isLang('zh')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(langTag('zh')).toBe('zh-CN');
  });
});
