/** Pure helpers for the users and tokens admin: area lists, token expiry, role names. Unit-tested under Node. */
import type { RoleName } from '../../preload/contract.js';

export const roleNames: readonly RoleName[] = ['viewer', 'operator', 'technician', 'engineer', 'admin'];

/** What each role adds, in a few words for the role picker. */
export const roleHints: Readonly<Record<RoleName, string>> = {
  viewer: 'look only',
  operator: 'setpoints, commands, acknowledge',
  technician: 'also shelve, out of service, device diagnostics',
  engineer: 'also project, models, certificates, audit',
  admin: 'also users and API tokens',
};

const areaPattern = /^[A-Za-z][A-Za-z0-9_]*$/;

export type AreasCheck =
  { readonly ok: true; readonly areas: string[] } | { readonly ok: false; readonly problem: string };

/** `"SS01, SS02"` → `['SS01', 'SS02']`; empty means every area. Duplicates are dropped. */
export function parseAreas(text: string): AreasCheck {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = parts.find((p) => !areaPattern.test(p) || p.length > 32);
  if (bad !== undefined)
    return { ok: false, problem: `"${bad}" is not an area name (a letter, then letters, digits or _; at most 32).` };
  if (parts.length > 100) return { ok: false, problem: 'At most 100 areas.' };
  return { ok: true, areas: [...new Set(parts)] };
}

export function areasText(areas: readonly string[]): string {
  return areas.length === 0 ? 'all areas' : areas.join(', ');
}

/** Token expiry from a number of days ('' = never); ms since epoch or undefined, or a problem. */
export function tokenExpiry(
  daysText: string,
  nowMs: number,
): { ok: true; expiresAt: number | undefined } | { ok: false; problem: string } {
  const text = daysText.trim();
  if (text === '') return { ok: true, expiresAt: undefined };
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    return { ok: false, problem: 'Expiry: a whole number of days from 1 to 3650, or empty for none.' };
  return { ok: true, expiresAt: nowMs + days * 86_400_000 };
}
