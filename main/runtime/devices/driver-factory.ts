/**
 * Turns a device in the project into a running driver, and a tag into that driver's
 * address. Adding a protocol means a new case here and a folder in protocols/.
 */
import type { Driver, DriverTag } from '../../../protocols/driver.js';
import { createModbusRtuDriver, createModbusTcpDriver, type ModbusPoint } from '../../../protocols/modbus/index.js';
import { createOpcuaDriver } from '../../../protocols/opcua/index.js';
import type { OpcuaAddress } from '../../../protocols/opcua/config.js';
import type { DeviceConfig, TagConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';

export interface DriverContext {
  /** Folder for protocol certificates (OPC UA PKI). */
  readonly pkiDir: string;
  readonly log: Logger;
}

export interface BoundDevice {
  readonly config: DeviceConfig;
  readonly driver: Driver<unknown>;
  readonly tags: readonly DriverTag<unknown>[];
}

/** How often a tag is expected to update, ms. */
export function tagIntervalMs(tag: TagConfig, device: DeviceConfig): number {
  if (tag.intervalMs !== undefined) return tag.intervalMs;
  if (device.protocol === 'opcua') return tag.opcua?.samplingMs ?? device.samplingMs;
  return device.pollMs;
}

export function bindDevice(device: DeviceConfig, tags: readonly TagConfig[], ctx: DriverContext): BoundDevice {
  const log = ctx.log.child({ device: device.name });
  switch (device.protocol) {
    case 'modbus-tcp':
    case 'modbus-rtu': {
      const driverTags: DriverTag<ModbusPoint>[] = tags.map((tag) => {
        if (!tag.modbus) throw new Error(`tag ${tag.name} has no modbus address`);
        const point: ModbusPoint = {
          register: tag.modbus,
          writable: tag.writable,
          ...(tag.scale ? { scale: tag.scale } : {}),
        };
        return { name: tag.name, address: point, intervalMs: tagIntervalMs(tag, device) };
      });
      const driver =
        device.protocol === 'modbus-tcp'
          ? createModbusTcpDriver(device, { log })
          : createModbusRtuDriver(device, { log });
      return { config: device, driver: driver as Driver<unknown>, tags: driverTags };
    }
    case 'opcua': {
      const driverTags: DriverTag<OpcuaAddress>[] = tags.map((tag) => {
        if (!tag.opcua) throw new Error(`tag ${tag.name} has no opcua address`);
        return { name: tag.name, address: tag.opcua, intervalMs: tagIntervalMs(tag, device) };
      });
      return {
        config: device,
        driver: createOpcuaDriver(device, { pkiDir: ctx.pkiDir, log }) as Driver<unknown>,
        tags: driverTags,
      };
    }
  }
}
