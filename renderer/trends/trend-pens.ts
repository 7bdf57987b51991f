/**
 * Pens and axes: which tags a trend shows, their muted ISA-101 colours and numbers, and
 * one y axis per engineering unit (pens sharing a unit share a scale). Pure.
 */
import type { TagInfo } from '../../preload/contract.js';
import { NO_VALUE_TEXT, formatNumber } from '../format/format-value.js';
import { isAllGood, type PenColumns } from './trend-data.js';

export const MAX_PENS = 8;

/**
 * Muted, dark pen colours that stay apart on grey and never look like an alarm (no
 * saturated red or yellow). Each pen also carries its number on the plot and in the
 * legend, so colour is never the only way to tell pens apart.
 */
export const PEN_COLOURS = [
  '#1f4e79',
  '#6b4423',
  '#2e6b5e',
  '#5b3f7a',
  '#5f6b1f',
  '#3a3a3a',
  '#2f6f8f',
  '#7a5a3a',
] as const;

/** The CSS custom property that carries pen `index`'s colour (a theme may override it); PEN_COLOURS is the fallback. */
export const penColourProperty = (index: number): string => `--trend-pen-${(index % PEN_COLOURS.length) + 1}`;

export type PenInfo = Pick<TagInfo, 'name' | 'unit' | 'decimals' | 'kind'> & Partial<Pick<TagInfo, 'description'>>;

export interface Pen {
  readonly tag: string;
  /** 1-based, shown on the plot and in the legend. */
  readonly number: number;
  readonly colour: string;
  readonly unit: string;
  readonly decimals: number;
  readonly label: string;
  /** The uPlot scale (one per unit). */
  readonly scale: string;
  /** A forecast median pen: the output tags of its band edges (drawn as a shaded band). */
  readonly band?: { readonly lower: string; readonly upper: string; readonly name: string } | undefined;
}

export interface UnitAxis {
  readonly scale: string;
  readonly unit: string;
  /** uPlot side: 3 left, 1 right (units alternate, first on the left). */
  readonly side: 1 | 3;
  readonly pens: readonly number[];
}

export const NO_UNIT_LABEL = '(no unit)';
export const scaleForUnit = (unit: string): string => `unit:${unit}`;

/** Colours are given by pen slot (first free colour), so removing a pen does not repaint the others. */
export function pensFor(
  tags: readonly string[],
  infoOf: (tag: string) => PenInfo | undefined,
  colourOf: (tag: string, index: number) => string = (_t, i) => PEN_COLOURS[i % PEN_COLOURS.length]!,
): Pen[] {
  return tags.map((tag, i) => {
    const info = infoOf(tag);
    const unit = info?.unit ?? '';
    return {
      tag,
      number: i + 1,
      colour: colourOf(tag, i),
      unit,
      decimals: info?.decimals ?? 2,
      label: info?.description?.en ? `${tag} — ${info.description.en}` : tag,
      scale: scaleForUnit(unit),
    };
  });
}

/** One axis per distinct unit, in the order the pens first use them. */
export function unitAxes(pens: readonly Pen[]): UnitAxis[] {
  const axes: { scale: string; unit: string; pens: number[] }[] = [];
  pens.forEach((pen, i) => {
    const axis = axes.find((a) => a.scale === pen.scale);
    if (axis) axis.pens.push(i);
    else axes.push({ scale: pen.scale, unit: pen.unit, pens: [i] });
  });
  return axes.map((a, i) => ({ ...a, side: i % 2 === 0 ? 3 : 1 }));
}

export function axisLabel(axis: UnitAxis, pens: readonly Pen[]): string {
  const numbers = axis.pens.map((i) => pens[i]?.number).join(', ');
  return `${axis.unit || NO_UNIT_LABEL}  (pen ${numbers})`;
}

/** Adds a tag to the pen list (no duplicates, at most MAX_PENS); returns the list unchanged when it cannot. */
export function addPen(tags: readonly string[], tag: string): string[] {
  return penRefusal(tags, tag) ? [...tags] : [...tags, tag];
}

/** Why a tag cannot become another pen: already on the trend, or the trend is full (MAX_PENS); null when it can. */
export function penRefusal(tags: readonly string[], tag: string): 'duplicate' | 'full' | null {
  if (tags.includes(tag)) return 'duplicate';
  return tags.length >= MAX_PENS ? 'full' : null;
}

/** The pen list a route or a saved set asks for: distinct names, known tags only, at most MAX_PENS (the rest reported). */
export function pensFromList(
  wanted: readonly string[],
  known: (tag: string) => boolean,
): { tags: string[]; unknown: string[]; dropped: string[] } {
  const tags: string[] = [];
  const unknown: string[] = [];
  const dropped: string[] = [];
  for (const tag of wanted) {
    if (tags.includes(tag) || unknown.includes(tag) || dropped.includes(tag)) continue;
    if (!known(tag)) unknown.push(tag);
    else if (tags.length >= MAX_PENS) dropped.push(tag);
    else tags.push(tag);
  }
  return { tags, unknown, dropped };
}

export interface Readout {
  /** The value at the cursor with its unit (the bucket average), or a dash. */
  readonly value: string;
  /** Range in the bucket when it spans more than one value: `min … max unit`. */
  readonly span: string | null;
  /** What the quality was, in words (never colour alone). */
  readonly quality: string | null;
}

const withUnit = (text: string, unit: string) => (unit ? `${text} ${unit}` : text);

/** The words of a readout's quality (English by default; the view passes its language's). */
export interface ReadoutWords {
  readonly noData: string;
  readonly unchanged: string;
  /** `{percent}` is filled in. */
  readonly notGood: string;
}

export const ENGLISH_READOUT_WORDS: ReadoutWords = {
  noData: 'no data',
  unchanged: 'unchanged',
  notGood: '{percent} % not Good',
};

/** The legend's text for one pen at bucket `i` (null: no value there). */
export function readout(
  pen: Pen,
  columns: PenColumns | undefined,
  i: number | null,
  words: ReadoutWords = ENGLISH_READOUT_WORDS,
): Readout {
  if (!columns || i === null || columns.avg[i] == null)
    return { value: '—', span: null, quality: i === null ? null : words.noData };
  const avg = columns.avg[i]!;
  const lo = columns.min[i];
  const hi = columns.max[i];
  const d = pen.decimals;
  const value = withUnit(formatNumber(avg, d), pen.unit);
  const loText = lo == null ? NO_VALUE_TEXT : formatNumber(lo, d);
  const hiText = hi == null ? NO_VALUE_TEXT : formatNumber(hi, d);
  const span = loText === hiText ? null : withUnit(`${loText} … ${hiText}`, pen.unit);
  const q = columns.q[i];
  const quality =
    q == null || isAllGood(q)
      ? columns.held[i]
        ? words.unchanged
        : null
      : words.notGood.replace('{percent}', String(Math.round((1 - q) * 100)));
  return { value, span, quality };
}
