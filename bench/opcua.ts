/**
 * `npm run bench:opcua` — 10,000 monitored items, each changing every second, on the
 * simulator's OPC UA server in its own process; the OPC UA driver in this process.
 *
 * Which items: the simulator's analog measurements. Before the run a plain client reads
 * every candidate three times, one second apart, and keeps those that changed both times
 * (a stopped pump's speed does not change), so every monitored item is expected to report
 * once per sampling interval: expected_per_s = items × 1000 / samplingMs.
 *
 * What is counted (only real events):
 *  - notifications_per_s: DataChangeNotifications the client received (the driver's own
 *    `notificationsReceived` counter), not the samples it delivers;
 *  - reconfirmations_per_s: samples the driver delivered again unchanged (same source time)
 *    to show a quiet tag is still current; reported apart, never added to the above;
 *  - server_notifications_per_s: what the server says it sent, from its standard
 *    SubscriptionDiagnostics (dataChangeNotificationsCount of the driver's subscription), read
 *    by a second client: the server-side proof that every item changed every interval;
 *  - in_window_values_per_s: fresh values (new source time) whose source time lies inside the
 *    window, received by two publishing intervals and a second after it: what the server
 *    sampled in the window and delivered. notifications_per_s counts arrivals in the window,
 *    which a queue deeper than one can swell with values sampled before it (a backlog from a
 *    late server) — above expected_per_s, that is what it shows;
 *  - items_reporting_every_interval: items with a fresh value sampled in every sampling
 *    interval of the window (at least intervals − 1, for the window's edges).
 * Then the same items sampled and published every 100 ms (`fast_*`), the next goal.
 *
 * Read with the server's side in view: server_notifications_per_s is what the server says
 * it sent. When it is as low as the client's count, the values were lost before they left
 * the server, not in the driver. Where they can be lost there: node-opcua samples each item
 * on a shared setInterval per sampling rate and harvests the items' queues at each publish;
 * with a queue of one, a second sample before that publish overwrites the first (the driver
 * now asks for a publishing interval's worth plus one, `queue_size`; what still overflows
 * comes back marked and is counted in queue_overflows_per_s); and a server starved of CPU
 * runs its sampling timer late, and Node schedules the next tick a full interval after the
 * late one, so lateness is never caught up: it becomes samples not taken. Values in the
 * simulator change at every physics step (100 ms), so at 1,000 ms every sample is a change;
 * at 100 ms sampling and 100 ms steps, two timers of the same period meet: an interval
 * holding two steps reports one, one holding none reports nothing.
 *
 * Prints one JSON line: monitored_items, notifications_per_s, expected_per_s,
 * client_cpu_pct (this process over the measurement window), server_cpu_pct (the simulator
 * process, from /proc/<pid>/stat), subscribe_ms (subscribe until every item has reported a
 * Good value), fast_notifications_per_s, fast_expected_per_s, fast_client_cpu_pct, …,
 * with workload, commit, date and cpus.
 *
 * Options: --items N (10000), --seconds S (20, measurement window), --sampling-ms M (1000),
 * --publishing-ms M (1000), --fast-ms M (100; 0 skips the fast run), --fast-seconds S (10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AttributeIds, OPCUAClient, type ClientSession } from 'node-opcua';
import type { Sample } from '../protocols/driver.js';
import { opcuaDeviceSchema, type OpcuaAddress } from '../protocols/opcua/config.js';
import { createOpcuaDriver } from '../protocols/opcua/index.js';
import { certificateManagerFor } from '../protocols/opcua/certificates.js';
import { defaultQueueSize } from '../protocols/opcua/monitoring.js';
import { catalog } from '../simulator/catalog.js';
import { freePort } from '../test/support/ports.js';
import { benchMeta } from './meta.js';
import { processCpuSeconds } from './proc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    'sampling-ms': { type: 'string', default: '1000' },
    'publishing-ms': { type: 'string', default: '1000' },
    'fast-ms': { type: 'string', default: '100' },
    'fast-seconds': { type: 'string', default: '10' },
  },
});
const wantedItems = Number(args.items);
const measureSeconds = Number(args.seconds);
const samplingMs = Number(args['sampling-ms']);
const publishingMs = Number(args['publishing-ms']);
const fastMs = Number(args['fast-ms']);
const fastSeconds = Number(args['fast-seconds']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const note = (line: string) => process.stderr.write(`bench:opcua ${line}\n`);

/** Analog measurements (read-only) are the signals that move with the physics and its noise. */
const candidateSignals = catalog.filter((t) => t.kind === 'analog' && !t.writable).map((t) => t.signal);
// About two thirds of the candidates change every second; start enough substations (at most 247).
const substations = Math.min(247, Math.ceil((wantedItems * 1.6) / candidateSignals.length));

/** The server without its alarm conditions: this measures data changes, and 100+ substations' conditions only load the server. */
async function startSimulatorProcess(port: number, pkiDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'simulator', 'cli.ts'),
      '--substations',
      String(substations),
      '--opcua-port',
      String(port),
      '--modbus-port',
      '0',
      '--pki',
      pkiDir,
      '--no-opcua-conditions',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within 300 s:\n${out}`)), 300_000);
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

const candidates: string[] = [];
for (let k = 1; k <= substations; k++)
  for (const signal of candidateSignals) candidates.push(`ns=1;s=SS${String(k).padStart(2, '0')}.${signal}`);

async function readAll(session: ClientSession, nodeIds: readonly string[]): Promise<unknown[]> {
  const values: unknown[] = [];
  for (let i = 0; i < nodeIds.length; i += 5000) {
    const chunk = nodeIds.slice(i, i + 5000);
    const dvs = await session.read(chunk.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
    for (const dv of dvs) values.push(dv.value?.value);
  }
  return values;
}

interface PlainClient {
  readonly session: ClientSession;
  close(): Promise<void>;
}

/** A plain node-opcua client (not the driver): for calibration and the server's diagnostics. */
async function plainClient(endpoint: string, pkiDir: string): Promise<PlainClient> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 3, initialDelay: 500, maxDelay: 2000 },
    clientName: 'bench calibration',
    clientCertificateManager: await certificateManagerFor(pkiDir),
  });
  await client.connect(endpoint);
  const session = await client.createSession();
  return {
    session,
    close: async () => {
      await session.close();
      await client.disconnect();
    },
  };
}

/** Items that changed on each of two one-second intervals, read by a plain client. */
async function liveItems(session: ClientSession): Promise<string[]> {
  const a = await readAll(session, candidates);
  await sleep(1000);
  const b = await readAll(session, candidates);
  await sleep(1000);
  const c = await readAll(session, candidates);
  return candidates.filter((_, i) => a[i] !== b[i] && b[i] !== c[i]);
}

/** Server_ServerDiagnostics_SubscriptionDiagnosticsArray: per subscription, what the server counted. */
const SUBSCRIPTION_DIAGNOSTICS = 'ns=0;i=2290';

interface ServerSubscriptionCounts {
  readonly subscriptionId: number;
  readonly monitoredItemCount: number;
  readonly dataChangeNotificationsCount: number;
}

async function serverSubscriptionCounts(session: ClientSession): Promise<ServerSubscriptionCounts[]> {
  const dv = await session.read({ nodeId: SUBSCRIPTION_DIAGNOSTICS, attributeId: AttributeIds.Value });
  if (dv.statusCode.value >>> 30 !== 0)
    throw new Error(`the server's subscription diagnostics are not readable: ${dv.statusCode.name}`);
  const list = (dv.value?.value ?? []) as ServerSubscriptionCounts[];
  return [...list].map((d) => ({
    subscriptionId: d.subscriptionId,
    monitoredItemCount: d.monitoredItemCount,
    dataChangeNotificationsCount: d.dataChangeNotificationsCount,
  }));
}

/** The newest subscription holding `items` monitored items: the driver's. */
function driverSubscription(counts: readonly ServerSubscriptionCounts[], items: number): ServerSubscriptionCounts {
  const found = counts
    .filter((c) => c.monitoredItemCount === items)
    .sort((a, b) => b.subscriptionId - a.subscriptionId)[0];
  if (!found)
    throw new Error(
      `no subscription with ${items} monitored items in the server's diagnostics (${counts.map((c) => `${c.subscriptionId}:${c.monitoredItemCount}`).join(', ')})`,
    );
  return found;
}

interface RunFigures {
  readonly notificationsPerS: number;
  /** Fresh values with a source time inside the window: not inflated by a backlog from before it. */
  readonly inWindowValuesPerS: number;
  readonly expectedPerS: number;
  readonly reconfirmationsPerS: number;
  /** Notifications the server marked with the Overflow bit: its queue for the item dropped values. */
  readonly queueOverflowsPerS: number;
  readonly deliveredPerS: number;
  readonly serverNotificationsPerS: number | null;
  readonly serverCountPartial: boolean;
  /** Connection repairs and rebuilds during the window (each one loses notifications). */
  readonly rebuilds: number;
  readonly itemsReportingEveryInterval: number;
  readonly clientCpuPct: number;
  readonly serverCpuPct: number;
  readonly subscribeMs: number;
  readonly publishingMs: number;
  readonly windowS: number;
}

/** One driver on `nodes`, sampled every `sampling` ms: subscribe, settle, then count over `seconds`. */
async function measure(
  endpoint: string,
  pkiDir: string,
  nodes: readonly string[],
  sampling: number,
  publishing: number,
  seconds: number,
  serverPid: number,
  diagnostics: ClientSession,
): Promise<RunFigures> {
  const device = opcuaDeviceSchema.parse({
    name: 'BENCH',
    protocol: 'opcua',
    endpointUrl: endpoint,
    samplingMs: sampling,
    publishingMs: publishing,
  });
  const driver = createOpcuaDriver(device, { pkiDir });
  const reported = new Set<string>();
  let subscribeDone = 0;
  const tags = nodes.map((nodeId, i) => ({
    name: `T${i}`,
    address: { nodeId } satisfies OpcuaAddress,
    intervalMs: sampling,
  }));
  const index = new Map(tags.map((t, i) => [t.name, i] as const));
  const lastSource = new Float64Array(tags.length);
  // Per item, fresh values (new source time) whose source time lies inside the window
  // [windowStart, windowEnd), received until a grace period after its end.
  let counting = false;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  const intervals = Math.max(1, Math.floor((seconds * 1000) / sampling));
  const fresh = new Uint32Array(tags.length);
  let inWindow = 0;
  let delivered = 0;
  let reconfirmations = 0;
  const onSamples = (samples: readonly Sample[]) => {
    for (const s of samples) {
      if (s.quality.code !== 'Good') continue;
      const i = index.get(s.tag)!;
      delivered += 1;
      if (s.sourceTime === lastSource[i]) {
        reconfirmations += 1;
      } else {
        lastSource[i] = s.sourceTime;
        if (counting && s.sourceTime >= windowStart && s.sourceTime < windowEnd) {
          fresh[i] = fresh[i]! + 1;
          inWindow += 1;
        }
      }
      if (!subscribeDone) {
        reported.add(s.tag);
        if (reported.size === tags.length) subscribeDone = performance.now();
      }
    }
  };
  const subscribeStart = performance.now();
  driver.subscribe(tags, onSamples);
  await driver.connect();
  try {
    const deadline = Date.now() + 180_000;
    while (!subscribeDone && Date.now() < deadline) await sleep(20);
    if (!subscribeDone) throw new Error(`only ${reported.size} of ${tags.length} items reported within 180 s`);
    const subscribeMs = Math.round(subscribeDone - subscribeStart);

    await sleep(3000); // settle: initial values and the first publishes are behind us
    const received = () => Number(driver.status().diagnostics.notificationsReceived);
    const overflows = () => Number(driver.status().diagnostics.queueOverflows);
    // The driver's subscription as the server counts it (null if a rebuild left none with all items at the window's start).
    let server0: ServerSubscriptionCounts | null = null;
    try {
      server0 = driverSubscription(await serverSubscriptionCounts(diagnostics), tags.length);
    } catch (err) {
      note(`no server-side count for this window: ${err instanceof Error ? err.message : String(err)}`);
    }
    const notifications0 = received();
    const overflows0 = overflows();
    const rebuilds0 = Number(driver.status().diagnostics.rebuilds) + Number(driver.status().diagnostics.reconnects);
    const delivered0 = delivered;
    const reconfirmations0 = reconfirmations;
    const cpu0 = process.cpuUsage();
    const serverCpu0 = processCpuSeconds(serverPid);
    const t0 = performance.now();
    windowStart = Date.now();
    counting = true;
    await sleep(seconds * 1000);
    windowEnd = Date.now();
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const serverCpuS = processCpuSeconds(serverPid) - serverCpu0;
    const notifications = received() - notifications0;
    const overflowsN = overflows() - overflows0;
    const deliveredN = delivered - delivered0;
    const reconfirmationsN = reconfirmations - reconfirmations0;
    // If the driver rebuilt its subscription during the window, the old one's last counts are
    // lost with it: the server figure then counts the new ones from zero and says it is partial.
    const after = await serverSubscriptionCounts(diagnostics);
    const kept = server0 ? after.find((c) => c.subscriptionId === server0.subscriptionId) : undefined;
    const newer = server0
      ? after.filter((c) => c.subscriptionId > server0.subscriptionId && c.monitoredItemCount > 0)
      : [];
    const serverSent = server0
      ? (kept ? kept.dataChangeNotificationsCount - server0.dataChangeNotificationsCount : 0) +
        newer.reduce((sum, c) => sum + c.dataChangeNotificationsCount, 0)
      : Number.NaN;
    const rebuilds =
      Number(driver.status().diagnostics.rebuilds) + Number(driver.status().diagnostics.reconnects) - rebuilds0;
    // Values sampled inside the window may still be on their way: wait two publishing intervals and a second.
    await sleep(2 * publishing + 1000);
    counting = false;
    // A fresh value in every interval of the window (one may fall just outside either edge).
    let everyInterval = 0;
    for (let i = 0; i < tags.length; i++) if (fresh[i]! >= intervals - 1) everyInterval += 1;
    const perS = (n: number) => Math.round(n / elapsedS);
    return {
      notificationsPerS: perS(notifications),
      inWindowValuesPerS: Math.round(inWindow / ((windowEnd - windowStart) / 1000)),
      expectedPerS: Math.round((tags.length * 1000) / sampling),
      reconfirmationsPerS: perS(reconfirmationsN),
      queueOverflowsPerS: perS(overflowsN),
      deliveredPerS: perS(deliveredN),
      serverNotificationsPerS: Number.isNaN(serverSent) ? null : perS(serverSent),
      serverCountPartial: !kept,
      rebuilds,
      itemsReportingEveryInterval: everyInterval,
      clientCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / elapsedS) * 1000) / 10,
      serverCpuPct: Math.round((serverCpuS / elapsedS) * 1000) / 10,
      subscribeMs,
      publishingMs: Number(driver.status().diagnostics.publishingIntervalMs),
      windowS: Math.round(elapsedS * 10) / 10,
    };
  } finally {
    await driver.close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'argus-bench-opcua-'));
  const port = await freePort();
  note(`starting the simulator with ${substations} substations on port ${port}`);
  const child = await startSimulatorProcess(port, join(work, 'server-pki'));
  const endpoint = `opc.tcp://127.0.0.1:${port}`;
  let plain: PlainClient | null = null;
  try {
    plain = await plainClient(endpoint, join(work, 'calibration-pki'));
    const live = await liveItems(plain.session);
    const nodes = live.slice(0, wantedItems);
    note(`${live.length} items change every second; monitoring ${nodes.length}`);

    const slow = await measure(
      endpoint,
      join(work, 'client-pki'),
      nodes,
      samplingMs,
      publishingMs,
      measureSeconds,
      child.pid!,
      plain.session,
    );
    note(`every ${samplingMs} ms: ${JSON.stringify(slow)}`);
    const fast =
      fastMs > 0
        ? await measure(
            endpoint,
            join(work, 'client-pki'),
            nodes,
            fastMs,
            fastMs,
            fastSeconds,
            child.pid!,
            plain.session,
          )
        : null;
    if (fast) note(`every ${fastMs} ms: ${JSON.stringify(fast)}`);

    const result = {
      monitored_items: nodes.length,
      notifications_per_s: slow.notificationsPerS,
      expected_per_s: slow.expectedPerS,
      notifications_vs_expected: Math.round((slow.notificationsPerS / slow.expectedPerS) * 1000) / 1000,
      in_window_values_per_s: slow.inWindowValuesPerS,
      server_notifications_per_s: slow.serverNotificationsPerS,
      ...(slow.serverCountPartial ? { server_count_partial: true } : {}),
      rebuilds_in_window: slow.rebuilds,
      items_reporting_every_interval: slow.itemsReportingEveryInterval,
      reconfirmations_per_s: slow.reconfirmationsPerS,
      queue_size: defaultQueueSize(samplingMs, slow.publishingMs),
      queue_overflows_per_s: slow.queueOverflowsPerS,
      delivered_samples_per_s: slow.deliveredPerS,
      client_cpu_pct: slow.clientCpuPct,
      server_cpu_pct: slow.serverCpuPct,
      subscribe_ms: slow.subscribeMs,
      sampling_ms: samplingMs,
      publishing_ms: slow.publishingMs,
      window_s: slow.windowS,
      ...(fast
        ? {
            fast_sampling_ms: fastMs,
            fast_notifications_per_s: fast.notificationsPerS,
            fast_in_window_values_per_s: fast.inWindowValuesPerS,
            fast_expected_per_s: fast.expectedPerS,
            fast_server_notifications_per_s: fast.serverNotificationsPerS,
            ...(fast.serverCountPartial ? { fast_server_count_partial: true } : {}),
            fast_rebuilds_in_window: fast.rebuilds,
            fast_items_reporting_every_interval: fast.itemsReportingEveryInterval,
            fast_reconfirmations_per_s: fast.reconfirmationsPerS,
            fast_queue_size: defaultQueueSize(fastMs, fast.publishingMs),
            fast_queue_overflows_per_s: fast.queueOverflowsPerS,
            fast_client_cpu_pct: fast.clientCpuPct,
            fast_server_cpu_pct: fast.serverCpuPct,
            fast_subscribe_ms: fast.subscribeMs,
            fast_window_s: fast.windowS,
          }
        : {}),
      substations,
      ...benchMeta(
        `${nodes.length} OPC UA monitored items that change every second (simulator in its own process), sampled every ${samplingMs} ms${fast ? ` then every ${fastMs} ms` : ''}`,
      ),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await plain?.close().catch(() => undefined);
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
