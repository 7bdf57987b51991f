/**
 * npm run bench:e2e — from a value changing at the simulator to the value arriving through
 * the WebSocket contract, with every device polled/sampled every 100 ms.
 * The simulator and the runtime (the built station server) run as separate processes, so
 * `rss_mb` is the runtime's own resident memory with the demo plant.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readDemoProject } from '../test/support/demo-project.js';
import { startStationFixture } from '../test/support/station-fixture.js';
import { ContractSocket } from '../test/support/ws-client.js';
import { signIn } from '../test/support/sign-in.js';

const SAMPLES_PER_PROTOCOL = Number(process.env.BENCH_SAMPLES ?? 60);
const INTERVAL_MS = 100;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 102.4) / 10;
}

async function main(): Promise<void> {
  const station = await startStationFixture('bench-e2e', { intervalMs: INTERVAL_MS });
  const { sim, serve, url } = station;
  try {
    const password = station.passwords.get('demo-viewer')!;
    const { cookie } = await signIn(url, 'demo-viewer', password);
    const socket = await ContractSocket.open(url.replace('http', 'ws') + '/ws', { Cookie: cookie });

    // One writable analog setpoint per protocol: written at the simulator, watched at the client.
    const project = readDemoProject();
    const protocolOf = new Map(project.devices.map((d) => [d.name, d.protocol]));
    const pick = (protocol: string) =>
      project.tags.find((t) => t.writable && t.kind !== 'digital' && protocolOf.get(t.device) === protocol && t.range);
    const targets = [pick('modbus-tcp'), pick('opcua')].filter((t) => t !== undefined);
    if (targets.length === 0) throw new Error('the demo project has no writable analog tags to change');

    // Let everything connect and settle.
    await new Promise((r) => setTimeout(r, 3000));
    const latencies: number[] = [];
    const byProtocol: Record<string, number[]> = {};
    for (const tag of targets) {
      const [low, high] = tag.range!;
      const protocol = protocolOf.get(tag.device)!;
      const current = await socket.request('tags.read', { tags: [tag.name] });
      let previous = current.ok && typeof current.value[0]?.v === 'number' ? current.value[0].v : Number.NaN;
      for (let i = 0; i < SAMPLES_PER_PROTOCOL; i++) {
        // A fresh value every time (0.1 steps in the span's 30–70 % band), never the one showing now.
        let value = Math.round((low + (high - low) * (0.3 + 0.4 * (((i * 37) % 101) / 101))) * 10) / 10;
        if (Math.abs(value - previous) < 0.05) value = Math.round((value + 0.2) * 10) / 10;
        previous = value;
        const seen = new Promise<number>((resolve, reject) => {
          const timeout = setTimeout(() => reject(new Error(`${tag.name} never showed ${value}`)), 5000);
          const off = socket.on('tags.changed', ({ values }) => {
            const hit = values.find((v) => v.tag === tag.name && typeof v.v === 'number' && Math.abs(v.v - value) < 0.05);
            if (hit) {
              clearTimeout(timeout);
              off();
              resolve(performance.now());
            }
          });
        });
        const started = performance.now();
        sim.send(`set ${tag.name} ${value}`);
        const latency = (await seen) - started;
        latencies.push(latency);
        (byProtocol[protocol] ??= []).push(latency);
        // Land the next change at a different point of the poll cycle.
        await new Promise((r) => setTimeout(r, 50 + Math.random() * INTERVAL_MS));
      }
    }
    latencies.sort((a, b) => a - b);
    const result: Record<string, number | string> = {
      latency_ms_p50: Math.round(percentile(latencies, 50) * 10) / 10,
      latency_ms_p95: Math.round(percentile(latencies, 95) * 10) / 10,
      tags: project.tags.length,
      rss_mb: rssMb(serve.process.pid!),
      interval_ms: INTERVAL_MS,
      samples: latencies.length,
    };
    for (const [protocol, values] of Object.entries(byProtocol)) {
      values.sort((a, b) => a - b);
      result[`${protocol.replace('-', '_')}_p95_ms`] = Math.round(percentile(values, 95) * 10) / 10;
    }
    socket.close();
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await station.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:e2e failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
