/** Sign in to a station server over HTTP and keep the session cookie, as a browser would. */
import type { AuthStatus, Reply } from '../../preload/contract.js';

export interface SignedIn {
  readonly cookie: string;
  readonly status: AuthStatus;
}

export async function sessionRequest(
  baseUrl: string,
  method: string,
  params: unknown,
  cookie?: string,
): Promise<{ http: number; reply: Reply<AuthStatus>; setCookie: string | null }> {
  const res = await fetch(`${baseUrl}/api/v1/session/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(params),
  });
  return { http: res.status, reply: (await res.json()) as Reply<AuthStatus>, setCookie: res.headers.get('set-cookie') };
}

export async function signIn(baseUrl: string, name: string, password: string): Promise<SignedIn> {
  const { reply, setCookie } = await sessionRequest(baseUrl, 'auth.login', { name, password });
  if (!reply.ok || reply.value.state !== 'active' || !setCookie)
    throw new Error(`sign-in as ${name} failed: ${JSON.stringify(reply)}`);
  return { cookie: setCookie.split(';')[0]!, status: reply.value };
}
