/** Pure helpers for the users and tokens admin: area lists, token expiry, role names. Unit-tested under Node. */
import type { RoleName } from '../../preload/contract.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { adminFormText } from './admin-text.js';

export const roleNames: readonly RoleName[] = ['viewer', 'operator', 'technician', 'engineer', 'admin'];

/** What a role adds, in a few words for the role picker, in the language. */
export function roleHint(role: RoleName, lang: Lang = 'en'): string {
  return translator(adminFormText, lang)(`hint_${role}`);
}

const areaPattern = /^[A-Za-z][A-Za-z0-9_]*$/;

export type AreasCheck =
  { readonly ok: true; readonly areas: string[] } | { readonly ok: false; readonly problem: string };

/** `"SS01, SS02"` → `['SS01', 'SS02']`; empty means every area. Duplicates are dropped. */
export function parseAreas(text: string, lang: Lang = 'en'): AreasCheck {
  const t = translator(adminFormText, lang);
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = parts.find((p) => !areaPattern.test(p) || p.length > 32);
  if (bad !== undefined) return { ok: false, problem: t('badArea', { area: bad }) };
  if (parts.length > 100) return { ok: false, problem: t('tooManyAreas') };
  return { ok: true, areas: [...new Set(parts)] };
}

export function areasText(areas: readonly string[], lang: Lang = 'en'): string {
  return areas.length === 0 ? translator(adminFormText, lang)('allAreas') : areas.join(', ');
}

/** Token expiry from a number of days ('' = never); ms since epoch or undefined, or a problem. */
export function tokenExpiry(
  daysText: string,
  nowMs: number,
  lang: Lang = 'en',
): { ok: true; expiresAt: number | undefined } | { ok: false; problem: string } {
  const text = daysText.trim();
  if (text === '') return { ok: true, expiresAt: undefined };
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    return { ok: false, problem: translator(adminFormText, lang)('badExpiry') };
  return { ok: true, expiresAt: nowMs + days * 86_400_000 };
}
