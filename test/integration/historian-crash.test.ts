import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from './historian-support.js';

const child = join(import.meta.dirname, 'historian-writer-child.ts');
const { dir, remove } = tempDir();
afterAll(remove);

const TAGS = 200;
const TICKS_PER_FLUSH = 20;
const T0 = Date.UTC(2026, 0, 1);

/** Run the writer, kill -9 it once it has flushed `flushes` times, and return its progress log. */
async function runAndKill(
  file: string,
  progress: string,
  resumeFrom: number,
  flushes: number,
): Promise<{ ingested: number; flushed: number }> {
  writeFileSync(progress, '');
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', child, file, progress, String(TAGS), String(TICKS_PER_FLUSH)],
    {
      env: { ...process.env, RESUME_FROM_TICK: String(resumeFrom) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  // Wait until enough flushes happened, then kill at an arbitrary point of the next ones.
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const lines = readFileSync(progress, 'utf8').split('\n');
    if (lines.filter((l) => l.startsWith('F ')).length >= flushes) break;
    if (proc.exitCode !== null) throw new Error(`writer exited early: ${stderr}`);
  }
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const lines = readFileSync(progress, 'utf8').split('\n');
  const last = (prefix: string) =>
    Math.max(-1, ...lines.filter((l) => l.startsWith(prefix)).map((l) => Number(l.slice(2))));
  expect(lines.filter((l) => l.startsWith('E '))).toEqual([]);
  return { ingested: last('I '), flushed: last('F ') };
}

describe('historian after kill -9', () => {
  it('opens with integrity_check ok and loses at most the last flush interval, three times over', async () => {
    const file = join(dir, 'history.db');
    const progress = join(dir, 'progress.log');
    let resume = 0;
    const previous = new Map<string, number[]>();
    for (let round = 0; round < 3; round++) {
      const { ingested, flushed } = await runAndKill(file, progress, resume, 3 + round);

      const db = new Database(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      // Read back through a fresh reader: each tag keeps what earlier rounds stored, plus this
      // round's ticks from `resume` on with no hole; everything reported flushed is there, and
      // what is missing is at most one flush interval. (A flush is written in several
      // transactions, so tags may end one slice apart.)
      const { openHistoryReader } = await import('../../main/runtime/historian/index.js');
      const reader = openHistoryReader(file);
      for (let i = 0; i < TAGS; i += 37) {
        const tag = `KILL.T${String(i).padStart(3, '0')}.PV`;
        const ticks = reader.queryRaw(tag, T0, T0 + 1e9, 1_000_000).t.map((t) => (t - T0) / 1000);
        const before = ticks.filter((k) => k < resume);
        const now = ticks.filter((k) => k >= resume);
        expect(before).toEqual(previous.get(tag) ?? []);
        expect(now).toEqual(now.map((_, k) => resume + k));
        const maxTick = now.length ? (now[now.length - 1] as number) : resume - 1;
        expect(maxTick).toBeGreaterThanOrEqual(flushed);
        expect(ingested - maxTick).toBeLessThanOrEqual(TICKS_PER_FLUSH);
        previous.set(tag, ticks);
      }
      reader.close();
      resume = ingested + 1;
    }
  }, 90_000);
});
