/**
 * One i18n layer for the console: Simplified Chinese and English, switched at run time.
 * Each feature folder owns its texts (`<feature>/<feature>-text.ts`, made with
 * `defineMessages`), so a screen and its words change together and the compiler checks that
 * both languages have every key. Pure: no DOM, no React (see `language.tsx` for the hooks).
 */

export const LANGUAGES = ['en', 'zh'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'zh';
}

/** The BCP 47 tag for `<html lang>` and `Intl` formatters. */
export function langTag(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}

/** The language's own name, for the switcher (always shown in that language). */
export const languageName: Readonly<Record<Lang, string>> = { en: 'English', zh: '中文' };

export type Vars = Readonly<Record<string, string | number>>;

/** A feature's texts in both languages; `{name}` placeholders are filled from `vars`. */
export interface MessageSet<K extends string> {
  readonly en: Readonly<Record<K, string>>;
  readonly zh: Readonly<Record<K, string>>;
}

export function defineMessages<K extends string>(
  en: Readonly<Record<K, string>>,
  zh: Readonly<Record<K, string>>,
): MessageSet<K> {
  return { en, zh };
}

export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function fill(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator<K extends string>(set: MessageSet<K>, lang: Lang): Translate<K> {
  const table = set[lang];
  return (key, vars) => fill(table[key] ?? set.en[key] ?? key, vars);
}

/** Project texts may carry both languages (`{ en, zh }`) or one plain string. */
export type ProjectText = string | { readonly en?: string; readonly zh?: string };

export function pickText(text: ProjectText | undefined, lang: Lang): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return (lang === 'zh' ? (text.zh ?? text.en) : (text.en ?? text.zh)) ?? '';
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 24-hour local time `HH:MM:SS` (or `HH:MM`), the same in both languages: control rooms never use a 12-hour clock. */
export function formatClock(ms: number, withSeconds = true): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** Local date `YYYY-MM-DD` (ISO order reads the same in Chinese and English). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local date and 24-hour time, `YYYY-MM-DD HH:MM:SS`. */
export function formatDateTime(ms: number, withSeconds = true): string {
  return `${formatDate(ms)} ${formatClock(ms, withSeconds)}`;
}

/** Reads `YYYY-MM-DD HH:MM[:SS]` (or with a `T`) as local time on a 24-hour clock; null when it is not a real time. */
export function parseDateTime(text: string): number | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s);
  // 2025-02-31 rolls over into March: not a real date.
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}
