/**
 * DataValue → Sample: the pure mapping from what an OPC UA server sends to the driver's
 * sample vocabulary. Quality follows the StatusCode's severity bits and carries the status
 * name ("BadNodeIdUnknown"); values the console cannot show become Bad, naming the node.
 *
 * Arrays: a tag holds one value, so an array node is read one element per tag (`index` in the
 * tag's opcua address, sent to the server as an index range); each element is then a tag of
 * its own, shown, alarmed and historized like any scalar. A whole array is Bad, and the
 * reason says what to write. Int64/UInt64: exact as a number within ±(2^53 − 1); beyond, the
 * value is carried as an exact decimal string ("9223372036854775807"), never rounded.
 */
import { DataType, VariantArrayType, type DataValue, type StatusCode, type Variant } from 'node-opcua';
import { GOOD, bad, uncertain, type Quality, type Sample, type TagValue } from '../driver.js';

const TWO_POW_32 = 4294967296;

/** The name of a status code without node-opcua's "#info" suffix, e.g. "BadNodeIdUnknown". */
export function statusName(status: StatusCode): string {
  const name = status.name;
  const hash = name.indexOf('#');
  return hash > 0 ? name.slice(0, hash) : name;
}

/** Severity lives in the top two bits: 00 Good, 01 Uncertain, 1x Bad. */
export function qualityOfStatus(status: StatusCode, nodeId: string): Quality {
  const severity = status.value >>> 30;
  if (severity === 0) return GOOD;
  const reason = `${statusName(status)} at ${nodeId}`;
  return severity === 1 ? uncertain(reason) : bad(reason);
}

export type DecodedValue =
  | { readonly ok: true; readonly value: TagValue }
  | {
      readonly ok: false;
      readonly typeName: string;
      /** Elements of a one-dimensional array. */ readonly arrayLength?: number;
    };

/**
 * A scalar Variant as a TagValue. With `element`, the Variant is what a read with an index range
 * returns (a one-element array) and its first element is the value. Arrays without `element`,
 * matrices and structured types are refused with their type name.
 */
export function decodeVariant(variant: Variant | null | undefined, element = false): DecodedValue {
  if (!variant) return { ok: true, value: null };
  if (variant.arrayType !== VariantArrayType.Scalar) {
    const typeName = DataType[variant.dataType] ?? String(variant.dataType);
    const items = variant.value as ArrayLike<unknown> | null;
    const length = items && typeof items.length === 'number' ? items.length : 0;
    if (element && variant.arrayType === VariantArrayType.Array && length >= 1)
      return decodeScalar(variant.dataType, items![0]);
    return variant.arrayType === VariantArrayType.Array
      ? { ok: false, typeName: `${typeName}[${length}]`, arrayLength: length }
      : { ok: false, typeName: `${typeName}[,]` };
  }
  return decodeScalar(variant.dataType, variant.value);
}

function decodeScalar(dataType: DataType, v: unknown): DecodedValue {
  switch (dataType) {
    case DataType.Null:
      return { ok: true, value: null };
    case DataType.Boolean:
      return { ok: true, value: Boolean(v) };
    case DataType.SByte:
    case DataType.Byte:
    case DataType.Int16:
    case DataType.UInt16:
    case DataType.Int32:
    case DataType.UInt32:
    case DataType.Float:
    case DataType.Double:
      return typeof v === 'number' ? { ok: true, value: v } : { ok: false, typeName: DataType[dataType] };
    case DataType.Int64:
    case DataType.UInt64:
      return decodeInt64(v, dataType === DataType.Int64);
    case DataType.String:
      return typeof v === 'string' || v === null ? { ok: true, value: v } : { ok: false, typeName: 'String' };
    case DataType.LocalizedText: {
      const text = (v as { text?: string | null } | null)?.text;
      return { ok: true, value: text ?? null };
    }
    default:
      return { ok: false, typeName: DataType[dataType] ?? String(dataType) };
  }
}

/**
 * node-opcua carries 64-bit integers as [high, low] 32-bit words. Within ±(2^53 − 1) the value is
 * an exact number; beyond, an exact decimal string (a double would silently round it).
 */
function decodeInt64(v: unknown, signed: boolean): DecodedValue {
  if (typeof v === 'number') return { ok: true, value: v };
  if (typeof v === 'bigint') return { ok: true, value: int64Value(v) };
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
    const high = signed && v[0] >= 0x80000000 ? v[0] - TWO_POW_32 : v[0];
    return { ok: true, value: int64Value((BigInt(high) << 32n) + BigInt(v[1] >>> 0)) };
  }
  return { ok: false, typeName: signed ? 'Int64' : 'UInt64' };
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function int64Value(v: bigint): number | string {
  return v <= MAX_EXACT && v >= -MAX_EXACT ? Number(v) : v.toString();
}

function millis(date: Date | null | undefined): number | undefined {
  if (!date) return undefined;
  const t = date.getTime();
  // node-opcua decodes the OPC UA "no timestamp" (1601-01-01) as a real date; treat it as absent.
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/**
 * One notification as a Sample. `lastValue` is what the tag showed before: a Bad status
 * without a value keeps it (the console shows the last value, marked Bad).
 */
export function sampleFromDataValue(
  tag: string,
  nodeId: string,
  dv: DataValue,
  lastValue: TagValue,
  receiveTime: number,
  element?: number,
): Sample {
  const sourceTime = millis(dv.sourceTimestamp) ?? millis(dv.serverTimestamp) ?? receiveTime;
  const quality = qualityOfStatus(dv.statusCode, nodeId);
  const decoded = decodeVariant(dv.value, element !== undefined);
  if (!decoded.ok) {
    // A Bad status says more than the (empty) value that came with it.
    if (quality.code === 'Bad') return { tag, value: lastValue, quality, sourceTime, receiveTime };
    const reason =
      element !== undefined && decoded.arrayLength === 0
        ? `index ${element} is beyond the end of the array at ${nodeId}`
        : unsupportedReason(decoded, nodeId);
    return { tag, value: lastValue, quality: bad(reason), sourceTime, receiveTime };
  }
  const value = decoded.value === null && quality.code !== 'Good' ? lastValue : decoded.value;
  return { tag, value, quality, sourceTime, receiveTime };
}

/** Why a value cannot be a tag's value, and for an array what to write instead. */
export function unsupportedReason(
  decoded: { readonly typeName: string; readonly arrayLength?: number },
  nodeId: string,
): string {
  if (decoded.arrayLength === undefined) return `unsupported data type ${decoded.typeName} at ${nodeId}`;
  const last = decoded.arrayLength - 1;
  const which = last >= 1 ? `index: 0 … index: ${last}` : 'index: 0';
  return `unsupported data type ${decoded.typeName} at ${nodeId}: a tag holds one value; read one element per tag with ${which} in its opcua address`;
}
