/**
 * Argus's own faults are alarms (source `system`), each one journaled like any other:
 *  - the alarm journal cannot be written (its file locked by another connection): JOURNAL,
 *    high, while it lasts; the transitions held in memory meanwhile are stored afterwards;
 *  - the audit trail cannot be written (audit.db locked): a setpoint write is refused and
 *    AUDIT, high, is latched;
 *  - the historian cannot write (its volume, a real tmpfs, full): HISTORIAN with the
 *    historian's status sentence, cleared when space comes back;
 *  - the wall clock jumps: CLOCK, low, latched, the jump in seconds as its value.
 * Real station runtime on the built-in simulated plant, real SQLite files in a temp folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmService, SYSTEM_ALARM_PREFIX } from '../../main/runtime/alarms/alarm-service.js';
import { ALARM_DB_FILE } from '../../main/runtime/alarms/alarm-journal.js';
import { AUDIT_DB_FILE } from '../../main/runtime/security/audit-trail.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { dispatch } from '../../main/runtime/api/dispatch.js';
import { memorySessionBinding } from '../../main/runtime/api/caller.js';
import type { StationRuntime } from '../../main/runtime/station.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { readDemoProject } from '../support/demo-project.js';
import { floodProject } from '../support/alarm-project.js';
import { lacking } from '../support/prerequisites.js';
import { waitFor } from '../support/wait-for.js';
import { fillToTheLastByte } from '../support/fill-volume.js';

const JOURNAL = `${SYSTEM_ALARM_PREFIX}JOURNAL`;
const AUDIT = `${SYSTEM_ALARM_PREFIX}AUDIT`;
const HISTORIAN = `${SYSTEM_ALARM_PREFIX}HISTORIAN`;
const CLOCK = `${SYSTEM_ALARM_PREFIX}CLOCK`;
const HORN = `${SYSTEM_ALARM_PREFIX}HORN`;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function station(name: string, options: Parameters<typeof startInProcessStation>[1] = {}) {
  const st: InProcessStation = await startInProcessStation(name, options);
  cleanups.push(() => st.stop());
  return st;
}

/** A second connection holding the write lock of a SQLite file (another program, a backup tool). */
function lockExclusively(file: string): () => void {
  const db = new Database(file);
  db.exec('BEGIN EXCLUSIVE');
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    db.exec('ROLLBACK');
    db.close();
  };
  cleanups.push(release);
  return release;
}

/** Journal rows of one alarm since `from`, oldest first. */
function journalOf(rt: Pick<StationRuntime, 'alarms'> | { alarms: AlarmService }, id: string, from: number) {
  return rt.alarms.queryJournal({ from, to: Number.MAX_SAFE_INTEGER, alarmId: id }).entries.slice().reverse();
}

describe('system alarms for the station’s own faults', () => {
  it('alarm journal cannot be written: JOURNAL while it lasts, and the held transitions are stored afterwards', async () => {
    const { runtime: rt, dir } = await station('sysalarm-journal');
    const from = Date.now();
    await rt.alarms.flush();
    expect(rt.alarms.get(JOURNAL)).toBeUndefined();

    const release = lockExclusively(join(dir, 'data', ALARM_DB_FILE));
    // A transition while the file is locked: the horn silenced by an operator.
    rt.alarms.silence('op.anna', 3);
    const raised = await waitFor('the JOURNAL system alarm', () => rt.alarms.get(JOURNAL)?.active === true);
    expect(raised).toBe(true);
    expect(rt.alarms.list().find((a) => a.id === JOURNAL)).toMatchObject({
      source: 'system',
      kind: 'system',
      priority: 'high',
      state: 'unack-active',
      active: true,
      message: { en: expect.stringMatching(/alarm journal cannot be written/i) },
    });
    expect(rt.alarms.journal.health).toMatch(/cannot be written .*alarms\.db.*(locked|busy)/i);
    rt.alarms.comment(JOURNAL, 'op.anna', 'alarms.db held by another program');
    // Held in memory, not in the file yet (readers still get through a WAL file's write lock).
    expect(rt.alarms.journal.queued).toBeGreaterThanOrEqual(3);
    expect(journalOf(rt, HORN, from)).toEqual([]);
    expect(journalOf(rt, JOURNAL, from)).toEqual([]);

    // The station keeps running meanwhile: transitions go on arriving, and no retry holds
    // the event loop for long (each try waits at most the busy timeout, and tries back off).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const queuedBefore = rt.alarms.journal.queued;
    for (let i = 0; i < 25; i++) {
      rt.alarms.silence('op.anna', 1);
      await new Promise((r) => setTimeout(r, 200));
    }
    loop.disable();
    expect(rt.alarms.journal.queued).toBeGreaterThan(queuedBefore);
    expect(loop.max / 1e6).toBeLessThan(1000);

    release();
    await waitFor('the JOURNAL alarm to return', () => rt.alarms.get(JOURNAL)?.active === false, 20_000);
    await rt.alarms.flush();
    expect(rt.alarms.journal.health).toBeNull();
    expect(rt.alarms.journal.queued).toBe(0);
    expect(rt.alarms.get(JOURNAL)).toMatchObject({ state: 'unack-rtn', active: false });

    // Nothing lost: the silence, the raise, the comment and the return, in that order.
    expect(journalOf(rt, HORN, from)[0]).toMatchObject({ kind: 'silenced', user: 'op.anna', value: 3 });
    const rows = journalOf(rt, JOURNAL, from);
    expect(rows.map((r) => r.kind)).toEqual(['activated', 'commented', 'returned']);
    for (const row of rows) expect(row).toMatchObject({ source: 'system', priority: 'high' });
    expect(rows[1]).toMatchObject({ user: 'op.anna', comment: 'alarms.db held by another program' });
    expect(journalOf(rt, HORN, from)[0]!.seq).toBeLessThan(rows[0]!.seq);
    // The silencing time kept for a restart is in the file too.
    const reader = new Database(join(dir, 'data', ALARM_DB_FILE), { readonly: true });
    cleanups.push(() => {
      reader.close();
    });
    expect(reader.prepare("SELECT value FROM meta WHERE key = 'silencedAt'").get()).toEqual({
      value: String(rt.alarms.silenced),
    });
  }, 90_000);

  it('audit trail cannot be written: the setpoint write is refused and AUDIT is latched', async () => {
    const { runtime: rt, dir } = await station('sysalarm-audit');
    const config = readDemoProject().tags.find((t) => t.writable && t.kind === 'analog' && t.range && !t.critical)!;
    const tag = config.name;
    const [low, high] = config.range!;
    await waitFor(`${tag} live from the plant`, () => rt.tags.get(tag)?.quality.code === 'Good', 30_000);
    await waitFor(`${config.device} connected`, () => rt.devices.get(config.device)?.state === 'connected', 30_000);
    const current = Number(rt.tags.get(tag)!.value);
    const target = [low + (high - low) / 4, low + (3 * (high - low)) / 4].find((v) => Math.abs(v - current) > 1)!;

    const operator = rt.demoAccounts!.find((a) => a.role === 'operator')!;
    const login = await rt.security.auth.login(operator.name, operator.password, 'test');
    if (!login.ok) throw new Error(`login refused: ${login.message}`);
    const door = { source: 'test', session: memorySessionBinding(login.session.id) };
    const writesBefore = rt.security.audit.count({ action: 'tag.write' });

    const release = lockExclusively(join(dir, 'data', AUDIT_DB_FILE));
    const refused = await dispatch(rt.dispatchTarget, 'tags.write', { tag, value: target }, door);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/audit trail cannot be written.*refused/) },
    });
    const alarm = rt.alarms.list().find((a) => a.id === AUDIT);
    expect(alarm).toMatchObject({
      source: 'system',
      priority: 'high',
      state: 'unack-active',
      latched: true,
      message: { en: expect.stringContaining('tag.write refused or unrecorded') },
    });
    release();

    // Refused, not merely unrecorded: nothing reached the PLC and nothing is in the trail.
    await new Promise((r) => setTimeout(r, 1500));
    expect(Math.abs(Number(rt.tags.get(tag)!.value) - target)).toBeGreaterThan(0.5);
    expect(rt.security.audit.count({ action: 'tag.write' })).toBe(writesBefore);

    // With the trail writable again the same write goes through (so the check above can fail),
    // and the AUDIT alarm stays latched until someone acknowledges it.
    const accepted = await dispatch(rt.dispatchTarget, 'tags.write', { tag, value: target }, door);
    expect(accepted).toMatchObject({ ok: true });
    await waitFor(`${tag} at ${target}`, () => Math.abs(Number(rt.tags.get(tag)?.value) - target) < 0.5, 15_000);
    expect(rt.security.audit.count({ action: 'tag.write' })).toBe(writesBefore + 2);
    expect(rt.alarms.get(AUDIT)).toMatchObject({ state: 'unack-active', latched: true });

    await rt.alarms.flush();
    const rows = journalOf(rt, AUDIT, 0);
    expect(rows.map((r) => r.kind)).toEqual(['activated', 'returned']);
    expect(rows[0]).toMatchObject({ source: 'system', priority: 'high', message: alarm!.message.en });
  }, 90_000);

  it('historian cannot write (its volume full): HISTORIAN with the status sentence, cleared when space returns', async (ctx) => {
    if (lacking('tmpfs')) return ctx.skip();
    const root = mkdtempSync(join(tmpdir(), 'argus-sysalarm-history-'));
    const volume = join(root, 'volume');
    mkdirSync(volume);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', volume], { stdio: 'pipe' });
    cleanups.push(() => {
      execFileSync('umount', ['-l', volume], { stdio: 'pipe' });
      rmSync(root, { recursive: true, force: true });
    });
    const { runtime: rt } = await station('sysalarm-history', {
      station: { historyFile: join(volume, 'history.db') },
    });
    await waitFor('history being recorded', () => rt.historian.status().storedSamples > 0, 30_000);
    expect(rt.historian.status().level).toBe('ok');
    expect(rt.alarms.get(HISTORIAN)?.active ?? false).toBe(false);

    const filler = join(volume, 'filler');
    fillToTheLastByte(filler);
    const raised = await waitFor('the HISTORIAN system alarm', () => {
      const a = rt.alarms.get(HISTORIAN);
      return a?.active ? a : undefined;
    });
    const status = rt.historian.status();
    expect(status.level).toBe('degraded');
    expect(status.message).toMatch(/history writes are failing \(disk full \(ENOSPC\)/);
    expect(raised).toMatchObject({
      source: 'system',
      priority: 'medium',
      state: 'unack-active',
      message: { en: expect.stringMatching(/^History: history writes are failing \(disk full \(ENOSPC\)/) },
    });
    // The sentence is the historian's own (less the buffered count, which moves on).
    const sentence = (s: string) => s.replace(/\d+ samples buffered/, 'N samples buffered');
    expect(sentence(raised.message.en)).toBe(sentence(`History: ${status.message}`));

    rmSync(filler);
    await waitFor('the HISTORIAN alarm to clear', () => rt.alarms.get(HISTORIAN)?.active === false, 20_000);
    expect(rt.historian.status()).toMatchObject({ level: 'ok', lastError: null });
    expect(rt.alarms.get(HISTORIAN)).toMatchObject({ state: 'unack-rtn' });

    await rt.alarms.flush();
    const rows = journalOf(rt, HISTORIAN, 0);
    expect(rows.map((r) => r.kind)).toEqual(['activated', 'returned']);
    for (const row of rows) expect(row).toMatchObject({ source: 'system', priority: 'medium' });
    expect(rows[0]!.message).toMatch(/disk full/);
  }, 90_000);

  it('clock jump: CLOCK latched, low, with the jump in seconds as its value, and journaled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-sysalarm-clock-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const project = floodProject(1);
    let offset = 0;
    const service = new AlarmService({
      project,
      tags: new TagTable(project.tags.map((t) => t.name)),
      devices: { list: () => [], onChange: () => () => undefined },
      file: join(dir, ALARM_DB_FILE),
      log: createLogger({ level: 'silent' }),
      now: () => Date.now() + offset,
      tickMs: 20,
      flushMs: 5,
    });
    service.start();
    cleanups.push(() => service.stop());
    const ticks = () => new Promise((r) => setTimeout(r, 200));

    await ticks();
    expect(service.get(CLOCK)).toBeUndefined();
    // Under the 5 s threshold: nothing.
    offset += 3000;
    await ticks();
    expect(service.get(CLOCK)).toBeUndefined();

    offset += 12_000;
    const alarm = await waitFor('the CLOCK system alarm', () => service.list().find((a) => a.id === CLOCK));
    expect(alarm).toMatchObject({
      source: 'system',
      priority: 'low',
      state: 'unack-active',
      latched: true,
      active: false,
      value: 12,
      message: { en: 'System clock jumped by 12 s: times around it may be out of order' },
    });

    await service.flush();
    const rows = journalOf({ alarms: service }, CLOCK, 0);
    expect(rows.map((r) => r.kind)).toEqual(['activated', 'returned']);
    expect(rows[0]).toMatchObject({ source: 'system', priority: 'low', value: 12 });
  }, 30_000);
});
