/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL back into the database
 * and fsyncs it; on the writer's connection that would block the event loop for tens or
 * hundreds of milliseconds every few MB. The writer's connection has auto-checkpoint off
 * and a second connection on a worker thread runs a PASSIVE checkpoint every interval
 * (it never blocks the writer). If the worker cannot run, auto-checkpoint is switched
 * back on so the WAL cannot grow without bound.
 *
 * The worker's code is inline (eval) so it survives bundling into a single file.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DriverLogger } from '../../../protocols/driver.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 2000');
db.pragma('synchronous = FULL');
parentPort.on('message', (m) => {
  if (m === 'check') {
    try {
      const rows = db.pragma('quick_check');
      parentPort.postMessage({ check: rows.map((r) => Object.values(r)[0]).filter((x) => x !== 'ok') });
    } catch (e) {
      parentPort.postMessage({ check: [String((e && e.message) || e)] });
    }
    return;
  }
  if (m === 'close') {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    db.close();
    parentPort.close();
    return;
  }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ ok: true, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.message) || e) });
  }
});
`;

export interface Checkpointer {
  /** Ask for a checkpoint now (ignored while one is running). */
  request(): void;
  /**
   * A checkpoint now (or the one running): resolves true when it copied the whole WAL
   * (the next commit starts it over), false when it could not (a reader, a failure), null
   * when there is no worker.
   */
  checkpointNow(): Promise<boolean | null>;
  /** Run `quick_check` on the worker; resolves with the problems found (empty: ok), or null if the worker cannot. */
  check(): Promise<string[] | null>;
  /** Checkpoints asked for so far (a number that only grows). */
  requested(): number;
  /**
   * The last request (by `requested()` count) whose checkpoint copied the whole WAL into
   * the file and synced it: every commit before that request is durable. Infinity without
   * a worker (the writer checkpoints itself).
   */
  durableThrough(): number;
  close(): Promise<void>;
}

export function startCheckpointer(
  db: Database.Database,
  file: string,
  intervalMs: number,
  log: DriverLogger,
): Checkpointer {
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
  } catch (err) {
    log.warn({ file, err }, 'checkpoint worker could not start; checkpoints run on the writer');
    return {
      request() {},
      checkpointNow: async () => null,
      check: async () => null,
      requested: () => 0,
      durableThrough: () => Infinity,
      close: async () => {},
    };
  }
  db.pragma('wal_autocheckpoint = 0');
  let busy = false;
  let alive = true;
  let requests = 0;
  let running = 0;
  let durable = 0;
  const fallBack = (reason: unknown) => {
    if (!alive) return;
    alive = false;
    checks.splice(0).forEach((resolve) => resolve(null));
    waiters.splice(0).forEach((resolve) => resolve(null));
    clearInterval(timer);
    try {
      db.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the connection is closing
    }
    log.warn({ file, err: reason }, 'checkpoint worker stopped; checkpoints run on the writer');
  };
  const checks: Array<(problems: string[] | null) => void> = [];
  const waiters: Array<(complete: boolean | null) => void> = [];
  worker.on(
    'message',
    (m: { ok?: boolean; error?: string; check?: string[]; busy?: number; log?: number; checkpointed?: number }) => {
      if (m.check) {
        checks.shift()?.(m.check);
        return;
      }
      busy = false;
      if (!m.ok) log.warn({ file, error: m.error }, 'WAL checkpoint failed; will retry');
      const complete = m.ok === true && m.busy === 0 && m.log === m.checkpointed;
      if (complete) durable = running;
      if (waiters.length > 0) worker.unref();
      waiters.splice(0).forEach((resolve) => resolve(complete));
    },
  );
  worker.on('error', fallBack);
  worker.on('exit', (code) => {
    if (alive) fallBack(new Error(`checkpoint worker exited with code ${code}`));
  });
  worker.unref();
  const request = () => {
    if (!alive || busy) return;
    busy = true;
    running = ++requests;
    worker.postMessage('checkpoint');
  };
  const timer = setInterval(request, intervalMs);
  timer.unref();
  return {
    request,
    checkpointNow() {
      if (!alive) return Promise.resolve(null);
      return new Promise((resolve) => {
        // Someone waits for this checkpoint (a flush): the process must not end meanwhile.
        worker.ref();
        waiters.push(resolve);
        request();
      });
    },
    requested: () => requests,
    durableThrough: () => (alive ? durable : Infinity),
    check() {
      if (!alive) return Promise.resolve(null);
      return new Promise((resolve) => {
        checks.push(resolve);
        worker.postMessage('check');
      });
    },
    async close() {
      if (!alive) return;
      alive = false;
      checks.splice(0).forEach((resolve) => resolve(null));
      waiters.splice(0).forEach((resolve) => resolve(null));
      clearInterval(timer);
      // Keep the process alive until the worker has finished (it is unref'd while running).
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timeout = setTimeout(resolve, 5000)))]);
      clearTimeout(timeout);
      await worker.terminate();
    },
  };
}

/**
 * Back-pressure: while the WAL (`file`-wal) is over `maxWalBytes`, wait for checkpoints of
 * the whole WAL (a bounded number of times), so that the next commit starts it over.
 */
export async function waitForWal(
  checkpointer: () => Checkpointer | null,
  file: string,
  maxWalBytes: number,
): Promise<void> {
  for (let tries = 0; tries < 20; tries++) {
    const current = checkpointer();
    if (!current) return;
    let size: number;
    try {
      size = statSync(`${file}-wal`).size;
    } catch {
      return;
    }
    if (size <= maxWalBytes) return;
    const complete = await current.checkpointNow();
    if (complete === null) return;
    if (complete) return; // the next commit starts the WAL over (and truncates it)
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
