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
import { SPARK_BUCKETS, type SparkSeries } from './spark-history.js';
import { sparkLayout } from './spark-layout.js';
import { formatClock } from '../i18n/i18n.js';
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
  noDataText,
  noDataTitle,
}: SparkGeometry & {
  series: SparkSeries;
  band: readonly [number, number] | null;
  abnormal: boolean;
  tag: string;
  title: string;
  emptyText: string;
  /** Words for the lead of the window without data ("no data"), drawn where the strip has room. */
  noDataText?: string;
  /** The tooltip's line for it ("nothing stored before 08:46"). */
  noDataTitle?: string;
}) {
  const domain = sparkDomain(series.v, band);
  // A window that starts before anything was stored: the data across the rest, the lead marked "no data".
  const layout = sparkLayout(series, width, SPARK_BUCKETS);
  const dataX = layout.noDataWidth;
  const dataWidth = width - dataX;
  const path = sparkPath(series.t, series.v, {
    from: layout.dataFrom,
    to: series.to,
    width: dataWidth,
    height,
    domain,
    pad: 2,
  });
  const empty = path.d === '';
  let lastI = series.v.length - 1;
  while (lastI >= 0 && series.v[lastI] === null) lastI--;
  const lastX =
    lastI >= 0
      ? dataX + 2 + ((series.t[lastI]! - layout.dataFrom) / Math.max(1, series.to - layout.dataFrom)) * (dataWidth - 4)
      : null;
  return (
    <g
      className={`vspark${abnormal ? ' vspark-abnormal' : ''}`}
      transform={`translate(${x},${y})`}
      data-testid="value-sparkline"
      data-tag-spark={tag}
      data-points={path.count}
      data-loaded={series.loaded ? 'true' : 'false'}
      data-nodata-ms={Math.round(layout.noDataMs)}
    >
      <title>{layout.noDataWidth > 0 && noDataTitle ? `${title}\n${noDataTitle}` : title}</title>
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
      {!empty && dataX > 0 ? (
        <g className="vspark-nodata" data-testid="value-sparkline-nodata">
          <rect x={1} y={1} width={Math.max(1, dataX - 1)} height={height - 2} className="vspark-nodata-area" />
          {dataX >= 64 && noDataText ? (
            <text x={dataX / 2} y={height / 2 + 4} textAnchor="middle" className="vspark-empty">
              {noDataText}
            </text>
          ) : null}
        </g>
      ) : null}
      {!empty ? (
        <path d={path.d} transform={dataX > 0 ? `translate(${dataX},0)` : undefined} className="vspark-line" />
      ) : null}
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
        noDataText={t('sparkNoData')}
        noDataTitle={series.t.length > 0 ? t('sparkNoDataBefore', { time: formatClock(series.t[0]!) }) : ''}
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
