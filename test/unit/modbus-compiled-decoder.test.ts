import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DriverTag, Sample } from '../../protocols/driver.js';
import { compileDecoder, decodeCompiled, decodeRegisters, type RegisterFormat } from '../../protocols/modbus/codec.js';
import type { ModbusAddress, ModbusDataType, ModbusTable, ModbusWordOrder } from '../../protocols/modbus/config.js';
import {
  bindTag,
  decodeRead,
  sampleFrom,
  type Batch,
  type BoundTag,
  type ModbusPoint,
  type PreparedRead,
  type Subscription,
} from '../../protocols/modbus/poll-samples.js';
import {
  compileScale,
  scaleToEngineering,
  unclampedToEngineering,
  clampsRaw,
  type LinearScaleSpec,
} from '../../protocols/scaling.js';

const orders: readonly ModbusWordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
const compiledTypes: readonly ModbusDataType[] = ['uint16', 'int16', 'bool', 'int32', 'uint32', 'float32'];
const word = fc.integer({ min: 0, max: 0xffff });
/** Words that often make float32 NaN and infinities (exponent all ones) and negative zero. */
const edgyWord = fc.oneof(word, fc.constantFrom(0x7f80, 0xff80, 0x7fc0, 0xffff, 0x8000, 0x0000, 0x7fff));

describe('compiled register decoder', () => {
  it('gives exactly what decodeRegisters gives, for every compiled type, order, bit and offset', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...compiledTypes),
        fc.constantFrom(...orders),
        fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
        fc.array(edgyWord, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        (type, order, bit, words, at) => {
          const format: RegisterFormat = { type, order, ...(type === 'bool' && bit !== undefined ? { bit } : {}) };
          const offset = at % (words.length - 1);
          const decoder = compileDecoder(format);
          expect(decoder).not.toBe(0);
          const fast = decodeCompiled(decoder, words, offset, format.bit ?? -1);
          const reference = decodeRegisters(words, offset, format);
          if (reference.ok) expect(Object.is(fast, reference.value)).toBe(true);
          else expect(typeof fast === 'number' && !Number.isFinite(fast)).toBe(true); // a NaN or infinite float32: Bad
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('decodes the known vectors', () => {
    expect(decodeCompiled(compileDecoder({ type: 'float32', order: 'ABCD' }), [0x42f6, 0xe979], 0, -1)).toBe(
      Math.fround(123.456),
    );
    expect(decodeCompiled(compileDecoder({ type: 'float32', order: 'CDAB' }), [0xe979, 0x42f6], 0, -1)).toBe(
      Math.fround(123.456),
    );
    expect(decodeCompiled(compileDecoder({ type: 'float32', order: 'BADC' }), [0xf642, 0x79e9], 0, -1)).toBe(
      Math.fround(123.456),
    );
    expect(decodeCompiled(compileDecoder({ type: 'float32', order: 'DCBA' }), [0x79e9, 0xf642], 0, -1)).toBe(
      Math.fround(123.456),
    );
    expect(decodeCompiled(compileDecoder({ type: 'int32', order: 'CDAB' }), [0xfffe, 0xffff], 0, -1)).toBe(-2);
    expect(decodeCompiled(compileDecoder({ type: 'uint32', order: 'DCBA' }), [0xefbe, 0xadde], 0, -1)).toBe(0xdeadbeef);
    expect(decodeCompiled(compileDecoder({ type: 'int16', order: 'BADC' }), [0x0000, 0xfeff], 1, -1)).toBe(-2);
    // A bit is counted on the word as it is on the wire, whatever the order.
    expect(decodeCompiled(compileDecoder({ type: 'bool', order: 'DCBA' }), [0x0100], 0, 8)).toBe(true);
    expect(decodeCompiled(compileDecoder({ type: 'bool', order: 'DCBA' }), [0x0100], 0, 0)).toBe(false);
    expect(decodeCompiled(compileDecoder({ type: 'bool', order: 'ABCD' }), [0x0100], 0, -1)).toBe(true);
  });

  it('leaves 64-bit values and strings to decodeRegisters', () => {
    for (const type of ['int64', 'uint64', 'float64', 'string'] as const)
      expect(compileDecoder({ type, order: 'ABCD' })).toBe(0);
  });
});

describe('compiled scale', () => {
  const scales: readonly LinearScaleSpec[] = [
    { raw: [-10000, 10000], eng: [-100, 100] },
    { raw: [0, 27648], eng: [0, 100] },
    { raw: [0, 27648], eng: [0, 100], clamp: true },
    { raw: [4000, 20000], eng: [100, 0], clamp: true },
    { factor: 0.1, offset: -50 },
    { factor: 0.01 },
    { factor: 1 / 3, offset: 0.5 },
  ];
  it('gives the value scaleToEngineering gives wherever it does not clamp, and clamps where it does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scales),
        fc.oneof(fc.integer({ min: -40000, max: 70000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
        (spec, raw) => {
          const c = compileScale(spec);
          const reference = scaleToEngineering(raw, spec);
          if (clampsRaw(raw, c)) expect(reference.quality.code).toBe('Uncertain');
          else
            expect(
              Object.is(unclampedToEngineering(raw, c), reference.value) && reference.quality.code === 'Good',
            ).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('decodeRead (the polling hot path)', () => {
  const sub: Subscription = { tags: [], onSamples: () => {} };
  const defaults = { unitId: 1, wordOrder: 'ABCD' as const, pollMs: 1000 };
  const scales: readonly (LinearScaleSpec | undefined)[] = [
    undefined,
    { raw: [0, 27648], eng: [0, 100], clamp: true },
    { factor: 0.01, offset: -5 },
    { raw: [-1000, 1000], eng: [-100, 100] },
  ];
  const types: readonly ModbusDataType[] = [
    'uint16',
    'int16',
    'int32',
    'uint32',
    'float32',
    'int64',
    'float64',
    'string',
  ];

  const tagSpec: fc.Arbitrary<TagSpec> = fc.record({
    table: fc.constantFrom<ModbusTable>('holding', 'input', 'coil'),
    type: fc.constantFrom(...types, 'bool' as const),
    order: fc.constantFrom(...orders),
    bit: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
    scale: fc.constantFrom(...scales),
    offset: fc.integer({ min: 0, max: 10 }),
  });

  interface TagSpec {
    readonly table: ModbusTable;
    readonly type: ModbusDataType;
    readonly order: ModbusWordOrder;
    readonly bit: number | undefined;
    readonly scale: LinearScaleSpec | undefined;
    readonly offset: number;
  }

  function boundTag(spec: TagSpec, i: number): BoundTag {
    const bitTable = spec.table === 'coil';
    const numeric = !bitTable && spec.type !== 'bool' && spec.type !== 'string';
    const register = {
      table: spec.table,
      address: 100 + spec.offset,
      type: bitTable ? 'bool' : spec.type,
      wordOrder: spec.order,
      ...(spec.type === 'string' ? { length: 2 } : {}),
      ...(!bitTable && spec.type === 'bool' && spec.bit !== undefined ? { bit: spec.bit } : {}),
    } as ModbusAddress;
    const tag: DriverTag<ModbusPoint> = {
      name: `T${i}`,
      address: { register, ...(numeric && spec.scale ? { scale: spec.scale } : {}) },
      intervalMs: 1000,
    };
    return bindTag(tag, sub, defaults);
  }

  it('gives every tag the very sample the general path gives: value, quality and reason', () => {
    fc.assert(
      fc.property(
        fc.array(tagSpec, { minLength: 1, maxLength: 12 }),
        fc.array(edgyWord, { minLength: 0, maxLength: 16 }),
        fc.array(fc.boolean(), { minLength: 0, maxLength: 16 }),
        (specs, words, bits) => {
          const tags = specs.map((s, i) => boundTag(s, i));
          // One read per table kind: bits for coils, words for registers.
          for (const bitTable of [false, true]) {
            const mine = tags.filter((t) => t.bitTable === bitTable);
            if (mine.length === 0) continue;
            const data = bitTable ? bits : words;
            const read: PreparedRead = {
              unitId: 1,
              table: mine[0]!.table,
              intervalMs: 1000,
              start: 100,
              count: 16,
              isolated: false,
              points: mine.map((t) => ({ key: t, offset: t.address - 100 })),
              tags: mine,
              offsets: mine.map((t) => t.address - 100),
            };
            // Both ways a read is decoded: its list sized once (one subscriber, empty batch) and grown.
            const batch: Batch = new Map();
            decodeRead('PLC', { ...read, sub }, data, batch, 1000, 1001);
            const grown: Batch = new Map([[sub, []]]);
            decodeRead('PLC', read, data, grown, 1000, 1001);
            expect(grown.get(sub)).toEqual(batch.get(sub));
            const got = batch.get(sub)!;
            const expected: Sample[] = mine.map((t) => sampleFrom('PLC', t, data, t.address - 100, 1000, 1001));
            expect(got.length).toBe(expected.length);
            got.forEach((sample, k) => {
              expect(sample.tag).toBe(expected[k]!.tag);
              expect(Object.is(sample.value, expected[k]!.value)).toBe(true);
              expect(sample.quality).toEqual(expected[k]!.quality);
              expect([sample.sourceTime, sample.receiveTime]).toEqual([
                expected[k]!.sourceTime,
                expected[k]!.receiveTime,
              ]);
            });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('turns a NaN float32 into Bad with no value, and keeps the last good value for later', () => {
    const tag = bindTag(
      {
        name: 'F',
        address: { register: { table: 'holding', address: 0, type: 'float32', wordOrder: 'ABCD' } as ModbusAddress },
        intervalMs: 1000,
      },
      sub,
      defaults,
    );
    const read: PreparedRead = {
      unitId: 1,
      table: 'holding',
      intervalMs: 1000,
      start: 0,
      count: 2,
      isolated: false,
      points: [{ key: tag, offset: 0 }],
      tags: [tag],
      offsets: [0],
    };
    const batch: Batch = new Map();
    decodeRead('PLC', read, [0xbfc0, 0x0000], batch, 1, 1);
    decodeRead('PLC', read, [0x7fc0, 0x0000], batch, 2, 2);
    const [good, nan] = batch.get(sub)!;
    expect(good!.value).toBe(-1.5);
    expect(nan!.value).toBeNull();
    expect(nan!.quality).toEqual({ code: 'Bad', reason: 'PLC unit 1 holding 0..1: float32 NaN' });
    expect(tag.last).toBe(-1.5);
  });
});
