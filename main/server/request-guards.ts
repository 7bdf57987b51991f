/**
 * Checks every request passes before anything else looks at it (pure; the server wires them):
 * - the Host header must name this server (DNS rebinding: a page whose name resolves to
 *   this machine's address would otherwise talk to the server as if it were same-origin);
 * - session POSTs (sign-in, sign-out, password change) must be JSON from the server's own
 *   origin (login/logout CSRF: a cross-site form posts text/plain with the victim's cookies).
 */
import { isIP } from 'node:net';

/** Names every loopback start answers to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface HostAllowListInput {
  /** The address the server is bound to (`--host`). */
  readonly bindHost: string;
  /** Public URLs the server is reached under (`--public-url`, repeatable): their host names are allowed. */
  readonly publicUrls?: readonly string[];
  /** When bound to every interface: this machine's addresses (os.networkInterfaces). */
  readonly interfaceAddresses?: readonly string[];
  /** This machine's host name (os.hostname), allowed whatever the bind. */
  readonly hostName?: string;
}

function normaliseName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/** The host names (without port) a request may carry in its Host header. */
export function allowedHostNames(input: HostAllowListInput): ReadonlySet<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  const bind = normaliseName(input.bindHost);
  const wildcard = bind === '0.0.0.0' || bind === '::' || bind === '';
  if (!wildcard) names.add(bind);
  if (wildcard) for (const address of input.interfaceAddresses ?? []) names.add(normaliseName(address.split('%')[0]!));
  // This machine's own name: a page elsewhere cannot make a browser send it for its own origin.
  if (input.hostName) {
    names.add(normaliseName(input.hostName));
    names.add(`${normaliseName(input.hostName)}.local`);
  }
  for (const url of input.publicUrls ?? []) names.add(normaliseName(new URL(url).hostname));
  return names;
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower case, or null when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader || hostHeader.length > 300) return null;
  const text = hostHeader.trim().toLowerCase();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    const rest = text.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return text.slice(1, end);
  }
  const match = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(text);
  return match ? match[1]!.replace(/\.$/, '') : null;
}

/** Whether a Host header names this server; loopback addresses 127.0.0.0/8 always do. */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  if (allowed.has(name)) return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

export interface SessionPostHeaders {
  readonly contentType: string | undefined;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
}

/**
 * Why a session POST is refused, or null when it may go ahead. `ownOrigin` is the server's
 * origin as this request reached it (scheme + the already checked Host). Browsers send
 * Origin with every POST; a request without Origin and Sec-Fetch-Site is not from a page.
 */
export function sessionPostRefusal(
  headers: SessionPostHeaders,
  ownOrigin: string,
): { status: number; message: string } | null {
  const type = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    return { status: 415, message: 'session requests must be sent as Content-Type: application/json' };
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin' && headers.secFetchSite !== 'none') {
    return { status: 403, message: 'session requests are only accepted from the console itself (same origin)' };
  }
  if (headers.origin !== undefined && headers.origin.toLowerCase() !== ownOrigin.toLowerCase()) {
    return { status: 403, message: 'session requests are only accepted from the console itself (same origin)' };
  }
  return null;
}
