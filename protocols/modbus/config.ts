/**
 * Project-file schema for Modbus devices and tag addresses. The project schema
 * (main/runtime/config) composes these; they live here so the driver owns its vocabulary.
 */
import { z } from 'zod';
import { parseModbusAddress } from './address.js';

export const modbusTables = ['coil', 'discrete', 'input', 'holding'] as const;
export type ModbusTable = (typeof modbusTables)[number];

export const modbusDataTypes = [
  'bool',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
  'string',
] as const;
export type ModbusDataType = (typeof modbusDataTypes)[number];

/**
 * Byte/word order of multi-register values, named by where bytes A (most significant) .. D land:
 * ABCD big-endian (Modbus standard), CDAB word-swapped, BADC byte-swapped, DCBA little-endian.
 */
export const modbusWordOrders = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type ModbusWordOrder = (typeof modbusWordOrders)[number];

/**
 * A linear scale, written either as ranges (`raw: [0, 27648], eng: [0, 100]`) or as a factor and
 * offset (`factor: 0.01`, `offset: -40`): eng = raw × factor + offset.
 */
export const linearScaleSchema = z
  .object({
    /** Raw range as read from the device. */
    raw: z.tuple([z.number(), z.number()]).optional(),
    /** Engineering range the raw range maps onto. */
    eng: z.tuple([z.number(), z.number()]).optional(),
    /** Clamp the result to the engineering range (a raw value out of range is then Uncertain). Ranges only. */
    clamp: z.boolean().default(false),
    /** eng = raw × factor + offset, e.g. 0.01 for a register in hundredths. */
    factor: z.number().optional(),
    offset: z.number().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ranges = s.raw !== undefined || s.eng !== undefined;
    const linear = s.factor !== undefined || s.offset !== undefined;
    if (ranges && linear) {
      ctx.addIssue({
        code: 'custom',
        path: ['factor'],
        message: 'write either raw/eng ranges or factor/offset, not both',
      });
    } else if (!ranges && !linear) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'a scale needs raw and eng ranges (raw: [0, 1000], eng: [0, 100]) or a factor (factor: 0.01, offset: 0)',
      });
    } else if (ranges) {
      if (s.raw === undefined || s.eng === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [s.raw ? 'raw' : 'eng'],
          message: 'raw and eng ranges go together: write both',
        });
      else if (s.raw[0] === s.raw[1])
        ctx.addIssue({ code: 'custom', path: ['raw'], message: 'raw range must not be empty' });
    } else {
      if (s.factor === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['offset'],
          message: 'an offset needs a factor too (factor: 1 for an offset alone)',
        });
      else if (s.factor === 0 || !Number.isFinite(s.factor))
        ctx.addIssue({ code: 'custom', path: ['factor'], message: 'factor must be a non-zero number' });
      if (s.clamp)
        ctx.addIssue({ code: 'custom', path: ['clamp'], message: 'clamp needs raw and eng ranges to clamp to' });
    }
  });
export type LinearScale = z.infer<typeof linearScaleSchema>;

const addressFields = {
  type: z.enum(modbusDataTypes).default('uint16'),
  /** For a bool inside a holding/input register: which bit (0 = least significant). */
  bit: z.number().int().min(0).max(15).optional(),
  /** For strings: length in registers (2 characters each). */
  length: z.number().int().min(1).max(125).optional(),
  /** Overrides the device's word order for this tag. */
  wordOrder: z.enum(modbusWordOrders).optional(),
  unitId: z.number().int().min(0).max(255).optional(),
};

/** What the loader hands the driver: a table and a 0-based offset. */
const resolvedModbusAddressSchema = z
  .object({
    table: z.enum(modbusTables),
    /** 0-based register/bit offset within the table (the PDU address). */
    address: z.number().int().min(0).max(65535),
    ...addressFields,
  })
  .strict();

const NOTATIONS =
  'table: holding with address: 0 (0-based), or address: "400001" / "40001" / "holding:0" without table';

/**
 * A tag's Modbus address as written in the project: `table` with a 0-based `address`, or the
 * conventional notations as a quoted string with no `table` ("400001", "40001", "holding:0",
 * see address.ts). Decoded to table + 0-based address.
 */
export const modbusAddressSchema = z.codec(
  z
    .object({
      table: z.enum(modbusTables).optional(),
      /** 0-based offset with `table`; or a string "400001", "40001", "holding:0" that names the table itself. */
      address: z.union([z.number().int().min(0), z.string().min(1)]),
      ...addressFields,
    })
    .strict(),
  resolvedModbusAddressSchema,
  {
    decode: (input, ctx) => {
      const { table, address, ...rest } = input;
      if (typeof address === 'string') {
        const parsed = parseModbusAddress(address);
        if (!parsed.ok) {
          ctx.issues.push({
            code: 'custom',
            input: address,
            path: ['address'],
            message: `${parsed.reason}; write ${NOTATIONS}`,
          });
          return z.NEVER;
        }
        if (table !== undefined && table !== parsed.table) {
          ctx.issues.push({
            code: 'custom',
            input: address,
            path: ['address'],
            message: `"${address}" is ${parsed.table} ${parsed.address} but table says ${table}: drop "table" or write address: ${parsed.address}`,
          });
          return z.NEVER;
        }
        return { table: parsed.table, address: parsed.address, ...rest };
      }
      if (table === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: address,
          path: ['table'],
          message: `a numeric address needs "table" (coil, discrete, input, holding); or write the address as a quoted notation: "${address >= 10000 ? address : 400001 + address}" or "holding:${address}"`,
        });
        return z.NEVER;
      }
      if (address > 65535) {
        const parsed = parseModbusAddress(String(address));
        const hint = parsed.ok
          ? ` (${address} in Modbus notation is ${parsed.table} ${parsed.address}: write address: ${parsed.address}, or address: "${address}" without table)`
          : '';
        ctx.issues.push({
          code: 'custom',
          input: address,
          path: ['address'],
          message: `with "table", address is the 0-based offset 0..65535${hint}`,
        });
        return z.NEVER;
      }
      return { table, address, ...rest };
    },
    encode: (output) => ({ ...output, type: output.type ?? 'uint16' }),
  },
);
export type ModbusAddress = z.output<typeof modbusAddressSchema>;

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

/** What a Modbus tag's project entry says about it, beside its address. */
export interface ModbusTagSettings {
  readonly modbus: ModbusAddress;
  readonly kind: 'analog' | 'digital' | 'text';
  readonly writable: boolean;
  readonly scale?: LinearScale | undefined;
}

export interface ModbusTagProblem {
  /** Path inside the tag entry, e.g. ["modbus", "bit"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const registersOf: Readonly<Record<ModbusDataType, number>> = {
  bool: 1,
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
  string: 1,
};

const tableNames: Readonly<Record<ModbusTable, string>> = {
  coil: 'coils',
  discrete: 'discrete inputs',
  input: 'input registers',
  holding: 'holding registers',
};

/**
 * Combinations the schema accepts field by field but a device can never serve: each problem
 * says what to write instead. Pure.
 */
export function modbusTagProblems(tag: ModbusTagSettings): ModbusTagProblem[] {
  const problems: ModbusTagProblem[] = [];
  const m = tag.modbus;
  const bitTable = m.table === 'coil' || m.table === 'discrete';
  if (bitTable && m.type !== 'bool')
    problems.push({ path: ['modbus', 'type'], message: `${m.table} addresses hold single bits: type must be bool` });
  if (bitTable && m.bit !== undefined)
    problems.push({
      path: ['modbus', 'bit'],
      message: `a ${m.table} address is already a single bit: remove "bit" ("bit" picks a bit of a holding or input register)`,
    });
  if (!bitTable && m.type === 'bool' && m.bit === undefined)
    problems.push({ path: ['modbus', 'bit'], message: 'a bool in a register needs "bit" (0–15)' });
  if (!bitTable && m.bit !== undefined && m.type !== 'bool') {
    problems.push({
      path: ['modbus', 'bit'],
      message: `"bit" reads one bit of a register and needs type: bool (this tag is ${m.type}): write type: bool, or remove "bit"`,
    });
  }
  if (m.type === 'string' && m.length === undefined)
    problems.push({ path: ['modbus', 'length'], message: 'a string needs "length" in registers' });
  const count = bitTable ? 1 : m.type === 'string' ? (m.length ?? 1) : registersOf[m.type];
  if (m.address + count > 65536) {
    problems.push({
      path: ['modbus', 'address'],
      message: `${m.type} occupies ${count} registers, ${m.address}..${m.address + count - 1}, past the last register 65535: the highest address for it is ${65536 - count}`,
    });
  }
  if (tag.writable && (m.table === 'input' || m.table === 'discrete')) {
    problems.push({
      path: ['writable'],
      message: `${tableNames[m.table]} are read-only in Modbus (only holding registers and coils can be written): remove "writable: true", or use table: ${m.table === 'input' ? 'holding' : 'coil'}`,
    });
  }
  const numeric = m.type !== 'bool' && m.type !== 'string' && !bitTable;
  if (tag.scale && !numeric)
    problems.push({
      path: ['scale'],
      message: `scale applies to numbers, not to a ${bitTable ? m.table : m.type}: remove "scale"`,
    });
  if (tag.kind === 'digital' && numeric && (tag.scale !== undefined || m.type === 'float32' || m.type === 'float64')) {
    const what = `${tag.scale ? 'a scaled ' : 'a '}${m.type}`;
    problems.push({
      path: ['kind'],
      message: `kind: digital shows one of two states, but this tag is ${what}: write kind: analog, or read one bit with type: bool and "bit"`,
    });
  }
  return problems;
}
