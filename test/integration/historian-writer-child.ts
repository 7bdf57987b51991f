/**
 * A process that writes history continuously, for the kill -9 test. It ingests one
 * sample per tag per tick (fake time: tick k is at T0 + k·1000 ms) and flushes every
 * `ticksPerFlush` ticks, logging to a progress file with synchronous writes (which
 * survive kill -9): "I k" before ingesting tick k, "F k" once a flush covering k is done.
 *
 * usage: historian-writer-child.ts <db file> <progress file> <tags> <ticks per flush> [<fiu>]
 */
import { openSync, writeSync } from 'node:fs';
import { openHistorian } from '../../main/runtime/historian/index.js';
import type { Sample } from '../../protocols/driver.js';

const [file, progressFile, tagsArg, ticksArg] = process.argv.slice(2);
if (!file || !progressFile) throw new Error('usage: historian-writer-child.ts <db> <progress> <tags> <ticksPerFlush>');
const tagCount = Number(tagsArg ?? 50);
const ticksPerFlush = Number(ticksArg ?? 10);
const T0 = Date.UTC(2026, 0, 1);
const progress = openSync(progressFile, 'a');
const log = (line: string) => writeSync(progress, line + '\n');

const h = openHistorian({ file, flushIntervalMs: 3_600_000 });
const status = h.status();
log(`S ${status.level} ${status.storedSamples}`);
const tags = Array.from({ length: tagCount }, (_, i) => `KILL.T${String(i).padStart(3, '0')}.PV`);
// Continue after what is already stored (the test runs this process several times on one file).
const resume = Number(process.env.RESUME_FROM_TICK ?? 0);

for (let k = resume; ; k++) {
  log(`I ${k}`);
  const t = T0 + k * 1000;
  const batch: Sample[] = tags.map((tag, i) => ({
    tag,
    value: k * 0.01 + i,
    quality: { code: 'Good' },
    sourceTime: t,
    receiveTime: t,
  }));
  h.ingest(batch);
  if ((k + 1) % ticksPerFlush === 0) {
    await h.flush();
    const s = h.status();
    if (s.level !== 'ok') log(`E ${s.message}`);
    log(`F ${k}`);
  }
}
