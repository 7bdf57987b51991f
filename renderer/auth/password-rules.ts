/**
 * The password rules the runtime applies, checked before sending so the form can say what
 * is wrong at once (the runtime checks again and its message wins). Pure.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is not acceptable, or null when it is. */
export function newPasswordProblem(name: string, password: string, repeated: string): string | null {
  if (password.trim() === '') return 'Enter a password.';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if ([...password].length > MAX_PASSWORD_LENGTH) return `The password may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (password.trim().toLowerCase() === name.trim().toLowerCase()) return 'The password must not be the user name.';
  if (password !== repeated) return 'The two passwords differ.';
  return null;
}

/** User names the runtime accepts: 1–64 letters (any script), digits or . _ - @. */
export function userNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a user name.';
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(name)) return 'A user name has 1 to 64 letters, digits or . _ - @ (no spaces).';
  return null;
}

/** Seconds left before the idle lock, to show when under a minute; null otherwise. */
export function lockCountdownSeconds(locksAt: number | null, nowMs: number, showBelowMs = 60_000): number | null {
  if (locksAt === null) return null;
  const left = locksAt - nowMs;
  if (left > showBelowMs) return null;
  return Math.max(0, Math.ceil(left / 1000));
}
