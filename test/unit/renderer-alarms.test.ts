/**
 * The console's alarm logic: the store (full list, events, stale events, resync), the
 * sync against a fake link, sorting and filtering, counts and banner lines, the horn
 * (silence is not acknowledge), journal times in 24-hour form, KPI verdicts, loose
 * validation and command parameters.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmDto, AlarmKpisDto } from '../../preload/contract.js';
import { AlarmStore } from '../../renderer/alarms/alarm-store.js';
import { AlarmSync, type AlarmLink } from '../../renderer/alarms/alarm-sync.js';
import {
  bannerAlarms,
  countAlarms,
  defaultAlarmFilter,
  equipmentKeyOfAlarm,
  filterAlarms,
  formatAlarmValue,
  pageAcknowledgeIds,
  priorityNumber,
  priorityShape,
  screenForAlarm,
  sortAlarms,
} from '../../renderer/alarms/alarm-view.js';
import { beepsOf, hornDemand, hornState, tones } from '../../renderer/alarms/horn.js';
import {
  format24,
  formatJournalValue,
  journalFormFor,
  journalQuery,
  parse24,
} from '../../renderer/alarms/journal-format.js';
import { kpiRows, MIN_ACTIVATIONS_FOR_SHARES } from '../../renderer/alarms/kpi-format.js';
import { asAlarm, asAlarms } from '../../renderer/alarms/alarm-validate.js';
import { shelveParams } from '../../renderer/alarms/alarm-commands.js';
import { alarmTable } from '../../main/runtime/alarms/alarm-table.js';
import { isCurrentPlace, navItems, parseRoute, routeHash } from '../../renderer/app/navigation.js';

let seq = 0;
function alarm(patch: Partial<AlarmDto> = {}): AlarmDto {
  seq++;
  return {
    id: `SS01.T${seq}.HI`,
    source: 'tag',
    kind: 'high',
    priority: 'medium',
    tag: `SS01.T${seq}.PV`,
    device: null,
    area: 'SS01',
    equipment: `T${seq}`,
    screen: null,
    unit: 'bar',
    message: { en: `Alarm ${seq}` },
    state: 'unack-active',
    active: true,
    latched: false,
    activeSince: 1000 + seq,
    changedAt: 1000 + seq,
    ackedBy: null,
    ackedAt: null,
    shelved: null,
    outOfService: null,
    value: 1.5,
    limit: 1.2,
    ackDueAt: null,
    resolveDueAt: null,
    ...patch,
  };
}

describe('AlarmStore', () => {
  it('a full list replaces everything; events change, add and remove (normal)', () => {
    const store = new AlarmStore();
    const a = alarm({ id: 'A', changedAt: 10 });
    const b = alarm({ id: 'B', changedAt: 10 });
    store.replaceAll([a, b], 5);
    expect(
      store
        .getSnapshot()
        .alarms.map((x) => x.id)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(store.getSnapshot().loaded).toBe(true);
    store.apply([{ ...a, state: 'ack-active', changedAt: 20 }, alarm({ id: 'C', changedAt: 20 })], 5);
    expect(store.get('A')!.state).toBe('ack-active');
    expect(store.get('C')).toBeDefined();
    store.apply([{ ...b, state: 'normal', changedAt: 30 }], 5);
    expect(store.get('B')).toBeUndefined();
    store.replaceAll([a], 5);
    expect(store.getSnapshot().alarms.map((x) => x.id)).toEqual(['A']);
  });

  it('never lets an older change overwrite a newer one, nor resurrect a removed alarm', () => {
    const store = new AlarmStore();
    const a = alarm({ id: 'A', changedAt: 50, state: 'ack-active' });
    store.replaceAll([a], 0);
    store.apply([{ ...a, state: 'unack-active', changedAt: 40 }], 0);
    expect(store.get('A')!.state).toBe('ack-active');
    store.apply([{ ...a, state: 'normal', changedAt: 60 }], 0);
    store.apply([{ ...a, state: 'ack-active', changedAt: 55 }], 0);
    expect(store.get('A')).toBeUndefined();
    store.apply([{ ...a, state: 'unack-active', changedAt: 70 }], 0);
    expect(store.get('A')!.state).toBe('unack-active');
  });

  it('a new snapshot object only when something changed; silence moves forward only', () => {
    const store = new AlarmStore();
    store.replaceAll([], 100);
    const s1 = store.getSnapshot();
    expect(store.getSnapshot()).toBe(s1);
    store.apply([], 50);
    expect(store.getSnapshot()).toBe(s1);
    store.apply([], 150);
    expect(store.getSnapshot()).not.toBe(s1);
    expect(store.getSnapshot().silencedAt).toBe(150);
  });

  it('worst alarm per tag and per equipment: the most urgent annunciated one', () => {
    const store = new AlarmStore();
    store.replaceAll(
      [
        alarm({ id: 'P.LO', tag: 'SS01.P1.VIB', area: 'SS01', equipment: 'P1', priority: 'low' }),
        alarm({ id: 'P.HI', tag: 'SS01.P1.VIB', area: 'SS01', equipment: 'P1', priority: 'high' }),
        alarm({
          id: 'P.SH',
          tag: 'SS01.P1.CURRENT',
          area: 'SS01',
          equipment: 'P1',
          priority: 'critical',
          state: 'shelved',
        }),
        alarm({ id: 'W', tag: 'SS01.ALM.P1_VIB', area: 'SS01', equipment: 'P1', priority: 'medium' }),
      ],
      0,
    );
    expect(store.worstForTag('SS01.P1.VIB')!.id).toBe('P.HI');
    expect(store.worstForTag('SS01.P1.CURRENT')).toBeUndefined();
    expect(store.worstForEquipment('SS01.P1')!.id).toBe('P.HI');
    expect(equipmentKeyOfAlarm({ area: 'SS01', equipment: 'P1', tag: 'SS01.ALM.P1_VIB' })).toBe('SS01.P1');
    expect(equipmentKeyOfAlarm({ area: null, equipment: null, tag: 'SS01.HX.T' })).toBe('SS01.HX');
  });

  it('selection is shared and forgets an alarm that left the list', () => {
    const store = new AlarmStore();
    store.replaceAll([alarm({ id: 'A' })], 0);
    store.select('A');
    expect(store.selectedId).toBe('A');
    store.replaceAll([], 0);
    expect(store.selectedId).toBeNull();
  });
});

/** A link whose replies the test releases by hand. */
function fakeLink() {
  const listeners = new Map<string, (p: unknown) => void>();
  const statusListeners = new Set<() => void>();
  let phase: 'connected' | 'disconnected' = 'disconnected';
  const pending: { name: string; resolve: (v: unknown) => void }[] = [];
  const link: AlarmLink = {
    request: ((name: string) =>
      new Promise((resolve) =>
        pending.push({ name, resolve: resolve as (v: unknown) => void }),
      )) as AlarmLink['request'],
    on: ((name: string, l: (p: unknown) => void) => {
      listeners.set(name, l);
      return () => listeners.delete(name);
    }) as AlarmLink['on'],
    status: () => ({ phase }),
    onStatus: (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
  };
  return {
    link,
    pending,
    emit: (name: string, payload: unknown) => listeners.get(name)?.(payload),
    setPhase: (p: typeof phase) => {
      phase = p;
      for (const l of statusListeners) l();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('AlarmSync', () => {
  it('loads the list on connect, holds events that cross it, resyncs on the timer', async () => {
    const f = fakeLink();
    const store = new AlarmStore();
    let timer: (() => void) | null = null;
    const sync = new AlarmSync(f.link, store, {
      setInterval: (fn) => (timer = fn),
      clearInterval: () => undefined,
      now: () => 1000,
    });
    sync.start();
    expect(f.pending).toHaveLength(0);
    f.setPhase('connected');
    expect(f.pending.map((p) => p.name)).toEqual(['alarms.table']);
    const a = alarm({ id: 'A', changedAt: 10 });
    // An event that crossed the list in flight: newer than the list's copy, so it wins.
    f.emit('alarms.changed', { alarms: [{ ...a, state: 'ack-active', changedAt: 20 }], silencedAt: 0 });
    expect(store.getSnapshot().alarms).toHaveLength(0);
    f.pending.shift()!.resolve({ ok: true, value: alarmTable([a, alarm({ id: 'B' })], 3, 1500) });
    await tick();
    expect(store.get('A')!.state).toBe('ack-active');
    expect(store.get('B')).toBeDefined();
    expect(store.getSnapshot().clockOffsetMs).toBe(500);
    expect(f.pending.map((p) => p.name)).toEqual(['alarms.definitions']);
    f.pending.shift()!.resolve({ ok: true, value: [] });
    await tick();
    // Between lists, events apply at once.
    f.emit('alarms.changed', { alarms: [{ ...a, state: 'normal', changedAt: 30 }], silencedAt: 3 });
    expect(store.get('A')).toBeUndefined();
    // The periodic resync asks again (a dropped event is repaired by it).
    timer!();
    expect(f.pending.map((p) => p.name)).toEqual(['alarms.table']);
    f.pending.shift()!.resolve({ ok: true, value: alarmTable([alarm({ id: 'D' })], 3, 1000) });
    await tick();
    expect(store.getSnapshot().alarms.map((x) => x.id)).toEqual(['D']);
    sync.stop();
  });

  it('a list reply from before a reconnect is ignored; a refused list keeps what is shown', async () => {
    const f = fakeLink();
    const store = new AlarmStore();
    const sync = new AlarmSync(f.link, store, { setInterval: () => 0, clearInterval: () => undefined });
    sync.start();
    f.setPhase('connected');
    const first = f.pending.shift()!;
    f.setPhase('disconnected');
    f.setPhase('connected');
    first.resolve({ ok: true, value: alarmTable([alarm({ id: 'OLD' })], 0, 0) });
    await tick();
    expect(store.get('OLD')).toBeUndefined();
    f.pending.shift()!.resolve({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'locked' } });
    await tick();
    expect(sync.lastError).toContain('UNAUTHENTICATED');
    sync.stop();
  });
});

describe('sorting, filtering, counting', () => {
  const list = [
    alarm({ id: 'low-new', priority: 'low', activeSince: 300 }),
    alarm({ id: 'crit-acked', priority: 'critical', state: 'ack-active', activeSince: 100 }),
    alarm({ id: 'crit-unack', priority: 'critical', activeSince: 50 }),
    alarm({ id: 'high-rtn', priority: 'high', state: 'unack-rtn', active: false, activeSince: 200 }),
    alarm({ id: 'shelved', priority: 'critical', state: 'shelved', area: 'SS02' }),
    alarm({ id: 'diag', priority: 'diagnostic', message: { en: 'Sensor frozen', zh: '传感器冻结' } }),
  ];

  it('default order: priority, unacknowledged first, newest first', () => {
    expect(sortAlarms(list, 'priority', false).map((a) => a.id)).toEqual([
      'crit-unack',
      'crit-acked',
      'shelved',
      'high-rtn',
      'low-new',
      'diag',
    ]);
    expect(sortAlarms(list, 'time', true)[0]!.id).not.toBe('crit-unack');
  });

  it('filters by priority, area, state and words (either language)', () => {
    expect(filterAlarms(list, defaultAlarmFilter).map((a) => a.id)).not.toContain('shelved');
    expect(
      filterAlarms(list, { ...defaultAlarmFilter, priorities: ['critical'] })
        .map((a) => a.id)
        .sort(),
    ).toEqual(['crit-acked', 'crit-unack']);
    expect(filterAlarms(list, { ...defaultAlarmFilter, state: 'hidden' }).map((a) => a.id)).toEqual(['shelved']);
    expect(
      filterAlarms(list, { ...defaultAlarmFilter, state: 'unacked' })
        .map((a) => a.id)
        .sort(),
    ).toEqual(['crit-unack', 'diag', 'high-rtn', 'low-new']);
    expect(filterAlarms(list, { ...defaultAlarmFilter, state: 'all', area: 'SS02' }).map((a) => a.id)).toEqual([
      'shelved',
    ]);
    expect(filterAlarms(list, { ...defaultAlarmFilter, text: '冻结' }).map((a) => a.id)).toEqual(['diag']);
    expect(filterAlarms(list, { ...defaultAlarmFilter, text: 'sensor FROZEN' }).map((a) => a.id)).toEqual(['diag']);
  });

  it('counts per priority (annunciated only) and hidden counts', () => {
    const c = countAlarms(list);
    expect(c.byPriority.find((p) => p.priority === 'critical')).toEqual({ priority: 'critical', total: 2, unacked: 1 });
    expect(c.total).toBe(5);
    expect(c.unacked).toBe(4);
    expect(c.shelved).toBe(1);
  });

  it('banner: the n most urgent, without sorting everything', () => {
    expect(bannerAlarms(list, 3).map((a) => a.id)).toEqual(['crit-unack', 'crit-acked', 'high-rtn']);
    const many = Array.from({ length: 2000 }, (_, i) =>
      alarm({ priority: i === 1234 ? 'critical' : 'low', activeSince: i }),
    );
    expect(bannerAlarms(many, 3).map((a) => a.priority)).toEqual(['critical', 'low', 'low']);
    expect(bannerAlarms(many, 3)[1]!.activeSince).toBe(1999);
  });

  it('acknowledging a page takes only the unacknowledged rows shown, at most 1000', () => {
    expect(pageAcknowledgeIds(list)).toEqual(['low-new', 'crit-unack', 'high-rtn', 'diag']);
    expect(pageAcknowledgeIds(Array.from({ length: 1500 }, () => alarm()))).toHaveLength(1000);
  });

  it('priority is a number and a shape as well as a colour', () => {
    expect(priorityNumber('critical')).toBe(1);
    expect(priorityNumber('diagnostic')).toBe(5);
    expect(new Set(Object.values(priorityShape)).size).toBe(5);
  });

  it('values with unit and limit; the screen that shows the tag', () => {
    expect(formatAlarmValue({ value: 0.5429, unit: 'bar', limit: 1.2 })).toBe('0.54 bar (limit 1.2 bar)');
    expect(formatAlarmValue({ value: true, unit: '', limit: null })).toBe('true');
    const screens = [
      { id: 'overview', elements: [{ kind: 'value', tag: 'SS01.SEC.P_RET', x: 0, y: 0 }] },
      { id: 'pumps', elements: [{ kind: 'pump', runTag: 'SS01.P1.RUN', x: 0, y: 0, label: 'P1' }] },
    ] as unknown as Parameters<typeof screenForAlarm>[1];
    expect(screenForAlarm({ screen: null, tag: 'SS01.SEC.P_RET' }, screens)).toBe('overview');
    expect(screenForAlarm({ screen: null, tag: 'SS01.P1.RUN' }, screens)).toBe('pumps');
    expect(screenForAlarm({ screen: 'devices', tag: 'X' }, screens)).toBe('devices');
    expect(screenForAlarm({ screen: null, tag: 'NOWHERE' }, screens)).toBeNull();
  });
});

describe('horn', () => {
  it('sounds for active unacknowledged alarms that came after the last silence, most urgent tone', () => {
    const list = [alarm({ priority: 'low', changedAt: 100 }), alarm({ priority: 'high', changedAt: 200 })];
    expect(hornDemand(list, 0)).toEqual({ priority: 'high', count: 2 });
    expect(hornState(list, 0)).toBe('on');
    // Silenced after both: the alarms stay unacknowledged, the horn does not sound.
    expect(hornDemand(list, 250)).toBeNull();
    expect(hornState(list, 250)).toBe('silenced');
    // A new alarm after the silence sounds again, with its own tone.
    expect(hornDemand([...list, alarm({ priority: 'low', changedAt: 300 })], 250)).toEqual({
      priority: 'low',
      count: 1,
    });
  });

  it('never for acknowledged, returned, hidden or diagnostic alarms', () => {
    const quiet = [
      alarm({ state: 'ack-active' }),
      alarm({ state: 'unack-rtn' }),
      alarm({ state: 'shelved' }),
      alarm({ state: 'out-of-service' }),
      alarm({ priority: 'diagnostic' }),
    ];
    expect(hornDemand(quiet, 0)).toBeNull();
    expect(hornState(quiet, 0)).toBe('off');
  });

  it('each priority has its own tone pattern that fits its period', () => {
    const signatures = Object.values(tones).map((t) => `${t.wave}:${t.frequencies.join('/')}:${t.periodMs}`);
    expect(new Set(signatures).size).toBe(signatures.length);
    for (const t of Object.values(tones)) {
      const beeps = beepsOf(t);
      expect(beeps.length).toBe(t.frequencies.length);
      expect(beeps.at(-1)!.at + beeps.at(-1)!.ms).toBeLessThanOrEqual(t.periodMs);
    }
  });
});

describe('journal form (24-hour times)', () => {
  it('formats and reads local times without AM/PM', () => {
    const t = new Date(2025, 0, 31, 14, 5).getTime();
    expect(format24(t)).toBe('2025-01-31 14:05');
    expect(parse24('2025-01-31 14:05')).toBe(t);
    expect(parse24('2025-01-31T14:05:30')).toBe(t + 30_000);
    expect(parse24('2025-02-31 10:00')).toBeNull();
    expect(parse24('2025-01-31 24:00')).toBeNull();
    expect(parse24('31/01/2025 2:05 PM')).toBeNull();
  });

  it('becomes a journal filter; errors say how to write a time', () => {
    const form = {
      ...journalFormFor(new Date(2025, 0, 31, 14, 5).getTime(), 3_600_000),
      user: ' demo-operator ',
      kind: 'acknowledged',
      priority: 'high',
      tag: 'SS01.*',
    };
    const q = journalQuery(form);
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.filter).toMatchObject({ user: 'demo-operator', kind: 'acknowledged', priority: 'high', tag: 'SS01.*' });
    expect(q.filter.from).toBe(new Date(2025, 0, 31, 13, 5).getTime());
    expect(q.filter.to).toBeGreaterThan(new Date(2025, 0, 31, 14, 6).getTime());
    const unknownPriority = journalQuery({ ...form, priority: 'urgent' });
    expect(unknownPriority.ok && 'priority' in unknownPriority.filter).toBe(false);
    const bad = journalQuery({ ...form, from: 'yesterday' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('YYYY-MM-DD HH:MM');
    expect(journalQuery({ ...form, from: form.to, to: form.from }).ok).toBe(false);
    expect(formatJournalValue(0.5429707765579224)).toBe('0.543');
    expect(formatJournalValue(null)).toBe('—');
  });
});

describe('KPI verdicts', () => {
  const base: AlarmKpisDto = {
    from: 0,
    to: 86_400_000,
    operators: 1,
    activations: 100,
    perOperatorPer10Min: 0.5,
    perOperatorPerHour: 6,
    targets: { per10Min: 1, perHour: 5, floodPer10Min: 10, priorityShare: { low: 0.8, medium: 0.15, high: 0.05 } },
    floodShare: 0,
    floodPeriods: 0,
    periods: 144,
    peakPer10Min: 12,
    top: [],
    topShare: 0.02,
    chattering: [],
    stale: [],
    shelvedNow: 1,
    outOfServiceNow: 0,
    suppressedNow: 0,
    priorities: { low: { count: 80, share: 0.8 }, medium: { count: 15, share: 0.15 }, high: { count: 5, share: 0.05 } },
    acknowledge: { count: 10, medianMs: 60_000, p90Ms: 600_000, withinRule: 1, ruleMs: 900_000 },
    resolve: { count: 10, medianMs: 60_000, p90Ms: 600_000, withinRule: 0.9, ruleMs: 7_200_000 },
  };
  const verdict = (k: AlarmKpisDto, id: string) => kpiRows(k).find((r) => r.id === id)!.verdict;
  it('compares each figure with its target', () => {
    expect(verdict(base, 'per10')).toBe('ok');
    expect(verdict(base, 'perHour')).toBe('over');
    expect(verdict(base, 'peak')).toBe('over');
    expect(verdict(base, 'prio-low')).toBe('ok');
    expect(verdict(base, 'ack')).toBe('ok');
    expect(verdict(base, 'resolve')).toBe('over');
    expect(kpiRows(base).find((r) => r.id === 'ack')!.label).toContain('15 min');
    expect(kpiRows(base).find((r) => r.id === 'resolve')!.label).toContain('2.0 h');
  });
  it('does not judge shares on too few activations', () => {
    const few = { ...base, activations: MIN_ACTIVATIONS_FOR_SHARES - 1, topShare: 1 };
    expect(verdict(few, 'top')).toBe('none');
    expect(verdict(few, 'prio-low')).toBe('none');
  });
});

describe('loose validation and commands', () => {
  it('drops alarms without what the console needs, one by one', () => {
    const good = alarm({ id: 'OK' });
    expect(
      asAlarms([
        good,
        { ...good, priority: 'urgent' },
        { ...good, state: 'weird' },
        null,
        { ...good, id: 'OK2', shelved: { mode: 'x' } },
      ]).map((a) => a.id),
    ).toEqual(['OK', 'OK2']);
    expect(asAlarm({ ...good, id: 'OK2', shelved: { mode: 'x' } })!.shelved).toBeNull();
    expect(asAlarm(good)).toEqual(good);
  });
  it('shelve: minutes or one-shot', () => {
    expect(shelveParams('A', ' maintenance ', '60')).toEqual({ id: 'A', reason: 'maintenance', minutes: 60 });
    expect(shelveParams('A', 'maintenance', 'one-shot')).toEqual({ id: 'A', reason: 'maintenance' });
  });
});

describe('alarm routes', () => {
  it('summary, journal and KPIs live under Alarms, right after the plant screens', () => {
    for (const hash of ['#/alarms', '#/alarms/journal', '#/alarms/kpis'])
      expect(routeHash(parseRoute(hash)!)).toBe(hash);
    expect(isCurrentPlace({ kind: 'alarms' }, { kind: 'alarm-journal' })).toBe(true);
    expect(isCurrentPlace({ kind: 'devices' }, { kind: 'alarm-kpis' })).toBe(false);
    const ids = navItems([
      { id: 'overview', title: 'O' },
      { id: 'pumps', title: 'P' },
    ]).map((i) => i.testId);
    expect(ids.slice(0, 4)).toEqual(['nav-overview', 'nav-pumps', 'nav-alarms', 'nav-devices']);
  });
});
