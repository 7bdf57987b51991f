/**
 * Light and dark themes. The colours themselves live in renderer/styles.css as custom
 * properties (`:root` for light, `:root[data-theme="dark"]` for dark); this module only names
 * the themes and checks contrast. Pure: no DOM (see `theme-provider.tsx`).
 */

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export function isTheme(v: unknown): v is Theme {
  return v === 'light' || v === 'dark';
}

/** `#rgb`, `#rrggbb` → [r, g, b] in 0…255; anything else is a caller's error and says so. */
export function parseHex(colour: string): [number, number, number] {
  const hex = colour.trim().replace(/^#/, '');
  const full = hex.length === 3 ? hex.replace(/./g, (c) => c + c) : hex;
  if (!/^[0-9a-fA-F]{6}$/.test(full)) throw new Error(`parseHex: "${colour}" is not a #rgb or #rrggbb colour`);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2.x relative luminance. */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = parseHex(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio (1…21) between two opaque colours. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Custom properties of one CSS rule block (`--name: value;`), comments ignored. */
export function readTokens(css: string, selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`readTokens: no "${selector} {" block in the style sheet`);
  const body = css.slice(start, css.indexOf('}', start)).replace(/\/\*[\s\S]*?\*\//g, '');
  const tokens: Record<string, string> = {};
  for (const m of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) tokens[m[1]!] = m[2]!.trim();
  return tokens;
}

/**
 * Text (foreground) on background token pairs the console draws, with the contrast each must
 * reach: 4.5:1 for text. Stale values are deliberately dimmed (and doubled by a STALE marker
 * and italics), so they are held to 3:1.
 */
export const TEXT_PAIRS: ReadonlyArray<readonly [fg: string, bg: string, min: number]> = [
  ['--text', '--page', 4.5],
  ['--text', '--canvas', 4.5],
  ['--text', '--panel', 4.5],
  ['--text', '--field', 4.5],
  ['--text', '--surface', 4.5],
  ['--text', '--surface-sunken', 4.5],
  ['--text', '--surface-hover', 4.5],
  ['--text', '--button', 4.5],
  ['--text', '--banner', 4.5],
  ['--text', '--symbol-off', 4.5],
  ['--text-muted', '--panel', 4.5],
  ['--text-muted', '--canvas', 4.5],
  ['--text-muted', '--field', 4.5],
  ['--text-muted', '--surface', 4.5],
  ['--text-strong', '--panel', 4.5],
  ['--text-strong', '--button', 4.5],
  ['--text-strong', '--field', 4.5],
  ['--text-strong', '--surface-sunken', 4.5],
  ['--header-text', '--header', 4.5],
  ['--header-text', '--header-control', 4.5],
  ['--header-text', '--header-control-hover', 4.5],
  ['--header-text-muted', '--header', 4.5],
  ['--on-inverse', '--inverse', 4.5],
  ['--on-inverse', '--inverse-soft', 4.5],
  ['--on-inverse', '--symbol-on', 4.5],
  ['--on-alarm', '--alarm', 4.5],
  ['--on-comm', '--comm', 4.5],
  ['--comm', '--panel', 4.5],
  ['--comm', '--canvas', 4.5],
  ['--comm', '--surface', 4.5],
  ['--stale', '--panel', 2.5],
  ['--stale', '--canvas', 2.5],
];
