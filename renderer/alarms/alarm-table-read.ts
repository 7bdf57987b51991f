/**
 * Reads `alarms.table` (the compact active list, see ALARM_TABLE_COLUMNS) into alarms, with
 * the same loose checks as alarm-validate.ts: a row without what the console relies on is
 * dropped, malformed optional parts become null. A table in another column layout (a
 * station of another version) is refused as a whole. Pure.
 */
import { ALARM_TABLE_COLUMNS, type AlarmDto } from '../../preload/contract.js';
import {
  alarmValueOf,
  isRec,
  num,
  outOfServiceOf,
  priorities,
  shelvedOf,
  sources,
  states,
  str,
} from './alarm-validate.js';

export interface AlarmTable {
  readonly alarms: AlarmDto[];
  readonly silencedAt: number;
  readonly serverTime: number | null;
}

/** The table's layout is this console's: the same columns in the same order. */
function sameColumns(x: unknown): boolean {
  return Array.isArray(x) && x.length === ALARM_TABLE_COLUMNS.length && ALARM_TABLE_COLUMNS.every((c, i) => x[i] === c);
}

export function readAlarmTable(x: unknown): AlarmTable | null {
  if (!isRec(x) || !sameColumns(x.columns) || !Array.isArray(x.rows) || !Array.isArray(x.strings)) return null;
  const base = num(x.base);
  if (base === null) return null;
  const strings = x.strings as unknown[];
  /** A shared string by index; null for null, a bad index or a non-string. */
  const s = (i: unknown): string | null => (typeof i === 'number' ? str(strings[i]) : null);
  const t = (v: unknown): number | null => {
    const n = num(v);
    return n === null ? null : n + base;
  };
  const alarms: AlarmDto[] = [];
  for (const row of x.rows as unknown[]) {
    if (!Array.isArray(row)) continue;
    const id = row[0];
    const priority = s(row[3]);
    const state = s(row[12]);
    const changedAt = t(row[15]);
    const en = row[10];
    if (typeof id !== 'string' || priority === null || !priorities.has(priority)) continue;
    if (state === null || !states.has(state) || changedAt === null || typeof en !== 'string') continue;
    const source = s(row[1]);
    const zh = str(row[11]);
    const flags = typeof row[13] === 'number' ? row[13] : 0;
    alarms.push({
      id,
      source: source !== null && sources.has(source) ? (source as AlarmDto['source']) : 'tag',
      kind: s(row[2]) ?? '',
      priority: priority as AlarmDto['priority'],
      tag: s(row[4]),
      device: s(row[5]),
      area: s(row[6]),
      equipment: s(row[7]),
      screen: s(row[8]),
      unit: s(row[9]) ?? '',
      message: zh === null ? { en } : { en, zh },
      state: state as AlarmDto['state'],
      active: (flags & 1) !== 0,
      latched: (flags & 2) !== 0,
      activeSince: t(row[14]),
      changedAt,
      value: alarmValueOf(row[16] ?? null),
      limit: num(row[17]),
      ackDueAt: t(row[18]),
      resolveDueAt: t(row[19]),
      ackedBy: s(row[20]),
      ackedAt: t(row[21]),
      shelved: shelvedOf(row[22]),
      outOfService: outOfServiceOf(row[23]),
    });
  }
  return { alarms, silencedAt: num(x.silencedAt) ?? 0, serverTime: num(x.serverTime) };
}
