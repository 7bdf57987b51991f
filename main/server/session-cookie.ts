/**
 * The station server's session cookie: the session id signed with the install's random
 * secret, HttpOnly and SameSite=Strict (Secure under TLS). The id itself is checked by
 * the authenticator on every use; the signature only keeps forged values out early.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signValue, unsignValue } from '../runtime/security/install-secret.js';
import type { SessionBinding } from '../runtime/api/caller.js';

export const SESSION_COOKIE = 'argus_session';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionIdFromRequest(req: IncomingMessage, secret: Buffer): string | null {
  const raw = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!raw) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return unsignValue(secret, decoded);
}

export function sessionCookieHeader(secret: Buffer, sessionId: string | null, secure: boolean): string {
  const attributes = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  if (sessionId === null) return `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`;
  return `${SESSION_COOKIE}=${encodeURIComponent(signValue(secret, sessionId))}; ${attributes}`;
}

/** A binding over one HTTP exchange: reads the request's cookie, and sets the response's. */
export function httpSessionBinding(
  req: IncomingMessage,
  res: ServerResponse,
  secret: Buffer,
  secure: boolean,
): SessionBinding {
  let current = sessionIdFromRequest(req, secret);
  return {
    get: () => current,
    set: (id) => {
      current = id;
      res.setHeader('Set-Cookie', sessionCookieHeader(secret, id, secure));
    },
    canChange: true,
  };
}
