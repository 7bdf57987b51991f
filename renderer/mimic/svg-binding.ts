/**
 * What an imported drawing's bindings show for a value: the on/off/unknown state of a fill
 * or stroke, whether an element is shown, an angle, a level's rectangle. Pure: no DOM. A value
 * that is not Good never drives a shape as if it were: the state is 'unknown' (drawn dashed)
 * and the shape keeps its last trusted geometry.
 */
import type { SvgBindingDto, TagInfo, TagValueDto } from '../../preload/contract.js';
import { asDigital } from '../format/format-value.js';
import type { DisplayQuality } from '../format/quality.js';

export type DigitalBindingState = 'on' | 'off' | 'unknown';

export function digitalState(
  value: TagValueDto | undefined,
  quality: DisplayQuality,
  invert: boolean,
): DigitalBindingState {
  if (quality !== 'Good') return 'unknown';
  const on = asDigital(value?.v);
  if (on === null) return 'unknown';
  return on !== invert ? 'on' : 'off';
}

/** fill / stroke: the class the element gets (`bind-fill-on` …). */
export function paintClass(
  b: Extract<SvgBindingDto, { kind: 'fill' | 'stroke' }>,
  value: TagValueDto | undefined,
  quality: DisplayQuality,
): string {
  return `bind-${b.kind}-${digitalState(value, quality, b.invert)}`;
}

/** visible: shown while true (false with `!`); unknown stays shown, marked. */
export function visibility(
  b: Extract<SvgBindingDto, { kind: 'visible' }>,
  value: TagValueDto | undefined,
  quality: DisplayQuality,
): 'shown' | 'hidden' | 'unknown' {
  const s = digitalState(value, quality, b.invert);
  return s === 'on' ? 'shown' : s === 'off' ? 'hidden' : 'unknown';
}

function span(
  b: { min?: number | undefined; max?: number | undefined },
  info: Pick<TagInfo, 'range'> | undefined,
): [number, number] | null {
  const lo = b.min ?? info?.range?.[0] ?? 0;
  const hi = b.max ?? info?.range?.[1] ?? 100;
  return hi > lo ? [lo, hi] : null;
}

function fraction(
  b: { min?: number | undefined; max?: number | undefined },
  value: TagValueDto | undefined,
  info: Pick<TagInfo, 'range'> | undefined,
): number | null {
  const v = value?.v;
  const s = span(b, info);
  if (typeof v !== 'number' || !Number.isFinite(v) || !s) return null;
  return Math.min(1, Math.max(0, (v - s[0]) / (s[1] - s[0])));
}

/** rotate: degrees, from `from` at the span's low end to `to` at its high end; null when not known. */
export function rotation(
  b: Extract<SvgBindingDto, { kind: 'rotate' }>,
  value: TagValueDto | undefined,
  info: Pick<TagInfo, 'range'> | undefined,
  quality: DisplayQuality,
): number | null {
  if (quality !== 'Good') return null;
  const f = fraction(b, value, info);
  return f === null ? null : b.from + (b.to - b.from) * f;
}

/** level: the rect's new y and height (filled from its bottom edge); null when not known. */
export function levelRect(
  b: Extract<SvgBindingDto, { kind: 'level' }>,
  value: TagValueDto | undefined,
  info: Pick<TagInfo, 'range'> | undefined,
  quality: DisplayQuality,
  y0: number,
  h0: number,
): { y: number; height: number } | null {
  if (quality !== 'Good' || !Number.isFinite(y0) || !Number.isFinite(h0)) return null;
  const f = fraction(b, value, info);
  if (f === null) return null;
  const height = h0 * f;
  return { y: y0 + h0 - height, height };
}

/** The tags a node's bindings use, each once. */
export function boundTags(bindings: readonly SvgBindingDto[]): string[] {
  return [...new Set(bindings.map((b) => b.tag))];
}
