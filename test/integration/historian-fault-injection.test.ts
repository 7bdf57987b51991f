import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openHistoryReader } from '../../main/runtime/historian/index.js';
import { tempDir } from './historian-support.js';
import { lacking } from '../support/prerequisites.js';

// Debian's fiu-utils (apt-get install -y fiu-utils) injects failures into a child's
// system calls: here SQLite's pwrite() fails with ENOSPC (failinfo=28) or EIO (5).
const hasFiu = !lacking('fiu-run');

const child = join(import.meta.dirname, 'historian-fiu-child.ts');
const { dir, remove } = tempDir();
afterAll(remove);
const T0 = Date.UTC(2026, 0, 1);

describe.skipIf(!hasFiu)('history writes with injected I/O failures (fiu-run)', () => {
  it.each([
    ['ENOSPC', 28],
    ['EIO', 5],
  ])(
    '%s on writes: degraded, batches kept and retried; once writes succeed, everything is stored in order',
    async (name, errno) => {
      const file = join(dir, `fiu-${name}.db`);
      const progress = join(dir, `fiu-${name}.log`);
      const stop = join(dir, `fiu-${name}.stop`);
      writeFileSync(progress, '');
      const proc = spawn(
        'fiu-run',
        [
          '-x',
          '-c',
          `enable_random name=posix/io/rw/pwrite,probability=0.05,failinfo=${errno}`,
          process.execPath,
          '--import',
          'tsx',
          child,
          file,
          progress,
          stop,
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      const lines = () => readFileSync(progress, 'utf8').split('\n');
      // Wait for the historian to report failing writes a few times.
      for (let i = 0; lines().filter((l) => l.startsWith('E ')).length < 5; i++) {
        if (proc.exitCode !== null || i > 1500) throw new Error(`writer never saw a failure: ${stderr.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const errors = lines().filter((l) => l.startsWith('E '));
      expect(errors[0]).toMatch(name === 'ENOSPC' ? /disk full|SQLITE_FULL|SQLITE_IOERR/ : /I\/O error|SQLITE_IOERR/);
      // Let the writes succeed again, then let the writer finish.
      execFileSync('fiu-ctrl', ['-c', 'disable name=posix/io/rw/pwrite', String(proc.pid)]);
      writeFileSync(stop, '');
      expect(await exited).toBe(0);
      const done = lines().find((l) => l.startsWith('DONE '));
      const final = JSON.parse(done?.slice(5) ?? '{}') as {
        level: string;
        bufferedSamples: number;
        droppedSamples: number;
        lastError: string | null;
        recovered: unknown;
      };
      expect(final).toMatchObject({ bufferedSamples: 0, droppedSamples: 0, lastError: null });
      // A failure injected while opening gets the (then empty) file moved aside: that stays reported.
      if (final.level !== 'ok')
        expect(final).toMatchObject({ level: 'degraded', recovered: { movedTo: expect.stringContaining('damaged') } });

      const db = new Database(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const lastTick = Math.max(
        ...lines()
          .filter((l) => l.startsWith('I '))
          .map((l) => Number(l.slice(2))),
      );
      const reader = openHistoryReader(file);
      for (const tag of ['FIU.T00.PV', 'FIU.T19.PV']) {
        const raw = reader.queryRaw(tag, T0, T0 + 1e9, 1_000_000);
        expect(raw.t.map((t) => (t - T0) / 1000)).toEqual(Array.from({ length: lastTick + 1 }, (_, k) => k));
      }
      reader.close();
      expect(existsSync(file)).toBe(true);
    },
    60_000,
  );
});
