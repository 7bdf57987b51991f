/**
 * The pure parts of OPC UA Alarms & Conditions: event fields to condition states, the refresh
 * bracket that ends conditions a server no longer reports, severity to priority, alarm ids
 * and areas.
 */
import { describe, expect, it } from 'vitest';
import { DataType, LocalizedText, NodeId, Variant, resolveNodeId } from 'node-opcua';
import {
  ConditionTracker,
  conditionEventFilter,
  decodeConditionEvent,
  type ConditionEvent,
} from '../../protocols/opcua/conditions.js';
import {
  conditionAlarmId,
  conditionArea,
  majorityArea,
  priorityOfSeverity,
} from '../../main/runtime/alarms/opcua-conditions.js';

const NOW = Date.parse('2026-01-15T06:00:00Z');

interface Fields {
  eventId?: Buffer;
  eventType?: string;
  conditionId?: string | null;
  sourceName?: string;
  time?: Date;
  message?: string;
  severity?: number;
  conditionName?: string;
  branchId?: string | null;
  retain?: boolean;
  active?: boolean | null;
  acked?: boolean | null;
}

/** Event fields in the filter's order. */
function fields(f: Fields = {}): Variant[] {
  const node = (id: string | null | undefined) =>
    new Variant({ dataType: DataType.NodeId, value: id ? resolveNodeId(id) : NodeId.nullNodeId });
  const maybe = (dataType: DataType, value: unknown) =>
    value === null || value === undefined ? new Variant({ dataType: DataType.Null }) : new Variant({ dataType, value });
  return [
    new Variant({ dataType: DataType.ByteString, value: f.eventId ?? Buffer.from('0a0b', 'hex') }),
    node(f.eventType ?? 'ns=0;i=2915'),
    node(f.conditionId === undefined ? 'ns=1;s=SS01.ALM.P_LO.Alarm' : f.conditionId),
    new Variant({ dataType: DataType.String, value: f.sourceName ?? '1:P_LO' }),
    new Variant({ dataType: DataType.DateTime, value: f.time ?? new Date(NOW - 1000) }),
    new Variant({
      dataType: DataType.LocalizedText,
      value: new LocalizedText({ text: f.message ?? 'Secondary pressure low' }),
    }),
    new Variant({ dataType: DataType.UInt16, value: f.severity ?? 700 }),
    new Variant({ dataType: DataType.String, value: f.conditionName ?? 'SS01.ALM.P_LO' }),
    node(f.branchId ?? null),
    new Variant({ dataType: DataType.Boolean, value: f.retain ?? true }),
    maybe(DataType.Boolean, f.active === undefined ? true : f.active),
    maybe(DataType.Boolean, f.acked === undefined ? false : f.acked),
  ];
}

const condition = (f: Fields = {}): ConditionEvent => decodeConditionEvent(fields(f), NOW);

describe('OPC UA condition events', () => {
  it('selects the twelve fields the alarm list needs, ConditionId as the NodeId of the condition', () => {
    const filter = conditionEventFilter();
    expect(filter.selectClauses).toHaveLength(12);
    const conditionId = filter.selectClauses![2]!;
    expect(conditionId.typeDefinitionId.toString()).toBe('ns=0;i=2782');
    expect(conditionId.browsePath ?? []).toHaveLength(0);
    expect(filter.selectClauses![10]!.browsePath!.map((q) => q.name)).toEqual(['ActiveState', 'Id']);
  });

  it('decodes a condition state', () => {
    expect(condition()).toEqual({
      kind: 'condition',
      update: {
        conditionId: 'ns=1;s=SS01.ALM.P_LO.Alarm',
        eventId: '0a0b',
        conditionName: 'SS01.ALM.P_LO',
        sourceName: '1:P_LO',
        message: 'Secondary pressure low',
        severity: 700,
        active: true,
        acked: false,
        retain: true,
        time: NOW - 1000,
        branchId: null,
      },
    });
  });

  it.each([
    ['refresh start', { eventType: 'ns=0;i=2787', conditionId: null }, 'refresh-start'],
    ['refresh end', { eventType: 'ns=0;i=2788', conditionId: null }, 'refresh-end'],
    ['an event that is not a condition (no ConditionId)', { eventType: 'ns=0;i=2041', conditionId: null }, 'other'],
    ['a condition that is not acknowledgeable (no AckedState)', { acked: null }, 'other'],
  ] as const)('tells %s apart', (_what, f, kind) => {
    expect(condition(f).kind).toBe(kind);
  });

  it('an acknowledgeable condition without ActiveState stands while retained; no name falls back to the ConditionId', () => {
    const e = condition({ active: null, retain: true, conditionName: '' });
    expect(e.kind === 'condition' && e.update).toMatchObject({
      active: true,
      conditionName: 'ns=1;s=SS01.ALM.P_LO.Alarm',
    });
  });

  it('a missing time is the receive time', () => {
    const e = condition({ time: new Date(0) });
    expect(e.kind === 'condition' && e.update.time).toBe(NOW);
  });
});

describe('ConditionTracker', () => {
  it('marks refreshed reports, and ends conditions a refresh no longer reports', () => {
    const t = new ConditionTracker('DEV');
    expect(t.apply(condition({ conditionId: 'ns=1;s=A', conditionName: 'A' }))).toMatchObject([
      { device: 'DEV', conditionId: 'ns=1;s=A', refresh: false },
    ]);
    t.apply(condition({ conditionId: 'ns=1;s=B', conditionName: 'B', active: false, acked: false }));
    t.apply(condition({ conditionId: 'ns=1;s=C', conditionName: 'C', active: true, acked: true }));
    expect(t.apply({ kind: 'refresh-start' })).toEqual([]);
    expect(
      t.apply(condition({ conditionId: 'ns=1;s=C', conditionName: 'C', active: true, acked: true })),
    ).toMatchObject([{ conditionId: 'ns=1;s=C', refresh: true }]);
    const ended = t.apply({ kind: 'refresh-end' });
    expect(ended.map((u) => [u.conditionId, u.active, u.acked, u.refresh])).toEqual([
      ['ns=1;s=A', false, true, true],
      ['ns=1;s=B', false, true, true],
    ]);
    expect(t.last('ns=1;s=A')).toBeUndefined();
    expect(t.last('ns=1;s=C')).toMatchObject({ active: true });
    // A refresh end without its start (another client's refresh half seen) ends nothing.
    expect(t.apply({ kind: 'refresh-end' })).toEqual([]);
  });

  it('forgets a condition once it is inactive, acknowledged and not retained', () => {
    const t = new ConditionTracker('DEV');
    t.apply(condition());
    t.apply(condition({ active: false, acked: true, retain: false }));
    expect(t.last('ns=1;s=SS01.ALM.P_LO.Alarm')).toBeUndefined();
    t.apply({ kind: 'refresh-start' });
    expect(t.apply({ kind: 'refresh-end' })).toEqual([]);
  });
});

describe('conditions as alarms', () => {
  it.each([
    [1000, 'critical'],
    [801, 'critical'],
    [800, 'high'],
    [601, 'high'],
    [600, 'medium'],
    [401, 'medium'],
    [400, 'low'],
    [201, 'low'],
    [200, 'diagnostic'],
    [1, 'diagnostic'],
    [0, 'diagnostic'],
  ] as const)('severity %i is %s', (severity, priority) => {
    expect(priorityOfSeverity(severity)).toBe(priority);
  });

  it('ids are <area>.<device>.<ConditionName>, the area not repeated, the device made id-safe', () => {
    expect(conditionAlarmId('SS01', 'SS01-OPCUA', 'SS01.ALM.P_LO')).toBe('SS01.SS01_OPCUA.ALM.P_LO');
    expect(conditionAlarmId('SS01', 'PLC 7', 'TankLevel')).toBe('SS01.PLC_7.TankLevel');
    expect(conditionAlarmId(null, 'PLC', 'TankLevel')).toBe('STATION.PLC.TankLevel');
  });

  it("the area is one of the device's areas the condition names, else where most of its tags are", () => {
    const tags = ['SS01.A', 'SS01.B', 'SS02.C'];
    const areas = new Set(['SS01', 'SS02']);
    expect(majorityArea(tags)).toBe('SS01');
    expect(majorityArea([])).toBeNull();
    expect(conditionArea({ conditionName: 'SS02.ALM.P_LO', sourceName: 'P_LO' }, areas, 'SS01')).toBe('SS02');
    expect(conditionArea({ conditionName: 'TankLevel', sourceName: 'SS02.Tank' }, areas, 'SS01')).toBe('SS02');
    expect(conditionArea({ conditionName: 'SS09.ALM.P_LO', sourceName: '1:P_LO' }, areas, 'SS01')).toBe('SS01');
  });
});
