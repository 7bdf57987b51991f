/**
 * The Trends screen: up to eight analog tags, a time range (presets ending now and appended
 * live each second, a custom from/to on a 24-hour clock, or a span dragged on the plot or
 * zoomed by keys), each pen's min/max band and average from `history.trend`, its setpoint and
 * alarm limits, the same window a day or a week earlier, two rulers with min/max/average
 * between them, PNG and CSV export, and named trend sets kept per user on the station.
 *
 * Keys (documented on screen): `/` jumps to the tag search; on the focused plot `+`/`-` zoom,
 * `←`/`→` pan, `Home` returns to the range chosen before zooming, `,`/`.` move the cursor
 * (Shift: ten steps), `[`/`]` place ruler A/B at the cursor, `Delete` clears the rulers.
 */
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type uPlot from 'uplot';
import type { AlarmDefinitionDto, HistoryTrendDto, TagInfo } from '../../preload/contract.js';
import { useConnected, useStation, useStationSnapshot } from '../app/station-context.js';
import { filterTags } from '../screens/tag-filter.js';
import { pickText } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { formatNumber } from '../format/format-value.js';
import { buildFrame, liveGrid, liveTail, slideFrame, valueIndexNear, type TrendFrame } from './trend-data.js';
import { MAX_PENS, pensFor, pensFromList, penRefusal, readout, type Pen } from './trend-pens.js';
import {
  RANGE_PRESETS,
  customRange,
  describeRange,
  formatInput,
  formatSpan,
  formatStamp,
  panRange,
  presetRange,
  resolveRange,
  scaleRange,
  zoomRange,
  type TrendRange,
} from './trend-range.js';
import {
  channelKey,
  channelsFor,
  limitLines,
  overlayLabel,
  OVERLAYS,
  setpointTag,
  type Channel,
  type LimitLine,
  type OverlayId,
} from './trend-references.js';
import { moveCursor, NO_RULERS, placeNextRuler, rulerStats, type Rulers } from './trend-rulers.js';
import {
  parseTrendSets,
  removeTrendSet,
  saveTrendSet,
  setName,
  storedTrendSets,
  TREND_SETS_KEY,
  type TrendSet,
} from './trend-sets.js';
import { trendTagsFromHash } from './trend-route.js';
import { penColour } from './trend-colours.js';
import { composeTrendPicture, downloadPng, pngFileName } from './trend-png.js';
import { TrendPlot } from './trend-plot.js';
import { TrendExport } from './trend-export.js';
import { trendText } from './trends-text.js';
import { bandForTag, bandName } from '../predictions/forecast-bands.js';
import { useModels } from '../predictions/use-models.js';
import './trends.css';
import { useRefusal } from '../app/use-refusal.js';

/** The plot's height: as tall as the window allows with the range bar and a few pen rows in view (1080 → 480 px, 768 → 338 px). */
const plotHeight = (): number =>
  Math.round(Math.min(480, Math.max(260, (typeof window === 'undefined' ? 850 : window.innerHeight) - 430)));
const MAX_OPTIONS = 60;
const LIVE_APPEND_MS = 1000;

type T = ReturnType<typeof useText<keyof typeof trendText.en>>;

/** The pens, range and overlays survive leaving the screen and coming back (not a reload). */
let remembered: { tags: string[]; range: TrendRange; overlays: OverlayId[] } = {
  tags: [],
  range: presetRange('15m'),
  overlays: [],
};

const zoneOffset = (ms: number) => -new Date(ms).getTimezoneOffset();
const stamp = (ms: number) => formatStamp(ms, zoneOffset(ms));

interface Loaded {
  readonly frame: TrendFrame;
  /** The channels the frame was asked for (a live slide only continues the same ones). */
  readonly key: string;
  readonly tiers: string[];
  readonly errors: ReadonlyMap<string, string>;
  readonly measure: { readonly what: 'render' | 'append'; readonly since: number; readonly replied?: number };
}

const tierKey = { raw: 'tierRaw', '1m': 'tier1m', '1h': 'tier1h' } as const;

export function TrendView() {
  const refuse = useRefusal();
  const station = useStation();
  const t = useText(trendText);
  const lang = useLang();
  const { tags: allTags, tagsByName, auth } = useStationSnapshot();
  const [tags, setTags] = useState<string[]>(remembered.tags);
  const [range, setRangeState] = useState<TrendRange>(remembered.range);
  /** The range chosen before zooming/panning by keys or drag: `Home` returns to it. */
  const [baseRange, setBaseRange] = useState<TrendRange>(remembered.range);
  const [overlays, setOverlays] = useState<OverlayId[]>(remembered.overlays);
  const [plotWidth, setPlotWidth] = useState(0);
  const [height, setHeight] = useState(plotHeight);
  useEffect(() => {
    const onResize = () => setHeight(plotHeight());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [cursor, setCursor] = useState<number | null>(null);
  const [rulers, setRulers] = useState<Rulers>(NO_RULERS);
  const lastRuler = useRef<'a' | 'b' | null>(null);
  const [penMessage, setPenMessage] = useState<string | null>(null);
  const [definitions, setDefinitions] = useState<AlarmDefinitionDto[]>([]);
  const plotRef = useRef<uPlot | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  remembered = { tags, range, overlays };

  const chooseRange = useCallback((r: TrendRange) => {
    setRangeState(r);
    setBaseRange(r);
    setRulers(NO_RULERS);
  }, []);
  const zoomTo = useCallback((r: TrendRange) => setRangeState(r), []);

  // A link from another screen (`#/trends?tags=A,B`) opens with those pens.
  const analog = useMemo(() => allTags.filter((i) => i.kind === 'analog'), [allTags]);
  const knownTag = useCallback((tag: string) => tagsByName.has(tag), [tagsByName]);
  const appliedHash = useRef<string | null>(null);
  useEffect(() => {
    const apply = () => {
      const hash = window.location.hash;
      const wanted = trendTagsFromHash(hash);
      // Each link once: a later refresh of the tag list must not undo the operator's own changes.
      if (!wanted || allTags.length === 0 || appliedHash.current === hash) return;
      appliedHash.current = hash;
      const { tags: next, unknown, dropped } = pensFromList(wanted, knownTag);
      setTags(next);
      const problems = [
        unknown.length ? t('routeUnknown', { tags: unknown.join(', ') }) : '',
        dropped.length ? t('routeDropped', { max: MAX_PENS, tags: dropped.join(', ') }) : '',
      ].filter(Boolean);
      setPenMessage(problems.length ? problems.join(' ') : null);
    };
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
    // Once the tag list has arrived, and on every hash change.
  }, [allTags.length > 0, knownTag]);

  // `/` jumps to the tag search from anywhere on the screen (not while typing).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Alarm limits and setpoint references: the static alarm definitions, on every (re)connection.
  const connected = useConnected();
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void station.transport.request('alarms.definitions', {}).then((reply) => {
      if (live && reply.ok) setDefinitions(reply.value);
    });
    return () => {
      live = false;
    };
  }, [station, connected]);

  // Forecast median outputs get their model's band (lower/upper quantile outputs at the same horizon).
  const models = useModels(300_000).models;
  const pens = useMemo(
    () =>
      pensFor(tags, (tag) => tagsByName.get(tag), penColour).map((pen) => {
        const info = tagsByName.get(pen.tag);
        const description = info ? pickText(info.description, lang) : '';
        const labelled = { ...pen, label: description ? `${pen.tag} — ${description}` : pen.tag };
        const band = models ? bandForTag(pen.tag, models) : null;
        return band
          ? { ...labelled, band: { lower: band.lower, upper: band.upper, name: bandName(band.lowerQ, band.upperQ) } }
          : labelled;
      }),
    [tags, tagsByName, models, lang],
  );
  const limits = useMemo<LimitLine[][]>(() => pens.map((p) => limitLines(p.tag, definitions)), [pens, definitions]);
  const setpoints = useMemo(
    () => pens.map((p) => setpointTag(p.tag, definitions, knownTag)),
    [pens, definitions, knownTag],
  );
  const channels = useMemo<Channel[]>(() => channelsFor(pens, setpoints, overlays), [pens, setpoints, overlays]);
  const key = channelKey(channels);
  const buckets = Math.max(50, Math.min(10_000, plotWidth || 800));
  const mayExport = auth?.state === 'active' && auth.permissions.includes('history.export');

  const ask = useCallback(
    (c: Channel, from: number, to: number, n: number) =>
      station.transport.request('history.trend', {
        tag: c.tag,
        from: Math.floor(from - c.shiftMs),
        to: Math.ceil(to - c.shiftMs),
        buckets: n,
      }),
    [station],
  );

  // A full query round per change of channels/range/width.
  const generation = useRef(0);
  const inFlight = useRef(false);
  const loadedRef = useRef<Loaded | null>(null);
  loadedRef.current = loaded;
  const query = useCallback(async () => {
    const gen = ++generation.current;
    if (channels.length === 0) {
      setLoaded(null);
      return;
    }
    const since = performance.now();
    const now = Date.now();
    const grid =
      range.kind === 'live' ? liveGrid(range.spanMs, buckets, now) : { ...resolveRange(range, now), buckets };
    const from = Math.floor(grid.from);
    const to = Math.ceil(grid.to);
    inFlight.current = true;
    setLoading(true);
    const replies = await Promise.all(channels.map((c) => ask(c, from, to, grid.buckets)));
    inFlight.current = false;
    if (gen !== generation.current) return;
    const replied = performance.now();
    setLoading(false);
    const errors = new Map<string, string>();
    const results = replies.map((reply, i) => {
      const c = channels[i]!;
      if (!reply.ok && c.role === 'pen') errors.set(c.tag, refuse(reply.error));
      return { tag: c.tag, shiftMs: c.shiftMs, reply: reply.ok ? (reply.value as HistoryTrendDto) : null };
    });
    const frame = buildFrame(results, { from, to, buckets: grid.buckets, nowMs: Date.now() });
    const tiers = [
      ...new Set(results.flatMap((r, i) => (r.reply && channels[i]!.role === 'pen' ? [t(tierKey[r.reply.tier])] : []))),
    ];
    setLoaded({ frame, key, tiers, errors, measure: { what: 'render', since, replied } });
  }, [channels, key, range, buckets, ask, t, refuse]);

  useEffect(() => {
    void query();
  }, [query]);

  // Live: each second only the newest buckets are asked for and appended (the chart is not re-created);
  // the last few seconds are asked again, for samples that reached the history late (see liveTail).
  useEffect(() => {
    if (range.kind !== 'live') return;
    const timer = setInterval(() => {
      const current = loadedRef.current;
      if (inFlight.current || !current || current.key !== key) return;
      const frame = current.frame;
      const now = Date.now();
      const to = Math.ceil(now / frame.bucketMs) * frame.bucketMs;
      if (to - frame.to > (frame.to - frame.from) / 2) {
        void query(); // the tab slept: start over rather than slide half a window
        return;
      }
      const tail = liveTail(frame, now);
      const gen = generation.current;
      inFlight.current = true;
      void Promise.all(channels.map((c) => ask(c, tail.from, tail.to, tail.buckets))).then((replies) => {
        inFlight.current = false;
        if (gen !== generation.current) return;
        const since = performance.now();
        const tails = replies.map((r, i) => ({
          reply: r.ok ? (r.value as HistoryTrendDto) : null,
          shiftMs: channels[i]!.shiftMs,
        }));
        const next = slideFrame(frame, tails, tail.from, tail.to, Date.now());
        if (next === frame) return; // nothing new this second: nothing to draw
        // Rendered, committed and drawn in this task: a second's append does not wait behind
        // whatever else the page has queued.
        flushSync(() =>
          setLoaded((prev) =>
            prev && prev.key === key ? { ...prev, frame: next, measure: { what: 'append', since } } : prev,
          ),
        );
      });
    }, LIVE_APPEND_MS);
    return () => clearInterval(timer);
  }, [range, key, channels, ask, query]);

  const frame = loaded?.frame ?? null;
  const onZoom = useCallback((a: number, b: number) => zoomTo(zoomRange(a, b)), [zoomTo]);
  const onClickTime = useCallback((ms: number) => {
    setRulers((r) => {
      const next = placeNextRuler(r, ms, lastRuler.current);
      lastRuler.current = next.placed;
      return next.rulers;
    });
  }, []);

  const addTag = useCallback(
    (tag: string) => {
      const refusal = penRefusal(tags, tag);
      if (refusal === 'full') setPenMessage(t('penLimit', { max: MAX_PENS, tag }));
      else if (refusal === null) {
        setPenMessage(null);
        setTags([...tags, tag]);
      }
    },
    [tags, t],
  );

  // Keyboard operation of the focused plot.
  const setKeyboardCursor = (index: number | null) => {
    const u = plotRef.current;
    if (index === null || !u || !frame) return;
    const x = frame.x[index];
    if (x === undefined) return;
    u.setCursor({ left: u.valToPos(x, 'x'), top: u.bbox.height / 2 / devicePixelRatio });
    setCursor(index);
  };
  const onPlotKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const { from, to } = resolveRange(range, Date.now());
    const handled = (() => {
      switch (e.key) {
        case '+':
        case '=':
          zoomTo(scaleRange(from, to, 0.5));
          return true;
        case '-':
        case '_':
          zoomTo(scaleRange(from, to, 2));
          return true;
        case 'ArrowLeft':
          zoomTo(panRange(from, to, -0.25));
          return true;
        case 'ArrowRight':
          zoomTo(panRange(from, to, 0.25));
          return true;
        case 'Home':
          setRangeState(baseRange);
          return true;
        case ',':
        case '<':
          setKeyboardCursor(moveCursor(cursor, e.shiftKey ? -10 : -1, frame?.x.length ?? 0));
          return true;
        case '.':
        case '>':
          setKeyboardCursor(moveCursor(cursor, e.shiftKey ? 10 : 1, frame?.x.length ?? 0));
          return true;
        case '[':
        case ']': {
          const at = cursor !== null ? frame?.x[cursor] : undefined;
          if (at === undefined) return true;
          const which = e.key === '[' ? 'a' : 'b';
          lastRuler.current = which;
          setRulers((r) => ({ ...r, [which]: at }));
          return true;
        }
        case 'Delete':
        case 'Backspace':
          setRulers(NO_RULERS);
          return true;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };

  const exportPng = async (): Promise<number> => {
    const u = plotRef.current;
    if (!u || !frame) throw new Error(t('pngNothing'));
    const at = cursor !== null ? frame.x[cursor] : undefined;
    const legend = pens.flatMap((pen, p) => {
      const index = at !== undefined && frame.pens[p] ? valueIndexNear(frame.pens[p], cursor!) : null;
      const r = readout(pen, frame.pens[p], index);
      const main = {
        number: String(pen.number),
        colour: pen.colour,
        dashed: false,
        text: `${pen.label}${pen.unit ? ` [${pen.unit}]` : ''}${index !== null ? ` = ${r.value}` : ''}`,
      };
      const sp = setpoints[p]
        ? [{ number: `${pen.number} ${t('setpointShort')}`, colour: pen.colour, dashed: true, text: setpoints[p]! }]
        : [];
      const ov = overlays.map((o) => ({
        number: `${pen.number} ${overlayLabel(o)}`,
        colour: pen.colour,
        dashed: true,
        text: t('overlayLegend', { tag: pen.tag, shift: overlayLabel(o) }),
      }));
      return [main, ...sp, ...ov];
    });
    const subtitle = `${describeRange(range, stamp, t('liveRange'))} · ${t('pngPrinted', { at: stamp(Date.now()) })}`;
    const picture = composeTrendPicture(
      u.ctx.canvas,
      { title: t('pngTitle', { pens: pens.map((p) => p.tag).join(', ') }), subtitle, legend },
      window.devicePixelRatio || 1,
    );
    return downloadPng(picture, pngFileName(Date.now()));
  };

  const applySet = useCallback(
    (set: TrendSet) => {
      const { tags: next, unknown } = pensFromList(set.tags, knownTag);
      setTags(next);
      setOverlays([...set.overlays]);
      chooseRange(set.range);
      setPenMessage(unknown.length ? t('routeUnknown', { tags: unknown.join(', ') }) : null);
    },
    [knownTag, chooseRange, t],
  );
  // The parts a live second does not change are memoized: their props stay the same objects.
  const exportRef = useRef(exportPng);
  exportRef.current = exportPng;
  const onPng = useCallback(() => exportRef.current(), []);
  const currentSet = useMemo(() => ({ tags, range: baseRange, overlays }), [tags, baseRange, overlays]);
  const clearRulers = useCallback(() => setRulers(NO_RULERS), []);
  const removePen = useCallback((tag: string) => setTags((list) => list.filter((x) => x !== tag)), []);

  return (
    <section className="trends" aria-label={t('title')}>
      <TagPicker tags={analog} selected={tags} onAdd={addTag} message={penMessage} searchRef={searchRef} t={t} />
      <div className="trend-main">
        <RangeBar
          range={range}
          onRange={chooseRange}
          busy={loading}
          overlays={overlays}
          onOverlays={setOverlays}
          t={t}
        />
        <div className="trend-canvas panel">
          {tags.length === 0 ? <p className="muted trend-empty">{t('empty')}</p> : null}
          <div
            className="trend-plot-focus"
            tabIndex={0}
            role="group"
            data-testid="trend-plot-area"
            aria-label={t('plotLabel')}
            aria-describedby="trend-keys"
            onKeyDown={onPlotKey}
          >
            <TrendPlot
              pens={pens}
              channels={channels}
              frame={frame}
              limits={limits}
              rulers={rulers}
              height={height}
              words={{ setpoint: t('setpointShort'), unitless: t('noUnit'), pen: t('penWord') }}
              measure={loaded?.measure ?? null}
              onZoom={onZoom}
              onCursor={setCursor}
              onClickTime={onClickTime}
              onPlotWidth={setPlotWidth}
              onInstance={(u) => (plotRef.current = u)}
            />
          </div>
          <p className="trend-hint muted">
            {t('hintDrag')} <span className="trend-key-solid">{t('keySolid')}</span> {t('hintSolid')}{' '}
            <span className="trend-key-dashed">{t('keyDashed')}</span> {t('hintDashed')} {t('hintGap')}
            {setpoints.some(Boolean) ? ` ${t('hintSetpoint')}` : ''}
            {limits.some((l) => l.length > 0) ? ` ${t('hintLimits')}` : ''}
            {overlays.length > 0 ? ` ${t('hintOverlay')}` : ''}
            {loaded && loaded.tiers.length > 0 ? ` ${t('drawnFrom', { tiers: loaded.tiers.join(t('and')) })}` : ''}
            {pens.some((p) => p.band) ? (
              <span data-testid="trend-band-hint">
                {' '}
                {t('bandHint', {
                  pens: pens
                    .filter((p) => p.band)
                    .map((p) => p.number)
                    .join(', '),
                  band: pens.find((p) => p.band)!.band!.name,
                })}
              </span>
            ) : null}
          </p>
          <p className="trend-hint muted" id="trend-keys" data-testid="trend-keys">
            {t('keysHint')}
          </p>
        </div>
        <LivePenTable
          pens={pens}
          frame={frame}
          cursor={cursor}
          errors={loaded?.errors}
          setpoints={setpoints}
          overlays={overlays}
          channels={channels}
          rulers={rulers}
          onClearRulers={clearRulers}
          onRemove={removePen}
          t={t}
        />
        <div className="trend-tools">
          <PngButton disabled={!frame || pens.length === 0} onExport={onPng} t={t} />
          <TrendSets current={currentSet} onOpen={applySet} t={t} />
        </div>
        {mayExport && tags.length > 0 && frame ? <TrendExport tags={tags} from={frame.from} to={frame.to} /> : null}
      </div>
    </section>
  );
}

const RangeBar = memo(function RangeBar({
  range,
  onRange,
  busy,
  overlays,
  onOverlays,
  t,
}: {
  range: TrendRange;
  onRange: (r: TrendRange) => void;
  busy: boolean;
  overlays: readonly OverlayId[];
  onOverlays: (o: OverlayId[]) => void;
  t: T;
}) {
  const now = Date.now();
  const { from, to } = resolveRange(range, now);
  const [fromText, setFromText] = useState(() => formatInput(from));
  const [toText, setToText] = useState(() => formatInput(to));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    setFromText(formatInput(from));
    setToText(formatInput(to));
    // Only when the range itself changes, not on every clock tick of a live range.
  }, [range]);
  const apply = () => {
    const r = customRange(fromText, toText);
    if (typeof r === 'string')
      setMessage(
        t(
          r === 'tooShort'
            ? 'rangeTooShort'
            : r === 'endBeforeStart'
              ? 'rangeEndBeforeStart'
              : r === 'badFrom'
                ? 'rangeBadFrom'
                : 'rangeBadTo',
        ),
      );
    else {
      setMessage(null);
      onRange(r);
    }
  };
  const toggle = (id: OverlayId) =>
    onOverlays(overlays.includes(id) ? overlays.filter((o) => o !== id) : [...overlays, id]);
  return (
    <div className="trend-range panel">
      <div className="trend-presets" role="group" aria-label={t('rangeGroup')}>
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="trend-button trend-preset"
            data-testid={`trend-range-${p.id}`}
            aria-pressed={range.kind === 'live' && range.preset === p.id}
            onClick={() => onRange(presetRange(p.id))}
          >
            {formatSpan(p.ms).replace('365 d', '1 y')}
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
          {t('from')}{' '}
          <input
            type="text"
            inputMode="numeric"
            size={16}
            placeholder="YYYY-MM-DD HH:MM"
            data-testid="trend-from"
            value={fromText}
            onChange={(e) => setFromText(e.target.value)}
          />
        </label>
        <label>
          {t('to')}{' '}
          <input
            type="text"
            inputMode="numeric"
            size={16}
            placeholder="YYYY-MM-DD HH:MM"
            data-testid="trend-to"
            value={toText}
            onChange={(e) => setToText(e.target.value)}
          />
        </label>
        <button type="submit" className="trend-button" data-testid="trend-range-custom">
          {t('show')}
        </button>
      </form>
      <div className="trend-presets" role="group" aria-label={t('compareGroup')}>
        <span className="trend-compare-label">{t('compare')}</span>
        {OVERLAYS.map((o) => (
          <button
            key={o.id}
            type="button"
            className="trend-button"
            data-testid={`trend-overlay-${o.id}`}
            aria-pressed={overlays.includes(o.id)}
            onClick={() => toggle(o.id)}
          >
            {overlayLabel(o.id)}
          </button>
        ))}
      </div>
      <div className="trend-range-text" data-testid="trend-range-text">
        {range.kind === 'live' ? <span className="trend-live-badge">{t('live')}</span> : null}{' '}
        {describeRange(range, stamp, t('liveRange'))}
        {busy ? <span className="muted"> · {t('loading')}</span> : null}
        {message ? (
          <span className="trend-range-message" role="alert">
            {' '}
            {message}
          </span>
        ) : null}
      </div>
    </div>
  );
});

function fmt(v: number | null, pen: Pen): string {
  return v === null ? '—' : `${formatNumber(v, pen.decimals)}${pen.unit ? ` ${pen.unit}` : ''}`;
}

interface PenTableProps {
  pens: readonly Pen[];
  frame: TrendFrame | null;
  cursor: number | null;
  errors: ReadonlyMap<string, string> | undefined;
  setpoints: readonly (string | null)[];
  overlays: readonly OverlayId[];
  channels: readonly Channel[];
  rulers: Rulers;
  onClearRulers: () => void;
  onRemove: (tag: string) => void;
  t: T;
}

/**
 * The pen table follows a live second's frame in a render of its own, after the plot is drawn:
 * the task that draws the appended second does not also rebuild the table (the table's new
 * values follow a few milliseconds later, in the next task).
 */
function LivePenTable(props: PenTableProps) {
  const frame = useDeferredValue(props.frame);
  return <PenTable {...props} frame={frame} />;
}

const PenTable = memo(function PenTable(props: PenTableProps) {
  const { pens, frame, cursor, errors, setpoints, overlays, channels, rulers, t } = props;
  if (pens.length === 0) return null;
  const words = { noData: t('qualityNoData'), unchanged: t('qualityUnchanged'), notGood: t('qualityNotGood') };
  // Without a cursor on the plot, the readout shows the latest value drawn.
  const latest = frame ? frame.pens.map((p) => p.avg.findLastIndex((v) => v !== null)) : [];
  const at = cursor !== null && frame ? frame.x[cursor] : undefined;
  const both = rulers.a !== null && rulers.b !== null;
  const channelOf = (role: Channel['role'], pen: number, overlay?: OverlayId) =>
    channels.findIndex((c) => c.role === role && c.pen === pen && (overlay === undefined || c.overlay === overlay));
  const valueAt = (channel: number) => {
    const columns = channel >= 0 ? frame?.pens[channel] : undefined;
    if (!columns) return null;
    const index =
      cursor !== null
        ? valueIndexNear(columns, cursor)
        : latest[channel] !== undefined && latest[channel]! >= 0
          ? latest[channel]!
          : null;
    return index === null ? null : (columns.avg[index] ?? null);
  };
  return (
    <div className="trend-legend-wrap panel">
      <table className="trend-legend" data-testid="trend-legend">
        <caption>
          {at !== undefined ? (
            <>
              {t('at')}{' '}
              <span className="mono" data-testid="trend-cursor-time">
                {stamp(at)}
              </span>
            </>
          ) : (
            t('latestDrawn')
          )}
          {rulers.a !== null || rulers.b !== null ? (
            <span className="trend-ruler-times">
              {' · '}
              {t('rulerA')}{' '}
              <span className="mono" data-testid="trend-ruler-a">
                {rulers.a !== null ? stamp(rulers.a) : '—'}
              </span>
              , {t('rulerB')}{' '}
              <span className="mono" data-testid="trend-ruler-b">
                {rulers.b !== null ? stamp(rulers.b) : '—'}
              </span>{' '}
              <button
                type="button"
                className="trend-button trend-small"
                data-testid="trend-rulers-clear"
                onClick={props.onClearRulers}
              >
                {t('clearRulers')}
              </button>
            </span>
          ) : (
            <span className="muted"> · {t('rulersHint')}</span>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('colPen')}</th>
            <th scope="col">{t('colTag')}</th>
            <th scope="col" className="num">
              {t('colValue')}
            </th>
            <th scope="col" className="num">
              {t('colSpan')}
            </th>
            <th scope="col">{t('colQuality')}</th>
            {both ? (
              <>
                <th scope="col" className="num">
                  {t('colMin')}
                </th>
                <th scope="col" className="num">
                  {t('colMax')}
                </th>
                <th scope="col" className="num">
                  {t('colAvg')}
                </th>
              </>
            ) : null}
            <th scope="col">
              <span className="trend-sr-only">{t('colRemove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pens.map((pen, p) => {
            const columns = frame?.pens[p];
            const index = columns
              ? cursor !== null
                ? valueIndexNear(columns, cursor)
                : (latest[p] ?? -1) >= 0
                  ? latest[p]!
                  : null
              : null;
            const r = readout(pen, columns, index, words);
            const error = errors?.get(pen.tag);
            const stats = both && columns && frame ? rulerStats(columns, frame.x, rulers.a!, rulers.b!) : null;
            const sp = setpoints[p];
            const spValue = sp ? valueAt(channelOf('setpoint', p)) : null;
            return [
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
                  {sp ? (
                    <div className="muted trend-pen-desc" data-testid="trend-pen-setpoint">
                      {t('setpointLine', { tag: sp, value: fmt(spValue, pen) })}
                    </div>
                  ) : null}
                </td>
                <td className="num mono" data-testid="trend-legend-value">
                  {error ? '—' : r.value}
                </td>
                <td className="num mono">{r.span ?? ''}</td>
                <td
                  className={
                    error ? 'trend-pen-error' : r.quality && r.quality !== words.unchanged ? 'trend-pen-poor' : ''
                  }
                >
                  {error
                    ? `${t('noHistory')}: ${error}`
                    : r.quality && r.quality !== words.unchanged
                      ? `? ${r.quality}`
                      : frame && index !== null
                        ? t('qualityGood')
                        : ''}
                </td>
                {stats ? (
                  <>
                    <td className="num mono" data-testid="trend-ruler-min">
                      {fmt(stats.min, pen)}
                    </td>
                    <td className="num mono" data-testid="trend-ruler-max">
                      {fmt(stats.max, pen)}
                    </td>
                    <td className="num mono" data-testid="trend-ruler-avg">
                      {fmt(stats.avg, pen)}
                    </td>
                  </>
                ) : null}
                <td>
                  <button
                    type="button"
                    className="trend-button trend-remove"
                    aria-label={t('removePen', { tag: pen.tag })}
                    onClick={() => props.onRemove(pen.tag)}
                  >
                    ×
                  </button>
                </td>
              </tr>,
              ...overlays.map((o) => {
                const ch = channelOf('overlay', p, o);
                const ov = frame?.pens[ch];
                const stat = both && ov && frame ? rulerStats(ov, frame.x, rulers.a!, rulers.b!) : null;
                return (
                  <tr key={`${pen.tag}@${o}`} className="trend-overlay-row" data-overlay-tag={pen.tag} data-overlay={o}>
                    <td>
                      <span
                        className="trend-pen-number trend-pen-overlay"
                        style={{ borderColor: pen.colour, color: pen.colour }}
                      >
                        {pen.number} {overlayLabel(o)}
                      </span>
                    </td>
                    <td className="muted">{t('overlayLegend', { tag: pen.tag, shift: overlayLabel(o) })}</td>
                    <td className="num mono" data-testid="trend-overlay-value">
                      {fmt(valueAt(ch), pen)}
                    </td>
                    <td colSpan={2} />
                    {stat ? (
                      <>
                        <td className="num mono">{fmt(stat.min, pen)}</td>
                        <td className="num mono">{fmt(stat.max, pen)}</td>
                        <td className="num mono">{fmt(stat.avg, pen)}</td>
                      </>
                    ) : null}
                    <td />
                  </tr>
                );
              }),
            ];
          })}
        </tbody>
      </table>
    </div>
  );
});

const PngButton = memo(function PngButton({
  disabled,
  onExport,
  t,
}: {
  disabled: boolean;
  onExport: () => Promise<number>;
  t: T;
}) {
  const [state, setState] = useState<{ phase: 'idle' | 'done' | 'failed'; text: string; bytes: number }>({
    phase: 'idle',
    text: '',
    bytes: 0,
  });
  return (
    <div className="trend-png">
      <button
        type="button"
        className="trend-button"
        data-testid="trend-png"
        disabled={disabled}
        onClick={() =>
          void onExport().then(
            (bytes) =>
              setState({ phase: 'done', text: t('pngDone', { kb: Math.max(1, Math.round(bytes / 1024)) }), bytes }),
            (err: unknown) =>
              setState({
                phase: 'failed',
                text: `${t('pngFailed')}: ${err instanceof Error ? err.message : String(err)}`,
                bytes: 0,
              }),
          )
        }
      >
        {t('pngExport')}
      </button>
      {state.phase !== 'idle' ? (
        <span
          className={state.phase === 'failed' ? 'trend-export-failed' : 'muted'}
          data-testid="trend-png-status"
          data-phase={state.phase}
          data-bytes={state.bytes}
          role="status"
        >
          {' '}
          {state.text}
        </span>
      ) : null}
    </div>
  );
});

const TrendSets = memo(function TrendSets({
  current,
  onOpen,
  t,
}: {
  current: { tags: readonly string[]; range: TrendRange; overlays: readonly OverlayId[] };
  onOpen: (set: TrendSet) => void;
  t: T;
}) {
  const station = useStation();
  const [sets, setSets] = useState<TrendSet[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [name, setNameText] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const connected = useConnected();

  // The user's sets once the link is up (a request sent before it is would only be refused).
  useEffect(() => {
    if (!connected || sets !== null) return;
    let live = true;
    void station.transport.request('prefs.get', {}).then((reply) => {
      if (!live) return;
      if (reply.ok) setSets(parseTrendSets(reply.value[TREND_SETS_KEY]));
      else {
        setSets([]);
        setStatus({ ok: false, text: `${t('setsUnavailable')}: ${reply.error.message}` });
      }
    });
    return () => {
      live = false;
    };
  }, [station, t, connected, sets]);

  const store = async (next: TrendSet[], done: string) => {
    const reply = await station.transport.request('prefs.set', { key: TREND_SETS_KEY, value: storedTrendSets(next) });
    if (reply.ok) {
      setSets(next);
      setStatus({ ok: true, text: done });
    } else setStatus({ ok: false, text: `${t('setsRefused')}: ${reply.error.message}` });
  };
  const save = () => {
    const n = setName(name);
    if (!n) return setStatus({ ok: false, text: t('setNameNeeded') });
    if (current.tags.length === 0) return setStatus({ ok: false, text: t('setNoPens') });
    const next = saveTrendSet(sets ?? [], {
      name: n,
      tags: [...current.tags],
      range: current.range,
      overlays: [...current.overlays],
    });
    if (!next) return setStatus({ ok: false, text: t('setsFull') });
    setChosen(n);
    void store(next, t('setSaved', { name: n }));
  };
  const open = () => {
    const set = sets?.find((s) => s.name === chosen);
    if (set) {
      onOpen(set);
      setStatus({ ok: true, text: t('setOpened', { name: set.name }) });
    }
  };
  const remove = () => {
    if (!sets || !chosen) return;
    void store(removeTrendSet(sets, chosen), t('setDeleted', { name: chosen }));
    setChosen('');
  };
  return (
    <section className="trend-sets" aria-label={t('setsTitle')} data-testid="trend-sets" data-loaded={sets !== null}>
      <h2 className="trend-sets-title">{t('setsTitle')}</h2>
      <div className="trend-sets-row">
        <label>
          {t('setSaved2')}{' '}
          <select
            data-testid="trend-set-select"
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            disabled={!sets || sets.length === 0}
          >
            <option value="">{sets && sets.length > 0 ? t('setChoose') : t('setNone')}</option>
            {(sets ?? []).map((s) => (
              <option key={s.name} value={s.name} data-testid="trend-set-option">
                {s.name} ({s.tags.length})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="trend-button" data-testid="trend-set-open" disabled={!chosen} onClick={open}>
          {t('setOpen')}
        </button>
        <button
          type="button"
          className="trend-button"
          data-testid="trend-set-delete"
          disabled={!chosen}
          onClick={remove}
        >
          {t('setDelete')}
        </button>
      </div>
      <form
        className="trend-sets-row"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          {t('setName')}{' '}
          <input
            type="text"
            data-testid="trend-set-name"
            maxLength={60}
            value={name}
            onChange={(e) => setNameText(e.target.value)}
          />
        </label>
        <button type="submit" className="trend-button" data-testid="trend-set-save" disabled={sets === null}>
          {t('setSave')}
        </button>
      </form>
      {status ? (
        <p className={status.ok ? 'muted' : 'trend-export-failed'} data-testid="trend-set-status" role="status">
          {status.text}
        </p>
      ) : null}
    </section>
  );
});

const TagPicker = memo(function TagPicker({
  tags,
  selected,
  onAdd,
  message,
  searchRef,
  t,
}: {
  tags: readonly TagInfo[];
  selected: readonly string[];
  onAdd: (tag: string) => void;
  message: string | null;
  searchRef: React.RefObject<HTMLInputElement | null>;
  t: T;
}) {
  const lang = useLang();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search);
  const matching = useMemo(() => filterTags(tags, deferred), [tags, deferred]);
  const full = selected.length >= MAX_PENS;
  return (
    <aside className="trend-picker panel" aria-label={t('pickerLabel')}>
      <label className="trend-picker-label">
        {t('addTag', { n: selected.length, max: MAX_PENS })}
        <input
          ref={searchRef}
          type="search"
          data-testid="trend-tag-search"
          placeholder={t('searchPlaceholder')}
          aria-keyshortcuts="/"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <p className="muted trend-picker-note">{t('searchShortcut')}</p>
      {message ? (
        <p className="trend-pen-message" data-testid="trend-pen-message" role="alert">
          {message}
        </p>
      ) : full ? (
        <p className="muted">{t('penFullNote', { max: MAX_PENS })}</p>
      ) : null}
      <ul className="trend-options">
        {matching.slice(0, MAX_OPTIONS).map((info) => {
          const on = selected.includes(info.name);
          return (
            <li key={info.name}>
              <button
                type="button"
                className={full && !on ? 'trend-option trend-option-full' : 'trend-option'}
                data-testid="trend-tag-option"
                data-tag={info.name}
                aria-pressed={on}
                disabled={on}
                onClick={() => onAdd(info.name)}
              >
                <span className="mono">{info.name}</span>{' '}
                {info.unit ? <span className="trend-option-unit">{info.unit}</span> : null}
                <span className="trend-option-desc">{pickText(info.description, lang)}</span>
                {on ? <span className="trend-option-on">{t('onTrend')}</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
      {matching.length > MAX_OPTIONS ? (
        <p className="muted">{t('moreOptions', { n: matching.length - MAX_OPTIONS })}</p>
      ) : null}
      {matching.length === 0 ? <p className="muted">{t('noMatch')}</p> : null}
    </aside>
  );
});
