/**
 * Modbus TCP: a ModbusPollingDriver whose connection is a modbus-serial TCP client.
 * One connection per device; several unit ids behind one gateway share it.
 */
import type { Driver, DriverLogger } from '../driver.js';
import type { ModbusTcpDeviceConfig } from './config.js';
import { openTcpLink } from './link.js';
import { ModbusPollingDriver, type ModbusDriverOptions, type ModbusPoint } from './poller.js';

export interface ModbusTcpDriverOptions extends ModbusDriverOptions {
  readonly log?: DriverLogger;
  readonly now?: () => number;
}

export function createModbusTcpDriver(
  device: ModbusTcpDeviceConfig,
  options: ModbusTcpDriverOptions = {},
): Driver<ModbusPoint> {
  const endpoint = { host: device.host, port: device.port };
  return new ModbusPollingDriver(
    { ...device, protocol: 'modbus-tcp', endpoint: `${device.host}:${device.port}` },
    (observe) => openTcpLink(endpoint, device.timeoutMs, observe),
    options,
  );
}
