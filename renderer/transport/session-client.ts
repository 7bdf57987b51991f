/**
 * Sign-in and session requests. The station server takes them over HTTP
 * (`POST /api/v1/session/<method>`) so it can set an HttpOnly session cookie the
 * WebSocket then carries; Electron takes them over its IPC bridge like any request.
 */
import type { ArgusApi, AuthStatus, Reply, RequestParams, sessionRequestNames } from '../../preload/contract.js';
import { asAuthStatus, asReply } from './loose-validate.js';

/** The requests that change who is signed in (declared in the contract). */
export type SessionMethod = (typeof sessionRequestNames)[number];

export interface SessionClient {
  request<M extends SessionMethod>(method: M, params: RequestParams<M>): Promise<Reply<AuthStatus>>;
}

const unavailable = (message: string): Reply<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

/** Checks a reply's value is an AuthStatus (loosely: a malformed one becomes an error, never a crash). */
export function asAuthReply(x: unknown): Reply<AuthStatus> {
  const reply = asReply(x);
  if (!reply.ok) return reply;
  const status = asAuthStatus(reply.value);
  return status
    ? { ok: true, value: status }
    : { ok: false, error: { code: 'INTERNAL', message: 'malformed sign-in status from station' } };
}

export function createHttpSessionClient(base: string): SessionClient {
  return {
    async request(method, params) {
      let res: Response;
      try {
        res = await fetch(new URL(`/api/v1/session/${method}`, base), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(params),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch (err) {
        return unavailable(`station unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return res.status >= 500 || res.status === 0
          ? unavailable(`station answered HTTP ${res.status}`)
          : { ok: false, error: { code: 'INTERNAL', message: `station answered HTTP ${res.status} without JSON` } };
      }
      return asAuthReply(body);
    },
  };
}

export function createIpcSessionClient(api: ArgusApi): SessionClient {
  return {
    async request(method, params) {
      try {
        return asAuthReply(await api.request(method, params));
      } catch (err) {
        return unavailable(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
