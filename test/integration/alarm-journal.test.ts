/**
 * The alarm service on a real SQLite journal: every transition stored with its user and
 * comment, queries by time, tag, area, priority, event and user, CSV export with formulas
 * defused, states restored after a restart, and nothing lost that the journal reported
 * as written when the process is killed with SIGKILL in the middle of a flood.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AlarmService } from '../../main/runtime/alarms/alarm-service.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';
import { projectSchema } from '../../main/runtime/config/schema.js';
import { floodProject } from '../support/alarm-project.js';
import { startChild } from '../support/child-process.js';

const dirs: string[] = [];
const services: AlarmService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-alarms-'));
  dirs.push(dir);
  return dir;
}

const project: ProjectConfig = projectSchema.parse({
  schemaVersion: 1,
  name: 'journal test',
  devices: [{ name: 'PLC', protocol: 'modbus-tcp', host: '127.0.0.1', port: 1 }],
  tags: [
    {
      name: 'SS01.SEC.P_RET',
      device: 'PLC',
      description: { en: 'Secondary return pressure' },
      unit: 'bar',
      modbus: { table: 'holding', address: 0, type: 'int16' },
      alarms: [
        { kind: 'low', limit: 1.6, priority: 'high', message: { en: '=HYPERLINK("http://x") return pressure low' } },
      ],
    },
    {
      name: 'SS02.P1.VIB',
      device: 'PLC',
      description: { en: 'Pump vibration' },
      unit: 'mm/s',
      modbus: { table: 'holding', address: 1, type: 'int16' },
      alarms: [{ kind: 'high', limit: 7.1, priority: 'medium' }],
    },
  ],
});

function open(file: string, p: ProjectConfig = project) {
  const tags = new TagTable(p.tags.map((t) => t.name));
  const service = new AlarmService({
    project: p,
    tags,
    devices: { list: () => [], onChange: () => () => undefined },
    file,
    log: createLogger({ level: 'silent' }),
    flushMs: 5,
  });
  services.push(service);
  service.start();
  const feed = (tag: string, value: number) => {
    const now = Date.now();
    tags.apply([{ tag, value, quality: { code: 'Good' }, sourceTime: now, receiveTime: now }]);
  };
  return { service, feed };
}

describe('alarm journal', () => {
  it('stores each transition with value, limit, user and comment, and answers filtered queries', async () => {
    const file = join(tempDir(), 'alarms.db');
    const { service, feed } = open(file);
    const from = Date.now() - 1;
    feed('SS01.SEC.P_RET', 1.4);
    feed('SS02.P1.VIB', 8);
    await service.acknowledge(['SS01.SEC.P_RET.LO'], 'anna', 'make-up pump checked');
    service.comment('SS02.P1.VIB.HI', 'bob', 'bearing noise audible');
    service.shelve('SS02.P1.VIB.HI', 'tech', 'vibration probe loose', 30);
    feed('SS01.SEC.P_RET', 2.0);
    await service.flush();
    const to = Date.now() + 1;

    const all = service.queryJournal({ from, to });
    expect(all.entries.map((e) => `${e.alarmId} ${e.kind}`).reverse()).toEqual([
      'SS01.SEC.P_RET.LO activated',
      'SS02.P1.VIB.HI activated',
      'SS01.SEC.P_RET.LO acknowledged',
      'SS02.P1.VIB.HI commented',
      'SS02.P1.VIB.HI shelved',
      'SS01.SEC.P_RET.LO returned',
    ]);
    const activation = all.entries.find((e) => e.kind === 'activated' && e.alarmId === 'SS01.SEC.P_RET.LO')!;
    expect(activation).toMatchObject({
      value: 1.4,
      limit: 1.6,
      state: 'unack-active',
      condition: true,
      area: 'SS01',
      priority: 'high',
      tag: 'SS01.SEC.P_RET',
    });
    const ack = all.entries.find((e) => e.kind === 'acknowledged')!;
    expect(ack).toMatchObject({ user: 'anna', comment: 'make-up pump checked', state: 'ack-active' });

    expect(service.queryJournal({ from, to, user: 'anna' }).entries).toHaveLength(1);
    expect(
      service
        .queryJournal({ from, to, area: 'SS02' })
        .entries.map((e) => e.kind)
        .sort(),
    ).toEqual(['activated', 'commented', 'shelved']);
    expect(service.queryJournal({ from, to, priority: 'high', kind: 'returned' }).entries).toHaveLength(1);
    expect(service.queryJournal({ from, to, tag: 'SS02.' }).entries).toHaveLength(3);
    expect(service.queryJournal({ from, to, text: 'vibration' }).entries.length).toBeGreaterThan(0);
    expect(service.queryJournal({ from, to, areas: ['SS02'] }).entries.every((e) => e.area === 'SS02')).toBe(true);
    const page = service.queryJournal({ from, to, limit: 2 });
    expect(page.more).toBe(true);
    const next = service.queryJournal({ from, to, limit: 10, beforeSeq: page.entries[1]!.seq });
    expect(next.entries).toHaveLength(4);
    expect(service.queryJournal({ from: to + 1000, to: to + 2000 }).entries).toHaveLength(0);
  });

  it('gives each alarm its acknowledge and resolve deadlines from the response rules (15 min, 2 h)', async () => {
    const { service, feed } = open(join(tempDir(), 'alarms.db'));
    feed('SS01.SEC.P_RET', 1.4);
    const active = service.get('SS01.SEC.P_RET.LO')!;
    expect(active.ackDueAt).toBe(active.activeSince! + 15 * 60_000);
    expect(active.resolveDueAt).toBe(active.activeSince! + 120 * 60_000);
    await service.acknowledge([active.id], 'anna', null);
    expect(service.get(active.id)).toMatchObject({ ackDueAt: null, resolveDueAt: active.resolveDueAt });
  });

  it('exports CSV with spreadsheet formulas defused', async () => {
    const dir = tempDir();
    const { service, feed } = open(join(dir, 'alarms.db'));
    feed('SS01.SEC.P_RET', 1.0);
    await service.flush();
    const out = join(dir, 'journal.csv');
    const fractions: number[] = [];
    const rows = await service.journal.exportCsv({ from: 0, to: Date.now() + 1 }, out, (f) => fractions.push(f));
    expect(rows).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'seq,time,alarm,event,state,active,value,limit,user,comment,tag,area,priority,source,message',
    );
    expect(text).toContain(`"'=HYPERLINK(""http://x"") return pressure low"`);
  });

  it('brings back active, unacknowledged, shelved and out-of-service alarms after a restart', async () => {
    const file = join(tempDir(), 'alarms.db');
    const first = open(file);
    first.feed('SS01.SEC.P_RET', 1.2);
    first.feed('SS02.P1.VIB', 9);
    first.service.shelve('SS02.P1.VIB.HI', 'tech', 'probe replaced tomorrow', 120);
    await first.service.stop();
    services.splice(services.indexOf(first.service), 1);

    const second = open(file);
    const states = Object.fromEntries(second.service.list().map((a) => [a.id, a]));
    expect(states['SS01.SEC.P_RET.LO']).toMatchObject({ state: 'unack-active', active: true });
    expect(states['SS02.P1.VIB.HI']).toMatchObject({
      state: 'shelved',
      shelved: { reason: 'probe replaced tomorrow', by: 'tech', mode: 'timed' },
    });
    second.service.setOutOfService('SS01.SEC.P_RET.LO', 'tech', true, 'transmitter swap');
    await second.service.stop();
    services.splice(services.indexOf(second.service), 1);

    const third = open(file);
    expect(third.service.get('SS01.SEC.P_RET.LO')).toMatchObject({
      state: 'out-of-service',
      outOfService: { reason: 'transmitter swap' },
    });
    // Live data still decides the condition: back in service with a good pressure, it returns.
    third.service.setOutOfService('SS01.SEC.P_RET.LO', 'tech', false, null);
    third.feed('SS01.SEC.P_RET', 2.0);
    expect(third.service.get('SS01.SEC.P_RET.LO')!.state).toBe('unack-rtn');
  });

  it('keeps every transition it reported as written when killed with SIGKILL during a flood', async () => {
    const file = join(tempDir(), 'alarms.db');
    const count = 4000;
    const child = startChild(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, 'alarm-flood-child.ts'),
      file,
      String(count),
    ]);
    try {
      await child.waitFor(/^R (\d+)$/m, 30_000);
      // Kill at a random moment while acknowledgements are being written.
      const target = count + Math.floor(Math.random() * count * 0.8);
      let reported = 0;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const written = [...child.output().matchAll(/^W (\d+)$/gm)].map((m) => Number(m[1]));
        reported = written.length > 0 ? Math.max(...written) : 0;
        if (reported >= target || /^D$/m.test(child.output())) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      child.process.kill('SIGKILL');
      await child.stop('SIGKILL');
      expect(reported).toBeGreaterThan(0);
      const db = new Database(file, { readonly: true });
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number }).n;
      const acked = (
        db
          .prepare("SELECT COUNT(*) AS n FROM journal WHERE kind = 'acknowledged' AND user = 'night-operator'")
          .get() as { n: number }
      ).n;
      const activated = (
        db.prepare("SELECT COUNT(*) AS n FROM journal WHERE kind = 'activated'").get() as { n: number }
      ).n;
      db.close();
      expect(stored).toBeGreaterThanOrEqual(reported);
      expect(activated).toBe(count);
      expect(acked).toBe(stored - count);

      // After the restart, what was unacknowledged is still unacknowledged.
      const again = open(file, floodProject(count));
      const list = again.service.list();
      expect(list).toHaveLength(count);
      expect(list.filter((a) => a.state === 'ack-active')).toHaveLength(acked);
      expect(list.filter((a) => a.state === 'unack-active')).toHaveLength(count - acked);
    } finally {
      await child.stop('SIGKILL');
    }
  }, 120_000);
});
