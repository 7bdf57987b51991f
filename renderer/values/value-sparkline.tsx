/**
 * A sparkline of a live value: the last `minutes` from the historian (one shared request
 * per tag, see spark-history.ts) with live values appended, the normal band behind it and a
 * dot at the newest point (abnormal when outside the band). Breaks where nothing was stored
 * or the value was not Good. `SparklineGraphic` draws into the caller's SVG (mimic symbols),
 * `ValueSparkline` is the HTML form. Click: the trend.
 */
import { memo } from 'react';
import { useTagInfo } from '../app/station-context.js';
import { sparkPath } from '../predictions/sparkline-path.js';
import { analogScale, liveZone } from '../format/analog-scale.js';
import { useText } from '../i18n/language.js';
import type { SparkSeries } from './spark-history.js';
import { useSparkSeries, useTagLimits } from './use-shared.js';
import { openTrend } from './trend-open.js';
import { valuesText } from './values-text.js';
import './values.css';

export interface SparkGeometry {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The y-domain: the data, widened to include the normal band so its position means something. */
export function sparkDomain(
  v: readonly (number | null)[],
  band: readonly [number, number] | null,
): [number, number] | undefined {
  const values = v.filter((x): x is number => x !== null && Number.isFinite(x));
  if (band) values.push(band[0], band[1]);
  if (values.length === 0) return undefined;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.05 || 1;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

export function SparklineGraphic({
  series,
  band,
  abnormal,
  x,
  y,
  width,
  height,
  tag,
  title,
  emptyText,
}: SparkGeometry & {
  series: SparkSeries;
  band: readonly [number, number] | null;
  abnormal: boolean;
  tag: string;
  title: string;
  emptyText: string;
}) {
  const domain = sparkDomain(series.v, band);
  const path = sparkPath(series.t, series.v, { from: series.from, to: series.to, width, height, domain, pad: 2 });
  const empty = path.d === '';
  let lastI = series.v.length - 1;
  while (lastI >= 0 && series.v[lastI] === null) lastI--;
  const lastX =
    lastI >= 0 ? 2 + ((series.t[lastI]! - series.from) / Math.max(1, series.to - series.from)) * (width - 4) : null;
  return (
    <g
      className={`vspark${abnormal ? ' vspark-abnormal' : ''}`}
      transform={`translate(${x},${y})`}
      data-testid="value-sparkline"
      data-tag-spark={tag}
      data-points={path.count}
      data-loaded={series.loaded ? 'true' : 'false'}
    >
      <title>{title}</title>
      <rect x={0.5} y={0.5} width={width - 1} height={height - 1} className="vspark-frame" />
      {band && domain ? (
        <rect
          x={1}
          width={width - 2}
          y={path.y(band[1])}
          height={Math.max(1, path.y(band[0]) - path.y(band[1]))}
          className="vspark-band"
        />
      ) : null}
      {!empty ? <path d={path.d} className="vspark-line" /> : null}
      {!empty && lastX !== null ? (
        <circle cx={lastX} cy={path.y(series.v[lastI]!)} r={abnormal ? 3 : 2} className="vspark-dot" />
      ) : null}
      {empty ? (
        <text x={width / 2} y={height / 2 + 4} textAnchor="middle" className="vspark-empty">
          {emptyText}
        </text>
      ) : null}
    </g>
  );
}

/** A tag's sparkline in the caller's SVG coordinates (mimic symbols). */
export const SparklineAt = memo(function SparklineAt({
  tag,
  minutes = 60,
  x,
  y,
  width,
  height,
}: SparkGeometry & { tag: string; minutes?: number }) {
  const series = useSparkSeries(tag, minutes * 60_000);
  const info = useTagInfo(tag);
  const limits = useTagLimits(tag);
  const t = useText(valuesText);
  const scale = info?.kind === 'analog' || info === undefined ? analogScale(info, limits) : null;
  let lastI = series.v.length - 1;
  while (lastI >= 0 && series.v[lastI] === null) lastI--;
  const zone = lastI >= 0 ? liveZone(series.v[lastI], 'Good', scale) : null;
  const title = series.error ? `${tag}: ${t('sparkError')} (${series.error})` : t('sparkTitle', { tag, minutes });
  return (
    <g onClick={() => openTrend([tag])} style={{ cursor: 'pointer' }}>
      <SparklineGraphic
        series={series}
        band={scale?.normal ?? null}
        abnormal={zone?.abnormal ?? false}
        x={x}
        y={y}
        width={width}
        height={height}
        tag={tag}
        title={title}
        emptyText={series.error ? t('sparkError') : t('sparkEmpty')}
      />
    </g>
  );
});

/** HTML form. */
export function ValueSparkline({
  tag,
  minutes = 60,
  width = 120,
  height = 28,
}: {
  tag: string;
  minutes?: number;
  width?: number;
  height?: number;
}) {
  return (
    <svg
      className="value-sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={tag}
    >
      <SparklineAt tag={tag} minutes={minutes} x={0} y={0} width={width} height={height} />
    </svg>
  );
}
