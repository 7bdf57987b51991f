/**
 * A setpoint or command write as the faceplate prepares it: the operator's entry checked
 * against the tag's type and engineering range, the old → new text for the confirmation,
 * and the station's answer in words. Pure: no DOM, unit-tested under Node. The runtime
 * checks all of this again; the faceplate only spares the operator a refused round trip.
 */
import type { ErrorCode, Reply, RequestResult, TagInfo, TagValueDto } from '../../preload/contract.js';
import { formatValue, type FormatInfo } from '../format/format-value.js';

export type WriteValue = number | boolean | string;

export type EntryCheck = { readonly ok: true; readonly value: WriteValue } | { readonly ok: false; readonly problem: string };

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
export function checkEntry(info: Pick<TagInfo, 'kind' | 'range' | 'unit' | 'decimals' | 'states'>, entry: string | boolean): EntryCheck {
  switch (info.kind) {
    case 'digital':
      return typeof entry === 'boolean' ? { ok: true, value: entry } : { ok: false, problem: 'Choose a state.' };
    case 'text': {
      const text = String(entry);
      return text.length <= MAX_TEXT ? { ok: true, value: text } : { ok: false, problem: `At most ${MAX_TEXT} characters.` };
    }
    case 'analog': {
      if (!info.range) return { ok: false, problem: 'This tag has no engineering range in the project, so the station refuses writes to it.' };
      const text = String(entry).trim().replace(',', '.');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { ok: false, problem: 'Enter a number, e.g. 12.5.' };
      const value = Number(text);
      const [lo, hi] = info.range;
      if (value < lo || value > hi) return { ok: false, problem: `Out of range: enter a value from ${rangeText(info)}.` };
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

const refusalWords: Partial<Record<ErrorCode, string>> = {
  WRITE_REJECTED: 'Write rejected',
  DEVICE_OFFLINE: 'Device offline',
  FORBIDDEN: 'Not allowed',
  UNAVAILABLE: 'Station unavailable',
  UNAUTHENTICATED: 'Not signed in',
  NOT_FOUND: 'Unknown tag',
  BAD_REQUEST: 'Bad request',
};

/** The station's answer to `tags.write`, in words for the operator. */
export function describeWriteReply(reply: Reply<RequestResult<'tags.write'>>, info: FormatInfo): WriteOutcome {
  if (!reply.ok) {
    const words = refusalWords[reply.error.code] ?? 'Write failed';
    return { kind: 'refused', code: reply.error.code, text: `${words} (${reply.error.code}): ${reply.error.message}` };
  }
  const r = reply.value;
  if (r.confirmed) return { kind: 'confirmed', text: `Written and confirmed: the device reads back ${valueText(r.readBack ?? r.value, info)}.` };
  const readBack = r.readBack === null ? 'no read-back value' : `it reads back ${valueText(r.readBack, info)}`;
  return { kind: 'unconfirmed', text: `Sent, but not confirmed: ${readBack}. Check the value before acting on it.` };
}

/** Steps of the faceplate: enter → confirm → (critical: second confirmation) → sending → result. */
export type FaceplateStep = 'enter' | 'confirm' | 'confirm-critical' | 'sending' | 'result';

/** The step after a confirmation; a critical tag needs a reason and a second confirmation. */
export function nextAfterConfirm(step: 'confirm' | 'confirm-critical', critical: boolean): 'confirm-critical' | 'sending' {
  return step === 'confirm' && critical ? 'confirm-critical' : 'sending';
}

export function reasonProblem(critical: boolean, reason: string): string | null {
  if (!critical) return null;
  if (reason.trim() === '') return 'This tag is critical: give a reason for the change.';
  if (reason.length > 500) return 'The reason may have at most 500 characters.';
  return null;
}
