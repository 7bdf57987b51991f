/**
 * Level 1 of the display hierarchy: every unit of the plant (a substation) as a tile — its
 * key figures against setpoint and normal band, an hour's sparkline of each, its alarm counts
 * per priority (colour, shape and number), its communication — and a verdict that is seen
 * from across the room: a tile whose figures leave their band or fall fast is framed and says
 * ABNORMAL with the reason, before any alarm has come. The tile's heading opens the unit.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { AlarmDto, OverviewFigureDto, OverviewTileDto, ScreenDto } from '../../preload/contract.js';
import { useNow, useStation, useStationSnapshot, useConnected } from '../app/station-context.js';
import { routeHash } from '../app/navigation.js';
import { useAlarmSnapshot } from '../alarms/alarm-context.js';
import { countAlarms, priorityNumber, isUnacked } from '../alarms/alarm-view.js';
import { PriorityMarker } from '../alarms/priority-marker.js';
import { LiveValue } from '../values/live-value.js';
import { Sparkline } from '../predictions/sparkline.js';
import { formatNumber, decimalsFor } from '../format/format-value.js';
import { pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { overviewText } from './overview-text.js';
import { TrendBatcher, type TrendRequest } from './trend-batch.js';
import {
  alarmsOfTile,
  FallWindow,
  tileVerdict,
  type DeviceState,
  type FigureInput,
  type FigureVerdict,
  type TileVerdict,
} from './tile-status.js';
import './overview.css';

export function PlantOverview({ screen }: { screen: ScreenDto }) {
  const t = useText(overviewText);
  const tiles = screen.tiles ?? [];
  return (
    <div className="plant-overview" data-testid="plant-overview" data-screen={screen.id} data-tiles={tiles.length}>
      <ul className="tile-grid" aria-label={t('tiles')}>
        {tiles.map((tile) => (
          <li key={tile.screen} className="tile-cell">
            <UnitTile tile={tile} />
          </li>
        ))}
      </ul>
    </div>
  );
}

const FIVE_MIN = 5 * 60_000;

/** The fall windows outlive the overview: back from another display, the last minutes are still there. */
const fallWindows = new WeakMap<object, Map<string, FallWindow>>();
function fallWindowsOf(station: object): Map<string, FallWindow> {
  let m = fallWindows.get(station);
  if (!m) fallWindows.set(station, (m = new Map()));
  return m;
}

/** One batcher per station: the overview's sparklines and fall windows ask for their history together. */
const batchers = new WeakMap<object, TrendBatcher>();
function useBatchedTrend(): TrendRequest {
  const station = useStation();
  let b = batchers.get(station);
  if (!b) batchers.set(station, (b = new TrendBatcher(station.transport)));
  return b.trend;
}

/** The figures' live values, setpoints and recent falls (the fall windows are seeded from history, then fed live). */
function useFigureInputs(figures: readonly OverviewFigureDto[]): FigureInput[] {
  const station = useStation();
  const connected = useConnected();
  const trend = useBatchedTrend();
  useNow(); // re-read once a second
  const windows = useRef(fallWindowsOf(station));
  const watched = figures.filter((f) => f.maxFallPer5Min !== undefined).map((f) => f.tag);
  const watchedKey = watched.join('|');
  // The figures are read once a second, not on each change: they are still shown here, so the station must push them.
  const shownKey = figures.flatMap((f) => (f.setpointTag ? [f.tag, f.setpointTag] : [f.tag])).join('|');
  useEffect(() => {
    const offs =
      shownKey === '' ? [] : shownKey.split('|').map((tag) => station.values.subscribe(tag, () => undefined));
    return () => offs.forEach((off) => off());
  }, [station, shownKey]);

  useEffect(() => {
    if (!connected || watchedKey === '') return;
    let live = true;
    const to = Date.now();
    for (const tag of watchedKey.split('|')) {
      // Seed only a window that has nothing yet (the first visit): a kept one already holds the live samples.
      if ((windows.current.get(tag)?.fall() ?? null) !== null) continue;
      void trend({ tag, from: to - FIVE_MIN, to, buckets: 30 }).then((reply) => {
        if (!live || !reply.ok || reply.value.t.length === 0) return;
        const w = new FallWindow(FIVE_MIN);
        reply.value.t.forEach((at, i) =>
          w.push(at, (reply.value.q[i] ?? 0) > 0 ? (reply.value.last[i] ?? null) : null),
        );
        const current = station.values.get(tag);
        if (current && current.q === 'Good' && typeof current.v === 'number') w.push(current.ts, current.v);
        windows.current.set(tag, w);
      });
    }
    return () => {
      live = false;
    };
  }, [station, connected, watchedKey, trend]);

  const good = (tag: string | undefined): { v: number; ts: number } | null => {
    if (!tag) return null;
    const s = station.values.get(tag);
    return s && s.q === 'Good' && typeof s.v === 'number' && connected ? { v: s.v, ts: s.ts } : null;
  };
  return figures.map((figure) => {
    const value = good(figure.tag);
    let fall: number | null = null;
    if (figure.maxFallPer5Min !== undefined) {
      let w = windows.current.get(figure.tag);
      if (!w) windows.current.set(figure.tag, (w = new FallWindow(FIVE_MIN)));
      if (value) w.push(value.ts, value.v);
      fall = w.fall();
    }
    return { figure, value: value?.v ?? null, setpoint: good(figure.setpointTag)?.v ?? null, fall5Min: fall };
  });
}

function UnitTile({ tile }: { tile: OverviewTileDto }) {
  const t = useText(overviewText);
  const lang = useLang();
  const { devices, tagsByName } = useStationSnapshot();
  const alarmSnapshot = useAlarmSnapshot();
  const inputs = useFigureInputs(tile.figures);
  const alarms = useMemo(() => alarmsOfTile(alarmSnapshot?.alarms ?? [], tile), [alarmSnapshot, tile]);
  const counts = useMemo(() => countAlarms(alarms), [alarms]);
  const deviceStates = tile.devices.map((name) => ({
    name,
    state: devices.find((d) => d.device === name)?.state as DeviceState | undefined,
  }));
  const verdict = tileVerdict(inputs, counts, deviceStates);
  const name = pickText(tile.title, lang);
  const headingId = `tile-${tile.screen}`;
  const unitOf = (tag: string) => tagsByName.get(tag)?.unit ?? '';
  const fmt = (tag: string, v: number) => formatNumber(v, decimalsFor(tagsByName.get(tag), v));

  const reasons: string[] = [];
  inputs.forEach((input, i) => {
    const v = verdict.figures[i]!;
    const f = input.figure;
    const label = pickText(f.label, lang);
    const unit = unitOf(f.tag);
    if (v.zone === 'low' && f.normal && input.value !== null)
      reasons.push(t('reasonLow', { label, value: fmt(f.tag, input.value), limit: fmt(f.tag, f.normal[0]), unit }));
    if (v.zone === 'high' && f.normal && input.value !== null)
      reasons.push(t('reasonHigh', { label, value: fmt(f.tag, input.value), limit: fmt(f.tag, f.normal[1]), unit }));
    if (v.zone === 'deviation' && v.deviation !== null)
      reasons.push(
        t('reasonDeviation', {
          label,
          deviation: `${v.deviation > 0 ? '+' : '−'}${fmt(f.tag, Math.abs(v.deviation))}`,
          unit,
        }),
      );
    if (v.fallingFast && input.fall5Min !== null)
      reasons.push(t('reasonFalling', { label, fall: fmt(f.tag, input.fall5Min), unit }));
  });

  return (
    <article
      className={`unit-tile tile-${verdict.state}${verdict.abnormal ? ' tile-is-abnormal' : ''}${verdict.commLost ? ' tile-is-comm' : ''}${verdict.worstPriority ? ` tile-prio-${verdict.worstPriority}` : ''}`}
      aria-labelledby={headingId}
      data-testid="overview-tile"
      data-area={tile.area ?? ''}
      data-screen-ref={tile.screen}
      data-state={verdict.state}
      data-abnormal={verdict.abnormal ? 'true' : 'false'}
      data-comm={verdict.commLost ? 'lost' : 'ok'}
    >
      <header className="tile-head">
        <h2 className="tile-title" id={headingId}>
          <a href={routeHash({ kind: 'screen', id: tile.screen })} data-testid="tile-link" title={t('open', { name })}>
            {name}
          </a>
        </h2>
        <TileStateBadge verdict={verdict} />
      </header>
      <AlarmCounts alarms={alarms} />
      <table className="tile-figures">
        <tbody>
          {inputs.map((input, i) => (
            <FigureRow
              key={input.figure.tag}
              input={input}
              verdict={verdict.figures[i]!}
              fmt={fmt}
              unit={unitOf(input.figure.tag)}
            />
          ))}
        </tbody>
      </table>
      {reasons.length > 0 ? (
        <ul className="tile-reasons">
          {reasons.map((r) => (
            <li key={r} data-testid="tile-reason">
              {r}
            </li>
          ))}
        </ul>
      ) : null}
      <p
        className={verdict.commLost ? 'tile-comm tile-comm-lost' : 'tile-comm'}
        data-testid="tile-comm"
        data-offline={verdict.offline.join(',')}
      >
        {verdict.commLost ? (
          <>
            <span className="tile-comm-icon" aria-hidden="true">
              ⚡
            </span>
            {t('commLost', { names: verdict.offline.join(', ') })}
          </>
        ) : (
          t('commOk')
        )}
      </p>
    </article>
  );
}

/** The tile's verdict in words and shape; colour only when it is not normal. */
function TileStateBadge({ verdict }: { verdict: TileVerdict }) {
  const t = useText(overviewText);
  const words = {
    normal: t('stateNormal'),
    abnormal: t('stateAbnormal'),
    alarm: t('stateAlarm'),
    comm: t('stateComm'),
  }[verdict.state];
  return (
    <span className={`tile-badge tile-badge-${verdict.state}`} data-testid="tile-state" data-state={verdict.state}>
      {verdict.state === 'alarm' && verdict.worstPriority ? (
        <PriorityMarker priority={verdict.worstPriority} size={16} />
      ) : null}
      {verdict.state === 'abnormal' ? (
        <svg className="tile-badge-shape" width={16} height={16} viewBox="0 0 20 20" aria-hidden="true">
          <polygon points="10,0.5 19.5,10 10,19.5 0.5,10" />
          <text x={10} y={14.5} textAnchor="middle">
            !
          </text>
        </svg>
      ) : null}
      {words}
    </span>
  );
}

function AlarmCounts({ alarms }: { alarms: readonly AlarmDto[] }) {
  const t = useText(overviewText);
  const counts = countAlarms(alarms);
  if (counts.total === 0) {
    return (
      <p className="tile-alarms tile-alarms-none" data-testid="tile-alarms" data-total={0}>
        {t('noAlarms')}
      </p>
    );
  }
  return (
    <p className="tile-alarms" data-testid="tile-alarms" data-total={counts.total}>
      {counts.byPriority
        .filter((p) => p.total > 0)
        .map((p) => (
          <span
            key={p.priority}
            className="tile-alarm-count"
            data-testid={`tile-alarm-count-${p.priority}`}
            data-total={p.total}
            data-unacked={p.unacked}
            title={t('alarmCount', { count: p.total, priority: priorityNumber(p.priority), unacked: p.unacked })}
          >
            <PriorityMarker
              priority={p.priority}
              blink={alarms.some((a) => a.priority === p.priority && isUnacked(a))}
            />
            <span className="tile-alarm-number">{p.total}</span>
          </span>
        ))}
    </p>
  );
}

function FigureRow({
  input,
  verdict,
  fmt,
  unit,
}: {
  input: FigureInput;
  verdict: FigureVerdict;
  fmt: (tag: string, v: number) => string;
  unit: string;
}) {
  const t = useText(overviewText);
  const lang = useLang();
  const trend = useBatchedTrend();
  const f = input.figure;
  const out = verdict.zone === 'low' || verdict.zone === 'high' || verdict.zone === 'deviation';
  const cue =
    verdict.zone === 'low'
      ? `▼ ${t('low')}`
      : verdict.zone === 'high'
        ? `▲ ${t('high')}`
        : verdict.zone === 'deviation'
          ? `◆ ${t('deviation')}`
          : null;
  return (
    <tr
      className={`tile-figure${out ? ' tile-figure-out' : ''}${verdict.fallingFast ? ' tile-figure-falling' : ''}`}
      data-testid="tile-figure"
      data-tag={f.tag}
      data-zone={verdict.zone}
      data-falling={verdict.fallingFast ? 'true' : 'false'}
    >
      <th scope="row" className="tile-figure-label">
        {pickText(f.label, lang)}
        <span className="tile-figure-ref">
          {f.setpointTag
            ? t('setpoint', { value: input.setpoint !== null ? `${fmt(f.setpointTag, input.setpoint)} ${unit}` : '—' })
            : f.normal
              ? t('normalBand', { low: fmt(f.tag, f.normal[0]), high: fmt(f.tag, f.normal[1]) })
              : null}
        </span>
      </th>
      <td className="tile-figure-value">
        <LiveValue tag={f.tag} compact />
      </td>
      <td className="tile-figure-spark">
        <Sparkline tag={f.tag} hours={1} width={110} height={26} trend={trend} />
      </td>
      <td className="tile-figure-cue">
        {cue ? <span className="tile-cue">{cue}</span> : null}
        {verdict.fallingFast ? <span className="tile-cue tile-cue-falling">⇊ {t('falling')}</span> : null}
      </td>
    </tr>
  );
}
