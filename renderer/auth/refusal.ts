/** The station's answer to a sign-in request as a message for the form, or null when it reached the wanted state. Pure. */
import type { AuthStatus, Reply } from '../../preload/contract.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { authText } from './auth-text.js';
import { refusalMessage } from '../app/station-refusal.js';

/** The station's own message is shown as it sent it; the console's words around it (and a refusal's code) follow `lang`. */
export function authRefusal(reply: Reply<AuthStatus>, wanted: AuthStatus['state'], lang: Lang = 'en'): string | null {
  if (!reply.ok) return refusalMessage(reply.error, lang);
  if (reply.value.state === wanted && reply.value.message === null) return null;
  const t = translator(authText, lang);
  const wait = reply.value.retryAfterMs ? t('tryAgainIn', { s: Math.ceil(reply.value.retryAfterMs / 1000) }) : '';
  return (reply.value.message ?? t('refused')) + wait;
}
