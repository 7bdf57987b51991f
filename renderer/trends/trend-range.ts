/**
 * The time range a trend shows: presets that end at "now" (live, refreshed), a custom
 * from/to, or a range picked by dragging over the plot. Pure: the clock is passed in.
 */
import { formatDateTime, parseDateTime } from '../i18n/i18n.js';

export const RANGE_PRESETS = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '8h', label: '8 h', ms: 8 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
  { id: '1y', label: '1 y', ms: 365 * 86_400_000 },
] as const;

export type PresetId = (typeof RANGE_PRESETS)[number]['id'];

/** A live range follows the clock (its end is "now"); a fixed range stays where it is. */
export type TrendRange =
  | { readonly kind: 'live'; readonly preset: PresetId; readonly spanMs: number }
  | { readonly kind: 'fixed'; readonly from: number; readonly to: number };

/** The shortest range a zoom may select: below this the buckets are finer than the samples. */
export const MIN_SPAN_MS = 10_000;

export function presetRange(id: PresetId): TrendRange {
  const preset = RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS[0];
  return { kind: 'live', preset: preset.id, spanMs: preset.ms };
}

/** The concrete from/to of a range at `nowMs`. */
export function resolveRange(range: TrendRange, nowMs: number): { from: number; to: number } {
  return range.kind === 'live' ? { from: nowMs - range.spanMs, to: nowMs } : { from: range.from, to: range.to };
}

/**
 * How often a live range is re-queried: about one bucket's worth of time, so every refresh
 * can move the trace by a pixel, but never faster than every 2 s nor slower than every 60 s.
 */
export function liveRefreshMs(spanMs: number, buckets: number): number {
  const bucketMs = spanMs / Math.max(1, buckets);
  return Math.min(60_000, Math.max(2000, Math.round(bucketMs)));
}

/**
 * The range after dragging over the plot from `a` to `b` (either order). Too short a drag
 * widens around its centre to MIN_SPAN_MS; a drag is always a fixed (not live) range.
 */
export function zoomRange(a: number, b: number): TrendRange {
  let from = Math.min(a, b);
  let to = Math.max(a, b);
  if (to - from < MIN_SPAN_MS) {
    const mid = (from + to) / 2;
    from = mid - MIN_SPAN_MS / 2;
    to = mid + MIN_SPAN_MS / 2;
  }
  return { kind: 'fixed', from: Math.round(from), to: Math.round(to) };
}

/** Why a custom range cannot be shown (the view words it in the operator's language). */
export type RangeProblem = 'badFrom' | 'badTo' | 'endBeforeStart' | 'tooShort';

/**
 * A custom range from the two 24-hour text inputs (`YYYY-MM-DD HH:MM`, local time). Returns
 * the problem instead when the input cannot be a range.
 */
export function customRange(
  fromText: string,
  toText: string,
  parseLocal: (text: string) => number | null = parseStamp,
): TrendRange | RangeProblem {
  const from = parseLocal(fromText) ?? Number.NaN;
  const to = parseLocal(toText) ?? Number.NaN;
  if (!Number.isFinite(from)) return 'badFrom';
  if (!Number.isFinite(to)) return 'badTo';
  if (to <= from) return 'endBeforeStart';
  if (to - from < MIN_SPAN_MS) return 'tooShort';
  return { kind: 'fixed', from, to };
}

/** `YYYY-MM-DD HH:MM`, local time, 24-hour: what the range inputs show whatever the browser's locale. */
export const formatInput = (ms: number): string => formatDateTime(ms, false);

/** Reads `YYYY-MM-DD HH:MM[:SS]` (or with a `T`) as local time on a 24-hour clock; null when it is not a real time. */
export const parseStamp = parseDateTime;

/** The range after a keyboard zoom by `factor` (< 1 in, > 1 out) around its centre; always fixed. */
export function scaleRange(from: number, to: number, factor: number): TrendRange {
  const mid = (from + to) / 2;
  const half = Math.max(MIN_SPAN_MS / 2, ((to - from) * factor) / 2);
  return { kind: 'fixed', from: Math.round(mid - half), to: Math.round(mid + half) };
}

/** The range moved by `fraction` of its span (negative: back in time); always fixed. */
export function panRange(from: number, to: number, fraction: number): TrendRange {
  const d = Math.round((to - from) * fraction);
  return { kind: 'fixed', from: from + d, to: to + d };
}

/** `YYYY-MM-DDTHH:mm` in the given time zone offset (minutes east of UTC), for <input type="datetime-local">. */
export function toLocalInput(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 16);
}

/** A short human text for the range shown above the plot; `liveText` fills `{span}`. */
export function describeRange(
  range: TrendRange,
  formatTime: (ms: number) => string,
  liveText = 'Last {span}, live',
): string {
  if (range.kind === 'live') return liveText.replace('{span}', formatSpan(range.spanMs));
  return `${formatTime(range.from)} – ${formatTime(range.to)} (${formatSpan(range.to - range.from)})`;
}

export function formatSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${+(s / 3600).toFixed(1)} h`;
  return `${+(s / 86_400).toFixed(1)} d`;
}

/** `YYYY-MM-DD HH:mm:ss` in the given time zone offset (minutes east of UTC), for the cursor readout. */
export function formatStamp(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
