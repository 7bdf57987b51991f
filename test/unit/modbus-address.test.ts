import { describe, expect, it } from 'vitest';
import { formatModbusAddress, parseModbusAddress } from '../../protocols/modbus/address.js';
import { modbusTables } from '../../protocols/modbus/config.js';

describe('Modbus addresses as integrators write them', () => {
  const good: [string, string, number][] = [
    ['40001', 'holding', 0],
    ['40100', 'holding', 99],
    ['49999', 'holding', 9998],
    ['400001', 'holding', 0],
    ['465536', 'holding', 65535],
    ['400100', 'holding', 99],
    ['30001', 'input', 0],
    ['300010', 'input', 9],
    ['00001', 'coil', 0],
    ['000017', 'coil', 16],
    ['09999', 'coil', 9998],
    ['10001', 'discrete', 0],
    ['165536', 'discrete', 65535],
    ['holding:100', 'holding', 100],
    ['HR 7', 'holding', 7],
    ['input:0', 'input', 0],
    ['coil 3', 'coil', 3],
    ['di:65535', 'discrete', 65535],
    [' 40001 ', 'holding', 0],
  ];
  for (const [text, table, address] of good) {
    it(`${JSON.stringify(text)} → ${table} ${address}`, () => {
      expect(parseModbusAddress(text)).toEqual({ ok: true, table, address });
    });
  }
  const bad: [string, RegExp][] = [
    ['100', /expected 5 digits/],
    ['40000', /outside 1\.\.9999/],
    ['400000', /outside 1\.\.65536/],
    ['465537', /outside 1\.\.65536/],
    ['20001', /leading digit 2 names no table/],
    ['50001', /leading digit 5/],
    ['4000001', /expected 5 digits/],
    ['register:1', /unknown table/],
    ['holding:70000', /beyond 65535/],
    ['', /expected/],
    ['4x0001', /expected/],
  ];
  for (const [text, reason] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const r = parseModbusAddress(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(reason);
    });
  }
  it('formats and parses back', () => {
    for (const table of modbusTables)
      for (const address of [0, 1, 99, 9998, 65535]) {
        expect(parseModbusAddress(formatModbusAddress(table, address))).toEqual({ ok: true, table, address });
      }
    expect(formatModbusAddress('holding', 0)).toBe('400001');
  });
});
