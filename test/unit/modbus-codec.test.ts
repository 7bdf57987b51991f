import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters, registerCount, type RegisterFormat } from '../../protocols/modbus/codec.js';
import type { ModbusDataType, ModbusWordOrder } from '../../protocols/modbus/config.js';

const orders: readonly ModbusWordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

/** Known vectors: value and the registers a device sends for it, per order. */
const vectors: readonly { type: ModbusDataType; value: number; words: Record<ModbusWordOrder, number[]> }[] = [
  {
    type: 'float32',
    value: Math.fround(123.456),
    words: { ABCD: [0x42f6, 0xe979], CDAB: [0xe979, 0x42f6], BADC: [0xf642, 0x79e9], DCBA: [0x79e9, 0xf642] },
  },
  {
    type: 'float32',
    value: -1.5,
    words: { ABCD: [0xbfc0, 0x0000], CDAB: [0x0000, 0xbfc0], BADC: [0xc0bf, 0x0000], DCBA: [0x0000, 0xc0bf] },
  },
  { type: 'int16', value: -2, words: { ABCD: [0xfffe], CDAB: [0xfffe], BADC: [0xfeff], DCBA: [0xfeff] } },
  { type: 'int16', value: 0x1234, words: { ABCD: [0x1234], CDAB: [0x1234], BADC: [0x3412], DCBA: [0x3412] } },
  { type: 'uint16', value: 0xabcd, words: { ABCD: [0xabcd], CDAB: [0xabcd], BADC: [0xcdab], DCBA: [0xcdab] } },
  {
    type: 'int32',
    value: 0x12345678,
    words: { ABCD: [0x1234, 0x5678], CDAB: [0x5678, 0x1234], BADC: [0x3412, 0x7856], DCBA: [0x7856, 0x3412] },
  },
  {
    type: 'int32',
    value: -2,
    words: { ABCD: [0xffff, 0xfffe], CDAB: [0xfffe, 0xffff], BADC: [0xffff, 0xfeff], DCBA: [0xfeff, 0xffff] },
  },
  {
    type: 'uint32',
    value: 0xdeadbeef,
    words: { ABCD: [0xdead, 0xbeef], CDAB: [0xbeef, 0xdead], BADC: [0xadde, 0xefbe], DCBA: [0xefbe, 0xadde] },
  },
  {
    type: 'int64',
    value: 0x0001020304050607, // exactly representable (< 2^53)
    words: {
      ABCD: [0x0001, 0x0203, 0x0405, 0x0607],
      CDAB: [0x0607, 0x0405, 0x0203, 0x0001],
      BADC: [0x0100, 0x0302, 0x0504, 0x0706],
      DCBA: [0x0706, 0x0504, 0x0302, 0x0100],
    },
  },
  {
    type: 'int64',
    value: -3,
    words: {
      ABCD: [0xffff, 0xffff, 0xffff, 0xfffd],
      CDAB: [0xfffd, 0xffff, 0xffff, 0xffff],
      BADC: [0xffff, 0xffff, 0xffff, 0xfdff],
      DCBA: [0xfdff, 0xffff, 0xffff, 0xffff],
    },
  },
  {
    type: 'uint64',
    value: 2 ** 40 + 5,
    words: {
      ABCD: [0x0000, 0x0100, 0x0000, 0x0005],
      CDAB: [0x0005, 0x0000, 0x0100, 0x0000],
      BADC: [0x0000, 0x0001, 0x0000, 0x0500],
      DCBA: [0x0500, 0x0000, 0x0001, 0x0000],
    },
  },
  // 1.0 as float64 is 0x3FF0_0000_0000_0000
  {
    type: 'float64',
    value: 1,
    words: { ABCD: [0x3ff0, 0, 0, 0], CDAB: [0, 0, 0, 0x3ff0], BADC: [0xf03f, 0, 0, 0], DCBA: [0, 0, 0, 0xf03f] },
  },
  // 123.456 as float64 is 0x405E_DD2F_1A9F_BE77
  {
    type: 'float64',
    value: 123.456,
    words: {
      ABCD: [0x405e, 0xdd2f, 0x1a9f, 0xbe77],
      CDAB: [0xbe77, 0x1a9f, 0xdd2f, 0x405e],
      BADC: [0x5e40, 0x2fdd, 0x9f1a, 0x77be],
      DCBA: [0x77be, 0x9f1a, 0x2fdd, 0x5e40],
    },
  },
];

describe('modbus codec: known vectors for every type and order', () => {
  for (const v of vectors) {
    for (const order of orders) {
      it(`${v.type} ${v.value} ${order}`, () => {
        const format: RegisterFormat = { type: v.type, order };
        expect(decodeRegisters(v.words[order], 0, format)).toEqual({ ok: true, value: v.value });
        expect(encodeRegisters(v.value, format)).toEqual({ ok: true, words: v.words[order] });
      });
    }
  }

  it('decodes at an offset inside a longer answer', () => {
    expect(decodeRegisters([9, 9, 0x42f6, 0xe979, 9], 2, { type: 'float32', order: 'ABCD' })).toEqual({
      ok: true,
      value: Math.fround(123.456),
    });
  });

  it('bool: bit n of the register as on the wire, whatever the order', () => {
    for (const order of orders) {
      expect(decodeRegisters([0x0004], 0, { type: 'bool', bit: 2, order })).toEqual({ ok: true, value: true });
      expect(decodeRegisters([0x0004], 0, { type: 'bool', bit: 3, order })).toEqual({ ok: true, value: false });
      expect(decodeRegisters([0x8000], 0, { type: 'bool', bit: 15, order })).toEqual({ ok: true, value: true });
    }
    expect(decodeRegisters([0], 0, { type: 'bool', order: 'ABCD' })).toEqual({ ok: true, value: false });
    expect(decodeRegisters([7], 0, { type: 'bool', order: 'ABCD' })).toEqual({ ok: true, value: true });
  });

  it('strings: two characters per register, trailing NULs and spaces trimmed, byte swap honoured', () => {
    const words = [0x5353, 0x3031, 0x2d50, 0x4c43, 0x2000, 0x0000]; // "SS01-PLC \0\0\0"
    expect(decodeRegisters(words, 0, { type: 'string', length: 6, order: 'ABCD' })).toEqual({
      ok: true,
      value: 'SS01-PLC',
    });
    expect(decodeRegisters(words, 0, { type: 'string', length: 6, order: 'CDAB' })).toEqual({
      ok: true,
      value: 'SS01-PLC',
    });
    const swapped = words.map((w) => ((w & 0xff) << 8) | (w >> 8));
    expect(decodeRegisters(swapped, 0, { type: 'string', length: 6, order: 'BADC' })).toEqual({
      ok: true,
      value: 'SS01-PLC',
    });
    expect(encodeRegisters('SS01-PLC', { type: 'string', length: 6, order: 'ABCD' })).toEqual({
      ok: true,
      words: [0x5353, 0x3031, 0x2d50, 0x4c43, 0, 0],
    });
    expect(encodeRegisters('ABC', { type: 'string', length: 2, order: 'DCBA' })).toEqual({
      ok: true,
      words: [0x4241, 0x0043],
    });
  });

  it('register counts', () => {
    expect(registerCount({ type: 'bool' })).toBe(1);
    expect(registerCount({ type: 'uint16' })).toBe(1);
    expect(registerCount({ type: 'float32' })).toBe(2);
    expect(registerCount({ type: 'uint64' })).toBe(4);
    expect(registerCount({ type: 'string', length: 10 })).toBe(10);
  });

  it('a short answer is an error, not a guess', () => {
    const r = decodeRegisters([0x42f6], 0, { type: 'float32', order: 'ABCD' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/short answer: float32 needs 2/);
  });

  it('NaN and infinities decode as failures with a reason (the driver makes them Bad)', () => {
    expect(decodeRegisters([0x7fc0, 0], 0, { type: 'float32', order: 'ABCD' })).toEqual({
      ok: false,
      reason: 'float32 NaN',
    });
    expect(decodeRegisters([0x7f80, 0], 0, { type: 'float32', order: 'ABCD' })).toEqual({
      ok: false,
      reason: 'float32 +Infinity',
    });
    expect(decodeRegisters([0xfff0, 0, 0, 0], 0, { type: 'float64', order: 'ABCD' })).toEqual({
      ok: false,
      reason: 'float64 -Infinity',
    });
  });

  it('int64 beyond 2^53 returns the nearest double', () => {
    const r = decodeRegisters([0x7fff, 0xffff, 0xffff, 0xffff], 0, { type: 'int64', order: 'ABCD' });
    expect(r).toEqual({ ok: true, value: 2 ** 63 }); // 2^63 - 1 is not a double: the nearest one is 2^63
  });
});

describe('modbus codec: values that do not encode are refused', () => {
  const refused: [unknown, RegisterFormat, RegExp][] = [
    [40000, { type: 'int16', order: 'ABCD' }, /outside the int16 range/],
    [-1, { type: 'uint16', order: 'ABCD' }, /outside the uint16 range/],
    [1.5, { type: 'int32', order: 'ABCD' }, /expects an integer/],
    [2 ** 32, { type: 'uint32', order: 'ABCD' }, /outside the uint32 range/],
    [-1, { type: 'uint64', order: 'ABCD' }, /outside the uint64 range/],
    [2 ** 63, { type: 'int64', order: 'ABCD' }, /outside the int64 range/],
    [1e39, { type: 'float32', order: 'ABCD' }, /outside the float32 range/],
    [Number.NaN, { type: 'float32', order: 'ABCD' }, /cannot hold NaN/],
    [Number.POSITIVE_INFINITY, { type: 'float64', order: 'ABCD' }, /cannot hold Infinity/],
    ['12', { type: 'uint16', order: 'ABCD' }, /expects a number, got text/],
    [true, { type: 'float32', order: 'ABCD' }, /expects a number, got boolean/],
    [null, { type: 'int16', order: 'ABCD' }, /got null/],
    [1, { type: 'bool', order: 'ABCD' }, /bool expects true or false/],
    [true, { type: 'bool', bit: 3, order: 'ABCD' }, /single bit/],
    ['too long', { type: 'string', length: 2, order: 'ABCD' }, /does not fit 2 register/],
    ['é', { type: 'string', length: 2, order: 'ABCD' }, /outside printable ASCII/],
  ];
  for (const [value, format, reason] of refused) {
    it(`${format.type} refuses ${String(value)}`, () => {
      const r = encodeRegisters(value, format);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(reason);
    });
  }
});

describe('modbus codec: round trips (property)', () => {
  const order = fc.constantFrom(...orders);
  const roundTrip = (value: unknown, format: RegisterFormat): unknown => {
    const enc = encodeRegisters(value, format);
    if (!enc.ok) throw new Error(enc.reason);
    expect(enc.words).toHaveLength(registerCount(format));
    for (const w of enc.words) expect(w >= 0 && w <= 0xffff && Number.isInteger(w)).toBe(true);
    const dec = decodeRegisters(enc.words, 0, format);
    if (!dec.ok) throw new Error(dec.reason);
    return dec.value;
  };
  it('int16/uint16/int32/uint32', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -0x8000, max: 0x7fff }),
        order,
        (v, o) => roundTrip(v, { type: 'int16', order: o }) === v,
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        order,
        (v, o) => roundTrip(v, { type: 'uint16', order: o }) === v,
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        order,
        (v, o) => roundTrip(v, { type: 'int32', order: o }) === v,
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        order,
        (v, o) => roundTrip(v, { type: 'uint32', order: o }) === v,
      ),
    );
  });
  it('int64/uint64 within the safe integer range', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), order, (v, o) => roundTrip(v, { type: 'int64', order: o }) === v));
    fc.assert(fc.property(fc.maxSafeNat(), order, (v, o) => roundTrip(v, { type: 'uint64', order: o }) === v));
  });
  it('float32 and float64 (finite values)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), order, (v, o) =>
        Object.is(roundTrip(v, { type: 'float32', order: o }), v),
      ),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), order, (v, o) =>
        Object.is(roundTrip(v, { type: 'float64', order: o }), v),
      ),
    );
  });
  it('ASCII strings without trailing spaces', () => {
    const text = fc
      .string({ unit: fc.constantFrom(...'ABCxyz019 -_.:'.split('')), maxLength: 20 })
      .map((s) => s.trimEnd());
    fc.assert(fc.property(text, order, (v, o) => roundTrip(v, { type: 'string', length: 10, order: o }) === v));
  });
});
