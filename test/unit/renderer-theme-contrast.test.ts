import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, parseHex, readTokens, relativeLuminance, TEXT_PAIRS } from '../../renderer/theme/theme.js';

const css = readFileSync(new URL('../../renderer/styles.css', import.meta.url), 'utf8');
const light = readTokens(css, ':root');
const dark = { ...light, ...readTokens(css, ":root[data-theme='dark']") };

describe('contrast arithmetic', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2159, 3);
  });
  it('refuses what is not a hex colour, naming it', () => {
    expect(() => parseHex('rgb(1, 2, 3)')).toThrow(/rgb\(1, 2, 3\)/);
  });
});

describe.each([
  ['light', light],
  ['dark', dark],
] as const)('%s theme', (name, tokens) => {
  it.each(TEXT_PAIRS.map(([fg, bg, min]) => [fg, bg, min] as const))('%s on %s reaches %s:1', (fg, bg, min) => {
    const f = tokens[fg];
    const b = tokens[bg];
    expect(f, `${name}: ${fg} is defined`).toBeDefined();
    expect(b, `${name}: ${bg} is defined`).toBeDefined();
    expect(contrastRatio(f!, b!)).toBeGreaterThanOrEqual(min);
  });
});

describe('dark theme', () => {
  it('overrides every colour token the light theme defines', () => {
    const darkOwn = readTokens(css, ":root[data-theme='dark']");
    expect(Object.keys(light).filter((k) => !(k in darkOwn) && !k.startsWith('--prio'))).toEqual([]);
  });
  it('has dark backgrounds and light text (night shift)', () => {
    for (const bg of ['--page', '--canvas', '--panel', '--field', '--header'])
      expect(relativeLuminance(dark[bg]!), bg).toBeLessThan(0.05);
    expect(relativeLuminance(dark['--text']!)).toBeGreaterThan(0.5);
  });
  it('keeps equipment muted: stopped and running equipment stay grey', () => {
    for (const t of ['--equipment', '--symbol-off', '--symbol-on']) {
      const [r, g, b] = parseHex(dark[t]!);
      expect(Math.max(r, g, b) - Math.min(r, g, b), t).toBeLessThanOrEqual(8);
    }
  });
});
