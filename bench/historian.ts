/**
 * Historian benchmark (`npm run bench:historian`). Generates a realistic plant mix into a
 * temporary folder (never the repository): half noisy analog tags (0.01 resolution,
 * 1 s with jitter), half slow analog or discrete tags; prefills a year of one analog tag
 * at 1 s plus days of the mix (well over 10 million samples) through the real writer,
 * then measures sustained ingest, event-loop blocking during it, file bytes per stored
 * sample, and trend/raw queries from cold connections. Prints one JSON line.
 *
 * Options: --days N (days of the mix, default 3), --year-days N (default 365), --keep (leave the temp folder).
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { GOOD, type Sample } from '../protocols/driver.js';
import {
  openHistorian,
  openHistoryReader,
  resolveStoragePolicy,
  type Historian,
} from '../main/runtime/historian/index.js';
import { benchMeta } from './meta.js';
import { createRandom, gaussian } from '../simulator/physics/prng.js';

const args = process.argv.slice(2);
const mixDays = Number(args[args.indexOf('--days') + 1] ?? 3) || 3;
const keep = args.includes('--keep');
const yearDays = Number(args[args.indexOf('--year-days') + 1] ?? 365) || 365;

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const YEAR_START = END - yearDays * DAY;
const QUERY_TAG = 'BENCH.YEAR.T_SUPPLY';
/** The measured sustained ingest: the last day of the mix. */
const INGEST_MS = DAY;

// Deterministic pseudo-random numbers: the simulator's own seeded source.
const rand = createRandom(2463534242);
const gauss = (): number => gaussian(rand);

/** A noisy analog signal: slow daily wave + random walk + sensor noise, quantized to `resolution`. */
class AnalogSignal {
  private walk = 0;
  constructor(
    readonly tag: string,
    readonly base: number,
    readonly amplitude: number,
    readonly noise: number,
    readonly resolution: number,
  ) {}
  value(t: number): number {
    this.walk = this.walk * 0.999 + gauss() * this.noise * 0.2;
    const x = this.base + this.amplitude * Math.sin((2 * Math.PI * t) / DAY) + this.walk + gauss() * this.noise;
    // Divide by the integer 1/resolution so the result is the exact decimal (60.07, not 60.07000000000001).
    return Math.round(x / this.resolution) / Math.round(1 / this.resolution);
  }
}

/** Slow tags: setpoints and counters that change every few minutes; discrete: run/fault states. */
class SlowSignal {
  private current: number | boolean;
  private nextChange = 0;
  constructor(
    readonly tag: string,
    readonly discrete: boolean,
  ) {
    this.current = discrete ? false : 20;
  }
  value(t: number): number | boolean {
    if (t >= this.nextChange) {
      this.current = this.discrete
        ? !this.current
        : Math.round((this.current as number) + (rand() - 0.5) * 20) / 10 + 0;
      if (!this.discrete) this.current = Math.round((this.current as number) * 10) / 10;
      this.nextChange = t + (this.discrete ? 600_000 + rand() * 3_000_000 : 120_000 + rand() * 480_000);
    }
    return this.current;
  }
}

type Signal = { tag: string; next(t: number): Sample };
function analog(tag: string, base: number, amp: number, noise: number, res: number): Signal {
  const s = new AnalogSignal(tag, base, amp, noise, res);
  return { tag, next: (t) => ({ tag, value: s.value(t), quality: GOOD, sourceTime: t, receiveTime: t + 5 }) };
}
function slow(tag: string, discrete: boolean): Signal {
  const s = new SlowSignal(tag, discrete);
  return { tag, next: (t) => ({ tag, value: s.value(t), quality: GOOD, sourceTime: t, receiveTime: t + 5 }) };
}

const mix: Signal[] = [];
for (let i = 0; i < 20; i++) mix.push(analog(`BENCH.AN${String(i).padStart(2, '0')}.PV`, 40 + i, 5, 0.03, 0.01));
for (let i = 0; i < 10; i++) mix.push(slow(`BENCH.SP${String(i).padStart(2, '0')}.SV`, false));
for (let i = 0; i < 10; i++) mix.push(slow(`BENCH.DI${String(i).padStart(2, '0')}.RUN`, true));
const yearTag = analog(QUERY_TAG, 70, 8, 0.03, 0.01);

/** Samples of `signals` each second (±20 ms jitter) over [from, to), in chunks of about `chunk`. */
function* generate(signals: Signal[], from: number, to: number, chunk: number): Generator<Sample[]> {
  let out: Sample[] = [];
  for (let t = from; t < to; t += 1000) {
    for (const s of signals) out.push(s.next(t + Math.round(rand() * 40 - 20)));
    if (out.length >= chunk) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

function policies(tag: string) {
  if (tag.includes('.DI')) return resolveStoragePolicy(undefined, { kind: 'digital' });
  if (tag.includes('.SP')) return resolveStoragePolicy({ heartbeatS: 600 }, { kind: 'analog' });
  return resolveStoragePolicy(undefined, { kind: 'analog' });
}

async function prefill(h: Historian, signals: Signal[], from: number, to: number): Promise<number> {
  let n = 0;
  for (const chunk of generate(signals, from, to, 50_000)) {
    h.ingest(chunk);
    n += chunk.length;
    if (h.status().bufferedSamples >= 400_000) await h.flush();
  }
  await h.flush();
  return n;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-historian-'));
  const file = join(dir, 'history.db');
  const out: Record<string, unknown> = {};
  try {
    let h = openHistorian({ file, policies, retention: { rawDays: 400 }, retentionIntervalMs: 3_600_000 });
    const prefillStarted = performance.now();
    let received = await prefill(h, [yearTag], YEAR_START, END);
    received += await prefill(h, mix, END - mixDays * DAY, END - INGEST_MS);
    const prefillS = (performance.now() - prefillStarted) / 1000;
    const prefillStored = h.status().storedSamples;
    await h.close();

    // Sustained ingest into the filled database: the last day of the mix.
    const reopenStarted = performance.now();
    h = openHistorian({ file, policies, retention: { rawDays: 400 }, retentionIntervalMs: 3_600_000 });
    // Opening runs the start-up check (quick_check above 64 MB) and restores every tag's state.
    out.reopen_ms = Math.round(performance.now() - reopenStarted);
    // Samples are made on the fly in driver-sized batches (as drivers hand them over); the
    // time spent making them is measured and not counted as the historian's.
    const source = generate(mix, END - INGEST_MS, END, 2_000);
    let total = 0;
    let generationMs = 0;
    const gcPauses: number[] = [];
    const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcPauses.push(e.duration)));
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let maxLag = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 2);
      last = now;
    }, 2);
    await new Promise((r) => setTimeout(r, 20));
    delay.enable();
    gcObserver.observe({ entryTypes: ['gc'] });
    maxLag = 0;
    last = performance.now();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const feed = () => {
        // Back off while the writer has more than ~0.2 s of work queued (drivers would be
        // handing over their next poll's batches meanwhile).
        for (let k = 0; k < 4 && h.status().bufferedSamples < 200_000; k++) {
          const g0 = performance.now();
          const next = source.next();
          generationMs += performance.now() - g0;
          if (next.done) return resolve();
          h.ingest(next.value);
          total += next.value.length;
        }
        setImmediate(feed);
      };
      feed();
    });
    await h.flush();
    const elapsed = (performance.now() - started - generationMs) / 1000;
    delay.disable();
    gcObserver.disconnect();
    clearInterval(probe);
    out.ingest_samples_per_s = Math.round(total / elapsed);
    out.max_event_loop_block_ms = Math.round(Math.max(maxLag, delay.max / 1e6) * 10) / 10;
    out.event_loop_delay_p99_ms = Math.round((delay.percentile(99) / 1e6) * 10) / 10;
    out.slowest_write_slice_ms = h.status().slowestWriteMs;
    out.gc_pause_max_ms = Math.round(Math.max(0, ...gcPauses) * 10) / 10;
    const storedTotal = prefillStored + h.status().storedSamples;
    await h.close();

    const db = new Database(file, { readonly: true });
    const stored = (
      db.prepare('SELECT sum(s.n) AS n FROM segments s JOIN series r ON r.id = s.series_id WHERE r.tier = 0').get() as {
        n: number;
      }
    ).n;
    db.close();
    const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    out.bytes_per_sample = Math.round((bytes / stored) * 100) / 100;

    // Queries from cold connections (a new connection each time; the median of 5).
    const cold = (fn: (r: ReturnType<typeof openHistoryReader>) => unknown): number => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        const reader = openHistoryReader(file);
        fn(reader);
        times.push(performance.now() - t0);
        reader.close();
      }
      times.sort((a, b) => a - b);
      return Math.round((times[2] as number) * 100) / 100;
    };
    const mid = END - 180 * DAY;
    let rawCount = 0;
    out.query_raw_1h_ms = cold((r) => (rawCount = r.queryRaw(QUERY_TAG, mid, mid + 3_600_000).t.length));
    let points = { d1: 0, d30: 0, d365: 0 };
    out.query_1d_ms = cold((r) => (points.d1 = r.queryTrend(QUERY_TAG, END - DAY, END, 2000).t.length));
    out.query_30d_ms = cold((r) => (points.d30 = r.queryTrend(QUERY_TAG, END - 30 * DAY, END, 2000).t.length));
    out.query_365d_ms = cold((r) => (points.d365 = r.queryTrend(QUERY_TAG, END - 365 * DAY, END, 2000).t.length));
    points = { ...points };

    Object.assign(out, {
      prefill_samples_received: received,
      prefill_s: Math.round(prefillS * 10) / 10,
      ingest_samples: total,
      stored_samples: stored,
      stored_samples_counted: storedTotal,
      file_mb: Math.round((bytes / 1048576) * 10) / 10,
      raw_1h_points: rawCount,
      trend_buckets: points,
      tags: mix.length + 1,
      note: 'shared machine: CPU contended by other work',
      ...benchMeta(
        `historian replay: ${mix.length + 1} tags at about a day per 1.4 s (bulk history, not a live station: see bench:historian-live)`,
      ),
    });
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

await main();
