/**
 * Turning tag values into the text an operator reads: fixed decimals, engineering unit,
 * digital state labels. Pure: no DOM, so it is unit-tested under Node.
 */
import type { TagInfo, TagValueDto } from '../../preload/contract.js';

/** What a value element shows when there is no number to show (never a blank that could pass for zero). */
export const NO_VALUE_TEXT = '####';

export type FormatInfo = Pick<TagInfo, 'kind' | 'unit' | 'decimals' | 'states'>;

export interface FormattedValue {
  /** The value alone, e.g. `63.2`, `Running`. */
  readonly value: string;
  /** The unit to print after it ('' for digital states and unitless values). */
  readonly unit: string;
  /** Value and unit as one string, e.g. `63.2 °C`. */
  readonly text: string;
}

const MAX_DECIMALS = 10;

export function formatNumber(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return NO_VALUE_TEXT;
  const places = Number.isFinite(decimals) ? Math.min(MAX_DECIMALS, Math.max(0, Math.round(decimals))) : 2;
  const text = v.toFixed(places);
  // toFixed keeps the sign of tiny negatives ("-0.0"): an operator reads that as a real negative.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** The label of a digital state: the project's state names, else ON/OFF. */
export function digitalLabel(on: boolean, states: FormatInfo['states']): string {
  if (states) return on ? states.true : states.false;
  return on ? 'ON' : 'OFF';
}

/** A value read as a digital state; null when it is not one. */
export function asDigital(v: TagValueDto['v'] | undefined): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v !== 0;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

function join(value: string, unit: string): FormattedValue {
  return { value, unit, text: unit ? `${value} ${unit}` : value };
}

/**
 * Formats a value for display. `info` may be missing (a value for a tag the UI has no
 * definition of): then numbers get two decimals and no unit.
 */
export function formatValue(v: TagValueDto['v'] | undefined, info: FormatInfo | undefined): FormattedValue {
  const unit = info?.unit ?? '';
  if (v === null || v === undefined) return join(NO_VALUE_TEXT, info?.kind === 'digital' ? '' : unit);
  switch (info?.kind) {
    case 'digital': {
      const on = asDigital(v);
      return join(on === null ? NO_VALUE_TEXT : digitalLabel(on, info.states), '');
    }
    case 'text':
      return join(String(v), unit);
    default: {
      if (typeof v === 'number') return join(formatNumber(v, info?.decimals ?? 2), unit);
      if (typeof v === 'boolean') return join(digitalLabel(v, info?.states), '');
      return join(v, unit);
    }
  }
}

/** A short age, e.g. `0.4 s`, `12 s`, `3 min`, `2 h`, `5 d`; negative ages (clock skew) read as `0 s`. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.floor(s)} s`;
  const min = s / 60;
  if (min < 120) return `${Math.floor(min)} min`;
  const h = min / 60;
  if (h < 48) return `${Math.floor(h)} h`;
  return `${Math.floor(h / 24)} d`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time `HH:MM:SS`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time `YYYY-MM-DD HH:MM:SS`. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ms)}`;
}
