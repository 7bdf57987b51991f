/**
 * Modbus RTU over a serial line: a pseudo-terminal pair made by Debian's socat, with Debian's
 * pymodbus as the RTU server on the far end (two unit ids on the bus). Values are checked one
 * by one; a server that goes silent turns the tags Bad by timeout, and its return recovers them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DriverTag } from '../../protocols/driver.js';
import { modbusRtuDeviceSchema, type ModbusAddress } from '../../protocols/modbus/config.js';
import { createModbusRtuDriver, type ModbusPoint } from '../../protocols/modbus/index.js';
import { startPtyPair, startPymodbusRtuServer, type RegisterMap, type RunningServer } from './modbus-fixtures.js';
import { asciiWords, float32Words, int32Words, put, SampleLog, waitFor } from './modbus-support.js';
import { lacking } from '../support/prerequisites.js';

const POLL_MS = 250;
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function tag(
  name: string,
  register: Partial<ModbusAddress> & Pick<ModbusAddress, 'table' | 'address'>,
): DriverTag<ModbusPoint> {
  return { name, address: { register: { type: 'uint16', ...register } as ModbusAddress }, intervalMs: POLL_MS };
}

describe.skipIf(lacking('socat', 'pymodbus', 'pymodbus-serial'))(
  'Modbus RTU driver over a socat pty pair against pymodbus',
  () => {
    it('reads values from two units, turns Bad when the server goes silent, recovers when it returns', async () => {
      const pty = await startPtyPair();
      closers.push(() => pty.stop());
      const holding: Record<number, number> = {};
      put(holding, 0, [321]);
      put(holding, 1, float32Words(-12.5));
      put(holding, 3, int32Words(-70_000));
      put(holding, 5, asciiWords('RTU', 2));
      const map: RegisterMap = { 1: { holding, input: { 0: 99 }, coil: { 0: 1, 1: 0 } }, 2: { holding: { 10: 2222 } } };
      let server: RunningServer = await startPymodbusRtuServer(map, pty.b);

      const device = modbusRtuDeviceSchema.parse({
        name: 'RTU-BUS',
        protocol: 'modbus-rtu',
        path: pty.a,
        baudRate: 19200,
        pollMs: POLL_MS,
        timeoutMs: 400,
      });
      const driver = createModbusRtuDriver(device, { reconnectBaseMs: 50, reconnectMaxMs: 500 });
      closers.push(() => driver.close());
      const log = new SampleLog();
      const tags = [
        tag('R.U16', { table: 'holding', address: 0 }),
        tag('R.F32', { table: 'holding', address: 1, type: 'float32' }),
        tag('R.I32', { table: 'holding', address: 3, type: 'int32' }),
        tag('R.STR', { table: 'holding', address: 5, type: 'string', length: 2 }),
        tag('R.IN', { table: 'input', address: 0 }),
        tag('R.C0', { table: 'coil', address: 0, type: 'bool' }),
        tag('R.C1', { table: 'coil', address: 1, type: 'bool' }),
        tag('R.UNIT2', { table: 'holding', address: 10, unitId: 2 }),
      ];
      driver.subscribe(tags, log.onSamples);
      await driver.connect();
      await waitFor('all good', () => tags.every((t) => log.get(t.name)?.quality.code === 'Good'), 15_000);
      expect(Object.fromEntries(tags.map((t) => [t.name, log.get(t.name)!.value]))).toEqual({
        'R.U16': 321,
        'R.F32': -12.5,
        'R.I32': -70_000,
        'R.STR': 'RTU',
        'R.IN': 99,
        'R.C0': true,
        'R.C1': false,
        'R.UNIT2': 2222,
      });
      expect(driver.status().endpoint).toBe(`${pty.a} @ 19200 8N1`);
      expect(driver.status().protocol).toBe('modbus-rtu');

      await server.stop();
      await waitFor('all bad', () => tags.every((t) => log.get(t.name)?.quality.code === 'Bad'), 10_000);
      expect(log.get('R.U16')!.quality.reason).toMatch(/^communication lost: RTU-BUS unit 1 .*no answer within 400 ms/);
      expect(log.get('R.UNIT2')!.quality.reason).toMatch(
        /^communication lost: RTU-BUS unit 2 holding 10: no answer within 400 ms/,
      );

      server = await startPymodbusRtuServer(map, pty.b);
      closers.push(() => server.stop());
      await waitFor('good again', () => tags.every((t) => log.get(t.name)?.quality.code === 'Good'), 30_000);
    });
  },
);
