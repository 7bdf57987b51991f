/**
 * The station server: the built renderer over HTTP, the contract over WebSocket at
 * /ws, and the read-only REST API under /api/v1. Bound to 127.0.0.1 unless told
 * otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StationRuntime } from '../runtime/station.js';
import { setSecurityHeaders } from './security-headers.js';
import { readStaticFile } from './static-files.js';
import { matchRoute } from './rest-routes.js';
import { attachWsGateway } from './ws-gateway.js';

export interface StationServerOptions {
  readonly runtime: StationRuntime;
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
}

export interface StationServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function apiError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

export async function startStationServer(options: StationServerOptions): Promise<StationServer> {
  const { runtime } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://station.invalid');
    } catch {
      return apiError(res, 400, 'BAD_REQUEST', 'malformed request URL');
    }
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/api/')) {
      const match = matchRoute(method, url.pathname);
      if (match === null) return apiError(res, 404, 'NOT_FOUND', `no such API route: ${url.pathname.slice(0, 200)}`);
      if (match === 'method-not-allowed') return apiError(res, 405, 'BAD_REQUEST', `${method} is not allowed here`);
      const result = await match.route.handle(runtime, { params: match.params, query: url.searchParams });
      return sendJson(res, result.status, result.body);
    }
    if (method !== 'GET' && method !== 'HEAD') return apiError(res, 405, 'BAD_REQUEST', `${method} is not allowed here`);
    const file = await readStaticFile(options.rendererDir, url.pathname);
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

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      runtime.log.error({ err, url: req.url?.slice(0, 200) }, 'HTTP request failed');
      if (!res.headersSent) apiError(res, 500, 'INTERNAL', 'internal error');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const gateway = attachWsGateway(server, runtime);

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
    url: `http://${hostForUrl}:${port}`,
    port,
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
