import { describe, expect, it } from 'vitest';
import { DataType, VariantArrayType } from 'node-opcua';
import { sameWrittenValue, variantForWrite } from '../../protocols/opcua/write-value.js';

describe('OPC UA write variants', () => {
  it('builds a variant of the node type', () => {
    expect(variantForWrite(DataType.Double, 55.5)).toEqual({
      ok: true,
      variant: { dataType: DataType.Double, value: 55.5 },
    });
    expect(variantForWrite(DataType.Int16, -12)).toEqual({
      ok: true,
      variant: { dataType: DataType.Int16, value: -12 },
    });
    expect(variantForWrite(DataType.Boolean, true)).toEqual({
      ok: true,
      variant: { dataType: DataType.Boolean, value: true },
    });
    expect(variantForWrite(DataType.String, 'auto')).toEqual({
      ok: true,
      variant: { dataType: DataType.String, value: 'auto' },
    });
    expect(variantForWrite(DataType.UInt64, 4294967301)).toEqual({
      ok: true,
      variant: { dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] },
    });
    expect(variantForWrite(DataType.Int64, -2)).toEqual({
      ok: true,
      variant: { dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xfffffffe] },
    });
    // Beyond 2^53 a 64-bit integer is written from its exact decimal string; a number that large is not exact and refused.
    expect(variantForWrite(DataType.Int64, '9007199254740993')).toEqual({
      ok: true,
      variant: { dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0x00200000, 1] },
    });
    expect(variantForWrite(DataType.UInt64, '18446744073709551615')).toEqual({
      ok: true,
      variant: { dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xffffffff] },
    });
    expect(variantForWrite(DataType.UInt64, '18446744073709551616')).toEqual({
      ok: false,
      reason: 'BadOutOfRange: 18446744073709551616 does not fit a UInt64 node',
    });
    expect(variantForWrite(DataType.Int64, 2 ** 60)).toEqual({
      ok: false,
      reason: `BadOutOfRange: ${2 ** 60} is beyond 2^53 and not exact as a number; write it as a decimal string to a Int64 node`,
    });
  });
  it('refuses values of another type with BadTypeMismatch', () => {
    for (const [type, value] of [
      [DataType.Double, 'warm'],
      [DataType.Double, true],
      [DataType.Double, Number.NaN],
      [DataType.Int16, 1.5],
      [DataType.Boolean, 1],
      [DataType.String, 3],
      [DataType.UInt32, null],
    ] as const) {
      const r = variantForWrite(type, value);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/^BadTypeMismatch: cannot write/);
    }
  });
  it('refuses integers out of the type range with BadOutOfRange', () => {
    expect(variantForWrite(DataType.Int16, 32768)).toEqual({
      ok: false,
      reason: 'BadOutOfRange: 32768 does not fit a Int16 node',
    });
    expect(variantForWrite(DataType.Byte, -1).ok).toBe(false);
    expect(variantForWrite(DataType.UInt32, 4294967295).ok).toBe(true);
    expect(variantForWrite(DataType.UInt32, 4294967296).ok).toBe(false);
  });
  it('refuses types it cannot write', () => {
    expect(variantForWrite(DataType.DateTime, 0)).toEqual({
      ok: false,
      reason: 'BadTypeMismatch: writing DateTime nodes is not supported',
    });
  });
  it('compares read-back at the node precision', () => {
    expect(sameWrittenValue(DataType.Float, 0.1, Math.fround(0.1))).toBe(true);
    expect(sameWrittenValue(DataType.Double, 0.1, Math.fround(0.1))).toBe(false);
    expect(sameWrittenValue(DataType.Int16, 5, 5)).toBe(true);
  });
});
