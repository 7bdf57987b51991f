/** The Modbus driver's public surface. */
export { createModbusTcpDriver, type ModbusTcpDriverOptions } from './tcp-driver.js';
export { createModbusRtuDriver, serialEndpoint } from './rtu-driver.js';
export {
  ModbusPollingDriver,
  type ModbusPoint,
  type ModbusDriverOptions,
  type ModbusDeviceSettings,
  type LinkOpener,
} from './poller.js';
export {
  ModbusRequestPlanner,
  type PlannerPoint,
  type PlannerLimits,
  type PlannedRead,
  type ReadPlan,
} from './planner.js';
export {
  decodeRegisters,
  encodeRegisters,
  registerCount,
  type RegisterFormat,
  type DecodeResult,
  type EncodeResult,
} from './codec.js';
export { exceptionName } from './exceptions.js';
export { parseModbusAddress, formatModbusAddress, type ParsedModbusAddress } from './address.js';
export { scaleToEngineering, scaleToRaw, type LinearScaleSpec } from '../scaling.js';
export * from './config.js';
