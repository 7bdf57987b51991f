/**
 * The trend canvas: uPlot with, per pen, the min/max band (spikes survive), the average
 * as a solid line where every sample was Good and dashed where some were not, the pen's
 * number at the end of its line, one y axis per unit, gaps left open. Dragging across the
 * plot selects a new range (the parent re-queries it at the finer resolution).
 */
import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrendFrame } from './trend-data.js';
import { axisLabel, unitAxes, type Pen } from './trend-pens.js';

const SERIES_PER_PEN = 4; // max, min, avg (Good), avg (not Good)
const TEXT = '#262626';
const GRID = 'rgba(60, 60, 60, 0.14)';
const FONT = '12px system-ui, "DejaVu Sans", sans-serif';

export interface TrendPlotProps {
  readonly pens: readonly Pen[];
  readonly frame: TrendFrame | null;
  readonly height: number;
  /** Dragged over a time span: from/to in ms. */
  readonly onZoom: (from: number, to: number) => void;
  /** The bucket under the cursor (null when the cursor left the plot). */
  readonly onCursor: (index: number | null) => void;
  /** The plotting area's width in CSS pixels (what `buckets` should be). */
  readonly onPlotWidth: (width: number) => void;
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

function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function plotData(frame: TrendFrame | null, pens: readonly Pen[]): AlignedData {
  const x = frame?.x ?? [];
  const columns: (number | null)[][] = [];
  const empty = () => new Array<number | null>(x.length).fill(null);
  for (let p = 0; p < pens.length; p++) {
    const pen = frame?.pens[p];
    columns.push(pen?.max ?? empty(), pen?.min ?? empty(), pen?.avgGood ?? empty(), pen?.avgPoor ?? empty());
  }
  // Forecast bands after every pen's own series, so the pens keep their series numbers.
  pens.forEach((pen, p) => {
    if (!pen.band) return;
    const band = frame?.bands?.[p];
    columns.push(band?.upper ?? empty(), band?.lower ?? empty());
  });
  return [x, ...columns];
}

/** Pen numbers at the last drawn point of each line, in a box: pens are told apart without colour. */
function drawPenNumbers(u: uPlot, pens: readonly Pen[]): void {
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${Math.round(11 * ratio)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  pens.forEach((pen, p) => {
    const good = u.data[1 + p * SERIES_PER_PEN + 2] as (number | null)[] | undefined;
    const poor = u.data[1 + p * SERIES_PER_PEN + 3] as (number | null)[] | undefined;
    if (!good || !poor) return;
    let i = good.length - 1;
    while (i >= 0 && good[i] == null && poor[i] == null) i--;
    if (i < 0) return;
    const v = (good[i] ?? poor[i]) as number;
    const xPos = u.valToPos(u.data[0][i] as number, 'x', true);
    const yPos = u.valToPos(v, pen.scale, true);
    const text = String(pen.number);
    const w = ctx.measureText(text).width + 6 * ratio;
    const h = 14 * ratio;
    // Right of the line's end; the plot keeps a gutter on the right for it.
    const left = Math.min(xPos + 4 * ratio, u.bbox.left + u.bbox.width + 2 * ratio);
    ctx.fillStyle = '#f2f2f2';
    ctx.strokeStyle = pen.colour;
    ctx.lineWidth = ratio;
    ctx.fillRect(left, yPos - h / 2, w, h);
    ctx.strokeRect(left, yPos - h / 2, w, h);
    ctx.fillStyle = pen.colour;
    ctx.fillText(text, left + 3 * ratio, yPos);
  });
  ctx.restore();
}

function plotOptions(props: TrendPlotProps, width: number, frameRef: { current: TrendFrame | null }, callbacks: { current: TrendPlotProps }): Options {
  const pens = props.pens;
  const axes = unitAxes(pens);
  const series: Options['series'] = [{}];
  const bands: NonNullable<Options['bands']> = [];
  pens.forEach((pen, p) => {
    const base = 1 + p * SERIES_PER_PEN;
    const common = { scale: pen.scale, spanGaps: false, points: { show: false } };
    series.push(
      { ...common, label: `${pen.tag} max`, stroke: withAlpha(pen.colour, 0.45), width: 1 },
      { ...common, label: `${pen.tag} min`, stroke: withAlpha(pen.colour, 0.45), width: 1 },
      { ...common, label: `${pen.tag}`, stroke: pen.colour, width: 2 },
      { ...common, label: `${pen.tag} (not Good)`, stroke: pen.colour, width: 2, dash: [7, 5] },
    );
    bands.push({ series: [base, base + 1], fill: withAlpha(pen.colour, 0.16) });
  });
  // A forecast median's band (lower to upper quantile output): dotted edges and a light fill in the pen's colour.
  let next = 1 + pens.length * SERIES_PER_PEN;
  pens.forEach((pen) => {
    if (!pen.band) return;
    const common = { scale: pen.scale, spanGaps: false, points: { show: false } };
    series.push(
      { ...common, label: `${pen.band.upper} (band upper)`, stroke: withAlpha(pen.colour, 0.6), width: 1, dash: [2, 3] },
      { ...common, label: `${pen.band.lower} (band lower)`, stroke: withAlpha(pen.colour, 0.6), width: 1, dash: [2, 3] },
    );
    bands.push({ series: [next, next + 1], fill: withAlpha(pen.colour, 0.1) });
    next += 2;
  });
  const scales: Options['scales'] = {
    x: { time: true, range: () => [frameRef.current?.from ?? Date.now() - 60_000, frameRef.current?.to ?? Date.now()] },
  };
  for (const axis of axes) scales[axis.scale] = { auto: true };
  return {
    width,
    height: props.height,
    ms: 1,
    padding: [12, 28, 0, 0],
    series,
    bands,
    scales,
    legend: { show: false },
    axes: [
      { stroke: TEXT, font: FONT, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID }, values: (_u, splits, _axis, _space, incr) => timeTicks(splits, incr) },
      ...axes.map((axis, i) => ({
        scale: axis.scale,
        side: axis.side,
        label: axisLabel(axis, pens),
        labelFont: FONT,
        font: FONT,
        stroke: TEXT,
        size: 56,
        grid: i === 0 ? { stroke: GRID, width: 1 } : { show: false },
        ticks: { stroke: GRID },
      })),
    ],
    cursor: {
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      setCursor: [(u) => callbacks.current.onCursor(u.cursor.idx ?? null)],
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          callbacks.current.onZoom(from, to);
        },
      ],
      draw: [(u) => drawPenNumbers(u, pens)],
    },
  };
}

export function TrendPlot(props: TrendPlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const frameRef = useRef<TrendFrame | null>(props.frame);
  const callbacks = useRef(props);
  callbacks.current = props;
  frameRef.current = props.frame;
  const penKey = props.pens.map((p) => `${p.tag}|${p.unit}|${p.colour}|${p.band ? `${p.band.lower}~${p.band.upper}` : ''}`).join(',');

  // A new uPlot when the pens change (series and axes are fixed at creation); data updates go through setData.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const u = new uPlot(plotOptions(callbacks.current, Math.max(200, el.clientWidth), frameRef, callbacks), plotData(frameRef.current, callbacks.current.pens), el);
    plot.current = u;
    const report = () => callbacks.current.onPlotWidth(Math.round(u.bbox.width / uPlot.pxRatio));
    report();
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (Math.abs(width - u.width) < 1) return;
      u.setSize({ width, height: callbacks.current.height });
      report();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // penKey says when the series change; everything else is read through refs.
  }, [penKey]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    if (u.height !== props.height) u.setSize({ width: u.width, height: props.height });
    u.setData(plotData(props.frame, props.pens));
  }, [props.frame, props.height, props.pens]);

  return <div className="trend-plot" data-testid="trend-plot" data-buckets={props.frame?.x.length ?? 0} data-bands={props.pens.filter((p) => p.band).map((p) => p.tag).join(' ')} ref={host} />;
}
