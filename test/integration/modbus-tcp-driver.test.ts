/**
 * The Modbus TCP driver over real sockets against modbus-serial's ServerTCP: decoding,
 * exceptions, connection loss and recovery, device independence, writes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Driver, DriverTag } from '../../protocols/driver.js';
import { modbusTcpDeviceSchema, type ModbusAddress } from '../../protocols/modbus/config.js';
import { createModbusTcpDriver, type ModbusPoint } from '../../protocols/modbus/index.js';
import { freePort, startModbusSerialServer, type RegisterMap, type RunningServer } from './modbus-fixtures.js';
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

const POLL_MS = 200;
const drivers: Driver<ModbusPoint>[] = [];
const servers: RunningServer[] = [];
const rawServers: Server[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const s of rawServers) s.close();
});

function device(name: string, port: number, extra: Record<string, unknown> = {}) {
  return modbusTcpDeviceSchema.parse({
    name,
    protocol: 'modbus-tcp',
    host: '127.0.0.1',
    port,
    pollMs: POLL_MS,
    timeoutMs: 300,
    ...extra,
  });
}

function tag(
  name: string,
  register: Partial<ModbusAddress> & Pick<ModbusAddress, 'table' | 'address'>,
  extra: Partial<ModbusPoint> = {},
): DriverTag<ModbusPoint> {
  return {
    name,
    address: { register: { type: 'uint16', ...register } as ModbusAddress, ...extra },
    intervalMs: POLL_MS,
  };
}

function driverFor(dev: ReturnType<typeof device>): Driver<ModbusPoint> {
  const d = createModbusTcpDriver(dev, { reconnectBaseMs: 50, reconnectMaxMs: 400 });
  drivers.push(d);
  return d;
}

function plantMap(): RegisterMap {
  const holding: Record<number, number> = {};
  holding[0] = 1234;
  holding[1] = 0xfffe;
  put(holding, 2, [0x42f6, 0xe979]); // float32 123.456 ABCD
  put(holding, 4, [0xe979, 0x42f6]); // the same, CDAB
  put(holding, 6, int32Words(-100_000));
  put(holding, 8, uint32Words(3_000_000_000));
  put(holding, 10, int64Words(-1_234_567_890_123n));
  put(holding, 14, float64Words(-0.000123));
  put(holding, 20, asciiWords('PUMP-1', 4));
  holding[30] = 0b101;
  holding[40] = 0;
  put(holding, 41, [0, 0]);
  return {
    1: { holding, input: { 0: 215, 1: 1500 }, coil: { 0: 1, 1: 0 }, discrete: { 3: 1 } },
    2: { holding: { 0: 42 } },
  };
}

const plantTags = [
  tag('P.U16', { table: 'holding', address: 0 }),
  tag('P.I16', { table: 'holding', address: 1, type: 'int16' }),
  tag('P.F32', { table: 'holding', address: 2, type: 'float32' }),
  tag('P.F32_CDAB', { table: 'holding', address: 4, type: 'float32', wordOrder: 'CDAB' }),
  tag('P.I32', { table: 'holding', address: 6, type: 'int32' }),
  tag('P.U32', { table: 'holding', address: 8, type: 'uint32' }),
  tag('P.I64', { table: 'holding', address: 10, type: 'int64' }),
  tag('P.F64', { table: 'holding', address: 14, type: 'float64' }),
  tag('P.NAME', { table: 'holding', address: 20, type: 'string', length: 4 }),
  tag('P.BIT0', { table: 'holding', address: 30, type: 'bool', bit: 0 }),
  tag('P.BIT1', { table: 'holding', address: 30, type: 'bool', bit: 1 }),
  tag('P.BIT2', { table: 'holding', address: 30, type: 'bool', bit: 2 }),
  tag('P.TEMP', { table: 'input', address: 0 }, { scale: { raw: [0, 1000], eng: [0, 100] } }),
  tag('P.CLAMPED', { table: 'input', address: 1 }, { scale: { raw: [0, 1000], eng: [0, 100], clamp: true } }),
  tag('P.RUN', { table: 'coil', address: 0, type: 'bool' }),
  tag('P.FAULT', { table: 'coil', address: 1, type: 'bool' }),
  tag('P.DOOR', { table: 'discrete', address: 3, type: 'bool' }),
  tag('P.UNIT2', { table: 'holding', address: 0, unitId: 2 }),
  tag(
    'P.SP',
    { table: 'holding', address: 40, type: 'int16' },
    { writable: true, scale: { raw: [0, 1000], eng: [0, 100], clamp: true } },
  ),
  tag('P.SP_F', { table: 'holding', address: 41, type: 'float32' }, { writable: true }),
  tag('P.SP_RO', { table: 'holding', address: 40, type: 'int16' }),
  tag('P.CMD', { table: 'coil', address: 1, type: 'bool' }, { writable: true }),
];

describe('Modbus TCP driver against modbus-serial ServerTCP', () => {
  it('decodes every type, order, bit, scaling and unit id, value by value', async () => {
    const server = await startModbusSerialServer(plantMap());
    servers.push(server);
    const log = new SampleLog();
    const d = driverFor(device('SS01-PLC', server.port));
    d.subscribe(plantTags, log.onSamples);
    await d.connect();
    await waitFor('all tags', () => plantTags.every((t) => log.get(t.name)?.quality.code !== undefined));
    const value = (name: string) => log.get(name)?.value;
    expect(value('P.U16')).toBe(1234);
    expect(value('P.I16')).toBe(-2);
    expect(value('P.F32')).toBeCloseTo(123.456, 4);
    expect(value('P.F32_CDAB')).toBeCloseTo(123.456, 4);
    expect(value('P.I32')).toBe(-100_000);
    expect(value('P.U32')).toBe(3_000_000_000);
    expect(value('P.I64')).toBe(-1_234_567_890_123);
    expect(value('P.F64')).toBe(-0.000123);
    expect(value('P.NAME')).toBe('PUMP-1');
    expect([value('P.BIT0'), value('P.BIT1'), value('P.BIT2')]).toEqual([true, false, true]);
    expect(value('P.TEMP')).toBeCloseTo(21.5, 9);
    expect(value('P.CLAMPED')).toBe(100);
    expect(log.get('P.CLAMPED')!.quality).toEqual({
      code: 'Uncertain',
      reason: 'SS01-PLC unit 1 input 1: clamped: raw 1500 outside [0,1000]',
    });
    expect([value('P.RUN'), value('P.FAULT'), value('P.DOOR')]).toEqual([true, false, true]);
    expect(value('P.UNIT2')).toBe(42);
    for (const name of ['P.U16', 'P.F64', 'P.RUN', 'P.UNIT2']) {
      const s = log.get(name)!;
      expect(s.quality.code).toBe('Good');
      expect(s.receiveTime).toBeGreaterThanOrEqual(s.sourceTime);
    }
    const status = d.status();
    expect(status.state).toBe('connected');
    expect(status.endpoint).toBe(`127.0.0.1:${server.port}`);
    expect(Number(status.diagnostics.requests)).toBeGreaterThan(0);
    expect(status.diagnostics.rttP95Ms).toBeTypeOf('number');
  });

  it('an exception makes only that read Bad, naming device, unit, table, range and code', async () => {
    const map = plantMap();
    const server = await startModbusSerialServer(map);
    servers.push(server);
    const log = new SampleLog();
    const d = driverFor(device('SS01-PLC', server.port, { maxGap: 0 }));
    d.subscribe(
      [
        tag('A', { table: 'holding', address: 0 }),
        tag('MISSING', { table: 'holding', address: 100, type: 'float32' }),
        tag('B', { table: 'input', address: 0 }),
      ],
      log.onSamples,
    );
    await d.connect();
    await waitFor(
      'samples',
      () => log.get('A') !== undefined && log.get('MISSING') !== undefined && log.get('B') !== undefined,
    );
    expect(log.get('MISSING')!.quality).toEqual({
      code: 'Bad',
      reason: 'SS01-PLC unit 1 holding 100..101: address refused by the device (exception 02 Illegal Data Address)',
    });
    expect(log.get('A')!.quality.code).toBe('Good');
    expect(log.get('B')!.quality.code).toBe('Good');
    expect(d.status().state).toBe('connected');
  });

  it('remembers a refused address inside a merged read and plans around it', async () => {
    const map = plantMap();
    delete map[1]!.holding![1]; // the gap register between two tags is refused
    const server = await startModbusSerialServer(map);
    servers.push(server);
    const log = new SampleLog();
    const d = driverFor(device('SS01-PLC', server.port));
    d.subscribe(
      [tag('A', { table: 'holding', address: 0 }), tag('F', { table: 'holding', address: 2, type: 'float32' })],
      log.onSamples,
    );
    await d.connect();
    await waitFor('both good', () => log.get('A')?.quality.code === 'Good' && log.get('F')?.quality.code === 'Good');
    const before = Number(d.status().diagnostics.exceptions);
    const polls = Number(d.status().diagnostics.polls);
    await waitFor('three more polls', () => Number(d.status().diagnostics.polls) >= polls + 3);
    expect(Number(d.status().diagnostics.exceptions)).toBe(before); // no more exceptions: the plan avoids address 1
    expect(d.status().diagnostics.requestsPerPoll).toBe(2);
    expect(Number(d.status().diagnostics.refusedAddresses)).toBe(1);
  });

  it('a stopped server turns every tag Bad "communication lost" within two poll periods, and recovers', async () => {
    const map = plantMap();
    const port = await freePort();
    let server = await startModbusSerialServer(map, port);
    const log = new SampleLog();
    const d = driverFor(device('SS01-PLC', port));
    const states: string[] = [];
    d.onStatus((s) => states.push(s.state));
    d.subscribe(plantTags.slice(0, 5), log.onSamples);
    await d.connect();
    await waitFor('good', () => plantTags.slice(0, 5).every((t) => log.get(t.name)?.quality.code === 'Good'));
    const stoppedAt = Date.now();
    await server.stop();
    await waitFor(
      'all bad',
      () => plantTags.slice(0, 5).every((t) => log.get(t.name)?.quality.code === 'Bad'),
      2 * POLL_MS + 2000,
    );
    const bad = log.get('P.F32')!;
    expect(bad.quality.reason).toMatch(/^communication lost: SS01-PLC /);
    expect(bad.value).toBeCloseTo(123.456, 4); // the last value the device gave, marked Bad
    expect(bad.receiveTime - stoppedAt).toBeLessThanOrEqual(2 * POLL_MS + 1000);
    await waitFor('disconnected', () => d.status().state !== 'connected');
    expect(d.status().lastError).toMatch(/^communication lost: SS01-PLC/);

    server = await startModbusSerialServer(map, port);
    servers.push(server);
    await waitFor('good again', () => plantTags.slice(0, 5).every((t) => log.get(t.name)?.quality.code === 'Good'));
    expect(d.status().state).toBe('connected');
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');
  });

  it('a silent peer (socket open, no answers) is detected by timeout; a second device keeps updating', async () => {
    const silent = createServer((sock: Socket) => sock.on('data', () => {}));
    rawServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const server = await startModbusSerialServer(plantMap());
    servers.push(server);

    const deadLog = new SampleLog();
    const liveLog = new SampleLog();
    const dead = driverFor(device('DEAD-PLC', silentPort));
    const live = driverFor(device('LIVE-PLC', server.port));
    dead.subscribe([tag('D.X', { table: 'holding', address: 7 })], deadLog.onSamples);
    live.subscribe([tag('L.X', { table: 'holding', address: 0 })], liveLog.onSamples);
    await Promise.all([dead.connect(), live.connect()]);
    await waitFor('dead tag bad', () => deadLog.get('D.X')?.quality.code === 'Bad');
    expect(deadLog.get('D.X')!.quality.reason).toBe(
      'communication lost: DEAD-PLC unit 1 holding 7: no answer within 300 ms',
    );
    const count = liveLog.count('L.X');
    await waitFor('live keeps updating', () => liveLog.count('L.X') >= count + 5);
    expect(liveLog.get('L.X')!.quality.code).toBe('Good');
    expect(Number(dead.status().diagnostics.timeouts)).toBeGreaterThan(0);
  });

  it('an unreachable device reports the connect error', async () => {
    const port = await freePort();
    const log = new SampleLog();
    const d = driverFor(device('GONE-PLC', port));
    d.subscribe([tag('G.X', { table: 'holding', address: 0 })], log.onSamples);
    await d.connect();
    expect(log.get('G.X')!.quality).toEqual({
      code: 'Bad',
      reason: `communication lost: GONE-PLC connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(d.status().state).toBe('disconnected');
    await d.close();
    expect(d.status().state).toBe('stopped');
  });

  it('writes FC6, FC16 and FC5 with read-back; refuses bad values and read-only tags without sending', async () => {
    const map = plantMap();
    const server = await startModbusSerialServer(map);
    servers.push(server);
    const log = new SampleLog();
    const d = driverFor(device('SS01-PLC', server.port));
    d.subscribe(plantTags, log.onSamples);
    await d.connect();
    await waitFor('connected', () => log.get('P.SP')?.quality.code === 'Good');

    expect(await d.write('P.SP', 21.5)).toEqual({ ok: true, confirmed: true, readBack: 21.5 });
    expect(map[1]!.holding![40]).toBe(215);
    const f = await d.write('P.SP_F', 55.25);
    expect(f).toEqual({ ok: true, confirmed: true, readBack: 55.25 });
    expect([map[1]!.holding![41], map[1]!.holding![42]]).toEqual(float32Words(55.25));
    expect(await d.write('P.CMD', true)).toEqual({ ok: true, confirmed: true, readBack: true });
    expect(map[1]!.coil![1]).toBe(1);

    const writes = server.writes();
    const refusedRange = await d.write('P.SP', 150);
    expect(refusedRange).toEqual({
      ok: false,
      reason: 'SS01-PLC unit 1 holding 40: value 150 outside the engineering range [0,100]; nothing sent',
    });
    expect(await d.write('P.SP_F', 'hot')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expects a number/),
    });
    expect(await d.write('P.SP_RO', 1)).toEqual({
      ok: false,
      reason: 'P.SP_RO is read-only (not marked writable in the project)',
    });
    expect(await d.write('P.TEMP', 1)).toMatchObject({ ok: false });
    expect(await d.write('NOPE', 1)).toMatchObject({ ok: false });
    expect(server.writes()).toBe(writes); // no write frame reached the device
    expect(map[1]!.holding![40]).toBe(215);
  });
});
