/**
 * The deviation cue of a controlled value: PV − SP on a small centred bar with the
 * deviation alarm's limits dashed, and the signed difference as text (`Δ +1.2 K`). Beyond
 * the limit the fill and text take the alarm colour and the text is bold: colour doubled by
 * the number and the bar's length. Props: the PV tag, the SP tag, and geometry.
 */
import { memo } from 'react';
import { useConnected, useNow, useTagInfo, useTagValue } from '../app/station-context.js';
import { deviationView, type DeviationView } from '../format/deviation.js';
import { displayQuality } from '../format/quality.js';
import { DEFAULT_INTERVAL_MS } from '../format/value-view.js';
import { decimalsFor, formatNumber } from '../format/format-value.js';
import { useLang, useText } from '../i18n/language.js';
import { langTag } from '../i18n/i18n.js';
import { useTagLimits } from './use-shared.js';
import { openTrend } from './trend-open.js';
import { valuesText } from './values-text.js';
import './values.css';

export function DeviationGraphic({
  view,
  x,
  y,
  width,
  height,
}: {
  view: DeviationView;
  x: number;
  y: number;
  width: number;
  height: number;
}) {
  const cx = x + width / 2;
  const half = width / 2;
  const limitOffset = view.halfSpan > 0 ? half / 2 : 0;
  const fillW = Math.abs(view.fraction) * half;
  return (
    <g className={`dev-${view.state}`}>
      <rect x={x} y={y + height * 0.25} width={width} height={height * 0.5} className="dev-track" />
      {view.delta !== null ? (
        <rect
          x={view.fraction < 0 ? cx - fillW : cx}
          y={y + height * 0.25}
          width={Math.max(1, fillW)}
          height={height * 0.5}
          className="dev-fill"
        />
      ) : null}
      <line x1={cx - limitOffset} x2={cx - limitOffset} y1={y} y2={y + height} className="dev-limit" />
      <line x1={cx + limitOffset} x2={cx + limitOffset} y1={y} y2={y + height} className="dev-limit" />
      <line x1={cx} x2={cx} y1={y} y2={y + height} className="dev-centre" />
    </g>
  );
}

/** Signed difference with its unit, `+1.2 K` (a temperature difference is in kelvin). */
export function deviationText(delta: number | null, decimals: number, unit: string, locale?: string): string {
  if (delta === null) return '—';
  const u = unit === '°C' ? 'K' : unit;
  const n = formatNumber(delta, decimals, locale);
  return `${delta > 0 && !/^0(\.0*)?$/.test(n) ? '+' : ''}${n}${u ? ` ${u}` : ''}`;
}

export const DeviationCue = memo(function DeviationCue({
  pvTag,
  spTag,
  width = 60,
  height = 14,
}: {
  pvTag: string;
  spTag: string;
  width?: number;
  height?: number;
}) {
  const pv = useTagValue(pvTag);
  const sp = useTagValue(spTag);
  const info = useTagInfo(pvTag);
  const limits = useTagLimits(pvTag);
  const now = useNow();
  const connected = useConnected();
  const lang = useLang();
  const t = useText(valuesText);
  const good = (v: typeof pv) => {
    const q = displayQuality({ value: v, nowMs: now, intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS, connected });
    return (q === 'Good' || q === 'Uncertain') && typeof v?.v === 'number' ? v.v : null;
  };
  const view = deviationView(good(pv), good(sp), limits.deviation);
  const decimals = decimalsFor(info);
  const text = deviationText(view.delta, decimals, info?.unit ?? '', langTag(lang));
  const title = [
    view.delta === null ? t('deviationUnknown') : t('deviation', { sp: spTag, delta: text }),
    limits.deviation !== undefined
      ? t('deviationLimit', {
          limit: deviationText(limits.deviation, decimals, info?.unit ?? '', langTag(lang)).replace(/^\+/, ''),
        })
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span
      className={`deviation-cue dev-${view.state}`}
      data-testid="deviation-cue"
      data-tag-pv={pvTag}
      data-tag-sp={spTag}
      data-state={view.state}
      title={title}
      role="link"
      tabIndex={0}
      onClick={() => openTrend([pvTag, spTag])}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key.toLowerCase() === 't') {
          e.preventDefault();
          openTrend([pvTag, spTag]);
        }
      }}
    >
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
        <DeviationGraphic view={view} x={0.5} y={0} width={width - 1} height={height} />
      </svg>
      <span className="dev-text">Δ {text}</span>
    </span>
  );
});
