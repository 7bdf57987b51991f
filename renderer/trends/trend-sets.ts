/**
 * Saved trend sets: named sets of pens, range and overlays, kept per user in the station's
 * preferences under the key `trendSets`. What comes back from the store is checked item by
 * item (a set saved by another version, or edited by hand, is dropped, never trusted). Pure.
 */
import { MAX_PENS } from './trend-pens.js';
import { RANGE_PRESETS, type PresetId, type TrendRange } from './trend-range.js';
import { isOverlayId, type OverlayId } from './trend-references.js';

export const TREND_SETS_KEY = 'trendSets';
export const MAX_TREND_SETS = 30;
export const MAX_SET_NAME = 60;

export interface TrendSet {
  readonly name: string;
  readonly tags: readonly string[];
  readonly range: TrendRange;
  readonly overlays: readonly OverlayId[];
}

const isPreset = (v: unknown): v is PresetId => RANGE_PRESETS.some((p) => p.id === v);

function asRange(v: unknown): TrendRange | null {
  const r = v as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') return null;
  if (r.kind === 'live' && isPreset(r.preset)) {
    const preset = RANGE_PRESETS.find((p) => p.id === r.preset)!;
    return { kind: 'live', preset: preset.id, spanMs: preset.ms };
  }
  if (
    r.kind === 'fixed' &&
    typeof r.from === 'number' &&
    typeof r.to === 'number' &&
    Number.isFinite(r.from) &&
    Number.isFinite(r.to) &&
    r.to > r.from
  ) {
    return { kind: 'fixed', from: r.from, to: r.to };
  }
  return null;
}

/** A set's name as typed, trimmed; null when empty or too long. */
export function setName(text: string): string | null {
  const name = text.trim().replace(/\s+/g, ' ');
  return name.length === 0 || name.length > MAX_SET_NAME ? null : name;
}

/** The sets in a stored value; whatever is malformed is left out. */
export function parseTrendSets(value: unknown): TrendSet[] {
  if (!Array.isArray(value)) return [];
  const sets: TrendSet[] = [];
  for (const item of value.slice(0, MAX_TREND_SETS)) {
    const s = item as Record<string, unknown> | null;
    if (!s || typeof s !== 'object' || typeof s.name !== 'string') continue;
    const name = setName(s.name);
    const range = asRange(s.range);
    if (!name || !range || !Array.isArray(s.tags)) continue;
    const tags = [
      ...new Set(s.tags.filter((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 200)),
    ].slice(0, MAX_PENS);
    if (tags.length === 0 || sets.some((x) => x.name === name)) continue;
    const overlays = Array.isArray(s.overlays) ? [...new Set(s.overlays.filter(isOverlayId))] : [];
    sets.push({ name, tags, range, overlays });
  }
  return sets;
}

/** The list with `set` saved under its name (replacing one of the same name, else added in front); null when the list is full. */
export function saveTrendSet(sets: readonly TrendSet[], set: TrendSet): TrendSet[] | null {
  const others = sets.filter((s) => s.name !== set.name);
  if (others.length === sets.length && sets.length >= MAX_TREND_SETS) return null;
  return [set, ...others];
}

export function removeTrendSet(sets: readonly TrendSet[], name: string): TrendSet[] {
  return sets.filter((s) => s.name !== name);
}

/** The stored form: a live range is kept as its preset (it means "the last 8 h" whenever it is opened). */
export function storedTrendSets(sets: readonly TrendSet[]): unknown {
  return sets.map((s) => ({
    name: s.name,
    tags: [...s.tags],
    range:
      s.range.kind === 'live'
        ? { kind: 'live', preset: s.range.preset }
        : { kind: 'fixed', from: s.range.from, to: s.range.to },
    overlays: [...s.overlays],
  }));
}
