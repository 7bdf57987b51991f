/**
 * A station whose audit trail lost its tail while it was stopped says so when it starts:
 * in the log, in the `system.start` entry, in /api/v1/health and as a system alarm; it never
 * just chains on from the cut. Real runtime, server and SQLite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation } from '../../main/runtime/station.js';
import { startStationServer } from '../../main/server/station-server.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { demoProjectPath } from '../support/demo-project.js';
import { signIn } from '../support/sign-in.js';
import { startSimulator } from '../../simulator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-audit-startup-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit trail checked at start-up', () => {
  it('reports a cut tail in health, in the start entry and as a system alarm', async () => {
    const first = await startStation({
      projectFile: demoProjectPath,
      dataDir,
      mode: 'station',
      log: createLogger({ level: 'error' }),
      demoUsers: true,
      startPlant: startSimulator,
    });
    const lastSeq = first.security.audit.head()!.seq;
    expect(first.security.audit.integrity().ok).toBe(true);
    await first.stop();

    // another tool removes the last entries (the triggers dropped first)
    const db = new Database(join(dataDir, 'audit.db'));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(lastSeq - 3);
    db.close();

    const rt = await startStation({
      projectFile: demoProjectPath,
      dataDir,
      mode: 'station',
      log: createLogger({ level: 'silent' }),
      demoUsers: true,
      startPlant: startSimulator,
    });
    const server = await startStationServer({
      runtime: rt,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dir, 'no-renderer'),
    });
    try {
      const integrity = rt.security.audit.integrity();
      expect(integrity.ok).toBe(false);
      expect(integrity.problems.join('\n')).toMatch(new RegExp(`entries ${lastSeq - 2}–${lastSeq + 1} were removed`));
      const start = rt.security.audit.query({ action: 'system.start', limit: 1 })[0]!;
      expect(JSON.stringify(start.details.auditIntegrity)).toMatch(/were removed/);
      expect(rt.alarms.list().find((a) => a.id.endsWith('AUDIT-INTEGRITY'))).toMatchObject({ source: 'system' });
      const admin = rt.demoAccounts!.find((a) => a.role === 'admin')!;
      const { cookie } = await signIn(server.url, admin.name, admin.password);
      const health = (await (await fetch(`${server.url}/api/v1/health`, { headers: { Cookie: cookie } })).json()) as {
        audit: { ok: boolean; problems: string[] };
      };
      expect(health.audit.ok).toBe(false);
      expect(health.audit.problems.join('\n')).toMatch(/were removed/);
    } finally {
      await server.close();
      await rt.stop();
    }
  }, 90_000);
});
