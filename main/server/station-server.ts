/**
 * The station server: the built renderer over HTTP, the contract over WebSocket at /ws,
 * sign-in over HTTP (so the session cookie can be HttpOnly), and the read-only REST API
 * under /api/v1. Bound to 127.0.0.1 unless told otherwise; HTTPS when given a
 * certificate and key.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { StationRuntime } from '../runtime/station.js';
import { dispatch } from '../runtime/api/dispatch.js';
import { authorize } from '../runtime/security/authorize.js';
import type { Principal } from '../runtime/security/permissions.js';
import { errorReply, sessionRequestNames, type ErrorCode, type Reply } from '../../preload/contract.js';
import { setSecurityHeaders } from './security-headers.js';
import { readStaticFile } from './static-files.js';
import { matchRoute } from './rest-routes.js';
import { attachWsGateway } from './ws-gateway.js';
import { httpSessionBinding, sessionIdFromRequest } from './session-cookie.js';
import { SourceRateLimit } from './http-rate-limit.js';
import { allowedHostNames, hostAllowed, sessionPostRefusal } from './request-guards.js';
import type { WsBudgetPolicy } from './ws-budget.js';

export interface StationServerOptions {
  readonly runtime: StationRuntime;
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  /** PEM certificate and key: serve HTTPS/WSS and mark cookies Secure. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** URLs the console is reached under besides this machine's names (a DNS name, a proxy): their host names are allowed. */
  readonly publicUrls?: readonly string[];
  /** Serve the renderer's source maps (`*.map`); off unless asked for (they show the source to anyone). */
  readonly serveSourceMaps?: boolean;
  /** Per-WebSocket request budget (tests lower it). */
  readonly wsBudget?: Partial<WsBudgetPolicy>;
}

export interface StationServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const SESSION_PREFIX = '/api/v1/session/';
const credentialRequests = new Set([
  'auth.login',
  'auth.unlock',
  'auth.switchUser',
  'auth.changePassword',
  'auth.createFirstAdmin',
]);

const httpStatusOf: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DEVICE_OFFLINE: 409,
  WRITE_REJECTED: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function apiError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function sendReply(res: ServerResponse, reply: Reply<unknown>): void {
  sendJson(res, reply.ok ? 200 : httpStatusOf[reply.error.code], reply);
}

/** The peer's own address: never a header a client can set. */
export function sourceOf(req: IncomingMessage, door: 'http' | 'ws'): string {
  return `${door} ${req.socket.remoteAddress ?? 'unknown'}`;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON POST body within `maxBytes`, or the refusal (415 not JSON, 413 too large, 400 malformed, 429 over budget). */
async function readJsonPost(
  req: IncomingMessage,
  maxBytes: number,
  limit: SourceRateLimit,
): Promise<{ body: unknown } | { status: number; message: string; retryAfterS?: number }> {
  const waitMs = limit.take(sourceOf(req, 'http'), Date.now());
  if (waitMs > 0)
    return {
      status: 429,
      message: `too many requests from this address; try again in ${Math.ceil(waitMs / 1000)} s`,
      retryAfterS: Math.ceil(waitMs / 1000),
    };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { status: 415, message: 'send the body as Content-Type: application/json' };
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { status: 413, message: `request body over ${maxBytes} bytes` };
    chunks.push(chunk);
  }
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { status: 400, message: 'request body is not JSON' };
  }
}

export async function startStationServer(options: StationServerOptions): Promise<StationServer> {
  const { runtime } = options;
  const { security } = runtime;
  const secure = options.tls !== undefined;
  const signInLimit = new SourceRateLimit(30, 60_000);
  // Computing REST requests (model predictions) cost CPU: a budget per address.
  const restPostLimit = new SourceRateLimit(120, 60_000);
  // DNS rebinding: only requests naming this server in their Host header are served.
  const allowedHosts = allowedHostNames({
    bindHost: options.host,
    ...(options.publicUrls ? { publicUrls: options.publicUrls } : {}),
    interfaceAddresses: Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
    hostName: hostname(),
  });
  const isAllowedHost = (host: string | undefined): boolean => hostAllowed(host, allowedHosts);

  /** The REST caller: a session cookie (a user request, so it counts as activity) or a bearer token. */
  const principalOf = (req: IncomingMessage): Principal | null => {
    const id = sessionIdFromRequest(req, security.secret);
    if (id) {
      const check = security.auth.touch(id);
      if (check.ok) return check.session.user;
    }
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const verified = security.tokens.verify(header.slice('Bearer '.length).trim());
      if (verified.ok) return verified.principal;
    }
    return null;
  };

  const handleSessionRequest = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (!(sessionRequestNames as readonly string[]).includes(method))
      return apiError(res, 404, 'NOT_FOUND', `no such session request: ${method.slice(0, 100)}`);
    if (req.method !== 'POST') return apiError(res, 405, 'BAD_REQUEST', 'session requests are POSTs');
    // Login/logout CSRF: JSON from the console's own origin only (a cross-site form cannot send JSON).
    const refusal = sessionPostRefusal(
      {
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        secFetchSite: headerText(req.headers['sec-fetch-site']),
      },
      `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`,
    );
    if (refusal)
      return apiError(res, refusal.status, refusal.status === 415 ? 'BAD_REQUEST' : 'FORBIDDEN', refusal.message);
    const source = sourceOf(req, 'http');
    // Only requests that carry a password count against the address's sign-in budget.
    const waitMs = credentialRequests.has(method) ? signInLimit.take(source, Date.now()) : 0;
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      return apiError(
        res,
        429,
        'FORBIDDEN',
        `too many sign-in requests from this address; try again in ${Math.ceil(waitMs / 1000)} s`,
      );
    }
    const body = await readBody(req);
    if (body === null) return apiError(res, 413, 'BAD_REQUEST', `request body over ${MAX_BODY_BYTES} bytes`);
    let params: unknown = {};
    if (body.trim() !== '') {
      try {
        params = JSON.parse(body);
      } catch {
        return apiError(res, 400, 'BAD_REQUEST', 'request body is not JSON');
      }
    }
    const session = httpSessionBinding(req, res, security.secret, secure);
    sendReply(res, await dispatch(runtime.dispatchTarget, method, params, { source, session }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        'misdirected request: this server does not answer to that host name (start it with --public-url to add one)',
      );
      return;
    }
    setSecurityHeaders(res, `${secure ? 'wss' : 'ws'}://${req.headers.host ?? ''}`);
    if (secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://station.invalid');
    } catch {
      return apiError(res, 400, 'BAD_REQUEST', 'malformed request URL');
    }
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(SESSION_PREFIX))
      return handleSessionRequest(req, res, url.pathname.slice(SESSION_PREFIX.length));
    if (url.pathname.startsWith('/api/')) {
      const match = matchRoute(method, url.pathname);
      if (match === null) return apiError(res, 404, 'NOT_FOUND', `no such API route: ${url.pathname.slice(0, 200)}`);
      if (match === 'method-not-allowed') return apiError(res, 405, 'BAD_REQUEST', `${method} is not allowed here`);
      const principal = principalOf(req);
      if (match.route.permission !== 'public') {
        const verdict = authorize(principal, match.route.permission);
        if (!verdict.ok) return apiError(res, httpStatusOf[verdict.code], verdict.code, verdict.reason);
      }
      let body: unknown;
      if (match.route.method === 'POST') {
        const refusal = await readJsonPost(req, match.route.maxBodyBytes ?? MAX_BODY_BYTES, restPostLimit);
        if ('status' in refusal) {
          if (refusal.retryAfterS) res.setHeader('Retry-After', String(refusal.retryAfterS));
          // The rest of an oversized body is never read: this connection cannot carry another request.
          if (refusal.status === 413) res.setHeader('Connection', 'close');
          return apiError(res, refusal.status, refusal.status === 429 ? 'FORBIDDEN' : 'BAD_REQUEST', refusal.message);
        }
        body = refusal.body;
      }
      const result = await match.route.handle(runtime, {
        params: match.params,
        query: url.searchParams,
        principal,
        body,
      });
      return sendJson(res, result.status, result.body);
    }
    if (method !== 'GET' && method !== 'HEAD')
      return apiError(res, 405, 'BAD_REQUEST', `${method} is not allowed here`);
    const file =
      url.pathname.endsWith('.map') && !options.serveSourceMaps
        ? null
        : await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : file.body);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      runtime.log.error({ err, url: req.url?.slice(0, 200) }, 'HTTP request failed');
      if (!res.headersSent) sendReply(res, errorReply('INTERNAL', 'internal error'));
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const gateway = attachWsGateway(server, runtime, {
    hostAllowed: isAllowedHost,
    ...(options.wsBudget ? { budget: options.wsBudget } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${secure ? 'https' : 'http'}://${hostForUrl}:${port}`,
    port,
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
