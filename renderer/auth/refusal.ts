/** The station's answer to a sign-in request as a message for the form, or null when it reached the wanted state. Pure. */
import type { AuthStatus, Reply } from '../../preload/contract.js';

export function authRefusal(reply: Reply<AuthStatus>, wanted: AuthStatus['state']): string | null {
  if (!reply.ok) return reply.error.message;
  if (reply.value.state === wanted && reply.value.message === null) return null;
  const wait = reply.value.retryAfterMs ? ` Try again in ${Math.ceil(reply.value.retryAfterMs / 1000)} s.` : '';
  return (reply.value.message ?? 'Refused.') + wait;
}
