/**
 * Engineering requests on the simulated plant: browsing the OPC UA server through the
 * device's own session, adding a browsed node to the project file (validated, audited),
 * and the certificate trust list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation, type StationRuntime } from '../../main/runtime/station.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { dispatch } from '../../main/runtime/api/dispatch.js';
import { memorySessionBinding } from '../../main/runtime/api/caller.js';
import { loadProjectFile } from '../../main/runtime/config/load-project.js';
import { copyDemoProject, readDemoProject } from '../support/demo-project.js';
import { waitFor } from '../support/wait-for.js';
import type { Reply } from '../../preload/contract.js';
import { startSimulator } from '../../simulator/index.js';

let dir: string;
let projectFile: string;
let runtime: StationRuntime;
const session = memorySessionBinding();
const opcuaDevice = readDemoProject().devices.find((d) => d.protocol === 'opcua')!.name;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies of every request are read here
const call = (method: string, params: unknown): Promise<Reply<any>> =>
  dispatch(runtime.dispatchTarget, method, params, { source: 'test', session });
/** The reply's value; a refusal fails the test with its error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies of every request are read here
async function valueOf(method: string, params: unknown): Promise<any> {
  const reply = await call(method, params);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-engineering-'));
  projectFile = copyDemoProject(dir);
  runtime = await startStation({
    projectFile,
    dataDir: join(dir, 'data'),
    mode: 'station',
    log: createLogger({ level: 'error' }),
    demoUsers: true,
    startPlant: startSimulator,
  });
  const engineer = runtime.demoAccounts!.find((a) => a.role === 'engineer')!;
  const login = await runtime.security.auth.login(engineer.name, engineer.password, 'test');
  if (!login.ok) throw new Error(login.message);
  session.set(login.session.id);
  await waitFor('OPC UA connected', () => runtime.devices.get(opcuaDevice)?.state === 'connected', 30_000);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('engineering requests', () => {
  it('browses the OPC UA server from the Objects folder down to a variable with its unit', async () => {
    const root = await valueOf('opcua.browse', { device: opcuaDevice });
    const station = root.find((e: { displayName: string }) => e.displayName === 'SS01');
    expect(station).toBeDefined();
    const equipment = await valueOf('opcua.browse', { device: opcuaDevice, nodeId: station.nodeId });
    const hx = equipment.find((e: { displayName: string }) => e.displayName === 'HX');
    const variables = await valueOf('opcua.browse', { device: opcuaDevice, nodeId: hx.nodeId });
    const supply = variables.find(
      (v: { nodeClass: string; engineeringUnit?: string }) => v.nodeClass === 'Variable' && v.engineeringUnit === '°C',
    );
    expect(supply).toMatchObject({ nodeClass: 'Variable', dataType: expect.any(String) });
  });

  it('refuses to browse a Modbus device, by name', async () => {
    const plc = readDemoProject().devices.find((d) => d.protocol === 'modbus-tcp')!.name;
    expect(await call('opcua.browse', { device: plc })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining(plc) },
    });
  });

  it('adds a browsed node to the project file, still valid, and records it in the audit trail', async () => {
    const added = await call('project.addTag', {
      device: opcuaDevice,
      nodeId: 'ns=1;s=SS01.HX.UA',
      name: 'SS01.HX.UA_COPY',
      description: { en: 'Heat exchanger UA (copy)' },
      unit: 'kW/K',
      range: [0, 200],
    });
    expect(added).toMatchObject({ ok: true, value: { name: 'SS01.HX.UA_COPY', appliesAfterRestart: true } });
    const reloaded = loadProjectFile(projectFile);
    expect(reloaded.tags.find((t) => t.name === 'SS01.HX.UA_COPY')).toMatchObject({
      device: opcuaDevice,
      opcua: { nodeId: 'ns=1;s=SS01.HX.UA' },
      unit: 'kW/K',
    });
    const entries = runtime.security.audit.query({ action: 'config.change' });
    expect(entries[0]?.details).toMatchObject({ change: 'add-tag', tag: 'SS01.HX.UA_COPY', result: 'ok' });
  });

  it('refuses a duplicate name and leaves the file as it was', async () => {
    const before = readFileSync(projectFile, 'utf8');
    const existing = readDemoProject().tags[0]!.name;
    const reply = await call('project.addTag', {
      device: opcuaDevice,
      nodeId: 'ns=1;s=X',
      name: existing,
      description: { en: 'dup' },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(readFileSync(projectFile, 'utf8')).toBe(before);
  });

  it('lists certificates and answers an unknown thumbprint with NOT_FOUND', async () => {
    const list = await call('opcua.certificates', {});
    expect(list.ok).toBe(true);
    expect(await call('opcua.trustCertificate', { thumbprint: 'ab'.repeat(20) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
