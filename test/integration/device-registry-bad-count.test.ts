import { afterEach, describe, expect, it } from 'vitest';
import { projectSchema, type ProjectConfig } from '../../main/runtime/config/schema.js';
import { DeviceRegistry } from '../../main/runtime/devices/device-registry.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { startModbusSerialServer, type RunningServer } from './modbus-fixtures.js';
import { waitFor } from './modbus-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('device registry: Bad tag counts of a polled Modbus device', () => {
  it(
    'tells its listeners when the count moves: all Bad at start, 0 once answered, 1 when an address is refused, all Bad when the device goes away',
    { timeout: 30_000 },
    async () => {
      const registers: Record<number, number> = { 0: 11, 1: 22 };
      const server: RunningServer = await startModbusSerialServer({ 1: { holding: registers } });
      let serverUp = true;
      cleanups.push(async () => {
        if (serverUp) await server.stop();
      });
      const project: ProjectConfig = projectSchema.parse({
        schemaVersion: 1,
        name: 'bad count test',
        devices: [
          { name: 'PLC', protocol: 'modbus-tcp', host: '127.0.0.1', port: server.port, pollMs: 50, timeoutMs: 500 },
        ],
        tags: ['U1.P1.A', 'U1.P1.B'].map((name, address) => ({
          name,
          device: 'PLC',
          kind: 'analog',
          description: { en: name },
          modbus: { table: 'holding', address, type: 'uint16' },
        })),
      });
      const log = createLogger({ level: 'silent' });
      const tags = new TagTable(project.tags.map((t) => t.name));
      const devices = new DeviceRegistry(project, tags, { pkiDir: '', log }, log);
      const seen: number[] = [];
      devices.onChange(() => seen.push(devices.get('PLC')!.badTagCount));
      await devices.start();
      cleanups.push(() => devices.stop());

      await waitFor('both tags Good', () => seen.includes(0));
      expect(devices.get('PLC')).toMatchObject({ tagCount: 2, badTagCount: 0 });
      // Polls go on with every sample Good: the count stays put and no one is told again.
      const told = seen.length;
      await new Promise((r) => setTimeout(r, 400));
      expect(tags.get('U1.P1.A')?.value).toBe(11);
      expect(seen.slice(told).filter((n) => n !== 0)).toEqual([]);

      // The device refuses one address and stays connected: only the count says something changed.
      delete registers[1];
      await waitFor('one tag Bad', () => seen.at(-1) === 1);
      expect(devices.get('PLC')).toMatchObject({ state: 'connected', badTagCount: 1 });

      await server.stop();
      serverUp = false;
      await waitFor('both tags Bad', () => seen.at(-1) === 2);
      expect(devices.get('PLC')?.badTagCount).toBe(2);
    },
  );

  it(
    'builds the device list once per notification, however many listeners ask for it',
    { timeout: 30_000 },
    async () => {
      const server: RunningServer = await startModbusSerialServer({ 1: { holding: { 0: 1 } } });
      cleanups.push(() => server.stop());
      const project: ProjectConfig = projectSchema.parse({
        schemaVersion: 1,
        name: 'shared list test',
        devices: [
          { name: 'PLC', protocol: 'modbus-tcp', host: '127.0.0.1', port: server.port, pollMs: 50, timeoutMs: 500 },
        ],
        tags: [
          {
            name: 'U1.P1.A',
            device: 'PLC',
            kind: 'analog',
            description: { en: 'A' },
            modbus: { table: 'holding', address: 0, type: 'uint16' },
          },
        ],
      });
      const log = createLogger({ level: 'silent' });
      const tags = new TagTable(project.tags.map((t) => t.name));
      const devices = new DeviceRegistry(project, tags, { pkiDir: '', log }, log);
      const lists: unknown[][] = [];
      devices.onChange(() => lists.push([devices.list(), devices.list()]));
      devices.onChange(() => lists.at(-1)!.push(devices.list()));
      await devices.start();
      cleanups.push(() => devices.stop());
      await waitFor('a notification', () => lists.length > 0);
      const [first, ...others] = lists[0]!;
      for (const other of others) expect(other).toBe(first);
      // Outside a notification the list is read afresh.
      expect(devices.list()).not.toBe(first);
      expect(devices.list()).toEqual([expect.objectContaining({ device: 'PLC' })]);
    },
  );
});
