/**
 * A setpoint or command write as the faceplate prepares it: the operator's entry checked
 * against the tag's type and engineering range, the old → new text for the confirmation,
 * and the station's answer in words. Pure: no DOM, unit-tested under Node. The runtime
 * checks all of this again; the faceplate only spares the operator a refused round trip.
 * Words in the operator's language (`lang`, English by default).
 */
import type { ErrorCode, Reply, RequestResult, TagInfo, TagValueDto } from '../../preload/contract.js';
import { formatValue, type FormatInfo } from '../format/format-value.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { faceplateText } from './faceplates-text.js';

export type WriteValue = number | boolean | string;

export type EntryCheck =
  { readonly ok: true; readonly value: WriteValue } | { readonly ok: false; readonly problem: string };

const MAX_TEXT = 1000;

/** The engineering range as text, e.g. `50.0 … 95.0 °C`; null when the tag has none. */
export function rangeText(info: Pick<TagInfo, 'range' | 'decimals' | 'unit' | 'kind' | 'states'>): string | null {
  if (info.kind !== 'analog' || !info.range) return null;
  const [lo, hi] = info.range;
  return `${formatValue(lo, info).value} … ${formatValue(hi, info).text}`;
}

/**
 * Checks what the operator entered: a number within the range for an analog tag (the
 * input's own text, so "1e3" or "" are caught here), true/false for a digital one.
 */
export function checkEntry(
  info: Pick<TagInfo, 'kind' | 'range' | 'unit' | 'decimals' | 'states'>,
  entry: string | boolean,
  lang: Lang = 'en',
): EntryCheck {
  const t = translator(faceplateText, lang);
  switch (info.kind) {
    case 'digital':
      return typeof entry === 'boolean' ? { ok: true, value: entry } : { ok: false, problem: t('chooseState') };
    case 'text': {
      const text = String(entry);
      return text.length <= MAX_TEXT
        ? { ok: true, value: text }
        : { ok: false, problem: t('tooLong', { max: MAX_TEXT }) };
    }
    case 'analog': {
      if (!info.range) return { ok: false, problem: t('noRange') };
      const text = String(entry).trim().replace(',', '.');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { ok: false, problem: t('notNumber') };
      const value = Number(text);
      const [lo, hi] = info.range;
      if (value < lo || value > hi) return { ok: false, problem: t('outOfRange', { range: rangeText(info) ?? '' }) };
      return { ok: true, value };
    }
  }
}

/** One value as the confirmation shows it, with its unit (digital: the state label). */
export function valueText(v: TagValueDto['v'] | undefined, info: FormatInfo): string {
  return formatValue(v, info).text;
}

/** `63.0 °C → 65.5 °C`. */
export function changeText(old: TagValueDto['v'] | undefined, next: WriteValue, info: FormatInfo): string {
  return `${valueText(old, info)} → ${valueText(next, info)}`;
}

export type WriteOutcome =
  | { readonly kind: 'confirmed'; readonly text: string }
  | { readonly kind: 'unconfirmed'; readonly text: string }
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly text: string };

const refusalKeys = {
  WRITE_REJECTED: 'refusedWRITE_REJECTED',
  DEVICE_OFFLINE: 'refusedDEVICE_OFFLINE',
  FORBIDDEN: 'refusedFORBIDDEN',
  UNAVAILABLE: 'refusedUNAVAILABLE',
  UNAUTHENTICATED: 'refusedUNAUTHENTICATED',
  NOT_FOUND: 'refusedNOT_FOUND',
  BAD_REQUEST: 'refusedBAD_REQUEST',
} as const satisfies Partial<Record<ErrorCode, keyof typeof faceplateText.en>>;

/** The station's answer to `tags.write`, in words for the operator. */
export function describeWriteReply(
  reply: Reply<RequestResult<'tags.write'>>,
  info: FormatInfo,
  lang: Lang = 'en',
): WriteOutcome {
  const t = translator(faceplateText, lang);
  if (!reply.ok) {
    const key =
      (refusalKeys as Partial<Record<ErrorCode, keyof typeof faceplateText.en>>)[reply.error.code] ?? 'refusedOther';
    return {
      kind: 'refused',
      code: reply.error.code,
      text: t('refusedText', { words: t(key), code: reply.error.code, message: reply.error.message }),
    };
  }
  const r = reply.value;
  if (r.confirmed)
    return { kind: 'confirmed', text: t('confirmedText', { value: valueText(r.readBack ?? r.value, info) }) };
  const readBack = r.readBack === null ? t('noReadBack') : t('readsBack', { value: valueText(r.readBack, info) });
  return { kind: 'unconfirmed', text: t('unconfirmedText', { readBack }) };
}

/** Steps of the faceplate: enter → confirm → (critical: second confirmation) → sending → result. */
export type FaceplateStep = 'enter' | 'confirm' | 'confirm-critical' | 'sending' | 'result';

/** The step after a confirmation; a critical tag needs a reason and a second confirmation. */
export function nextAfterConfirm(
  step: 'confirm' | 'confirm-critical',
  critical: boolean,
): 'confirm-critical' | 'sending' {
  return step === 'confirm' && critical ? 'confirm-critical' : 'sending';
}

export function reasonProblem(critical: boolean, reason: string, lang: Lang = 'en'): string | null {
  if (!critical) return null;
  const t = translator(faceplateText, lang);
  if (reason.trim() === '') return t('reasonMissing');
  if (reason.length > 500) return t('reasonTooLong');
  return null;
}
