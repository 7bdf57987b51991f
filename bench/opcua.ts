/**
 * `npm run bench:opcua` — 10,000 monitored items, each changing every second, on the
 * simulator's OPC UA server in its own process; the OPC UA driver in this process.
 *
 * Which items: the simulator's analog measurements. Before the run a plain client reads
 * every candidate three times, one second apart, and keeps those that changed both times
 * (a stopped pump's speed does not change), so every monitored item is expected to report
 * once per sampling interval: expected_per_s = items × 1000 / samplingMs.
 *
 * Prints one JSON line: monitored_items, notifications_per_s, expected_per_s,
 * client_cpu_pct (this process over the measurement window), server_cpu_pct (the
 * simulator process, from /proc/<pid>/stat), subscribe_ms (subscribe until every item has
 * reported a Good value).
 *
 * Options: --items N (10000), --seconds S (20, measurement window), --sampling-ms M (1000),
 * --publishing-ms M (1000).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AttributeIds, OPCUAClient, type ClientSession } from 'node-opcua';
import type { Sample } from '../protocols/driver.js';
import { opcuaDeviceSchema, type OpcuaAddress } from '../protocols/opcua/config.js';
import { createOpcuaDriver } from '../protocols/opcua/index.js';
import { certificateManagerFor } from '../protocols/opcua/certificates.js';
import { catalog } from '../simulator/catalog.js';
import { freePort } from '../test/support/ports.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    'sampling-ms': { type: 'string', default: '1000' },
    'publishing-ms': { type: 'string', default: '1000' },
  },
});
const wantedItems = Number(args.items);
const measureSeconds = Number(args.seconds);
const samplingMs = Number(args['sampling-ms']);
const publishingMs = Number(args['publishing-ms']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const note = (line: string) => process.stderr.write(`bench:opcua ${line}\n`);

/** Analog measurements (read-only) are the signals that move with the physics and its noise. */
const candidateSignals = catalog.filter((t) => t.kind === 'analog' && !t.writable).map((t) => t.signal);
// About two thirds of the candidates change every second; start enough substations (at most 247).
const substations = Math.min(247, Math.ceil((wantedItems * 1.6) / candidateSignals.length));

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function processCpuSeconds(pid: number, ticks: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 is index 0: utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

async function startSimulatorProcess(port: number, pkiDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'simulator', 'cli.ts'), '--substations', String(substations), '--opcua-port', String(port), '--modbus-port', '0', '--pki', pkiDir],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within 120 s:\n${out}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}:\n${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/OPC UA: opc\.tcp:/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

async function readAll(session: ClientSession, nodeIds: readonly string[]): Promise<unknown[]> {
  const values: unknown[] = [];
  for (let i = 0; i < nodeIds.length; i += 5000) {
    const chunk = nodeIds.slice(i, i + 5000);
    const dvs = await session.read(chunk.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
    for (const dv of dvs) values.push(dv.value?.value);
  }
  return values;
}

/** Items that changed on each of two one-second intervals, read by a plain client. */
async function liveItems(endpoint: string, pkiDir: string): Promise<string[]> {
  const candidates: string[] = [];
  for (let k = 1; k <= substations; k++) for (const signal of candidateSignals) candidates.push(`ns=1;s=SS${String(k).padStart(2, '0')}.${signal}`);
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 3, initialDelay: 500, maxDelay: 2000 },
    clientName: 'bench calibration',
    clientCertificateManager: await certificateManagerFor(pkiDir),
  });
  await client.connect(endpoint);
  const session = await client.createSession();
  try {
    const a = await readAll(session, candidates);
    await sleep(1000);
    const b = await readAll(session, candidates);
    await sleep(1000);
    const c = await readAll(session, candidates);
    return candidates.filter((_, i) => a[i] !== b[i] && b[i] !== c[i]);
  } finally {
    await session.close();
    await client.disconnect();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'argus-bench-opcua-'));
  const port = await freePort();
  const ticks = clockTicksPerSecond();
  note(`starting the simulator with ${substations} substations on port ${port}`);
  const child = await startSimulatorProcess(port, join(work, 'server-pki'));
  const endpoint = `opc.tcp://127.0.0.1:${port}`;
  try {
    const live = await liveItems(endpoint, join(work, 'calibration-pki'));
    const nodes = live.slice(0, wantedItems);
    note(`${live.length} items change every second; monitoring ${nodes.length}`);

    const device = opcuaDeviceSchema.parse({ name: 'BENCH', protocol: 'opcua', endpointUrl: endpoint, samplingMs, publishingMs });
    const driver = createOpcuaDriver(device, { pkiDir: join(work, 'client-pki') });
    const reported = new Set<string>();
    let goodSamples = 0;
    let subscribeDone = 0;
    const tags = nodes.map((nodeId, i) => ({ name: `T${i}`, address: { nodeId } satisfies OpcuaAddress, intervalMs: samplingMs }));
    const onSamples = (samples: readonly Sample[]) => {
      for (const s of samples) {
        if (s.quality.code !== 'Good') continue;
        goodSamples += 1;
        if (!subscribeDone) {
          reported.add(s.tag);
          if (reported.size === tags.length) subscribeDone = performance.now();
        }
      }
    };
    const subscribeStart = performance.now();
    driver.subscribe(tags, onSamples);
    await driver.connect();
    const deadline = Date.now() + 60_000;
    while (!subscribeDone && Date.now() < deadline) await sleep(20);
    if (!subscribeDone) throw new Error(`only ${reported.size} of ${tags.length} items reported within 60 s`);
    const subscribeMs = Math.round(subscribeDone - subscribeStart);

    await sleep(3000); // settle: initial values and the first publishes are behind us
    const samples0 = goodSamples;
    const cpu0 = process.cpuUsage();
    const server0 = processCpuSeconds(child.pid!, ticks);
    const t0 = performance.now();
    await sleep(measureSeconds * 1000);
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const serverCpuS = processCpuSeconds(child.pid!, ticks) - server0;
    const notifications = goodSamples - samples0;
    const status = driver.status();
    await driver.close();

    const result = {
      monitored_items: tags.length,
      notifications_per_s: Math.round(notifications / elapsedS),
      expected_per_s: Math.round((tags.length * 1000) / samplingMs),
      client_cpu_pct: Math.round(((cpu.user + cpu.system) / 1e6 / elapsedS) * 1000) / 10,
      server_cpu_pct: Math.round((serverCpuS / elapsedS) * 1000) / 10,
      subscribe_ms: subscribeMs,
      sampling_ms: samplingMs,
      publishing_ms: Number(status.diagnostics.publishingIntervalMs),
      substations,
      window_s: Math.round(elapsedS * 10) / 10,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:opcua failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
