/**
 * `alarms.table`, the console's compact form of the active list: every alarm the station
 * can list comes back equal after the station encodes it, JSON carries it and the console
 * reads it; malformed rows are dropped alone; a table in another layout is refused whole;
 * and it is much smaller than the object list for a flood.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alarmDisplayStateSchema, alarmPrioritySchema, alarmSchema, type AlarmDto } from '../../preload/contract.js';
import { alarmTable } from '../../main/runtime/alarms/alarm-table.js';
import { readAlarmTable } from '../../renderer/alarms/alarm-table-read.js';

const time = fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const name = fc.string({ minLength: 1, maxLength: 12 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

const alarmArb: fc.Arbitrary<AlarmDto> = fc.record({
  id: name,
  source: fc.constantFrom('tag', 'device', 'system', 'predictive', 'opcua'),
  kind: fc.constantFrom('high', 'low', 'state', 'comm', 'frozen'),
  priority: fc.constantFrom(...alarmPrioritySchema.options),
  tag: maybe(name),
  device: maybe(name),
  area: maybe(fc.constantFrom('SS01', 'SS02', 'PLANT')),
  equipment: maybe(name),
  screen: maybe(name),
  unit: fc.constantFrom('', '°C', 'bar', '%'),
  message: fc.oneof(fc.record({ en: fc.string() }), fc.record({ en: fc.string(), zh: fc.string() })),
  state: fc.constantFrom(...alarmDisplayStateSchema.options),
  active: fc.boolean(),
  latched: fc.boolean(),
  activeSince: maybe(time),
  changedAt: time,
  ackedBy: maybe(fc.constantFrom('demo-operator', 'night-shift')),
  ackedAt: maybe(time),
  shelved: maybe(
    fc.record({
      mode: fc.constantFrom('one-shot' as const, 'timed' as const),
      until: maybe(time),
      reason: fc.string(),
      by: name,
      at: time,
    }),
  ),
  outOfService: maybe(fc.record({ reason: fc.string(), by: name, at: time })),
  value: fc.oneof(finite, fc.boolean(), fc.string(), fc.constant(null)),
  limit: maybe(finite),
  ackDueAt: maybe(time),
  resolveDueAt: maybe(time),
});

/** What the console reads after the station encodes and JSON carries the table. */
const roundTrip = (alarms: AlarmDto[], silencedAt = 0, serverTime = 1_800_000_000_000) =>
  readAlarmTable(JSON.parse(JSON.stringify(alarmTable(alarms, silencedAt, serverTime))));

describe('alarms.table', () => {
  it('every alarm comes back equal to what alarms.list would carry', () => {
    fc.assert(
      fc.property(fc.array(alarmArb, { maxLength: 30 }), time, time, (alarms, silencedAt, serverTime) => {
        // What alarms.list carries is the DTO after JSON (-0 becomes 0 on the way).
        const listed = JSON.parse(JSON.stringify(alarms)) as AlarmDto[];
        const read = roundTrip(alarms, silencedAt, serverTime)!;
        expect(read.alarms).toEqual(listed);
        expect(read.silencedAt).toBe(silencedAt);
        expect(read.serverTime).toBe(serverTime);
        for (const a of read.alarms) expect(alarmSchema.safeParse(a).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('drops a malformed row alone and makes malformed optional parts null', () => {
    const good = fc.sample(alarmArb, { numRuns: 3, seed: 7 });
    const table = JSON.parse(JSON.stringify(alarmTable(good, 0, 1_800_000_000_000))) as {
      rows: unknown[][];
      strings: unknown[];
    };
    table.rows[0]![3] = 999; // a priority index outside the string table
    table.rows[1]![22] = { mode: 'forever' }; // a shelve of no known mode
    table.rows.push('not a row' as unknown as unknown[]);
    const read = readAlarmTable(table)!;
    expect(read.alarms.map((a) => a.id)).toEqual([good[1]!.id, good[2]!.id]);
    expect(read.alarms[0]!.shelved).toBeNull();
  });

  it('refuses a table whose columns are not this console’s', () => {
    const table = alarmTable(fc.sample(alarmArb, { numRuns: 2, seed: 3 }), 0, 1_800_000_000_000);
    expect(readAlarmTable({ ...table, columns: [...table.columns].reverse() })).toBeNull();
    expect(readAlarmTable({ ...table, columns: table.columns.slice(1) })).toBeNull();
    expect(readAlarmTable(null)).toBeNull();
  });

  it('a 10,000-alarm flood is well under half the bytes of the object list', () => {
    const flood: AlarmDto[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `SS01.TT${i % 80}.HI.FLOOD${i}`,
      source: 'tag',
      kind: 'high',
      priority: 'high',
      tag: `SS01.TT${i % 80}`,
      device: 'SS01-PLC',
      area: 'SS01',
      equipment: 'HX',
      screen: null,
      unit: '°C',
      message: { en: `Supply temperature high ${i}`, zh: `供水温度高 ${i}` },
      state: 'unack-active',
      active: true,
      latched: false,
      activeSince: 1_800_000_000_000 - i,
      changedAt: 1_800_000_000_000 - i,
      ackedBy: null,
      ackedAt: null,
      shelved: null,
      outOfService: null,
      value: 81.5,
      limit: 80,
      ackDueAt: 1_800_000_900_000 - i,
      resolveDueAt: 1_800_007_200_000 - i,
    }));
    const list = JSON.stringify({ alarms: flood, silencedAt: 0, serverTime: 1_800_000_000_000 }).length;
    const table = JSON.stringify(alarmTable(flood, 0, 1_800_000_000_000)).length;
    expect(table / list).toBeLessThan(0.45);
    expect(roundTrip(flood)!.alarms).toHaveLength(10_000);
  });
});
