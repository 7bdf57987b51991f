/**
 * Modbus register codec: 16-bit words as read from a holding/input table ⇄ typed values.
 * Pure: no I/O.
 *
 * Byte and word order, named by where the bytes of a value (A = most significant) land:
 *   ABCD  big-endian, the Modbus standard        float32 123.456 → 0x42F6 0xE979
 *   CDAB  words reversed ("word swap")                            → 0xE979 0x42F6
 *   BADC  bytes swapped inside each word                          → 0xF642 0x79E9
 *   DCBA  little-endian (both)                                    → 0x79E9 0xF642
 * For 64-bit values "words reversed" reverses all four words (CDAB of ABCDEFGH is GH EF CD AB).
 * The byte swap of BADC/DCBA applies to every register of a value, 16-bit ones included:
 * the order describes how the device lays out bytes in its registers.
 * Strings honour the byte swap only (characters are never reordered across registers).
 * A bit of a register (`bit`) is counted on the register as it is on the wire, 0 = least
 * significant, whatever the order: that is how PLC programmers number them.
 *
 * int64/uint64 are returned as JavaScript numbers: values beyond ±2^53 lose precision
 * (the nearest double is returned); writes accept any integer-valued number in range.
 *
 * Floats: NaN and ±Infinity decode to `{ ok: false }` with a reason ("float32 NaN"), which the
 * driver turns into Bad quality with a null value — a value that cannot be drawn, compared
 * or stored as a number must not pass as data.
 */
import type { ModbusDataType, ModbusWordOrder } from './config.js';

export interface RegisterFormat {
  readonly type: ModbusDataType;
  readonly order: ModbusWordOrder;
  /** bool inside a register: which bit (0 = least significant). */
  readonly bit?: number;
  /** string: length in registers. */
  readonly length?: number;
}

export type DecodedValue = number | boolean | string;
export type DecodeResult =
  { readonly ok: true; readonly value: DecodedValue } | { readonly ok: false; readonly reason: string };
export type EncodeResult =
  { readonly ok: true; readonly words: number[] } | { readonly ok: false; readonly reason: string };

/** Registers a value of this format occupies. */
export function registerCount(format: Pick<RegisterFormat, 'type' | 'length'>): number {
  switch (format.type) {
    case 'bool':
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 4;
    case 'string':
      return format.length ?? 1;
  }
}

function swapsWords(order: ModbusWordOrder): boolean {
  return order === 'CDAB' || order === 'DCBA';
}
function swapsBytes(order: ModbusWordOrder): boolean {
  return order === 'BADC' || order === 'DCBA';
}

/** Words as the device sent them → bytes in big-endian value order (A first). */
function toValueBytes(
  words: ArrayLike<number>,
  offset: number,
  count: number,
  order: ModbusWordOrder,
  reverseWords: boolean,
): DataView {
  const view = new DataView(new ArrayBuffer(count * 2));
  const byteSwap = swapsBytes(order);
  for (let i = 0; i < count; i++) {
    const word = (words[offset + (reverseWords ? count - 1 - i : i)] ?? 0) & 0xffff;
    view.setUint16(i * 2, byteSwap ? ((word & 0xff) << 8) | (word >> 8) : word);
  }
  return view;
}

/** Bytes in big-endian value order → words as the device expects them. */
function fromValueBytes(view: DataView, order: ModbusWordOrder, reverseWords: boolean): number[] {
  const count = view.byteLength / 2;
  const words = new Array<number>(count);
  const byteSwap = swapsBytes(order);
  for (let i = 0; i < count; i++) {
    const word = view.getUint16(i * 2);
    words[reverseWords ? count - 1 - i : i] = byteSwap ? ((word & 0xff) << 8) | (word >> 8) : word;
  }
  return words;
}

function nonFinite(type: string, x: number): DecodeResult {
  return { ok: false, reason: `${type} ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Infinity' : '-Infinity'}` };
}

/** Decode one value starting at `offset` in `words`. Fewer words than the format needs is an error, not a guess. */
export function decodeRegisters(words: ArrayLike<number>, offset: number, format: RegisterFormat): DecodeResult {
  const count = registerCount(format);
  if (offset < 0 || offset + count > words.length) {
    return {
      ok: false,
      reason: `short answer: ${format.type} needs ${count} register(s) at offset ${offset}, got ${Math.max(0, words.length - offset)}`,
    };
  }
  // 16-bit fast path (most tags of a plant): no buffer needed.
  if (format.type === 'uint16' || format.type === 'int16') {
    let word = (words[offset] ?? 0) & 0xffff;
    if (swapsBytes(format.order)) word = ((word & 0xff) << 8) | (word >> 8);
    return { ok: true, value: format.type === 'int16' && word >= 0x8000 ? word - 0x10000 : word };
  }
  if (format.type === 'bool') {
    const word = (words[offset] ?? 0) & 0xffff;
    return { ok: true, value: format.bit === undefined ? word !== 0 : ((word >> format.bit) & 1) === 1 };
  }
  if (format.type === 'string') {
    const bytes = toValueBytes(words, offset, count, format.order, false);
    let text = '';
    for (let i = 0; i < bytes.byteLength; i++) text += String.fromCharCode(bytes.getUint8(i) & 0x7f);
    return { ok: true, value: text.replace(/[\0 ]+$/u, '') };
  }
  const view = toValueBytes(words, offset, count, format.order, swapsWords(format.order));
  switch (format.type) {
    case 'int32':
      return { ok: true, value: view.getInt32(0) };
    case 'uint32':
      return { ok: true, value: view.getUint32(0) };
    case 'int64':
      return { ok: true, value: Number(view.getBigInt64(0)) };
    case 'uint64':
      return { ok: true, value: Number(view.getBigUint64(0)) };
    case 'float32': {
      const x = view.getFloat32(0);
      return Number.isFinite(x) ? { ok: true, value: x } : nonFinite('float32', x);
    }
    case 'float64': {
      const x = view.getFloat64(0);
      return Number.isFinite(x) ? { ok: true, value: x } : nonFinite('float64', x);
    }
  }
}

/**
 * A register format compiled once into a number, for the polling hot path: `decodeCompiled`
 * then turns words into a value with no allocation at all (no result object, no buffer per
 * value). 0 means the format has no compiled decoder (64-bit values, strings): use
 * `decodeRegisters`. The kind sits in the low three bits, the byte and word swaps above.
 */
export type CompiledDecoder = number;

const KIND_UINT16 = 1;
const KIND_INT16 = 2;
const KIND_BOOL = 3;
const KIND_UINT32 = 4;
const KIND_INT32 = 5;
const KIND_FLOAT32 = 6;
const KIND_MASK = 7;
const SWAP_BYTES = 8;
const SWAP_WORDS = 16;

/** Scratch space to reinterpret 32 bits as a float32 (both views share the host's byte order). */
const scratch32 = new Uint32Array(1);
const scratchFloat = new Float32Array(scratch32.buffer);

export function compileDecoder(format: Pick<RegisterFormat, 'type' | 'order'>): CompiledDecoder {
  let kind: number;
  switch (format.type) {
    case 'uint16':
      kind = KIND_UINT16;
      break;
    case 'int16':
      kind = KIND_INT16;
      break;
    // The bit of a register is counted on the word as it is on the wire: no swaps.
    case 'bool':
      return KIND_BOOL;
    case 'uint32':
      kind = KIND_UINT32;
      break;
    case 'int32':
      kind = KIND_INT32;
      break;
    case 'float32':
      kind = KIND_FLOAT32;
      break;
    default:
      return 0;
  }
  return (
    kind |
    (swapsBytes(format.order) ? SWAP_BYTES : 0) |
    (kind >= KIND_UINT32 && swapsWords(format.order) ? SWAP_WORDS : 0)
  );
}

/**
 * The value `decodeRegisters` gives for a compiled format, without allocating. The caller
 * makes sure the words are there (offset + registers ≤ words.length). `bit` is the format's
 * bit (−1 for a whole-register bool). A float32 NaN or infinity is returned as is: the caller
 * turns a non-finite float into Bad quality (`decodeRegisters` gives the reason).
 */
export function decodeCompiled(
  decoder: CompiledDecoder,
  words: ArrayLike<number>,
  offset: number,
  bit: number,
): number | boolean {
  const kind = decoder & KIND_MASK;
  let word = words[offset]! & 0xffff;
  if (kind === KIND_BOOL) return bit < 0 ? word !== 0 : ((word >> bit) & 1) === 1;
  if (decoder & SWAP_BYTES) word = ((word & 0xff) << 8) | (word >> 8);
  if (kind === KIND_UINT16) return word;
  if (kind === KIND_INT16) return word >= 0x8000 ? word - 0x10000 : word;
  let next = words[offset + 1]! & 0xffff;
  if (decoder & SWAP_BYTES) next = ((next & 0xff) << 8) | (next >> 8);
  const high = decoder & SWAP_WORDS ? next : word;
  const low = decoder & SWAP_WORDS ? word : next;
  if (kind === KIND_UINT32) return high * 0x10000 + low;
  if (kind === KIND_INT32) return (high << 16) | low;
  scratch32[0] = high * 0x10000 + low;
  return scratchFloat[0]!;
}

const integerRanges: Readonly<Record<'int16' | 'uint16' | 'int32' | 'uint32', readonly [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function refuse(reason: string): EncodeResult {
  return { ok: false, reason };
}

/**
 * Encode a value for writing. Anything that does not fit the type exactly (out of range,
 * fractional for an integer type, non-finite, wrong JavaScript type, non-ASCII or too long a
 * string) is refused: the caller then sends no frame at all.
 */
export function encodeRegisters(value: unknown, format: RegisterFormat): EncodeResult {
  const count = registerCount(format);
  if (format.type === 'bool') {
    if (typeof value !== 'boolean') return refuse(`bool expects true or false, got ${describe(value)}`);
    if (format.bit !== undefined)
      return refuse('a single bit of a register cannot be written without touching the others');
    return { ok: true, words: [value ? 1 : 0] };
  }
  if (format.type === 'string') {
    if (typeof value !== 'string') return refuse(`string expects text, got ${describe(value)}`);
    if (!/^[\x20-\x7e]*$/u.test(value)) return refuse('string holds characters outside printable ASCII');
    if (value.length > count * 2)
      return refuse(`string of ${value.length} characters does not fit ${count} register(s) (${count * 2} characters)`);
    const view = new DataView(new ArrayBuffer(count * 2));
    for (let i = 0; i < value.length; i++) view.setUint8(i, value.charCodeAt(i));
    return { ok: true, words: fromValueBytes(view, format.order, false) };
  }
  if (typeof value !== 'number') return refuse(`${format.type} expects a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) return refuse(`${format.type} cannot hold ${value}`);
  const view = new DataView(new ArrayBuffer(count * 2));
  switch (format.type) {
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const [lo, hi] = integerRanges[format.type];
      if (!Number.isInteger(value)) return refuse(`${format.type} expects an integer, got ${value}`);
      if (value < lo || value > hi) return refuse(`${value} is outside the ${format.type} range [${lo},${hi}]`);
      if (format.type === 'int16') view.setInt16(0, value);
      else if (format.type === 'uint16') view.setUint16(0, value);
      else if (format.type === 'int32') view.setInt32(0, value);
      else view.setUint32(0, value);
      break;
    }
    case 'int64':
    case 'uint64': {
      if (!Number.isInteger(value)) return refuse(`${format.type} expects an integer, got ${value}`);
      const big = BigInt(value);
      const [lo, hi] = format.type === 'int64' ? [INT64_MIN, INT64_MAX] : [0n, UINT64_MAX];
      if (big < lo || big > hi) return refuse(`${value} is outside the ${format.type} range [${lo},${hi}]`);
      if (format.type === 'int64') view.setBigInt64(0, big);
      else view.setBigUint64(0, big);
      break;
    }
    case 'float32': {
      const max = 3.4028234663852886e38;
      if (Math.abs(value) > max) return refuse(`${value} is outside the float32 range`);
      view.setFloat32(0, value);
      break;
    }
    case 'float64':
      view.setFloat64(0, value);
      break;
  }
  return { ok: true, words: fromValueBytes(view, format.order, swapsWords(format.order)) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `text "${value.length > 20 ? `${value.slice(0, 20)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
