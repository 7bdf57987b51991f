/**
 * The alarm summary (`#/alarms`): every alarm on the station's list in a virtualized grid
 * (10,000 rows stay smooth: only the rows in view exist), sorted and filtered by
 * priority, area, state and text. Select an alarm to see its rationalization; acknowledge
 * the selected one or the unacknowledged rows in view (never "everything"); shelve,
 * comment, take out of service; jump to the screen that shows the equipment. Controls
 * appear only with their permission (a viewer has none).
 */
import { memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
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
  priorityLabel,
  priorityNumber,
  screenForAlarm,
  sortAlarms,
  stateDescription,
  stateFilterLabel,
  stateText,
  type AlarmFilter,
  type AlarmSortKey,
  type StateFilter,
} from './alarm-view.js';
import { ALARM_KEYS } from './horn.js';
import { PriorityMarker } from './priority-marker.js';
import { PredictiveMarker } from '../predictions/predictive-marker.js';
import { AlarmTabs } from './alarm-tabs.js';
import { CommentDialog, OutOfServiceDialog, ShelveDialog } from './alarm-dialogs.js';

export const ROW_HEIGHT = 28;

const columns: { key: AlarmSortKey | null; label: string; className: string }[] = [
  { key: 'priority', label: 'Priority', className: 'col-prio' },
  { key: 'time', label: 'Time', className: 'col-time' },
  { key: 'state', label: 'State', className: 'col-state' },
  { key: 'tag', label: 'Tag / source', className: 'col-tag' },
  { key: 'message', label: 'Message', className: 'col-message' },
  { key: null, label: 'Value', className: 'col-value' },
  { key: 'area', label: 'Area', className: 'col-area' },
];

const AlarmRow = memo(function AlarmRow({ alarm, selected, top, onSelect }: { alarm: AlarmDto; selected: boolean; top: number; onSelect: (id: string) => void }) {
  const unacked = isUnacked(alarm);
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
        <span className="prio-word">{priorityLabel[alarm.priority]}</span>
      </span>
      <span role="gridcell" className="col-time mono">
        {formatDateTime(alarmTime(alarm))}
      </span>
      <span role="gridcell" className="col-state">
        <span className={`alarm-state-text state-${alarm.state}`}>{stateText[alarm.state]}</span>
      </span>
      <span role="gridcell" className="col-tag" title={alarm.id}>
        {alarm.tag ?? alarm.device ?? alarm.id}
      </span>
      <span role="gridcell" className="col-message" title={alarm.message.zh ? `${alarm.message.en}\n${alarm.message.zh}` : alarm.message.en}>
        <PredictiveMarker alarm={alarm} /> {alarm.message.en}
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

function AckPageButton({ rows, range, acknowledge }: { rows: readonly AlarmDto[]; range: ViewRange; acknowledge: (ids: readonly string[]) => Promise<void> }) {
  useSyncExternalStore(range.subscribe, range.get);
  const ids = pageAcknowledgeIds(rows.slice(range.first, Math.max(range.first, range.end)));
  return (
    <button type="button" data-testid="alarm-ack-page" disabled={ids.length === 0} onClick={() => void acknowledge(ids)} title="Acknowledge the unacknowledged alarms in view (not those scrolled out of sight)">
      Acknowledge page ({ids.length} in view)
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
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const offset = virtualizer.scrollOffset ?? 0;
  const viewHeight = virtualizer.scrollRect?.height ?? 0;
  const first = Math.ceil(offset / ROW_HEIGHT);
  const end = Math.min(rows.length, Math.floor((offset + viewHeight) / ROW_HEIGHT));
  useLayoutEffect(() => range.set(first, end), [range, first, end]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const index = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
    const row = rows[next];
    if (!row) return;
    onSelect(row.id);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="alarm-grid" role="grid" aria-label="Alarms" aria-rowcount={rows.length} data-testid="alarm-grid">
      <div className="alarm-row alarm-head" role="row">
        {columns.map((col) => (
          <span key={col.label} role="columnheader" className={col.className} aria-sort={col.key && sort.key === col.key ? (sort.descending ? 'descending' : 'ascending') : undefined}>
            {col.key ? (
              <button type="button" className="sort-button" data-testid={`alarm-sort-${col.key}`} onClick={() => setSort((s) => ({ key: col.key!, descending: s.key === col.key ? !s.descending : col.key === 'time' }))}>
                {col.label}
                {sort.key === col.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </button>
            ) : (
              col.label
            )}
          </span>
        ))}
      </div>
      <div className="alarm-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKey} data-testid="alarm-scroll" aria-label="Alarm list: arrow keys select">
        <div className="alarm-scroll-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const alarm = rows[item.index]!;
            return <AlarmRow key={alarm.id} alarm={alarm} top={item.start} selected={alarm.id === selectedId} onSelect={onSelect} />;
          })}
        </div>
        {rows.length === 0 ? <p className="muted alarm-empty">{loaded ? 'No alarm matches.' : 'Loading alarms…'}</p> : null}
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

  const all = snapshot?.alarms ?? [];
  const rows = useMemo(() => {
    const shown = filterAlarms(all, { ...filter, text: deferredText });
    return sortAlarms(shown, sort.key, sort.descending);
  }, [all, filter, deferredText, sort]);
  const areas = useMemo(() => [...new Set(all.map((a) => a.area).filter((a): a is string => a !== null))].sort(), [all]);

  const selectedId = c?.store.selectedId ?? null;
  const selected = selectedId ? c?.store.get(selectedId) : undefined;

  const select = useCallback((id: string) => c?.store.select(id), [c]);

  const mayAck = mayAlarm(auth, 'alarm.acknowledge');
  const mayComment = mayAlarm(auth, 'alarm.comment');
  const mayShelve = mayAlarm(auth, 'alarm.shelve');
  const mayOos = mayAlarm(auth, 'alarm.outOfService');

  const run = async (label: string, request: () => Promise<{ ok: true } | { ok: false; error: { code: string; message: string } }>) => {
    const reply = await request();
    c?.say(reply.ok ? { kind: 'ok', text: label } : { kind: 'refused', text: `${label.split(':')[0]} refused (${reply.error.code}): ${reply.error.message}` });
    return reply.ok;
  };

  const jumpTo = (a: AlarmDto) => {
    const screen = screenForAlarm(a, screens);
    if (!screen) return c?.say({ kind: 'refused', text: `No screen shows ${a.tag ?? a.id}.` });
    window.location.hash = screen === 'devices' ? '#/devices' : `#/screen/${screen}`;
  };

  if (!c || !snapshot) return null;

  return (
    <section className="panel alarms-panel" aria-labelledby="alarms-title" data-testid="alarm-summary">
      <AlarmTabs current="summary" />
      <div className="panel-head">
        <h1 id="alarms-title" className="panel-title">
          Alarm summary
        </h1>
        <span className="muted" aria-live="polite" data-testid="alarm-summary-count" data-shown={rows.length} data-total={all.length}>
          {snapshot.loaded ? `${rows.length.toLocaleString('en')} shown of ${all.length.toLocaleString('en')} on the station's list` : 'Loading…'}
        </span>
        {c.sync.lastError ? <span className="alarm-notice alarm-notice-refused">✕ {c.sync.lastError}</span> : null}
      </div>
      <form className="alarm-filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter alarms">
        <fieldset className="alarm-prio-filter">
          <legend>Priority</legend>
          {priorities.map((p) => (
            <label key={p} title={priorityLabel[p]}>
              <input
                type="checkbox"
                checked={filter.priorities.includes(p)}
                data-testid={`alarm-filter-prio-${p}`}
                onChange={(e) => setFilter((f) => ({ ...f, priorities: e.target.checked ? [...f.priorities, p] : f.priorities.filter((x): x is AlarmPriorityDto => x !== p) }))}
              />
              <PriorityMarker priority={p} size={16} />
              {priorityLabel[p]}
            </label>
          ))}
        </fieldset>
        <label>
          <span>Area</span>
          <select value={filter.area} onChange={(e) => setFilter((f) => ({ ...f, area: e.target.value }))} data-testid="alarm-filter-area">
            <option value="">all areas</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>State</span>
          <select value={filter.state} onChange={(e) => setFilter((f) => ({ ...f, state: e.target.value as StateFilter }))} data-testid="alarm-filter-state">
            {(Object.keys(stateFilterLabel) as StateFilter[]).map((s) => (
              <option key={s} value={s}>
                {stateFilterLabel[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Text</span>
          <input value={filter.text} onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))} placeholder="tag, message, equipment…" data-testid="alarm-filter-text" />
        </label>
        <button type="button" onClick={() => setFilter(defaultAlarmFilter)}>
          Clear filters
        </button>
      </form>
      <div className="alarm-actions" role="toolbar" aria-label="Alarm commands">
        {mayAck ? (
          <>
            <button type="button" data-testid="alarm-ack" disabled={!selected || !isUnacked(selected)} onClick={() => selected && void c.acknowledge([selected.id])} aria-keyshortcuts={ALARM_KEYS.acknowledge}>
              Acknowledge selected <kbd>{ALARM_KEYS.acknowledge}</kbd>
            </button>
            <AckPageButton rows={rows} range={range} acknowledge={c.acknowledge} />
          </>
        ) : null}
        {mayComment ? (
          <button type="button" data-testid="alarm-comment" disabled={!selected} onClick={() => selected && setDialog({ kind: 'comment', alarm: selected })}>
            Comment…
          </button>
        ) : null}
        {mayShelve ? (
          selected?.state === 'shelved' ? (
            <button type="button" data-testid="alarm-unshelve" onClick={() => void run(`Unshelved ${selected.id}`, () => station.transport.request('alarms.unshelve', { id: selected.id }))}>
              Unshelve
            </button>
          ) : (
            <button type="button" data-testid="alarm-shelve" disabled={!selected || selected.state === 'out-of-service'} onClick={() => selected && setDialog({ kind: 'shelve', alarm: selected })}>
              Shelve…
            </button>
          )
        ) : null}
        {mayOos ? (
          selected?.state === 'out-of-service' ? (
            <button type="button" data-testid="alarm-return-to-service" onClick={() => void run(`Returned ${selected.id} to service`, () => station.transport.request('alarms.setOutOfService', { id: selected.id, outOfService: false }))}>
              Return to service
            </button>
          ) : (
            <button type="button" data-testid="alarm-out-of-service" disabled={!selected} onClick={() => selected && setDialog({ kind: 'oos', alarm: selected })}>
              Out of service…
            </button>
          )
        ) : null}
        <button type="button" data-testid="alarm-goto-screen" disabled={!selected} onClick={() => selected && jumpTo(selected)}>
          Go to screen
        </button>
      </div>
      <div className="alarm-body">
        <AlarmGrid rows={rows} selectedId={selectedId} onSelect={select} sort={sort} setSort={setSort} range={range} loaded={snapshot.loaded} />
        <AlarmDetails alarm={selected} />
      </div>
      {dialog?.kind === 'shelve' ? <ShelveDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} /> : null}
      {dialog?.kind === 'comment' ? <CommentDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} /> : null}
      {dialog?.kind === 'oos' ? <OutOfServiceDialog alarm={dialog.alarm} onClose={() => setDialog(null)} run={run} /> : null}
    </section>
  );
}

/** A response rule (acknowledge by, resolve by), as the station computed its deadline. */
function Rule({ label, dueAt, now, done }: { label: string; dueAt: number | null | undefined; now: number; done: boolean }) {
  if (done) return <span>{label} done</span>;
  if (dueAt === null || dueAt === undefined) return <span>{label} —</span>;
  const late = now > dueAt;
  return (
    <span className={late ? 'rule-late' : ''} data-overdue={late}>
      {label} by {formatClock(dueAt)} {late ? `— OVERDUE by ${formatAge(now - dueAt)}` : `(in ${formatAge(dueAt - now)})`}
    </span>
  );
}

function AlarmDetails({ alarm }: { alarm: AlarmDto | undefined }) {
  const c = useAlarmConsole();
  const now = useNow();
  if (!alarm || !c) {
    return (
      <aside className="alarm-details muted" aria-label="Selected alarm" data-testid="alarm-details">
        Select an alarm to see its cause, consequence and what to do.
      </aside>
    );
  }
  const def = c.store.definition(alarm.id);
  const stationNow = now + (c.store.getSnapshot().clockOffsetMs ?? 0);
  const since = alarm.activeSince;
  return (
    <aside className="alarm-details" aria-label="Selected alarm" data-testid="alarm-details" data-alarm-id={alarm.id}>
      <h2 className="alarm-details-title">
        <PriorityMarker priority={alarm.priority} blink={isUnacked(alarm)} />
        <span>
          {priorityLabel[alarm.priority]} ({priorityNumber(alarm.priority)}) · <span className={`alarm-state-text state-${alarm.state}`}>{stateText[alarm.state]}</span>
        </span>
      </h2>
      <p className="alarm-details-message">
        {alarm.message.en}
        {alarm.message.zh ? <span className="zh"> / {alarm.message.zh}</span> : null}
      </p>
      <dl className="alarm-facts">
        <dt>Alarm</dt>
        <dd className="mono">{alarm.id}</dd>
        <dt>State</dt>
        <dd>{stateDescription[alarm.state]}{alarm.latched ? ' (latched: the condition has cleared)' : ''}</dd>
        <dt>Value</dt>
        <dd className="mono">{formatAlarmValue(alarm)}</dd>
        <dt>Where</dt>
        <dd>{[alarm.area, alarm.equipment, alarm.tag ?? alarm.device].filter(Boolean).join(' · ') || '—'}</dd>
        {since !== null ? (
          <>
            <dt>Active since</dt>
            <dd className="mono">{formatDateTime(since)}</dd>
            <dt>Response</dt>
            <dd className="alarm-rules">
              <Rule label="Acknowledge" dueAt={alarm.ackDueAt} now={stationNow} done={!isUnacked(alarm)} />
              <Rule label="Resolve" dueAt={alarm.resolveDueAt} now={stationNow} done={!alarm.active} />
            </dd>
          </>
        ) : null}
        {alarm.ackedBy ? (
          <>
            <dt>Acknowledged</dt>
            <dd>
              {alarm.ackedBy} at {alarm.ackedAt ? formatDateTime(alarm.ackedAt) : '—'}
            </dd>
          </>
        ) : null}
        {alarm.shelved ? (
          <>
            <dt>Shelved</dt>
            <dd>
              by {alarm.shelved.by}: “{alarm.shelved.reason}” — {alarm.shelved.mode === 'one-shot' ? 'until it returns to normal' : `until ${formatDateTime(alarm.shelved.until ?? 0)}`}
            </dd>
          </>
        ) : null}
        {alarm.outOfService ? (
          <>
            <dt>Out of service</dt>
            <dd>
              by {alarm.outOfService.by} at {formatDateTime(alarm.outOfService.at)}: “{alarm.outOfService.reason}”
            </dd>
          </>
        ) : null}
        {def ? (
          <>
            <dt>Setting</dt>
            <dd>
              {def.kind}
              {def.limit !== null ? `, limit ${def.limit} ${def.unit}` : ''}
              {def.deadband ? `, deadband ${def.deadband}` : ''}
              {def.onDelayS ? `, on-delay ${def.onDelayS} s` : ''}
              {def.offDelayS ? `, off-delay ${def.offDelayS} s` : ''}
              {def.latch ? ', latching' : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="rationalization" data-testid="alarm-rationalization">
        <h3>Cause</h3>
        <p>{def?.cause ? def.cause.en : <span className="muted">not documented</span>}</p>
        <h3>Consequence</h3>
        <p>{def?.consequence ? def.consequence.en : <span className="muted">not documented</span>}</p>
        <h3>What to do</h3>
        <p className="rationalization-action">{def?.action ? def.action.en : <span className="muted">not documented</span>}</p>
      </div>
    </aside>
  );
}
