/**
 * Project-file schema for Modbus devices and tag addresses. The project schema
 * (main/runtime/config) composes these; they live here so the driver owns its vocabulary.
 */
import { z } from 'zod';

export const modbusTables = ['coil', 'discrete', 'input', 'holding'] as const;
export type ModbusTable = (typeof modbusTables)[number];

export const modbusDataTypes = [
  'bool', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'string',
] as const;
export type ModbusDataType = (typeof modbusDataTypes)[number];

/**
 * Byte/word order of multi-register values, named by where bytes A (most significant) .. D land:
 * ABCD big-endian (Modbus standard), CDAB word-swapped, BADC byte-swapped, DCBA little-endian.
 */
export const modbusWordOrders = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type ModbusWordOrder = (typeof modbusWordOrders)[number];

export const linearScaleSchema = z
  .object({
    /** Raw range as read from the device. */
    raw: z.tuple([z.number(), z.number()]),
    /** Engineering range the raw range maps onto. */
    eng: z.tuple([z.number(), z.number()]),
    /** Clamp the result to the engineering range (a raw value out of range is then Uncertain). */
    clamp: z.boolean().default(false),
  })
  .strict()
  .refine((s) => s.raw[0] !== s.raw[1], { message: 'raw range must not be empty', path: ['raw'] });
export type LinearScale = z.infer<typeof linearScaleSchema>;

export const modbusAddressSchema = z
  .object({
    table: z.enum(modbusTables),
    /** 0-based register/bit offset within the table (the PDU address, not 4xxxx notation). */
    address: z.number().int().min(0).max(65535),
    type: z.enum(modbusDataTypes).default('uint16'),
    /** For a bool inside a holding/input register: which bit (0 = least significant). */
    bit: z.number().int().min(0).max(15).optional(),
    /** For strings: length in registers (2 characters each). */
    length: z.number().int().min(1).max(125).optional(),
    /** Overrides the device's word order for this tag. */
    wordOrder: z.enum(modbusWordOrders).optional(),
    unitId: z.number().int().min(0).max(255).optional(),
  })
  .strict();
export type ModbusAddress = z.infer<typeof modbusAddressSchema>;

/** How a device is polled and read, the same over TCP and a serial line. */
const pollingFields = {
  pollMs: z.number().int().min(10).max(3_600_000).default(1000),
  timeoutMs: z.number().int().min(50).max(60_000).default(1000),
  wordOrder: z.enum(modbusWordOrders).default('ABCD'),
  /** Largest read the PLC accepts, in registers (many accept fewer than the protocol's 125). */
  maxRegistersPerRead: z.number().int().min(1).max(125).default(125),
  maxBitsPerRead: z.number().int().min(1).max(2000).default(2000),
  /** Unused addresses a single read may span to merge two tags into one request. */
  maxGap: z.number().int().min(0).max(124).default(16),
};

export const modbusTcpDeviceSchema = z
  .object({
    name: z.string().min(1),
    protocol: z.literal('modbus-tcp'),
    /** Served by the simulator that the runtime starts itself; host and port are filled in at start-up. */
    builtinSimulator: z.boolean().default(false),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(502),
    unitId: z.number().int().min(0).max(255).default(1),
    ...pollingFields,
  })
  .strict();
export type ModbusTcpDeviceConfig = z.infer<typeof modbusTcpDeviceSchema>;

/**
 * Modbus RTU over a serial port (RS-485/RS-232). Several unit ids share the bus; requests are
 * strictly one at a time. The project-schema device union needs this member to accept it.
 */
export const modbusRtuDeviceSchema = z
  .object({
    name: z.string().min(1),
    protocol: z.literal('modbus-rtu'),
    /** Serial device: "/dev/ttyUSB0", "COM3". */
    path: z.string().min(1),
    baudRate: z.number().int().min(300).max(921_600).default(9600),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    unitId: z.number().int().min(0).max(247).default(1),
    ...pollingFields,
  })
  .strict();
export type ModbusRtuDeviceConfig = z.infer<typeof modbusRtuDeviceSchema>;
