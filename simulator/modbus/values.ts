/**
 * Engineering value ⇄ Modbus registers for one tag: linear scaling, integer types with
 * rounding and saturation, 32-bit values in ABCD (big-endian) or CDAB (word-swapped)
 * order, and bools as bits inside a register. Pure.
 */
import type { LinearScale, ModbusMapping, RegisterType, WordOrder } from '../catalog.js';

const scratch = new DataView(new ArrayBuffer(4));

export function registerCount(type: RegisterType): number {
  return type === 'int32' || type === 'uint32' || type === 'float32' ? 2 : 1;
}

export function engineeringToRaw(value: number, scale: LinearScale | undefined): number {
  if (!scale) return value;
  const [r0, r1] = scale.raw;
  const [e0, e1] = scale.eng;
  return r0 + ((value - e0) * (r1 - r0)) / (e1 - e0);
}

export function rawToEngineering(raw: number, scale: LinearScale | undefined): number {
  if (!scale) return raw;
  const [r0, r1] = scale.raw;
  const [e0, e1] = scale.eng;
  return e0 + ((raw - r0) * (e1 - e0)) / (r1 - r0);
}

const limits: Record<'int16' | 'uint16' | 'int32' | 'uint32', [number, number]> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function saturate(value: number, type: keyof typeof limits): number {
  const [lo, hi] = limits[type];
  if (!Number.isFinite(value)) return 0;
  return Math.min(hi, Math.max(lo, Math.round(value)));
}

/** Put two 16-bit words (high, low) at offset in the requested word order. */
function putWords(regs: Uint16Array, offset: number, high: number, low: number, order: WordOrder): void {
  if (order === 'ABCD') {
    regs[offset] = high;
    regs[offset + 1] = low;
  } else {
    regs[offset] = low;
    regs[offset + 1] = high;
  }
}

function getWords(regs: ArrayLike<number>, offset: number, order: WordOrder): [number, number] {
  const a = regs[offset] ?? 0;
  const b = regs[offset + 1] ?? 0;
  return order === 'ABCD' ? [a, b] : [b, a];
}

/**
 * Encode an engineering value into registers at `offset`. A bool in a register sets or
 * clears its bit and leaves the others alone.
 */
export function encodeRegisters(
  mapping: ModbusMapping,
  value: number | boolean,
  regs: Uint16Array,
  offset: number,
): void {
  if (mapping.type === 'bool') {
    const bit = 1 << (mapping.bit ?? 0);
    const on = typeof value === 'boolean' ? value : value !== 0;
    regs[offset] = on ? regs[offset]! | bit : regs[offset]! & ~bit & 0xffff;
    return;
  }
  const raw = engineeringToRaw(typeof value === 'boolean' ? (value ? 1 : 0) : value, mapping.scale);
  const order = mapping.wordOrder ?? 'ABCD';
  switch (mapping.type) {
    case 'int16':
      regs[offset] = saturate(raw, 'int16') & 0xffff;
      return;
    case 'uint16':
      regs[offset] = saturate(raw, 'uint16');
      return;
    case 'int32':
    case 'uint32': {
      const v = saturate(raw, mapping.type) >>> 0;
      putWords(regs, offset, v >>> 16, v & 0xffff, order);
      return;
    }
    case 'float32': {
      scratch.setFloat32(0, raw);
      putWords(regs, offset, scratch.getUint16(0), scratch.getUint16(2), order);
      return;
    }
  }
}

/** Decode the engineering value of a tag from registers at `offset`. */
export function decodeRegisters(mapping: ModbusMapping, regs: ArrayLike<number>, offset: number): number | boolean {
  const first = regs[offset] ?? 0;
  if (mapping.type === 'bool') return (first & (1 << (mapping.bit ?? 0))) !== 0;
  const order = mapping.wordOrder ?? 'ABCD';
  let raw: number;
  switch (mapping.type) {
    case 'int16':
      raw = first >= 0x8000 ? first - 0x10000 : first;
      break;
    case 'uint16':
      raw = first;
      break;
    case 'int32':
    case 'uint32': {
      const [high, low] = getWords(regs, offset, order);
      const u = ((high << 16) >>> 0) + low;
      raw = mapping.type === 'int32' && u >= 0x80000000 ? u - 0x100000000 : u;
      break;
    }
    case 'float32': {
      const [high, low] = getWords(regs, offset, order);
      scratch.setUint16(0, high);
      scratch.setUint16(2, low);
      raw = scratch.getFloat32(0);
      break;
    }
  }
  return rawToEngineering(raw, mapping.scale);
}
