/**
 * Runtime logs: structured JSON lines in the data folder's logs/, and a message that
 * repeats (a dead PLC) goes quiet after its burst instead of filling the disk.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { LogFile } from '../../main/runtime/logging/log-file.js';
import { waitFor } from '../support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runtime logging', () => {
  it('writes JSON lines into <data>/logs and rate-limits a repeating message', async () => {
    const log = createLogger({ dir }).child({ device: 'SS01-PLC' });
    log.info({ port: 502 }, 'station started');
    for (let i = 0; i < 500; i++) log.warn({ attempt: i }, 'connect refused');
    log.flush();
    const lines = await waitFor(
      'log lines on disk',
      () => {
        const files = readdirSync(join(dir, 'logs')).filter((f) => f.endsWith('.log'));
        const text = files.map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('');
        const parsed = text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { msg: string; device?: string; attempt?: number });
        return parsed.filter((l) => l.msg === 'connect refused').length >= 100 ? parsed : undefined;
      },
      10_000,
    );
    expect(lines.find((l) => l.msg === 'station started')).toMatchObject({ device: 'SS01-PLC' });
    // The burst is 100 per minute per message; the other 400 repeats were not written.
    expect(lines.filter((l) => l.msg === 'connect refused')).toHaveLength(100);
  });
});

describe('logging on a full disk', () => {
  it('drops and counts lines when the log file cannot be written (ENOSPC), and never throws', async () => {
    const full = mkdtempSync(join(tmpdir(), 'argus-logs-full-'));
    try {
      mkdirSync(join(full, 'logs'));
      // every write to /dev/full fails with ENOSPC, as on a full data volume
      symlinkSync('/dev/full', join(full, 'logs', 'argus.log'));
      const log = createLogger({ dir: full });
      expect(() => {
        for (let i = 0; i < 50; i++) log.error({ attempt: i }, `write failed ${i}`);
        log.flush();
      }).not.toThrow();
      await new Promise((r) => setTimeout(r, 200)); // an asynchronous 'error' would have crashed the run by now
      expect(log.health().droppedLines).toBe(50);
      expect(log.health().lastError).toMatch(/ENOSPC/);
    } finally {
      rmSync(full, { recursive: true, force: true });
    }
  });
});

describe('the log file', () => {
  it('rotates by size and keeps a bounded number of files', () => {
    const rot = mkdtempSync(join(tmpdir(), 'argus-logs-rotate-'));
    try {
      const file = new LogFile({ dir: rot, maxBytes: 1000, keep: 3 });
      for (let i = 0; i < 200; i++) file.write(`${JSON.stringify({ i, msg: 'line of about fifty bytes' })}\n`);
      file.close();
      const files = readdirSync(rot).sort();
      expect(files).toEqual(['argus.1.log', 'argus.2.log', 'argus.3.log', 'argus.log']);
      for (const f of files) expect(readFileSync(join(rot, f)).length).toBeLessThanOrEqual(1000);
      expect(readFileSync(join(rot, 'argus.log'), 'utf8')).toContain('"i":199');
      expect(file.health().droppedLines).toBe(0);
    } finally {
      rmSync(rot, { recursive: true, force: true });
    }
  });
});
