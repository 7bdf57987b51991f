/**
 * npm run bench:modbus — the Modbus TCP driver against the simulator's Modbus TCP server,
 * which runs in its own process (its CLI, 98 substations = unit ids 1…98), over loopback.
 *
 * Two tag maps, each of 10,000 tags, each counted where the runtime sees samples: through a
 * TagTable (the runtime's tag table; its listener counts Good updates):
 *  - uint16: holding registers 0…1499 of units 1…7, all unscaled uint16 (the codec's fast path);
 *  - mixed: the plant's own map, unit after unit (simulator catalog: scaled int16, float32 in
 *    ABCD and CDAB word order, int32/uint32 scaled or not, uint16, bools inside registers,
 *    coils and discrete inputs), as a station with 98 such substations would poll it.
 * Registers are counted as the distinct 16-bit words (or bits, for coils and discrete inputs)
 * the tags occupy: twelve alarm bits inside one register count as one register.
 *
 * Measured in one run, one after the other:
 *  - sim_server_requests_per_s: a bare socket client, one 125-register read outstanding at a
 *    time: what the server can answer, with no client library in the way;
 *  - raw_registers_per_s: plain modbus-serial readHoldingRegisters(…, 125) in a loop — the one
 *    raw baseline both driver figures are compared with;
 *  - registers_per_s / driver_vs_raw: the uint16 map polled back to back;
 *  - mixed_registers_per_s / mixed_vs_raw: the mixed map polled back to back;
 *  - raw_mixed_plan_registers_per_s / mixed_vs_raw_same_requests: modbus-serial sending the
 *    very reads the driver's plan sends for the mixed map (the driver's own overhead, apart
 *    from the smaller reads a real map needs);
 *  - mixed_wide_gap_*: the mixed map with the device's maxGap at 124 instead of 16, so reads
 *    bridge the unused registers between a substation's register blocks (fewer, fuller requests);
 *  - cpu_us_per_1000_registers (this process's CPU per 1,000 registers, per loop) and the
 *    ratios *_cpu_vs_raw*: the client's own cost, which a busy machine disturbs far less than
 *    the throughput figures (on a shared machine, read those with loadavg_1m);
 *  - naive_registers_per_s: modbus-serial reading one register per request (one request per tag);
 *  - requests_per_poll (uint16; optimal 6 × 12 + 8 = 80), mixed_requests_per_poll.
 * After a warm-up slice of each (JIT), the five loops run in alternating slices (five each)
 * and each figure is the median of its slices, so a burst of load from elsewhere on the
 * machine hits all alike.
 * Prints one JSON line. BENCH_DURATION_MS sets each loop's total length (default 5000).
 */
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ModbusSerial from 'modbus-serial';
import type { DriverTag } from '../protocols/driver.js';
import { modbusTcpDeviceSchema, type ModbusAddress, type ModbusTable } from '../protocols/modbus/config.js';
import { createModbusTcpDriver, ModbusRequestPlanner, registerCount, type ModbusPoint } from '../protocols/modbus/index.js';
import { TagTable } from '../main/runtime/tags/tag-table.js';
import { catalogForSubstation } from '../simulator/catalog.js';
import { startChild } from '../test/support/child-process.js';
import { freePort } from '../test/support/ports.js';
import { benchMeta } from './meta.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const SLICES = 5;
const SLICE_MS = DURATION_MS / SLICES;
const TAGS = 10_000;
const HOLDING_PER_UNIT = 1500;
const UNITS = Math.ceil(TAGS / HOLDING_PER_UNIT);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Read {
  readonly unitId: number;
  readonly table: ModbusTable;
  readonly address: number;
  readonly count: number;
  /** Distinct registers (or bits) of tags inside this read: what it is worth. */
  readonly useful: number;
}

interface TagMap {
  readonly tags: DriverTag<ModbusPoint>[];
  /** Per tag, its share of the distinct registers the map occupies (they sum to the distinct count). */
  readonly weight: ReadonlyMap<string, number>;
}

function tagCount(register: ModbusAddress): number {
  return register.table === 'coil' || register.table === 'discrete' ? 1 : registerCount(register);
}

function weighted(tags: DriverTag<ModbusPoint>[]): TagMap {
  const coverers = new Map<string, number>();
  const words = (t: DriverTag<ModbusPoint>) => {
    const r = t.address.register;
    return Array.from({ length: tagCount(r) }, (_, k) => `${r.unitId ?? 1}|${r.table}|${r.address + k}`);
  };
  for (const t of tags) for (const w of words(t)) coverers.set(w, (coverers.get(w) ?? 0) + 1);
  const weight = new Map(tags.map((t) => [t.name, words(t).reduce((sum, w) => sum + 1 / coverers.get(w)!, 0)] as const));
  return { tags, weight };
}

/** The uint16 map: holding registers 0…1499 of unit 1, then unit 2, … until 10,000. */
function uint16Map(): TagMap {
  return weighted(
    tagAddresses().map((t, i) => ({
      name: `U.T${i}`,
      address: { register: { table: 'holding', address: t.address, unitId: t.unitId, type: 'uint16' } as ModbusAddress },
      intervalMs: 1,
    })),
  );
}

/** The plant's own mixed map, substation after substation (unit id = substation), 10,000 tags. */
function mixedMap(): TagMap {
  const tags: DriverTag<ModbusPoint>[] = [];
  for (let k = 1; tags.length < TAGS; k++) {
    for (const t of catalogForSubstation(k)) {
      if (tags.length === TAGS) break;
      const m = t.definition.modbus;
      const register = { table: m.table, address: m.address, unitId: t.unitId, type: m.type, ...(m.wordOrder ? { wordOrder: m.wordOrder } : {}), ...(m.bit !== undefined ? { bit: m.bit } : {}) } as ModbusAddress;
      tags.push({ name: t.name, address: { register, ...(m.scale ? { scale: { raw: [...m.scale.raw], eng: [...m.scale.eng] } } : {}) } as ModbusPoint, intervalMs: 1 });
    }
  }
  return weighted(tags);
}

const MIXED_UNITS = Math.ceil(TAGS / catalogForSubstation(1).length);
/** The device setting that lets one read bridge unused registers (the schema's maximum; default 16). */
const WIDE_GAP = 124;

/** The reads the driver's planner sends for `map`, each with the distinct registers it carries. */
function plannedReads(map: TagMap, limits: ConstructorParameters<typeof ModbusRequestPlanner>[0]): Read[] {
  const byName = new Map(map.tags.map((t) => [t.name, t] as const));
  const plan = new ModbusRequestPlanner(limits).plan(
    map.tags.map((t) => ({ key: t.name, unitId: t.address.register.unitId ?? 1, table: t.address.register.table, address: t.address.register.address, count: tagCount(t.address.register), intervalMs: 1 })),
  );
  return plan.reads.map((r) => ({
    unitId: r.unitId,
    table: r.table,
    address: r.start,
    count: r.count,
    useful: r.points.reduce((sum, p) => sum + map.weight.get(byName.get(p.key)!.name)!, 0),
  }));
}

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

interface Rate {
  readonly registersPerS: number;
  /** This process's CPU time per 1,000 registers, µs: the client's own cost, which load from elsewhere disturbs far less. */
  readonly cpuUsPer1000: number;
}

/** modbus-serial in a loop over `reads`; useful registers per second and CPU per register. */
async function measureModbusSerial(port: number, reads: readonly Read[], durationMs = SLICE_MS): Promise<Rate> {
  const client = new ModbusSerial.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(2000);
  let registers = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  for (let i = 0; performance.now() < deadline; i++) {
    const r = reads[i % reads.length]!;
    client.setID(r.unitId);
    switch (r.table) {
      case 'holding':
        await client.readHoldingRegisters(r.address, r.count);
        break;
      case 'input':
        await client.readInputRegisters(r.address, r.count);
        break;
      case 'coil':
        await client.readCoils(r.address, r.count);
        break;
      case 'discrete':
        await client.readDiscreteInputs(r.address, r.count);
        break;
    }
    registers += r.useful;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await new Promise<void>((resolve) => client.close(() => resolve()));
  return { registersPerS: registers / seconds, cpuUsPer1000: ((cpu.user + cpu.system) / registers) * 1000 };
}

/** The driver polling `map` back to back; Good updates counted through a TagTable, weighted in registers. */
async function measureDriver(port: number, map: TagMap, settings: { maxGap?: number } = {}): Promise<Rate & { requestsPerPoll: number }> {
  // pollMs 1 (below the project schema's 10 ms floor) so the driver polls back to back:
  // the figure is its throughput, not its configured rate.
  const device = { ...modbusTcpDeviceSchema.parse({ name: 'BENCH', protocol: 'modbus-tcp', host: '127.0.0.1', port, timeoutMs: 2000, ...settings }), pollMs: 1 };
  const driver = createModbusTcpDriver(device);
  const table = new TagTable(map.tags.map((t) => t.name));
  let registers = 0;
  let counting = false;
  table.subscribe((updates) => {
    if (!counting) return;
    for (const u of updates) if (u.sample.quality.code === 'Good') registers += map.weight.get(u.sample.tag)!;
  });
  driver.subscribe(map.tags, (samples) => table.apply(samples));
  await driver.connect();
  // Warm up: one full poll before counting.
  const warm = Date.now() + 5000;
  while (Number(driver.status().diagnostics.polls) < 2 && Date.now() < warm) await new Promise((r) => setTimeout(r, 5));
  counting = true;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SLICE_MS));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const d = driver.status().diagnostics;
  const requestsPerPoll = Number(d.requestsPerPoll);
  const trouble = Number(d.timeouts) + Number(d.errors) + Number(d.connectionsLost);
  if (trouble > 0) process.stderr.write(`bench:modbus driver slice with ${d.timeouts} timeouts, ${d.errors} errors, ${d.connectionsLost} lost connections\n`);
  await driver.close();
  return { registersPerS: registers / seconds, cpuUsPer1000: ((cpu.user + cpu.system) / registers) * 1000, requestsPerPoll };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const port = await freePort();
  const substations = Math.max(UNITS, MIXED_UNITS);
  const sim = startChild(process.execPath, ['--import', 'tsx', join(root, 'simulator', 'cli.ts'), '--substations', String(substations), '--modbus-port', String(port), '--no-opcua']);
  try {
    await sim.waitFor(/Modbus TCP: \S+:\d+/, 60_000);
    const limits = modbusTcpDeviceSchema.parse({ name: 'BENCH', protocol: 'modbus-tcp', host: '127.0.0.1', port });
    const uint16 = uint16Map();
    const mixed = mixedMap();
    const raw125: Read[] = optimalReads().map((r) => ({ ...r, table: 'holding', useful: r.count }));
    const mixedPlan = plannedReads(mixed, limits);
    const serverRequestsPerS = await measureServer(port);
    const raws: Rate[] = [];
    const drivers: Rate[] = [];
    const mixeds: Rate[] = [];
    const rawMixeds: Rate[] = [];
    const wides: Rate[] = [];
    let wideRequestsPerPoll = 0;
    let requestsPerPoll = 0;
    let mixedRequestsPerPoll = 0;
    // Warm-up (JIT) of each loop.
    await measureModbusSerial(port, raw125);
    await measureDriver(port, uint16);
    await measureDriver(port, mixed);
    await measureModbusSerial(port, mixedPlan);
    await measureDriver(port, mixed, { maxGap: WIDE_GAP });
    for (let i = 0; i < SLICES; i++) {
      raws.push(await measureModbusSerial(port, raw125));
      const d = await measureDriver(port, uint16);
      drivers.push(d);
      requestsPerPoll = d.requestsPerPoll;
      const m = await measureDriver(port, mixed);
      mixeds.push(m);
      mixedRequestsPerPoll = m.requestsPerPoll;
      rawMixeds.push(await measureModbusSerial(port, mixedPlan));
      const w = await measureDriver(port, mixed, { maxGap: WIDE_GAP });
      wides.push(w);
      wideRequestsPerPoll = w.requestsPerPoll;
    }
    const slices = (rates: readonly Rate[]) => rates.map((r) => Math.round(r.registersPerS)).join(' ');
    process.stderr.write(`bench:modbus slices (registers/s): raw ${slices(raws)}; uint16 ${slices(drivers)}; mixed ${slices(mixeds)}; raw mixed plan ${slices(rawMixeds)}; wide gap ${slices(wides)}\n`);
    const rate = (rates: readonly Rate[]) => median(rates.map((r) => r.registersPerS));
    const cpu = (rates: readonly Rate[]) => median(rates.map((r) => r.cpuUsPer1000));
    const raw = rate(raws);
    const driver = rate(drivers);
    const mixedRate = rate(mixeds);
    const rawMixed = rate(rawMixeds);
    const wide = rate(wides);
    const naive = await measureModbusSerial(
      port,
      tagAddresses().map((t) => ({ ...t, table: 'holding' as const, count: 1, useful: 1 })),
      DURATION_MS,
    ).then((r) => r.registersPerS);
    const round = (x: number) => Math.round(x);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const distinct = (map: TagMap) => round([...map.weight.values()].reduce((a, b) => a + b, 0));
    process.stdout.write(
      JSON.stringify({
        tags: TAGS,
        registers_per_s: round(driver),
        raw_registers_per_s: round(raw),
        driver_vs_raw: ratio(driver, raw),
        mixed_registers_per_s: round(mixedRate),
        mixed_vs_raw: ratio(mixedRate, raw),
        raw_mixed_plan_registers_per_s: round(rawMixed),
        mixed_vs_raw_same_requests: ratio(mixedRate, rawMixed),
        mixed_tags_per_s: round((mixedRate / distinct(mixed)) * TAGS),
        mixed_wide_gap_registers_per_s: round(wide),
        mixed_wide_gap_vs_raw: ratio(wide, raw),
        mixed_wide_gap_requests_per_poll: wideRequestsPerPoll,
        wide_gap: WIDE_GAP,
        mixed_registers: distinct(mixed),
        mixed_requests_per_poll: mixedRequestsPerPoll,
        cpu_us_per_1000_registers: { raw: round(cpu(raws)), uint16: round(cpu(drivers)), raw_mixed_plan: round(cpu(rawMixeds)), mixed: round(cpu(mixeds)), mixed_wide_gap: round(cpu(wides)) },
        mixed_cpu_vs_raw_same_requests: ratio(cpu(rawMixeds), cpu(mixeds)),
        uint16_cpu_vs_raw: ratio(cpu(raws), cpu(drivers)),
        naive_registers_per_s: round(naive),
        requests_per_poll: requestsPerPoll,
        optimal_requests_per_poll: optimalReads().length,
        sim_server_requests_per_s: round(serverRequestsPerS),
        server: 'simulator CLI, own process',
        duration_ms: DURATION_MS,
        ...benchMeta(
          `Modbus TCP driver, 10,000 tags counted through the tag table: uint16 holding registers (7 units) and the plant's mixed map (${MIXED_UNITS} substations); simulator in its own process`,
        ),
      }) + '\n',
    );
  } finally {
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:modbus failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
