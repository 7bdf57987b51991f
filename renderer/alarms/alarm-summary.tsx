/**
 * The alarm summary (`#/alarms`): every alarm on the station's list in a virtualized grid
 * (10,000 rows stay smooth: only the rows in view exist), sorted and filtered by
 * priority, area, state and text. Select an alarm to see its rationalization; acknowledge
 * the selected one or the unacknowledged rows in view (never "everything"); shelve,
 * comment, take out of service; jump to the screen that shows the equipment. Controls
 * appear only with their permission (a viewer has none).
 */
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AlarmDto, AlarmPriorityDto } from '../../preload/contract.js';
import { useNow, useStation, useStationSnapshot } from '../app/station-context.js';
import { formatAge, formatClock, formatDateTime } from '../format/format-value.js';
import { mayAlarm, useAlarmConsole, useAlarmSnapshot } from './alarm-context.js';
import {
  alarmTime,
  defaultAlarmFilter,
  filterAlarms,
  formatAlarmValue,
  isHidden,
  isUnacked,
  pageAcknowledgeIds,
  priorities,
  priorityNumber,
  screenForAlarm,
  sortAlarms,
  stateFilterLabel,
  type AlarmFilter,
  type AlarmSortKey,
  type StateFilter,
} from './alarm-view.js';
import { ALARM_KEYS } from './horn.js';
import { PriorityMarker, useAlarmWords } from './priority-marker.js';
import { langTag, pickText } from '../i18n/i18n.js';
import { useLang } from '../i18n/language.js';
import type { alarmText } from './alarm-text.js';
import { PredictiveMarker } from '../predictions/predictive-marker.js';
import { AlarmTabs } from './alarm-tabs.js';
import { CommentDialog, OutOfServiceDialog, ShelveDialog } from './alarm-dialogs.js';

export const ROW_HEIGHT = 28;

/** Keys on the focused alarm list → the command button they press (listed in the keyboard help). */
const COMMAND_KEYS: Readonly<Record<string, string>> = {
  Enter: 'alarm-goto-screen',
  c: 'alarm-comment',
  C: 'alarm-comment',
  s: 'alarm-shelve',
  S: 'alarm-shelve',
  o: 'alarm-out-of-service',
  O: 'alarm-out-of-service',
};

const columns: { key: AlarmSortKey | null; label: keyof (typeof alarmText)['en']; className: string }[] = [
  { key: 'priority', label: 'colPriority', className: 'col-prio' },
  { key: 'time', label: 'colTime', className: 'col-time' },
  { key: 'state', label: 'colState', className: 'col-state' },
  { key: 'tag', label: 'colTag', className: 'col-tag' },
  { key: 'message', label: 'colMessage', className: 'col-message' },
  { key: null, label: 'colValue', className: 'col-value' },
  { key: 'area', label: 'colArea', className: 'col-area' },
];

const AlarmRow = memo(function AlarmRow({
  alarm,
  selected,
  top,
  onSelect,
}: {
  alarm: AlarmDto;
  selected: boolean;
  top: number;
  onSelect: (id: string) => void;
}) {
  const unacked = isUnacked(alarm);
  const w = useAlarmWords();
  const lang = useLang();
  return (
    <div
      className={`alarm-row prio-row-${alarm.priority}${unacked ? ' alarm-unacked' : ''}${selected ? ' alarm-selected' : ''}${isHidden(alarm) ? ' alarm-hidden' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="row"
      aria-selected={selected}
      data-testid="alarm-row"
      data-alarm-id={alarm.id}
      data-tag={alarm.tag ?? undefined}
      data-state={alarm.state}
      data-priority={alarm.priority}
      onClick={() => onSelect(alarm.id)}
    >
      <span role="gridcell" className="col-prio">
        <PriorityMarker priority={alarm.priority} blink={unacked} />
        <span className="prio-word">{w.priority(alarm.priority)}</span>
      </span>
      <span role="gridcell" className="col-time mono">
        {formatDateTime(alarmTime(alarm))}
      </span>
      <span role="gridcell" className="col-state">
        <span className={`alarm-state-text state-${alarm.state}`}>{w.state(alarm.state)}</span>
      </span>
      <span role="gridcell" className="col-tag" title={alarm.id}>
        {alarm.tag ?? alarm.device ?? alarm.id}
      </span>
      <span
        role="gridcell"
        className="col-message"
        title={alarm.message.zh ? `${alarm.message.en}\n${alarm.message.zh}` : alarm.message.en}
      >
        <PredictiveMarker alarm={alarm} /> {pickText(alarm.message, lang)}
      </span>
      <span role="gridcell" className="col-value mono">
        {formatAlarmValue(alarm)}
      </span>
      <span role="gridcell" className="col-area">
        {alarm.area ?? '—'}
      </span>
    </div>
  );
});

/** The rows fully in view (what "acknowledge page" takes), shared without re-rendering the whole summary on every scroll. */
class ViewRange {
  first = 0;
  end = 0;
  private readonly listeners = new Set<() => void>();
  set(first: number, end: number): void {
    if (first === this.first && end === this.end) return;
    this.first = first;
    this.end = end;
    for (const l of [...this.listeners]) l();
  }
  get = (): string => `${this.first}:${this.end}`;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

function AckPageButton({
  rows,
  range,
  acknowledge,
}: {
  rows: readonly AlarmDto[];
  range: ViewRange;
  acknowledge: (ids: readonly string[]) => Promise<void>;
}) {
  useSyncExternalStore(range.subscribe, range.get);
  const ids = pageAcknowledgeIds(rows.slice(range.first, Math.max(range.first, range.end)));
  const { t } = useAlarmWords();
  return (
    <button
      type="button"
      data-testid="alarm-ack-page"
      disabled={ids.length === 0}
      onClick={() => void acknowledge(ids)}
      title={t('ackPageTitle')}
      aria-keyshortcuts="Shift+F8"
    >
      {t('ackPage', { n: ids.length })}
    </button>
  );
}

type SortState = { key: AlarmSortKey; descending: boolean };

interface AlarmGridProps {
  readonly rows: readonly AlarmDto[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
  readonly sort: SortState;
  readonly setSort: (f: (s: SortState) => SortState) => void;
  readonly range: ViewRange;
  readonly loaded: boolean;
}

/** The virtualized list: only the rows in view (and a few around) exist; scrolling re-renders this alone. */
function AlarmGrid({ rows, selectedId, onSelect, sort, setSort, range, loaded }: AlarmGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const offset = virtualizer.scrollOffset ?? 0;
  const viewHeight = virtualizer.scrollRect?.height ?? 0;
  const first = Math.ceil(offset / ROW_HEIGHT);
  const end = Math.min(rows.length, Math.floor((offset + viewHeight) / ROW_HEIGHT));
  useLayoutEffect(() => range.set(first, end), [range, first, end]);

  const { t } = useAlarmWords();
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    // Commands on the selected alarm from the list itself (the buttons stay the one code path).
    const command = e.altKey || e.ctrlKey || e.metaKey ? undefined : COMMAND_KEYS[e.key];
    if (command) {
      const button = document.querySelector<HTMLButtonElement>(`[data-testid="${command}"]`);
      if (button && !button.disabled) {
        e.preventDefault();
        button.click();
      }
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const index = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? rows.length - 1
          : Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
    const row = rows[next];
    if (!row) return;
    onSelect(row.id);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div
      className="alarm-grid"
      role="grid"
      aria-label={t('alarms')}
      aria-rowcount={rows.length}
      data-testid="alarm-grid"
    >
      <div className="alarm-row alarm-head" role="row">
        {columns.map((col) => (
          <span
            key={col.label}
            role="columnheader"
            className={col.className}
            aria-sort={col.key && sort.key === col.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
          >
            {col.key ? (
              <button
                type="button"
                className="sort-button"
                data-testid={`alarm-sort-${col.key}`}
                onClick={() =>
                  setSort((s) => ({
                    key: col.key!,
                    descending: s.key === col.key ? !s.descending : col.key === 'time',
                  }))
                }
              >
                {t(col.label)}
                {sort.key === col.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </button>
            ) : (
              t(col.label)
            )}
          </span>
        ))}
      </div>
      <div
        className="alarm-scroll"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKey}
        data-testid="alarm-scroll"
        aria-label={t('listHint')}
      >
        <div className="alarm-scroll-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const alarm = rows[item.index]!;
            return (
              <AlarmRow
                key={alarm.id}
                alarm={alarm}
                top={item.start}
                selected={alarm.id === selectedId}
                onSelect={onSelect}
              />
            );
          })}
        </div>
        {rows.length === 0 ? <p className="muted alarm-empty">{loaded ? t('noMatch') : t('loadingAlarms')}</p> : null}
      </div>
    </div>
  );
}

type Dialog = { kind: 'shelve' | 'comment' | 'oos'; alarm: AlarmDto } | null;

export function AlarmSummary() {
  const c = useAlarmConsole();
  const snapshot = useAlarmSnapshot();
  const { auth, screens } = useStationSnapshot();
  const station = useStation();
  const [filter, setFilter] = useState<AlarmFilter>(defaultAlarmFilter);
  const [sort, setSort] = useState<SortState>({ key: 'priority', descending: false });
  const [dialog, setDialog] = useState<Dialog>(null);
  const deferredText = useDeferredValue(filter.text);
  const range = useMemo(() => new ViewRange(), []);
  const w = useAlarmWords();
  const t = w.t;
  const lang = useLang();

  const all = snapshot?.alarms ?? [];
  const rows = useMemo(() => {
    const shown = filterAlarms(all, { ...filter, text: deferredText });
    return sortAlarms(shown, sort.key, sort.descending);
  }, [all, filter, deferredText, sort]);
  const areas = useMemo(
    () => [...new Set(all.map((a) => a.area).filter((a): a is string => a !== null))].sort(),
    [all],
  );

  const selectedId = c?.store.selectedId ?? null;
  const selected = selectedId ? c?.store.get(selectedId) : undefined;

  const select = useCallback((id: string) => c?.store.select(id), [c]);

  const mayAck = mayAlarm(auth, 'alarm.acknowledge');
  const mayComment = mayAlarm(auth, 'alarm.comment');
  const mayShelve = mayAlarm(auth, 'alarm.shelve');
  const mayOos = mayAlarm(auth, 'alarm.outOfService');

  const run = async (
    label: string,
    request: () => Promise<{ ok: true } | { ok: false; error: { code: string; message: string } }>,
  ) => {
    const reply = await request();
    c?.say(
      reply.ok
        ? { kind: 'ok', text: label }
        : {
            kind: 'refused',
            text: t('refusedAs', {
              what: label.split(':')[0] ?? label,
              code: reply.error.code,
              message: reply.error.message,
            }),
          },
    );
    return reply.ok;
  };

  const jumpTo = (a: AlarmDto) => {
    const screen = screenForAlarm(a, screens);
    if (!screen) return c?.say({ kind: 'refused', text: t('noScreen', { what: a.tag ?? a.id }) });
    window.location.hash = screen === 'devices' ? '#/devices' : `#/screen/${screen}`;
  };

  useEffect(() => {
    // Shift+F8: acknowledge the unacknowledged rows in view (F8 alone takes the selected alarm).
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.code !== 'F8' || !e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      document.querySelector<HTMLButtonElement>('[data-testid="alarm-ack-page"]:not(:disabled)')?.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!c || !snapshot) return null;

  return (
    <section className="panel alarms-panel" aria-labelledby="alarms-title" data-testid="alarm-summary">
      <AlarmTabs current="summary" />
      <div className="panel-head">
        <h1 id="alarms-title" className="panel-title" tabIndex={-1}>
          {t('summaryTitle')}
        </h1>
        <span
          className="muted"
          aria-live="polite"
          data-testid="alarm-summary-count"
          data-shown={rows.length}
          data-total={all.length}
        >
          {snapshot.loaded
            ? t('shownOf', {
                shown: rows.length.toLocaleString(langTag(lang)),
                total: all.length.toLocaleString(langTag(lang)),
              })
            : t('loading')}
        </span>
        {c.sync.lastError ? <span className="alarm-notice alarm-notice-refused">✕ {c.sync.lastError}</span> : null}
      </div>
      <form className="alarm-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filterAlarms')}>
        <fieldset className="alarm-prio-filter">
          <legend>{t('priority')}</legend>
          {priorities.map((p) => (
            <label key={p} title={w.priority(p)}>
              <input
                type="checkbox"
                checked={filter.priorities.includes(p)}
                data-testid={`alarm-filter-prio-${p}`}
                onChange={(e) =>
                  setFilter((f) => ({
                    ...f,
                    priorities: e.target.checked
                      ? [...f.priorities, p]
                      : f.priorities.filter((x): x is AlarmPriorityDto => x !== p),
                  }))
                }
              />
              <PriorityMarker priority={p} size={16} />
              {w.priority(p)}
            </label>
          ))}
        </fieldset>
        <label>
          <span>{t('area')}</span>
          <select
            value={filter.area}
            onChange={(e) => setFilter((f) => ({ ...f, area: e.target.value }))}
            data-testid="alarm-filter-area"
          >
            <option value="">{t('allAreas')}</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('state')}</span>
          <select
            value={filter.state}
            onChange={(e) => setFilter((f) => ({ ...f, state: e.target.value as StateFilter }))}
            data-testid="alarm-filter-state"
          >
            {(Object.keys(stateFilterLabel) as StateFilter[]).map((s) => (
              <option key={s} value={s}>
                {w.stateFilter(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('text')}</span>
          <input
            value={filter.text}
            onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
            placeholder={t('textPlaceholder')}
            className="alarm-filter-text"
            data-testid="alarm-filter-text"
          />
        </label>
        <button type="button" onClick={() => setFilter(defaultAlarmFilter)}>
          {t('clearFilters')}
        </button>
      </form>
      <div className="alarm-actions" role="toolbar" aria-label={t('commands')}>
        {mayAck ? (
          <>
            <button
              type="button"
              data-testid="alarm-ack"
              disabled={!selected || !isUnacked(selected)}
              onClick={() => selected && void c.acknowledge([selected.id])}
              aria-keyshortcuts={ALARM_KEYS.acknowledge}
            >
              {t('ackSelected')} <kbd>{ALARM_KEYS.acknowledge}</kbd>
            </button>
            <AckPageButton rows={rows} range={range} acknowledge={c.acknowledge} />
          </>
        ) : null}
        {mayComment ? (
          <button
            type="button"
            data-testid="alarm-comment"
            disabled={!selected}
            onClick={() => selected && setDialog({ kind: 'comment', alarm: selected })}
          >
            {t('comment')}
          </button>
        ) : null}
        {mayShelve ? (
          selected?.state === 'shelved' ? (
            <button
              type="button"
              data-testid="alarm-unshelve"
              onClick={() =>
                void run(t('unshelved', { id: selected.id }), () =>
                  station.transport.request('alarms.unshelve', { id: selected.id }),
                )
              }
            >
              {t('unshelve')}
            </button>
          ) : (
            <button
              type="button"
              data-testid="alarm-shelve"
              disabled={!selected || selected.state === 'out-of-service'}
              onClick={() => selected && setDialog({ kind: 'shelve', alarm: selected })}
            >
              {t('shelve')}
            </button>
          )
        ) : null}
        {mayOos ? (
          selected?.state === 'out-of-service' ? (
            <button
              type="button"
              data-testid="alarm-return-to-service"
              onClick={() =>
                void run(t('returned', { id: selected.id }), () =>
                  station.transport.request('alarms.setOutOfService', { id: selected.id, outOfService: false }),
                )
              }
            >
              {t('returnToService')}
            </button>
          ) : (
            <button
              type="button"
              data-testid="alarm-out-of-service"
              disabled={!selected}
              onClick={() => selected && setDialog({ kind: 'oos', alarm: selected })}
            >
              {t('outOfService')}
            </button>
          )
        ) : null}
        <button
          type="button"
          data-testid="alarm-goto-screen"
          disabled={!selected}
          onClick={() => selected && jumpTo(selected)}
        >
          {t('gotoScreen')}
        </button>
      </div>
      <div className="alarm-body">
        <AlarmGrid
          rows={rows}
          selectedId={selectedId}
          onSelect={select}
          sort={sort}
          setSort={setSort}
          range={range}
          loaded={snapshot.loaded}
        />
        <AlarmDetails alarm={selected} />
      </div>
      {dialog?.kind === 'shelve' ? (
        <ShelveDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} />
      ) : null}
      {dialog?.kind === 'comment' ? (
        <CommentDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} />
      ) : null}
      {dialog?.kind === 'oos' ? (
        <OutOfServiceDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} />
      ) : null}
    </section>
  );
}

/** A response rule (acknowledge by, resolve by), as the station computed its deadline. */
function Rule({
  label,
  dueAt,
  now,
  done,
}: {
  label: string;
  dueAt: number | null | undefined;
  now: number;
  done: boolean;
}) {
  const { t } = useAlarmWords();
  const lang = useLang();
  if (done) return <span>{t('ruleDone', { label })}</span>;
  if (dueAt === null || dueAt === undefined) return <span>{t('ruleNone', { label })}</span>;
  const late = now > dueAt;
  return (
    <span className={late ? 'rule-late' : ''} data-overdue={late}>
      {t('ruleBy', { label, time: formatClock(dueAt) })}{' '}
      {late ? t('overdueBy', { age: formatAge(now - dueAt, lang) }) : t('inAge', { age: formatAge(dueAt - now, lang) })}
    </span>
  );
}

function AlarmDetails({ alarm }: { alarm: AlarmDto | undefined }) {
  const c = useAlarmConsole();
  const now = useNow();
  const w = useAlarmWords();
  const t = w.t;
  const lang = useLang();
  if (!alarm || !c) {
    return (
      <aside className="alarm-details muted" aria-label={t('selectedAlarm')} data-testid="alarm-details">
        {t('selectToSee')}
      </aside>
    );
  }
  const def = c.store.definition(alarm.id);
  const stationNow = now + (c.store.getSnapshot().clockOffsetMs ?? 0);
  const since = alarm.activeSince;
  return (
    <aside
      className="alarm-details"
      aria-label={t('selectedAlarm')}
      data-testid="alarm-details"
      data-alarm-id={alarm.id}
    >
      <h2 className="alarm-details-title">
        <PriorityMarker priority={alarm.priority} blink={isUnacked(alarm)} />
        <span>
          {w.priority(alarm.priority)} ({priorityNumber(alarm.priority)}) ·{' '}
          <span className={`alarm-state-text state-${alarm.state}`}>{w.state(alarm.state)}</span>
        </span>
      </h2>
      <p className="alarm-details-message">
        {pickText(alarm.message, lang)}
        {alarm.message.zh && alarm.message.en ? (
          <span className="desc-other"> / {pickText(alarm.message, lang === 'zh' ? 'en' : 'zh')}</span>
        ) : null}
      </p>
      <dl className="alarm-facts">
        <dt>{t('factAlarm')}</dt>
        <dd className="mono">{alarm.id}</dd>
        <dt>{t('factState')}</dt>
        <dd>
          {w.stateDescription(alarm.state)}
          {alarm.latched ? t('latched') : ''}
        </dd>
        <dt>{t('factValue')}</dt>
        <dd className="mono">{formatAlarmValue(alarm)}</dd>
        <dt>{t('factWhere')}</dt>
        <dd>{[alarm.area, alarm.equipment, alarm.tag ?? alarm.device].filter(Boolean).join(' · ') || '—'}</dd>
        {since !== null ? (
          <>
            <dt>{t('activeSince')}</dt>
            <dd className="mono">{formatDateTime(since)}</dd>
            <dt>{t('response')}</dt>
            <dd className="alarm-rules">
              <Rule label={t('ruleAck')} dueAt={alarm.ackDueAt} now={stationNow} done={!isUnacked(alarm)} />
              <Rule label={t('ruleResolve')} dueAt={alarm.resolveDueAt} now={stationNow} done={!alarm.active} />
            </dd>
          </>
        ) : null}
        {alarm.ackedBy ? (
          <>
            <dt>{t('acknowledged')}</dt>
            <dd>
              {t('ackedByAt', { user: alarm.ackedBy, time: alarm.ackedAt ? formatDateTime(alarm.ackedAt) : '—' })}
            </dd>
          </>
        ) : null}
        {alarm.shelved ? (
          <>
            <dt>{t('shelved')}</dt>
            <dd>
              {t('shelvedBy', {
                user: alarm.shelved.by,
                reason: alarm.shelved.reason,
                until:
                  alarm.shelved.mode === 'one-shot'
                    ? t('untilNormal')
                    : t('untilTime', { time: formatDateTime(alarm.shelved.until ?? 0) }),
              })}
            </dd>
          </>
        ) : null}
        {alarm.outOfService ? (
          <>
            <dt>{t('outOfServiceFact')}</dt>
            <dd>
              {t('oosBy', {
                user: alarm.outOfService.by,
                time: formatDateTime(alarm.outOfService.at),
                reason: alarm.outOfService.reason,
              })}
            </dd>
          </>
        ) : null}
        {def ? (
          <>
            <dt>{t('setting')}</dt>
            <dd>
              {def.kind}
              {def.limit !== null ? t('limit', { limit: def.limit, unit: def.unit }) : ''}
              {def.deadband ? t('deadband', { v: def.deadband }) : ''}
              {def.onDelayS ? t('onDelay', { s: def.onDelayS }) : ''}
              {def.offDelayS ? t('offDelay', { s: def.offDelayS }) : ''}
              {def.latch ? t('latching') : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="rationalization" data-testid="alarm-rationalization">
        <h3>{t('cause')}</h3>
        <p>{def?.cause ? pickText(def.cause, lang) : <span className="muted">{t('notDocumented')}</span>}</p>
        <h3>{t('consequence')}</h3>
        <p>
          {def?.consequence ? pickText(def.consequence, lang) : <span className="muted">{t('notDocumented')}</span>}
        </p>
        <h3>{t('whatToDo')}</h3>
        <p className="rationalization-action">
          {def?.action ? pickText(def.action, lang) : <span className="muted">{t('notDocumented')}</span>}
        </p>
      </div>
    </aside>
  );
}
