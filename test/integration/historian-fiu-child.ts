/**
 * A history writer for the fault-injection test (run under fiu-run). Ingests one sample
 * per tag per tick and flushes after each tick; logs to a progress file with synchronous
 * writes: "I k" per tick, "E <message>" whenever the status is not ok. When the stop
 * file appears it drains what is buffered, closes, and logs "DONE <status json>".
 *
 * usage: historian-fiu-child.ts <db file> <progress file> <stop file>
 */
import { existsSync, openSync, writeSync } from 'node:fs';
import { openHistorian } from '../../main/runtime/historian/index.js';
import type { Sample } from '../../protocols/driver.js';

const [file, progressFile, stopFile] = process.argv.slice(2);
if (!file || !progressFile || !stopFile) throw new Error('usage: historian-fiu-child.ts <db> <progress> <stop>');
const progress = openSync(progressFile, 'a');
const log = (line: string) => writeSync(progress, line + '\n');
const T0 = Date.UTC(2026, 0, 1);
const tags = Array.from({ length: 20 }, (_, i) => `FIU.T${String(i).padStart(2, '0')}.PV`);

const h = openHistorian({ file, flushIntervalMs: 3_600_000, maxBufferedSamples: 10_000_000, reopenIntervalMs: 100 });
for (let k = 0; !existsSync(stopFile); k++) {
  log(`I ${k}`);
  const t = T0 + k * 1000;
  h.ingest(
    tags.map((tag, i): Sample => ({
      tag,
      value: k / 100 + i,
      quality: { code: 'Good' },
      sourceTime: t,
      receiveTime: t,
    })),
  );
  await h.flush();
  const s = h.status();
  if (s.level !== 'ok') log(`E ${s.level}: ${s.message}`);
  await new Promise((r) => setTimeout(r, 2));
}
for (let tries = 0; tries < 100 && h.status().bufferedSamples > 0; tries++) {
  await h.flush();
  await new Promise((r) => setTimeout(r, 10));
}
const final = h.status();
await h.close();
log(`DONE ${JSON.stringify(final)}`);
