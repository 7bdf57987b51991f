/**
 * History backups cannot fill the disk: generated names, the oldest removed beyond the count,
 * one at a time, rate-limited, and refused when the copy would leave less than the reserve free
 * (a real 8 MiB tmpfs as the data volume). Real historian, real SQLite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHistorian } from '../../main/runtime/historian/index.js';
import {
  HistoryBackups,
  backupRefusal,
  backupsToRemove,
  defaultBackupPolicy,
} from '../../main/runtime/api/history-backups.js';
import { analogSamples, tempDir } from './historian-support.js';
import { lacking } from '../support/prerequisites.js';

const { dir, remove } = tempDir('argus-backups-');
afterAll(remove);
const T0 = Date.UTC(2026, 0, 1);

describe('backup policy (pure)', () => {
  const policy = { ...defaultBackupPolicy, minIntervalMs: 60_000, reserveBytes: 100 };
  it.each([
    [{ running: true, lastStartedAt: null }, 0, 10_000, 10, /already running/],
    [{ running: false, lastStartedAt: 0 }, 30_000, 10_000, 10, /may start in 30 s/],
    [{ running: false, lastStartedAt: 0 }, 60_000, 10_000, 10, null],
    [{ running: false, lastStartedAt: null }, 0, 150, 60, /not enough free space/],
    [{ running: false, lastStartedAt: null }, 0, 160, 60, null],
  ])('%j at %d with %d free, %d needed → %s', (state, now, free, need, expected) => {
    const refusal = backupRefusal(state, now, policy, free, need);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });

  it('removes only its own oldest backups', () => {
    const names = [
      'history-2026-01-01T00-00-00-000Z.db',
      'history-2026-01-03T00-00-00-000Z.db',
      'history-2026-01-02T00-00-00-000Z.db',
      'history-2026-01-02T00-00-00-000Z-1.db',
      'keep-me.db',
      'history-old.db',
    ];
    expect(backupsToRemove(names, 2)).toEqual([
      'history-2026-01-01T00-00-00-000Z.db',
      'history-2026-01-02T00-00-00-000Z-1.db',
    ]);
  });
});

describe('HistoryBackups on a real history file', () => {
  it('keeps the newest N under generated names, with the audit checkpoint beside each', async () => {
    const h = openHistorian({ file: join(dir, 'history.db'), flushIntervalMs: 3_600_000 });
    try {
      for (const b of analogSamples(['B.K.T1'], T0, 600)) h.ingest(b);
      await h.flush();
      const checkpoint = join(dir, 'audit-head.json');
      writeFileSync(checkpoint, '{"seq":1}');
      let now = T0;
      const backups = new HistoryBackups({
        historian: h,
        dir: join(dir, 'backups'),
        auditCheckpointFile: checkpoint,
        policy: { keep: 3, reserveBytes: 0 },
        now: () => now,
      });
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        made.push((await backups.run()).file);
        expect(() => backups.refusal()).not.toThrow();
        expect(backups.refusal()).toMatch(/may start in 60 s/);
        now += 61_000;
      }
      const left = readdirSync(join(dir, 'backups')).sort();
      expect(left.filter((f) => f.endsWith('.db'))).toEqual(
        made
          .slice(2)
          .map((f) => f.split('/').pop())
          .sort(),
      );
      expect(left.filter((f) => f.endsWith('.audit-head.json'))).toHaveLength(3);
      // one at a time
      const [a, b] = await Promise.allSettled([backups.run(), backups.run()]);
      expect(a.status).toBe('fulfilled');
      expect(b).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/already running/) } });
    } finally {
      await h.close();
    }
  });

  it('refuses a backup that would leave less than the reserve free on the data volume (8 MiB tmpfs)', async (ctx) => {
    if (lacking('tmpfs')) return ctx.skip();
    const mount = join(dir, 'small-volume');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount], { stdio: 'pipe' });
    try {
      const h = openHistorian({ file: join(mount, 'history.db'), flushIntervalMs: 3_600_000 });
      try {
        for (const b of analogSamples(['B.K.T1'], T0, 600)) h.ingest(b);
        await h.flush();
        // the default reserve (128 MiB) is more than the whole volume
        const backups = new HistoryBackups({ historian: h, dir: join(mount, 'backups') });
        await expect(backups.run()).rejects.toThrow(/not enough free space for a history backup: \d+ MiB free/);
        expect(readdirSync(join(mount, 'backups'))).toEqual([]);
      } finally {
        await h.close();
      }
    } finally {
      execFileSync('umount', [mount], { stdio: 'pipe' });
    }
  });
});
