/** Password and user-name rules. Pure. */

export const MIN_PASSWORD_LENGTH = 10;
/** An upper bound keeps hashing cost predictable; passphrases fit easily. */
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'too-short' | 'too-long' | 'same-as-name' | 'blank';

/** Why a password is not acceptable for this user, or null when it is. */
export function passwordProblem(userName: string, password: string): PasswordProblem | null {
  const length = [...password].length;
  if (password.trim() === '') return 'blank';
  if (length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (length > MAX_PASSWORD_LENGTH) return 'too-long';
  if (password.trim().toLowerCase() === userName.trim().toLowerCase()) return 'same-as-name';
  return null;
}

export function describePasswordProblem(problem: PasswordProblem): string {
  switch (problem) {
    case 'blank':
      return 'the password is empty';
    case 'too-short':
      return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
    case 'too-long':
      return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
    case 'same-as-name':
      return 'the password must not be the user name';
  }
}

/** Letters (any script), digits and . _ - @, 1 to 64 characters. */
export const userNamePattern = /^[\p{L}\p{N}._@-]{1,64}$/u;

export function isValidUserName(name: string): boolean {
  return userNamePattern.test(name);
}

/** Area names as they appear before the first dot of a tag name. */
export const areaNamePattern = /^[A-Za-z][A-Za-z0-9_]*$/;
