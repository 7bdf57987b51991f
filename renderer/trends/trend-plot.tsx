/**
 * The trend canvas: uPlot with, per pen, the min/max band (spikes survive), the average
 * as a solid line where every sample was Good and dashed where some were not, the pen's
 * number at the end of its line, one y axis per unit, gaps left open; the pen's setpoint as a
 * thin dash-dot line, its alarm limits as dotted lines marked HH/H/L/LL, time-shifted
 * overlays dashed and lighter with their "−1 d" mark, and two rulers.
 *
 * One uPlot per set of series: a new one only when the series change (pens, setpoints,
 * bands, overlays). New data — a live second, a new range — goes through `setData` on the
 * same instance; limits, rulers and colours are read at draw time. A live second keeps the
 * y ranges on screen while its data allows (trend-scale.ts); one that only slid the window
 * and changed its newest buckets is drawn as a strip (trend-strip.ts).
 * Dragging across the plot selects a new range; a click places the next ruler.
 */
import { useLayoutEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrendFrame } from './trend-data.js';
import { axisLabel, unitAxes, type Pen } from './trend-pens.js';
import { overlayLabel, type Channel, type LimitLine } from './trend-references.js';
import { freshRange, liveRange } from './trend-scale.js';
import type { Rulers } from './trend-rulers.js';
import { readPlotColours, withAlpha, type PlotColours } from './trend-colours.js';
import {
  drawStrip,
  planStrip,
  scaleExtents,
  type Drawn,
  type OverlayReach,
  type StripGeometry,
} from './trend-strip.js';

const SERIES_PER_PEN = 4; // max, min, avg (Good), avg (not Good)
const FONT = '12px system-ui, "DejaVu Sans", "Noto Sans CJK SC", sans-serif';

/** uPlot instances made since the page loaded (the live append must not add any). */
let instancesCreated = 0;

export interface TrendPlotProps {
  readonly pens: readonly Pen[];
  /** What each column of the frame is: pens first (channel i = pen i), then setpoints, band edges, overlays. */
  readonly channels: readonly Channel[];
  readonly frame: TrendFrame | null;
  /** Alarm limits per pen. */
  readonly limits: readonly (readonly LimitLine[])[];
  readonly rulers: Rulers;
  readonly height: number;
  /** Words drawn on the canvas (in the console's language). */
  readonly words: { readonly setpoint: string; readonly unitless: string; readonly pen: string };
  /** What the next draw finishes, for the User Timing entry `argus.trend.<what>` (from `since`, a performance.now()). */
  readonly measure?: { readonly what: 'render' | 'append'; readonly since: number; readonly replied?: number } | null;
  /** Dragged over a time span: from/to in ms. */
  readonly onZoom: (from: number, to: number) => void;
  /** The bucket under the cursor (null when the cursor left the plot). */
  readonly onCursor: (index: number | null) => void;
  /** A click (not a drag) on the plot at this time. */
  readonly onClickTime: (ms: number) => void;
  /** The plotting area's width in CSS pixels (what `buckets` should be). */
  readonly onPlotWidth: (width: number) => void;
  /** The plot's instance, for the keyboard cursor and the PNG export. */
  readonly onInstance?: (u: uPlot | null) => void;
}

/** What the drawing shares with the live strip (trend-strip.ts) across draws. */
interface PlotState {
  /** A strip is being drawn (not a full draw): the y scales keep their ranges (the strip's data is not the whole window's). */
  strip: boolean;
  /** The strip draws the marks at the plot's left again (else they stand as drawn: the drawing did not move). */
  stripLeft: boolean;
  /** A live second is drawn in full: the y ranges on screen are kept where the data allows (trend-scale.ts). */
  live: boolean;
  /** Pixels the drawing has moved left since the last full draw (the dotted limit lines keep their phase). */
  shifted: number;
  /** Where the overlay's marks were drawn last. */
  reach: OverlayReach;
  /** The y range a live second gives each scale, from the range on screen and its data's smallest and largest value. */
  readonly ranges: Map<
    string,
    (shown: readonly [number, number] | null, min: number | null, max: number | null) => [number, number]
  >;
  /** The canvas was resized during a strip (its pixels are gone). */
  resized: boolean;
  /** Records the User Timing entry of the draw that finished the pending measure (if not yet). */
  measureDrawn: (u: uPlot) => void;
}

/** 24-hour tick labels, as detailed as the tick step needs (the date where the day changes or the step is a day or more). */
function timeTicks(splits: number[], incrMs: number): string[] {
  let lastDay = '';
  return splits.map((ms) => {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString();
    const day = d.slice(0, 10);
    const time = incrMs < 60_000 ? d.slice(11, 19) : d.slice(11, 16);
    const text = incrMs >= 86_400_000 ? day : day !== lastDay ? `${time}\n${day}` : time;
    lastDay = day;
    return text;
  });
}

/** The series uPlot gets, in order; `seriesKey` says when they change (a new instance). */
function seriesLayout(pens: readonly Pen[], channels: readonly Channel[]) {
  const bands = channels
    .filter((c) => c.role === 'band-upper')
    .map((c) => ({
      pen: c.pen,
      upper: channels.indexOf(c),
      lower: channels.findIndex((l) => l.role === 'band-lower' && l.pen === c.pen),
    }));
  const setpoints = channels.flatMap((c, i) => (c.role === 'setpoint' ? [{ pen: c.pen, channel: i, tag: c.tag }] : []));
  const overlays = channels.flatMap((c, i) =>
    c.role === 'overlay' && c.overlay ? [{ pen: c.pen, channel: i, overlay: c.overlay }] : [],
  );
  return { pens: pens.length, bands, setpoints, overlays };
}

export const seriesKey = (pens: readonly Pen[], channels: readonly Channel[]): string =>
  pens.map((p) => `${p.tag}|${p.unit}|${p.colour}`).join(',') +
  '#' +
  channels.map((c) => `${c.role}:${c.pen}:${c.tag}@${c.shiftMs}`).join(',');

function plotData(frame: TrendFrame | null, pens: readonly Pen[], channels: readonly Channel[]): AlignedData {
  const x = frame?.x ?? [];
  const layout = seriesLayout(pens, channels);
  const columns: (number | null)[][] = [];
  const empty = () => new Array<number | null>(x.length).fill(null);
  const col = (channel: number) => frame?.pens[channel];
  for (let p = 0; p < pens.length; p++) {
    const pen = col(p);
    columns.push(pen?.max ?? empty(), pen?.min ?? empty(), pen?.avgGood ?? empty(), pen?.avgPoor ?? empty());
  }
  for (const b of layout.bands) columns.push(col(b.upper)?.avg ?? empty(), col(b.lower)?.avg ?? empty());
  for (const s of layout.setpoints) columns.push(col(s.channel)?.avg ?? empty());
  for (const o of layout.overlays) columns.push(col(o.channel)?.avg ?? empty());
  return [x, ...columns];
}

type DataColumn = ArrayLike<number | null | undefined>;

function lastIndex(column: DataColumn | undefined): number {
  if (!column) return -1;
  let i = column.length - 1;
  while (i >= 0 && column[i] == null) i--;
  return i;
}

function firstIndex(column: DataColumn | undefined): number {
  if (!column) return -1;
  for (let i = 0; i < column.length; i++) if (column[i] != null) return i;
  return -1;
}

/** A small boxed mark at the right end of a line: pens are told apart without colour. */
function drawMark(
  u: uPlot,
  colours: PlotColours,
  text: string,
  colour: string,
  xPos: number,
  yPos: number,
): [number, number] {
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  const w = ctx.measureText(text).width + 6 * ratio;
  const h = 15 * ratio;
  const left = Math.min(xPos + 4 * ratio, u.bbox.left + u.bbox.width + 2 * ratio);
  ctx.fillStyle = colours.markBackground;
  ctx.strokeStyle = colour;
  ctx.lineWidth = ratio;
  ctx.setLineDash([]);
  ctx.fillRect(left, yPos - h / 2, w, h);
  ctx.strokeRect(left, yPos - h / 2, w, h);
  ctx.fillStyle = colour;
  ctx.fillText(text, left + 3 * ratio, yPos);
  return [Math.min(xPos, left), left + w];
}

function drawOverlay(u: uPlot, props: TrendPlotProps, colours: PlotColours, state: PlotState): void {
  const { pens, channels, limits, rulers, words } = props;
  const layout = seriesLayout(pens, channels);
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  const reach: OverlayReach = { leftMarks: left, endMarks: Infinity };
  // A strip that did not move leaves the limit labels and first-point marks where they are (its data has no buckets under them).
  const leftMarks = !state.strip || state.stripLeft;
  if (!leftMarks) reach.leftMarks = state.reach.leftMarks;
  ctx.save();
  ctx.font = `${Math.round(12 * ratio)}px system-ui, "DejaVu Sans", "Noto Sans CJK SC", sans-serif`;
  ctx.textBaseline = 'middle';
  // uPlot leaves its last axis alignment on the context.
  ctx.textAlign = 'left';
  // Alarm limits: dotted lines in the pen's colour with their mark and value.
  pens.forEach((pen, p) => {
    for (const line of limits[p] ?? []) {
      const y = u.valToPos(line.value, pen.scale, true);
      if (!Number.isFinite(y) || y < top - 1 || y > top + height + 1) continue;
      ctx.strokeStyle = pen.colour;
      ctx.lineWidth = ratio;
      ctx.setLineDash([2 * ratio, 3 * ratio]);
      // Dotted in step with the part of the line a strip moved left.
      ctx.lineDashOffset = state.shifted;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      if (!leftMarks) continue;
      const text = `${pen.number} ${line.mark} ${line.value}`;
      const w = ctx.measureText(text).width + 6 * ratio;
      ctx.setLineDash([]);
      ctx.fillStyle = colours.markBackground;
      ctx.fillRect(left + 4 * ratio, y - 7 * ratio, w, 14 * ratio);
      ctx.fillStyle = pen.colour;
      ctx.fillText(text, left + 7 * ratio, y);
      reach.leftMarks = Math.max(reach.leftMarks, left + 4 * ratio + w);
    }
  });
  ctx.lineDashOffset = 0;
  // Pen numbers at the last drawn point of each line; setpoint and overlay marks at the first
  // (the end of a line is where the pen's own number sits, often at the same height).
  const markAt = (column: DataColumn | undefined, scale: string, text: string, colour: string) => {
    if (!leftMarks) return;
    const i = firstIndex(column);
    if (i < 0 || !column) return;
    const [, right] = drawMark(
      u,
      colours,
      text,
      colour,
      Math.max(left, u.valToPos(u.data[0][i] as number, 'x', true)),
      u.valToPos(column[i] as number, scale, true) - 9 * ratio,
    );
    reach.leftMarks = Math.max(reach.leftMarks, right);
  };
  pens.forEach((pen, p) => {
    const good = u.data[1 + p * SERIES_PER_PEN + 2];
    const poor = u.data[1 + p * SERIES_PER_PEN + 3];
    if (!good || !poor) return;
    const i = Math.max(lastIndex(good), lastIndex(poor));
    if (i < 0) return;
    const v = (good[i] ?? poor[i]) as number;
    const [from] = drawMark(
      u,
      colours,
      String(pen.number),
      pen.colour,
      u.valToPos(u.data[0][i] as number, 'x', true),
      u.valToPos(v, pen.scale, true),
    );
    reach.endMarks = Math.min(reach.endMarks, from);
  });
  let s = 1 + pens.length * SERIES_PER_PEN + layout.bands.length * 2;
  for (const sp of layout.setpoints) {
    const pen = pens[sp.pen];
    if (pen) markAt(u.data[s], pen.scale, `${pen.number} ${words.setpoint}`, pen.colour);
    s++;
  }
  for (const o of layout.overlays) {
    const pen = pens[o.pen];
    if (pen) markAt(u.data[s], pen.scale, `${pen.number} ${overlayLabel(o.overlay)}`, withAlpha(pen.colour, 0.8));
    s++;
  }
  // Rulers: solid vertical lines marked A and B.
  for (const [name, at] of [
    ['A', rulers.a],
    ['B', rulers.b],
  ] as const) {
    if (at === null) continue;
    const x = u.valToPos(at, 'x', true);
    if (!Number.isFinite(x) || x < left || x > left + width) continue;
    ctx.strokeStyle = colours.ruler;
    ctx.lineWidth = 1.5 * ratio;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillStyle = colours.ruler;
    ctx.fillRect(x - 8 * ratio, top, 16 * ratio, 15 * ratio);
    ctx.fillStyle = colours.markBackground;
    ctx.textAlign = 'center';
    ctx.fillText(name, x, top + 8 * ratio);
    ctx.textAlign = 'left';
  }
  ctx.restore();
  state.reach = reach;
}

function plotOptions(
  props: TrendPlotProps,
  width: number,
  refs: { frame: { current: TrendFrame | null }; props: { current: TrendPlotProps } },
  state: PlotState,
): Options {
  const { pens, channels, words } = props;
  const colours = readPlotColours();
  const axes = unitAxes(pens);
  const layout = seriesLayout(pens, channels);
  const series: Options['series'] = [{}];
  const bands: NonNullable<Options['bands']> = [];
  pens.forEach((pen, p) => {
    const base = 1 + p * SERIES_PER_PEN;
    const common = { scale: pen.scale, spanGaps: false, points: { show: false } };
    series.push(
      // The band's edges are not stroked: the fill shows the band, and every stroked path is
      // rasterized again on each live second (16 fewer paths with 8 pens).
      { ...common, label: `${pen.tag} max`, stroke: withAlpha(pen.colour, 0.45), width: 0 },
      { ...common, label: `${pen.tag} min`, stroke: withAlpha(pen.colour, 0.45), width: 0 },
      { ...common, label: `${pen.tag}`, stroke: pen.colour, width: 2 },
      { ...common, label: `${pen.tag} (not Good)`, stroke: pen.colour, width: 2, dash: [7, 5] },
    );
    bands.push({ series: [base, base + 1], fill: withAlpha(pen.colour, 0.2) });
  });
  // A forecast median's band (lower to upper quantile output): dotted edges and a light fill in the pen's colour.
  let next = series.length;
  for (const b of layout.bands) {
    const pen = pens[b.pen]!;
    const common = { scale: pen.scale, spanGaps: false, points: { show: false } };
    series.push(
      {
        ...common,
        label: `${pen.band?.upper ?? ''} (band upper)`,
        stroke: withAlpha(pen.colour, 0.6),
        width: 1,
        dash: [2, 3],
      },
      {
        ...common,
        label: `${pen.band?.lower ?? ''} (band lower)`,
        stroke: withAlpha(pen.colour, 0.6),
        width: 1,
        dash: [2, 3],
      },
    );
    bands.push({ series: [next, next + 1], fill: withAlpha(pen.colour, 0.1) });
    next += 2;
  }
  for (const sp of layout.setpoints) {
    const pen = pens[sp.pen]!;
    series.push({
      scale: pen.scale,
      spanGaps: false,
      points: { show: false },
      label: `${sp.tag} (${words.setpoint})`,
      stroke: pen.colour,
      width: 1.25,
      dash: [10, 3, 2, 3],
    });
  }
  for (const o of layout.overlays) {
    const pen = pens[o.pen]!;
    series.push({
      scale: pen.scale,
      spanGaps: false,
      points: { show: false },
      label: `${pen.tag} ${overlayLabel(o.overlay)}`,
      stroke: withAlpha(pen.colour, 0.5),
      width: 1.5,
      dash: [4, 4],
    });
  }
  let measured: TrendPlotProps['measure'] = null;
  state.measureDrawn = (u) => {
    const m = refs.props.current.measure;
    if (m && m !== measured && typeof performance !== 'undefined') {
      measured = m;
      const end = performance.now();
      performance.measure(`argus.trend.${m.what}`, { start: m.since, end });
      // The console's own share: from the last reply in to the canvas drawn.
      if (m.replied !== undefined) performance.measure(`argus.trend.${m.what}-client`, { start: m.replied, end });
      (u.root.parentElement as HTMLElement | null)?.setAttribute(
        'data-drawn',
        String((Number(u.root.parentElement?.getAttribute('data-drawn')) || 0) + 1),
      );
    }
  };
  const scales: Options['scales'] = {
    x: {
      time: true,
      range: () => [refs.frame.current?.from ?? Date.now() - 60_000, refs.frame.current?.to ?? Date.now()],
    },
  };
  state.ranges.clear();
  for (const axis of axes) {
    // The pens' alarm limits stay in view.
    const limits = () => axis.pens.flatMap((p) => (refs.props.current.limits[p] ?? []).map((l) => l.value));
    const live = (shown: readonly [number, number] | null, min: number | null, max: number | null) =>
      liveRange(shown, min, max, limits());
    state.ranges.set(axis.scale, live);
    scales[axis.scale] = {
      // A strip leaves the y scales as they are (nor are its data's extremes looked for).
      auto: () => !state.strip,
      range: (u, min, max) => {
        if (!state.live) return freshRange(min, max, limits());
        const scale = u.scales[axis.scale];
        const shown = scale?.min != null && scale.max != null ? ([scale.min, scale.max] as const) : null;
        return live(shown, min, max);
      },
    };
  }
  return {
    width,
    height: props.height,
    ms: 1,
    padding: [12, 40, 0, 0],
    series,
    bands,
    scales,
    legend: { show: false },
    axes: [
      {
        stroke: colours.text,
        font: FONT,
        grid: { stroke: colours.grid, width: 1 },
        ticks: { stroke: colours.grid },
        values: (_u, splits, _axis, _space, incr) => timeTicks(splits, incr),
      },
      ...axes.map((axis, i) => ({
        scale: axis.scale,
        side: axis.side,
        label: axisLabel(axis, pens).replace('(no unit)', words.unitless).replace('(pen ', `(${words.pen} `),
        labelFont: FONT,
        font: FONT,
        stroke: colours.text,
        size: 56,
        grid: i === 0 ? { stroke: colours.grid, width: 1 } : { show: false },
        ticks: { stroke: colours.grid },
      })),
    ],
    cursor: {
      // Only the time crosshair: a horizontal one would look like a limit line.
      y: false,
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      drawClear: [
        () => {
          if (!state.strip) state.shifted = 0;
        },
      ],
      setSize: [
        () => {
          if (state.strip) state.resized = true;
        },
      ],
      // A strip's data holds only some buckets: the cursor's bucket is told once the window's data is back.
      setCursor: [(u) => (state.strip ? undefined : refs.props.current.onCursor(u.cursor.idx ?? null))],
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          refs.props.current.onZoom(from, to);
        },
      ],
      draw: [
        (u) => {
          drawOverlay(u, refs.props.current, colours, state);
          // A strip is measured once it is known to stand (else the full draw after it is).
          if (!state.strip) state.measureDrawn(u);
        },
      ],
    },
  };
}

/**
 * Draws a live second as a strip when it can (see trend-strip.ts); false when it takes a full
 * draw. The canvas must show `prev` drawn over the x scale's current range.
 */
function liveStrip(u: uPlot, state: PlotState, prev: Drawn, next: Drawn): boolean {
  const x = u.scales.x;
  if (x?.min !== prev.from || x.max !== prev.to) return false;
  const scaleOf = u.series.map((s) => s.scale);
  // Every y scale keeps its range with the new data (else everything is drawn again).
  for (const [key, [min, max]] of scaleExtents(scaleOf, next.data)) {
    const range = state.ranges.get(key);
    const scale = u.scales[key];
    if (!range || scale?.min == null || scale.max == null) return false;
    const r = range([scale.min, scale.max], min, max);
    if (r[0] !== scale.min || r[1] !== scale.max) return false;
  }
  const geometry: StripGeometry = {
    ...u.bbox,
    canvasWidth: u.ctx.canvas.width,
    canvasHeight: u.ctx.canvas.height,
  };
  const plan = planStrip(geometry, prev, next, state.reach, true);
  if (!plan) return false;
  state.strip = true;
  state.stripLeft = plan.leftMarks;
  state.resized = false;
  state.shifted += plan.dx;
  try {
    drawStrip(u, plan, geometry);
  } finally {
    state.strip = false;
  }
  // The full window's data back in place (no draw), for the cursor, the rulers' redraw and the next strip.
  u.setData(next.data, false);
  // The cursor's bucket in the window's data (a strip's data has fewer buckets).
  const { left: cursorLeft, top: cursorTop } = u.cursor;
  if (cursorLeft !== undefined && cursorLeft >= 0 && cursorTop !== undefined)
    u.setCursor({ left: cursorLeft, top: cursorTop });
  // An end mark drawn left of the strip, or a label wider than the left strip: draw it all.
  const reach = state.reach;
  const stands =
    !state.resized &&
    reach.endMarks >= plan.stripFrom &&
    (!plan.leftMarks || reach.leftMarks <= Math.max(plan.stripTo, u.bbox.left));
  if (stands) state.measureDrawn(u);
  return stands;
}

export function TrendPlot(props: TrendPlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const frameRef = useRef<TrendFrame | null>(props.frame);
  const propsRef = useRef(props);
  propsRef.current = props;
  frameRef.current = props.frame;
  const key = seriesKey(props.pens, props.channels);
  const state = useRef<PlotState>({
    strip: false,
    stripLeft: false,
    live: false,
    shifted: 0,
    reach: { leftMarks: 0, endMarks: Infinity },
    ranges: new Map(),
    resized: false,
    measureDrawn: () => undefined,
  }).current;
  /** What the canvas shows (null: the next draw is a full one). */
  const drawn = useRef<Drawn | null>(null);

  // A new uPlot when the series change (series and axes are fixed at creation); data updates go
  // through setData. Both in the commit itself, so new data is drawn in the task that brought it
  // rather than in a later one (a busy page would make the chart wait for its turn).
  /** Made in this commit, with this commit's data already. */
  const fresh = useRef(false);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const data = plotData(frameRef.current, propsRef.current.pens, propsRef.current.channels);
    const u = new uPlot(
      plotOptions(propsRef.current, Math.max(200, el.clientWidth), { frame: frameRef, props: propsRef }, state),
      data,
      el,
    );
    drawn.current = frameRef.current ? { from: frameRef.current.from, to: frameRef.current.to, data } : null;
    instancesCreated++;
    el.setAttribute('data-instances', String(instancesCreated));
    plot.current = u;
    fresh.current = true;
    propsRef.current.onInstance?.(u);
    const report = () => propsRef.current.onPlotWidth(Math.round(u.bbox.width / uPlot.pxRatio));
    report();
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (Math.abs(width - u.width) < 1) return;
      drawn.current = null;
      u.setSize({ width, height: propsRef.current.height });
      report();
    });
    observer.observe(el);
    // A click (no drag) places a ruler.
    let down: { x: number; y: number } | null = null;
    const onDown = (e: MouseEvent) => (down = { x: e.clientX, y: e.clientY });
    const onUp = (e: MouseEvent) => {
      if (down && Math.abs(e.clientX - down.x) < 3 && Math.abs(e.clientY - down.y) < 3) {
        const rect = u.over.getBoundingClientRect();
        propsRef.current.onClickTime(u.posToVal(e.clientX - rect.left, 'x'));
      }
      down = null;
    };
    u.over.addEventListener('mousedown', onDown);
    u.over.addEventListener('mouseup', onUp);
    return () => {
      observer.disconnect();
      u.over.removeEventListener('mousedown', onDown);
      u.over.removeEventListener('mouseup', onUp);
      u.destroy();
      plot.current = null;
      propsRef.current.onInstance?.(null);
    };
    // key says when the series change; everything else is read through refs.
  }, [key]);

  useLayoutEffect(() => {
    const u = plot.current;
    if (fresh.current) {
      fresh.current = false;
      return;
    }
    if (!u) return;
    const data = plotData(props.frame, props.pens, props.channels);
    const next = props.frame ? { from: props.frame.from, to: props.frame.to, data } : null;
    const prev = drawn.current;
    drawn.current = next;
    if (u.height !== props.height) {
      u.setSize({ width: u.width, height: props.height });
      u.setData(data);
      return;
    }
    const append = props.measure?.what === 'append';
    if (append && prev && next && liveStrip(u, state, prev, next)) return;
    // Drawn now (not in a microtask), so a live second's y ranges are judged against the ones on screen.
    state.live = append;
    try {
      u.batch(() => u.setData(data));
    } finally {
      state.live = false;
    }
  }, [props.frame, props.height, props.pens, props.channels]);

  // Limits and rulers are drawn from the props at draw time: a redraw is enough.
  useLayoutEffect(() => {
    plot.current?.redraw(false, false);
  }, [props.rulers, props.limits]);

  const gaps = props.frame ? props.frame.pens.slice(0, props.pens.length).reduce((n, p) => n + p.gaps, 0) : 0;
  return (
    <div
      className="trend-plot"
      data-testid="trend-plot"
      data-buckets={props.frame?.x.length ?? 0}
      data-gaps={gaps}
      data-bands={props.pens
        .filter((p) => p.band)
        .map((p) => p.tag)
        .join(' ')}
      data-limit-lines={props.limits.reduce((n, l) => n + l.length, 0)}
      data-setpoints={props.channels
        .filter((c) => c.role === 'setpoint')
        .map((c) => c.tag)
        .join(' ')}
      data-overlays={[...new Set(props.channels.flatMap((c) => (c.overlay ? [c.overlay] : [])))].join(' ')}
      ref={host}
    />
  );
}
