/**
 * The audit trail: who did what, newest first, with filters (time span, actor, action,
 * target), paging, and CSV export of everything the filter matches. Shown to users with
 * `audit.view`; the export button only with `audit.export`.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { auditEntrySchema, type AuditEntryDto } from '../../preload/contract.js';
import { validItems } from '../transport/loose-validate.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { mayDo } from '../auth/access.js';
import { formatDateTime } from '../format/format-value.js';
import {
  auditActionName,
  auditActionNames,
  auditCsvFileName,
  auditParams,
  emptyAuditFilter,
  exportParams,
  pageCount,
  summariseDetails,
  type AuditFilterForm,
} from './audit-format.js';
import { useLang, useText } from '../i18n/language.js';
import { auditText } from './audit-text.js';
import { downloadBlob } from '../app/download.js';
import { useRefusal } from '../app/use-refusal.js';
import { ClockInput, LabelledInput } from '../auth/modal-form.js';

const PAGE_SIZE = 50;

/** Entries that do not match the contract are dropped one by one (never a crash). */
function asEntries(x: unknown): AuditEntryDto[] {
  return validItems((x as { entries?: unknown } | null)?.entries, auditEntrySchema);
}

function downloadText(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
}

export function AuditView() {
  const t = useText(auditText);
  const lang = useLang();
  const refuse = useRefusal();
  const station = useStation();
  const { auth, tagsByName } = useStationSnapshot();
  const canExport = mayDo(auth, 'audit.export');
  const [form, setForm] = useState<AuditFilterForm>(emptyAuditFilter);
  const [applied, setApplied] = useState<AuditFilterForm>(emptyAuditFilter);
  const [page, setPage] = useState(0);
  const [entries, setEntries] = useState<AuditEntryDto[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);

  /** Only the latest query's answer is shown (a slow older one must not overwrite it). */
  const latest = useRef(0);
  const load = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    const reply = await station.transport.request('audit.query', auditParams(applied, page, PAGE_SIZE));
    if (ticket !== latest.current) return;
    setLoading(false);
    if (!reply.ok) {
      setError(refuse(reply.error));
      return;
    }
    setError(null);
    setEntries(asEntries(reply.value));
    setTotal(typeof reply.value.total === 'number' ? reply.value.total : 0);
  }, [station, applied, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const set = (key: keyof AuditFilterForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const onFilter = (e: FormEvent) => {
    e.preventDefault();
    setPage(0);
    setApplied(form);
  };

  const onExport = async () => {
    setExportNote(t('exporting'));
    const reply = await station.transport.request('audit.exportCsv', exportParams(applied));
    if (!reply.ok) return setExportNote(t('exportRefused', { code: reply.error.code, message: reply.error.message }));
    downloadText(reply.value.csv, auditCsvFileName(Date.now()));
    setExportNote(t('exported', { n: reply.value.rows }));
  };

  const pages = pageCount(total, PAGE_SIZE);

  return (
    <section className="panel audit-panel" aria-labelledby="audit-title">
      <div className="panel-head">
        <h1 id="audit-title" className="panel-title" tabIndex={-1}>
          {t('title')}
        </h1>
        <span className="muted" aria-live="polite">
          {loading ? t('loading') : t('entries', { n: total })}
        </span>
        {canExport ? (
          <button type="button" onClick={() => void onExport()} data-testid="audit-export">
            {t('exportCsv')}
          </button>
        ) : null}
        {exportNote ? (
          <span className="muted" role="status">
            {exportNote}
          </span>
        ) : null}
      </div>
      <form className="audit-filters" onSubmit={onFilter} aria-label={t('filterAudit')}>
        <ClockInput label={t('from')} value={form.from} onChange={set('from')} data-testid="audit-filter-from" />
        <ClockInput label={t('to')} value={form.to} onChange={set('to')} data-testid="audit-filter-to" />
        <LabelledInput
          label={t('actor')}
          value={form.actor}
          onChange={set('actor')}
          placeholder={t('userName')}
          data-testid="audit-filter-actor"
        />
        <label>
          <span>{t('action')}</span>
          <select value={form.action} onChange={set('action')} data-testid="audit-filter-action">
            <option value="">{t('any')}</option>
            {auditActionNames.map((a) => (
              <option key={a} value={a}>
                {`${auditActionName(a, lang)} (${a})`}
              </option>
            ))}
          </select>
        </label>
        <LabelledInput
          label={t('target')}
          value={form.target}
          onChange={set('target')}
          placeholder={t('targetPlaceholder')}
          data-testid="audit-filter-target"
        />
        <button type="submit" data-testid="audit-filter-apply">
          {t('filter')}
        </button>
        <button
          type="button"
          onClick={() => {
            setForm(emptyAuditFilter);
            setApplied(emptyAuditFilter);
            setPage(0);
          }}
        >
          {t('clear')}
        </button>
      </form>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="grid audit" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('source')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('target')}</th>
              <th scope="col">{t('details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-testid="audit-row" data-action={e.action} data-target={e.target} data-seq={e.seq}>
                <td className="num mono">{e.seq}</td>
                <td className="mono nowrap">{formatDateTime(e.time)}</td>
                <td>{e.actor}</td>
                <td>{e.role}</td>
                <td className="mono">{e.source}</td>
                <td className="audit-action" title={e.action}>
                  {auditActionName(e.action, lang)}
                  <div className="mono muted audit-code">{e.action}</div>
                </td>
                <td className="mono">{e.target}</td>
                <td className="audit-details" title={JSON.stringify(e.details)}>
                  {summariseDetails(e, tagsByName.get(e.target)?.states, lang)}
                </td>
              </tr>
            ))}
            {!loading && entries.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  {t('noEntries')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t('pages')}>
        <button type="button" disabled={page === 0} onClick={() => setPage(0)}>
          {t('newest')}
        </button>
        <button
          type="button"
          disabled={page === 0}
          onClick={() => setPage((p) => Math.max(0, p - 1))}
          data-testid="audit-prev"
        >
          {t('newer')}
        </button>
        <span>{t('pageOf', { page: Math.min(page + 1, pages), pages })}</span>
        <button
          type="button"
          disabled={page + 1 >= pages}
          onClick={() => setPage((p) => p + 1)}
          data-testid="audit-next"
        >
          {t('older')}
        </button>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </nav>
    </section>
  );
}
