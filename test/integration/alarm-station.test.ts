/**
 * Alarms through the station server, as clients reach them: the simulator and `serve` as
 * separate processes, alarms over the WebSocket contract and the REST API, each command
 * checked against the role and the user's plant areas, acknowledgements in the journal
 * and the audit trail, a limit changed by an engineer written to the project file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AlarmDto, EventPayload } from '../../preload/contract.js';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';
import { startStationFixture, type StationFixture } from '../support/station-fixture.js';
import { ContractSocket } from '../support/ws-client.js';
import { signIn } from '../support/sign-in.js';
import { waitFor } from '../support/wait-for.js';
import { readAlarmTable } from '../../renderer/alarms/alarm-table-read.js';

let station: StationFixture;
const sockets: ContractSocket[] = [];

/** Alarms that hold at once on the running simulator (outdoor air is never above 200 °C), plus one that never does. */
function withAlarms(project: ProjectConfig): ProjectConfig {
  const add: Record<string, unknown[]> = {
    'SS01.OUT.T': [{ kind: 'low', limit: 200, priority: 'medium', message: { en: 'Outdoor below 200 °C (test)' } }],
    'SS01.HX.T_SEC_SUP': [
      { kind: 'high', limit: -50, priority: 'high', cause: { en: 'test cause' }, action: { en: 'test action' } },
    ],
    'SS01.HX.T_PRI_SUP': [{ kind: 'high', limit: 500, priority: 'low' }],
  };
  return {
    ...project,
    tags: project.tags.map((t) =>
      add[t.name] ? { ...t, alarms: [...((t as { alarms?: unknown[] }).alarms ?? []), ...add[t.name]!] } : t,
    ) as ProjectConfig['tags'],
  };
}

async function socketAs(user: string): Promise<ContractSocket> {
  const { cookie } = await signIn(station.url, user, station.passwords.get(user)!);
  const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
  sockets.push(socket);
  return socket;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST bodies are checked field by field
async function rest(path: string, user: string): Promise<{ status: number; body: any }> {
  const { cookie } = await signIn(station.url, user, station.passwords.get(user)!);
  const res = await fetch(`${station.url}${path}`, { headers: { Cookie: cookie } });
  return { status: res.status, body: await res.json() };
}

async function list(socket: ContractSocket): Promise<Map<string, AlarmDto>> {
  const reply = await socket.request('alarms.list', {});
  if (!reply.ok) throw new Error(reply.error.message);
  return new Map(reply.value.alarms.map((a) => [a.id, a]));
}

beforeAll(async () => {
  station = await startStationFixture('alarms', { editProject: withAlarms, intervalMs: 200 });
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await station?.stop();
});

describe('alarms through the station server', () => {
  it('lists active alarms with their rationalization, and pushes changes', async () => {
    const operator = await socketAs('demo-operator');
    await waitFor(
      'the test alarms to activate',
      async () => (await list(operator)).has('SS01.HX.T_SEC_SUP.HI'),
      30_000,
    );
    const alarms = await list(operator);
    expect(alarms.get('SS01.OUT.T.LO')).toMatchObject({
      state: 'unack-active',
      priority: 'medium',
      area: 'SS01',
      active: true,
      limit: 200,
      tag: 'SS01.OUT.T',
    });
    expect(alarms.has('SS01.HX.T_PRI_SUP.HI')).toBe(false);
    // The console loads the same list as a compact table.
    const table = await operator.request('alarms.table', {});
    const read = table.ok ? readAlarmTable(table.value) : null;
    expect(new Set(read?.alarms.map((a) => a.id))).toEqual(new Set(alarms.keys()));
    expect(read?.alarms.find((a) => a.id === 'SS01.OUT.T.LO')).toMatchObject({
      ...alarms.get('SS01.OUT.T.LO'),
      value: expect.any(Number),
    });
    const defs = await operator.request('alarms.definitions', {});
    expect(defs.ok && defs.value.find((d) => d.id === 'SS01.HX.T_SEC_SUP.HI')).toMatchObject({
      cause: { en: 'test cause' },
      action: { en: 'test action' },
      limit: -50,
    });

    const pushes: EventPayload<'alarms.changed'>[] = [];
    operator.on('alarms.changed', (p) => pushes.push(p));
    const ack = await operator.request('alarms.acknowledge', {
      ids: ['SS01.OUT.T.LO'],
      comment: 'seen on the overview',
    });
    expect(ack).toMatchObject({ ok: true, value: { acknowledged: ['SS01.OUT.T.LO'], refused: [] } });
    await waitFor(
      'the acknowledgement to be pushed',
      () =>
        pushes.some((p) =>
          p.alarms.some((a) => a.id === 'SS01.OUT.T.LO' && a.state === 'ack-active' && a.ackedBy === 'demo-operator'),
        ),
      10_000,
    );
  }, 60_000);

  it('refuses what a role does not allow, over the socket', async () => {
    const viewer = await socketAs('demo-viewer');
    expect((await list(viewer)).size).toBeGreaterThan(0);
    expect(await viewer.request('alarms.acknowledge', { ids: ['SS01.HX.T_SEC_SUP.HI'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await viewer.request('alarms.silence', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const operator = await socketAs('demo-operator');
    expect(
      await operator.request('alarms.shelve', { id: 'SS01.HX.T_SEC_SUP.HI', reason: 'not allowed', minutes: 10 }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await operator.request('alarms.setLimits', { id: 'SS01.HX.T_SEC_SUP.HI', limit: 100 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await list(viewer)).get('SS01.HX.T_SEC_SUP.HI')!.state).toBe('unack-active');
  });

  it('shelves with a reason (technician) and keeps the alarm off the list until unshelved', async () => {
    const tech = await socketAs('demo-technician');
    expect(await tech.request('alarms.shelve', { id: 'SS01.HX.T_SEC_SUP.HI', reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const shelved = await tech.request('alarms.shelve', {
      id: 'SS01.HX.T_SEC_SUP.HI',
      reason: 'sensor under calibration',
      minutes: 60,
    });
    expect(shelved).toMatchObject({
      ok: true,
      value: {
        state: 'shelved',
        shelved: { mode: 'timed', reason: 'sensor under calibration', by: 'demo-technician' },
      },
    });
    expect(await tech.request('alarms.acknowledge', { ids: ['SS01.HX.T_SEC_SUP.HI'] })).toMatchObject({
      ok: true,
      value: { acknowledged: [], refused: [{ id: 'SS01.HX.T_SEC_SUP.HI' }] },
    });
    const back = await tech.request('alarms.unshelve', { id: 'SS01.HX.T_SEC_SUP.HI' });
    expect(back).toMatchObject({ ok: true, value: { state: 'unack-active' } });
    const oos = await tech.request('alarms.setOutOfService', {
      id: 'SS01.HX.T_SEC_SUP.HI',
      outOfService: true,
      reason: 'transmitter replaced',
    });
    expect(oos).toMatchObject({ ok: true, value: { state: 'out-of-service' } });
    expect(
      await tech.request('alarms.setOutOfService', { id: 'SS01.HX.T_SEC_SUP.HI', outOfService: false }),
    ).toMatchObject({ ok: true, value: { state: 'unack-active' } });
  });

  it('keeps a user limited to other areas away from these alarms', async () => {
    const admin = await socketAs('demo-admin');
    const created = await admin.request('users.create', {
      name: 'area-op',
      password: 'Area-operator-123',
      role: 'operator',
      areas: ['SS07'],
    });
    expect(created.ok).toBe(true);
    const { cookie } = await signIn(station.url, 'area-op', 'Area-operator-123');
    const socket = await ContractSocket.open(station.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
    sockets.push(socket);
    expect((await list(socket)).size).toBe(0);
    expect(await socket.request('alarms.table', {})).toMatchObject({ ok: true, value: { rows: [] } });
    expect(await socket.request('alarms.acknowledge', { ids: ['SS01.HX.T_SEC_SUP.HI'] })).toMatchObject({
      ok: true,
      value: { acknowledged: [], refused: [{ id: 'SS01.HX.T_SEC_SUP.HI', reason: 'unknown alarm' }] },
    });
    expect(await socket.request('alarms.comment', { id: 'SS01.HX.T_SEC_SUP.HI', comment: 'hello' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const journal = await socket.request('alarms.journal', { from: 0, to: Date.now() + 1000 });
    expect(journal.ok && journal.value.entries).toEqual([]);
  });

  it('records acknowledgements in the journal and the audit trail with the user', async () => {
    const journal = await rest(`/api/v1/alarms/journal?alarmId=SS01.OUT.T.LO&kind=acknowledged`, 'demo-viewer');
    expect(journal.status).toBe(200);
    expect(journal.body.entries[0]).toMatchObject({
      alarmId: 'SS01.OUT.T.LO',
      kind: 'acknowledged',
      user: 'demo-operator',
      comment: 'seen on the overview',
    });
    const engineer = await socketAs('demo-engineer');
    const audit = await engineer.request('audit.query', { action: 'alarm.acknowledge', limit: 10 });
    expect(
      audit.ok && audit.value.entries.some((e) => e.actor === 'demo-operator' && e.target === 'SS01.OUT.T.LO'),
    ).toBe(true);
    const shelve = await engineer.request('audit.query', { action: 'alarm.shelve', limit: 10 });
    expect(
      shelve.ok &&
        shelve.value.entries.some(
          (e) => e.actor === 'demo-technician' && e.details.reason === 'sensor under calibration',
        ),
    ).toBe(true);
  });

  it('serves active alarms and KPIs over REST, with the same checks', async () => {
    const active = await rest('/api/v1/alarms', 'demo-viewer');
    expect(active.status).toBe(200);
    expect(active.body.alarms.map((a: AlarmDto) => a.id)).toContain('SS01.HX.T_SEC_SUP.HI');
    const anonymous = await fetch(`${station.url}/api/v1/alarms`);
    expect(anonymous.status).toBe(401);
    const kpis = await rest(
      `/api/v1/alarms/kpis?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date().toISOString()}`,
      'demo-viewer',
    );
    expect(kpis.status).toBe(200);
    expect(kpis.body.activations).toBeGreaterThanOrEqual(2);
    expect(kpis.body.acknowledge.count).toBeGreaterThanOrEqual(1);
    const bad = await rest('/api/v1/alarms/kpis?from=yesterday', 'demo-viewer');
    expect(bad.status).toBe(400);
  });

  it("takes an engineer's new limit, writes it to the project file and applies it", async () => {
    const engineer = await socketAs('demo-engineer');
    const limitOf = async (id: string) => {
      const defs = await engineer.request('alarms.definitions', {});
      return defs.ok ? defs.value.find((d) => d.id === id)?.limit : undefined;
    };
    expect(await limitOf('SS01.OUT.T.LO')).toBe(200);
    const changed = await engineer.request('alarms.setLimits', { id: 'SS01.OUT.T.LO', limit: -80, deadband: 0.5 });
    expect(changed).toMatchObject({
      ok: true,
      value: { old: { limit: 200, deadband: 0 }, new: { limit: -80, deadband: 0.5 } },
    });
    const project = parse(readFileSync(station.projectFile, 'utf8')) as ProjectConfig;
    expect(project.tags.find((t) => t.name === 'SS01.OUT.T')!.alarms).toContainEqual(
      expect.objectContaining({ kind: 'low', limit: -80, deadband: 0.5 }),
    );
    // The definitions every window reads carry the new limit at once.
    expect(await limitOf('SS01.OUT.T.LO')).toBe(-80);
    await waitFor(
      'the alarm to clear with its new limit',
      async () => !(await list(engineer)).has('SS01.OUT.T.LO'),
      10_000,
    );
    const audit = await engineer.request('audit.query', { action: 'config.change', limit: 5 });
    expect(
      audit.ok &&
        audit.value.entries.some((e) => e.target === 'SS01.OUT.T.LO' && String(e.details.new).includes('-80')),
    ).toBe(true);
    expect(await engineer.request('alarms.setLimits', { id: 'SS01.OUT.T.LO', limit: 999 })).toMatchObject({ ok: true });
    const bad = await engineer.request('alarms.setLimits', {
      id: 'SS01.HX.T_SEC_SUP.HI',
      limit: 'x' as unknown as number,
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
