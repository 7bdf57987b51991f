/**
 * DataValue → Sample: the pure mapping from what an OPC UA server sends to the driver's
 * sample vocabulary. Quality follows the StatusCode's severity bits and carries the status
 * name ("BadNodeIdUnknown"); values the console cannot show become Bad, naming the node.
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

export type DecodedValue = { readonly ok: true; readonly value: TagValue } | { readonly ok: false; readonly typeName: string };

/** A scalar Variant as a TagValue; arrays, matrices and structured types are refused with their type name. */
export function decodeVariant(variant: Variant | null | undefined): DecodedValue {
  if (!variant) return { ok: true, value: null };
  if (variant.arrayType !== VariantArrayType.Scalar) {
    return { ok: false, typeName: `${DataType[variant.dataType] ?? variant.dataType}[]` };
  }
  const v: unknown = variant.value;
  switch (variant.dataType) {
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
      return typeof v === 'number' ? { ok: true, value: v } : { ok: false, typeName: DataType[variant.dataType] };
    case DataType.Int64:
    case DataType.UInt64:
      return decodeInt64(v, variant.dataType === DataType.Int64);
    case DataType.String:
      return typeof v === 'string' || v === null ? { ok: true, value: v } : { ok: false, typeName: 'String' };
    case DataType.LocalizedText: {
      const text = (v as { text?: string | null } | null)?.text;
      return { ok: true, value: text ?? null };
    }
    default:
      return { ok: false, typeName: DataType[variant.dataType] ?? String(variant.dataType) };
  }
}

/** node-opcua carries 64-bit integers as [high, low] words; beyond 2^53 precision is lost (shown, not exact). */
function decodeInt64(v: unknown, signed: boolean): DecodedValue {
  if (typeof v === 'number') return { ok: true, value: v };
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
    const high = signed && v[0] >= 0x80000000 ? v[0] - TWO_POW_32 : v[0];
    return { ok: true, value: high * TWO_POW_32 + v[1] };
  }
  return { ok: false, typeName: signed ? 'Int64' : 'UInt64' };
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
export function sampleFromDataValue(tag: string, nodeId: string, dv: DataValue, lastValue: TagValue, receiveTime: number): Sample {
  const sourceTime = millis(dv.sourceTimestamp) ?? millis(dv.serverTimestamp) ?? receiveTime;
  const quality = qualityOfStatus(dv.statusCode, nodeId);
  const decoded = decodeVariant(dv.value);
  if (!decoded.ok) {
    return { tag, value: lastValue, quality: bad(`unsupported data type ${decoded.typeName} at ${nodeId}`), sourceTime, receiveTime };
  }
  const value = decoded.value === null && quality.code !== 'Good' ? lastValue : decoded.value;
  return { tag, value, quality, sourceTime, receiveTime };
}
