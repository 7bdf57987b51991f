/**
 * A small history line of one tag (`history.trend` over the last hours, refreshed every
 * minute): averages per bucket, breaks where nothing was stored or the value was not
 * Good (a Bad prediction has no number to draw). Where nothing is stored (an outage) the
 * line breaks over a "no data" stretch, never stretched over. When the window starts before
 * anything was stored (a station started a few minutes ago) the stored span is drawn across
 * most of the width and the lead is a marked strip of at most a quarter of it, like the
 * value sparklines on a mimic (values/spark-layout.ts). Optional fixed domain (probabilities 0..1).
 */
import { useEffect, useState } from 'react';
import type { Reply, RequestParams, RequestResult } from '../../preload/contract.js';
import { useConnected, useStation } from '../app/station-context.js';
import { noDataSpans, sparkPath } from './sparkline-path.js';
import { useText } from '../i18n/language.js';
import { outlookText } from './registry-text.js';
import { sparkLayout } from '../values/spark-layout.js';
import { formatClock } from '../i18n/i18n.js';

export interface SparklineProps {
  readonly tag: string;
  readonly hours?: number;
  readonly width?: number;
  readonly height?: number;
  readonly domain?: readonly [number, number];
  /** Reference line (a warning threshold), in value units. */
  readonly mark?: number | null;
  /**
   * How to ask for the trend (default: a `history.trend` request of its own); a screen of many
   * sparklines passes one that sends them together (overview/trend-batch.ts). Stable per screen.
   */
  readonly trend?: (params: RequestParams<'history.trend'>) => Promise<Reply<RequestResult<'history.trend'>>>;
}

const BUCKETS = 72;

export function Sparkline({ tag, hours = 6, width = 160, height = 30, domain, mark, trend }: SparklineProps) {
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
    const ask = trend ?? ((p: RequestParams<'history.trend'>) => station.transport.request('history.trend', p));
    const load = async () => {
      const to = Date.now();
      const from = to - hours * 3_600_000;
      let reply = await ask({ tag, from, to, buckets: BUCKETS });
      if (!live) return;
      // Stored only since lately (a fresh station): ask again for that span, so its line has detail, not two ticks.
      const first = reply.ok ? reply.value.t[0] : undefined;
      if (reply.ok && first !== undefined && first - from > 2 * reply.value.bucketMs) {
        const since = await ask({ tag, from: first, to, buckets: BUCKETS });
        if (!live) return;
        if (since.ok && since.value.t.length > 0) reply = since;
      }
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
  }, [station, connected, tag, hours, trend]);
  // The lead without data (if any) is a strip of its own; the stored span gets the rest of the width.
  const lead = points ? sparkLayout(points, width, BUCKETS) : null;
  const leadWidth = lead?.noDataWidth ?? 0;
  const dataWidth = width - leadWidth;
  const path = points
    ? sparkPath(points.t, points.v, {
        from: lead!.dataFrom,
        to: points.to,
        width: dataWidth,
        height,
        domain,
        gapMs: points.bucketMs * 1.5,
      })
    : null;
  const empty = !path || path.d === '';
  const gaps =
    points && !empty
      ? noDataSpans(points.t, { from: lead!.dataFrom, to: points.to, width: dataWidth, bucketMs: points.bucketMs }).map(
          (g) => ({ ...g, x: g.x + leadWidth }),
        )
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
      data-loaded={error !== null ? 'error' : points !== null ? 'true' : 'false'}
      data-nodata={gaps.length + (leadWidth > 0 ? 1 : 0)}
      data-nodata-ms={lead?.noDataMs ?? 0}
    >
      <title>
        {error
          ? tr('noHistoryError', { error })
          : `${tr('sparkTitle', { tag, h: hours })}${empty ? tr('sparkNothingYet') : ''}`}
      </title>
      <rect x={0.5} y={0.5} width={width - 1} height={height - 1} className="sparkline-frame" />
      {points && leadWidth > 0 && !empty ? (
        <rect
          x={1}
          y={1}
          width={leadWidth - 1}
          height={height - 2}
          className="sparkline-nodata sparkline-lead"
          data-testid="sparkline-lead"
          data-from={points.from}
          data-to={lead!.dataFrom}
        >
          <title>{tr('sparkLead', { time: formatClock(lead!.dataFrom, false) })}</title>
        </rect>
      ) : null}
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
      {path && !empty ? (
        <path
          d={path.d}
          className="sparkline-line"
          transform={leadWidth > 0 ? `translate(${leadWidth},0)` : undefined}
        />
      ) : null}
      {empty ? (
        <text x={width / 2} y={height / 2 + 4} textAnchor="middle" className="sparkline-empty">
          {error ? tr('noHistory') : tr('noHistoryYet')}
        </text>
      ) : null}
    </svg>
  );
}
