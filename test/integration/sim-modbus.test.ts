/**
 * The simulator's Modbus TCP server over real sockets, read with modbus-serial's client:
 * plausible decoded values, setpoint writes that move the process, exception responses,
 * pipelined and split requests, faults, and stop/start on the same port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import ModbusSerial from 'modbus-serial';
import { startSimulator, catalog, type RunningSimulator } from '../../simulator/index.js';
import { decodeRegisters } from '../../simulator/modbus/values.js';

// modbus-serial is CommonJS; under NodeNext its class is the default export's `default`.
const ModbusRTU = ModbusSerial.default;
type ModbusClient = InstanceType<typeof ModbusRTU>;

function mapping(signal: string) {
  const t = catalog.find((c) => c.signal === signal);
  if (!t) throw new Error(`no tag ${signal}`);
  return t.modbus;
}

describe('simulator Modbus TCP server', () => {
  let sim: RunningSimulator;
  let client: ModbusClient;

  async function readTag(signal: string, unit = 1): Promise<number | boolean> {
    const m = mapping(signal);
    client.setID(unit);
    switch (m.table) {
      case 'input':
      case 'holding': {
        const words = m.type === 'float32' || m.type === 'int32' || m.type === 'uint32' ? 2 : 1;
        const r =
          m.table === 'input'
            ? await client.readInputRegisters(m.address, words)
            : await client.readHoldingRegisters(m.address, words);
        return decodeRegisters({ ...m, address: 0 }, r.data, 0);
      }
      case 'coil':
        return (await client.readCoils(m.address, 1)).data[0]!;
      case 'discrete':
        return (await client.readDiscreteInputs(m.address, 1)).data[0]!;
    }
  }

  async function modbusError(action: () => Promise<unknown>): Promise<number | undefined> {
    try {
      await action();
    } catch (err) {
      return (err as { modbusCode?: number }).modbusCode;
    }
    return undefined;
  }

  beforeAll(async () => {
    sim = await startSimulator({ substations: 2, speed: 60, opcua: false, seed: 7 });
    client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: sim.modbusPort });
    client.setTimeout(2000);
    // Let the plant run a little at speed 60.
    await new Promise((r) => setTimeout(r, 1000));
  });

  afterAll(async () => {
    if (client?.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
    await sim?.close();
  });

  it('serves plausible engineering values in every data type', async () => {
    const supply = (await readTag('HX.T_SEC_SUP')) as number;
    const setpoint = (await readTag('HC.T_SP')) as number;
    expect(supply).toBeGreaterThan(35);
    expect(supply).toBeLessThan(80);
    expect(Math.abs(supply - setpoint)).toBeLessThan(3);
    expect(await readTag('HX.T_PRI_SUP')).toBeGreaterThan(70); // int16 ×100
    expect(await readTag('SEC.FLOW')).toBeGreaterThan(30); // float32 ABCD
    expect(await readTag('P1.SPEED')).toBeCloseTo(80, 0); // float32 CDAB
    expect(await readTag('P1.FREQ')).toBeCloseTo(40, 0);
    expect(await readTag('P1.STARTS')).toBeGreaterThan(0); // int32 ABCD
    expect(await readTag('HM.ENERGY')).toBeGreaterThan(100); // int32 CDAB, scaled
    expect(await readTag('SEC.SPEED_SP')).toBe(80); // uint16 ×10, holding
    expect(await readTag('P1.RUN')).toBe(true); // discrete input
    expect(await readTag('P2.RUN')).toBe(false);
    expect(await readTag('CV.AUTO')).toBe(true); // coil
    expect(await readTag('ALM.NO_FLOW')).toBe(false); // bit in the alarm word
    const level = (await readTag('EXP.LEVEL')) as number;
    expect(level).toBeGreaterThan(5);
    expect(level).toBeLessThan(95);
  });

  it('mirrors the input registers read-only at holding 1000', async () => {
    client.setID(1);
    const input = await client.readInputRegisters(200, 4);
    const mirror = await client.readHoldingRegisters(1200, 4);
    expect(mirror.data.slice(0, 2)).toEqual(input.data.slice(0, 2));
    expect(await modbusError(() => client.writeRegister(1000, 1))).toBe(2);
  });

  it('serves substation 2 as unit id 2', async () => {
    const supply = (await readTag('HX.T_SEC_SUP', 2)) as number;
    expect(supply).toBeGreaterThan(35);
    expect(supply).toBeCloseTo(sim.read('SS02.HX.T_SEC_SUP') as number, 0);
  });

  it('a setpoint written over Modbus changes the setpoint and moves the process', async () => {
    const before = (await readTag('HX.T_SEC_SUP')) as number;
    const setpointBefore = (await readTag('HC.T_SP')) as number;
    client.setID(1);
    await client.writeRegister(mapping('HC.OFFSET').address, 500); // int16 ×100: +5 K
    expect(sim.read('SS01.HC.OFFSET')).toBeCloseTo(5, 6);
    expect(await readTag('HC.OFFSET')).toBeCloseTo(5, 6);
    expect((await readTag('HC.T_SP')) as number).toBeCloseTo(setpointBefore + 5, 0);
    sim.plant.advance(1800);
    expect((await readTag('HX.T_SEC_SUP')) as number).toBeGreaterThan(before + 3);
    await client.writeRegister(mapping('HC.OFFSET').address, 0);
  });

  it('writes float32 setpoints with FC16 and coils with FC5', async () => {
    client.setID(1);
    const buf = Buffer.alloc(4);
    buf.writeFloatBE(2.2);
    await client.writeRegisters(mapping('MU.P_SP').address, [buf.readUInt16BE(0), buf.readUInt16BE(2)]);
    expect(sim.read('SS01.MU.P_SP')).toBeCloseTo(2.2, 5);
    buf.writeFloatBE(1.8);
    await client.writeRegisters(mapping('MU.P_SP').address, [buf.readUInt16BE(0), buf.readUInt16BE(2)]);
    expect(await readTag('MU.P_SP')).toBeCloseTo(1.8, 5);
    await client.writeCoil(mapping('CV.AUTO').address, false);
    expect(sim.read('SS01.CV.AUTO')).toBe(false);
    await client.writeRegister(mapping('CV.MAN_OUT').address, 123); // 12.3 %
    sim.plant.advance(300);
    expect(sim.read('SS01.CV.POS')).toBeCloseTo(12.3, 1);
    await client.writeCoil(mapping('CV.AUTO').address, true);
    expect(sim.read('SS01.CV.AUTO')).toBe(true);
  });

  it('answers exceptions: illegal address 02, illegal value 03, unknown unit 0B', async () => {
    client.setID(1);
    expect(await modbusError(() => client.readHoldingRegisters(1490, 20))).toBe(2);
    expect(await modbusError(() => client.readInputRegisters(500, 1))).toBe(2);
    expect(await modbusError(() => client.readCoils(1995, 10))).toBe(2);
    expect(await modbusError(() => client.writeRegister(mapping('SEC.DUTY_SEL').address, 3))).toBe(3);
    expect(await modbusError(() => client.writeRegister(mapping('SEC.SPEED_SP').address, 1200))).toBe(3);
    expect(sim.read('SS01.SEC.SPEED_SP')).toBe(80);
    client.setID(9);
    expect(await modbusError(() => client.readHoldingRegisters(0, 1))).toBe(0x0b);
    client.setID(1);
  });

  it('answers pipelined requests in one chunk and a request split across chunks', async () => {
    const request = (tid: number, address: number, quantity: number) => {
      const b = Buffer.alloc(12);
      b.writeUInt16BE(tid, 0);
      b.writeUInt16BE(6, 4);
      b[6] = 1;
      b[7] = 4;
      b.writeUInt16BE(address, 8);
      b.writeUInt16BE(quantity, 10);
      return b;
    };
    const socket = connect({ host: '127.0.0.1', port: sim.modbusPort });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const received: Buffer[] = [];
    const expectedBytes = (9 + 2 * 125) * 3 + (9 + 2 * 2);
    const done = new Promise<Buffer>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        const all = Buffer.concat(received);
        if (all.length >= expectedBytes) resolve(all);
      });
    });
    socket.write(Buffer.concat([request(11, 0, 125), request(12, 100, 125), request(13, 200, 125)]));
    const split = request(14, 3, 2);
    socket.write(split.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 50));
    socket.write(split.subarray(5));
    const all = await done;
    socket.destroy();
    const tids: number[] = [];
    for (let offset = 0; offset < all.length; offset += 6 + all.readUInt16BE(offset + 4))
      tids.push(all.readUInt16BE(offset));
    expect(tids).toEqual([11, 12, 13, 14]);
  });

  it('a secondary leak lowers the pressure and raises make-up flow, as read over Modbus', async () => {
    sim.plant.advance(1800); // let the make-up pump finish refilling from the setpoint test
    const pressure = (await readTag('EXP.P')) as number;
    const makeupStarts = (await readTag('MU.STARTS')) as number;
    expect(await readTag('MU.RUN')).toBe(false);
    sim.injectFault({ kind: 'secondary-leak', severity: 1, rampMs: 0 });
    sim.plant.advance(3600);
    expect((await readTag('EXP.P')) as number).toBeLessThan(pressure - 0.5);
    expect((await readTag('MU.FLOW')) as number).toBeGreaterThan(0.5);
    expect((await readTag('MU.STARTS')) as number).toBeGreaterThan(makeupStarts);
    expect(await readTag('ALM.P_LO')).toBe(true);
    sim.clearFaults();
  });

  it('stopModbus refuses connections; startModbus serves again on the same port', async () => {
    const port = sim.modbusPort;
    await sim.stopModbus();
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await sim.startModbus();
    expect(sim.modbusPort).toBe(port);
    const again = new ModbusRTU();
    await again.connectTCP('127.0.0.1', { port });
    again.setID(1);
    again.setTimeout(2000);
    const r = await again.readInputRegisters(0, 10);
    expect(r.data).toHaveLength(10);
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
