/**
 * The pump faceplate's own part: the pump's condition in one word (running, standby ready,
 * tripped, off), the trip cause after a trip, and its commands — auto (the plant starts the
 * duty pump itself) or off, reset after a trip, duty selection, the common speed setpoint.
 */
import { useEffect, useState } from 'react';
import type { AlarmDto } from '../../preload/contract.js';
import { useStation, useTagInfo, useTagValue } from '../app/station-context.js';
import { formatValue } from '../format/format-value.js';
import { pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { LiveValue } from '../values/live-value.js';
import type { EquipmentFaceplateSpec } from './equipment.js';
import { CommandButton } from './faceplate-parts.js';
import { faceplateText, type FaceplateTextKey } from './faceplates-text.js';
import { pumpCondition, tripCauses, type PumpCondition, type TripCause, type TripSignal } from './trip-cause.js';

const LOOK_BACK_MS = 15 * 60_000;

const conditionWord: Readonly<Record<PumpCondition, FaceplateTextKey>> = {
  running: 'condRunning',
  ready: 'condReady',
  tripped: 'condTripped',
  off: 'condOff',
  unknown: 'condUnknown',
};

const signalWord: Readonly<Record<TripSignal, FaceplateTextKey>> = {
  vibration: 'causeVibration',
  'motor-temperature': 'causeMotor',
  'bearing-temperature': 'causeBearing',
};

interface Evidence {
  readonly peaks: Readonly<Record<string, number | null>>;
  readonly limits: Readonly<Record<string, number>>;
}

/** Highest readings of the last 15 min (the historian) and the highest "high" alarm limit per signal. */
function useTripEvidence(tags: readonly string[], tripped: boolean): Evidence | null {
  const station = useStation();
  const [evidence, setEvidence] = useState<Evidence | null>(null);
  const key = tags.join('|');
  useEffect(() => {
    if (!tripped || tags.length === 0) return;
    let live = true;
    void (async () => {
      const to = Date.now();
      const from = to - LOOK_BACK_MS;
      const [defs, ...trends] = await Promise.all([
        station.transport.request('alarms.definitions', {}),
        ...tags.map((tag) => station.transport.request('history.trend', { tag, from, to, buckets: 90 })),
      ]);
      if (!live) return;
      const peaks: Record<string, number | null> = {};
      trends.forEach((r, i) => {
        if (!r.ok) return;
        const good = r.value.max.filter((_, j) => (r.value.q[j] ?? 0) > 0);
        peaks[tags[i]!] = good.length > 0 ? Math.max(...good) : null;
      });
      const limits: Record<string, number> = {};
      if (defs.ok) {
        for (const d of defs.value) {
          if (d.tag === null || !tags.includes(d.tag) || d.limit === null || !/^high/.test(d.kind)) continue;
          limits[d.tag] = Math.max(limits[d.tag] ?? -Infinity, d.limit);
        }
      }
      setEvidence({ peaks, limits });
    })();
    return () => {
      live = false;
    };
    // `key` stands for `tags`.
  }, [station, tripped, key]);
  return tripped ? evidence : null;
}

function CauseLine({ cause }: { cause: TripCause }) {
  const t = useText(faceplateText);
  const lang = useLang();
  const info = useTagInfo(cause.kind === 'signal' ? cause.tag : '');
  if (cause.kind === 'unknown') {
    return (
      <li data-testid="fp-trip-cause-item" data-kind="unknown">
        {t('causeUnknown')}
      </li>
    );
  }
  if (cause.kind === 'alarm') {
    return (
      <li data-testid="fp-trip-cause-item" data-kind="alarm" data-alarm-id={cause.alarmId}>
        {pickText(cause.message, lang)} <span className="muted">({t('causeAlarm', { id: cause.alarmId })})</span>
      </li>
    );
  }
  const fmt = (v: number) => formatValue(v, info).text;
  const details = [
    cause.peak !== null ? t('causePeak', { peak: fmt(cause.peak) }) : null,
    cause.limit !== null ? t('causeLimit', { limit: fmt(cause.limit) }) : null,
    cause.alarmId ? t('causeAlarm', { id: cause.alarmId }) : null,
  ].filter(Boolean);
  return (
    <li data-testid="fp-trip-cause-item" data-kind="signal" data-signal={cause.signal} data-tag={cause.tag}>
      <strong>{t(signalWord[cause.signal])}</strong>
      {details.length > 0 ? <span>: {details.join(', ')}</span> : null}
    </li>
  );
}

function TripCauseBox({ spec, alarms }: { spec: EquipmentFaceplateSpec; alarms: readonly AlarmDto[] }) {
  const t = useText(faceplateText);
  const tags = spec.tags;
  const signals: Partial<Record<TripSignal, string>> = {
    ...(tags.vib ? { vibration: tags.vib } : {}),
    ...(tags.tMotor ? { 'motor-temperature': tags.tMotor } : {}),
    ...(tags.tBearing ? { 'bearing-temperature': tags.tBearing } : {}),
  };
  const evidence = useTripEvidence(Object.values(signals), true);
  const causes = tripCauses({
    tripped: true,
    signals,
    signalAlarmTags: tags.vibAlarm ? { vibration: tags.vibAlarm } : {},
    peaks: evidence?.peaks ?? {},
    limits: evidence?.limits ?? {},
    alarms,
    ...(tags.fault ? { faultTag: tags.fault } : {}),
  });
  return (
    <section
      className="fp-trip"
      aria-label={t('tripCause')}
      data-testid="fp-trip-cause"
      data-loaded={evidence ? 'true' : 'false'}
    >
      <h3 className="fp-heading">{t('tripCause')}</h3>
      <ul>
        {causes.map((c, i) => (
          <CauseLine key={i} cause={c} />
        ))}
      </ul>
    </section>
  );
}

export function PumpBody({ spec, alarms }: { spec: EquipmentFaceplateSpec; alarms: readonly AlarmDto[] }) {
  const t = useText(faceplateText);
  const tags = spec.tags;
  const run = useTagValue(tags.run ?? '')?.v;
  const fault = useTagValue(tags.fault ?? '')?.v;
  const ready = useTagValue(tags.ready ?? '')?.v;
  const auto = useTagValue(tags.auto ?? '')?.v;
  const duty = useTagValue(tags.dutySel ?? '')?.v;
  const condition = pumpCondition({ run, fault, ready, auto });
  const number = Number(/(\d+)$/.exec(spec.equipment)?.[1] ?? NaN);
  const isDuty = typeof duty === 'number' && duty === number;
  return (
    <section className="fp-pump" aria-label={t('kindPump')}>
      <p className={`fp-condition fp-condition-${condition}`} data-testid="fp-condition" data-condition={condition}>
        <span className="fp-label">{t('condition')}</span>{' '}
        <strong className="fp-condition-word">{t(conditionWord[condition])}</strong>
      </p>
      {condition === 'tripped' ? <TripCauseBox spec={spec} alarms={alarms} /> : null}
      <div className="fp-command-grid">
        {tags.auto ? (
          <>
            <span className="fp-label">{t('mode')}</span>
            <LiveValue tag={tags.auto} compact />
            <span className="fp-buttons">
              {auto === true ? (
                <CommandButton tag={tags.auto} fixed={false} label={t('autoOff')} testId="fp-cmd-off" />
              ) : (
                <CommandButton tag={tags.auto} fixed={true} label={t('autoOn')} testId="fp-cmd-auto" />
              )}
            </span>
          </>
        ) : null}
        {tags.reset && condition === 'tripped' ? (
          <>
            <span className="fp-label">{t('condTripped')}</span>
            <span className="muted">{t('resetNote')}</span>
            <span className="fp-buttons">
              <CommandButton tag={tags.reset} fixed={true} label={t('reset')} testId="fp-cmd-reset" />
            </span>
          </>
        ) : null}
        {tags.dutySel && Number.isFinite(number) ? (
          <>
            <span className="fp-label">{t('duty')}</span>
            <span data-testid="fp-duty" data-duty={isDuty ? 'this' : 'other'}>
              {isDuty ? (
                t('dutyThis')
              ) : typeof duty === 'number' ? (
                t('dutyOther', { n: duty })
              ) : (
                <LiveValue tag={tags.dutySel} compact />
              )}
            </span>
            <span className="fp-buttons">
              {isDuty ? null : (
                <CommandButton tag={tags.dutySel} fixed={number} label={t('makeDuty')} testId="fp-cmd-duty" />
              )}
            </span>
          </>
        ) : null}
        {tags.speedSp ? (
          <>
            <span className="fp-label">{t('speedSp').replace('…', '')}</span>
            <LiveValue tag={tags.speedSp} compact />
            <span className="fp-buttons">
              <CommandButton tag={tags.speedSp} label={t('speedSp')} testId="fp-cmd-speed" />
            </span>
          </>
        ) : null}
      </div>
      <p className="muted fp-note">{t('startStopNote')}</p>
    </section>
  );
}
