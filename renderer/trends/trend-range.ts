/**
 * The time range a trend shows: presets that end at "now" (live, refreshed), a custom
 * from/to, or a range picked by dragging over the plot. Pure: the clock is passed in.
 */

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

/**
 * A custom range from the two date-time inputs (`YYYY-MM-DDTHH:mm`, local time). Returns a
 * message instead when the input cannot be a range.
 */
export function customRange(fromText: string, toText: string, parseLocal: (text: string) => number): TrendRange | string {
  const from = parseLocal(fromText);
  const to = parseLocal(toText);
  if (!Number.isFinite(from)) return 'Enter a start date and time.';
  if (!Number.isFinite(to)) return 'Enter an end date and time.';
  if (to <= from) return 'The end must be after the start.';
  if (to - from < MIN_SPAN_MS) return 'Choose a range of at least 10 seconds.';
  return { kind: 'fixed', from, to };
}

/** `YYYY-MM-DDTHH:mm` in the given time zone offset (minutes east of UTC), for <input type="datetime-local">. */
export function toLocalInput(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 16);
}

/** A short human text for the range shown above the plot. */
export function describeRange(range: TrendRange, formatTime: (ms: number) => string): string {
  if (range.kind === 'live') {
    const preset = RANGE_PRESETS.find((p) => p.id === range.preset);
    return `Last ${preset?.label ?? formatSpan(range.spanMs)}, live`;
  }
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
