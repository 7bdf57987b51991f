/**
 * A small history line of one tag (`history.trend` over the last hours, refreshed every
 * minute): averages per bucket, breaks where nothing was stored or the value was not
 * Good (a Bad prediction has no number to draw). Optional fixed domain (probabilities 0..1).
 */
import { useEffect, useState } from 'react';
import { useConnected, useStation } from '../app/station-context.js';
import { sparkPath } from './sparkline-path.js';
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
  const [points, setPoints] = useState<{ t: number[]; v: (number | null)[]; from: number; to: number } | null>(null);
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
      setPoints({ t: reply.value.t, v: reply.value.avg.map((a, i) => ((reply.value.q[i] ?? 0) > 0 ? a : null)), from, to });
    };
    void load();
    const timer = setInterval(() => void load(), 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [station, connected, tag, hours]);
  const path = points ? sparkPath(points.t, points.v, { from: points.from, to: points.to, width, height, domain }) : null;
  const empty = !path || path.d === '';
  const markY = path && mark !== null && mark !== undefined ? path.y(mark) : null;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${tr('sparkLabel', { tag, h: hours })}${empty ? tr('sparkNothing') : ''}`} data-testid="sparkline" data-tag={tag} data-points={path?.count ?? 0}>
      <title>{error ? tr('noHistoryError', { error }) : `${tr('sparkTitle', { tag, h: hours })}${empty ? tr('sparkNothingYet') : ''}`}</title>
      <rect x={0.5} y={0.5} width={width - 1} height={height - 1} className="sparkline-frame" />
      {markY !== null && markY >= 0 && markY <= height ? <line x1={1} x2={width - 1} y1={markY} y2={markY} className="sparkline-mark" /> : null}
      {path && !empty ? <path d={path.d} className="sparkline-line" /> : null}
      {empty ? (
        <text x={width / 2} y={height / 2 + 4} textAnchor="middle" className="sparkline-empty">
          {error ? tr('noHistory') : tr('noHistoryYet')}
        </text>
      ) : null}
    </svg>
  );
}
