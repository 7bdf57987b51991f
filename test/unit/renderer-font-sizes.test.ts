/**
 * No console text under 12 px at 1366×768, checked in the style sheets themselves: every
 * `font-size` and `font` declaration of every .css file under renderer/ is read and its
 * smallest possible size worked out. Pixel sizes must be 12 px or more; sizes under 1 em are
 * written `max(12px, …em)`; keywords that shrink (`smaller`, `x-small` …) are refused. Rules
 * for what is drawn inside a mimic (selectors under `.mimic`) are in screen units, drawn at
 * about 0.84 at 1366×768, so they need 15 units. The e2e test (themes-languages) measures the
 * rendered text of every screen as well; this one also covers markers that only appear when a
 * value goes Bad or an alarm comes in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const MIN_PX = 12;
/** A 1200-unit screen at 1366×768 is drawn at about 0.84: 15 units read as 12.6 px. */
const MIN_MIMIC_UNITS = 15;

interface Declaration {
  readonly selector: string;
  readonly property: string;
  readonly value: string;
  readonly line: number;
}

/** The declarations of a style sheet with the selector they sit under (nested at-rules flattened). */
export function declarations(css: string): Declaration[] {
  const out: Declaration[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const stack: string[] = [];
  let start = 0;
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      stack.push(text.slice(start, i).trim().replace(/\s+/g, ' '));
      start = i + 1;
    } else if (c === '}' || c === ';') {
      const chunk = text.slice(start, i);
      const colon = chunk.indexOf(':');
      const selector = stack[stack.length - 1] ?? '';
      if (colon > 0 && !selector.startsWith('@')) {
        const property = chunk.slice(0, colon).trim().toLowerCase();
        if (/^[a-z-]+$/.test(property)) {
          const offset = start + chunk.length - chunk.trimStart().length;
          out.push({ selector, property, value: chunk.slice(colon + 1).trim(), line: lineAt(offset) });
        }
      }
      if (c === '}') stack.pop();
      start = i + 1;
    }
  }
  return out;
}

/**
 * The smallest size a font-size value can come to, in px; `inherit` for sizes that follow
 * the parent (1 em or more, 100 % or more, inherit); null when it can fall under any floor
 * (a bare size under 1 em, `smaller`, a calc()).
 */
export function smallestSize(value: string): number | 'inherit' | null {
  const v = value.trim().toLowerCase();
  if (/^(inherit|initial|unset|revert|medium|large|x-large|xx-large|larger)$/.test(v)) return 'inherit';
  const max = /^max\((.*)\)$/.exec(v);
  if (max) {
    // The largest of the arguments: the floor is the biggest one that can be worked out.
    const parts = max[1]!.split(',').map((p) => smallestSize(p));
    const px = parts.filter((p): p is number => typeof p === 'number');
    if (px.length > 0) return Math.max(...px);
    return parts.includes('inherit') ? 'inherit' : null;
  }
  const m = /^(\d*\.?\d+)(px|em|rem|%)$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === 'px') return n;
  if (m[2] === '%') return n >= 100 ? 'inherit' : null;
  return n >= 1 ? 'inherit' : null;
}

/** The size part of a `font` shorthand ("800 12px system-ui", "600 max(12px, 0.8em)/1.2 sans-serif"). */
export function shorthandSize(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (/^(inherit|initial|unset|revert)$/.test(v)) return v;
  const m = /(max\([^)]*\)|\d*\.?\d+(?:px|em|rem|%)|\b(?:xx-small|x-small|small|smaller|medium|larger|large)\b)/.exec(
    v,
  );
  return m ? m[1]! : null;
}

/** Whether every selector of a rule draws inside a mimic (screen units, scaled down at 1366×768). */
export function inMimic(selector: string): boolean {
  const parts = selector.split(',').map((s) => s.trim());
  return parts.length > 0 && parts.every((s) => /(^|\s)\.mimic(\s|$)/.test(s));
}

/** Problems of one style sheet, each naming file, line, selector and value. */
export function fontSizeProblems(css: string, file: string): string[] {
  const problems: string[] = [];
  for (const d of declarations(css)) {
    if (d.property !== 'font-size' && d.property !== 'font') continue;
    const size = d.property === 'font' ? shorthandSize(d.value) : d.value;
    if (size === null) {
      if (d.property === 'font') problems.push(`${file}:${d.line} ${d.selector}: font "${d.value}" has no size`);
      continue;
    }
    const floor = inMimic(d.selector) ? MIN_MIMIC_UNITS : MIN_PX;
    const smallest = smallestSize(size);
    if (smallest === 'inherit') continue;
    if (smallest === null || smallest < floor)
      problems.push(`${file}:${d.line} ${d.selector}: ${d.property} ${d.value} (at least ${floor} px)`);
  }
  return problems;
}

const rendererDir = new URL('../../renderer/', import.meta.url).pathname;

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );
}

describe('the font-size checker', () => {
  it('works out the smallest size of each form', () => {
    expect(smallestSize('12px')).toBe(12);
    expect(smallestSize('9px')).toBe(9);
    expect(smallestSize('max(12px, 0.72em)')).toBe(12);
    expect(smallestSize('max(15px, 0.8em)')).toBe(15);
    expect(smallestSize('0.8em')).toBeNull();
    expect(smallestSize('1.1em')).toBe('inherit');
    expect(smallestSize('90%')).toBeNull();
    expect(smallestSize('smaller')).toBeNull();
    expect(smallestSize('calc(1em - 2px)')).toBeNull();
    expect(smallestSize('inherit')).toBe('inherit');
    expect(shorthandSize("800 12px system-ui, 'DejaVu Sans', sans-serif")).toBe('12px');
    expect(shorthandSize('600 max(12px, 0.8em)/1.2 sans-serif')).toBe('max(12px, 0.8em)');
    expect(shorthandSize('inherit')).toBe('inherit');
  });

  it('names every size under the floor, with file, line and selector, and lets the rest pass', () => {
    const css = [
      '/* a comment { font-size: 2px } */',
      '.ok { font-size: 12px; }',
      '.badge {',
      '  font-size: 9px;',
      '}',
      '.mark { font-size: 0.8em; }',
      '.mark-ok { font-size: max(12px, 0.8em); }',
      '@media (max-width: 1400px) { .nested { font-size: 11.5px; } }',
      '.prio-number { font: 800 10px system-ui; }',
      '.mimic .label { font-size: 13px; }',
      '.mimic .label-ok { font-size: 15px; }',
      '.mimic .a, .b { font-size: 13px; }',
    ].join('\n');
    expect(fontSizeProblems(css, 'x.css')).toEqual([
      'x.css:4 .badge: font-size 9px (at least 12 px)',
      'x.css:6 .mark: font-size 0.8em (at least 12 px)',
      'x.css:8 .nested: font-size 11.5px (at least 12 px)',
      'x.css:9 .prio-number: font 800 10px system-ui (at least 12 px)',
      'x.css:10 .mimic .label: font-size 13px (at least 15 px)',
    ]);
  });
});

describe('renderer style sheets', () => {
  const files = cssFiles(rendererDir);

  it('are found', () => {
    expect(files.map((f) => relative(rendererDir, f))).toEqual(expect.arrayContaining(['styles.css']));
    expect(files.length).toBeGreaterThan(5);
  });

  it('have no font size under 12 px (15 units inside a mimic)', () => {
    const problems = files.flatMap((f) => fontSizeProblems(readFileSync(f, 'utf8'), relative(rendererDir, f)));
    expect(problems).toEqual([]);
  });
});
