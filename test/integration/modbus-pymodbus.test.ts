/**
 * The Modbus TCP driver against an implementation nobody here wrote: Debian's pymodbus
 * (python3-pymodbus, run with /usr/bin/python3), serving a register map set up here and
 * checked value by value. Also: stop → Bad within two poll periods, restart → Good; a peer that
 * refuses every address on one connection is believed on that connection only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Driver, DriverTag } from '../../protocols/driver.js';
import {
  modbusTcpDeviceSchema,
  type ModbusAddress,
  type ModbusDataType,
  type ModbusTable,
  type ModbusWordOrder,
} from '../../protocols/modbus/config.js';
import { createModbusTcpDriver, type ModbusPoint } from '../../protocols/modbus/index.js';
import {
  startPymodbusServer,
  startRefusingPymodbusServer,
  type RegisterMap,
  type RunningServer,
} from './modbus-fixtures.js';
import {
  asciiWords,
  float32Words,
  float64Words,
  int32Words,
  int64Words,
  put,
  SampleLog,
  uint32Words,
  waitFor,
} from './modbus-support.js';
import { lacking } from '../support/prerequisites.js';

const POLL_MS = 250;
const servers: RunningServer[] = [];
const drivers: Driver<ModbusPoint>[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

interface Expectation {
  readonly name: string;
  readonly register: Partial<ModbusAddress> & { table: ModbusTable; address: number; type?: ModbusDataType };
  readonly expected: number | boolean | string;
  readonly scale?: ModbusPoint['scale'];
}

function swapWords(words: number[]): number[] {
  return [...words].reverse();
}
function swapBytes(words: number[]): number[] {
  return words.map((w) => ((w & 0xff) << 8) | (w >> 8));
}

function buildMap(): { map: RegisterMap; expectations: Expectation[] } {
  const holding: Record<number, number> = {};
  const input: Record<number, number> = {};
  const expectations: Expectation[] = [];
  let next = 0;
  const place = (
    name: string,
    type: ModbusDataType,
    words: number[],
    expected: number | string,
    wordOrder?: ModbusWordOrder,
    length?: number,
  ) => {
    put(holding, next, words);
    expectations.push({
      name,
      register: {
        table: 'holding',
        address: next,
        type,
        ...(wordOrder ? { wordOrder } : {}),
        ...(length ? { length } : {}),
      },
      expected,
    });
    next += words.length + 3; // leave gaps the planner must bridge (maxGap) — pymodbus refuses gap reads, so keep them mapped
  };
  place('U16', 'uint16', [65000], 65000);
  place('I16', 'int16', [0x8000], -32768);
  place('I32', 'int32', int32Words(-2_000_000_000), -2_000_000_000);
  place('U32', 'uint32', uint32Words(4_000_000_000), 4_000_000_000);
  place('I64', 'int64', int64Words(-9_007_199_254_740_991n), -9_007_199_254_740_991);
  place('F64', 'float64', float64Words(Math.PI), Math.PI);
  place('STR', 'string', asciiWords('HX-01 plate', 6), 'HX-01 plate', undefined, 6);
  const f = float32Words(-273.15);
  place('F32_ABCD', 'float32', f, Math.fround(-273.15), 'ABCD');
  place('F32_CDAB', 'float32', swapWords(f), Math.fround(-273.15), 'CDAB');
  place('F32_BADC', 'float32', swapBytes(f), Math.fround(-273.15), 'BADC');
  place('F32_DCBA', 'float32', swapBytes(swapWords(f)), Math.fround(-273.15), 'DCBA');
  // fill the gaps so pymodbus's sparse block accepts the merged reads
  for (let a = 0; a < next; a++) holding[a] ??= 0;
  input[5] = 750;
  expectations.push({
    name: 'SCALED',
    register: { table: 'input', address: 5, type: 'int16' },
    expected: 75,
    scale: { raw: [0, 1000], eng: [0, 100], clamp: false },
  });
  // -57 × 0.01 is -0.5700000000000001 in floating point; the driver delivers the scale's precision.
  input[6] = 0x10000 - 57;
  expectations.push({
    name: 'HUNDREDTHS',
    register: { table: 'input', address: 6, type: 'int16' },
    expected: -0.57,
    scale: { factor: 0.01 },
  });
  expectations.push({ name: 'COIL', register: { table: 'coil', address: 9, type: 'bool' }, expected: true });
  expectations.push({ name: 'DI', register: { table: 'discrete', address: 2, type: 'bool' }, expected: false });
  expectations.push({ name: 'UNIT7', register: { table: 'holding', address: 0, unitId: 7 }, expected: 77 });
  return {
    map: { 1: { holding, input, coil: { 8: 0, 9: 1, 10: 0 }, discrete: { 2: 0, 3: 1 } }, 7: { holding: { 0: 77 } } },
    expectations,
  };
}

describe.skipIf(lacking('pymodbus'))('Modbus TCP driver against pymodbus (Debian python3-pymodbus)', () => {
  it('reads every value as pymodbus serves it; stop → Bad, restart → Good', async () => {
    const { map, expectations } = buildMap();
    let server = await startPymodbusServer(map);
    const port = server.port;
    const log = new SampleLog();
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'PY-PLC',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port,
        pollMs: POLL_MS,
        timeoutMs: 500,
      }),
      { reconnectBaseMs: 50, reconnectMaxMs: 500 },
    );
    drivers.push(driver);
    const tags: DriverTag<ModbusPoint>[] = expectations.map((e) => ({
      name: e.name,
      address: { register: { type: 'uint16', ...e.register } as ModbusAddress, ...(e.scale ? { scale: e.scale } : {}) },
      intervalMs: POLL_MS,
    }));
    driver.subscribe(tags, log.onSamples);
    await driver.connect();
    await waitFor('all values', () => expectations.every((e) => log.get(e.name) !== undefined));
    for (const e of expectations) {
      const s = log.get(e.name)!;
      expect({ name: e.name, quality: s.quality.code }).toEqual({ name: e.name, quality: 'Good' });
      if (typeof e.expected === 'number' && e.scale) expect(s.value, e.name).toBe(e.expected);
      else if (typeof e.expected === 'number') expect(s.value, e.name).toBeCloseTo(e.expected, 9);
      else expect(s.value, e.name).toBe(e.expected);
    }

    await server.stop();
    await waitFor(
      'all bad',
      () => expectations.every((e) => log.get(e.name)?.quality.code === 'Bad'),
      2 * POLL_MS + 2000,
    );
    expect(log.get('U16')!.quality.reason).toMatch(/^communication lost: PY-PLC /);

    server = await startPymodbusServer(map, port);
    servers.push(server);
    await waitFor('good again', () => expectations.every((e) => log.get(e.name)?.quality.code === 'Good'), 15_000);
  });

  it('a device that refused every address on one connection is re-probed at once on the next, and answers', async () => {
    const holding: Record<number, number> = {};
    for (let a = 0; a < 8; a++) holding[a] = 100 + a;
    const server = await startRefusingPymodbusServer({ 1: { holding } }, [1], 3000);
    servers.push(server);
    const log = new SampleLog();
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'PY-PLC',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: server.port,
        pollMs: 100,
        timeoutMs: 500,
      }),
      { reconnectBaseMs: 50, reconnectMaxMs: 200 },
    );
    drivers.push(driver);
    const names = ['R0', 'R3', 'R5', 'R7'];
    const addresses = [0, 3, 5, 7];
    driver.subscribe(
      names.map((name, i) => ({
        name,
        address: { register: { table: 'holding', address: addresses[i]!, type: 'uint16' } },
        intervalMs: 100,
      })),
      log.onSamples,
    );
    await driver.connect();

    // Connection 1 refuses: the Bad reason says so, with the exception code.
    await waitFor('refused', () => names.every((n) => log.get(n)?.quality.reason?.includes('refused')));
    expect(log.get('R3')!.quality).toEqual({
      code: 'Bad',
      reason: 'PY-PLC unit 1 holding 3: address refused by the device (exception 02 Illegal Data Address)',
    });
    // One merged read, then each point alone until it was refused three times on this connection; then it is left alone.
    await waitFor(
      'refusals settle',
      () => Number(driver.status().diagnostics.exceptions) >= 1 + 3 * names.length,
      2500,
    );
    const settled = Number(driver.status().diagnostics.exceptions);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.connections).toEqual(['connection 1 refusing']);
    expect(Number(driver.status().diagnostics.exceptions)).toBe(settled);
    expect(settled).toBe(1 + 3 * names.length);
    expect(driver.status().state).toBe('connected'); // an exception is an answer: the device is there

    // The peer closes connection 1; connection 2 answers, and every tag reads at once.
    await waitFor('connection 2', () => server.connections.length >= 2, 5000);
    const reconnectedAt = Date.now();
    await waitFor('good on connection 2', () => names.every((n) => log.get(n)?.quality.code === 'Good'), 3000);
    expect(Date.now() - reconnectedAt).toBeLessThan(3000); // before: not for refusedReprobeMs (10 minutes)
    expect(names.map((n) => log.get(n)!.value)).toEqual([100, 103, 105, 107]);
    expect(server.connections).toEqual(['connection 1 refusing', 'connection 2 answering']);
    expect(driver.status().state).toBe('connected');
    // Forgotten and merged again: one request per poll.
    await waitFor(
      'merged again',
      () => driver.status().diagnostics.requestsPerPoll === 1 && driver.status().diagnostics.refusedAddresses === 0,
      2000,
    );
  });
});
