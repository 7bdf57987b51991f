/**
 * What the plant outlook shows, from the model list, the output tags' values, the alarm
 * list and the predictive alarm definitions: each fault class with its probability and
 * how abnormal it is, its predictive alarm and recommended action, and forecast readings.
 * A reading that is not Good never looks like one: Bad gives the runtime's reason instead
 * of a number, Stale keeps the last number but says so. Pure.
 */
import type { AlarmDefinitionDto, AlarmDto, ModelInfoDto, TagValueDto } from '../../preload/contract.js';
import { formatAge, formatNumber } from '../format/format-value.js';
import type { DisplayQuality } from '../format/quality.js';
import type { OutputInfo } from './forecast-bands.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { outlookText } from './registry-text.js';

export interface Reading {
  /** `number`: Good or Uncertain; `stale`: the last number, not current; `bad`: no number, `reason` says why; `none`: nothing received. */
  readonly kind: 'number' | 'stale' | 'bad' | 'none';
  readonly value: number | null;
  /** What to print: the number (with unit), or a word when there is none. */
  readonly text: string;
  readonly reason: string | null;
  readonly quality: DisplayQuality;
}

const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** An output tag's value as the outlook prints it (the words in `lang`; the runtime's reason as it sent it). */
export function readingOf(
  value: TagValueDto | undefined,
  quality: DisplayQuality,
  decimals: number,
  unit: string,
  nowMs: number,
  lang: Lang = 'en',
): Reading {
  const t = translator(outlookText, lang);
  const withUnit = (n: number) => (unit ? `${formatNumber(n, decimals)} ${unit}` : formatNumber(n, decimals));
  if (!value) return { kind: 'none', value: null, text: t('noData'), reason: t('noPredictionYet'), quality };
  const n = typeof value.v === 'number' && Number.isFinite(value.v) ? value.v : null;
  if (quality === 'Bad' || (quality !== 'Stale' && n === null)) {
    return {
      kind: 'bad',
      value: null,
      text: t('noPrediction'),
      reason: capitalize(value.r ?? t('noReason')),
      quality: 'Bad',
    };
  }
  if (quality === 'Stale') {
    const why = t('noNewFor', { age: formatAge(nowMs - value.rt, lang) });
    if (value.q === 'Bad' || n === null)
      return {
        kind: 'bad',
        value: null,
        text: t('noPrediction'),
        reason: value.r ? `${capitalize(value.r)} (${lang === 'en' ? why.toLowerCase() : why})` : why,
        quality: 'Stale',
      };
    return { kind: 'stale', value: n, text: withUnit(n), reason: why, quality };
  }
  return {
    kind: 'number',
    value: n,
    text: withUnit(n!),
    reason: quality === 'Uncertain' ? t('uncertain', { reason: value.r ?? t('noReason') }) : null,
    quality,
  };
}

/** Probabilities as percentages: `0.934` → `93 %` (`<1 %`, `>99 %` at the ends, so 0.996 never reads as certain). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  const pct = p * 100;
  if (pct > 0 && pct < 1) return '<1 %';
  if (pct > 99 && pct < 100) return '>99 %';
  return `${Math.round(pct)} %`;
}

/**
 * How abnormal a fault probability is. `warning` (at or above the alarm threshold, or its
 * predictive alarm is active) is the only level drawn in colour; `watch` (half way there)
 * is said in words; `unknown` when there is no current number.
 */
export type FaultLevel = 'normal' | 'watch' | 'warning' | 'unknown';

export const DEFAULT_WARNING_THRESHOLD = 0.9;

export function faultLevel(reading: Reading, threshold: number | null, alarmActive: boolean): FaultLevel {
  if (alarmActive) return 'warning';
  if (reading.kind !== 'number' || reading.value === null) return 'unknown';
  const limit = threshold ?? DEFAULT_WARNING_THRESHOLD;
  if (reading.value >= limit) return 'warning';
  if (reading.value >= limit / 2) return 'watch';
  return 'normal';
}

/** A fault level in words (`WATCH`, `WARNING`; nothing for normal). */
export function faultLevelWord(level: FaultLevel, lang: Lang = 'en'): string {
  return level === 'normal' ? '' : translator(outlookText, lang)(`level_${level}`);
}

/** "…(in about 20 min)" / "(约 20 分钟后)" → 20: the expected time to the limit a predictive alarm's message gives. */
export function timeToLimitMin(message: { en: string; zh?: string }): number | null {
  const en = /in about (\d+(?:\.\d+)?)\s*(min|h)\b/i.exec(message.en);
  if (en) return Number(en[1]) * (en[2]!.toLowerCase() === 'h' ? 60 : 1);
  const zh = message.zh ? /约\s*(\d+(?:\.\d+)?)\s*(分钟|小时)/.exec(message.zh) : null;
  if (zh) return Number(zh[1]) * (zh[2] === '小时' ? 60 : 1);
  return null;
}

/** `in ~20 min`, `in ~2 h` (`约 20 分钟后`). */
export function formatTimeToLimit(min: number, lang: Lang = 'en'): string {
  const t = translator(outlookText, lang);
  return min >= 120 ? t('ttlH', { n: Math.round(min / 60) }) : t('ttlMin', { n: Math.round(min) });
}

export const isPredictive = (a: Pick<AlarmDto, 'source'>): boolean => a.source === 'predictive';

/** A lead time the model card reports (median and worst, minutes), if any. */
export function cardLeadTime(
  model: Pick<ModelInfoDto, 'activeVersion' | 'versions'>,
): { medianMin: number; worstMin: number | null } | null {
  const version =
    model.versions.find((v) => v.version === model.activeVersion) ?? model.versions.find((v) => v.card !== null);
  const metrics = version?.card?.metrics;
  const median = metrics?.['lead_time_median_min'];
  if (median === undefined) return null;
  return { medianMin: median, worstMin: metrics?.['lead_time_worst_min'] ?? null };
}

export interface FaultRow {
  readonly output: OutputInfo;
  /** The class label (`hx-fouling`). */
  readonly label: string;
  readonly reading: Reading;
  readonly level: FaultLevel;
  /** The probability that raises its predictive alarm (from the alarm definition), if it has one. */
  readonly threshold: number | null;
  readonly alarm: AlarmDto | null;
  readonly definition: AlarmDefinitionDto | null;
  readonly timeToLimitMin: number | null;
}

export interface ValueSource {
  value(tag: string): TagValueDto | undefined;
  quality(tag: string): DisplayQuality;
  decimals(tag: string): number;
}

/** Whether a class label is the "no fault" class (shown apart, never coloured). */
export const isNormalClass = (label: string): boolean => /^(normal|ok|no[-_ ]?fault|healthy)$/i.test(label);

/** One fault class: its probability reading, predictive alarm, definition and level. */
export function faultRow(
  o: OutputInfo,
  reading: Reading,
  alarms: readonly AlarmDto[],
  definitions: readonly AlarmDefinitionDto[],
): FaultRow {
  const label = o.label ?? o.name;
  const definition = definitions.find((d) => d.source === 'predictive' && d.tag === o.tag) ?? null;
  const alarm =
    alarms.find((a) => isPredictive(a) && (a.tag === o.tag || (definition !== null && a.id === definition.id))) ?? null;
  const threshold = definition?.limit ?? null;
  const active = alarm !== null && (alarm.active || alarm.latched);
  return {
    output: o,
    label,
    reading,
    level: isNormalClass(label)
      ? reading.kind === 'number'
        ? 'normal'
        : 'unknown'
      : faultLevel(reading, threshold, active),
    threshold,
    alarm,
    definition,
    timeToLimitMin: alarm ? timeToLimitMin(alarm.message) : definition ? timeToLimitMin(definition.message) : null,
  };
}

export function faultRows(
  model: Pick<ModelInfoDto, 'outputs'>,
  values: ValueSource,
  alarms: readonly AlarmDto[],
  definitions: readonly AlarmDefinitionDto[],
  nowMs: number,
  lang: Lang = 'en',
): FaultRow[] {
  return model.outputs
    .filter((o) => o.label !== null)
    .map((o) =>
      faultRow(
        o,
        readingOf(values.value(o.tag), values.quality(o.tag), values.decimals(o.tag), '', nowMs, lang),
        alarms,
        definitions,
      ),
    );
}

/** The probability bar's filled share, 0..1 (0 when there is no current number: an empty bar, never a stale full one). */
export function barShare(reading: Reading): number {
  if (reading.kind !== 'number' || reading.value === null) return 0;
  return Math.min(1, Math.max(0, reading.value));
}

/** `hx-fouling` → `Hx fouling` when the output has no description. */
export function labelText(label: string): string {
  return capitalize(label.replace(/[-_]+/g, ' '));
}
