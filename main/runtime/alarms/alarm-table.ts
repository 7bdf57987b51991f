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

  ref(s: string | null): number | null {
    if (s === null) return null;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

export function alarmTable(alarms: readonly AlarmDto[], silencedAt: number, serverTime: number): AlarmTableDto {
  const strings = new StringTable();
  const at = (t: number | null): number | null => (t === null ? null : t - serverTime);
  const rows = alarms.map((a) => {
    const row: unknown[] = [
      a.id,
      strings.ref(a.source),
      strings.ref(a.kind),
      strings.ref(a.priority),
      strings.ref(a.tag),
      strings.ref(a.device),
      strings.ref(a.area),
      strings.ref(a.equipment),
      strings.ref(a.screen),
      strings.ref(a.unit),
      a.message.en,
      a.message.zh ?? null,
      strings.ref(a.state),
      (a.active ? 1 : 0) | (a.latched ? 2 : 0),
      at(a.activeSince),
      at(a.changedAt),
      a.value,
      a.limit,
      at(a.ackDueAt ?? null),
      at(a.resolveDueAt ?? null),
      strings.ref(a.ackedBy),
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
