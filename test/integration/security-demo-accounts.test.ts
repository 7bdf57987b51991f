/**
 * Demo accounts exist only while a demo runs bound to this machine: a start that is not a
 * loopback demo retires them (they cannot sign in, and never count as the plant's
 * administrator), a later loopback demo start renews them (audited), and an administrator's
 * disable sticks. Real runtime, real SQLite, the real `serve` command for the LAN start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation, type StationRuntime } from '../../main/runtime/station.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { demoProjectPath } from '../support/demo-project.js';
import { startChild } from '../support/child-process.js';
import { startSimulator } from '../../simulator/index.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'argus-demo-accounts-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withStation<T>(demoUsers: boolean, work: (rt: StationRuntime) => Promise<T>): Promise<T> {
  const rt = await startStation({
    projectFile: demoProjectPath,
    dataDir,
    mode: 'station',
    log: createLogger({ level: 'error' }),
    demoUsers,
    startPlant: startSimulator,
  });
  try {
    return await work(rt);
  } finally {
    await rt.stop();
  }
}

describe('demo accounts never outlive a loopback demo', () => {
  let printed = new Map<string, string>();

  it('a loopback demo start creates them and audits each one', async () => {
    await withStation(true, async (rt) => {
      printed = new Map(rt.demoAccounts!.map((a) => [a.name, a.password]));
      expect([...printed.keys()]).toContain('demo-admin');
      expect(rt.security.users.hasAnyAdmin()).toBe(true);
      expect(rt.security.users.hasPlantAdmin()).toBe(false);
      const created = rt.security.audit
        .query({ action: 'user.change', limit: 50 })
        .filter((e) => e.details.change === 'demo-create');
      expect(created.map((e) => e.target).sort()).toEqual([...printed.keys()].sort());
      // an administrator disables one demo account
      rt.security.users.disable('demo-operator');
    });
  }, 60_000);

  it('a start that is not a loopback demo retires them: the printed password no longer signs in, no administrator is counted', async () => {
    await withStation(false, async (rt) => {
      expect(rt.demoAccounts).toBeNull();
      const login = await rt.security.auth.login('demo-admin', printed.get('demo-admin')!, 'http 10.0.0.66');
      expect(login).toMatchObject({ ok: false, reason: 'INVALID_CREDENTIALS' });
      expect(rt.security.users.hasAnyAdmin()).toBe(false);
      expect(rt.security.users.get('demo-admin')).toMatchObject({ disabled: true, retired: true });
      // an administrator's "enable" cannot bring a retired demo account back
      rt.security.users.enable('demo-viewer');
      expect(await rt.security.auth.login('demo-viewer', printed.get('demo-viewer')!, 'http 10.0.0.66')).toMatchObject({
        ok: false,
      });
      const retired = rt.security.audit
        .query({ action: 'user.change', limit: 50 })
        .filter((e) => e.details.change === 'demo-retire');
      expect(retired.map((e) => e.target).sort()).toEqual([
        'demo-admin',
        'demo-engineer',
        'demo-operator',
        'demo-technician',
        'demo-viewer',
      ]);
    });
  }, 60_000);

  it('the station server refuses to start on the LAN with only demo accounts (no --init-admin)', async () => {
    const serve = startChild(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'main/server/cli.ts'),
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--data',
        dataDir,
        '--project',
        demoProjectPath,
      ],
      {
        ARGUS_ADMIN_PASSWORD: '',
      },
    );
    try {
      await serve.waitFor(/no administrator yet/, 120_000);
      expect(serve.output()).not.toMatch(/Console: http/);
    } finally {
      await serve.stop('SIGKILL');
    }
  }, 150_000);

  it('the next loopback demo renews them with new passwords (audited as such), and the disabled one stays disabled', async () => {
    await withStation(true, async (rt) => {
      const names = rt.demoAccounts!.map((a) => a.name);
      expect(names).not.toContain('demo-operator');
      expect(names).toContain('demo-admin');
      expect(rt.demoAccounts!.find((a) => a.name === 'demo-admin')!.password).not.toBe(printed.get('demo-admin'));
      expect(rt.security.users.get('demo-operator')).toMatchObject({ disabled: true });
      expect(await rt.security.auth.login('demo-operator', printed.get('demo-operator')!, 'desktop')).toMatchObject({
        ok: false,
      });
      const renewed = rt.security.audit
        .query({ action: 'user.change', limit: 50 })
        .filter((e) => e.details.change === 'demo-renew' && e.target !== 'demo-*');
      expect(renewed.map((e) => e.target).sort()).toEqual([
        'demo-admin',
        'demo-engineer',
        'demo-technician',
        'demo-viewer',
      ]);
    });
  }, 60_000);
});
