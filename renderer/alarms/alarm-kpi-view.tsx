/**
 * Alarm system performance (`#/alarms/kpis`, EEMUA 191 / ISA-18.2): rates per operator
 * against the targets, floods, the top 10, chattering and stale alarms, shelved and
 * out-of-service counts, the priority distribution against 80/15/5, and response times
 * against the 15-minute / 2-hour rules. Each verdict is a mark AND a word.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { alarmKpisSchema, type AlarmKpisDto } from '../../preload/contract.js';
import { useStation } from '../app/station-context.js';
import { formatDateTime } from '../format/format-value.js';
import { AlarmTabs } from './alarm-tabs.js';
import { MIN_ACTIVATIONS_FOR_SHARES, kpiRows } from './kpi-format.js';
import { useLang, useText } from '../i18n/language.js';
import { kpiText } from './alarm-text.js';
import { useRefusal } from '../app/use-refusal.js';

const ranges = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 h', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export function AlarmKpiView() {
  const refuse = useRefusal();
  const station = useStation();
  const t = useText(kpiText);
  const lang = useLang();
  const [range, setRange] = useState<(typeof ranges)[number]['id']>('24h');
  const [kpis, setKpis] = useState<AlarmKpisDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const ticket = ++latest.current;
    const span = ranges.find((r) => r.id === range)!.ms;
    const to = Date.now();
    const reply = await station.transport.request('alarms.kpis', { from: to - span, to });
    if (ticket !== latest.current) return;
    if (!reply.ok) return setError(refuse(reply.error));
    const parsed = alarmKpisSchema.safeParse(reply.value);
    if (!parsed.success) return setError(t('unreadable'));
    setError(null);
    setKpis(parsed.data);
  }, [station, range]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel alarms-panel alarm-kpis" aria-labelledby="kpi-title" data-testid="alarm-kpis">
      <AlarmTabs current="kpis" />
      <div className="panel-head">
        <h1 id="kpi-title" className="panel-title" tabIndex={-1}>
          {t('title')}
        </h1>
        <span className="journal-presets" role="group" aria-label={t('period')}>
          {ranges.map((r) => (
            <button
              key={r.id}
              type="button"
              aria-pressed={r.id === range}
              className={r.id === range ? 'pressed' : ''}
              data-testid={`kpi-range-${r.id}`}
              onClick={() => setRange(r.id)}
            >
              {t(`range_${r.id}` as 'range_1h')}
            </button>
          ))}
          <button type="button" onClick={() => void load()}>
            {t('refresh')}
          </button>
        </span>
        {kpis ? (
          <span className="muted">
            {formatDateTime(kpis.from)} – {formatDateTime(kpis.to)} · {kpis.activations} activations · {kpis.operators}{' '}
            operator{kpis.operators === 1 ? '' : 's'}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {kpis ? (
        <div className="kpi-columns">
          <table className="grid kpi-table" data-testid="kpi-table">
            <thead>
              <tr>
                <th scope="col">{t('measure')}</th>
                <th scope="col">{t('value')}</th>
                <th scope="col">{t('target')}</th>
                <th scope="col">{t('verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {kpiRows(kpis, lang).map((r) => (
                <tr key={r.id} data-testid="kpi-row" data-kpi={r.id} data-verdict={r.verdict}>
                  <td>{r.label}</td>
                  <td className="mono">{r.value}</td>
                  <td className="mono">{r.target}</td>
                  <td className={`kpi-verdict kpi-${r.verdict}`}>
                    {r.verdict === 'ok'
                      ? t('meets')
                      : r.verdict === 'over'
                        ? t('misses')
                        : r.id === 'top' || r.id.startsWith('prio-')
                          ? t('under', { n: MIN_ACTIVATIONS_FOR_SHARES })
                          : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="kpi-side">
            <h2>{t('top10')}</h2>
            <table className="grid" data-testid="kpi-top">
              <thead>
                <tr>
                  <th scope="col">{t('alarm')}</th>
                  <th scope="col" className="num">
                    {t('count')}
                  </th>
                  <th scope="col" className="num">
                    {t('share')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {kpis.top.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <span className="mono">{t.id}</span>
                      <div className="muted kpi-message">{t.message}</div>
                    </td>
                    <td className="num">{t.count}</td>
                    <td className="num">{(t.share * 100).toFixed(1)} %</td>
                  </tr>
                ))}
                {kpis.top.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      {t('noActivations')}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
            <h2>{t('chattering')}</h2>
            {kpis.chattering.length === 0 ? (
              <p className="muted">{t('none')}</p>
            ) : (
              <ul className="kpi-list">
                {kpis.chattering.map((c) => (
                  <li key={c.id}>
                    <span className="mono">{c.id}</span> — up to {c.maxPerMinute} per minute
                  </li>
                ))}
              </ul>
            )}
            <h2>{t('stale')}</h2>
            {kpis.stale.length === 0 ? (
              <p className="muted">{t('none')}</p>
            ) : (
              <ul className="kpi-list">
                {kpis.stale.map((s) => (
                  <li key={s.id}>
                    <span className="mono">{s.id}</span> — active since {formatDateTime(s.activeSince)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      ) : !error ? (
        <p className="muted">{t('computing')}</p>
      ) : null}
    </section>
  );
}
