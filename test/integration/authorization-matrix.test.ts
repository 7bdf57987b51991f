/**
 * Every contract request and every REST route, called as each role and as nobody, over
 * the WebSocket, over HTTP and through the in-process dispatcher, against the policy
 * tables in the code (a new request or route cannot escape: the tables are what is walked,
 * and `sampleParams` must name every request to compile). A viewer walking the whole
 * contract must leave every setpoint in the plant as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import { requestPolicy } from '../../main/runtime/api/request-policy.js';
import { restRoutes } from '../../main/server/rest-routes.js';
import { dispatch } from '../../main/runtime/api/dispatch.js';
import { memorySessionBinding } from '../../main/runtime/api/caller.js';
import { can, roles, type Role } from '../../main/runtime/security/permissions.js';
import { requests, sessionRequestNames, type RequestName, type Reply } from '../../preload/contract.js';
import { copyDemoProject, readDemoProject } from '../support/demo-project.js';
import { ContractSocket } from '../support/ws-client.js';
import { sessionRequest, signIn } from '../support/sign-in.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';

const project = readDemoProject();
const writable = project.tags.find((t) => t.writable && t.kind === 'analog' && t.range && !t.critical)!;
const midRange = (writable.range![0] + writable.range![1]) / 2;
let matrixUserSerial = 0;
const opcuaDevice = project.devices.find((d) => d.protocol === 'opcua')!.name;
let tokenIdToRevoke = 0;
/** Every device has a communication alarm. */
const commAlarm = 'SS01.SS01_PLC.COMM';

/** Valid params for every request (the type makes the list total). */
const sampleParams: { [N in RequestName]: () => unknown } = {
  'session.info': () => ({}),
  'auth.status': () => ({}),
  'auth.login': () => ({ name: 'no-such-user', password: 'wrong-password' }),
  'auth.logout': () => ({}),
  'auth.lock': () => ({}),
  'auth.unlock': () => ({ password: 'wrong-password' }),
  'auth.switchUser': () => ({ name: 'no-such-user', password: 'wrong-password' }),
  'auth.changePassword': () => ({ oldPassword: 'wrong-password', newPassword: 'a-new-Password-123' }),
  'auth.createFirstAdmin': () => ({ name: 'another-admin', password: 'a-new-Password-123' }),
  'tags.list': () => ({}),
  'tags.read': () => ({}),
  'tags.watch': () => ({ tags: null }),
  'devices.list': () => ({}),
  'screens.list': () => ({}),
  'tags.write': () => ({ tag: writable.name, value: midRange }),
  'history.raw': () => ({ tag: writable.name, from: Date.now() - 60_000, to: Date.now() }),
  'history.trend': () => ({ tag: writable.name, from: Date.now() - 3_600_000, to: Date.now(), buckets: 100 }),
  'history.trends': () => ({
    series: [{ tag: writable.name, from: Date.now() - 3_600_000, to: Date.now(), buckets: 100 }],
  }),
  'history.status': () => ({}),
  'history.export': () => ({ tags: [writable.name], from: Date.now() - 60_000, to: Date.now(), layout: 'long' }),
  'history.backup': () => ({}),
  'audit.query': () => ({ limit: 5 }),
  'audit.exportCsv': () => ({ action: 'tag.write' }),
  'users.list': () => ({}),
  'users.create': () => ({
    name: `matrix-user-${++matrixUserSerial}`,
    password: 'matrix-Password-123',
    role: 'viewer',
  }),
  'users.update': () => ({ name: 'matrix-target', areas: ['SS01'] }),
  'tokens.list': () => ({}),
  'tokens.create': () => ({ label: 'matrix token' }),
  'tokens.revoke': () => ({ id: tokenIdToRevoke }),
  'opcua.certificates': () => ({}),
  'opcua.trustCertificate': () => ({ thumbprint: '00'.repeat(20) }),
  'opcua.browse': () => ({ device: opcuaDevice }),
  'project.addTag': () => ({
    device: opcuaDevice,
    nodeId: 'ns=1;s=SS01.HX.UA',
    name: `SS01.MATRIX.TAG_${++matrixUserSerial}`,
    description: { en: 'matrix copy' },
  }),
  'alarms.list': () => ({}),
  'alarms.table': () => ({}),
  'alarms.definitions': () => ({}),
  'alarms.acknowledge': () => ({ ids: [commAlarm] }),
  'alarms.comment': () => ({ id: commAlarm, comment: 'matrix comment' }),
  'alarms.shelve': () => ({ id: commAlarm, reason: 'matrix check', minutes: 5 }),
  'alarms.unshelve': () => ({ id: commAlarm }),
  'alarms.setOutOfService': () => ({ id: commAlarm, outOfService: false }),
  'alarms.silence': () => ({}),
  'alarms.setLimits': () => ({ id: commAlarm, limit: 1 }),
  'alarms.journal': () => ({ from: Date.now() - 3_600_000, to: Date.now() }),
  'alarms.exportCsv': () => ({ from: Date.now() - 3_600_000, to: Date.now() }),
  'alarms.kpis': () => ({ from: Date.now() - 3_600_000, to: Date.now() }),
  'models.list': () => ({}),
  'models.activate': () => ({ name: 'NO_SUCH_MODEL', version: '1.0.0' }),
  'models.rescan': () => ({}),
  'models.run': () => ({ name: 'NO_SUCH_MODEL' }),
  'models.backfill': () => ({ name: 'NO_SUCH_MODEL', from: Date.now() - 3_600_000, to: Date.now() }),
  'models.cancelBackfill': () => ({ jobId: 'none' }),
  'prefs.get': () => ({}),
  'prefs.set': () => ({ key: 'matrix', value: { checked: true } }),
  'models.importBegin': () => ({
    manifestName: 'matrix.model.yaml',
    manifestBytes: 10,
    onnxName: 'matrix.onnx',
    onnxBytes: 10,
  }),
  'models.importChunk': () => ({ uploadId: '0'.repeat(24), part: 'manifest', offset: 0, data: 'AAAA' }),
  'models.import': () => ({ uploadId: '0'.repeat(24) }),
  'models.importCancel': () => ({ uploadId: '0'.repeat(24) }),
};

/** Query strings for routes that need parameters. */
const routeQueries: Record<string, string> = {
  '/api/v1/history': `?tag=${encodeURIComponent(writable.name)}&from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date().toISOString()}&buckets=50`,
};

/** Requests whose handler refuses everyone on a station server whatever the role. */
const refusedOnStation = new Set<RequestName>(['auth.createFirstAdmin']);
/** Requests that end or lock the caller's session: the caller signs in again afterwards. */
const endsSession = new Set<RequestName>(['auth.logout', 'auth.lock']);
const denied = (reply: Reply<unknown>) =>
  !reply.ok && (reply.error.code === 'UNAUTHENTICATED' || reply.error.code === 'FORBIDDEN');

/** Public requests that act on the caller's own session: nobody has one. */
const needsOwnSession = new Set<RequestName>(['auth.lock', 'auth.unlock', 'auth.changePassword']);

function expectedAllowed(method: RequestName, role: Role | null): boolean {
  if (refusedOnStation.has(method)) return false;
  if (role === null && needsOwnSession.has(method)) return false;
  const policy = requestPolicy[method];
  return policy === 'public' || (role !== null && can(role, policy));
}

let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let wsUrl: string;
const password = (role: Role) => runtime.demoAccounts!.find((a) => a.role === role)!.password;

beforeAll(async () => {
  // A copy of the demo project: project.addTag edits the file (the built-in demo is read-only).
  station = await startInProcessStation('matrix', { prepare: (dir) => copyDemoProject(dir) });
  ({ runtime, server } = station);
  wsUrl = server.url.replace('http', 'ws') + '/ws';
  await runtime.security.users.createUser({ name: 'matrix-target', password: 'matrix-Password-123', role: 'viewer' });
  tokenIdToRevoke = runtime.security.tokens.create({ label: 'to revoke', createdBy: 'test' }).info.id;
  // Writes need the device connected.
  for (let i = 0; i < 100 && runtime.devices.list().some((d) => d.state !== 'connected'); i++)
    await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  await station?.stop();
});

describe('the inventory', () => {
  it('has a policy for every contract request and no policy for unknown ones', () => {
    expect(Object.keys(requestPolicy).sort()).toEqual(Object.keys(requests).sort());
  });
  it('declares a permission for every REST route', () => {
    for (const route of restRoutes) expect(route.permission, route.pattern).toBeDefined();
  });
});

describe.each([...roles.map((r) => r as Role | null), null])('as %s', (role) => {
  const name = role ? `demo-${role}` : null;

  it('the in-process dispatcher allows exactly what the table says', async () => {
    const session = memorySessionBinding();
    const signInHere = async () => {
      if (!name || !role) return;
      const result = await runtime.security.auth.login(name, password(role), 'matrix');
      if (!result.ok) throw new Error(result.message);
      session.set(result.session.id);
    };
    await signInHere();
    for (const method of Object.keys(requestPolicy) as RequestName[]) {
      const reply = await dispatch(runtime.dispatchTarget, method, sampleParams[method](), {
        source: 'matrix',
        session,
      });
      expect(denied(reply), `${method} as ${role ?? 'nobody'}: ${JSON.stringify(reply).slice(0, 200)}`).toBe(
        !expectedAllowed(method, role),
      );
      if (endsSession.has(method) || method.startsWith('auth.')) await signInHere();
    }
  });

  it('the WebSocket allows exactly what the table says, and refuses nobody at the door', async () => {
    if (!name || !role) {
      await expect(ContractSocket.open(wsUrl)).rejects.toThrow(/401/);
      return;
    }
    let cookie = (await signIn(server.url, name, password(role))).cookie;
    let socket = await ContractSocket.open(wsUrl, { Cookie: cookie });
    for (const method of Object.keys(requestPolicy) as RequestName[]) {
      const reply = await socket.raw({ id: Math.floor(Math.random() * 1e9), method, params: sampleParams[method]() });
      const changesSession =
        (sessionRequestNames as readonly string[]).includes(method) &&
        method !== 'auth.status' &&
        method !== 'auth.lock';
      if (changesSession) {
        // The socket cannot set the cookie: these go over HTTP.
        expect(reply, method).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      } else {
        expect(denied(reply), `${method} as ${role}: ${JSON.stringify(reply).slice(0, 200)}`).toBe(
          !expectedAllowed(method, role),
        );
      }
      if (endsSession.has(method)) {
        socket.close();
        cookie = (await signIn(server.url, name, password(role))).cookie;
        socket = await ContractSocket.open(wsUrl, { Cookie: cookie });
      }
    }
    socket.close();
  });

  it('the REST API allows exactly what the route table says', async () => {
    const cookie = name && role ? (await signIn(server.url, name, password(role))).cookie : null;
    for (const route of restRoutes) {
      const path =
        route.pattern.replace(':name', encodeURIComponent(route.method === 'POST' ? 'SS01_FAULTS' : writable.name)) +
        (routeQueries[route.pattern] ?? '');
      // POST routes compute from a body: an empty one is refused as malformed once authorization passed.
      const res =
        route.method === 'POST'
          ? await fetch(server.url + path, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
              body: '{}',
            })
          : await fetch(server.url + path, { headers: cookie ? { Cookie: cookie } : {} });
      const allowed = route.permission === 'public' || (role !== null && can(role, route.permission));
      const ok = route.method === 'POST' ? [400, 404] : [200];
      expect(allowed ? ok : [role ? 403 : 401], `${path} as ${role ?? 'nobody'}`).toContain(res.status);
      if (route.pattern === '/api/v1/health') {
        const body = (await res.json()) as Record<string, unknown>;
        // Device details need a session.
        expect('devices' in body, 'health details').toBe(role !== null);
      }
    }
  });
});

describe('sessions over HTTP', () => {
  it('sets an HttpOnly SameSite=Strict cookie and never accepts a forged one', async () => {
    const { setCookie } = await sessionRequest(server.url, 'auth.login', {
      name: 'demo-viewer',
      password: password('viewer'),
    });
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const forged = await fetch(server.url + '/api/v1/tags', { headers: { Cookie: 'argus_session=abc.def' } });
    expect(forged.status).toBe(401);
  });

  it('ignores Referer, Origin, Host and X-Forwarded-For for authorization', async () => {
    const res = await fetch(server.url + '/api/v1/tags', {
      headers: { Referer: server.url + '/', 'X-Forwarded-For': '127.0.0.1', Origin: server.url },
    });
    expect(res.status).toBe(401);
  });

  it('accepts a read-only API token for views and nothing else', async () => {
    const { token } = runtime.security.tokens.create({ label: 'historian export', createdBy: 'test' });
    const headers = { Authorization: `Bearer ${token}` };
    expect((await fetch(server.url + '/api/v1/tags', { headers })).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/audit', { headers })).status).toBe(403);
    expect(
      (await fetch(server.url + '/api/v1/tags', { headers: { Authorization: 'Bearer argus_not-a-token' } })).status,
    ).toBe(401);
  });

  it('rejects __proto__ and constructor keys in request bodies', async () => {
    for (const body of [
      '{"name":"demo-viewer","password":"x","__proto__":{"role":"admin"}}',
      '{"name":"demo-viewer","password":"x","constructor":{"prototype":{"admin":true}}}',
    ]) {
      const res = await fetch(`${server.url}/api/v1/session/auth.login`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(400);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses oversized bodies and unknown session requests cleanly', async () => {
    const big = await fetch(`${server.url}/api/v1/session/auth.login`, {
      method: 'POST',
      body: 'x'.repeat(20_000),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(
      (
        await fetch(`${server.url}/api/v1/session/tags.write`, {
          method: 'POST',
          body: '{}',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(404);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });
});

describe('no way to write for a viewer', () => {
  it('left every writable tag in the plant unchanged after the viewer walked the whole contract', async () => {
    // The matrix above ran tags.write as operators and up; a viewer's tags.write must have been refused
    // and recorded nowhere as a write. Check the audit trail: every tag.write entry has an operator or higher.
    const writes = runtime.security.audit.query({ action: 'tag.write', limit: 1000 });
    expect(writes.length).toBeGreaterThan(0);
    for (const entry of writes) expect(['operator', 'technician', 'engineer', 'admin']).toContain(entry.role);
  });
});
