/**
 * The OPC UA driver against the built-in simulator's OPC UA server: live measurements,
 * a setpoint write that reaches the physics, an out-of-range write refused by name, and
 * the tag picker's view of an equipment folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../protocols/driver.js';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import { OpcuaDriver } from '../../protocols/opcua/index.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { waitFor } from '../support/wait-for.js';

describe('OPC UA driver against the simulator', () => {
  let sim: RunningSimulator;
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'argus-opcua-simtest-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    sim = await startSimulator({ substations: 1, opcua: true, pkiDir: temp() });
  });
  afterAll(async () => {
    await sim?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reads live measurements, writes a setpoint into the plant, and browses equipment', async () => {
    const driver = new OpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'SS01-OPC',
        protocol: 'opcua',
        endpointUrl: sim.opcuaEndpoint!,
        samplingMs: 100,
        publishingMs: 100,
      }),
      { pkiDir: temp() },
    );
    const latest = new Map<string, Sample>();
    const supply: number[] = [];
    try {
      driver.subscribe(
        [
          { name: 'T_SEC_SUP', address: { nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP' }, intervalMs: 100 },
          { name: 'SPEED_SP', address: { nodeId: 'ns=1;s=SS01.SEC.SPEED_SP' }, intervalMs: 100 },
          { name: 'DUTY_SEL', address: { nodeId: 'ns=1;s=SS01.SEC.DUTY_SEL' }, intervalMs: 100 },
        ],
        (samples) =>
          samples.forEach((s) => {
            latest.set(s.tag, s);
            if (s.tag === 'T_SEC_SUP' && s.quality.code === 'Good' && typeof s.value === 'number') supply.push(s.value);
          }),
      );
      await driver.connect();
      await waitFor('values', () =>
        ['T_SEC_SUP', 'SPEED_SP', 'DUTY_SEL'].every((t) => latest.get(t)?.quality.code === 'Good'),
      );
      const t = latest.get('T_SEC_SUP')!;
      expect(typeof t.value).toBe('number');
      expect(t.value as number).toBeGreaterThan(0);
      expect(t.value as number).toBeLessThan(130);
      await waitFor('the measurement moves', () => new Set(supply).size >= 3);

      const target = sim.read('SS01.SEC.SPEED_SP') === 70 ? 75 : 70;
      const outcome = await driver.write('SPEED_SP', target);
      expect(outcome).toMatchObject({ ok: true, readBack: target });
      expect(sim.read('SS01.SEC.SPEED_SP')).toBe(target);
      await waitFor('setpoint notification', () => latest.get('SPEED_SP')?.value === target);

      const refused = await driver.write('SPEED_SP', 5);
      expect(refused.ok).toBe(false);
      expect(!refused.ok && refused.reason).toMatch(/^BadOutOfRange/);
      const mistyped = await driver.write('DUTY_SEL', 1.5);
      expect(!mistyped.ok && mistyped.reason).toMatch(/^BadTypeMismatch: cannot write number 1.5 to a UInt16 node/);

      const equipment = await driver.browse('ns=1;s=SS01');
      expect(equipment.map((e) => e.displayName)).toContain('HX');
      const hx = await driver.browse('ns=1;s=SS01.HX');
      const entry = hx.find((e) => e.nodeId === 'ns=1;s=SS01.HX.T_SEC_SUP');
      expect(entry).toMatchObject({
        nodeClass: 'Variable',
        dataType: 'Double',
        engineeringUnit: '°C',
        writable: false,
      });
    } finally {
      await driver.close();
    }
  });
});
