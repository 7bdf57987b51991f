/**
 * The alarm journal (`#/alarms/journal`): every transition, newest first, for a time range
 * typed in 24-hour form, filtered by tag, area, priority, event and user; paged 100 at a
 * time; exported to CSV on the station (with `history.export`) with its progress.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  alarmDisplayStateSchema,
  alarmJournalEntrySchema,
  type AlarmDisplayState,
  type AlarmJournalEntryDto,
  type AlarmJournalFilter,
} from '../../preload/contract.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { formatDateTime } from '../format/format-value.js';
import { ExportTracker, asExportProgress, baseName, type ExportState } from '../trends/export-tracker.js';
import { validItems } from '../transport/loose-validate.js';
import { AlarmTabs } from './alarm-tabs.js';
import { PriorityMarker } from './priority-marker.js';
import { priorities } from './alarm-view.js';
import { journalEventZh, journalText } from './alarm-text.js';
import { useAlarmWords } from './priority-marker.js';
import { langTag, type Lang } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import {
  formatJournalValue,
  journalEvents,
  journalFormFor,
  journalPresets,
  journalQuery,
  type JournalForm,
} from './journal-format.js';
import { useRefusal } from '../app/use-refusal.js';
import { ClockInput, LabelledInput } from '../auth/modal-form.js';

const PAGE = 100;

function asEntries(x: unknown): AlarmJournalEntryDto[] {
  return validItems((x as { entries?: unknown } | null)?.entries, alarmJournalEntrySchema);
}

/** The journal's state column holds the station's state codes; the known ones read in the operator's words. */
const isDisplayState = (s: string): s is AlarmDisplayState => alarmDisplayStateSchema.safeParse(s).success;
const isPriority = (p: string): p is (typeof priorities)[number] => (priorities as readonly string[]).includes(p);

export function AlarmJournalView() {
  const station = useStation();
  const refuse = useRefusal();
  const { auth } = useStationSnapshot();
  const canExport = auth?.state === 'active' && auth.permissions.includes('history.export');
  const [form, setForm] = useState<JournalForm>(() => journalFormFor(Date.now()));
  const [applied, setApplied] = useState<AlarmJournalFilter | null>(() => {
    const q = journalQuery(journalFormFor(Date.now()));
    return q.ok ? q.filter : null;
  });
  const [formError, setFormError] = useState<string | null>(null);
  /** Cursors of the pages walked so far: page i shows entries before cursors[i]. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [entries, setEntries] = useState<AlarmJournalEntryDto[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const page = cursors.length - 1;

  const load = useCallback(async () => {
    if (!applied) return;
    const ticket = ++latest.current;
    setLoading(true);
    const before = cursors[cursors.length - 1];
    const reply = await station.transport.request('alarms.journal', {
      ...applied,
      limit: PAGE,
      ...(before !== undefined ? { beforeSeq: before } : {}),
    });
    if (ticket !== latest.current) return;
    setLoading(false);
    if (!reply.ok) return setError(refuse(reply.error));
    setError(null);
    setEntries(asEntries(reply.value));
    setMore(reply.value.more === true);
  }, [station, applied, cursors]);

  useEffect(() => {
    void load();
  }, [load]);

  const set = (key: keyof JournalForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const apply = (next: JournalForm) => {
    const q = journalQuery(next);
    if (!q.ok) return setFormError(q.error);
    setFormError(null);
    setCursors([undefined]);
    setApplied(q.filter);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply(form);
  };

  // Export with progress (the file is written on the station).
  const tracker = useMemo(() => new ExportTracker(), []);
  const [exportState, setExportState] = useState<ExportState>(tracker.state);
  useEffect(
    () =>
      station.transport.on('alarms.exportProgress', (payload) => {
        const p = asExportProgress(payload);
        if (p) setExportState(tracker.progress(p));
      }),
    [station, tracker],
  );
  const onExport = async () => {
    if (!applied) return;
    setExportState(tracker.begin());
    const reply = await station.transport.request('alarms.exportCsv', applied);
    setExportState(
      reply.ok ? tracker.accepted(reply.value.exportId, reply.value.file) : tracker.refused(refuse(reply.error)),
    );
  };
  const exporting = exportState.phase === 'starting' || exportState.phase === 'running';
  const t = useText(journalText);
  const w = useAlarmWords();
  const lang = useLang();
  const eventLabel = (kind: string) => eventWord(kind, lang);

  return (
    <section className="panel alarms-panel alarm-journal" aria-labelledby="journal-title" data-testid="alarm-journal">
      <AlarmTabs current="journal" />
      <div className="panel-head">
        <h1 id="journal-title" className="panel-title" tabIndex={-1}>
          {t('title')}
        </h1>
        <span className="muted" aria-live="polite">
          {loading
            ? t('loading')
            : `${t(entries.length === 1 ? 'entryOnPage' : 'entriesOnPage', { n: entries.length, page: page + 1 })}${more ? t('moreOlder') : ''}`}
        </span>
        {canExport ? (
          <button
            type="button"
            data-testid="journal-export"
            disabled={exporting || !applied}
            onClick={() => void onExport()}
          >
            {exporting ? t('exporting') : t('exportCsv')}
          </button>
        ) : null}
        <JournalExportStatus state={exportState} />
      </div>
      <form className="alarm-filters journal-filters" onSubmit={onSubmit} aria-label={t('filterJournal')}>
        <ClockInput label={t('from')} value={form.from} onChange={set('from')} data-testid="journal-from" />
        <ClockInput label={t('to')} value={form.to} onChange={set('to')} data-testid="journal-to" />
        <span className="journal-presets" role="group" aria-label={t('presets')}>
          {journalPresets.map((p) => (
            <button
              key={p.id}
              type="button"
              data-testid={`journal-preset-${p.id}`}
              onClick={() => {
                const next = {
                  ...journalFormFor(Date.now(), p.ms),
                  tag: form.tag,
                  area: form.area,
                  priority: form.priority,
                  kind: form.kind,
                  user: form.user,
                };
                setForm(next);
                apply(next);
              }}
            >
              {t(`preset_${p.id}` as 'preset_1h')}
            </button>
          ))}
        </span>
        <LabelledInput
          label={t('tag')}
          value={form.tag}
          onChange={set('tag')}
          placeholder={t('tagPlaceholder')}
          data-testid="journal-tag"
        />
        <LabelledInput
          label={t('area')}
          value={form.area}
          onChange={set('area')}
          placeholder="SS01"
          size={8}
          data-testid="journal-area"
        />
        <label>
          <span>{t('priority')}</span>
          <select value={form.priority} onChange={set('priority')} data-testid="journal-priority">
            <option value="">{t('any')}</option>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {w.priority(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('event')}</span>
          <select value={form.kind} onChange={set('kind')} data-testid="journal-event">
            <option value="">{t('any')}</option>
            {journalEvents.map((k) => (
              <option key={k.value} value={k.value}>
                {eventLabel(k.value)}
              </option>
            ))}
          </select>
        </label>
        <LabelledInput
          label={t('user')}
          value={form.user}
          onChange={set('user')}
          placeholder={t('userPlaceholder')}
          size={12}
          data-testid="journal-user"
        />
        <button type="submit" data-testid="journal-apply">
          {t('show')}
        </button>
      </form>
      {formError ? (
        <p className="banner banner-error" role="alert" data-testid="journal-form-error">
          {formError}
        </p>
      ) : null}
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="grid alarm-journal-table" data-testid="journal-table">
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('priority')}</th>
              <th scope="col">{t('event')}</th>
              <th scope="col">{t('stateAfter')}</th>
              <th scope="col">{t('alarm')}</th>
              <th scope="col">{t('message')}</th>
              <th scope="col" className="num">
                {t('value')}
              </th>
              <th scope="col" className="num">
                {t('limit')}
              </th>
              <th scope="col">{t('user')}</th>
              <th scope="col">{t('comment')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr
                key={e.seq}
                data-testid="journal-row"
                data-kind={e.kind}
                data-user={e.user ?? ''}
                data-tag={e.tag ?? ''}
                data-alarm-id={e.alarmId}
              >
                <td className="mono nowrap">{formatDateTime(e.at)}</td>
                <td className="nowrap">
                  {isPriority(e.priority) ? (
                    <>
                      <PriorityMarker priority={e.priority} /> {w.priority(e.priority)}
                    </>
                  ) : (
                    e.priority
                  )}
                </td>
                <td className="journal-kind">{eventLabel(e.kind)}</td>
                <td
                  className="journal-state"
                  data-state={e.state}
                  title={isDisplayState(e.state) ? w.stateDescription(e.state) : undefined}
                >
                  {isDisplayState(e.state) ? w.state(e.state) : e.state}
                </td>
                <td className="mono">{e.alarmId}</td>
                <td>{e.message}</td>
                <td className="num mono">{formatJournalValue(e.value)}</td>
                <td className="num mono">{e.limit ?? '—'}</td>
                <td>{e.user ?? '—'}</td>
                <td className="journal-comment">{e.comment ?? ''}</td>
              </tr>
            ))}
            {!loading && entries.length === 0 ? (
              <tr>
                <td colSpan={10} className="muted">
                  {t('nothing')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button
          type="button"
          data-testid="journal-newer"
          disabled={page === 0 || loading}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('newer')}
        </button>
        <span className="muted">{t('page', { n: page + 1 })}</span>
        <button
          type="button"
          data-testid="journal-older"
          disabled={!more || loading || entries.length === 0}
          onClick={() => setCursors((c) => [...c, entries[entries.length - 1]!.seq])}
        >
          {t('older')}
        </button>
      </div>
    </section>
  );
}

function eventWord(kind: string, lang: Lang): string {
  if (lang === 'zh' && journalEventZh[kind]) return journalEventZh[kind];
  return journalEvents.find((k) => k.value === kind)?.label ?? kind;
}

function JournalExportStatus({ state }: { state: ExportState }) {
  const t = useText(journalText);
  const lang = useLang();
  if (state.phase === 'idle') return null;
  if (state.phase === 'starting')
    return (
      <span className="muted" data-testid="journal-export-status" data-phase="starting" role="status">
        {t('starting')}
      </span>
    );
  if (state.phase === 'failed') {
    return (
      <span
        className="alarm-notice alarm-notice-refused"
        data-testid="journal-export-status"
        data-phase="failed"
        role="alert"
      >
        {t('failed', { message: state.message })}
      </span>
    );
  }
  const percent = Math.round(state.fraction * 100);
  return (
    <span className="journal-export-status" data-testid="journal-export-status" data-phase={state.phase} role="status">
      <progress max={100} value={percent} aria-label={t('progress')} />{' '}
      {t('rows', { percent, rows: state.rows.toLocaleString(langTag(lang)) })}
      {state.phase === 'done' ? (
        <>
          {' '}
          · {t('written')}{' '}
          <code className="mono" title={state.file}>
            {baseName(state.file)}
          </code>
        </>
      ) : null}
    </span>
  );
}
