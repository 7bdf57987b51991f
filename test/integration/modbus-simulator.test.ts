/**
 * The Modbus TCP driver against the built-in simulator's server: every tag of a substation,
 * bound from the simulator's catalog the way a project binds it, reads back the value the
 * physics holds (physics paused so the comparison is exact up to the register's resolution);
 * a setpoint write lands in the plant.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DriverTag } from '../../protocols/driver.js';
import { modbusTcpDeviceSchema, type ModbusAddress } from '../../protocols/modbus/config.js';
import { createModbusTcpDriver, type ModbusPoint } from '../../protocols/modbus/index.js';
import { catalogForSubstation, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { SampleLog, waitFor } from './modbus-support.js';

let sim: RunningSimulator | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await sim?.close();
});

describe('Modbus TCP driver against the simulator', () => {
  it('reads every tag of two substations as the physics holds it, and writes a setpoint', async () => {
    sim = await startSimulator({ substations: 2, opcua: false });
    sim.plant.stop(); // freeze the physics: values stay put while we compare
    const entries = [...catalogForSubstation(1), ...catalogForSubstation(2)];
    const tags: DriverTag<ModbusPoint>[] = entries.map((t) => {
      const m = t.definition.modbus;
      const register = {
        table: m.table,
        address: m.address,
        type: m.type,
        unitId: t.unitId,
        ...(m.bit !== undefined ? { bit: m.bit } : {}),
        ...(m.wordOrder ? { wordOrder: m.wordOrder } : {}),
      } as ModbusAddress;
      return {
        name: t.name,
        address: { register, ...(m.scale ? { scale: m.scale } : {}), writable: t.definition.writable },
        intervalMs: 200,
      };
    });
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'SIM',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: sim.modbusPort,
        pollMs: 200,
      }),
    );
    closers.push(() => driver.close());
    const log = new SampleLog();
    driver.subscribe(tags, log.onSamples);
    await driver.connect();
    await waitFor('every tag', () => tags.every((t) => log.get(t.name) !== undefined), 15_000);

    let compared = 0;
    for (const t of entries) {
      const sample = log.get(t.name)!;
      expect({ tag: t.name, quality: sample.quality.code }).toEqual({ tag: t.name, quality: 'Good' });
      const truth = sim.read(t.name);
      const m = t.definition.modbus;
      if (typeof truth === 'boolean') {
        expect({ tag: t.name, value: sample.value }).toEqual({ tag: t.name, value: truth });
      } else if (typeof truth === 'number') {
        // resolution of the register: one raw step through the scaling, or float32 rounding
        const step = m.scale
          ? Math.abs((m.scale.eng[1] - m.scale.eng[0]) / (m.scale.raw[1] - m.scale.raw[0]))
          : m.type === 'float32'
            ? Math.abs(truth) * 1e-6 + 1e-6
            : 1;
        expect({ tag: t.name, close: Math.abs((sample.value as number) - truth) <= step + 1e-9 }).toEqual({
          tag: t.name,
          close: true,
        });
      }
      compared++;
    }
    expect(compared).toBe(entries.length);
    expect(Number(driver.status().diagnostics.requestsPerPoll)).toBeLessThan(entries.length / 4);

    // a writable analogue setpoint: write the middle of its range, read back, see it in the plant
    const setpoint = entries.find(
      (t) =>
        t.definition.writable &&
        t.definition.kind === 'analog' &&
        t.definition.modbus.table === 'holding' &&
        t.definition.modbus.bit === undefined,
    );
    expect(setpoint).toBeDefined();
    const [lo, hi] = setpoint!.definition.range;
    const target = Math.round(((lo + hi) / 2) * 10) / 10;
    const outcome = await driver.write(setpoint!.name, target);
    expect(outcome).toMatchObject({ ok: true, confirmed: true });
    expect(sim.read(setpoint!.name) as number).toBeCloseTo(target, 1);
  });
});
