/**
 * npm run bench:sim-modbus — how many 125-register reads per second the simulator's Modbus
 * TCP server answers over loopback. A plain socket client keeps one request outstanding per
 * connection (the way a polling driver talks), on one connection and on four.
 * Prints one JSON line.
 */
import { connect, type Socket } from 'node:net';
import { startSimulator } from '../simulator/index.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);

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
  const sim = await startSimulator({ opcua: false });
  try {
    const measure = async (connections: number) => {
      const started = performance.now();
      const deadline = started + DURATION_MS;
      const counts = await Promise.all(Array.from({ length: connections }, () => runClient(sim.modbusPort, deadline)));
      const seconds = (performance.now() - started) / 1000;
      return Math.round(counts.reduce((a, b) => a + b, 0) / seconds);
    };
    const single = await measure(1);
    const four = await measure(4);
    process.stdout.write(
      JSON.stringify({ sim_server_requests_per_s: single, sim_server_requests_per_s_4_connections: four, registers_per_request: 125, duration_ms: DURATION_MS }) + '\n',
    );
  } finally {
    await sim.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:sim-modbus failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
