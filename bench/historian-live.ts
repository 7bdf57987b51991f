/**
 * The historian at plant rates (`npm run bench:historian-live`): 10,000 tags written every
 * second, the way a live station writes them — each second's samples go through the
 * HistoryFeed into one `ingest()`, then `await flush()` (as the runtime's flush timer does).
 *
 * Workload: 70 % noisy analog random walks at realistic resolutions (0.001 … 1), 20 % slow
 * or quiet analog (setpoints, totals, standby values), 10 % digital (run / fault states),
 * with the station's default storage policies (every change, heartbeats 60 s / 600 s).
 *
 * Phases, in one temporary folder (never the repository):
 * 1. real time: one simulated second per wall-clock second for `--realtime-s` (≥ 60)
 *    seconds: CPU of the process (sample generation excluded) and event-loop blocking;
 * 2. unpaced: the same batches as fast as the historian takes them, up to `--simulated-s`
 *    (default 2 h) — catching up after an outage; disk bytes per stored sample, bytes the
 *    process wrote (`/proc/self/io`) against the final size, WAL size, a 1-hour query;
 * 3. kill -9: a child process writes unpaced and is killed at a random moment, twice
 *    (the second run continues the first one's file); after each, the history is opened
 *    again and every sample the child had seen acknowledged (its flush resolved) is looked
 *    up, value included.
 *
 * Prints one JSON line. Options: --tags N, --realtime-s N, --simulated-s N, --kill-rounds N, --seal-s N
 * (the historian's `sealSpanMs` in seconds, default its own), --keep, --cpu-blocks.
 *
 * --cpu-blocks (Linux): the event-loop blocks of the real-time phase also in CPU time of the
 * main thread (`/proc/thread-self/schedstat` read at every tick of the 2 ms probe): on a
 * machine shared with other work a block's wall time is mostly the time the process waited
 * for a core, its CPU time is what a quiet machine would see (a little more: contention slows
 * the CPU too; GC helper threads are not counted). Off by default, so that the default figures
 * stay those of earlier runs (the reads, 500 a second, cost about 0.1 % of a core, which
 * `cpu_pct_at_rate` would include).
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { GOOD, type Sample } from '../protocols/driver.js';
import { HistoryFeed } from '../main/runtime/tags/history-feed.js';
import type { TagUpdate } from '../main/runtime/tags/tag-table.js';
import {
  openHistorian,
  resolveStoragePolicy,
  type Historian,
  type StoragePolicy,
} from '../main/runtime/historian/index.js';
import { createRandom, gaussian } from '../simulator/physics/prng.js';

const args = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

const T0 = Date.UTC(2026, 10, 2, 6, 0, 0);

// Deterministic pseudo-random numbers: the simulator's own seeded source.
const rand = createRandom(2463534242);
const gauss = (): number => gaussian(rand);

interface Signal {
  readonly tag: string;
  readonly kind: 'analog' | 'digital';
  next(t: number): number | boolean;
}

/** Round to a resolution given as its number of decimals, exactly (60.07, not 60.07000000000001). */
function quantize(x: number, decimals: number): number {
  const p = 10 ** decimals;
  return Math.round(x * p) / p;
}

/** A noisy process value: mean-reverting random walk plus sensor noise, at the instrument's resolution. */
function noisyAnalog(tag: string, decimals: number): Signal {
  const step = 10 ** -decimals;
  const base = (200 + rand() * 800) * step;
  const noise = (1 + rand() * 12) * step;
  let walk = 0;
  return {
    tag,
    kind: 'analog',
    next() {
      walk = walk * 0.995 + gauss() * noise * 0.5;
      return quantize(base + walk + gauss() * noise, decimals);
    },
  };
}

/** Setpoints and quiet values: a new value every few minutes, or almost never. */
function slowAnalog(tag: string, quiet: boolean): Signal {
  let value = quantize(20 + rand() * 60, 1);
  let nextChange = 0;
  return {
    tag,
    kind: 'analog',
    next(t) {
      if (t >= nextChange) {
        if (nextChange > 0) value = quantize(value + (rand() - 0.5) * 4, 1);
        nextChange = t + (quiet ? 3_600_000 + rand() * 7_200_000 : 120_000 + rand() * 480_000);
      }
      return value;
    },
  };
}

function digital(tag: string): Signal {
  let state = rand() < 0.5;
  let nextChange = 0;
  return {
    tag,
    kind: 'digital',
    next(t) {
      if (t >= nextChange) {
        if (nextChange > 0) state = !state;
        nextChange = t + 600_000 + rand() * 3_000_000;
      }
      return state;
    },
  };
}

const RESOLUTIONS = [2, 2, 2, 1, 1, 3, 2, 1, 0, 2]; // decimals: mostly 0.01 and 0.1, some 0.001 and 1

function workload(count: number): Signal[] {
  const signals: Signal[] = [];
  for (let i = 0; i < count; i++) {
    const station = `SS${String(Math.floor(i / 200) + 1).padStart(2, '0')}`;
    const k = i % 10;
    const n = String(i).padStart(5, '0');
    if (k < 7) signals.push(noisyAnalog(`${station}.AI${n}.PV`, RESOLUTIONS[i % RESOLUTIONS.length] as number));
    else if (k < 9) signals.push(slowAnalog(`${station}.SP${n}.SV`, k === 8));
    else signals.push(digital(`${station}.DI${n}.RUN`));
  }
  return signals;
}

const policyOf = new Map<string, StoragePolicy>();
function policies(signals: readonly Signal[]): (tag: string) => StoragePolicy {
  for (const s of signals) policyOf.set(s.tag, resolveStoragePolicy(undefined, { kind: s.kind }));
  return (tag) => policyOf.get(tag) ?? resolveStoragePolicy(undefined, { kind: 'analog' });
}

/** One simulated second of updates as the tag table hands them over (±20 ms source-time jitter). */
function updatesAt(signals: readonly Signal[], second: number): TagUpdate[] {
  const t = T0 + second * 1000;
  const out: TagUpdate[] = new Array(signals.length);
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as Signal;
    const st = t + Math.round(rand() * 40 - 20);
    const sample: Sample = { tag: s.tag, value: s.next(st), quality: GOOD, sourceTime: st, receiveTime: st + 7 };
    out[i] = { sample, changed: true };
  }
  return out;
}

function processIo(): { writeBytes: number; wchar: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { writeBytes: field('write_bytes'), wchar: field('wchar') };
}

/** Everything the historian keeps on disk: the file, its WAL and shared memory, and anything else next to it. */
function bytesOnDisk(dir: string): { total: number; byFile: Record<string, number> } {
  const byFile: Record<string, number> = {};
  let total = 0;
  for (const f of readdirSync(dir)) {
    if (!f.startsWith('history.db')) continue;
    const st = statSync(join(dir, f));
    // Allocated blocks, not the apparent size: what the disk really holds.
    const size = Math.max(st.size, st.blocks * 512);
    byFile[f] = size;
    total += size;
  }
  return { total, byFile };
}

/** The main thread's CPU time so far, ms (Linux: the first field of /proc/thread-self/schedstat, ns), read through one descriptor. */
function threadCpuClock(): () => number {
  const fd = openSync('/proc/thread-self/schedstat', 'r');
  const buf = Buffer.alloc(128);
  return () => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    return Number(buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'main/runtime/historian', 'bench/historian-live.ts'],
      { encoding: 'utf8' },
    ).trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    // Run from an exported tree (no git): the exporter says which commit it is.
    return process.env.ARGUS_COMMIT ?? 'unknown';
  }
}

/**
 * Bytes written, by kind, sampled after every flush: the journal files' sizes (they only
 * grow until deleted) and the WAL frames appended (the frame count in the WAL index,
 * `-shm` offset 16, which starts over when the WAL does).
 */
class WrittenBytes {
  journalBytes = 0;
  walFrames = 0;
  private readonly seen = new Map<string, number>();
  private lastFrame = 0;
  private readonly header = Buffer.alloc(20);

  constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  sample(): void {
    for (const f of readdirSync(this.dir)) {
      if (!f.startsWith('history.db.journal-0')) continue;
      let size: number;
      try {
        size = statSync(join(this.dir, f)).size;
      } catch {
        continue;
      }
      const before = this.seen.get(f) ?? 0;
      if (size > before) {
        this.journalBytes += size - before;
        this.seen.set(f, size);
      }
    }
    let frame: number;
    try {
      const fd = openSync(`${this.file}-shm`, 'r');
      try {
        readSync(fd, this.header, 0, 20, 0);
      } finally {
        closeSync(fd);
      }
      frame = this.header.readUInt32LE(16);
    } catch {
      return;
    }
    this.walFrames += frame >= this.lastFrame ? frame - this.lastFrame : frame;
    this.lastFrame = frame;
  }
}

// ---------------------------------------------------------------------------- kill -9

let KILL_TAGS = 10_000;
/** The child's deterministic value for tag i at tick k: 0.01 resolution, never equal to the previous tick's. */
function killValue(i: number, k: number): number {
  return (
    (Math.round(200 + i * 3 + 40 * Math.sin(k / 300 + i)) * 100 + (k % 2) * 50 + ((i * 7919 + k * 104729) % 49)) / 100
  );
}
const killTag = (i: number) => `KILL.T${String(i).padStart(5, '0')}.PV`;

/** The writer that gets killed: unpaced, every flush acknowledged in the progress file (synchronous writes survive kill -9). */
async function childWriter(file: string, progressFile: string, resume: number, tagCount: number): Promise<void> {
  KILL_TAGS = tagCount;
  const progress = openSync(progressFile, 'a');
  const log = (line: string) => writeSync(progress, line + '\n');
  const h = openHistorian({ file });
  const tags = Array.from({ length: KILL_TAGS }, (_, i) => killTag(i));
  log(`S ${h.status().level}`);
  for (let k = resume; ; k++) {
    log(`I ${k}`);
    const t = T0 + k * 1000;
    h.ingest(
      tags.map((tag, i): Sample => ({ tag, value: killValue(i, k), quality: GOOD, sourceTime: t, receiveTime: t })),
    );
    await h.flush();
    const s = h.status();
    if (s.level !== 'ok' || s.bufferedSamples > 0) log(`E ${s.message}`);
    else log(`F ${k}`);
  }
}

interface KillRound {
  acknowledgedThrough: number;
  lost: number;
  wrongValues: number;
  killedAfterMs: number;
}

async function killRounds(
  dir: string,
  rounds: number,
): Promise<{ lost: number; details: KillRound[]; integrity: string }> {
  const file = join(dir, 'kill.db');
  const progressFile = join(dir, 'kill.progress');
  const details: KillRound[] = [];
  let resume = 0;
  /** Ticks acknowledged in earlier rounds: they must survive the later kills too. */
  const acknowledged: Array<[number, number]> = [];
  let integrity = 'ok';
  for (let r = 0; r < rounds; r++) {
    writeFileSync(progressFile, '');
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', file, progressFile, String(resume), String(KILL_TAGS)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    const lines = () => readFileSync(progressFile, 'utf8').split('\n');
    // Wait for the first acknowledged flush, then kill at a random moment.
    for (;;) {
      await new Promise((res) => setTimeout(res, 20));
      if (lines().some((l) => l.startsWith('F '))) break;
      if (proc.exitCode !== null) throw new Error(`kill -9 writer exited early: ${stderr.slice(-2000)}`);
    }
    const wait = 1000 + rand() * 6000;
    await new Promise((res) => setTimeout(res, wait));
    proc.kill('SIGKILL');
    await exited;
    const all = lines();
    const errors = all.filter((l) => l.startsWith('E '));
    if (errors.length > 0) throw new Error(`kill -9 writer reported: ${errors[0]}`);
    const last = (prefix: string) =>
      Math.max(-1, ...all.filter((l) => l.startsWith(prefix)).map((l) => Number(l.slice(2))));
    const flushed = last('F ');
    const ingested = last('I ');
    acknowledged.push([resume, flushed]);

    // Restart: open the history again and look every acknowledged sample up.
    const db = new Database(file);
    const check = db.pragma('integrity_check', { simple: true }) as string;
    db.close();
    if (check !== 'ok') integrity = check;
    const h = openHistorian({ file, flushIntervalMs: 3_600_000 });
    let lost = 0;
    let wrong = 0;
    for (let i = 0; i < KILL_TAGS; i++) {
      const raw = h.queryRaw(killTag(i), T0, T0 + 1e10, 1_000_000);
      const byTick = new Map<number, unknown>();
      raw.t.forEach((t, j) => byTick.set((t - T0) / 1000, raw.v[j]));
      for (const [from, to] of acknowledged) {
        for (let k = from; k <= to; k++) {
          if (!byTick.has(k)) lost++;
          else if (byTick.get(k) !== killValue(i, k)) wrong++;
        }
      }
    }
    await h.close();
    details.push({ acknowledgedThrough: flushed, lost, wrongValues: wrong, killedAfterMs: Math.round(wait) });
    resume = ingested + 1;
  }
  return { lost: details.reduce((a, d) => a + d.lost + d.wrongValues, 0), details, integrity };
}

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const tagCount = option('--tags', 10_000);
  const realtimeS = Math.max(1, option('--realtime-s', 65));
  const simulatedS = Math.max(realtimeS, option('--simulated-s', 7200));
  const rounds = option('--kill-rounds', 2);
  const keep = args.includes('--keep');
  KILL_TAGS = tagCount;
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-historian-live-'));
  const file = join(dir, 'history.db');
  const out: Record<string, unknown> = {};
  const loadAtStart = loadavg()[0] as number;
  try {
    const signals = workload(tagCount);
    const sealS = option('--seal-s', NaN);
    const h: Historian = openHistorian({
      file,
      policies: policies(signals),
      ...(Number.isFinite(sealS) ? { sealSpanMs: sealS * 1000 } : {}),
    });
    const bytes = new WrittenBytes(dir, file);
    const feed = new HistoryFeed();
    const io0 = processIo();
    let second = 0;
    let received = 0;
    let generationCpuUs = 0;
    const cpuOf = (u: NodeJS.CpuUsage) => u.user + u.system;
    // The longest second of sample generation in main-thread CPU (--cpu-blocks): it runs on the same event loop.
    let generationMaxTickMs = 0;
    let generationClock: (() => number) | null = null;
    const tick = (): Sample[] => {
      const c0 = process.cpuUsage();
      const g0 = generationClock?.() ?? 0;
      const fresh = feed.select(updatesAt(signals, second++));
      if (generationClock) generationMaxTickMs = Math.max(generationMaxTickMs, generationClock() - g0);
      generationCpuUs += cpuOf(process.cpuUsage(c0));
      received += fresh.length;
      return fresh;
    };

    // 1. Real time.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let maxLag = 0;
    let last = performance.now();
    // Where the longest blocks fell (second of the real-time run), to tell a start-up cost from a steady one.
    const blocks: { s: number; ms: number }[] = [];
    // Main-thread CPU between two ticks of the probe (--cpu-blocks).
    const cpuClock = args.includes('--cpu-blocks') ? threadCpuClock() : null;
    generationClock = cpuClock;
    const cpuBlocks: { s: number; ms: number }[] = [];
    let maxCpuBlock = 0;
    let lastCpu = cpuClock?.() ?? 0;
    const probe = setInterval(() => {
      const now = performance.now();
      const lag = now - last - 2;
      maxLag = Math.max(maxLag, lag);
      if (lag > 20) blocks.push({ s: round1((now - wall0) / 1000), ms: round1(lag) });
      last = now;
      if (cpuClock) {
        const cpu = cpuClock();
        const used = cpu - lastCpu;
        lastCpu = cpu;
        if (used > maxCpuBlock) maxCpuBlock = used;
        if (used > 10) cpuBlocks.push({ s: round1((now - wall0) / 1000), ms: round1(used) });
      }
    }, 2);
    // Garbage collection pauses, to tell them from long writes.
    let gcMax = 0;
    let gcMajorMax = 0;
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gcMax = Math.max(gcMax, e.duration);
        if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === 4)
          gcMajorMax = Math.max(gcMajorMax, e.duration);
      }
    });
    gc.observe({ entryTypes: ['gc'] });
    delay.enable();
    const cpu0 = process.cpuUsage();
    generationCpuUs = 0;
    const wall0 = performance.now();
    for (let k = 0; k < realtimeS; k++) {
      h.ingest(tick());
      await h.flush();
      bytes.sample();
      const due = wall0 + (k + 1) * 1000;
      await new Promise((res) => setTimeout(res, Math.max(0, due - performance.now())));
    }
    const wallS = (performance.now() - wall0) / 1000;
    const cpuUs = cpuOf(process.cpuUsage(cpu0)) - generationCpuUs;
    delay.disable();
    out.cpu_pct_at_rate = round1((cpuUs / 1e6 / wallS) * 100);
    out.max_event_loop_block_ms = round1(Math.max(maxLag, delay.max / 1e6));
    out.event_loop_delay_p99_ms = round1(delay.percentile(99) / 1e6);
    out.event_loop_blocks_over_20ms = blocks.sort((a, b) => b.ms - a.ms).slice(0, 8);
    if (cpuClock) {
      out.max_event_loop_block_cpu_ms = round1(maxCpuBlock);
      out.event_loop_blocks_cpu_over_10ms = cpuBlocks.sort((a, b) => b.ms - a.ms).slice(0, 8);
      out.event_loop_blocks_cpu_over_10ms_count = cpuBlocks.length;
      out.event_loop_blocks_cpu_over_20ms_count = cpuBlocks.filter((b) => b.ms > 20).length;
      out.generation_max_tick_cpu_ms = round1(generationMaxTickMs);
      generationClock = null;
    }
    out.realtime_wall_s = round1(wallS);
    out.max_gc_pause_ms = round1(gcMax);
    out.max_major_gc_pause_ms = round1(gcMajorMax);
    out.slowest_write_slice_realtime_ms = h.status().slowestWriteMs;
    gc.disconnect();
    out.generation_cpu_pct = round1((generationCpuUs / 1e6 / wallS) * 100);

    // 2. Unpaced, to the simulated span.
    delay.reset();
    delay.enable();
    maxLag = 0;
    last = performance.now();
    let maxWal = 0;
    const unpaced0 = performance.now();
    const unpacedCpu0 = process.cpuUsage();
    const unpacedGen0 = generationCpuUs;
    const unpacedFrom = second;
    while (second < simulatedS) {
      h.ingest(tick());
      await h.flush();
      bytes.sample();
      if (second % 60 === 0) {
        try {
          maxWal = Math.max(maxWal, statSync(`${file}-wal`).size);
        } catch {
          // no WAL at this moment
        }
      }
    }
    const unpacedWall = (performance.now() - unpaced0) / 1000;
    const unpacedCpu = (cpuOf(process.cpuUsage(unpacedCpu0)) - (generationCpuUs - unpacedGen0)) / 1e6;
    delay.disable();
    clearInterval(probe);
    out.unpaced_max_event_loop_block_ms = round1(Math.max(maxLag, delay.max / 1e6));
    out.unpaced_simulated_s_per_wall_s = round1((second - unpacedFrom) / unpacedWall);
    out.unpaced_cpu_s_per_simulated_s = round2((unpacedCpu / (second - unpacedFrom)) * 1000) / 1000;
    out.max_wal_mb = round1(maxWal / 1048576);

    const status = h.status();
    const disk = bytesOnDisk(dir);
    const io1 = processIo();
    out.bytes_per_sample_on_disk = round2(disk.total / status.storedSamples);
    out.write_amplification = round2((io1.writeBytes - io0.writeBytes) / disk.total);
    out.write_amplification_syscalls = round2((io1.wchar - io0.wchar) / disk.total);
    // Where the written bytes go: the journal files (written once), the WAL (SQLite's pages,
    // counted as frames), and the rest (checkpoints copying pages into the file, metadata).
    const written = io1.writeBytes - io0.writeBytes;
    const journalMb = bytes.journalBytes / 1048576;
    const walMb = (bytes.walFrames * 4120) / 1048576;
    out.written_mb = {
      total: round1(written / 1048576),
      journal: round1(journalMb),
      wal: round1(walMb),
      checkpoints_and_other: round1(written / 1048576 - journalMb - walMb),
    };
    out.written_bytes_per_stored_sample = round2(written / h.status().storedSamples);
    out.disk_mb = Object.fromEntries(Object.entries(disk.byFile).map(([f, b]) => [f, round1(b / 1048576)]));
    out.stored_samples = status.storedSamples;
    out.received_samples = received;
    out.slowest_write_slice_ms = status.slowestWriteMs;

    // The last hour of 10 noisy analog tags, as a trend window asks for it (median of 5).
    const queryTags = signals
      .filter((s) => s.tag.includes('.AI'))
      .slice(0, 10)
      .map((s) => s.tag);
    const end = T0 + second * 1000;
    const times: number[] = [];
    let points = 0;
    for (let k = 0; k < 5; k++) {
      const q0 = performance.now();
      points = 0;
      for (const tag of queryTags) points += h.queryRaw(tag, end - 3_600_000, end).t.length;
      times.push(performance.now() - q0);
    }
    times.sort((a, b) => a - b);
    out.query_1h_10tags_ms = round2(times[2] as number);
    out.query_1h_10tags_points = points;
    const close0 = performance.now();
    await h.close();
    out.close_ms = Math.round(performance.now() - close0);

    // The figures so far, in case the kill -9 phase does not finish.
    process.stderr.write(`phases 1-2: ${JSON.stringify(out)}\n`);

    // 3. kill -9.
    const kill = await killRounds(dir, rounds);
    out.kill9_lost_samples = kill.lost;
    out.kill9_rounds = kill.details;
    out.kill9_integrity = kill.integrity;

    const analogShare = signals.filter((s) => s.tag.includes('.AI')).length / tagCount;
    Object.assign(out, {
      tags: tagCount,
      rate_hz: 1,
      simulated_s: second,
      workload: {
        noisy_analog: round2(analogShare),
        slow_or_quiet_analog: round2(signals.filter((s) => s.tag.includes('.SP')).length / tagCount),
        digital: round2(signals.filter((s) => s.tag.includes('.DI')).length / tagCount),
        resolutions: '0.001 / 0.01 / 0.1 / 1',
        policies: 'station defaults (every change; heartbeat 60 s analog, 600 s digital)',
        feed: 'one second of all tags per ingest through HistoryFeed, then await flush()',
        kill9: `${KILL_TAGS} tags unpaced, ${rounds} kills`,
      },
      commit: commit(),
      date: new Date().toISOString(),
      cpus: cpus().length,
      load_avg_1m: [round2(loadAtStart), round2(loadavg()[0] as number)],
      loadavg_1m: round2(loadAtStart),
      note: 'shared machine: other work runs on the same cores (load_avg_1m at start and end); CPU figures are CPU time, event-loop figures wall time',
    });
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

if (args[0] === '--child') {
  const [, file, progress, resume, tags] = args;
  if (!file || !progress) throw new Error('usage: historian-live.ts --child <db> <progress> <resume tick> <tags>');
  await childWriter(file, progress, Number(resume ?? 0), Number(tags ?? 10_000));
} else {
  await main();
}
