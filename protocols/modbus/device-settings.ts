/**
 * What a Modbus polling driver is told about its device and how it runs, whatever the
 * transport: the device's settings, how a connection is opened, and the driver's options.
 */
import type { DriverLogger, DriverProtocol } from '../driver.js';
import type { ModbusWordOrder } from './config.js';
import type { ModbusLink, RequestObservation } from './link.js';

/** What the polling driver needs to know about a device, whatever its transport. */
export interface ModbusDeviceSettings {
  readonly name: string;
  readonly protocol: Extract<DriverProtocol, 'modbus-tcp' | 'modbus-rtu'>;
  /** For people: "127.0.0.1:502", "/dev/ttyUSB0 @ 19200 8N1". */
  readonly endpoint: string;
  readonly unitId: number;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly wordOrder: ModbusWordOrder;
  readonly maxRegistersPerRead: number;
  readonly maxBitsPerRead: number;
  readonly maxGap: number;
}

export type LinkOpener = (observe: (o: RequestObservation) => void) => Promise<ModbusLink>;

export interface ModbusDriverOptions {
  readonly log?: DriverLogger;
  /** Clock for timestamps (ms since epoch). */
  readonly now?: () => number;
  /** Reconnect back-off: first delay and cap, ms (defaults 500 and 15,000). */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** How long a refused address (exception 02) is planned around before it is tried again, ms (default 10 min). */
  readonly refusedReprobeMs?: number;
  readonly random?: () => number;
}
