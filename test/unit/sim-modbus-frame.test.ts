import { describe, expect, it } from 'vitest';
import { ExceptionCode, handleFrame, splitFrames, type ModbusDataModel } from '../../simulator/modbus/frame.js';
import { decodeRegisters, encodeRegisters } from '../../simulator/modbus/values.js';
import type { ModbusMapping } from '../../simulator/catalog.js';

/** A tiny in-memory model: unit 1 only, 10 registers and 16 bits per table. */
function memoryModel(): ModbusDataModel & { holding: Uint16Array; coils: Uint8Array } {
  const holding = new Uint16Array(10).map((_, i) => 100 + i);
  const input = new Uint16Array(10).map((_, i) => 200 + i);
  const coils = new Uint8Array(16);
  const discrete = new Uint8Array(16).map((_, i) => (i % 3 === 0 ? 1 : 0));
  return {
    holding,
    coils,
    hasUnit: (u) => u === 1,
    readBits: (_u, table, address, quantity) =>
      address + quantity > 16
        ? ExceptionCode.IllegalDataAddress
        : (table === 'coil' ? coils : discrete).subarray(address, address + quantity),
    readRegisters: (_u, table, address, quantity) =>
      address + quantity > 10
        ? ExceptionCode.IllegalDataAddress
        : (table === 'holding' ? holding : input).subarray(address, address + quantity),
    writeBits: (_u, address, values) => {
      if (address + values.length > 16) return ExceptionCode.IllegalDataAddress;
      values.forEach((v, i) => (coils[address + i] = v ? 1 : 0));
      return 0;
    },
    writeRegisters: (_u, address, values) => {
      if (address + values.length > 10) return ExceptionCode.IllegalDataAddress;
      if (values.some((v) => v === 0xdead)) return ExceptionCode.IllegalDataValue;
      holding.set(values, address);
      return 0;
    },
  };
}

function adu(transaction: number, unit: number, pdu: number[]): Buffer {
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(transaction, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = unit;
  Buffer.from(pdu).copy(b, 7);
  return b;
}

const hex = (b: Buffer | null) => b?.toString('hex') ?? null;

describe('Modbus TCP frame splitting', () => {
  const a = adu(1, 1, [3, 0, 0, 0, 2]);
  const b = adu(2, 1, [4, 0, 1, 0, 1]);

  it('finds several pipelined frames in one chunk', () => {
    const r = splitFrames(Buffer.concat([a, b]));
    expect(r.frames.map(hex)).toEqual([hex(a), hex(b)]);
    expect(r.consumed).toBe(a.length + b.length);
    expect(r.malformed).toBe(false);
  });

  it.each([1, 5, 6, 7, 11])('keeps an unfinished frame cut after %d bytes for the next chunk', (cut) => {
    const r = splitFrames(Buffer.concat([a, b.subarray(0, cut)]));
    expect(r.frames.map(hex)).toEqual([hex(a)]);
    expect(r.consumed).toBe(a.length);
  });

  it('flags an impossible length field', () => {
    const bad = Buffer.from('000100000000ff', 'hex');
    expect(splitFrames(bad).malformed).toBe(true);
    const huge = Buffer.from('00010000ffff01', 'hex');
    expect(splitFrames(huge).malformed).toBe(true);
  });
});

describe('Modbus request handling', () => {
  it.each([
    ['FC3 read holding', [3, 0, 1, 0, 2], '0304' + '0065' + '0066'],
    ['FC4 read input', [4, 0, 0, 0, 1], '0402' + '00c8'],
    ['FC2 read discrete', [2, 0, 0, 0, 10], '0202' + '4902'],
    ['FC1 read coils', [1, 0, 0, 0, 3], '010100'],
    ['FC3 past the end → 02', [3, 0, 9, 0, 2], '8302'],
    ['FC3 quantity 0 → 03', [3, 0, 0, 0, 0], '8303'],
    ['FC3 quantity 126 → 03', [3, 0, 0, 0, 126], '8303'],
    ['FC1 quantity 2001 → 03', [1, 0, 0, 0x07, 0xd1], '8103'],
    ['FC3 short PDU → 03', [3, 0, 0], '8303'],
    ['unknown function 0x2B → 01', [0x2b, 0x0e, 1, 0], 'ab01'],
    ['FC5 bad coil value → 03', [5, 0, 1, 0x12, 0x34], '8503'],
    ['FC6 value refused → 03', [6, 0, 0, 0xde, 0xad], '8603'],
    ['FC16 byte count mismatch → 03', [0x10, 0, 0, 0, 2, 3, 0, 1, 0, 2], '9003'],
  ])('%s', (_name, pdu, expected) => {
    const answer = handleFrame(adu(7, 1, pdu), memoryModel());
    expect(answer).not.toBeNull();
    expect(answer!.readUInt16BE(0)).toBe(7);
    expect(answer!.readUInt16BE(4)).toBe(answer!.length - 6);
    expect(answer![6]).toBe(1);
    expect(answer!.subarray(7).toString('hex')).toBe(expected);
  });

  it('FC5, FC6, FC15, FC16 write and echo', () => {
    const m = memoryModel();
    expect(hex(handleFrame(adu(1, 1, [5, 0, 2, 0xff, 0]), m))).toBe(hex(adu(1, 1, [5, 0, 2, 0xff, 0])));
    expect(m.coils[2]).toBe(1);
    expect(hex(handleFrame(adu(2, 1, [6, 0, 3, 0x12, 0x34]), m))).toBe(hex(adu(2, 1, [6, 0, 3, 0x12, 0x34])));
    expect(m.holding[3]).toBe(0x1234);
    expect(hex(handleFrame(adu(3, 1, [0x0f, 0, 4, 0, 10, 2, 0b1010_0101, 0b10]), m))).toBe(
      hex(adu(3, 1, [0x0f, 0, 4, 0, 10])),
    );
    expect([...m.coils.subarray(4, 14)]).toEqual([1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
    expect(hex(handleFrame(adu(4, 1, [0x10, 0, 8, 0, 2, 4, 0xab, 0xcd, 0, 1]), m))).toBe(
      hex(adu(4, 1, [0x10, 0, 8, 0, 2])),
    );
    expect([...m.holding.subarray(8, 10)]).toEqual([0xabcd, 1]);
  });

  it('answers an unknown unit id with exception 0B', () => {
    expect(
      handleFrame(adu(9, 5, [3, 0, 0, 0, 1]), memoryModel())!
        .subarray(6)
        .toString('hex'),
    ).toBe('05830b');
  });

  it('treats unit 0 and 255 as the first unit', () => {
    expect(
      handleFrame(adu(9, 255, [4, 0, 0, 0, 1]), memoryModel())!
        .subarray(7)
        .toString('hex'),
    ).toBe('040200c8');
  });

  it('ignores frames whose protocol id is not 0', () => {
    const frame = adu(1, 1, [3, 0, 0, 0, 1]);
    frame.writeUInt16BE(1, 2);
    expect(handleFrame(frame, memoryModel())).toBeNull();
  });
});

describe('register values', () => {
  const cases: Array<[string, ModbusMapping, number | boolean, number[]]> = [
    [
      'int16 ×100',
      { table: 'input', address: 0, type: 'int16', scale: { raw: [-10000, 10000], eng: [-100, 100] } },
      -12.34,
      [0xfb2e],
    ],
    [
      'uint16 ×10',
      { table: 'holding', address: 0, type: 'uint16', scale: { raw: [0, 1000], eng: [0, 100] } },
      80,
      [800],
    ],
    ['uint16', { table: 'holding', address: 0, type: 'uint16' }, 2, [2]],
    ['int32 ABCD', { table: 'input', address: 0, type: 'int32', wordOrder: 'ABCD' }, -2, [0xffff, 0xfffe]],
    ['int32 CDAB', { table: 'input', address: 0, type: 'int32', wordOrder: 'CDAB' }, 0x12345678, [0x5678, 0x1234]],
    [
      'uint32 CDAB ×10',
      { table: 'input', address: 0, type: 'uint32', wordOrder: 'CDAB', scale: { raw: [0, 1000], eng: [0, 100] } },
      8000.5,
      [0x3885, 0x0001],
    ],
    ['float32 ABCD', { table: 'input', address: 0, type: 'float32', wordOrder: 'ABCD' }, 1.5, [0x3fc0, 0x0000]],
    ['float32 CDAB', { table: 'input', address: 0, type: 'float32', wordOrder: 'CDAB' }, -2.5, [0x0000, 0xc020]],
  ];

  it.each(cases)('%s encodes to known words and decodes back', (_name, mapping, value, words) => {
    const regs = new Uint16Array(2);
    encodeRegisters(mapping, value, regs, 0);
    expect([...regs.subarray(0, words.length)]).toEqual(words);
    expect(decodeRegisters(mapping, regs, 0)).toBeCloseTo(value as number, 5);
  });

  it('saturates integers instead of wrapping', () => {
    const regs = new Uint16Array(1);
    encodeRegisters(
      { table: 'input', address: 0, type: 'int16', scale: { raw: [-10000, 10000], eng: [-100, 100] } },
      500,
      regs,
      0,
    );
    expect(regs[0]).toBe(32767);
    encodeRegisters({ table: 'input', address: 0, type: 'uint16' }, -5, regs, 0);
    expect(regs[0]).toBe(0);
  });

  it('sets and clears one bit of a register, leaving the others', () => {
    const regs = Uint16Array.of(0b1000_0000_0000_0001);
    encodeRegisters({ table: 'input', address: 0, type: 'bool', bit: 3 }, true, regs, 0);
    expect(regs[0]).toBe(0b1000_0000_0000_1001);
    encodeRegisters({ table: 'input', address: 0, type: 'bool', bit: 0 }, false, regs, 0);
    expect(regs[0]).toBe(0b1000_0000_0000_1000);
    expect(decodeRegisters({ table: 'input', address: 0, type: 'bool', bit: 15 }, regs, 0)).toBe(true);
  });
});
