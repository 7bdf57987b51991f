/**
 * The station runtime on the built-in simulated plant behind the station server:
 * real Modbus TCP and OPC UA conversations, real HTTP and WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import { demoTagsByProtocol } from '../support/demo-project.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { ContractSocket } from '../support/ws-client.js';
import { MAX_WS_MESSAGE_BYTES } from '../../preload/contract.js';
import { signIn } from '../support/sign-in.js';

let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let cookie: string;
const tags = demoTagsByProtocol();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST bodies are checked field by field below
async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, { headers: { Cookie: cookie } });
  return { status: res.status, body: await res.json() };
}

/** A raw GET so the path reaches the server exactly as written (fetch would normalise it). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  station = await startInProcessStation('station', {
    prepare: (dir) => writeFileSync(join(dir, 'secret.txt'), 'not for the network'),
  });
  ({ runtime, server } = station);
  const viewer = runtime.demoAccounts!.find((a) => a.role === 'viewer')!;
  cookie = (await signIn(server.url, viewer.name, viewer.password)).cookie;
});

afterAll(async () => {
  await station?.stop();
});

describe('station server on the simulated plant', () => {
  it('reports every device connected in /api/v1/health', async () => {
    const health = await eventually(async () => {
      const h = await getJson('/api/v1/health');
      return h.body.status === 'ok' ? h : undefined;
    });
    expect(health.status).toBe(200);
    expect(health.body.simulated).toBe(true);
    expect(health.body.devices.map((d: { protocol: string }) => d.protocol).sort()).toEqual(['modbus-tcp', 'opcua']);
  });

  it('serves live Good values from both protocols over REST', async () => {
    for (const name of [tags.modbus[0]!, tags.opcua[0]!]) {
      const tag = await eventually(async () => {
        const t = await getJson(`/api/v1/tags/${encodeURIComponent(name)}`);
        return t.body.quality === 'Good' ? t.body : undefined;
      });
      expect(tag).toMatchObject({ name, quality: 'Good' });
      expect(tag.value).not.toBeNull();
      expect(Date.parse(tag.receiveTime)).toBeGreaterThan(Date.now() - 30_000);
    }
    const all = await getJson('/api/v1/tags');
    expect(all.body).toHaveLength(tags.modbus.length + tags.opcua.length);
    expect(all.body[0]).toHaveProperty('unit');
  });

  it('records history of live values and serves it over REST and the contract', async () => {
    const name = tags.modbus[0]!;
    const from = new Date(Date.now() - 60_000).toISOString();
    const raw = await eventually(async () => {
      const r = await getJson(
        `/api/v1/history?tag=${encodeURIComponent(name)}&from=${from}&to=${new Date(Date.now() + 1000).toISOString()}`,
      );
      return r.status === 200 && r.body.t.length > 0 ? r.body : undefined;
    });
    expect(raw.tag).toBe(name);
    expect(raw.v.length).toBe(raw.t.length);
    const bad = await getJson(`/api/v1/history?tag=${encodeURIComponent(name)}&from=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/from/);
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const trend = await socket.request('history.trend', {
      tag: name,
      from: Date.now() - 60_000,
      to: Date.now(),
      buckets: 20,
    });
    expect(trend.ok && trend.value.t.length).toBeGreaterThan(0);
    socket.close();
  });

  it('answers unknown tags and routes with 404 and wrong methods with 405', async () => {
    expect((await getJson('/api/v1/tags/NO.SUCH.TAG')).status).toBe(404);
    expect((await getJson('/api/v1/nothing')).status).toBe(404);
    expect((await fetch(server.url + '/api/v1/tags', { method: 'POST', headers: { Cookie: cookie } })).status).toBe(
      405,
    );
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/index.html%00',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('not for the network');
    }
    const index = await rawGet('/');
    expect(index.status).toBe(200);
  });

  it('sends a strict Content-Security-Policy', async () => {
    const res = await fetch(server.url + '/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the contract over WebSocket', () => {
  it('answers requests and pushes changed values', async () => {
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    const info = await socket.request('session.info', {});
    expect(info).toMatchObject({ ok: true, value: { product: 'Argus', mode: 'station', simulated: true } });
    const list = await socket.request('tags.list', {});
    // Every project tag, and the outputs of the built-in models (tags too).
    const modelOutputs = runtime.predictions.service.tagInfos().length;
    expect(modelOutputs).toBeGreaterThan(0);
    expect(list.ok && list.value.length).toBe(tags.modbus.length + tags.opcua.length + modelOutputs);
    const pushed = await new Promise<string[]>((resolve) => {
      const off = socket.on('tags.changed', ({ values }) => {
        off();
        resolve(values.map((v) => v.tag));
      });
    });
    expect(pushed.length).toBeGreaterThan(0);
    socket.close();
  });

  it('narrows a window’s pushes to the tags it watches, with their current values in the reply, and widens them again', async () => {
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    // A Modbus and an OPC UA tag that change every poll, and one name no project defines (kept, never pushed).
    const watched = [tags.modbus[0]!, tags.opcua[0]!];
    const reply = await socket.request('tags.watch', { tags: [...watched, 'NO.SUCH.TAG'] });
    expect(reply.ok && reply.value.map((v) => v.tag).sort()).toEqual([...watched].sort());
    const seen = new Set<string>();
    const off = socket.on('tags.changed', ({ values }) => values.forEach((v) => seen.add(v.tag)));
    await new Promise((r) => setTimeout(r, 3000));
    off();
    // Refreshes (same value, fresher) included: within 3 s something arrived, and only what was watched.
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen].filter((t) => !watched.includes(t))).toEqual([]);
    const all = await socket.request('tags.watch', { tags: null });
    expect(all.ok && all.value.length).toBeGreaterThan(watched.length);
    const widened = await eventually(() => {
      const others = new Set<string>();
      return new Promise<Set<string> | undefined>((resolve) => {
        const stop = socket.on('tags.changed', ({ values }) => {
          values.forEach((v) => others.add(v.tag));
          if ([...others].some((t) => !watched.includes(t))) {
            stop();
            resolve(others);
          }
        });
      });
    });
    expect(widened.size).toBeGreaterThan(watched.length);
    socket.close();
  });

  it('answers malformed and hostile frames with errors and keeps serving', async () => {
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    expect(await socket.sendText('{not json')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await socket.raw({ id: 7, method: 'no.such.method', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await socket.raw({ id: 8, method: 'tags.read', params: { tags: 'all' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await socket.raw({ id: 9, method: 'tags.read', params: { tags: ['NO.SUCH.TAG'] } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await socket.sendText('{"id":10,"method":"session.info","params":{"__proto__":{"admin":true}}}', 10),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const stillServing = await socket.request('session.info', {});
    expect(stillServing.ok).toBe(true);
    socket.close();
  });

  it('closes a connection that sends an oversized frame, and keeps serving others', async () => {
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    socket.ws.send('x'.repeat(MAX_WS_MESSAGE_BYTES + 1));
    expect((await socket.closed).code).toBe(1009);
    const other = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    expect((await other.request('session.info', {})).ok).toBe(true);
    other.close();
  });

  it('refuses a WebSocket upgrade from another origin', async () => {
    await expect(
      ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie, Origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
  });
});
