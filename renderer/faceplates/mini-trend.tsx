/**
 * The faceplate's 1-hour mini-trend: one or two pens of the equipment (PV and SP, position
 * and output …) from the historian (`history.trend`, averages per bucket, refreshed every
 * 30 s), on one shared scale, with a break wherever nothing Good was stored. Light SVG.
 */
import { useEffect, useState } from 'react';
import { useConnected, useStation, useTagInfo } from '../app/station-context.js';
import { formatValue } from '../format/format-value.js';
import { formatClock } from '../i18n/i18n.js';
import { useText } from '../i18n/language.js';
import { sparkPath } from '../predictions/sparkline-path.js';
import { faceplateText } from './faceplates-text.js';

const HOUR_MS = 3_600_000;
const BUCKETS = 120;
const REFRESH_MS = 30_000;

interface Series {
  readonly tag: string;
  readonly t: number[];
  readonly v: (number | null)[];
  readonly lo: number;
  readonly hi: number;
}

export function MiniTrend({
  tags,
  width = 400,
  height = 96,
}: {
  tags: readonly string[];
  width?: number;
  height?: number;
}) {
  const t = useText(faceplateText);
  const station = useStation();
  const connected = useConnected();
  const first = useTagInfo(tags[0] ?? '');
  const [data, setData] = useState<{ series: Series[]; from: number; to: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = tags.join('|');

  useEffect(() => {
    if (!connected || tags.length === 0) return;
    let live = true;
    const load = async () => {
      const to = Date.now();
      const from = to - HOUR_MS;
      const replies = await Promise.all(
        tags.map((tag) => station.transport.request('history.trend', { tag, from, to, buckets: BUCKETS })),
      );
      if (!live) return;
      const failed = replies.find((r) => !r.ok);
      if (failed && !failed.ok) setError(failed.error.message);
      else setError(null);
      const series = replies.flatMap((r, i): Series[] => {
        if (!r.ok) return [];
        const v = r.value.avg.map((a, j) => ((r.value.q[j] ?? 0) > 0 ? a : null));
        const good = r.value.min.filter((_, j) => (r.value.q[j] ?? 0) > 0);
        const goodMax = r.value.max.filter((_, j) => (r.value.q[j] ?? 0) > 0);
        return [{ tag: tags[i]!, t: r.value.t, v, lo: Math.min(...good), hi: Math.max(...goodMax) }];
      });
      setData({ series, from, to });
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // `key` stands for `tags`.
  }, [station, connected, key]);

  const finite = data?.series.filter((s) => Number.isFinite(s.lo) && Number.isFinite(s.hi)) ?? [];
  const domain: [number, number] | undefined =
    finite.length > 0 ? [Math.min(...finite.map((s) => s.lo)), Math.max(...finite.map((s) => s.hi))] : undefined;
  const paths = data
    ? data.series.map((s) => ({
        tag: s.tag,
        path: sparkPath(s.t, s.v, { from: data.from, to: data.to, width, height, domain, pad: 4 }),
      }))
    : [];
  const points = paths.reduce((n, p) => n + p.path.count, 0);
  const fmt = (v: number) => formatValue(v, first).text;
  return (
    <figure className="fp-trend" data-testid="fp-trend" data-tag={tags.join(' ')} data-points={points}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('trendOf', { tag: tags.join(', ') })}
      >
        <rect x={0.5} y={0.5} width={width - 1} height={height - 1} className="fp-trend-frame" />
        {paths.map((p, i) =>
          p.path.d ? (
            <path key={p.tag} d={p.path.d} className={i === 0 ? 'fp-trend-line' : 'fp-trend-line fp-trend-line-2'} />
          ) : null,
        )}
        {points === 0 ? (
          <text x={width / 2} y={height / 2 + 5} textAnchor="middle" className="fp-trend-empty">
            {error ? t('trendError', { error }) : t('trendEmpty')}
          </text>
        ) : null}
      </svg>
      <figcaption className="fp-trend-caption">
        <span>{data ? formatClock(data.from, false) : ''}</span>
        <span className="fp-trend-legend">
          {tags.map((tag, i) => (
            <span key={tag} className={i === 0 ? 'fp-legend-1' : 'fp-legend-2'}>
              {tag.split('.').slice(1).join('.')}
            </span>
          ))}
          {domain ? (
            <span className="muted">
              {' '}
              {fmt(domain[0])} … {fmt(domain[1])}
            </span>
          ) : null}
        </span>
        <span>{data ? formatClock(data.to, false) : ''}</span>
      </figcaption>
    </figure>
  );
}
