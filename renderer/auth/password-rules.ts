/**
 * The password rules the runtime applies, checked before sending so the form can say what
 * is wrong at once (the runtime checks again and its message wins). Pure.
 */
import { translator, type Lang } from '../i18n/i18n.js';
import { authText } from './auth-text.js';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is not acceptable, or null when it is. */
export function newPasswordProblem(name: string, password: string, repeated: string, lang: Lang = 'en'): string | null {
  const t = translator(authText, lang);
  if (password.trim() === '') return t('enterPassword');
  if ([...password].length < MIN_PASSWORD_LENGTH) return t('tooShort', { n: MIN_PASSWORD_LENGTH });
  if ([...password].length > MAX_PASSWORD_LENGTH) return t('tooLong', { n: MAX_PASSWORD_LENGTH });
  if (password.trim().toLowerCase() === name.trim().toLowerCase()) return t('notName');
  if (password !== repeated) return t('differ');
  return null;
}

/** User names the runtime accepts: 1–64 letters (any script), digits or . _ - @. */
export function userNameProblem(name: string, lang: Lang = 'en'): string | null {
  const t = translator(authText, lang);
  if (name.length === 0) return t('enterUserName');
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(name)) return t('badUserName');
  return null;
}

/** Seconds left before the idle lock, to show when under a minute; null otherwise. */
export function lockCountdownSeconds(locksAt: number | null, nowMs: number, showBelowMs = 60_000): number | null {
  if (locksAt === null) return null;
  const left = locksAt - nowMs;
  if (left > showBelowMs) return null;
  return Math.max(0, Math.ceil(left / 1000));
}
