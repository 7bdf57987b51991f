/**
 * The active list as a table (`alarms.table`, the console's form of `alarms.list`): one row
 * of values per alarm in ALARM_TABLE_COLUMNS order, shared strings once in a string table,
 * times as offsets from one base, trailing nulls left out. Pure; read back by
 * renderer/alarms/alarm-table-read.ts.
 */
import { ALARM_TABLE_COLUMNS, type AlarmDto, type AlarmTableDto } from '../../../preload/contract.js';

/** Builds the shared string table as rows are encoded. */
class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per column, the last string and its index: neighbouring rows mostly repeat them (same tag, area, unit). */
  private readonly last: (string | null)[] = [];
  private readonly lastIndex: number[] = [];

  ref(column: number, s: string | null): number | null {
    if (s === null) return null;
    if (this.last[column] === s) return this.lastIndex[column]!;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    this.last[column] = s;
    this.lastIndex[column] = i;
    return i;
  }
}

export function alarmTable(alarms: readonly AlarmDto[], silencedAt: number, serverTime: number): AlarmTableDto {
  const strings = new StringTable();
  const at = (t: number | null): number | null => (t === null ? null : t - serverTime);
  const rows = alarms.map((a) => {
    const row: unknown[] = [
      a.id,
      strings.ref(1, a.source),
      strings.ref(2, a.kind),
      strings.ref(3, a.priority),
      strings.ref(4, a.tag),
      strings.ref(5, a.device),
      strings.ref(6, a.area),
      strings.ref(7, a.equipment),
      strings.ref(8, a.screen),
      strings.ref(9, a.unit),
      a.message.en,
      a.message.zh ?? null,
      strings.ref(12, a.state),
      (a.active ? 1 : 0) | (a.latched ? 2 : 0),
      at(a.activeSince),
      at(a.changedAt),
      a.value,
      a.limit,
      at(a.ackDueAt ?? null),
      at(a.resolveDueAt ?? null),
      strings.ref(20, a.ackedBy),
      at(a.ackedAt),
      a.shelved,
      a.outOfService,
    ];
    let end = row.length;
    while (end > 0 && row[end - 1] === null) end--;
    row.length = end;
    return row;
  });
  return {
    columns: [...ALARM_TABLE_COLUMNS],
    strings: strings.strings,
    base: serverTime,
    rows,
    silencedAt,
    serverTime,
  };
}
