/**
 * prefs.get / prefs.set through the station's dispatcher, over a real data folder: each
 * signed-in user reads and writes only their own, nobody signed in gets nothing, a token has
 * none, the request cannot name another user, bad keys and sizes are refused, nothing is
 * audited, and the values survive a restart of the station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation, type StationRuntime } from '../../main/runtime/station.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { dispatch } from '../../main/runtime/api/dispatch.js';
import { memorySessionBinding, type SessionBinding } from '../../main/runtime/api/caller.js';
import type { Reply } from '../../preload/contract.js';
import { stringify } from 'yaml';
import { floodProject } from '../support/alarm-project.js';
import { startSimulator } from '../../simulator/index.js';

let dir: string;
let runtime: StationRuntime;

const start = () =>
  startStation({
    projectFile: join(dir, 'plant.yaml'),
    dataDir: join(dir, 'data'),
    mode: 'station',
    log: createLogger({ level: 'error' }),
    demoUsers: true,
    startPlant: startSimulator,
  });

async function signedIn(role: 'operator' | 'viewer' | 'engineer'): Promise<SessionBinding> {
  const account = runtime.demoAccounts!.find((a) => a.role === role)!;
  const result = await runtime.security.auth.login(account.name, account.password, 'prefs-test');
  if (!result.ok) throw new Error(result.message);
  return memorySessionBinding(result.session.id);
}

const call = (method: string, params: unknown, session: SessionBinding): Promise<Reply<unknown>> =>
  dispatch(runtime.dispatchTarget, method, params, { source: 'prefs-test', session });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-prefs-station-'));
  // A small plant of its own: preferences do not depend on what the plant is.
  writeFileSync(join(dir, 'plant.yaml'), stringify(floodProject(3)));
  runtime = await start();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('per-user preferences through the contract', () => {
  it('gives each user their own values', async () => {
    const operator = await signedIn('operator');
    const viewer = await signedIn('viewer');
    const sets = [
      {
        name: 'Supply loop',
        tags: ['FLD.U00000.T', 'FLD.U00001.T'],
        range: { kind: 'live', preset: '8h' },
        overlays: ['1d'],
      },
    ];
    expect(await call('prefs.set', { key: 'trendSets', value: sets }, operator)).toMatchObject({
      ok: true,
      value: { key: 'trendSets' },
    });
    expect(await call('prefs.set', { key: 'language', value: 'zh' }, viewer)).toMatchObject({ ok: true });
    expect(await call('prefs.get', {}, operator)).toEqual({ ok: true, value: { trendSets: sets } });
    expect(await call('prefs.get', {}, viewer)).toEqual({ ok: true, value: { language: 'zh' } });
  });

  it('cannot be asked for, or written as, another user', async () => {
    const viewer = await signedIn('viewer');
    const forOther = await call('prefs.get', { user: 'demo-operator' }, viewer);
    expect(forOther.ok).toBe(false);
    if (!forOther.ok) expect(forOther.error.code).toBe('BAD_REQUEST');
    const writeOther = await call('prefs.set', { key: 'trendSets', value: [], user: 'demo-operator' }, viewer);
    expect(writeOther.ok).toBe(false);
    const operator = await signedIn('operator');
    const mine = await call('prefs.get', {}, operator);
    expect(mine.ok && (mine.value as Record<string, unknown>).trendSets).toBeTruthy();
  });

  it('refuses nobody signed in, and an API token', async () => {
    const nobody = await call('prefs.get', {}, memorySessionBinding());
    expect(nobody.ok ? null : nobody.error.code).toBe('UNAUTHENTICATED');
    const { token } = runtime.security.tokens.create({ label: 'prefs', createdBy: 'test' });
    const verified = runtime.security.tokens.verify(token);
    if (!verified.ok) throw new Error('token did not verify');
    const reply = await dispatch(
      runtime.dispatchTarget,
      'prefs.set',
      { key: 'theme', value: 'dark' },
      { source: 'prefs-test', session: memorySessionBinding(), tokenPrincipal: verified.principal },
    );
    expect(reply.ok ? null : reply.error.code).toBe('FORBIDDEN');
  });

  it('refuses a bad key and an oversized value with BAD_REQUEST naming the problem', async () => {
    const operator = await signedIn('operator');
    const badKey = await call('prefs.set', { key: '../etc', value: 1 }, operator);
    expect(badKey.ok ? null : badKey.error.code).toBe('BAD_REQUEST');
    const big = await call('prefs.set', { key: 'huge', value: 'x'.repeat(70_000) }, operator);
    expect(big.ok ? '' : big.error.message).toMatch(/prefs\.set: preference huge is \d+ bytes; at most 65536/);
  });

  it('is not written to the audit trail (not a plant action)', async () => {
    const operator = await signedIn('operator');
    await call('prefs.set', { key: 'theme', value: 'dark' }, operator);
    const entries = runtime.security.audit.query({});
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.action.startsWith('prefs'))).toBe(false);
  });

  it('keeps the values across a restart of the station', async () => {
    await runtime.stop();
    runtime = await start();
    const operator = await signedIn('operator');
    const reply = await call('prefs.get', {}, operator);
    expect(reply.ok && (reply.value as { trendSets: { name: string }[] }).trendSets[0]!.name).toBe('Supply loop');
  }, 60_000);
});
