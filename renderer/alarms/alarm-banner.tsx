/**
 * The alarm banner under the header, on every screen: counts per priority, the newest
 * most urgent alarms (unacknowledged ones blink AND say UNACK), the horn's state, and the
 * two keys: acknowledge the selected alarm, silence the horn. Users who may not
 * acknowledge (viewers) get neither button.
 */
import { memo, useMemo } from 'react';
import type { AlarmDto } from '../../preload/contract.js';
import { useNow, useStationSnapshot } from '../app/station-context.js';
import { formatClock } from '../format/format-value.js';
import { hornViewOf, mayAlarm, useAlarmConsole, useAlarmSnapshot, useAudioPhase } from './alarm-context.js';
import { alarmTime, bannerAlarms, countAlarms, formatAlarmValue, isUnacked } from './alarm-view.js';
import { ALARM_KEYS } from './horn.js';
import { PriorityMarker } from './priority-marker.js';
import { PredictiveMarker } from '../predictions/predictive-marker.js';
import { pickText } from '../i18n/i18n.js';
import { useLang } from '../i18n/language.js';
import { useAlarmWords } from './priority-marker.js';

const BANNER_LINES = 3;

const BannerLine = memo(function BannerLine({
  alarm,
  selected,
  onSelect,
}: {
  alarm: AlarmDto;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const unacked = isUnacked(alarm);
  const w = useAlarmWords();
  const lang = useLang();
  return (
    <li
      className={`banner-alarm prio-row-${alarm.priority}${unacked ? ' alarm-unacked' : ''}${selected ? ' alarm-selected' : ''}`}
      data-testid="banner-alarm"
      data-alarm-id={alarm.id}
      data-tag={alarm.tag ?? undefined}
      data-state={alarm.state}
      data-priority={alarm.priority}
      aria-selected={selected}
      role="option"
      tabIndex={-1}
      onClick={() => onSelect(alarm.id)}
      title={`${w.priority(alarm.priority)} — ${alarm.id}`}
    >
      <PriorityMarker priority={alarm.priority} blink={unacked} />
      <span className="alarm-time mono">{formatClock(alarmTime(alarm))}</span>
      <span className={`alarm-state-text state-${alarm.state}`}>{w.state(alarm.state)}</span>
      <span className="alarm-tag">{alarm.tag ?? alarm.device ?? alarm.id}</span>
      <span className="alarm-message">
        <PredictiveMarker alarm={alarm} /> {pickText(alarm.message, lang)}
      </span>
      <span className="alarm-value mono" title={formatAlarmValue(alarm)}>
        {formatAlarmValue(alarm, false)}
      </span>
    </li>
  );
});

export function AlarmBanner() {
  const c = useAlarmConsole();
  const snapshot = useAlarmSnapshot();
  const { auth } = useStationSnapshot();
  const audio = useAudioPhase(c?.player);
  useNow(); // the notice fades after a while
  const w = useAlarmWords();
  const t = w.t;
  // Once per list change, not on every second's tick: a flood's list is 10,000 alarms.
  const counts = useMemo(() => countAlarms(snapshot?.alarms ?? []), [snapshot]);
  const lines = useMemo(() => bannerAlarms(snapshot?.alarms ?? [], BANNER_LINES), [snapshot]);
  const horn = useMemo(() => hornViewOf(snapshot), [snapshot]);
  if (!c || !snapshot) return null;
  const selectedId = c.store.selectedId;
  const mayAck = mayAlarm(auth, 'alarm.acknowledge');
  const selected = selectedId ? c.store.get(selectedId) : undefined;
  const notice = c.notice && Date.now() - c.notice.at < 15_000 ? c.notice : null;
  const hornText =
    horn.state === 'on'
      ? t('hornOn', { n: horn.demand!.count })
      : horn.state === 'silenced'
        ? t('hornSilenced')
        : t('hornOff');
  return (
    <section className="alarm-banner" data-testid="alarm-banner" aria-label={t('alarms')} data-loaded={snapshot.loaded}>
      <div className="alarm-counts-box">
        <table className="alarm-counts" aria-label={t('perPriority')}>
          <thead>
            <tr>
              <th scope="col" className="alarm-counts-corner">
                {t('priority')}
              </th>
              {counts.byPriority.map((p) => (
                <th key={p.priority} scope="col" title={w.priority(p.priority)}>
                  <PriorityMarker priority={p.priority} blink={p.unacked > 0} size={16} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('onList')}</th>
              {counts.byPriority.map((p) => (
                <td
                  key={p.priority}
                  className={p.total === 0 ? 'alarm-count alarm-count-zero' : 'alarm-count'}
                  data-testid={`alarm-count-${p.priority}`}
                  data-total={p.total}
                  data-unacked={p.unacked}
                  title={t('countTitle', { label: w.priority(p.priority), total: p.total, unacked: p.unacked })}
                >
                  {p.total}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('unack')}</th>
              {counts.byPriority.map((p) => (
                <td
                  key={p.priority}
                  className={p.unacked === 0 ? 'alarm-count alarm-count-zero' : 'alarm-count alarm-count-unack'}
                >
                  {p.unacked}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <span className="alarm-count-hidden muted" title={t('hiddenTitle')}>
          {/* Each count whole on its line: a wrap falls between counts, never inside "0 out of service". */}
          <span>{t('hiddenShelved', { n: counts.shelved })}</span> ·{' '}
          <span>{t('hiddenSuppressed', { n: counts.suppressed })}</span> ·{' '}
          <span>{t('hiddenOutOfService', { n: counts.outOfService })}</span>
        </span>
      </div>
      <ul className="banner-list" role="listbox" aria-label={t('mostUrgent')}>
        {lines.map((a) => (
          <BannerLine key={a.id} alarm={a} selected={a.id === selectedId} onSelect={(id) => c.store.select(id)} />
        ))}
        {lines.length === 0 ? (
          <li className="banner-empty muted">{snapshot.loaded ? t('noAlarms') : t('loadingAlarms')}</li>
        ) : null}
      </ul>
      <div className="alarm-controls">
        <span
          className={`horn horn-${horn.state}`}
          data-testid="horn-state"
          data-horn={horn.state}
          data-audio={audio}
          data-horn-priority={horn.demand?.priority ?? ''}
          title={t('hornTitle')}
        >
          <svg className="horn-icon" viewBox="0 0 20 20" width={16} height={16} aria-hidden="true">
            <path d="M2,7 L6,7 L11,3 L11,17 L6,13 L2,13 Z" />
            {horn.state === 'on' ? (
              <path d="M13.5,6.5 Q16,10 13.5,13.5 M15.5,4.5 Q19.5,10 15.5,15.5" className="horn-waves" />
            ) : (
              <path d="M13,7 L18,13 M18,7 L13,13" className="horn-cross" />
            )}
          </svg>
          {hornText}
        </span>
        {horn.state === 'on' && audio === 'blocked' ? (
          <button
            type="button"
            className="sound-enable"
            data-testid="sound-enable"
            onClick={() => void c.player.resume()}
          >
            {t('enableSound')}
          </button>
        ) : null}
        {mayAck ? (
          <>
            <button
              type="button"
              data-testid="alarm-ack-selected"
              disabled={!selected || !isUnacked(selected)}
              onClick={() => selected && void c.acknowledge([selected.id])}
              aria-keyshortcuts={ALARM_KEYS.acknowledge}
              title={selected ? t('ackThis', { id: selected.id }) : t('selectFirst')}
            >
              {t('ackSelected')} <kbd>{ALARM_KEYS.acknowledge}</kbd>
            </button>
            <button
              type="button"
              data-testid="alarm-silence"
              onClick={() => void c.silence()}
              aria-keyshortcuts={ALARM_KEYS.silence}
              title={t('silenceTitle')}
            >
              {t('silenceHorn')} <kbd>{ALARM_KEYS.silence}</kbd>
            </button>
          </>
        ) : null}
        <a href="#/alarms" className="alarm-summary-link" data-testid="banner-summary-link">
          {t('summaryLink', { n: counts.total })}
        </a>
        {notice ? (
          <span className={`alarm-notice alarm-notice-${notice.kind}`} role="status" data-testid="alarm-notice">
            {notice.kind === 'refused' ? '✕ ' : '✓ '}
            {notice.text}
          </span>
        ) : null}
      </div>
    </section>
  );
}
