/**
 * Every change to which model runs leaves a `model.change` entry in the audit trail with
 * the user: activating a version, rolling back to an older one, and a backfill — each as
 * a request and its result, through the contract over a real WebSocket, as the console
 * sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import type { EventPayload } from '../../preload/contract.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { signIn } from '../support/sign-in.js';
import { ContractSocket } from '../support/ws-client.js';
import { importPackage, sendImportPackage } from '../support/import-package.js';

let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let engineer: ContractSocket;
let engineerName: string;

const changes = () =>
  runtime.security.audit.query({ action: 'model.change', target: 'SS01_IMPORT', order: 'asc', limit: 1000 });

beforeAll(async () => {
  station = await startInProcessStation('model-audit', { station: { modelsDir: null } });
  ({ runtime, server } = station);
  const account = runtime.demoAccounts!.find((a) => a.role === 'engineer')!;
  engineerName = account.name;
  const { cookie } = await signIn(server.url, account.name, account.password);
  engineer = await ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
  for (const version of ['1.0.0', '1.1.0']) {
    const imported = await sendImportPackage(engineer, importPackage(version));
    if (!imported.ok) throw new Error(imported.error.message);
  }
}, 60_000);

afterAll(async () => {
  engineer?.close();
  await station?.stop();
});

describe('model changes in the audit trail', () => {
  it('records activation and rollback to an older version with the user, as request and result', async () => {
    expect(changes()).toEqual([]);
    const activated = await engineer.request('models.activate', { name: 'SS01_IMPORT', version: '1.1.0' });
    expect(activated.ok && activated.value.activeVersion).toBe('1.1.0');
    const rolledBack = await engineer.request('models.activate', { name: 'SS01_IMPORT', version: '1.0.0' });
    expect(rolledBack.ok && rolledBack.value.activeVersion).toBe('1.0.0');
    const entries = changes();
    expect(entries.map((e) => [e.details['change'], e.details['version'], e.details['result']])).toEqual([
      ['activate', '1.1.0', 'requested'],
      ['activate', '1.1.0', 'ok'],
      ['activate', '1.0.0', 'requested'],
      ['activate', '1.0.0', 'ok'],
    ]);
    for (const e of entries) expect(e).toMatchObject({ actor: engineerName, role: 'engineer', target: 'SS01_IMPORT' });
    // Each result names the request it answers.
    expect(entries[1]!.details['requestSeq']).toBe(entries[0]!.seq);
    expect(entries[3]!.details['requestSeq']).toBe(entries[2]!.seq);
  }, 60_000);

  it('records a refused activation (no such version) as failed, with the reason', async () => {
    const before = changes().length;
    const refused = await engineer.request('models.activate', { name: 'SS01_IMPORT', version: '9.9.9' });
    expect(refused.ok).toBe(false);
    const entries = changes().slice(before);
    expect(entries.map((e) => [e.details['version'], e.details['result']])).toEqual([
      ['9.9.9', 'requested'],
      ['9.9.9', 'failed'],
    ]);
    expect(String(entries[1]!.details['error'])).not.toBe('');
    expect(entries[1]!.actor).toBe(engineerName);
  }, 60_000);

  it('records a backfill with the user and its range', async () => {
    const before = changes().length;
    const to = Date.now();
    const from = to - 3_600_000;
    const done = new Promise<EventPayload<'models.backfillProgress'>>((resolve) => {
      const off = engineer.on('models.backfillProgress', (e) => {
        if (e.done) {
          off();
          resolve(e);
        }
      });
    });
    const started = await engineer.request('models.backfill', { name: 'SS01_IMPORT', from, to });
    if (!started.ok) throw new Error(started.error.message);
    expect((await done).jobId).toBe(started.value.jobId);
    const entries = changes().slice(before);
    expect(entries.map((e) => e.details['result'])).toEqual(['requested', 'ok']);
    for (const e of entries)
      expect(e).toMatchObject({
        actor: engineerName,
        role: 'engineer',
        target: 'SS01_IMPORT',
        details: { change: 'backfill', from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      });
  }, 60_000);
});
