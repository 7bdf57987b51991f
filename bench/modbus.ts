/**
 * npm run bench:modbus — the Modbus TCP driver against the simulator's Modbus TCP server,
 * which runs in its own process (its CLI, 98 substations = unit ids 1…98), over loopback.
 *
 * Three tag maps, each of 10,000 tags, each counted where the runtime sees samples: the driver
 * started by the runtime's DeviceRegistry, which hands its samples to the runtime's TagTable,
 * whose listener counts Good updates:
 *  - uint16: holding registers 0…1499 of units 1…7, all unscaled uint16;
 *  - mixed: a dense map of mixed types, so reads are full 125-register (and 2000-coil) spans:
 *    holding registers 100…974 of units 1…13 in blocks of 25 registers (4 float32 ABCD, 4 float32
 *    CDAB, int32 ABCD and CDAB, int16 ×0.01 as raw/eng ranges, uint16 ×0.1 − 50 as factor/offset,
 *    int16 0…27648 → 0…100 % as an analog input card gives it, 4 bools inside one register,
 *    one plain uint16: 18 tags), 8,000 tags in all, plus 2,000 coils (unit 1, coils 0…1999).
 *    The bench writes these registers and coils into the simulator's free memory first (valid
 *    values of each type, unchanged while polled);
 *  - plant map: the plant's own map, unit after unit (simulator catalog: scaled int16, float32
 *    in ABCD and CDAB word order, int32/uint32 scaled or not, uint16, bools inside registers,
 *    coils and discrete inputs), as a station with 98 such substations would poll it: sparse,
 *    so it needs many small requests.
 * Registers are counted as the distinct 16-bit words the tags occupy: four bools inside one
 * register count as one register. Bits of coils and discrete inputs count as 16 to a register
 * in the mixed map (2,000 coils travel in as many bytes as 125 registers), and one each in the
 * plant map (as it always was counted).
 *
 * Measured in one run, one after the other:
 *  - sim_server_requests_per_s: a bare socket client, one 125-register read outstanding at a
 *    time: what the server can answer, with no client library in the way;
 *  - raw_registers_per_s: plain modbus-serial readHoldingRegisters(…, 125) in a loop — the one
 *    raw baseline both driver figures are compared with;
 *  - registers_per_s / driver_vs_raw: the uint16 map polled back to back;
 *  - mixed_registers_per_s / mixed_vs_raw: the dense mixed map polled back to back;
 *  - plant_map_registers_per_s / plant_map_vs_raw: the plant's map polled back to back;
 *  - raw_plant_map_plan_registers_per_s / plant_map_vs_raw_same_requests: modbus-serial sending
 *    the very reads the driver's plan sends for the plant map (the driver's own overhead, apart
 *    from the smaller reads a sparse map needs);
 *  - plant_map_wide_gap_*: the plant map with the device's maxGap at 124 instead of 16, so reads
 *    bridge the unused registers between a substation's register blocks (fewer, fuller requests);
 *  - cpu_us_per_1000_registers (this process's CPU per 1,000 registers, per loop) and the
 *    ratios *_cpu_vs_raw*: the client's own cost, which a busy machine disturbs far less than
 *    the throughput figures (on a shared machine, read those with loadavg_1m);
 *  - naive_registers_per_s: modbus-serial reading one register per request (one request per tag);
 *  - requests_per_poll (uint16; optimal 6 × 12 + 8 = 80), mixed_requests_per_poll,
 *    plant_map_requests_per_poll.
 * After a warm-up slice of each (JIT), the six loops run in alternating slices (five each)
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
import { ModbusRequestPlanner, registerCount, type ModbusPoint } from '../protocols/modbus/index.js';
import type { ProjectConfig } from '../main/runtime/config/schema.js';
import { DeviceRegistry } from '../main/runtime/devices/device-registry.js';
import { createLogger } from '../main/runtime/logging/logger.js';
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
const benchLog = createLogger({ level: 'silent' });

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

function isBits(register: ModbusAddress): boolean {
  return register.table === 'coil' || register.table === 'discrete';
}

function tagCount(register: ModbusAddress): number {
  return isBits(register) ? 1 : registerCount(register);
}

/** `bitsPerRegister`: 1 counts every coil as a register, 16 counts coils by the words they travel in. */
function weighted(tags: DriverTag<ModbusPoint>[], bitsPerRegister = 1): TagMap {
  const coverers = new Map<string, number>();
  const words = (t: DriverTag<ModbusPoint>) => {
    const r = t.address.register;
    if (isBits(r)) return [`${r.unitId ?? 1}|${r.table}|${Math.floor(r.address / bitsPerRegister)}`];
    return Array.from({ length: tagCount(r) }, (_, k) => `${r.unitId ?? 1}|${r.table}|${r.address + k}`);
  };
  for (const t of tags) for (const w of words(t)) coverers.set(w, (coverers.get(w) ?? 0) + 1);
  const weight = new Map(
    tags.map((t) => [t.name, words(t).reduce((sum, w) => sum + 1 / coverers.get(w)!, 0)] as const),
  );
  return { tags, weight };
}

/** The uint16 map: holding registers 0…1499 of unit 1, then unit 2, … until 10,000. */
function uint16Map(): TagMap {
  return weighted(
    tagAddresses().map((t, i) => ({
      name: `U.T${i}`,
      address: {
        register: { table: 'holding', address: t.address, unitId: t.unitId, type: 'uint16' } as ModbusAddress,
      },
      intervalMs: 1,
    })),
  );
}

/** Where the dense mixed map lives in each unit: the simulator's free holding registers and coils. */
const MIXED_START = 100;
const MIXED_BLOCK = 25;
const MIXED_BLOCKS_PER_UNIT = 35; // 875 registers: seven full 125-register reads
const MIXED_REGISTER_TAGS = 8000;
const MIXED_COILS = 2000;
const MIXED_COIL_UNIT = 1;
const FREE_COILS_START = 64; // coils below are the plant's commands: left alone

/** One block of the dense mixed map: register offset, format and scale of each of its 18 tags. */
const mixedBlock: readonly { offset: number; register: Partial<ModbusAddress>; scale?: ModbusPoint['scale'] }[] = [
  ...[0, 2, 4, 6].map((offset) => ({ offset, register: { type: 'float32', wordOrder: 'ABCD' } as const })),
  ...[8, 10, 12, 14].map((offset) => ({ offset, register: { type: 'float32', wordOrder: 'CDAB' } as const })),
  { offset: 16, register: { type: 'int32', wordOrder: 'ABCD' } },
  { offset: 18, register: { type: 'int32', wordOrder: 'CDAB' } },
  { offset: 20, register: { type: 'int16' }, scale: { raw: [-10000, 10000], eng: [-100, 100] } },
  { offset: 21, register: { type: 'uint16' }, scale: { factor: 0.1, offset: -50 } },
  { offset: 22, register: { type: 'int16' }, scale: { raw: [0, 27648], eng: [0, 100] } },
  ...[0, 1, 2, 3].map((bit) => ({ offset: 23, register: { type: 'bool', bit } as const })),
  { offset: 24, register: { type: 'uint16' } },
] as const;

const MIXED_TAGS_PER_UNIT = MIXED_BLOCKS_PER_UNIT * mixedBlock.length;
const MIXED_UNIT_COUNT = Math.ceil(MIXED_REGISTER_TAGS / MIXED_TAGS_PER_UNIT);

/** The dense mixed map: 8,000 register tags of mixed types over units 1…13, and 2,000 coils. */
function denseMixedMap(): TagMap {
  const tags: DriverTag<ModbusPoint>[] = [];
  for (let unitId = 1; tags.length < MIXED_REGISTER_TAGS; unitId++) {
    for (let b = 0; b < MIXED_BLOCKS_PER_UNIT; b++) {
      for (const t of mixedBlock) {
        if (tags.length === MIXED_REGISTER_TAGS) break;
        const register = {
          table: 'holding',
          address: MIXED_START + b * MIXED_BLOCK + t.offset,
          unitId,
          ...t.register,
        } as ModbusAddress;
        tags.push({
          name: `M.U${unitId}.R${register.address}${register.bit !== undefined ? `.${register.bit}` : ''}`,
          address: { register, ...(t.scale ? { scale: t.scale } : {}) },
          intervalMs: 1,
        });
      }
    }
  }
  for (let address = 0; address < MIXED_COILS; address++) {
    tags.push({
      name: `M.U${MIXED_COIL_UNIT}.C${address}`,
      address: { register: { table: 'coil', address, unitId: MIXED_COIL_UNIT, type: 'bool' } as ModbusAddress },
      intervalMs: 1,
    });
  }
  return weighted(tags, 16);
}

/** The words one block of the mixed map holds: valid values of each type, different per block and unit. */
function mixedBlockWords(unitId: number, block: number): number[] {
  const words = new Array<number>(MIXED_BLOCK).fill(0);
  const view = new DataView(new ArrayBuffer(4));
  const put32 = (offset: number, order: 'ABCD' | 'CDAB', write: (v: DataView) => void) => {
    write(view);
    const hi = view.getUint16(0);
    const lo = view.getUint16(2);
    words[offset] = order === 'ABCD' ? hi : lo;
    words[offset + 1] = order === 'ABCD' ? lo : hi;
  };
  const seed = unitId * 1000 + block;
  for (let k = 0; k < 4; k++) put32(2 * k, 'ABCD', (v) => v.setFloat32(0, 20 + seed * 0.37 + k * 1.25));
  for (let k = 0; k < 4; k++) put32(8 + 2 * k, 'CDAB', (v) => v.setFloat32(0, 3.5 - seed * 0.011 - k * 0.5));
  put32(16, 'ABCD', (v) => v.setInt32(0, 1_234_567 + seed * 13));
  put32(18, 'CDAB', (v) => v.setInt32(0, -7_654_321 + seed * 17));
  words[20] = (-2500 + seed * 7) & 0xffff;
  words[21] = (500 + (seed % 900)) & 0xffff;
  words[22] = (seed * 101) % 27649;
  words[23] = seed % 16;
  words[24] = seed & 0xffff;
  return words;
}

/** Write the mixed map's registers and free coils into the simulator (FC16 and FC15). */
async function writeMixedImage(port: number): Promise<void> {
  const client = new ModbusSerial.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(5000);
  try {
    for (let unitId = 1; unitId <= MIXED_UNIT_COUNT; unitId++) {
      client.setID(unitId);
      const words: number[] = [];
      for (let b = 0; b < MIXED_BLOCKS_PER_UNIT; b++) words.push(...mixedBlockWords(unitId, b));
      for (let i = 0; i < words.length; i += 100) await client.writeRegisters(MIXED_START + i, words.slice(i, i + 100));
    }
    client.setID(MIXED_COIL_UNIT);
    const coils = Array.from({ length: MIXED_COILS - FREE_COILS_START }, (_, i) => (i * 7) % 3 === 0);
    for (let i = 0; i < coils.length; i += 1000)
      await client.writeCoils(FREE_COILS_START + i, coils.slice(i, i + 1000));
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/** The plant's own map, substation after substation (unit id = substation), 10,000 tags. */
function plantMap(): TagMap {
  const tags: DriverTag<ModbusPoint>[] = [];
  for (let k = 1; tags.length < TAGS; k++) {
    for (const t of catalogForSubstation(k)) {
      if (tags.length === TAGS) break;
      const m = t.definition.modbus;
      const register = {
        table: m.table,
        address: m.address,
        unitId: t.unitId,
        type: m.type,
        ...(m.wordOrder ? { wordOrder: m.wordOrder } : {}),
        ...(m.bit !== undefined ? { bit: m.bit } : {}),
      } as ModbusAddress;
      tags.push({
        name: t.name,
        address: {
          register,
          ...(m.scale ? { scale: { raw: [...m.scale.raw], eng: [...m.scale.eng] } } : {}),
        } as ModbusPoint,
        intervalMs: 1,
      });
    }
  }
  return weighted(tags);
}

const PLANT_UNITS = Math.ceil(TAGS / catalogForSubstation(1).length);
/** The device setting that lets one read bridge unused registers (the schema's maximum; default 16). */
const WIDE_GAP = 124;

/** The reads the driver's planner sends for `map`, each with the distinct registers it carries. */
function plannedReads(map: TagMap, limits: ConstructorParameters<typeof ModbusRequestPlanner>[0]): Read[] {
  const byName = new Map(map.tags.map((t) => [t.name, t] as const));
  const plan = new ModbusRequestPlanner(limits).plan(
    map.tags.map((t) => ({
      key: t.name,
      unitId: t.address.register.unitId ?? 1,
      table: t.address.register.table,
      address: t.address.register.address,
      count: tagCount(t.address.register),
      intervalMs: 1,
    })),
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
  return Array.from({ length: TAGS }, (_, i) => ({
    unitId: 1 + Math.floor(i / HOLDING_PER_UNIT),
    address: i % HOLDING_PER_UNIT,
  }));
}

/** The reads an optimal plan needs: per unit, its registers in blocks of 125. */
function optimalReads(): { unitId: number; address: number; count: number }[] {
  const reads: { unitId: number; address: number; count: number }[] = [];
  for (let unit = 1; unit <= UNITS; unit++) {
    const registers = Math.min(HOLDING_PER_UNIT, TAGS - (unit - 1) * HOLDING_PER_UNIT);
    for (let a = 0; a < registers; a += 125)
      reads.push({ unitId: unit, address: a, count: Math.min(125, registers - a) });
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
async function measureDriver(
  port: number,
  map: TagMap,
  settings: { maxGap?: number } = {},
): Promise<Rate & { requestsPerPoll: number }> {
  // pollMs 1 (below the project schema's 10 ms floor) so the driver polls back to back:
  // the figure is its throughput, not its configured rate.
  const device = {
    ...modbusTcpDeviceSchema.parse({
      name: 'BENCH',
      protocol: 'modbus-tcp',
      host: '127.0.0.1',
      port,
      timeoutMs: 2000,
      ...settings,
    }),
    pollMs: 1,
  };
  // The runtime's own path: the device registry starts the driver and hands its samples to the tag table.
  const project = {
    devices: [device],
    tags: map.tags.map((t) => ({
      name: t.name,
      device: device.name,
      modbus: t.address.register,
      writable: false,
      intervalMs: 1,
      ...(t.address.scale ? { scale: t.address.scale } : {}),
    })),
  } as unknown as ProjectConfig;
  const table = new TagTable(map.tags.map((t) => t.name));
  const registry = new DeviceRegistry(project, table, { pkiDir: '', log: benchLog }, benchLog);
  const diagnostics = () => registry.get(device.name)!.diagnostics;
  // Every tag is read once per poll, so Good updates × the map's registers per tag is the
  // registers delivered (exact over whole polls; a slice ends mid-poll at most once). A
  // lookup per update here would weigh on the very figure it counts.
  const registersPerTag = [...map.weight.values()].reduce((a, b) => a + b, 0) / map.tags.length;
  let good = 0;
  let counting = false;
  table.subscribe((updates) => {
    if (!counting) return;
    for (let i = 0; i < updates.length; i++) if (updates[i]!.sample.quality.code === 'Good') good++;
  });
  await registry.start();
  // Warm up: one full poll before counting.
  const warm = Date.now() + 5000;
  while (Number(diagnostics().polls) < 2 && Date.now() < warm) await new Promise((r) => setTimeout(r, 5));
  counting = true;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SLICE_MS));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const registers = good * registersPerTag;
  const d = diagnostics();
  const requestsPerPoll = Number(d.requestsPerPoll);
  const trouble = Number(d.timeouts) + Number(d.errors) + Number(d.connectionsLost);
  if (trouble > 0)
    process.stderr.write(
      `bench:modbus driver slice with ${d.timeouts} timeouts, ${d.errors} errors, ${d.connectionsLost} lost connections\n`,
    );
  await registry.stop();
  return {
    registersPerS: registers / seconds,
    cpuUsPer1000: ((cpu.user + cpu.system) / registers) * 1000,
    requestsPerPoll,
  };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const port = await freePort();
  const substations = Math.max(UNITS, MIXED_UNIT_COUNT, PLANT_UNITS);
  const sim = startChild(process.execPath, [
    '--import',
    'tsx',
    join(root, 'simulator', 'cli.ts'),
    '--substations',
    String(substations),
    '--modbus-port',
    String(port),
    '--no-opcua',
  ]);
  try {
    await sim.waitFor(/Modbus TCP: \S+:\d+/, 60_000);
    const limits = modbusTcpDeviceSchema.parse({ name: 'BENCH', protocol: 'modbus-tcp', host: '127.0.0.1', port });
    await writeMixedImage(port);
    const uint16 = uint16Map();
    const mixed = denseMixedMap();
    const plant = plantMap();
    const raw125: Read[] = optimalReads().map((r) => ({ ...r, table: 'holding', useful: r.count }));
    const plantPlan = plannedReads(plant, limits);
    const serverRequestsPerS = await measureServer(port);
    const raws: Rate[] = [];
    const drivers: Rate[] = [];
    const mixeds: Rate[] = [];
    const plants: Rate[] = [];
    const rawPlants: Rate[] = [];
    const wides: Rate[] = [];
    let wideRequestsPerPoll = 0;
    let requestsPerPoll = 0;
    let mixedRequestsPerPoll = 0;
    let plantRequestsPerPoll = 0;
    // Warm-up (JIT) of each loop.
    await measureModbusSerial(port, raw125);
    await measureDriver(port, uint16);
    await measureDriver(port, mixed);
    await measureDriver(port, plant);
    await measureModbusSerial(port, plantPlan);
    await measureDriver(port, plant, { maxGap: WIDE_GAP });
    for (let i = 0; i < SLICES; i++) {
      raws.push(await measureModbusSerial(port, raw125));
      const d = await measureDriver(port, uint16);
      drivers.push(d);
      requestsPerPoll = d.requestsPerPoll;
      const m = await measureDriver(port, mixed);
      mixeds.push(m);
      mixedRequestsPerPoll = m.requestsPerPoll;
      const p = await measureDriver(port, plant);
      plants.push(p);
      plantRequestsPerPoll = p.requestsPerPoll;
      rawPlants.push(await measureModbusSerial(port, plantPlan));
      const w = await measureDriver(port, plant, { maxGap: WIDE_GAP });
      wides.push(w);
      wideRequestsPerPoll = w.requestsPerPoll;
    }
    const slices = (rates: readonly Rate[]) => rates.map((r) => Math.round(r.registersPerS)).join(' ');
    process.stderr.write(
      `bench:modbus slices (registers/s): raw ${slices(raws)}; uint16 ${slices(drivers)}; mixed ${slices(mixeds)}; plant map ${slices(plants)}; raw plant map plan ${slices(rawPlants)}; plant map wide gap ${slices(wides)}\n`,
    );
    const rate = (rates: readonly Rate[]) => median(rates.map((r) => r.registersPerS));
    const cpu = (rates: readonly Rate[]) => median(rates.map((r) => r.cpuUsPer1000));
    const raw = rate(raws);
    const driver = rate(drivers);
    const mixedRate = rate(mixeds);
    const plantRate = rate(plants);
    const rawPlant = rate(rawPlants);
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
        mixed_tags: mixed.tags.length,
        mixed_registers: distinct(mixed),
        mixed_tags_per_s: round((mixedRate / distinct(mixed)) * mixed.tags.length),
        mixed_requests_per_poll: mixedRequestsPerPoll,
        plant_map_registers_per_s: round(plantRate),
        plant_map_vs_raw: ratio(plantRate, raw),
        plant_map_registers: distinct(plant),
        plant_map_requests_per_poll: plantRequestsPerPoll,
        plant_map_tags_per_s: round((plantRate / distinct(plant)) * TAGS),
        raw_plant_map_plan_registers_per_s: round(rawPlant),
        plant_map_vs_raw_same_requests: ratio(plantRate, rawPlant),
        plant_map_wide_gap_registers_per_s: round(wide),
        plant_map_wide_gap_vs_raw: ratio(wide, raw),
        plant_map_wide_gap_requests_per_poll: wideRequestsPerPoll,
        wide_gap: WIDE_GAP,
        cpu_us_per_1000_registers: {
          raw: round(cpu(raws)),
          uint16: round(cpu(drivers)),
          mixed: round(cpu(mixeds)),
          plant_map: round(cpu(plants)),
          raw_plant_map_plan: round(cpu(rawPlants)),
          plant_map_wide_gap: round(cpu(wides)),
        },
        uint16_cpu_vs_raw: ratio(cpu(raws), cpu(drivers)),
        mixed_cpu_vs_raw: ratio(cpu(raws), cpu(mixeds)),
        plant_map_cpu_vs_raw_same_requests: ratio(cpu(rawPlants), cpu(plants)),
        naive_registers_per_s: round(naive),
        requests_per_poll: requestsPerPoll,
        optimal_requests_per_poll: optimalReads().length,
        sim_server_requests_per_s: round(serverRequestsPerS),
        server: 'simulator CLI, own process',
        duration_ms: DURATION_MS,
        ...benchMeta(
          `Modbus TCP driver, 10,000 tags each counted through the device registry and the tag table: uint16 holding registers (7 units); a dense mixed map (float32 ABCD/CDAB, int32, scaled int16/uint16, bools in registers, 2,000 coils; ${MIXED_UNIT_COUNT} units); the plant's sparse map (${PLANT_UNITS} substations); simulator in its own process`,
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
