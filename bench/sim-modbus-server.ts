/**
 * npm run bench:sim-modbus — how many 125-register reads per second the simulator's Modbus
 * TCP server answers over loopback, with the simulator in its own process (started from its
 * CLI, as a plant would run it) and the clients in this one. A plain socket client keeps one
 * request outstanding per connection (the way a polling driver talks); measured on one
 * connection and on four, reported separately. The server's CPU over each window comes from
 * /proc/<pid>/stat.
 * Prints one JSON line. BENCH_DURATION_MS sets each window (default 5000).
 */
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../test/support/child-process.js';
import { freePort } from '../test/support/ports.js';
import { benchMeta } from './meta.js';
import { processCpuSeconds } from './proc.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function readRequest(transaction: number, unit: number, address: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(transaction & 0xffff, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(6, 4);
  b[6] = unit;
  b[7] = 0x03;
  b.writeUInt16BE(address, 8);
  b.writeUInt16BE(125, 10);
  return b;
}

/** One connection, request → response → next request, until the deadline. Returns answers. */
function runClient(port: number, deadline: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let answered = 0;
    let transaction = 0;
    let pending: Buffer = Buffer.alloc(0);
    const expected = 9 + 250;
    socket.on('connect', () => socket.write(readRequest(transaction, 1, 1000)));
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= expected) {
        if (pending.readUInt16BE(0) !== (transaction & 0xffff) || pending[7] !== 0x03) {
          reject(new Error(`unexpected answer ${pending.subarray(0, 9).toString('hex')}`));
          socket.destroy();
          return;
        }
        pending = pending.subarray(expected);
        answered++;
        transaction++;
        if (performance.now() >= deadline) {
          socket.end();
          resolve(answered);
          return;
        }
        socket.write(readRequest(transaction, 1, transaction % 2 === 0 ? 1000 : 100));
      }
    });
    socket.on('error', reject);
  });
}

async function main(): Promise<void> {
  const port = await freePort();
  const sim = startChild(process.execPath, [
    '--import',
    'tsx',
    join(root, 'simulator', 'cli.ts'),
    '--substations',
    '1',
    '--modbus-port',
    String(port),
    '--no-opcua',
  ]);
  try {
    await sim.waitFor(/Modbus TCP: \S+:\d+/, 60_000);
    const pid = sim.process.pid!;
    const measure = async (connections: number) => {
      await new Promise((r) => setTimeout(r, 500));
      const cpu0 = processCpuSeconds(pid);
      const started = performance.now();
      const deadline = started + DURATION_MS;
      const counts = await Promise.all(Array.from({ length: connections }, () => runClient(port, deadline)));
      const seconds = (performance.now() - started) / 1000;
      return {
        requestsPerS: Math.round(counts.reduce((a, b) => a + b, 0) / seconds),
        serverCpuPct: Math.round(((processCpuSeconds(pid) - cpu0) / seconds) * 1000) / 10,
      };
    };
    await measure(1); // warm-up (JIT in the server)
    const one = await measure(1);
    const four = await measure(4);
    process.stdout.write(
      JSON.stringify({
        requests_per_s_1conn: one.requestsPerS,
        requests_per_s_4conn: four.requestsPerS,
        server_cpu_pct_1conn: one.serverCpuPct,
        server_cpu_pct_4conn: four.serverCpuPct,
        registers_per_request: 125,
        duration_ms: DURATION_MS,
        ...benchMeta(
          'simulator Modbus TCP server in its own process; 125-register reads, one outstanding per connection, 1 then 4 connections',
        ),
      }) + '\n',
    );
  } finally {
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:sim-modbus failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
