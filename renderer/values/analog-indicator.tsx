/**
 * The moving-pointer analog indicator (ISA-101): a horizontal track over the tag's range,
 * the normal band in grey, ticks at the alarm limits (LL and HH heavier), and a pointer at
 * the value. Outside the band the pointer is drawn abnormal (filled with the caution colour,
 * larger) and the zone code is written beside it; past an alarm limit in the alarm colour;
 * beyond the bar's end the pointer is pinned there as an arrow. A Bad or Stale value has a
 * hollow dashed pointer (no trustworthy position).
 *
 * `AnalogBar` draws into an SVG at (x, y, width, height) — a mimic symbol places it in its
 * screen's coordinates; `AnalogIndicator` is the HTML form (its own small SVG plus the live
 * value) for panels, faceplates and tiles.
 */
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { useConnected, useTagInfo, useTagValue } from '../app/station-context.js';
import { useQuietValue } from './use-quiet-value.js';
import {
  analogScale,
  fractionAt,
  liveZone,
  pointerPosition,
  LIMIT_KEYS,
  type AnalogScale,
  type TagLimits,
  type ZoneView,
} from '../format/analog-scale.js';
import { displayQuality, type DisplayQuality } from '../format/quality.js';
import { deviationView, type DeviationState } from '../format/deviation.js';
import { DEFAULT_INTERVAL_MS } from '../format/value-view.js';
import { formatNumber, decimalsFor } from '../format/format-value.js';
import { useText } from '../i18n/language.js';
import { LiveValue } from './live-value.js';
import { useTagLimits } from './use-shared.js';
import { openTrend } from './trend-open.js';
import { valuesText } from './values-text.js';
import './values.css';

export interface BarGeometry {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface AnalogBarModel {
  readonly scale: AnalogScale | null;
  readonly zone: ZoneView | null;
  readonly quality: DisplayQuality;
  readonly value: number | null;
  /** The setpoint of a controlled value (drawn as a hollow mark under the track), when given and trustworthy. */
  readonly setpoint?: number | null;
  /** PV against SP beyond the deviation alarm's limit. */
  readonly deviation?: DeviationState;
}

/** Everything the bar draws, from the value, its tag definition and its limits (and optionally its setpoint). Pure. */
export function analogBarModel(
  value: TagValueDto | undefined,
  info: Pick<TagInfo, 'range' | 'normal' | 'intervalMs'> | undefined,
  limits: TagLimits,
  nowMs: number,
  connected: boolean,
  setpoint?: TagValueDto,
  /** `analogScale(info, limits)`, when the caller keeps it. */
  scale: AnalogScale | null = analogScale(info, limits),
): AnalogBarModel {
  const intervalMs = info?.intervalMs ?? DEFAULT_INTERVAL_MS;
  const quality = displayQuality({ value, nowMs, intervalMs, connected });
  const v = typeof value?.v === 'number' && Number.isFinite(value.v) ? value.v : null;
  const model: AnalogBarModel = { scale, zone: liveZone(v, quality, scale), quality, value: v };
  if (setpoint === undefined) return model;
  const spQuality = displayQuality({ value: setpoint, nowMs, intervalMs, connected });
  const sp =
    (spQuality === 'Good' || spQuality === 'Uncertain') && typeof setpoint.v === 'number' && Number.isFinite(setpoint.v)
      ? setpoint.v
      : null;
  const trusted = quality === 'Good' || quality === 'Uncertain';
  return { ...model, setpoint: sp, deviation: deviationView(trusted ? v : null, sp, limits.deviation).state };
}

/** The pointer's outline at the value (an arrow pinned to the end beyond the bar), or null without a trustworthy number. */
export function pointerPath(model: AnalogBarModel, { x, y, width, height }: BarGeometry): string | null {
  const { scale, zone, value } = model;
  const pos = scale && value !== null ? pointerPosition(value, scale) : null;
  if (!pos) return null;
  const trackY = y + height * 0.45;
  const trackH = height * 0.4;
  // A bigger pointer when abnormal: visible from across the room.
  const size = zone?.abnormal ? height * 0.55 : height * 0.42;
  const tipY = trackY + trackH * 0.5;
  const cx = x + pos.fraction * width;
  if (pos.clamped === 'below') return `M${cx - size * 0.3},${tipY} l${size},${-size * 0.6} v${size * 1.2} Z`;
  if (pos.clamped === 'above') return `M${cx + size * 0.3},${tipY} l${-size},${-size * 0.6} v${size * 1.2} Z`;
  return `M${cx},${tipY} l${-size * 0.6},${-size} h${size * 1.2} Z`;
}

/**
 * What the bar draws besides the pointer's place: quality, zone, whether and where the
 * pointer is pinned, the deviation. Two models with the same look differ only in the
 * pointer's outline.
 */
export function analogBarLook(model: AnalogBarModel): string {
  const pos = model.scale && model.value !== null ? pointerPosition(model.value, model.scale) : null;
  return `${model.quality}|${model.zone?.zone ?? '-'}|${pos ? (pos.clamped ?? 'in') : 'none'}|${model.deviation ?? '-'}|${model.setpoint ?? '-'}`;
}

/** The pure SVG drawing of the bar (no hooks): tested with renderToStaticMarkup. */
export function AnalogBarGraphic({
  model,
  x,
  y,
  width,
  height,
  tag,
  title,
}: BarGeometry & { model: AnalogBarModel; tag: string; title?: string }) {
  const { scale, zone, quality, value } = model;
  const trackY = y + height * 0.45;
  const trackH = height * 0.4;
  const px = (f: number) => x + f * width;
  const trusted = quality === 'Good' || quality === 'Uncertain';
  const limitZone = zone !== null && zone.zone !== 'low' && zone.zone !== 'high' && zone.zone !== 'normal';
  const beyond = model.deviation === 'beyond';
  const cls = [
    'analog-bar',
    zone?.abnormal || beyond ? 'ai-abnormal' : '',
    limitZone ? 'ai-limit' : '',
    trusted ? '' : 'ai-untrusted',
  ]
    .filter(Boolean)
    .join(' ');
  if (!scale) {
    return (
      <g className={cls} data-testid="analog-bar" data-tag-bar={tag} data-zone="none">
        <rect x={x} y={trackY} width={width} height={trackH} className="ai-track" />
      </g>
    );
  }
  const pos = value !== null ? pointerPosition(value, scale) : null;
  const pointer = pointerPath(model, { x, y, width, height });
  const band = scale.normal;
  return (
    <g
      className={cls}
      data-testid="analog-bar"
      data-tag-bar={tag}
      data-zone={zone?.zone ?? 'unknown'}
      data-band-source={scale.bandSource}
      data-clamped={pos?.clamped ?? undefined}
      data-deviation={model.deviation}
    >
      {title ? <title>{title}</title> : null}
      <rect x={x} y={trackY} width={width} height={trackH} className="ai-track" />
      {band ? (
        <rect
          x={px(fractionAt(band[0], scale))}
          y={trackY}
          width={Math.max(1, px(fractionAt(band[1], scale)) - px(fractionAt(band[0], scale)))}
          height={trackH}
          className="ai-band"
          data-band={`${band[0]},${band[1]}`}
        />
      ) : null}
      {LIMIT_KEYS.map((k) => {
        const lim = scale.limits[k];
        if (lim === undefined || lim < scale.min || lim > scale.max) return null;
        const lx = px(fractionAt(lim, scale));
        return (
          <line
            key={k}
            x1={lx}
            x2={lx}
            y1={trackY - height * 0.12}
            y2={trackY + trackH + height * 0.12}
            className={`ai-tick ai-tick-${k}`}
            data-limit={k}
          />
        );
      })}
      {model.setpoint !== null && model.setpoint !== undefined ? (
        <SetpointMark
          sp={model.setpoint}
          dev={scale.limits.deviation}
          px={px}
          scale={scale}
          y={trackY + trackH}
          h={height * 0.4}
        />
      ) : null}
      {pointer ? <path d={pointer} className="ai-pointer" /> : null}
    </g>
  );
}

/** The setpoint: a hollow ▲ under the track, and the deviation alarm's ±limit as brackets around it. */
function SetpointMark({
  sp,
  dev,
  px,
  scale,
  y,
  h,
}: {
  sp: number;
  dev: number | undefined;
  px: (f: number) => number;
  scale: AnalogScale;
  y: number;
  h: number;
}) {
  const x = px(fractionAt(sp, scale));
  return (
    <g className="ai-setpoint" data-setpoint={sp}>
      {dev !== undefined ? (
        <path
          d={`M${px(fractionAt(sp - dev, scale))},${y} v${h * 0.8} M${px(fractionAt(sp + dev, scale))},${y} v${h * 0.8}`}
          className="ai-dev-limit"
        />
      ) : null}
      <path d={`M${x},${y} l${-h * 0.7},${h} h${h * 1.4} Z`} className="ai-sp" />
    </g>
  );
}

function limitList(limits: TagLimits, decimals: number): string {
  return LIMIT_KEYS.filter((k) => limits[k] !== undefined)
    .map((k) => `${k.toUpperCase()} ${formatNumber(limits[k]!, decimals)}`)
    .join(', ');
}

/** The bar of one tag, drawn in the caller's SVG coordinates (for mimic symbols). Click: its trend. */
export const AnalogBar = memo(function AnalogBar({
  tag,
  x,
  y,
  width,
  height,
  setpointTag,
}: BarGeometry & { tag: string; setpointTag?: string }) {
  const setpoint = useTagValue(setpointTag ?? '');
  const info = useTagInfo(tag);
  const limits = useTagLimits(tag);
  const connected = useConnected();
  const t = useText(valuesText);
  const hit = useRef<SVGGElement>(null);
  const pointerEl = useRef<Element | null>(null);
  /** The pointer's path as rendered (looked up again once React has replaced it). */
  const pointerNow = (): Element | null => {
    if (!pointerEl.current?.isConnected) pointerEl.current = hit.current?.querySelector('path.ai-pointer') ?? null;
    return pointerEl.current;
  };
  // The scale depends on the definition and limits alone, not on each value.
  const scale = useMemo(() => analogScale(info, limits), [info, limits]);
  // A change is judged (look) and then written with the same value and time: one model for both.
  let last: { v: TagValueDto | undefined; nowMs: number; model: AnalogBarModel } | null = null;
  const modelOf = (v: TagValueDto | undefined, nowMs: number): AnalogBarModel => {
    if (last && last.v === v && last.nowMs === nowMs) return last.model;
    const model = analogBarModel(v, info, limits, nowMs, connected, setpointTag ? setpoint : undefined, scale);
    last = { v, nowMs, model };
    return model;
  };
  // A new value with the same look only moves the pointer: its outline is written without a render.
  const { value, nowMs: now } = useQuietValue(tag, {
    look: (v, nowMs) => analogBarLook(modelOf(v, nowMs)),
    write: (v, nowMs) => {
      const path = pointerNow();
      const d = pointerPath(modelOf(v, nowMs), { x, y, width, height });
      if (!path || d === null) return false;
      if (path.getAttribute('d') !== d) path.setAttribute('d', d);
      return true;
    },
  });
  const model = modelOf(value, now);
  // React compares with the outline it rendered last, not with what was written since: put back what it renders now.
  const drawn = pointerPath(model, { x, y, width, height });
  useLayoutEffect(() => {
    const path = pointerNow();
    if (path && drawn !== null && path.getAttribute('d') !== drawn) path.setAttribute('d', drawn);
  });
  const decimals = decimalsFor(info);
  const title = useMemo(() => {
    const band = model.scale?.normal;
    const lines = [
      tag,
      band
        ? t('normalBand', {
            lo: formatNumber(band[0], decimals),
            hi: formatNumber(band[1], decimals),
            unit: info?.unit ?? '',
          })
        : t('noBand'),
    ];
    const list = limitList(limits, decimals);
    if (list) lines.push(t('limits', { list }));
    return lines.join('\n');
  }, [model.scale, limits, decimals, info?.unit, t, tag]);
  return (
    <g
      ref={hit}
      className="analog-bar-hit"
      onClick={() => openTrend(setpointTag ? [tag, setpointTag] : [tag])}
      style={{ cursor: 'pointer' }}
    >
      <AnalogBarGraphic model={model} tag={tag} x={x} y={y} width={width} height={height} title={title} />
    </g>
  );
});

/** HTML form: the live value with its bar beside it (panels, tiles, faceplates). */
export function AnalogIndicator({
  tag,
  label,
  width = 120,
  height = 18,
  compact,
  setpointTag,
}: {
  tag: string;
  label?: string;
  width?: number;
  height?: number;
  compact?: boolean;
  setpointTag?: string;
}) {
  return (
    <span className="analog-indicator" data-testid="analog-indicator" data-tag-indicator={tag}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
        <AnalogBar tag={tag} x={4} y={0} width={width - 8} height={height} {...(setpointTag ? { setpointTag } : {})} />
      </svg>
      <LiveValue tag={tag} {...(label ? { label } : {})} {...(compact ? { compact } : {})} />
    </span>
  );
}
