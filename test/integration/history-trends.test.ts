/**
 * `history.trends` (many series in one request) on a real station and server in process,
 * over the WebSocket as a console asks: each series answered as `history.trend` answers it
 * and in the order asked, an unknown tag or one outside the caller's areas refused on its
 * own while the others are served, the contract's limits refused whole with a message that
 * says what to do, and nobody served after signing out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import { HISTORY_TRENDS_MAX_BUCKETS, HISTORY_TRENDS_MAX_SERIES } from '../../preload/contract.js';
import { readDemoProject } from '../support/demo-project.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { ContractSocket } from '../support/ws-client.js';
import { sessionRequest, signIn } from '../support/sign-in.js';

const analogs = readDemoProject()
  .tags.filter((t) => t.kind === 'analog')
  .map((t) => t.name)
  .slice(0, 12);
let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let viewer: ContractSocket;

const password = (name: string) => runtime.demoAccounts!.find((a) => a.name === name)!.password;
const wsUrl = () => server.url.replace('http', 'ws') + '/ws';

async function socketOf(name: string, pass: string): Promise<ContractSocket> {
  const { cookie } = await signIn(server.url, name, pass);
  return ContractSocket.open(wsUrl(), { Cookie: cookie });
}

beforeAll(async () => {
  station = await startInProcessStation('history-trends');
  ({ runtime, server } = station);
  viewer = await socketOf('demo-viewer', password('demo-viewer'));
  // Some stored history: the series compared below end 4 s before now.
  await new Promise((r) => setTimeout(r, 7000));
}, 60_000);

afterAll(async () => {
  viewer?.close();
  await station?.stop();
});

describe('history.trends', () => {
  it('answers each series as history.trend does, in the order asked', async () => {
    const to = Date.now() - 4000;
    const series = analogs.map((tag, i) => ({ tag, from: to - 60_000 * (1 + (i % 3)), to, buckets: 20 + i }));
    const batch = await viewer.request('history.trends', { series });
    if (!batch.ok) throw new Error(batch.error.message);
    expect(batch.value.series).toHaveLength(series.length);
    let withSamples = 0;
    for (const [i, one] of series.entries()) {
      const single = await viewer.request('history.trend', one);
      if (!single.ok) throw new Error(single.error.message);
      expect(batch.value.series[i]).toEqual({ ok: true, value: single.value });
      if (single.value.t.length > 0) withSamples++;
    }
    // Not a comparison of empty answers.
    expect(withSamples).toBeGreaterThan(series.length / 2);
  });

  it('refuses an unknown tag on its own and serves the others', async () => {
    const to = Date.now();
    const reply = await viewer.request('history.trends', {
      series: [
        { tag: analogs[0]!, from: to - 60_000, to, buckets: 10 },
        { tag: 'NO.SUCH.TAG', from: to - 60_000, to, buckets: 10 },
        { tag: analogs[1]!, from: to - 60_000, to, buckets: 10 },
      ],
    });
    if (!reply.ok) throw new Error(reply.error.message);
    const [a, missing, b] = reply.value.series;
    expect(a).toMatchObject({ ok: true, value: { tag: analogs[0] } });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/NO\.SUCH\.TAG/) },
    });
    expect(b).toMatchObject({ ok: true, value: { tag: analogs[1] } });
  });

  it('refuses series outside the caller’s plant areas, one by one', async () => {
    const admin = await socketOf('demo-admin', password('demo-admin'));
    const name = 'trends-area-user';
    const pass = 'area-User-Password-123';
    const created = await admin.request('users.create', { name, password: pass, role: 'viewer', areas: ['SS02'] });
    expect(created.ok).toBe(true);
    admin.close();
    const limited = await socketOf(name, pass);
    const to = Date.now();
    const reply = await limited.request('history.trends', {
      series: [{ tag: analogs[0]!, from: to - 60_000, to, buckets: 10 }],
    });
    limited.close();
    expect(reply).toMatchObject({
      ok: true,
      value: { series: [{ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(analogs[0]!) } }] },
    });
  });

  it('refuses more series than the limit with a message that says what to do', async () => {
    const to = Date.now();
    const series = Array.from({ length: HISTORY_TRENDS_MAX_SERIES + 1 }, (_, i) => ({
      tag: analogs[i % analogs.length]!,
      from: to - 60_000,
      to,
      buckets: 2,
    }));
    const reply = await viewer.request('history.trends', { series });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining(`at most ${HISTORY_TRENDS_MAX_SERIES} series in one request`),
      },
    });
    // At the limit it is served.
    expect((await viewer.request('history.trends', { series: series.slice(1) })).ok).toBe(true);
  });

  it('refuses more buckets in all than the limit', async () => {
    const to = Date.now();
    const n = Math.floor(HISTORY_TRENDS_MAX_BUCKETS / 10_000) + 1;
    const series = Array.from({ length: n }, (_, i) => ({ tag: analogs[i]!, from: to - 60_000, to, buckets: 10_000 }));
    expect(await viewer.request('history.trends', { series })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining(`at most ${HISTORY_TRENDS_MAX_BUCKETS} buckets in all series`),
      },
    });
    expect(await viewer.request('history.trends', { series: [] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('serves nobody after sign-out', async () => {
    const { cookie } = await signIn(server.url, 'demo-operator', password('demo-operator'));
    const socket = await ContractSocket.open(wsUrl(), { Cookie: cookie });
    const to = Date.now();
    const series = [{ tag: analogs[0]!, from: to - 60_000, to, buckets: 10 }];
    expect((await socket.request('history.trends', { series })).ok).toBe(true);
    expect((await sessionRequest(server.url, 'auth.logout', {}, cookie)).reply.ok).toBe(true);
    expect(await socket.request('history.trends', { series })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    socket.close();
  });
});
