/**
 * Modbus RTU over a serial port: a ModbusPollingDriver whose connection is modbus-serial's
 * buffered RTU client (connectRTUBuffered), which reassembles frames split across reads.
 *
 * RTU frames carry no transaction id: an answer is recognised by unit id, function code and
 * length only. After a timeout the driver closes and reopens the port (as for TCP) so a late
 * answer is dropped with the old port's buffer; an answer that arrives after the reopen could
 * still be taken for the next request to the same unit and function — a limit of RTU itself,
 * kept small by a timeout comfortably above the device's worst answer time.
 */
import ModbusSerial from 'modbus-serial';
import type { Driver } from '../driver.js';
import type { ModbusRtuDeviceConfig } from './config.js';
import { ModbusLink, openWithin } from './link.js';
import { ModbusPollingDriver, type ModbusDriverOptions, type ModbusPoint } from './poller.js';

/** "/dev/ttyUSB0 @ 19200 8E1" */
export function serialEndpoint(device: ModbusRtuDeviceConfig): string {
  const parity = device.parity === 'none' ? 'N' : device.parity === 'even' ? 'E' : 'O';
  return `${device.path} @ ${device.baudRate} ${device.dataBits}${parity}${device.stopBits}`;
}

export function createModbusRtuDriver(
  device: ModbusRtuDeviceConfig,
  options: ModbusDriverOptions = {},
): Driver<ModbusPoint> {
  return new ModbusPollingDriver(
    { ...device, protocol: 'modbus-rtu', endpoint: serialEndpoint(device) },
    async (observe) => {
      const client = new ModbusSerial.default();
      client.on('error', () => {});
      const opening = client.connectRTUBuffered(device.path, {
        baudRate: device.baudRate,
        dataBits: device.dataBits,
        parity: device.parity,
        stopBits: device.stopBits,
      });
      await openWithin(client, opening, device.timeoutMs, device.path);
      return new ModbusLink(client, device.timeoutMs, observe);
    },
    options,
  );
}
