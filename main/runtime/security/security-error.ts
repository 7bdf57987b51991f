/** Expected refusals of the security modules, with a closed set of codes the API layer maps to replies. */
export const securityErrorCodes = [
  'INVALID_NAME',
  'WEAK_PASSWORD',
  'DUPLICATE_USER',
  'NO_SUCH_USER',
  'WRONG_PASSWORD',
  'ADMIN_EXISTS',
  'LAST_ADMIN',
  'INVALID_AREA',
  'NO_SUCH_TOKEN',
] as const;
export type SecurityErrorCode = (typeof securityErrorCodes)[number];

export class SecurityError extends Error {
  constructor(
    readonly code: SecurityErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecurityError';
  }
}
