/**
 * Turning tag values into the text an operator reads: fixed decimals, engineering unit,
 * digital state labels. Pure: no DOM, so it is unit-tested under Node.
 */
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { pickText, type Lang } from '../i18n/i18n.js';

/** What a value element shows when there is no number to show (never a blank that could pass for zero). */
export const NO_VALUE_TEXT = '####';

export type FormatInfo = Pick<TagInfo, 'kind' | 'unit' | 'states'> & { readonly decimals?: number | undefined };

/** Units of temperatures and temperature differences: 0.1 is what a sensor and an operator can tell apart. */
const TEMPERATURE_UNITS = new Set(['°C', 'K', '℃', '°F']);
/** Units of things counted (starts, events, pieces): whole numbers. */
const COUNT_UNITS = new Set(['', 'count', 'counts', 'pcs', '次', '个']);

/**
 * Decimals when the project gives none: temperatures 0.1 (°C, K), counters none (no unit,
 * or a count unit, with integer values), everything else 2.
 */
export function defaultDecimals(unit: string | undefined, kind?: FormatInfo['kind'], sample?: number): number {
  if (kind === 'digital') return 0;
  if (unit !== undefined && TEMPERATURE_UNITS.has(unit)) return 1;
  if (unit !== undefined && COUNT_UNITS.has(unit) && (sample === undefined || Number.isInteger(sample))) return 0;
  return 2;
}

/** The decimals a value is shown with: the project's, else the default for its unit. */
export function decimalsFor(info: FormatInfo | undefined, sample?: number): number {
  const d = info?.decimals;
  return d !== undefined && Number.isFinite(d) ? d : defaultDecimals(info?.unit, info?.kind, sample);
}

/** Decimal mark of a language (BCP 47 tag): both console languages use '.', but it is looked up, not assumed. */
const decimalMarks = new Map<string, string>();
export function decimalMark(locale: string | undefined): string {
  if (!locale) return '.';
  let mark = decimalMarks.get(locale);
  if (mark === undefined) {
    try {
      mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    } catch {
      mark = '.';
    }
    decimalMarks.set(locale, mark);
  }
  return mark;
}

export interface FormattedValue {
  /** The value alone, e.g. `63.2`, `Running`. */
  readonly value: string;
  /** The unit to print after it ('' for digital states and unitless values). */
  readonly unit: string;
  /** Value and unit as one string, e.g. `63.2 °C`. */
  readonly text: string;
}

const MAX_DECIMALS = 10;

/**
 * A number with fixed decimals and no digit grouping (live values line up digit under digit
 * with tabular figures; a group separator would shift them). `locale` picks the decimal mark.
 */
export function formatNumber(v: number, decimals: number, locale?: string): string {
  if (!Number.isFinite(v)) return NO_VALUE_TEXT;
  const places = Number.isFinite(decimals) ? Math.min(MAX_DECIMALS, Math.max(0, Math.round(decimals))) : 2;
  let text = v.toFixed(places);
  // toFixed keeps the sign of tiny negatives ("-0.0"): an operator reads that as a real negative.
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  const mark = decimalMark(locale);
  return mark === '.' ? text : text.replace('.', mark);
}

const onOff = { en: ['OFF', 'ON'], zh: ['关', '开'] } as const;

/** The label of a digital state in the language: the project's state names (one language or both), else ON/OFF. */
export function digitalLabel(on: boolean, states: FormatInfo['states'], lang: Lang = 'en'): string {
  const named = states ? pickText(on ? states.true : states.false, lang) : '';
  return named || onOff[lang][on ? 1 : 0];
}

/** A value read as a digital state; null when it is not one. */
export function asDigital(v: TagValueDto['v'] | undefined): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v !== 0;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

/** The language of a locale tag (`zh-CN` → zh); English otherwise. */
const langOf = (locale: string | undefined): Lang => (locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en');

function join(value: string, unit: string): FormattedValue {
  return { value, unit, text: unit ? `${value} ${unit}` : value };
}

/**
 * Formats a value for display. `info` may be missing (a value for a tag the UI has no
 * definition of): then numbers get two decimals and no unit.
 */
export function formatValue(
  v: TagValueDto['v'] | undefined,
  info: FormatInfo | undefined,
  locale?: string,
): FormattedValue {
  const unit = info?.unit ?? '';
  if (v === null || v === undefined) return join(NO_VALUE_TEXT, info?.kind === 'digital' ? '' : unit);
  switch (info?.kind) {
    case 'digital': {
      const on = asDigital(v);
      return join(on === null ? NO_VALUE_TEXT : digitalLabel(on, info.states, langOf(locale)), '');
    }
    case 'text':
      return join(String(v), unit);
    default: {
      if (typeof v === 'number') return join(formatNumber(v, info ? decimalsFor(info, v) : 2, locale), unit);
      if (typeof v === 'boolean') return join(digitalLabel(v, info?.states, langOf(locale)), '');
      return join(v, unit);
    }
  }
}

const ageUnits = {
  en: { s: 's', min: 'min', h: 'h', d: 'd' },
  zh: { s: '秒', min: '分钟', h: '小时', d: '天' },
} as const;

/** A short age, e.g. `0.4 s`, `12 s`, `3 min`, `2 h`, `5 d` (`12 秒` in Chinese); negative ages (clock skew) read as `0 s`. */
export function formatAge(ms: number, lang: 'en' | 'zh' = 'en'): string {
  if (!Number.isFinite(ms)) return '—';
  const u = ageUnits[lang];
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} ${u.s}`;
  if (s < 120) return `${Math.floor(s)} ${u.s}`;
  const min = s / 60;
  if (min < 120) return `${Math.floor(min)} ${u.min}`;
  const h = min / 60;
  if (h < 48) return `${Math.floor(h)} ${u.h}`;
  return `${Math.floor(h / 24)} ${u.d}`;
}

/** 24-hour times: the one implementation lives with the i18n layer. */
export { formatClock, formatDateTime } from '../i18n/i18n.js';
