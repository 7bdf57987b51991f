/**
 * The alarm journal view's filter form: times typed and shown in 24-hour form
 * (`2025-01-31 14:05`, local time: no AM/PM whatever the browser's language), presets,
 * and the request it becomes. Pure.
 */
import type { AlarmJournalEntryDto, AlarmJournalFilter, AlarmPriorityDto } from '../../preload/contract.js';
import { priorities } from './alarm-view.js';
import { formatDateTime, parseDateTime } from '../i18n/i18n.js';

/** `YYYY-MM-DD HH:MM`, local time, 24-hour. */
export const format24 = (ms: number): string => formatDateTime(ms, false);

/** Reads `YYYY-MM-DD HH:MM[:SS]` (or with a `T`) as local time; null when it is not a real time. */
export const parse24 = parseDateTime;

export const journalEvents: readonly { value: string; label: string }[] = [
  { value: 'activated', label: 'activated' },
  { value: 'returned', label: 'returned to normal' },
  { value: 'acknowledged', label: 'acknowledged' },
  { value: 'realarmed', label: 're-alarmed' },
  { value: 'shelved', label: 'shelved' },
  { value: 'unshelved', label: 'unshelved' },
  { value: 'shelve-expired', label: 'shelve expired' },
  { value: 'suppressed', label: 'suppressed' },
  { value: 'unsuppressed', label: 'unsuppressed' },
  { value: 'out-of-service', label: 'out of service' },
  { value: 'in-service', label: 'back in service' },
  { value: 'commented', label: 'comment' },
  { value: 'silenced', label: 'horn silenced' },
  { value: 'limit-changed', label: 'limit changed' },
];

export interface JournalForm {
  readonly from: string;
  readonly to: string;
  readonly tag: string;
  readonly area: string;
  readonly priority: string;
  readonly kind: string;
  readonly user: string;
}

export const journalPresets: readonly { id: string; label: string; ms: number }[] = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '8h', label: 'Last 8 h', ms: 8 * 3_600_000 },
  { id: '24h', label: 'Last 24 h', ms: 24 * 3_600_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
];

export function journalFormFor(now: number, spanMs = 24 * 3_600_000): JournalForm {
  // `to` a minute ahead, so what happens while the operator reads is still inside.
  return {
    from: format24(now - spanMs),
    to: format24(now + 60_000),
    tag: '',
    area: '',
    priority: '',
    kind: '',
    user: '',
  };
}

export type JournalQuery = { ok: true; filter: AlarmJournalFilter } | { ok: false; error: string };

export function journalQuery(form: JournalForm): JournalQuery {
  const from = parse24(form.from);
  const to = parse24(form.to);
  if (from === null)
    return {
      ok: false,
      error: `"From" is not a time: write it as YYYY-MM-DD HH:MM (24-hour), e.g. ${format24(Date.now() - 3_600_000)}`,
    };
  if (to === null)
    return {
      ok: false,
      error: `"To" is not a time: write it as YYYY-MM-DD HH:MM (24-hour), e.g. ${format24(Date.now())}`,
    };
  if (to < from) return { ok: false, error: '"To" is before "From".' };
  const filter: { -readonly [K in keyof AlarmJournalFilter]: AlarmJournalFilter[K] } = { from, to: to + 59_999 };
  if (form.tag.trim()) filter.tag = form.tag.trim();
  if (form.area.trim()) filter.area = form.area.trim();
  if ((priorities as readonly string[]).includes(form.priority)) filter.priority = form.priority as AlarmPriorityDto;
  if (form.kind) filter.kind = form.kind;
  if (form.user.trim()) filter.user = form.user.trim();
  return { ok: true, filter };
}

/** A journal value as read: numbers to 4 significant digits (the journal keeps the raw value). */
export function formatJournalValue(v: AlarmJournalEntryDto['value']): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return String(v);
}
