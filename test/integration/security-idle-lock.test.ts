/**
 * A console left on a live trend still locks when idle: the trend's background refreshes
 * (`history.trend`) check the session without counting as user activity, while a user
 * request does count. Real runtime and station server, idle lock of 2.4 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import { readDemoProject } from '../support/demo-project.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { ContractSocket } from '../support/ws-client.js';
import { sessionRequest, signIn } from '../support/sign-in.js';

const analog = readDemoProject().tags.find((t) => t.kind === 'analog')!.name;
const IDLE_LOCK_MS = 2400;
let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;

beforeAll(async () => {
  station = await startInProcessStation('idle-trend', { station: { idleLockMinutes: IDLE_LOCK_MS / 60_000 } });
  ({ runtime, server } = station);
}, 60_000);

afterAll(async () => {
  await station?.stop();
});

const password = (name: string) => runtime.demoAccounts!.find((a) => a.name === name)!.password;

/** Send `request` every 200 ms for `ms`. */
async function pollFor(ms: number, request: () => Promise<unknown>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await request();
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('idle lock with a live trend on screen', () => {
  it('locks although the trend keeps refreshing', async () => {
    const { cookie } = await signIn(server.url, 'demo-operator', password('demo-operator'));
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    await pollFor(IDLE_LOCK_MS + 1500, () =>
      socket.request('history.trend', { tag: analog, from: Date.now() - 60_000, to: Date.now(), buckets: 50 }),
    );
    const status = await sessionRequest(server.url, 'auth.status', {}, cookie);
    expect(status.reply).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(
      await socket.request('history.trend', { tag: analog, from: Date.now() - 60_000, to: Date.now(), buckets: 50 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/locked/) },
    });
    socket.close();
  }, 30_000);

  it('stays unlocked while the user is at work (user requests count)', async () => {
    const { cookie } = await signIn(server.url, 'demo-technician', password('demo-technician'));
    const socket = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    await pollFor(IDLE_LOCK_MS + 1500, () => socket.request('tags.read', { tags: [analog] }));
    const status = await sessionRequest(server.url, 'auth.status', {}, cookie);
    expect(status.reply).toMatchObject({ ok: true, value: { state: 'active' } });
    socket.close();
  }, 30_000);
});
