/**
 * The station server against what a malicious web page or a viewer on the plant LAN can
 * try: DNS rebinding (a foreign Host), login/logout CSRF, a WebSocket flood, a live trend
 * keeping the console from locking, export progress leaking to other users, backups filling
 * the disk, source maps and a loose CSP. Real runtime on the simulated plant, real sockets,
 * real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startStation, type StationRuntime } from '../../main/runtime/station.js';
import { startStationServer, type StationServer } from '../../main/server/station-server.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { demoProjectPath, readDemoProject } from '../support/demo-project.js';
import { ContractSocket } from '../support/ws-client.js';
import { sessionRequest, signIn } from '../support/sign-in.js';
import type { EventPayload } from '../../preload/contract.js';
import { startSimulator } from '../../simulator/index.js';
import { defaultWsBudget } from '../../main/server/ws-budget.js';

const project = readDemoProject();
const analog = project.tags.find((t) => t.kind === 'analog')!.name;
let dir: string;
let runtime: StationRuntime;
let server: StationServer;
let mapsServer: StationServer;
const password = (name: string) => runtime.demoAccounts!.find((a) => a.name === name)!.password;
const wsUrl = () => server.url.replace('http', 'ws') + '/ws';

/** A raw HTTP request with exactly these headers (fetch would not let us set Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-hardening-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Argus</title>');
  writeFileSync(join(renderer, 'assets', 'main.js'), 'console.log(1)\n//# sourceMappingURL=main.js.map');
  writeFileSync(join(renderer, 'assets', 'main.js.map'), '{"version":3,"sources":["../src/secret-logic.ts"]}');
  runtime = await startStation({
    projectFile: demoProjectPath,
    dataDir: join(dir, 'data'),
    mode: 'station',
    log: createLogger({ level: 'error' }),
    demoUsers: true,
    startPlant: startSimulator,
  });
  server = await startStationServer({
    runtime,
    host: '127.0.0.1',
    port: 0,
    rendererDir: renderer,
    publicUrls: ['https://scada.plant.example:8400'],
  });
  mapsServer = await startStationServer({
    runtime,
    host: '127.0.0.1',
    port: 0,
    rendererDir: renderer,
    serveSourceMaps: true,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await mapsServer?.close();
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('DNS rebinding: only this server’s own names are answered', () => {
  it('refuses a foreign Host with 421 on pages, the API and session requests, and answers loopback names and --public-url', async () => {
    const port = server.port;
    for (const host of [`evil.example:${port}`, `rebind.attacker.test:${port}`, `10.9.9.9:${port}`, '']) {
      expect((await raw('GET', '/', { Host: host })).status, host).toBe(421);
      expect((await raw('GET', '/api/v1/health', { Host: host })).status, host).toBe(421);
      const status = await raw(
        'POST',
        '/api/v1/session/auth.status',
        { Host: host, 'Content-Type': 'application/json' },
        '{}',
      );
      expect(status.status, host).toBe(421);
      expect(status.body).not.toContain(password('demo-admin'));
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      'scada.plant.example:8400',
      'SCADA.Plant.Example',
    ]) {
      expect((await raw('GET', '/api/v1/health', { Host: host })).status, host).toBe(200);
    }
  });

  it('refuses the WebSocket upgrade with a foreign Host, even when the Origin matches it', async () => {
    const { cookie } = await signIn(server.url, 'demo-viewer', password('demo-viewer'));
    await expect(
      ContractSocket.open(wsUrl(), {
        Cookie: cookie,
        Host: `evil.example:${server.port}`,
        Origin: `http://evil.example:${server.port}`,
      }),
    ).rejects.toThrow(/421/);
    const ok = await ContractSocket.open(wsUrl(), { Cookie: cookie });
    expect((await ok.request('session.info', {})).ok).toBe(true);
    ok.close();
  });
});

describe('login and logout CSRF', () => {
  it('refuses a cross-site text/plain form post that would sign the victim in as the attacker', async () => {
    const form = await raw(
      'POST',
      '/api/v1/session/auth.login',
      { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'text/plain', Origin: 'http://evil.example' },
      JSON.stringify({ name: 'demo-viewer', password: password('demo-viewer') }),
    );
    expect(form.status).toBe(415);
    expect(form.headers['set-cookie']).toBeUndefined();
    const noType = await raw(
      'POST',
      '/api/v1/session/auth.login',
      { Host: `127.0.0.1:${server.port}` },
      JSON.stringify({ name: 'demo-viewer', password: password('demo-viewer') }),
    );
    expect(noType.status).toBe(415);
  });

  it('refuses JSON from another origin or a cross-site fetch, and accepts the console’s own origin', async () => {
    const body = JSON.stringify({ name: 'demo-viewer', password: password('demo-viewer') });
    const host = `127.0.0.1:${server.port}`;
    const json = { Host: host, 'Content-Type': 'application/json' };
    expect(
      (await raw('POST', '/api/v1/session/auth.login', { ...json, Origin: 'http://evil.example' }, body)).status,
    ).toBe(403);
    expect(
      (await raw('POST', '/api/v1/session/auth.login', { ...json, 'Sec-Fetch-Site': 'cross-site' }, body)).status,
    ).toBe(403);
    expect(
      (await raw('POST', '/api/v1/session/auth.login', { ...json, 'Sec-Fetch-Site': 'same-site' }, body)).status,
    ).toBe(403);
    const own = await raw(
      'POST',
      '/api/v1/session/auth.login',
      { ...json, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' },
      body,
    );
    expect(own.status).toBe(200);
    expect(String(own.headers['set-cookie'])).toMatch(/argus_session=/);
  });

  it('a cross-site logout leaves the victim signed in', async () => {
    const { cookie } = await signIn(server.url, 'demo-operator', password('demo-operator'));
    const host = `127.0.0.1:${server.port}`;
    const forged = await raw(
      'POST',
      '/api/v1/session/auth.logout',
      { Host: host, Cookie: cookie, 'Content-Type': 'text/plain', Origin: 'http://evil.example' },
      '{}',
    );
    expect(forged.status).toBe(415);
    const status = await sessionRequest(server.url, 'auth.status', {}, cookie);
    expect(status.reply).toMatchObject({ ok: true, value: { state: 'active', user: { name: 'demo-operator' } } });
  });
});

describe('what the server sends browsers', () => {
  it('limits connect-src to its own origin (no ws: to any host)', async () => {
    const csp = (await fetch(server.url + '/')).headers.get('content-security-policy')!;
    const connect = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('connect-src'))!;
    expect(connect.split(/\s+/).slice(1).sort()).toEqual(["'self'", `ws://127.0.0.1:${server.port}`].sort());
  });

  it('does not serve source maps unless started with them', async () => {
    expect((await fetch(server.url + '/assets/main.js')).status).toBe(200);
    const map = await fetch(server.url + '/assets/main.js.map');
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret-logic');
    expect((await fetch(mapsServer.url + '/assets/main.js.map')).status).toBe(200);
  });
});

describe('export progress goes only to the window that started the export', () => {
  it('another user’s window hears nothing of it (file names included)', async () => {
    const operator = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-operator', password('demo-operator'))).cookie,
    });
    const engineer = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-engineer', password('demo-engineer'))).cookie,
    });
    const seenByOperator: EventPayload<'history.exportProgress'>[] = [];
    const seenByEngineer: EventPayload<'history.exportProgress'>[] = [];
    operator.on('history.exportProgress', (e) => seenByOperator.push(e));
    engineer.on('history.exportProgress', (e) => seenByEngineer.push(e));
    const started = await operator.request('history.export', {
      tags: [analog],
      from: Date.now() - 60_000,
      to: Date.now(),
      layout: 'long',
    });
    expect(started.ok).toBe(true);
    for (let i = 0; i < 100 && !seenByOperator.some((e) => e.done); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seenByOperator.some((e) => e.done && e.file)).toBe(true);
    expect(seenByEngineer).toEqual([]);
    operator.close();
    engineer.close();
  });
});

describe('history backups', () => {
  it('are for plant-wide engineers, under generated names, one at a time and rate-limited', async () => {
    await runtime.security.users.createUser({
      name: 'area-engineer',
      password: 'area engineer password',
      role: 'engineer',
      areas: ['SS01'],
    });
    const operator = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-operator', password('demo-operator'))).cookie,
    });
    const areaEngineer = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'area-engineer', 'area engineer password')).cookie,
    });
    const engineer = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-engineer', password('demo-engineer'))).cookie,
    });
    expect(await operator.request('history.backup', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await areaEngineer.request('history.backup', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/whole plant/) },
    });
    // the client cannot choose (and so cannot overwrite) a backup's file name
    expect(
      await engineer.raw({ id: 900, method: 'history.backup', params: { fileName: 'history-old.db' } }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const [first, second] = await Promise.all([
      engineer.request('history.backup', {}),
      engineer.request('history.backup', {}),
    ]);
    expect(first).toMatchObject({
      ok: true,
      value: { file: expect.stringMatching(/backups\/history-\d{4}-\d\d-\d\dT[\d-]+Z\.db$/) },
    });
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/already running|may start in/) },
    });
    expect(await engineer.request('history.backup', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/may start in/) },
    });
    const files = readdirSync(join(dir, 'data', 'backups'));
    expect(files.filter((f) => f.endsWith('.db'))).toHaveLength(1);
    // the audit trail's head checkpoint travels with every backup
    expect(files.filter((f) => f.endsWith('.audit-head.json'))).toHaveLength(1);
    for (const s of [operator, areaEngineer, engineer]) s.close();
  });
});

describe('one viewer flooding its WebSocket', () => {
  it('is closed with a clear code, without reading its replies, and /api/v1/health stays fast for others meanwhile', async () => {
    const { cookie } = await signIn(server.url, 'demo-viewer', password('demo-viewer'));
    const flood = new WebSocket(wsUrl(), { headers: { Cookie: cookie } });
    await new Promise((resolve, reject) => {
      flood.once('open', resolve);
      flood.once('error', reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      flood.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    // Never read a reply: stop the client's socket from reading.
    (flood as unknown as { _socket: { pause(): void } })._socket.pause();
    const frame = JSON.stringify({ id: 1, method: 'tags.list', params: {} });
    const latencies: number[] = [];
    let sent = 0;
    const sending = (async () => {
      for (; sent < 40_000 && flood.readyState === WebSocket.OPEN; sent++) {
        flood.send(frame);
        if (sent % 500 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const t0 = performance.now();
      expect((await fetch(server.url + '/api/v1/health')).status).toBe(200);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    await sending;
    (flood as unknown as { _socket: { resume(): void } })._socket.resume();
    const result = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    flood.terminate();
    expect(result, 'the flooding socket was never closed').not.toBeNull();
    expect([1008, 1006]).toContain(result!.code);
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    // Before the budget, each health request took 2–3 s during such a flood (and the flood was never cut off).
    expect(
      p95,
      `p95 of /api/v1/health during the flood: ${p95.toFixed(1)} ms over ${latencies.length} requests`,
    ).toBeLessThan(1000);
    // other users are unaffected
    const other = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-technician', password('demo-technician'))).cookie,
    });
    expect((await other.request('session.info', {})).ok).toBe(true);
    other.close();
  }, 30_000);

  it('answers a console asking for more than its burst at once, at the sustained rate, without closing it', async () => {
    const socket = await ContractSocket.open(wsUrl(), {
      Cookie: (await signIn(server.url, 'demo-operator', password('demo-operator'))).cookie,
    });
    let closedWith: number | null = null;
    socket.ws.once('close', (code) => (closedWith = code));
    // As the plant overview of 50 substations does: 300 short histories asked for at once.
    const n = defaultWsBudget.burst + 100;
    const t0 = performance.now();
    const replies = await Promise.all(Array.from({ length: n }, () => socket.request('session.info', {})));
    const elapsedMs = performance.now() - t0;
    expect(replies.filter((r) => r.ok)).toHaveLength(n);
    expect(closedWith).toBeNull();
    // The 100 past the burst waited for the sustained rate.
    expect(elapsedMs).toBeGreaterThan((100 / defaultWsBudget.perSecond) * 1000 * 0.9);
    socket.close();
  }, 30_000);
});
