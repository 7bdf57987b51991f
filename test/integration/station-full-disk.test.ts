/**
 * A full data volume (a real tmpfs filled to the last byte) does not keep the station from
 * starting: it gives back its reserve, comes up READ-ONLY with live values, says why in
 * health and as a system alarm, refuses commands, and its logger drops lines instead of
 * crashing. The same start on the same full volume failed with "disk I/O error" before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation, type StationRuntime } from '../../main/runtime/station.js';
import { startStationServer } from '../../main/server/station-server.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { dispatch } from '../../main/runtime/api/dispatch.js';
import { memorySessionBinding } from '../../main/runtime/api/caller.js';
import { RESERVE_FILE } from '../../main/runtime/storage/data-volume.js';
import { demoProjectPath, readDemoProject } from '../support/demo-project.js';
import { signIn } from '../support/sign-in.js';
import { lacking } from '../support/prerequisites.js';
import { fillToTheLastByte } from '../support/fill-volume.js';
import { startSimulator } from '../../simulator/index.js';

const project = readDemoProject();
const writable = project.tags.find((t) => t.writable && t.kind === 'analog' && t.range && !t.critical)!;
const root = mkdtempSync(join(tmpdir(), 'argus-full-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a full data volume', () => {
  it('starts read-only with live values, says why, refuses commands, and the logger survives', async (ctx) => {
    if (lacking('tmpfs')) return ctx.skip();
    const mount = join(root, 'volume');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mount], { stdio: 'pipe' });
    let rt: StationRuntime | null = null;
    try {
      const dataDir = join(mount, 'data');
      const first = await startStation({
        projectFile: demoProjectPath,
        dataDir,
        mode: 'station',
        log: createLogger({ level: 'error' }),
        demoUsers: true,
        startPlant: startSimulator,
      });
      expect(first.storage.mode).toBe('read-write');
      expect(existsSync(join(dataDir, RESERVE_FILE))).toBe(true);
      await first.stop();

      fillToTheLastByte(join(mount, 'filler'));
      const log = createLogger({ dir: dataDir, level: 'info' });
      rt = await startStation({
        projectFile: demoProjectPath,
        dataDir,
        mode: 'station',
        log,
        demoUsers: true,
        startPlant: startSimulator,
      });
      expect(rt.storage).toMatchObject({ mode: 'read-only', reason: expect.stringMatching(/data volume was full/) });

      // live values flow
      const tag = writable.name;
      for (let i = 0; i < 100 && rt.tags.get(tag)?.quality.code !== 'Good'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(rt.tags.get(tag)?.quality.code).toBe('Good');

      // an operator can sign in and watch, but no command goes to the plant
      const operator = rt.demoAccounts!.find((a) => a.role === 'operator')!;
      const login = await rt.security.auth.login(operator.name, operator.password, 'test');
      if (!login.ok) throw new Error(`login refused: ${login.message}`);
      const door = { source: 'test', session: memorySessionBinding(login.session.id) };
      expect(await dispatch(rt.dispatchTarget, 'tags.read', { tags: [tag] }, door)).toMatchObject({ ok: true });
      const mid = (writable.range![0] + writable.range![1]) / 2;
      expect(await dispatch(rt.dispatchTarget, 'tags.write', { tag, value: mid }, door)).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', message: expect.stringMatching(/read-only/) },
      });

      // says why: health and a system alarm
      const server = await startStationServer({
        runtime: rt,
        host: '127.0.0.1',
        port: 0,
        rendererDir: join(root, 'no-renderer'),
      });
      try {
        const { cookie } = await signIn(server.url, operator.name, operator.password);
        const health = (await (await fetch(`${server.url}/api/v1/health`, { headers: { Cookie: cookie } })).json()) as {
          storage: { mode: string; reason: string };
        };
        expect(health.storage).toMatchObject({ mode: 'read-only', reason: expect.stringMatching(/full/) });
      } finally {
        await server.close();
      }
      expect(rt.alarms.list().find((a) => a.id.endsWith('STORAGE'))).toMatchObject({ source: 'system' });

      // the volume fills up again while running: the logger drops lines and keeps going
      fillToTheLastByte(join(mount, 'filler-2'));
      for (let i = 0; i < 2000; i++) log.warn({ i, pad: 'x'.repeat(200) }, `line ${i}`);
      await new Promise((r) => setTimeout(r, 100));
      expect(log.health().droppedLines).toBeGreaterThan(0);
    } finally {
      await rt?.stop();
      // lazily: the logger keeps its file open for the life of the process
      execFileSync('umount', ['-l', mount], { stdio: 'pipe' });
    }
  }, 90_000);
});
