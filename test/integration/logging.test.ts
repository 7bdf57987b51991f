/**
 * Runtime logs: structured JSON lines in the data folder's logs/, and a message that
 * repeats (a dead PLC) goes quiet after its burst instead of filling the disk.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../main/runtime/logging/logger.js';
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
        const parsed = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; device?: string; attempt?: number });
        return parsed.filter((l) => l.msg === 'connect refused').length >= 100 ? parsed : undefined;
      },
      10_000,
    );
    expect(lines.find((l) => l.msg === 'station started')).toMatchObject({ device: 'SS01-PLC' });
    // The burst is 100 per minute per message; the other 400 repeats were not written.
    expect(lines.filter((l) => l.msg === 'connect refused')).toHaveLength(100);
  });
});
