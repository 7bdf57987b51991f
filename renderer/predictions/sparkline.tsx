/**
 * A small history line of one tag (`history.trend` over the last hours, refreshed every
 * minute): averages per bucket, breaks where nothing was stored or the value was not
 * Good (a Bad prediction has no number to draw). The axis is the whole window: the part
 * where nothing is stored (a station started a few minutes ago, an outage) is drawn as
 * "no data", never stretched over. Optional fixed domain (probabilities 0..1).
 */
import { useEffect, useState } from 'react';
import { useConnected, useStation } from '../app/station-context.js';
import { noDataSpans, sparkPath } from './sparkline-path.js';
import { useText } from '../i18n/language.js';
import { outlookText } from './registry-text.js';

export interface SparklineProps {
  readonly tag: string;
  readonly hours?: number;
  readonly width?: number;
  readonly height?: number;
  readonly domain?: readonly [number, number];
  /** Reference line (a warning threshold), in value units. */
  readonly mark?: number | null;
}

const BUCKETS = 72;

export function Sparkline({ tag, hours = 6, width = 160, height = 30, domain, mark }: SparklineProps) {
  const tr = useText(outlookText);
  const station = useStation();
  const connected = useConnected();
  const [points, setPoints] = useState<{
    t: number[];
    v: (number | null)[];
    from: number;
    to: number;
    bucketMs: number;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    const load = async () => {
      const to = Date.now();
      const from = to - hours * 3_600_000;
      const reply = await station.transport.request('history.trend', { tag, from, to, buckets: BUCKETS });
      if (!live) return;
      if (!reply.ok) {
        setError(reply.error.message);
        return;
      }
      setError(null);
      // A bucket with no Good sample is a break: a refused prediction has no number to draw.
      setPoints({
        t: reply.value.t,
        v: reply.value.avg.map((a, i) => ((reply.value.q[i] ?? 0) > 0 ? a : null)),
        from,
        to,
        bucketMs: reply.value.bucketMs,
      });
    };
    void load();
    const timer = setInterval(() => void load(), 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [station, connected, tag, hours]);
  const path = points
    ? sparkPath(points.t, points.v, {
        from: points.from,
        to: points.to,
        width,
        height,
        domain,
        gapMs: points.bucketMs * 1.5,
      })
    : null;
  const empty = !path || path.d === '';
  const gaps =
    points && !empty
      ? noDataSpans(points.t, { from: points.from, to: points.to, width, bucketMs: points.bucketMs })
      : [];
  // The widest stretch without data says so in words when there is room for them (12 px text).
  const widest = gaps.reduce<(typeof gaps)[number] | null>((w, g) => (w === null || g.width > w.width ? g : w), null);
  const markY = path && mark !== null && mark !== undefined ? path.y(mark) : null;
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${tr('sparkLabel', { tag, h: hours })}${empty ? tr('sparkNothing') : ''}`}
      data-testid="sparkline"
      data-tag={tag}
      data-points={path?.count ?? 0}
      data-nodata={gaps.length}
    >
      <title>
        {error
          ? tr('noHistoryError', { error })
          : `${tr('sparkTitle', { tag, h: hours })}${empty ? tr('sparkNothingYet') : ''}`}
      </title>
      <rect x={0.5} y={0.5} width={width - 1} height={height - 1} className="sparkline-frame" />
      {gaps.map((g) => (
        <rect
          key={g.fromMs}
          x={g.x}
          y={1}
          width={g.width}
          height={height - 2}
          className="sparkline-nodata"
          data-from={g.fromMs}
          data-to={g.toMs}
        />
      ))}
      {widest && widest.width >= 46 && height >= 16 ? (
        <text
          x={widest.x + widest.width / 2}
          y={height / 2 + 4}
          textAnchor="middle"
          className="sparkline-empty sparkline-nodata-text"
        >
          {tr('noData')}
        </text>
      ) : null}
      {markY !== null && markY >= 0 && markY <= height ? (
        <line x1={1} x2={width - 1} y1={markY} y2={markY} className="sparkline-mark" />
      ) : null}
      {path && !empty ? <path d={path.d} className="sparkline-line" /> : null}
      {empty ? (
        <text x={width / 2} y={height / 2 + 4} textAnchor="middle" className="sparkline-empty">
          {error ? tr('noHistory') : tr('noHistoryYet')}
        </text>
      ) : null}
    </svg>
  );
}
