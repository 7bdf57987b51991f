/**
 * The trend canvas's colours, read from the theme's CSS custom properties (renderer/styles.css:
 * `--trend-pen-1` … `--trend-pen-8`, `--text`, `--panel`, `--line`), so the canvas follows the
 * light and dark themes like the rest of the console. The fixed colours are only the fallback
 * where a property is missing (and what the pure tests use).
 */
import { PEN_COLOURS, penColourProperty } from './trend-pens.js';

export interface PlotColours {
  readonly text: string;
  readonly grid: string;
  readonly markBackground: string;
  readonly ruler: string;
}

function cssVar(name: string): string {
  if (typeof document === 'undefined') return '';
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const FALLBACK: PlotColours = {
  text: '#262626',
  grid: 'rgba(60, 60, 60, 0.14)',
  markBackground: '#f2f2f2',
  ruler: '#262626',
};

export function readPlotColours(): PlotColours {
  const text = cssVar('--text') || FALLBACK.text;
  const line = cssVar('--line');
  return {
    text,
    grid: line ? withAlpha(line, 0.55) : FALLBACK.grid,
    markBackground: cssVar('--panel') || FALLBACK.markBackground,
    ruler: text,
  };
}

/** Pen `index`'s colour in the current theme. */
export function penColour(_tag: string, index: number): string {
  const c = cssVar(penColourProperty(index));
  return /^#[0-9a-fA-F]{6}$/.test(c) ? c : PEN_COLOURS[index % PEN_COLOURS.length]!;
}

/** `#rrggbb` (or `#rgb`) with an alpha; any other colour text is returned as it is. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = colour.trim().replace(/^#/, '');
  const full = hex.length === 3 ? hex.replace(/./g, (c) => c + c) : hex;
  if (!/^[0-9a-fA-F]{6}$/.test(full)) return colour;
  const n = parseInt(full, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
