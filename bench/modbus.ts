/**
 * npm run bench:modbus — 10,000 holding-register tags over loopback against the simulator's
 * own Modbus TCP server (7 substations = unit ids 1…7, 1,500 holding registers each).
 *
 * Measured in one run, on the same server, one after the other:
 *  - sim_server_requests_per_s: a bare socket client, one 125-register read outstanding at a
 *    time: what the server can answer, with no client library in the way;
 *  - raw_registers_per_s: plain modbus-serial readHoldingRegisters(…, 125) in a loop;
 *  - registers_per_s: the driver polling all 10,000 tags back to back, counting registers that
 *    arrived decoded as Good samples;
 *  - naive_registers_per_s: modbus-serial reading one register per request (one request per tag);
 *  - requests_per_poll: what the driver's plan sends per poll (optimal here: 6 × 12 + 8 = 80).
 * After a warm-up slice of each (JIT), the driver and the raw loop run in alternating slices
 * (five each) and each figure is the median of its slices, so a burst of load from elsewhere
 * on the machine hits both alike.
 * Prints one JSON line. BENCH_DURATION_MS sets each phase's total length (default 5000).
 */
import { connect, type Socket } from 'node:net';
import ModbusSerial from 'modbus-serial';
import type { DriverTag, Sample } from '../protocols/driver.js';
import { modbusTcpDeviceSchema, type ModbusAddress } from '../protocols/modbus/config.js';
import { createModbusTcpDriver, type ModbusPoint } from '../protocols/modbus/index.js';
import { startSimulator } from '../simulator/index.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const SLICES = 5;
const SLICE_MS = DURATION_MS / SLICES;
const TAGS = 10_000;
const HOLDING_PER_UNIT = 1500;
const UNITS = Math.ceil(TAGS / HOLDING_PER_UNIT);

/** The tags: holding registers 0…1499 of unit 1, then unit 2, … until 10,000. */
function tagAddresses(): { unitId: number; address: number }[] {
  return Array.from({ length: TAGS }, (_, i) => ({ unitId: 1 + Math.floor(i / HOLDING_PER_UNIT), address: i % HOLDING_PER_UNIT }));
}

/** The reads an optimal plan needs: per unit, its registers in blocks of 125. */
function optimalReads(): { unitId: number; address: number; count: number }[] {
  const reads: { unitId: number; address: number; count: number }[] = [];
  for (let unit = 1; unit <= UNITS; unit++) {
    const registers = Math.min(HOLDING_PER_UNIT, TAGS - (unit - 1) * HOLDING_PER_UNIT);
    for (let a = 0; a < registers; a += 125) reads.push({ unitId: unit, address: a, count: Math.min(125, registers - a) });
  }
  return reads;
}

function request(transaction: number, unitId: number, address: number, count: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(transaction & 0xffff, 0);
  b.writeUInt16BE(6, 4);
  b[6] = unitId;
  b[7] = 0x03;
  b.writeUInt16BE(address, 8);
  b.writeUInt16BE(count, 10);
  return b;
}

/** Bare socket, one 125-register request outstanding: the server's own rate. */
function measureServer(port: number): Promise<number> {
  const reads = optimalReads().filter((r) => r.count === 125);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const started = performance.now();
    const deadline = started + DURATION_MS;
    let answered = 0;
    let pending: Buffer = Buffer.alloc(0);
    const send = () => {
      const r = reads[answered % reads.length]!;
      socket.write(request(answered, r.unitId, r.address, 125));
    };
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 6 && pending.length >= 6 + pending.readUInt16BE(4)) {
        pending = pending.subarray(6 + pending.readUInt16BE(4));
        answered++;
        if (performance.now() >= deadline) {
          socket.end();
          resolve(answered / ((performance.now() - started) / 1000));
          return;
        }
        send();
      }
    });
    socket.on('error', reject);
  });
}

/** modbus-serial in a loop over `reads`; returns registers per second. */
async function measureModbusSerial(port: number, reads: readonly { unitId: number; address: number; count: number }[], durationMs = SLICE_MS): Promise<number> {
  const client = new ModbusSerial.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(2000);
  let registers = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  for (let i = 0; performance.now() < deadline; i++) {
    const r = reads[i % reads.length]!;
    client.setID(r.unitId);
    const answer = await client.readHoldingRegisters(r.address, r.count);
    registers += answer.data.length;
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((resolve) => client.close(() => resolve()));
  return registers / seconds;
}

async function measureDriver(port: number): Promise<{ registersPerS: number; requestsPerPoll: number }> {
  // pollMs 1 (below the project schema's 10 ms floor) so the driver polls back to back:
  // the figure is its throughput, not its configured rate.
  const device = { ...modbusTcpDeviceSchema.parse({ name: 'BENCH', protocol: 'modbus-tcp', host: '127.0.0.1', port, timeoutMs: 2000 }), pollMs: 1 };
  const driver = createModbusTcpDriver(device);
  const tags: DriverTag<ModbusPoint>[] = tagAddresses().map((t, i) => ({
    name: `B.T${i}`,
    address: { register: { table: 'holding', address: t.address, unitId: t.unitId, type: 'uint16' } as ModbusAddress },
    intervalMs: 1,
  }));
  let good = 0;
  let counting = false;
  driver.subscribe(tags, (samples: readonly Sample[]) => {
    if (!counting) return;
    for (const s of samples) if (s.quality.code === 'Good') good++;
  });
  await driver.connect();
  // Warm up: one full poll before counting.
  const warm = Date.now() + 5000;
  while (Number(driver.status().diagnostics.polls) < 2 && Date.now() < warm) await new Promise((r) => setTimeout(r, 5));
  counting = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SLICE_MS));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  const requestsPerPoll = Number(driver.status().diagnostics.requestsPerPoll);
  await driver.close();
  return { registersPerS: good / seconds, requestsPerPoll };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ substations: UNITS, opcua: false });
  try {
    const serverRequestsPerS = await measureServer(sim.modbusPort);
    const raws: number[] = [];
    const drivers: number[] = [];
    let requestsPerPoll = 0;
    await measureModbusSerial(sim.modbusPort, optimalReads()); // warm-up
    await measureDriver(sim.modbusPort); // warm-up
    for (let i = 0; i < SLICES; i++) {
      raws.push(await measureModbusSerial(sim.modbusPort, optimalReads()));
      const d = await measureDriver(sim.modbusPort);
      drivers.push(d.registersPerS);
      requestsPerPoll = d.requestsPerPoll;
    }
    const raw = median(raws);
    const driver = { registersPerS: median(drivers), requestsPerPoll };
    const naive = await measureModbusSerial(sim.modbusPort, tagAddresses().map((t) => ({ ...t, count: 1 })), DURATION_MS);
    const round = (x: number) => Math.round(x);
    process.stdout.write(
      JSON.stringify({
        tags: TAGS,
        registers_per_s: round(driver.registersPerS),
        raw_registers_per_s: round(raw),
        naive_registers_per_s: round(naive),
        requests_per_poll: driver.requestsPerPoll,
        optimal_requests_per_poll: optimalReads().length,
        driver_vs_raw: Math.round((driver.registersPerS / raw) * 100) / 100,
        sim_server_requests_per_s: round(serverRequestsPerS),
        server: 'simulator',
        duration_ms: DURATION_MS,
      }) + '\n',
    );
  } finally {
    await sim.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:modbus failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
