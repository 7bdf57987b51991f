/**
 * The audit view's pure parts: the actions to filter by, the filter form → `audit.query`
 * params, one-line summaries of an entry's details, paging and the export file name.
 * Pure: unit-tested under Node.
 */
import type { AuditEntryDto } from '../../preload/contract.js';
import { pickText, translator, type Lang, type ProjectText, type Translate } from '../i18n/i18n.js';
import { auditActionText, auditDetailText } from './audit-text.js';

type DetailWords = Translate<keyof typeof auditDetailText.en>;

/** The runtime's audit actions, for the action filter (declared once, in the contract). */
export { auditActionNames } from '../../preload/contract.js';

/** An action in the reader's words; one the console does not know (a newer station) stays as its code. */
export function auditActionName(action: string, lang: Lang): string {
  return Object.hasOwn(auditActionText.en, action)
    ? translator(auditActionText, lang)(action as keyof typeof auditActionText.en)
    : action;
}

export interface AuditFilterForm {
  /** Typed local times on a 24-hour clock (`YYYY-MM-DD HH:MM`, a `T` accepted too), '' when empty. */
  readonly from: string;
  readonly to: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
}

export const emptyAuditFilter: AuditFilterForm = { from: '', to: '', actor: '', action: '', target: '' };

export interface AuditQueryParams {
  from?: number;
  to?: number;
  actor?: string;
  action?: string;
  target?: string;
  limit: number;
  offset: number;
}

/** A typed local time (`2026-11-25 08:10`, `2026-11-25T08:10`, or with seconds; 24-hour) as ms since epoch; undefined when empty or malformed. */
export function parseLocalDateTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

/**
 * The filter as request params. `to` is exclusive on the runtime: a `to` entered to the
 * minute includes that whole minute.
 */
export function auditParams(form: AuditFilterForm, page: number, pageSize: number): AuditQueryParams {
  const params: AuditQueryParams = { limit: pageSize, offset: Math.max(0, page) * pageSize };
  const from = parseLocalDateTime(form.from);
  const to = parseLocalDateTime(form.to);
  if (from !== undefined) params.from = from;
  if (to !== undefined) params.to = to + (/:\d{2}:\d{2}$/.test(form.to.trim()) ? 1000 : 60_000);
  if (form.actor.trim()) params.actor = form.actor.trim();
  if (form.action) params.action = form.action;
  if (form.target.trim()) params.target = form.target.trim();
  return params;
}

/** The filter for CSV export: the same as the view, without paging. */
export function exportParams(form: AuditFilterForm): Omit<AuditQueryParams, 'limit' | 'offset'> {
  const { limit: _limit, offset: _offset, ...rest } = auditParams(form, 0, 1);
  return rest;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** A detail value as short text (objects as compact JSON, long text cut). */
export function detailText(v: unknown, max = 80): string {
  let text: string;
  if (v === null || v === undefined) text = '—';
  else if (typeof v === 'string') text = v;
  else if (typeof v === 'number' || typeof v === 'boolean') text = String(v);
  else {
    try {
      text = JSON.stringify(v);
    } catch {
      text = String(v);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const withUnit = (v: unknown, unit: unknown): string => {
  const text = detailText(v);
  return typeof unit === 'string' && unit !== '' && v !== null && v !== undefined && typeof v !== 'boolean'
    ? `${text} ${unit}`
    : text;
};

/** The outcome of an entry with a `result`, e.g. `ok, confirmed`, `failed: device offline`, `requested`. */
function resultText(d: Record<string, unknown>, t: DetailWords): string {
  const result = typeof d.result === 'string' ? d.result : '';
  // A write whose driver reported a failure carries `error` (even under result "ok").
  if (typeof d.error === 'string' && d.error !== '') return t('failed', { error: detailText(d.error, 60) });
  if (result === 'ok' && typeof d.confirmed === 'boolean') return d.confirmed ? t('okConfirmed') : t('okUnconfirmed');
  return result === 'ok' || result === 'requested' || result === 'failed' ? t(`result_${result}`) : result;
}

/** A detail key in the reader's words; one the console does not know stays as the station wrote it. */
function keyText(key: string, t: DetailWords): string {
  const k = `key_${key}`;
  return k in auditDetailText.en ? t(k as keyof typeof auditDetailText.en) : key;
}

const SKIP_IN_SUMMARY = new Set([
  'sessionRef',
  'requestSeq',
  'tag',
  'old',
  'new',
  'unit',
  'result',
  'error',
  'confirmed',
  'readBack',
]);

/** State labels of a digital tag, to show `Manual → Auto` rather than `false → true`. */
export type StateLabels = { readonly false: ProjectText; readonly true: ProjectText };

const withState = (v: unknown, states: StateLabels | undefined, lang: Lang): string =>
  states && typeof v === 'boolean' ? `${pickText(v ? states.true : states.false, lang)} (${String(v)})` : detailText(v);

/**
 * One line for the details column: for writes `old → new unit (result)` (digital tags with
 * their state labels when known), else `key: value` pairs; outcomes and known keys in `lang`.
 */
export function summariseDetails(
  entry: Pick<AuditEntryDto, 'action' | 'details'>,
  states?: StateLabels,
  lang: Lang = 'en',
): string {
  const t = translator(auditDetailText, lang);
  const d = entry.details;
  const parts: string[] = [];
  if ('old' in d || 'new' in d) {
    const result = resultText(d, t);
    const show = (v: unknown) => (states && typeof v === 'boolean' ? withState(v, states, lang) : withUnit(v, d.unit));
    parts.push(`${show(d.old)} → ${show(d.new)}${result ? ` (${result})` : ''}`);
  } else if (typeof d.result === 'string') {
    parts.push(resultText(d, t));
  }
  for (const [key, value] of Object.entries(d)) {
    if (SKIP_IN_SUMMARY.has(key)) continue;
    parts.push(`${keyText(key, t)}${lang === 'zh' ? '：' : ': '}${detailText(value)}`);
  }
  if (typeof d.requestSeq === 'number') parts.push(t('request', { n: d.requestSeq }));
  return parts.join(lang === 'zh' ? '；' : '; ');
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `argus-audit-20261125-0810.csv` (local time). */
export function auditCsvFileName(nowMs: number): string {
  const d = new Date(nowMs);
  return `argus-audit-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}.csv`;
}
