/**
 * TagValue → Variant of the node's built-in DataType, refusing values that do not fit
 * (a refused write never reaches the server). Reasons use the OPC UA status names so the
 * console shows the same words whether the client or the server refused.
 */
import { DataType, VariantArrayType, type VariantOptions } from 'node-opcua';
import type { TagValue } from '../driver.js';

export type WriteVariant =
  { readonly ok: true; readonly variant: VariantOptions } | { readonly ok: false; readonly reason: string };

const integerRanges: Partial<Record<DataType, readonly [number, number]>> = {
  [DataType.SByte]: [-128, 127],
  [DataType.Byte]: [0, 255],
  [DataType.Int16]: [-32768, 32767],
  [DataType.UInt16]: [0, 65535],
  [DataType.Int32]: [-2147483648, 2147483647],
  [DataType.UInt32]: [0, 4294967295],
};

const int64Ranges: Partial<Record<DataType, readonly [bigint, bigint]>> = {
  [DataType.Int64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DataType.UInt64]: [0n, 2n ** 64n - 1n],
};

/**
 * A 64-bit integer to write: an integer number within ±(2^53 − 1), or a decimal string (exact at
 * any size, as the driver delivers values beyond 2^53). Null when the value is neither.
 */
function int64Of(value: TagValue): bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value.trim())) return BigInt(value.trim());
  return null;
}

function describe(value: TagValue): string {
  return typeof value === 'string'
    ? `string ${JSON.stringify(value)}`
    : `${value === null ? 'null' : typeof value} ${String(value)}`;
}

export function variantForWrite(dataType: DataType, value: TagValue): WriteVariant {
  const typeName = DataType[dataType] ?? String(dataType);
  const mismatch = (): WriteVariant => ({
    ok: false,
    reason: `BadTypeMismatch: cannot write ${describe(value)} to a ${typeName} node`,
  });
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
  const wide = int64Ranges[dataType];
  if (wide) {
    const n = int64Of(value);
    if (n === null) {
      if (typeof value === 'number' && Number.isInteger(value))
        return {
          ok: false,
          reason: `BadOutOfRange: ${value} is beyond 2^53 and not exact as a number; write it as a decimal string to a ${typeName} node`,
        };
      return mismatch();
    }
    if (n < wide[0] || n > wide[1]) return { ok: false, reason: `BadOutOfRange: ${n} does not fit a ${typeName} node` };
    // node-opcua encodes 64-bit integers from [high, low] 32-bit words (two's complement).
    const bits = BigInt.asUintN(64, n);
    return {
      ok: true,
      variant: {
        dataType,
        arrayType: VariantArrayType.Scalar,
        value: [Number(bits >> 32n), Number(bits & 0xffffffffn)],
      },
    };
  }
  const range = integerRanges[dataType];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return mismatch();
    if (value < range[0] || value > range[1])
      return { ok: false, reason: `BadOutOfRange: ${value} does not fit a ${typeName} node` };
    return { ok: true, variant: { dataType, value } };
  }
  return { ok: false, reason: `BadTypeMismatch: writing ${typeName} nodes is not supported` };
}

/** Whether a value read back equals what was written, at the node's precision. */
export function sameWrittenValue(dataType: DataType, written: TagValue, readBack: TagValue): boolean {
  if (dataType === DataType.Float && typeof written === 'number' && typeof readBack === 'number') {
    return Math.fround(written) === Math.fround(readBack);
  }
  if ((dataType === DataType.Int64 || dataType === DataType.UInt64) && written !== null && readBack !== null) {
    const a = int64Of(written);
    return a !== null && a === int64Of(readBack);
  }
  return written === readBack;
}
