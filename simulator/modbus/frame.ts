/**
 * Modbus TCP framing and request handling, pure: split a byte stream into MBAP frames,
 * and turn one request frame into its response frame against a data model. No sockets.
 *
 * MBAP header: transaction id (2), protocol id (2, always 0), length (2, bytes that follow:
 * unit id + PDU), unit id (1). Function codes served: 1, 2, 3, 4, 5, 6, 15, 16.
 * Exceptions: 01 unknown function, 02 illegal address, 03 illegal value (bad quantity,
 * byte count, coil value, or a setpoint outside its range), 04 device failure (a write the
 * model could not apply), 0B for a unit id the gateway has no device behind.
 */

export const ExceptionCode = {
  IllegalFunction: 0x01,
  IllegalDataAddress: 0x02,
  IllegalDataValue: 0x03,
  ServerDeviceFailure: 0x04,
  GatewayTargetFailedToRespond: 0x0b,
} as const;
export type ExceptionCode = (typeof ExceptionCode)[keyof typeof ExceptionCode];

export const MBAP_HEADER_BYTES = 7;
/** Largest legal length field: unit id + 253-byte PDU. */
export const MAX_LENGTH_FIELD = 254;

/** What the request handler needs from the plant; reads return data or an exception code. */
export interface ModbusDataModel {
  hasUnit(unitId: number): boolean;
  readBits(
    unitId: number,
    table: 'coil' | 'discrete',
    address: number,
    quantity: number,
  ): ArrayLike<number> | ExceptionCode;
  readRegisters(
    unitId: number,
    table: 'holding' | 'input',
    address: number,
    quantity: number,
  ): ArrayLike<number> | ExceptionCode;
  /** 0 when applied. */
  writeBits(unitId: number, address: number, values: readonly boolean[]): 0 | ExceptionCode;
  /** 0 when applied. */
  writeRegisters(unitId: number, address: number, values: Uint16Array): 0 | ExceptionCode;
}

export interface SplitResult {
  /** Complete frames, each a view of the input (header + PDU). */
  readonly frames: Buffer[];
  /** Bytes used by the complete frames; the rest is the start of an unfinished frame. */
  readonly consumed: number;
  /** The stream is not Modbus TCP (impossible length field): the connection should close. */
  readonly malformed: boolean;
}

export function splitFrames(buffer: Buffer): SplitResult {
  const frames: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= MBAP_HEADER_BYTES - 1) {
    const length = buffer.readUInt16BE(offset + 4);
    if (length < 2 || length > MAX_LENGTH_FIELD) return { frames, consumed: offset, malformed: true };
    const total = 6 + length;
    if (buffer.length - offset < total) break;
    frames.push(buffer.subarray(offset, offset + total));
    offset += total;
  }
  return { frames, consumed: offset, malformed: false };
}

function header(frame: Buffer, pduLength: number): Buffer {
  const out = Buffer.allocUnsafe(MBAP_HEADER_BYTES + pduLength);
  out.writeUInt16BE(frame.readUInt16BE(0), 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pduLength + 1, 4);
  out[6] = frame[6]!;
  return out;
}

export function exceptionResponse(frame: Buffer, functionCode: number, code: ExceptionCode): Buffer {
  const out = header(frame, 2);
  out[7] = (functionCode | 0x80) & 0xff;
  out[8] = code;
  return out;
}

/** The unit ids a TCP client may use to mean "the device behind this gateway itself". */
const DEFAULT_UNIT_ALIASES = new Set([0, 255]);

/**
 * Answer one request frame. Returns null when no answer should be sent (protocol id is
 * not 0: not a Modbus frame).
 */
export function handleFrame(frame: Buffer, model: ModbusDataModel): Buffer | null {
  if (frame.readUInt16BE(2) !== 0) return null;
  const rawUnit = frame[6]!;
  const fc = frame[7];
  if (fc === undefined) return null;
  const unit = DEFAULT_UNIT_ALIASES.has(rawUnit) && !model.hasUnit(rawUnit) ? 1 : rawUnit;
  if (!model.hasUnit(unit)) return exceptionResponse(frame, fc, ExceptionCode.GatewayTargetFailedToRespond);
  const pdu = frame.subarray(7);
  switch (fc) {
    case 0x01:
    case 0x02:
      return readBits(frame, pdu, fc, unit, model);
    case 0x03:
    case 0x04:
      return readRegisters(frame, pdu, fc, unit, model);
    case 0x05:
      return writeSingleCoil(frame, pdu, unit, model);
    case 0x06:
      return writeSingleRegister(frame, pdu, unit, model);
    case 0x0f:
      return writeMultipleCoils(frame, pdu, unit, model);
    case 0x10:
      return writeMultipleRegisters(frame, pdu, unit, model);
    default:
      return exceptionResponse(frame, fc, ExceptionCode.IllegalFunction);
  }
}

function readBits(frame: Buffer, pdu: Buffer, fc: number, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length !== 5) return exceptionResponse(frame, fc, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const quantity = pdu.readUInt16BE(3);
  if (quantity < 1 || quantity > 2000) return exceptionResponse(frame, fc, ExceptionCode.IllegalDataValue);
  const bits = model.readBits(unit, fc === 0x01 ? 'coil' : 'discrete', address, quantity);
  if (typeof bits === 'number') return exceptionResponse(frame, fc, bits);
  const byteCount = Math.ceil(quantity / 8);
  const out = header(frame, 2 + byteCount);
  out[7] = fc;
  out[8] = byteCount;
  out.fill(0, 9);
  for (let i = 0; i < quantity; i++) if (bits[i]) out[9 + (i >> 3)]! |= 1 << (i & 7);
  return out;
}

function readRegisters(frame: Buffer, pdu: Buffer, fc: number, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length !== 5) return exceptionResponse(frame, fc, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const quantity = pdu.readUInt16BE(3);
  if (quantity < 1 || quantity > 125) return exceptionResponse(frame, fc, ExceptionCode.IllegalDataValue);
  const regs = model.readRegisters(unit, fc === 0x03 ? 'holding' : 'input', address, quantity);
  if (typeof regs === 'number') return exceptionResponse(frame, fc, regs);
  const out = header(frame, 2 + quantity * 2);
  out[7] = fc;
  out[8] = quantity * 2;
  for (let i = 0; i < quantity; i++) out.writeUInt16BE(regs[i]!, 9 + i * 2);
  return out;
}

function echo(frame: Buffer): Buffer {
  const out = header(frame, 5);
  frame.copy(out, 7, 7, 12);
  return out;
}

function writeSingleCoil(frame: Buffer, pdu: Buffer, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length !== 5) return exceptionResponse(frame, 0x05, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const value = pdu.readUInt16BE(3);
  if (value !== 0xff00 && value !== 0x0000) return exceptionResponse(frame, 0x05, ExceptionCode.IllegalDataValue);
  const result = model.writeBits(unit, address, [value === 0xff00]);
  return result === 0 ? echo(frame) : exceptionResponse(frame, 0x05, result);
}

function writeSingleRegister(frame: Buffer, pdu: Buffer, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length !== 5) return exceptionResponse(frame, 0x06, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const result = model.writeRegisters(unit, address, Uint16Array.of(pdu.readUInt16BE(3)));
  return result === 0 ? echo(frame) : exceptionResponse(frame, 0x06, result);
}

function writeMultipleCoils(frame: Buffer, pdu: Buffer, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length < 6) return exceptionResponse(frame, 0x0f, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const quantity = pdu.readUInt16BE(3);
  const byteCount = pdu[5]!;
  if (quantity < 1 || quantity > 1968 || byteCount !== Math.ceil(quantity / 8) || pdu.length !== 6 + byteCount) {
    return exceptionResponse(frame, 0x0f, ExceptionCode.IllegalDataValue);
  }
  const values: boolean[] = [];
  for (let i = 0; i < quantity; i++) values.push((pdu[6 + (i >> 3)]! & (1 << (i & 7))) !== 0);
  const result = model.writeBits(unit, address, values);
  return result === 0 ? echo(frame) : exceptionResponse(frame, 0x0f, result);
}

function writeMultipleRegisters(frame: Buffer, pdu: Buffer, unit: number, model: ModbusDataModel): Buffer {
  if (pdu.length < 6) return exceptionResponse(frame, 0x10, ExceptionCode.IllegalDataValue);
  const address = pdu.readUInt16BE(1);
  const quantity = pdu.readUInt16BE(3);
  const byteCount = pdu[5]!;
  if (quantity < 1 || quantity > 123 || byteCount !== quantity * 2 || pdu.length !== 6 + byteCount) {
    return exceptionResponse(frame, 0x10, ExceptionCode.IllegalDataValue);
  }
  const values = new Uint16Array(quantity);
  for (let i = 0; i < quantity; i++) values[i] = pdu.readUInt16BE(6 + i * 2);
  const result = model.writeRegisters(unit, address, values);
  return result === 0 ? echo(frame) : exceptionResponse(frame, 0x10, result);
}
