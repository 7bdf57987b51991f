/**
 * Addresses as integrators write them → table + 0-based offset (the PDU address). Pure.
 *
 *   5 digits  00001–09999 coil, 10001–19999 discrete input, 30001–39999 input register, 40001–49999 holding register
 *   6 digits  000001–065536, 100001–165536, 300001–365536, 400001–465536 (the extended form, same tables)
 *   explicit  "holding:100", "input 0", "coil:7", "discrete:3" — already 0-based
 * The leading digit names the table and the rest is 1-based: 40001 is holding register 0,
 * 400100 is holding register 99. A bare number with no table is refused: "100" could mean
 * anything, and a wrong guess reads the wrong register without any error.
 */
import type { ModbusTable } from './config.js';

export type ParsedModbusAddress =
  | { readonly ok: true; readonly table: ModbusTable; readonly address: number }
  | { readonly ok: false; readonly reason: string };

const tableByDigit: Readonly<Record<string, ModbusTable>> = {
  '0': 'coil',
  '1': 'discrete',
  '3': 'input',
  '4': 'holding',
};
const tableAliases: Readonly<Record<string, ModbusTable>> = {
  coil: 'coil',
  coils: 'coil',
  co: 'coil',
  discrete: 'discrete',
  di: 'discrete',
  'discrete-input': 'discrete',
  input: 'input',
  ir: 'input',
  'input-register': 'input',
  holding: 'holding',
  hr: 'holding',
  'holding-register': 'holding',
};

export function parseModbusAddress(text: string): ParsedModbusAddress {
  const trimmed = text.trim();
  const explicit = /^([a-z-]+)\s*[:\s]\s*(\d+)$/iu.exec(trimmed);
  if (explicit) {
    const table = tableAliases[explicit[1]!.toLowerCase()];
    if (!table)
      return { ok: false, reason: `"${text}": unknown table "${explicit[1]}" (coil, discrete, input, holding)` };
    const address = Number(explicit[2]);
    if (address > 65535) return { ok: false, reason: `"${text}": offset ${address} is beyond 65535` };
    return { ok: true, table, address };
  }
  if (!/^\d{5,6}$/u.test(trimmed)) {
    return {
      ok: false,
      reason: `"${text}": expected 5 digits (40001), 6 digits (400001) or "table:offset" (holding:0)`,
    };
  }
  const table = tableByDigit[trimmed[0]!];
  if (!table)
    return {
      ok: false,
      reason: `"${text}": leading digit ${trimmed[0]} names no table (0 coil, 1 discrete, 3 input, 4 holding)`,
    };
  const oneBased = Number(trimmed.slice(1));
  const max = trimmed.length === 5 ? 9999 : 65536;
  if (oneBased < 1 || oneBased > max)
    return { ok: false, reason: `"${text}": register number ${oneBased} is outside 1..${max}` };
  return { ok: true, table, address: oneBased - 1 };
}

/** The conventional 6-digit form of a table + offset, e.g. holding 0 → "400001". */
export function formatModbusAddress(table: ModbusTable, address: number): string {
  const digit = table === 'coil' ? '0' : table === 'discrete' ? '1' : table === 'input' ? '3' : '4';
  return `${digit}${String(address + 1).padStart(5, '0')}`;
}
