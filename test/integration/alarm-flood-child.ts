/**
 * A station's alarm service flooded with alarms, for the kill -9 test. It raises every
 * alarm of a flood project in one batch, then acknowledges them page by page, and prints
 * "W <n>" each time the journal reports rows stored (stdout is a pipe: each line is
 * written before the next batch, and the parent kills at a random line).
 *
 * usage: alarm-flood-child.ts <alarms.db> <alarm count>
 */
import { writeSync } from 'node:fs';
import { AlarmService } from '../../main/runtime/alarms/alarm-service.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { floodProject } from '../support/alarm-project.js';

const [file, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: alarm-flood-child.ts <alarms.db> <count>');
const project = floodProject(Number(countArg ?? 5000));
const tags = new TagTable(project.tags.map((t) => t.name));
const alarms = new AlarmService({
  project,
  tags,
  devices: { list: () => [], onChange: () => () => undefined },
  file,
  log: createLogger({ level: 'silent' }),
  flushMs: 5,
});
alarms.journal.onWritten((n) => writeSync(1, `W ${n}\n`));
alarms.start();
const now = Date.now();
tags.apply(
  project.tags.map((t) => ({
    tag: t.name,
    value: 90,
    quality: { code: 'Good' as const },
    sourceTime: now,
    receiveTime: now,
  })),
);
const ids = alarms.list().map((a) => a.id);
writeSync(1, `R ${ids.length}\n`);
for (let i = 0; i < ids.length; i += 100) {
  await alarms.acknowledge(ids.slice(i, i + 100), 'night-operator', null);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await alarms.flush();
writeSync(1, 'D\n');
setInterval(() => undefined, 1000);
