/**
 * Every message set in renderer/ (any `defineMessages` in a `*-text.ts` file) has the same keys
 * in English and Chinese, no empty text, the same {placeholders} in both languages, and
 * Chinese that is Chinese. The folders whose views are fully translated keep no English-only
 * text in their JSX.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageSet } from '../../renderer/i18n/i18n.js';

const root = new URL('../../renderer/', import.meta.url).pathname;

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, test) : test(name) ? [path] : [];
  });
}

const textFiles = filesUnder(root, (n) => n.endsWith('.ts')).filter((f) =>
  readFileSync(f, 'utf8').includes('defineMessages('),
);

function isMessageSet(v: unknown): v is MessageSet<string> {
  return (
    typeof v === 'object' &&
    v !== null &&
    'en' in v &&
    'zh' in v &&
    typeof (v as { en: unknown }).en === 'object' &&
    typeof (v as { zh: unknown }).zh === 'object'
  );
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message sets', () => {
  it('are found across the feature folders', () => {
    expect(textFiles.length).toBeGreaterThanOrEqual(6);
  });

  it.each(textFiles.map((f) => [relative(root, f), f]))(
    '%s: both languages complete and alike',
    async (_name, file) => {
      const module = (await import(file)) as Record<string, unknown>;
      const sets = Object.entries(module).filter((e): e is [string, MessageSet<string>] => isMessageSet(e[1]));
      expect(sets.length, 'exports at least one message set').toBeGreaterThan(0);
      for (const [setName, set] of sets) {
        expect(Object.keys(set.zh).sort(), `${setName}: same keys`).toEqual(Object.keys(set.en).sort());
        for (const key of Object.keys(set.en)) {
          const en = set.en[key]!;
          const zh = set.zh[key]!;
          expect(en.trim(), `${setName}.${key} (en) is not empty`).not.toBe('');
          expect(zh.trim(), `${setName}.${key} (zh) is not empty`).not.toBe('');
          expect(placeholders(zh), `${setName}.${key}: same placeholders`).toEqual(placeholders(en));
          // Chinese text carries Chinese characters unless it is only symbols, numbers, codes or placeholders.
          const letters = zh.replace(/\{\w+\}/g, '').replace(/[^A-Za-z\u3400-\u9fff]/g, '');
          if (/[a-z]{4,}/.test(en.replace(/\{\w+\}/g, '')) && letters.length > 0 && !/^[A-Z0-9]+$/.test(letters)) {
            expect(zh, `${setName}.${key} (zh) reads as Chinese`).toMatch(/[\u3400-\u9fff]/);
          }
        }
      }
    },
  );
});

/** Folders whose own views are converted: their JSX shows no English-only text. */
const TRANSLATED = [
  'screens',
  'auth',
  'alarms',
  'keyboard',
  'theme',
  'audit',
  'admin',
  'engineering',
  'predictions',
  'mimic',
  'overview',
  'app',
  'faceplates',
  'values',
  'trends',
];
/** Words that read the same in both languages (product names, units, key names, codes). */
const SAME_IN_BOTH = /^(ARGUS|CSV|OPC UA|SHA-1|SHA-256|PLC|KPI|ID|OK|F\d+|Esc|Alt|Tab|Shift|Enter|UTC)$/;

function englishInJsx(source: string): string[] {
  const found: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  // Text between tags: `>Words<` or a line of words alone inside JSX.
  for (const m of code.matchAll(/(?<![=-])>\s*([A-Za-z][A-Za-z ,.'’…:()/-]{2,})\s*</g)) found.push(m[1]!.trim());
  for (const m of code.matchAll(/^\s+([A-Z][a-z]+(?: [A-Za-z][a-z]*)*[.…]?)\s*$/gm)) found.push(m[1]!.trim());
  // Literal user-facing attributes.
  for (const m of code.matchAll(/\b(?:title|aria-label|placeholder|label)="([^"]*[A-Za-z]{3,}[^"]*)"/g))
    found.push(m[1]!);
  // Commands to type and date formats read the same in both languages.
  return found.filter(
    (s) => /[a-z]{3,}/i.test(s) && !SAME_IN_BOTH.test(s) && !/^npm /.test(s) && !/^[YMDHS:\- ]+$/.test(s),
  );
}

describe('translated folders', () => {
  const files = TRANSLATED.flatMap((folder) => {
    try {
      return filesUnder(join(root, folder), (n) => n.endsWith('.tsx'));
    } catch {
      return [];
    }
  });
  it.each(files.map((f) => [relative(root, f), f]))('%s shows no English-only text', (_name, file) => {
    expect(englishInJsx(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
