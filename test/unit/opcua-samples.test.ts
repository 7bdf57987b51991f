import { describe, expect, it } from 'vitest';
import { DataType, DataValue, StatusCodes, Variant, VariantArrayType } from 'node-opcua';
import { decodeVariant, qualityOfStatus, sampleFromDataValue, statusName } from '../../protocols/opcua/samples.js';

const node = 'ns=1;s=SS01.HX.T_SEC_SUP';

describe('OPC UA status → quality', () => {
  it('maps severities to Good, Uncertain and Bad with the status name', () => {
    expect(qualityOfStatus(StatusCodes.Good, node)).toEqual({ code: 'Good' });
    expect(qualityOfStatus(StatusCodes.GoodClamped, node)).toEqual({ code: 'Good' });
    expect(qualityOfStatus(StatusCodes.UncertainSensorNotAccurate, node)).toEqual({
      code: 'Uncertain',
      reason: `UncertainSensorNotAccurate at ${node}`,
    });
    expect(qualityOfStatus(StatusCodes.BadNodeIdUnknown, node)).toEqual({
      code: 'Bad',
      reason: `BadNodeIdUnknown at ${node}`,
    });
    expect(qualityOfStatus(StatusCodes.BadCommunicationError, node).code).toBe('Bad');
  });
  it('strips node-opcua info bits from the name', () => {
    expect(statusName(StatusCodes.BadTypeMismatch)).toBe('BadTypeMismatch');
  });
});

describe('OPC UA variant decoding', () => {
  it.each([
    [DataType.Boolean, true, true],
    [DataType.SByte, -3, -3],
    [DataType.Byte, 200, 200],
    [DataType.Int16, -32768, -32768],
    [DataType.UInt16, 65535, 65535],
    [DataType.Int32, -5, -5],
    [DataType.UInt32, 4000000000, 4000000000],
    [DataType.Float, 1.5, 1.5],
    [DataType.Double, 21.25, 21.25],
    [DataType.String, 'on', 'on'],
  ] as const)('scalar of data type %i', (dataType, value, expected) => {
    expect(decodeVariant(new Variant({ dataType, value }))).toEqual({ ok: true, value: expected });
  });
  it('64-bit integers from their [high, low] words', () => {
    expect(
      decodeVariant(new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] })),
    ).toEqual({ ok: true, value: 4294967301 });
    expect(
      decodeVariant(
        new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xfffffffe] }),
      ),
    ).toEqual({ ok: true, value: -2 });
  });
  it('64-bit integers beyond 2^53 as exact decimal strings, never rounded', () => {
    const words = (n: bigint): [number, number] => {
      const bits = BigInt.asUintN(64, n);
      return [Number(bits >> 32n), Number(bits & 0xffffffffn)];
    };
    const int64 = (n: bigint) =>
      decodeVariant(new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: words(n) }));
    const uint64 = (n: bigint) =>
      decodeVariant(new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: words(n) }));
    expect(int64(9007199254740991n)).toEqual({ ok: true, value: 9007199254740991 });
    expect(int64(-9007199254740991n)).toEqual({ ok: true, value: -9007199254740991 });
    expect(int64(9007199254740993n)).toEqual({ ok: true, value: '9007199254740993' });
    expect(int64(-(2n ** 63n))).toEqual({ ok: true, value: '-9223372036854775808' });
    expect(uint64(2n ** 64n - 1n)).toEqual({ ok: true, value: '18446744073709551615' });
  });
  it('one element of an array read with an index range', () => {
    expect(
      decodeVariant(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [2.5] }), true),
    ).toEqual({ ok: true, value: 2.5 });
    expect(
      decodeVariant(
        new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Array, value: [[0x00200000, 1]] }),
        true,
      ),
    ).toEqual({ ok: true, value: '9007199254740993' });
  });
  it('refuses arrays and structured types by name', () => {
    expect(
      decodeVariant(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2] })),
    ).toEqual({ ok: false, typeName: 'Double[2]', arrayLength: 2 });
    expect(decodeVariant(new Variant({ dataType: DataType.DateTime, value: new Date() }))).toEqual({
      ok: false,
      typeName: 'DateTime',
    });
    expect(decodeVariant(new Variant({ dataType: DataType.ByteString, value: Buffer.from('x') }))).toEqual({
      ok: false,
      typeName: 'ByteString',
    });
  });
  it('an empty variant is null', () => {
    expect(decodeVariant(new Variant({ dataType: DataType.Null }))).toEqual({ ok: true, value: null });
  });
});

describe('OPC UA DataValue → Sample', () => {
  const receive = Date.parse('2024-05-01T10:00:05Z');
  it('uses the source timestamp, then the server timestamp, then the receive time', () => {
    const source = new Date('2024-05-01T10:00:00Z');
    const server = new Date('2024-05-01T10:00:01Z');
    const v = new Variant({ dataType: DataType.Double, value: 1 });
    expect(
      sampleFromDataValue(
        'T',
        node,
        new DataValue({ value: v, sourceTimestamp: source, serverTimestamp: server }),
        null,
        receive,
      ).sourceTime,
    ).toBe(source.getTime());
    expect(
      sampleFromDataValue('T', node, new DataValue({ value: v, serverTimestamp: server }), null, receive).sourceTime,
    ).toBe(server.getTime());
    const none = sampleFromDataValue('T', node, new DataValue({ value: v }), null, receive);
    expect(none).toEqual({ tag: 'T', value: 1, quality: { code: 'Good' }, sourceTime: receive, receiveTime: receive });
  });
  it('a Bad status without a value keeps the last value, marked Bad', () => {
    const s = sampleFromDataValue('T', node, new DataValue({ statusCode: StatusCodes.BadSensorFailure }), 42, receive);
    expect(s.value).toBe(42);
    expect(s.quality).toEqual({ code: 'Bad', reason: `BadSensorFailure at ${node}` });
  });
  it('an unsupported type is Bad, names the type and the node, and keeps the last value', () => {
    const dv = new DataValue({
      value: new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1] }),
    });
    const s = sampleFromDataValue('T', node, dv, 7, receive);
    expect(s.value).toBe(7);
    expect(s.quality).toEqual({
      code: 'Bad',
      reason: `unsupported data type Double[1] at ${node}: a tag holds one value; read one element per tag with index: 0 in its opcua address`,
    });
    const three = new DataValue({
      value: new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2, 3] }),
    });
    expect(sampleFromDataValue('T', node, three, 7, receive).quality.reason).toBe(
      `unsupported data type Double[3] at ${node}: a tag holds one value; read one element per tag with index: 0 … index: 2 in its opcua address`,
    );
    expect(sampleFromDataValue('T', node, three, 7, receive, 1).value).toBe(1); // with an index, the server's one-element answer
  });
});
