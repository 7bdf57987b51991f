/**
 * The plant outlook (`#/outlook`): what the station's models expect. Fault early warning
 * — each fault class with its probability (number and bar; colour only at a warning, and
 * then with the word and a shape too), its last hours, its predictive alarm with the time
 * to the limit, and the recommended action — then the forecasts with their bands. An
 * output the quality gate refused shows the runtime's reason, never a number.
 */
import { useEffect, useState } from 'react';
import type { AlarmDefinitionDto, AlarmDto, ContributionsDto, ModelInfoDto } from '../../preload/contract.js';
import { useConnected, useNow, useStation, useTagInfo, useTagValue } from '../app/station-context.js';
import { formatClock } from '../format/format-value.js';
import { displayQuality } from '../format/quality.js';
import { useAlarmSnapshot } from '../alarms/alarm-context.js';
import { PriorityMarker } from '../alarms/priority-marker.js';
import { isUnacked } from '../alarms/alarm-view.js';
import { useAlarmWords } from '../alarms/priority-marker.js';
import { PredictiveMarker } from './predictive-marker.js';
import { Sparkline } from './sparkline.js';
import {
  bandName,
  forecastFamilies,
  formatHorizon,
  type ForecastBand,
  type ForecastFamily,
  type OutputInfo,
} from './forecast-bands.js';
import {
  barShare,
  cardLeadTime,
  faultLevelWord,
  faultRow,
  formatProbability,
  formatTimeToLimit,
  isNormalClass,
  labelText,
  readingOf,
  type FaultRow,
  type Reading,
} from './outlook-model.js';
import { useModels, usePredictiveDefinitions } from './use-models.js';
import { ContributingSignals, SignalsHeader } from './contributing-signals.js';
import { kindWord, resultWord } from './registry-format.js';
import './predictions.css';
import { useLang, useText } from '../i18n/language.js';
import { pickText, translator, type Lang } from '../i18n/i18n.js';
import { outlookText } from './registry-text.js';

const NO_ALARMS: readonly AlarmDto[] = [];

/** An output tag's reading, re-rendered when its value or the clock changes. */
function useReading(tag: string, unit: string, everyS: number | null): Reading {
  const lang = useLang();
  const value = useTagValue(tag);
  const info = useTagInfo(tag);
  const now = useNow();
  const connected = useConnected();
  const quality = displayQuality({
    value,
    nowMs: now,
    intervalMs: info?.intervalMs ?? (everyS ?? 60) * 1000,
    connected,
  });
  return readingOf(value, quality, info?.decimals ?? 2, unit, now, lang);
}

/** A project text (descriptions, actions, family titles) in the operator's language; English where it has no Chinese. */
function Bilingual({ text, className }: { text: { en: string; zh?: string } | null | undefined; className?: string }) {
  const lang = useLang();
  if (!text) return null;
  return (
    <span className={className} lang={lang === 'zh' && text.zh ? 'zh-CN' : 'en-GB'}>
      {pickText(text, lang)}
    </span>
  );
}

function ReadingText({ reading, tag, testId }: { reading: Reading; tag: string; testId: string }) {
  const tr = useText(outlookText);
  return (
    <span
      className={`pred-reading pred-reading-${reading.kind}`}
      data-testid={testId}
      data-tag={tag}
      data-quality={reading.quality}
      data-kind={reading.kind}
      title={reading.reason ?? undefined}
    >
      <span className="pred-reading-text">{reading.text}</span>
      {reading.kind === 'stale' ? (
        <span className="pred-flag">{tr('stale')}</span>
      ) : reading.quality === 'Uncertain' ? (
        <span className="pred-flag">?</span>
      ) : null}
    </span>
  );
}

function BadReason({ reading }: { reading: Reading }) {
  if (reading.kind !== 'bad' && reading.kind !== 'none' && reading.kind !== 'stale') return null;
  return (
    <span className="pred-reason" data-testid="outlook-bad-reason">
      {reading.reason}
    </span>
  );
}

export function OutlookView() {
  const tr = useText(outlookText);
  const list = useModels(30_000);
  const snapshot = useAlarmSnapshot();
  const models = list.models ?? [];
  const definitions = usePredictiveDefinitions(models.map((m) => `${m.name}@${m.activeVersion ?? ''}`).join(','));
  const alarms = snapshot?.alarms ?? NO_ALARMS;
  const classifiers = models.filter(
    (m) => m.kind === 'classifier' || (m.kind === 'anomaly' && m.outputs.some((o) => o.label !== null)),
  );
  const forecasts = models.filter((m) => m.kind === 'forecast');
  const others = models.filter((m) => !classifiers.includes(m) && !forecasts.includes(m));
  return (
    <section
      className="panel outlook"
      aria-labelledby="outlook-title"
      data-testid="outlook"
      data-loaded={list.models !== null}
    >
      <div className="panel-head">
        <h1 id="outlook-title" className="panel-title" tabIndex={-1}>
          {tr('title')}
        </h1>
        <span className="muted">{tr('intro')}</span>
      </div>
      {list.error ? (
        <p className="pred-error" role="alert">
          {tr('listFailed', { error: list.error })}
        </p>
      ) : null}
      {list.models === null && !list.error ? <p className="muted">{tr('loadingModels')}</p> : null}
      {list.models !== null && models.length === 0 ? (
        <p className="muted" data-testid="outlook-empty">
          {tr('noModel')}
        </p>
      ) : null}
      {classifiers.map((m) => (
        <FaultPanel key={m.name} model={m} alarms={alarms} definitions={definitions} />
      ))}
      {forecasts.map((m) => (
        <ForecastPanel key={m.name} model={m} />
      ))}
      {others.map((m) => (
        <OutputsPanel key={m.name} model={m} />
      ))}
    </section>
  );
}

function ModelLine({ model }: { model: ModelInfoDto }) {
  const tr = useText(outlookText);
  const lang = useLang();
  const now = useNow();
  const s = model.stats;
  return (
    <p
      className="pred-model-line muted"
      data-testid="outlook-model"
      data-model={model.name}
      data-active={model.activeVersion ?? ''}
    >
      <span className="mono">{model.name}</span>{' '}
      {model.activeVersion ? (
        tr('version', { v: model.activeVersion })
      ) : (
        <strong className="pred-not-running">{tr('notRunning')}</strong>
      )}
      {model.everyS ? tr('everyS', { s: model.everyS }) : ''}
      {s?.lastRunAt
        ? tr('lastRun', { time: formatClock(s.lastRunAt), s: Math.max(0, Math.round((now - s.lastRunAt) / 1000)) })
        : model.activeVersion
          ? tr('notRunYet')
          : ''}
      {s?.lastResult && s.lastResult !== 'ok' ? (
        <strong className="pred-last-result">{tr('lastResult', { result: resultWord(s.lastResult, lang) })}</strong>
      ) : null}
      {!model.activeVersion && model.loadError ? <span className="pred-reason"> {model.loadError}</span> : null}
    </p>
  );
}

function panelTitle(model: ModelInfoDto, lang: Lang = 'en'): string {
  const tr = translator(outlookText, lang);
  return model.kind === 'classifier'
    ? tr('faultWarning')
    : model.kind === 'forecast'
      ? tr('forecast')
      : model.kind
        ? kindWord(model.kind, lang)
        : model.name;
}

function FaultPanel({
  model,
  alarms,
  definitions,
}: {
  model: ModelInfoDto;
  alarms: readonly AlarmDto[];
  definitions: readonly AlarmDefinitionDto[];
}) {
  const lang = useLang();
  const tr = useText(outlookText);
  const classes = model.outputs.filter((o) => o.label !== null);
  const normal = classes.filter((o) => isNormalClass(o.label!));
  const faults = classes.filter((o) => !isNormalClass(o.label!));
  const lead = cardLeadTime(model);
  return (
    <section
      className="pred-section"
      aria-label={`${panelTitle(model, lang)} — ${model.name}`}
      data-testid="outlook-faults"
      data-model={model.name}
    >
      <h2 className="pred-section-title">
        {panelTitle(model, lang)} <Bilingual text={model.description} className="pred-desc muted" />
      </h2>
      <ModelLine model={model} />
      {normal.map((o) => (
        <NormalLine key={o.tag} output={o} everyS={model.everyS} />
      ))}
      {lead ? <LeadTime medianMin={lead.medianMin} worstMin={lead.worstMin} /> : null}
      <table className="grid pred-faults">
        <thead>
          <tr>
            <th scope="col">{tr('fault')}</th>
            <th scope="col">{tr('probability')}</th>
            <th scope="col">{tr('last6h')}</th>
            <th scope="col">{tr('predictiveAlarm')}</th>
            <SignalsHeader />
            <th scope="col">{tr('recommendedAction')}</th>
          </tr>
        </thead>
        <tbody>
          {faults.map((o) => (
            <FaultRowView
              key={o.tag}
              output={o}
              everyS={model.everyS}
              alarms={alarms}
              definitions={definitions}
              contributions={model.contributions ?? null}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The card's lead time: the median in bold inside the sentence, whichever the language's word order. */
function LeadTime({ medianMin, worstMin }: { medianMin: number; worstMin: number | null }) {
  const tr = useText(outlookText);
  const worst =
    worstMin === null
      ? ''
      : worstMin < 0
        ? tr('worstAfter', { n: Math.round(-worstMin) })
        : tr('worstBefore', { n: Math.round(worstMin) });
  const [before, after] = tr('leadTime', { worst }).split('{median}');
  return (
    <p className="pred-lead muted" data-testid="outlook-lead-time">
      {before}
      <strong>{tr('minutes', { n: Math.round(medianMin) })}</strong>
      {after}
    </p>
  );
}

function NormalLine({ output, everyS }: { output: OutputInfo; everyS: number | null }) {
  const reading = useReading(output.tag, '', everyS);
  return (
    <p className="pred-normal">
      <Bilingual text={output.description} />:{' '}
      <ReadingText
        reading={
          reading.kind === 'number' || reading.kind === 'stale'
            ? { ...reading, text: formatProbability(reading.value!) }
            : reading
        }
        tag={output.tag}
        testId="outlook-probability"
      />{' '}
      <BadReason reading={reading} />
    </p>
  );
}

function FaultRowView({
  output,
  everyS,
  alarms,
  definitions,
  contributions,
}: {
  output: OutputInfo;
  everyS: number | null;
  alarms: readonly AlarmDto[];
  definitions: readonly AlarmDefinitionDto[];
  contributions: ContributionsDto | null;
}) {
  const tr = useText(outlookText);
  const lang = useLang();
  const w = useAlarmWords();
  const reading = useReading(output.tag, '', everyS);
  const row: FaultRow = faultRow(output, reading, alarms, definitions);
  const shown: Reading =
    reading.kind === 'number' || reading.kind === 'stale'
      ? { ...reading, text: formatProbability(reading.value!) }
      : reading;
  const priority = row.alarm?.priority ?? row.definition?.priority ?? null;
  return (
    <tr
      className={`pred-fault pred-level-${row.level}`}
      data-testid="outlook-fault"
      data-label={row.label}
      data-level={row.level}
      data-tag={output.tag}
    >
      <th scope="row" className="pred-fault-name">
        <Bilingual
          text={
            output.description.en
              ? {
                  en: output.description.en
                    .replace(/^Probability of (a |an )?/i, '')
                    .replace(/^./, (c) => c.toUpperCase()),
                  ...(output.description.zh ? { zh: output.description.zh.replace(/概率$/, '') } : {}),
                }
              : { en: labelText(row.label) }
          }
        />
      </th>
      <td className="pred-prob-cell">
        <div className="pred-prob">
          <span
            className={`pred-bar${row.level === 'warning' && priority ? ` pred-bar-${priority}` : ''}`}
            aria-hidden="true"
          >
            <span className="pred-bar-fill" style={{ width: `${Math.round(barShare(reading) * 100)}%` }} />
            {row.threshold !== null ? (
              <span
                className="pred-bar-limit"
                style={{ left: `${Math.round(row.threshold * 100)}%` }}
                title={`${faultLevelWord('warning', lang)} ≥ ${formatProbability(row.threshold)}`}
              />
            ) : null}
          </span>
          <ReadingText reading={shown} tag={output.tag} testId="outlook-probability" />
          {row.level === 'warning' || row.level === 'watch' ? (
            <span className={`pred-level-word pred-level-word-${row.level}`} data-testid="outlook-level">
              {row.level === 'warning' ? '▲ ' : ''}
              {faultLevelWord(row.level, lang)}
            </span>
          ) : null}
        </div>
        <BadReason reading={reading} />
      </td>
      <td>
        <Sparkline tag={output.tag} domain={[0, 1]} mark={row.threshold} />
      </td>
      <td className="pred-alarm-cell" data-testid="outlook-alarm">
        {row.alarm ? (
          <span className="pred-alarm">
            <PriorityMarker priority={row.alarm.priority} blink={isUnacked(row.alarm)} size={16} />
            <PredictiveMarker alarm={row.alarm} />
            <span className={`alarm-state-text state-${row.alarm.state}`}>{w.state(row.alarm.state)}</span>
            {row.alarm.activeSince ? (
              <span className="muted">{tr('since', { time: formatClock(row.alarm.activeSince) })}</span>
            ) : null}
          </span>
        ) : row.definition ? (
          <span className="muted">
            {tr('raisedAt', {
              limit: row.threshold !== null ? formatProbability(row.threshold) : tr('itsThreshold'),
              priority:
                lang === 'en' ? w.priority(row.definition.priority).toLowerCase() : w.priority(row.definition.priority),
              ahead:
                row.timeToLimitMin !== null ? tr('ahead', { ttl: formatTimeToLimit(row.timeToLimitMin, lang) }) : '',
            })}
          </span>
        ) : (
          <span className="muted">{tr('noAlarmDefined')}</span>
        )}
      </td>
      <ContributingSignals contributions={contributions} output={output.name} />
      <td className="pred-action" data-testid="outlook-action">
        {row.definition?.action ? <Bilingual text={row.definition.action} /> : <span className="muted">—</span>}
      </td>
    </tr>
  );
}

function ForecastPanel({ model }: { model: ModelInfoDto }) {
  const lang = useLang();
  const families = forecastFamilies(model.outputs);
  return (
    <section
      className="pred-section"
      aria-label={`${panelTitle(model, lang)} — ${model.name}`}
      data-testid="outlook-forecasts"
      data-model={model.name}
    >
      <h2 className="pred-section-title">
        {panelTitle(model, lang)} <Bilingual text={model.description} className="pred-desc muted" />
      </h2>
      <ModelLine model={model} />
      {families.length === 0 ? <OutputsTable model={model} /> : null}
      <div className="pred-families">
        {families.map((f) =>
          f.bands.length > 6 ? (
            <HourlyChart key={f.key} family={f} everyS={model.everyS} />
          ) : (
            <FamilyTable key={f.key} family={f} everyS={model.everyS} />
          ),
        )}
      </div>
    </section>
  );
}

function FamilyTable({ family, everyS }: { family: ForecastFamily; everyS: number | null }) {
  const tr = useText(outlookText);
  const first = family.bands[0];
  return (
    <table className="grid pred-family" data-testid="outlook-family" data-family={family.key}>
      <caption>
        <Bilingual text={family.title} /> {family.unit ? <span className="muted">({family.unit})</span> : null}
      </caption>
      <thead>
        <tr>
          <th scope="col">{tr('in')}</th>
          <th scope="col" className="num">
            {tr('median')}
          </th>
          <th scope="col" className="num">
            {tr('band', {
              name: first?.lower && first.upper ? bandName(first.lower.quantile!, first.upper.quantile!) : '',
            })}
          </th>
          <th scope="col">{tr('medianLast6h')}</th>
        </tr>
      </thead>
      <tbody>
        {family.bands.map((b) => (
          <BandRow key={b.median.tag} band={b} unit={family.unit} everyS={everyS} />
        ))}
      </tbody>
    </table>
  );
}

function BandRow({ band, unit, everyS }: { band: ForecastBand; unit: string; everyS: number | null }) {
  const tr = useText(outlookText);
  const lang = useLang();
  const median = useReading(band.median.tag, unit, everyS);
  const lower = useReading(band.lower?.tag ?? band.median.tag, '', everyS);
  const upper = useReading(band.upper?.tag ?? band.median.tag, '', everyS);
  const bandOk = band.lower && band.upper && lower.kind === 'number' && upper.kind === 'number';
  return (
    <tr data-testid="outlook-forecast" data-tag={band.median.tag} data-horizon={band.horizonMin}>
      <th scope="row">{formatHorizon(band.horizonMin, lang)}</th>
      <td className="num">
        <ReadingText reading={median} tag={band.median.tag} testId="outlook-median" />
        <BadReason reading={median} />
      </td>
      <td className="num mono" data-testid="outlook-band">
        {!band.lower || !band.upper
          ? '—'
          : bandOk
            ? `${lower.text} … ${upper.text}${unit ? ` ${unit}` : ''}`
            : median.kind === 'bad'
              ? '—'
              : tr('noBand')}
      </td>
      <td>
        <Sparkline tag={band.median.tag} />
      </td>
    </tr>
  );
}

/** The 24-hour load: one band (lower…upper) and median tick per hour. */
function HourlyChart({ family, everyS }: { family: ForecastFamily; everyS: number | null }) {
  const tr = useText(outlookText);
  const lang = useLang();
  const station = useStation();
  const now = useNow();
  const connected = useConnected();
  const tags = family.bands.flatMap((b) =>
    [b.median.tag, b.lower?.tag, b.upper?.tag].filter((t): t is string => t !== undefined),
  );
  const [, setVersion] = useState(0);
  useEffect(() => {
    const offs = tags.map((t) => station.values.subscribe(t, () => setVersion((v) => v + 1)));
    return () => offs.forEach((off) => off());
    // The tag list is derived from the family; its joined names say when it changes.
  }, [station, tags.join(',')]);
  const read = (o: OutputInfo | null): Reading | null => {
    if (!o) return null;
    const value = station.values.get(o.tag);
    const info = station.getSnapshot().tagsByName.get(o.tag);
    return readingOf(
      value,
      displayQuality({ value, nowMs: now, intervalMs: info?.intervalMs ?? (everyS ?? 60) * 1000, connected }),
      info?.decimals ?? 0,
      family.unit,
      now,
      lang,
    );
  };
  const rows = family.bands.map((b) => ({
    band: b,
    median: read(b.median)!,
    lower: read(b.lower),
    upper: read(b.upper),
  }));
  const numbers = rows.flatMap((r) =>
    [r.median, r.lower, r.upper].filter((x): x is Reading => x !== null && x.kind === 'number').map((x) => x.value!),
  );
  const bad = rows.find((r) => r.median.kind !== 'number');
  const W = 720;
  const H = 150;
  const left = 56;
  const bottom = 20;
  const lo = numbers.length ? Math.min(...numbers) : 0;
  const hi = numbers.length ? Math.max(...numbers) : 1;
  const pad = (hi - lo) * 0.08 || 1;
  const y = (v: number) => 6 + (1 - (v - (lo - pad)) / (hi - lo + 2 * pad)) * (H - bottom - 6);
  const step = (W - left - 8) / rows.length;
  const first = family.bands[0];
  return (
    <figure className="pred-hourly" data-testid="outlook-hourly" data-family={family.key}>
      <figcaption>
        <Bilingual text={family.title} />{' '}
        <span className="muted">
          {tr('hourlyCaption', {
            n: rows.length,
            unit: family.unit,
            band: first?.lower && first.upper ? bandName(first.lower.quantile!, first.upper.quantile!) : '',
          })}
        </span>
      </figcaption>
      {bad ? (
        <p className="pred-hourly-bad">
          <span className="pred-flag-bad">{tr('noPrediction')}</span> <BadReason reading={bad.median} />
        </p>
      ) : null}
      <svg
        width="100%"
        viewBox={`0 0 ${W} ${H}`}
        className="pred-hourly-svg"
        role="img"
        aria-label={tr('hourlyLabel', { title: pickText(family.title, lang), n: rows.length })}
      >
        {numbers.length ? (
          <>
            <text x={left - 6} y={y(hi) + 4} textAnchor="end" className="pred-axis">
              {Math.round(hi)}
            </text>
            <text x={left - 6} y={y(lo) + 4} textAnchor="end" className="pred-axis">
              {Math.round(lo)}
            </text>
            <line x1={left} x2={W - 8} y1={y(hi)} y2={y(hi)} className="pred-grid" />
            <line x1={left} x2={W - 8} y1={y(lo)} y2={y(lo)} className="pred-grid" />
          </>
        ) : null}
        {rows.map((r, i) => {
          const x = left + i * step;
          const m = r.median.kind === 'number' ? r.median.value! : null;
          const l = r.lower?.kind === 'number' ? r.lower.value! : null;
          const u = r.upper?.kind === 'number' ? r.upper.value! : null;
          const hour = Math.round(r.band.horizonMin / 60);
          return (
            <g
              key={r.band.median.tag}
              data-testid="outlook-hour"
              data-tag={r.band.median.tag}
              data-kind={r.median.kind}
            >
              <title>
                {tr('hourTitle', {
                  h: hour,
                  value:
                    m !== null
                      ? r.median.text
                      : tr('hourNoPrediction', { reason: r.median.reason ? ` — ${r.median.reason}` : '' }),
                  band: l !== null && u !== null ? tr('hourBand', { lo: r.lower!.text, hi: r.upper!.text }) : '',
                })}
              </title>
              {l !== null && u !== null ? (
                <rect
                  x={x + step * 0.15}
                  width={step * 0.7}
                  y={y(u)}
                  height={Math.max(1, y(l) - y(u))}
                  className="pred-hour-band"
                />
              ) : null}
              {m !== null ? (
                <line x1={x + step * 0.1} x2={x + step * 0.9} y1={y(m)} y2={y(m)} className="pred-hour-median" />
              ) : (
                <text x={x + step / 2} y={H / 2} textAnchor="middle" className="pred-hour-none">
                  ?
                </text>
              )}
              {hour % 3 === 0 || hour === 1 ? (
                <text x={x + step / 2} y={H - 5} textAnchor="middle" className="pred-axis">
                  +{tr('horizonH', { n: hour })}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function OutputsPanel({ model }: { model: ModelInfoDto }) {
  const lang = useLang();
  return (
    <section className="pred-section" aria-label={model.name}>
      <h2 className="pred-section-title">
        {panelTitle(model, lang)} <Bilingual text={model.description} className="pred-desc muted" />
      </h2>
      <ModelLine model={model} />
      <OutputsTable model={model} />
    </section>
  );
}

function OutputsTable({ model }: { model: ModelInfoDto }) {
  return (
    <table className="grid pred-family">
      <tbody>
        {model.outputs.map((o) => (
          <OutputRow key={o.tag} output={o} everyS={model.everyS} />
        ))}
      </tbody>
    </table>
  );
}

function OutputRow({ output, everyS }: { output: OutputInfo; everyS: number | null }) {
  const reading = useReading(output.tag, output.unit, everyS);
  return (
    <tr data-testid="outlook-output" data-tag={output.tag}>
      <th scope="row">
        <Bilingual text={output.description} />
      </th>
      <td className="num">
        <ReadingText reading={reading} tag={output.tag} testId="outlook-value" />
        <BadReason reading={reading} />
      </td>
    </tr>
  );
}
