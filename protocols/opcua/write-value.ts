/**
 * TagValue → Variant of the node's built-in DataType, refusing values that do not fit
 * (a refused write never reaches the server). Reasons use the OPC UA status names so the
 * console shows the same words whether the client or the server refused.
 */
import { DataType, VariantArrayType, type VariantOptions } from 'node-opcua';
import type { TagValue } from '../driver.js';

export type WriteVariant = { readonly ok: true; readonly variant: VariantOptions } | { readonly ok: false; readonly reason: string };

const integerRanges: Partial<Record<DataType, readonly [number, number]>> = {
  [DataType.SByte]: [-128, 127],
  [DataType.Byte]: [0, 255],
  [DataType.Int16]: [-32768, 32767],
  [DataType.UInt16]: [0, 65535],
  [DataType.Int32]: [-2147483648, 2147483647],
  [DataType.UInt32]: [0, 4294967295],
  [DataType.Int64]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  [DataType.UInt64]: [0, Number.MAX_SAFE_INTEGER],
};

function describe(value: TagValue): string {
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : `${value === null ? 'null' : typeof value} ${String(value)}`;
}

export function variantForWrite(dataType: DataType, value: TagValue): WriteVariant {
  const typeName = DataType[dataType] ?? String(dataType);
  const mismatch = (): WriteVariant => ({ ok: false, reason: `BadTypeMismatch: cannot write ${describe(value)} to a ${typeName} node` });
  if (dataType === DataType.Boolean) {
    if (typeof value === 'boolean') return { ok: true, variant: { dataType, value } };
    return mismatch();
  }
  if (dataType === DataType.String) {
    return typeof value === 'string' ? { ok: true, variant: { dataType, value } } : mismatch();
  }
  if (dataType === DataType.Float || dataType === DataType.Double) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return mismatch();
    return { ok: true, variant: { dataType, value } };
  }
  const range = integerRanges[dataType];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return mismatch();
    if (value < range[0] || value > range[1]) return { ok: false, reason: `BadOutOfRange: ${value} does not fit a ${typeName} node` };
    if (dataType === DataType.Int64 || dataType === DataType.UInt64) {
      // node-opcua encodes 64-bit integers from [high, low] words.
      const high = Math.floor(value / 4294967296);
      const low = value - high * 4294967296;
      return { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value: [high >>> 0, low >>> 0] } };
    }
    return { ok: true, variant: { dataType, value } };
  }
  return { ok: false, reason: `BadTypeMismatch: writing ${typeName} nodes is not supported` };
}

/** Whether a value read back equals what was written, at the node's precision. */
export function sameWrittenValue(dataType: DataType, written: TagValue, readBack: TagValue): boolean {
  if (dataType === DataType.Float && typeof written === 'number' && typeof readBack === 'number') {
    return Math.fround(written) === Math.fround(readBack);
  }
  return written === readBack;
}
