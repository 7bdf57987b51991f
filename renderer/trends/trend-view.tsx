/**
 * The Trends screen: pick up to six analog tags, a time range (presets ending now and
 * refreshed live, a custom from/to, or a span dragged on the plot), and see each pen's
 * min/max band and average from `history.trend`, with a cursor readout per pen.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryTrendDto } from '../../preload/contract.js';
import { useStation, useStationSnapshot } from '../app/station-context.js';
import { filterTags } from '../screens/tag-filter.js';
import { buildFrame, valueIndexNear, type TrendFrame } from './trend-data.js';
import { MAX_PENS, addPen, pensFor, readout, type Pen } from './trend-pens.js';
import { RANGE_PRESETS, customRange, describeRange, formatStamp, liveRefreshMs, presetRange, resolveRange, toLocalInput, zoomRange, type TrendRange } from './trend-range.js';
import { TrendPlot } from './trend-plot.js';
import { TrendExport } from './trend-export.js';
import { bandForTag, bandName } from '../predictions/forecast-bands.js';
import { useModels } from '../predictions/use-models.js';
import './trends.css';

const PLOT_HEIGHT = 420;
const MAX_OPTIONS = 60;
const tierWords = { raw: 'stored samples', '1m': '1-minute rollups', '1h': '1-hour rollups' } as const;

/** The pens and range survive leaving the screen and coming back (not a reload). */
let remembered: { tags: string[]; range: TrendRange } = { tags: [], range: presetRange('15m') };

const zoneOffset = (ms: number) => -new Date(ms).getTimezoneOffset();
const stamp = (ms: number) => formatStamp(ms, zoneOffset(ms));

interface Loaded {
  readonly frame: TrendFrame;
  readonly tiers: string[];
  readonly errors: ReadonlyMap<string, string>;
  readonly at: number;
}

export function TrendView() {
  const station = useStation();
  const { tags: allTags, tagsByName, auth } = useStationSnapshot();
  const [tags, setTags] = useState<string[]>(remembered.tags);
  const [range, setRange] = useState<TrendRange>(remembered.range);
  const [plotWidth, setPlotWidth] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [cursor, setCursor] = useState<number | null>(null);
  remembered = { tags, range };

  // Forecast median outputs get their model's band (lower/upper quantile outputs at the same horizon).
  const models = useModels(300_000).models;
  const pens = useMemo(
    () =>
      pensFor(tags, (t) => tagsByName.get(t)).map((pen) => {
        const band = models ? bandForTag(pen.tag, models) : null;
        return band ? { ...pen, band: { lower: band.lower, upper: band.upper, name: bandName(band.lowerQ, band.upperQ) } } : pen;
      }),
    [tags, tagsByName, models],
  );
  const buckets = Math.max(50, Math.min(10_000, plotWidth || 800));
  const mayExport = auth?.state === 'active' && auth.permissions.includes('history.export');

  // One query round per change of pens/range/width, and on a timer while live.
  const generation = useRef(0);
  const inFlight = useRef(false);
  const query = useCallback(async () => {
    const gen = ++generation.current;
    if (tags.length === 0) {
      setLoaded(null);
      return;
    }
    const { from, to } = resolveRange(range, Date.now());
    inFlight.current = true;
    setLoading(true);
    const ask = (tag: string) => station.transport.request('history.trend', { tag, from: Math.floor(from), to: Math.ceil(to), buckets });
    const bandTags = pens.flatMap((p) => (p.band ? [p.band.lower, p.band.upper] : []));
    const [replies, bandReplies] = await Promise.all([Promise.all(tags.map(ask)), Promise.all(bandTags.map(ask))]);
    inFlight.current = false;
    if (gen !== generation.current) return;
    setLoading(false);
    const errors = new Map<string, string>();
    const results = replies.map((reply, i) => {
      const tag = tags[i]!;
      if (!reply.ok) errors.set(tag, `${reply.error.code}: ${reply.error.message}`);
      return { tag, reply: reply.ok ? (reply.value as HistoryTrendDto) : null };
    });
    const frameOptions = { from: Math.floor(from), to: Math.ceil(to), buckets, nowMs: Date.now() };
    const bandFrame = buildFrame(
      bandTags.map((tag, i) => ({ tag, reply: bandReplies[i]?.ok ? (bandReplies[i].value as HistoryTrendDto) : null })),
      frameOptions,
    );
    const bandColumns = (tag: string) => bandFrame.pens.find((p) => p.tag === tag)?.avg ?? null;
    const bands = pens.map((p) => {
      const lower = p.band ? bandColumns(p.band.lower) : null;
      const upper = p.band ? bandColumns(p.band.upper) : null;
      return lower && upper ? { lower, upper } : null;
    });
    const frame = { ...buildFrame(results, frameOptions), bands };
    const tiers = [...new Set(results.flatMap((r) => (r.reply ? [tierWords[r.reply.tier]] : [])))];
    setLoaded({ frame, tiers, errors, at: Date.now() });
  }, [station, tags, pens, range, buckets]);

  useEffect(() => {
    void query();
    if (range.kind !== 'live') return;
    const timer = setInterval(() => {
      if (!inFlight.current) void query();
    }, liveRefreshMs(range.spanMs, buckets));
    return () => clearInterval(timer);
  }, [query, range, buckets]);

  const frame = loaded?.frame ?? null;
  const onZoom = useCallback((a: number, b: number) => setRange(zoomRange(a, b)), []);

  return (
    <section className="trends" aria-label="Trends">
      <div className="trend-main">
        <RangeBar range={range} onRange={setRange} busy={loading} />
        <div className="trend-canvas panel">
          {tags.length === 0 ? <p className="muted trend-empty">Add a tag from the list to draw its history.</p> : null}
          <TrendPlot pens={pens} frame={frame} height={PLOT_HEIGHT} onZoom={onZoom} onCursor={setCursor} onPlotWidth={setPlotWidth} />
          <p className="trend-hint muted">
            Drag across the plot to zoom in. Shaded band: lowest to highest value in each pixel; line: average. <span className="trend-key-solid">solid</span> all samples Good,{' '}
            <span className="trend-key-dashed">dashed</span> some samples not Good; a break in a line: no data recorded.
            {loaded && loaded.tiers.length > 0 ? ` Drawn from ${loaded.tiers.join(' and ')}.` : ''}
            {pens.some((p) => p.band) ? (
              <span data-testid="trend-band-hint">
                {' '}
                Forecast pens ({pens.filter((p) => p.band).map((p) => p.number).join(', ')}): the light band between dotted lines is the model&apos;s {pens.find((p) => p.band)!.band!.name} range, drawn at the time the forecast was made.
              </span>
            ) : null}
          </p>
        </div>
        <TrendLegend pens={pens} frame={frame} cursor={cursor} errors={loaded?.errors} onRemove={(tag) => setTags(tags.filter((t) => t !== tag))} />
        {mayExport && tags.length > 0 && frame ? <TrendExport tags={tags} from={frame.from} to={frame.to} /> : null}
      </div>
      <TagPicker tags={allTags.filter((t) => t.kind === 'analog')} selected={tags} onAdd={(tag) => setTags(addPen(tags, tag))} />
    </section>
  );
}

function RangeBar({ range, onRange, busy }: { range: TrendRange; onRange: (r: TrendRange) => void; busy: boolean }) {
  const now = Date.now();
  const { from, to } = resolveRange(range, now);
  const [fromText, setFromText] = useState(() => toLocalInput(from, zoneOffset(from)));
  const [toText, setToText] = useState(() => toLocalInput(to, zoneOffset(to)));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    setFromText(toLocalInput(from, zoneOffset(from)));
    setToText(toLocalInput(to, zoneOffset(to)));
    // Only when the range itself changes, not on every clock tick of a live range.
  }, [range]);
  const apply = () => {
    const r = customRange(fromText, toText, (text) => (text ? new Date(text).getTime() : Number.NaN));
    if (typeof r === 'string') setMessage(r);
    else {
      setMessage(null);
      onRange(r);
    }
  };
  return (
    <div className="trend-range panel">
      <div className="trend-presets" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="trend-button trend-preset"
            data-testid={`trend-range-${p.id}`}
            aria-pressed={range.kind === 'live' && range.preset === p.id}
            onClick={() => onRange(presetRange(p.id))}
          >
            {p.label}
          </button>
        ))}
      </div>
      <form
        className="trend-custom"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          From <input type="datetime-local" data-testid="trend-from" value={fromText} onChange={(e) => setFromText(e.target.value)} />
        </label>
        <label>
          to <input type="datetime-local" data-testid="trend-to" value={toText} onChange={(e) => setToText(e.target.value)} />
        </label>
        <button type="submit" className="trend-button" data-testid="trend-range-custom">
          Show
        </button>
      </form>
      <div className="trend-range-text" data-testid="trend-range-text">
        {range.kind === 'live' ? <span className="trend-live-badge">LIVE</span> : null} {describeRange(range, stamp)}
        {busy ? <span className="muted"> · loading…</span> : null}
        {message ? (
          <span className="trend-range-message" role="alert">
            {' '}
            {message}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function TrendLegend({ pens, frame, cursor, errors, onRemove }: { pens: readonly Pen[]; frame: TrendFrame | null; cursor: number | null; errors: ReadonlyMap<string, string> | undefined; onRemove: (tag: string) => void }) {
  if (pens.length === 0) return null;
  // Without a cursor on the plot, the readout shows the latest value drawn.
  const latest = frame ? frame.pens.map((p) => p.avg.findLastIndex((v) => v !== null)) : [];
  const at = cursor !== null && frame ? frame.x[cursor] : undefined;
  return (
    <table className="trend-legend panel" data-testid="trend-legend">
      <caption>
        {at !== undefined ? (
          <>
            At <span className="mono" data-testid="trend-cursor-time">{stamp(at)}</span>
          </>
        ) : (
          'Latest values drawn'
        )}
      </caption>
      <thead>
        <tr>
          <th scope="col">Pen</th>
          <th scope="col">Tag</th>
          <th scope="col" className="num">Value</th>
          <th scope="col" className="num">Low … high</th>
          <th scope="col">Quality</th>
          <th scope="col"><span className="trend-sr-only">Remove</span></th>
        </tr>
      </thead>
      <tbody>
        {pens.map((pen, p) => {
          const columns = frame?.pens[p];
          const index = columns ? (cursor !== null ? valueIndexNear(columns, cursor) : (latest[p] ?? -1) >= 0 ? latest[p]! : null) : null;
          const r = readout(pen, columns, index);
          const error = errors?.get(pen.tag);
          return (
            <tr key={pen.tag} data-pen-tag={pen.tag}>
              <td>
                <span className="trend-pen-number" style={{ borderColor: pen.colour, color: pen.colour }}>
                  {pen.number}
                </span>
                <span className="trend-pen-swatch" style={{ background: pen.colour }} />
              </td>
              <td>
                <span className="mono">{pen.tag}</span>
                <div className="muted trend-pen-desc">{pen.label.slice(pen.tag.length + 3)}</div>
              </td>
              <td className="num mono" data-testid="trend-legend-value">
                {error ? '—' : r.value}
              </td>
              <td className="num mono">{r.span ?? ''}</td>
              <td className={error ? 'trend-pen-error' : r.quality && r.quality !== 'unchanged' ? 'trend-pen-poor' : ''}>{error ? `NO HISTORY: ${error}` : r.quality && r.quality !== 'unchanged' ? `? ${r.quality}` : frame && index !== null ? 'Good' : ''}</td>
              <td>
                <button type="button" className="trend-button trend-remove" aria-label={`Remove ${pen.tag} from the trend`} onClick={() => onRemove(pen.tag)}>
                  ×
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TagPicker({ tags, selected, onAdd }: { tags: readonly import('../../preload/contract.js').TagInfo[]; selected: readonly string[]; onAdd: (tag: string) => void }) {
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search);
  const matching = useMemo(() => filterTags(tags, deferred), [tags, deferred]);
  const full = selected.length >= MAX_PENS;
  return (
    <aside className="trend-picker panel" aria-label="Tags to trend">
      <label className="trend-picker-label">
        Add a tag ({selected.length}/{MAX_PENS} pens)
        <input type="search" data-testid="trend-tag-search" placeholder="Search name, description, unit…" value={search} onChange={(e) => setSearch(e.target.value)} />
      </label>
      {full ? <p className="muted">Six pens at most: remove one to add another.</p> : null}
      <ul className="trend-options">
        {matching.slice(0, MAX_OPTIONS).map((info) => {
          const on = selected.includes(info.name);
          return (
            <li key={info.name}>
              <button type="button" className="trend-option" data-testid="trend-tag-option" data-tag={info.name} aria-pressed={on} disabled={on || full} onClick={() => onAdd(info.name)}>
                <span className="mono">{info.name}</span> {info.unit ? <span className="trend-option-unit">{info.unit}</span> : null}
                <span className="trend-option-desc">{info.description.en}</span>
                {on ? <span className="trend-option-on">on the trend</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
      {matching.length > MAX_OPTIONS ? <p className="muted">{matching.length - MAX_OPTIONS} more: narrow the search.</p> : null}
      {matching.length === 0 ? <p className="muted">No analog tag matches.</p> : null}
    </aside>
  );
}
