/**
 * The alarm engine with a controllable clock: conditions of every kind, deadbands,
 * on/off delays, latching, re-alarm, timed and one-shot shelves, suppression by design,
 * communication alarms, external (system/predictive) alarms and restore.
 */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../protocols/driver.js';
import { AlarmEngine, type AlarmRecord } from '../../main/runtime/alarms/alarm-engine.js';
import { alarmConfigSchema, alarmSettingsSchema } from '../../main/runtime/alarms/alarm-config.js';
import {
  commLostDefinition,
  externalDefinition,
  tagAlarmDefinition,
  type AlarmDefinition,
} from '../../main/runtime/alarms/alarm-definitions.js';
import { tagSchema } from '../../main/runtime/config/schema.js';

const T0 = Date.UTC(2026, 10, 1, 3, 0, 0);

function tag(name: string, extra: Record<string, unknown> = {}) {
  return tagSchema.parse({
    name,
    device: 'PLC',
    description: { en: name },
    unit: 'bar',
    modbus: { table: 'holding', address: 0, type: 'int16' },
    range: [0, 10],
    ...extra,
  });
}

function harness(
  alarms: Array<{ tag: string; alarm: Record<string, unknown>; tagExtra?: Record<string, unknown> }>,
  extra: AlarmDefinition[] = [],
) {
  let now = T0;
  const latest = new Map<string, Sample>();
  const defs = alarms.map((a) => tagAlarmDefinition(tag(a.tag, a.tagExtra), alarmConfigSchema.parse(a.alarm)));
  const engine = new AlarmEngine([...defs, ...extra], { now: () => now, sampleOf: (t) => latest.get(t) });
  const records: AlarmRecord[] = [];
  const h = {
    engine,
    records,
    get now() {
      return now;
    },
    /** Move the clock and run the time-driven work. */
    advance(ms: number) {
      now += ms;
      engine.tick();
      records.push(...engine.drain().records);
    },
    feed(name: string, value: number | boolean | null, quality: 'Good' | 'Bad' | 'Uncertain' = 'Good') {
      const sample: Sample = {
        tag: name,
        value,
        quality: quality === 'Good' ? { code: 'Good' } : { code: quality, reason: 'test' },
        sourceTime: now,
        receiveTime: now,
      };
      latest.set(name, sample);
      engine.applySamples([sample]);
      records.push(...engine.drain().records);
    },
    state(id: string) {
      const s = engine.get(id)!;
      return s.state.outOfService
        ? 'out-of-service'
        : s.state.shelved
          ? 'shelved'
          : s.state.suppressed
            ? 'suppressed'
            : s.state.core;
    },
    kinds(id: string) {
      return records.filter((r) => r.alarmId === id).map((r) => r.kind);
    },
  };
  return h;
}

describe('limit alarms', () => {
  it('activate above the limit and return only below limit − deadband', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, deadband: 0.5, priority: 'high' } }]);
    h.feed('A.B.P', 7.9);
    expect(h.state('A.B.P.HI')).toBe('normal');
    h.feed('A.B.P', 8.1);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    h.feed('A.B.P', 7.8); // inside the deadband: still active
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    h.feed('A.B.P', 7.4);
    expect(h.state('A.B.P.HI')).toBe('unack-rtn');
    const activation = h.records.find((r) => r.kind === 'activated')!;
    expect(activation).toMatchObject({ value: 8.1, limit: 8, state: 'unack-active', condition: true, user: null });
  });

  it('low and low-low with their own ids; bad quality holds the state', () => {
    const h = harness([
      { tag: 'A.B.P', alarm: { kind: 'low', limit: 2, priority: 'medium' } },
      { tag: 'A.B.P', alarm: { kind: 'low-low', limit: 1, priority: 'critical' } },
    ]);
    h.feed('A.B.P', 0.5);
    expect([h.state('A.B.P.LO'), h.state('A.B.P.LL')]).toEqual(['unack-active', 'unack-active']);
    h.feed('A.B.P', null, 'Bad');
    expect([h.state('A.B.P.LO'), h.state('A.B.P.LL')]).toEqual(['unack-active', 'unack-active']);
    h.feed('A.B.P', 1.5);
    expect([h.state('A.B.P.LO'), h.state('A.B.P.LL')]).toEqual(['unack-active', 'unack-rtn']);
  });

  it('on-delay: the condition must hold for the whole delay; a dip restarts it', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, onDelayS: 10, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    h.advance(6000);
    expect(h.state('A.B.P.HI')).toBe('normal');
    h.feed('A.B.P', 7); // dips back
    h.advance(1000);
    h.feed('A.B.P', 9);
    h.advance(9000);
    expect(h.state('A.B.P.HI')).toBe('normal');
    expect(h.engine.nextDeadline()).toBe(h.now + 1000);
    h.advance(1000);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
  });

  it('off-delay: returns only after the condition stayed clear', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, offDelayS: 30, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    h.feed('A.B.P', 7);
    h.advance(29_000);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    h.advance(1000);
    expect(h.state('A.B.P.HI')).toBe('unack-rtn');
  });

  it('chattering input inside the deadband raises one alarm, not many', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, deadband: 0.3, priority: 'high' } }]);
    for (let i = 0; i < 100; i++) {
      h.feed('A.B.P', i % 2 === 0 ? 8.1 : 7.9);
      h.advance(100);
    }
    expect(h.kinds('A.B.P.HI')).toEqual(['activated']);
  });
});

describe('latching and re-alarm', () => {
  it('a latched alarm stays until acknowledged after its condition cleared', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, latch: true, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    h.feed('A.B.P', 5);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    h.engine.command('A.B.P.HI', { type: 'acknowledge', at: h.now, user: 'op' }, 'op', null);
    expect(h.state('A.B.P.HI')).toBe('normal');
  });

  it('an acknowledged alarm still active annunciates again after the re-alarm time', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, realarmS: 600, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    h.engine.command('A.B.P.HI', { type: 'acknowledge', at: h.now, user: 'op' }, 'op', null);
    h.advance(599_000);
    expect(h.state('A.B.P.HI')).toBe('ack-active');
    h.advance(1000);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    expect(h.engine.drain().records.map((r) => r.kind)).toEqual([]);
    expect(h.kinds('A.B.P.HI')).toContain('realarmed');
  });
});

describe('shelving', () => {
  it('a timed shelve hides the alarm and returns it to its real state on expiry', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    const r = h.engine.command(
      'A.B.P.HI',
      { type: 'shelve', at: h.now, user: 'tech', reason: 'sensor being calibrated', until: h.now + 3_600_000 },
      'tech',
      'sensor being calibrated',
    )!;
    expect(r.refused).toBeUndefined();
    expect(h.state('A.B.P.HI')).toBe('shelved');
    h.feed('A.B.P', 7); // returns while shelved
    h.feed('A.B.P', 9); // and comes back
    h.advance(3_600_000);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    h.records.push(...h.engine.drain().records);
    expect(h.kinds('A.B.P.HI')).toEqual(['activated', 'shelved', 'returned', 'activated', 'shelve-expired']);
  });

  it('a one-shot shelve ends when the alarm returns to normal', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    h.engine.command(
      'A.B.P.HI',
      { type: 'shelve', at: h.now, user: 'tech', reason: 'known', until: null },
      'tech',
      'known',
    );
    h.feed('A.B.P', 7);
    expect(h.state('A.B.P.HI')).toBe('normal');
    h.feed('A.B.P', 9);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
  });
});

describe('suppression by design', () => {
  it('a stopped pump hides its low-flow alarm; after a start the on-delay applies again', () => {
    const h = harness([
      {
        tag: 'A.P1.FLOW',
        alarm: {
          kind: 'low',
          limit: 10,
          onDelayS: 20,
          priority: 'medium',
          suppressWhen: { tag: 'A.P1.RUN', equals: false },
        },
      },
      {
        tag: 'A.P1.RUN',
        alarm: { kind: 'state', value: true, priority: 'diagnostic', id: 'A.P1.RUN.ON' },
        tagExtra: { kind: 'digital', range: undefined },
      },
    ]);
    h.feed('A.P1.RUN', false);
    h.feed('A.P1.FLOW', 0);
    h.advance(60_000);
    expect(h.state('A.P1.FLOW.LO')).toBe('suppressed');
    // The pump starts and the flow comes up within the on-delay: no alarm.
    h.feed('A.P1.RUN', true);
    expect(h.state('A.P1.FLOW.LO')).toBe('normal');
    h.advance(5000);
    h.feed('A.P1.FLOW', 40);
    h.advance(30_000);
    expect(h.state('A.P1.FLOW.LO')).toBe('normal');
    // Running with no flow (a closed valve): the alarm comes after its delay.
    h.feed('A.P1.FLOW', 2);
    h.advance(20_000);
    expect(h.state('A.P1.FLOW.LO')).toBe('unack-active');
    // Stopping hides it at once; starting again with the flow still low re-annunciates after the delay.
    h.feed('A.P1.RUN', false);
    expect(h.state('A.P1.FLOW.LO')).toBe('suppressed');
    h.feed('A.P1.RUN', true);
    h.advance(19_000);
    expect(h.state('A.P1.FLOW.LO')).toBe('normal');
    h.advance(1000);
    expect(h.state('A.P1.FLOW.LO')).toBe('unack-active');
  });
});

describe('other conditions', () => {
  it('deviation from a reference tag, both ways, with deadband', () => {
    const h = harness([
      {
        tag: 'A.HX.T',
        alarm: { kind: 'deviation', reference: 'A.HC.T_SP', limit: 5, deadband: 1, priority: 'medium' },
      },
    ]);
    h.feed('A.HC.T_SP', 60);
    h.feed('A.HX.T', 64);
    expect(h.state('A.HX.T.DEV')).toBe('normal');
    h.feed('A.HX.T', 54);
    expect(h.state('A.HX.T.DEV')).toBe('unack-active');
    h.feed('A.HX.T', 55.5); // 4.5 below: inside the deadband
    expect(h.state('A.HX.T.DEV')).toBe('unack-active');
    h.feed('A.HC.T_SP', 58); // the setpoint moves: 2.5 below
    expect(h.state('A.HX.T.DEV')).toBe('unack-rtn');
  });

  it('rate of change over a window, rising only', () => {
    const h = harness([
      { tag: 'A.B.P', alarm: { kind: 'rate', limit: 1, windowS: 60, direction: 'falling', priority: 'high' } },
    ]);
    h.feed('A.B.P', 5);
    h.advance(30_000);
    h.feed('A.B.P', 5.8); // rising: ignored
    h.advance(30_000);
    expect(h.state('A.B.P.ROC')).toBe('normal');
    h.feed('A.B.P', 4.6); // 1.2 fall within the window
    expect(h.state('A.B.P.ROC')).toBe('unack-active');
    h.advance(61_000);
    h.feed('A.B.P', 4.6);
    expect(h.state('A.B.P.ROC')).toBe('unack-rtn');
  });

  it('a bit of an alarm word', () => {
    const h = harness([{ tag: 'A.ALM.WORD', alarm: { kind: 'state', bit: 3, priority: 'high' } }]);
    h.feed('A.ALM.WORD', 0b0111);
    expect(h.state('A.ALM.WORD.STATE')).toBe('normal');
    h.feed('A.ALM.WORD', 0b1000);
    expect(h.state('A.ALM.WORD.STATE')).toBe('unack-active');
  });

  it('a frozen sensor is found by the clock, without new samples', () => {
    const h = harness([{ tag: 'A.B.T', alarm: { kind: 'frozen', forS: 600, noise: 0.05, priority: 'low' } }]);
    h.feed('A.B.T', 20);
    h.advance(300_000);
    h.feed('A.B.T', 20.03); // noise only
    h.advance(299_000);
    expect(h.state('A.B.T.FROZEN')).toBe('normal');
    h.advance(1000);
    expect(h.state('A.B.T.FROZEN')).toBe('unack-active');
    h.feed('A.B.T', 20.2);
    expect(h.state('A.B.T.FROZEN')).toBe('unack-rtn');
  });

  it('an implausible jump, and a value outside the physical range', () => {
    const h = harness([
      { tag: 'A.B.T', alarm: { kind: 'jump', limit: 5, priority: 'low', latch: true } },
      { tag: 'A.B.T', alarm: { kind: 'range', priority: 'low' } },
    ]);
    h.feed('A.B.T', 5);
    h.feed('A.B.T', 9);
    expect(h.state('A.B.T.JUMP')).toBe('normal');
    h.feed('A.B.T', 3); // jump of 6
    h.feed('A.B.T', 3.1);
    expect(h.state('A.B.T.JUMP')).toBe('unack-active'); // latched
    h.feed('A.B.T', 10.5); // tag range is 0–10
    expect(h.state('A.B.T.RANGE')).toBe('unack-active');
  });
});

describe('communication, external alarms, restore', () => {
  it('a device lost for longer than the delay raises its communication alarm', () => {
    const comm = commLostDefinition('PLC', ['A.B.P'], alarmSettingsSchema.parse({ commLostDelayS: 10 }))!;
    const h = harness([], [comm]);
    h.engine.deviceConnected('PLC', false);
    h.advance(9000);
    expect(h.state(comm.id)).toBe('normal');
    h.advance(1000);
    expect(h.state(comm.id)).toBe('unack-active');
    h.engine.deviceConnected('PLC', true);
    expect(h.state(comm.id)).toBe('unack-rtn');
    expect(comm.id).toBe('A.PLC.COMM');
  });

  it('a predictive alarm is driven by code', () => {
    const def = externalDefinition({
      id: 'A.P1.BEARING.PRED',
      source: 'predictive',
      kind: 'predictive',
      priority: 'medium',
      message: { en: 'Bearing failure likely within 48 h' },
    });
    const h = harness([], [def]);
    expect(h.engine.setExternal(def.id, true, 0.93)).toBe(true);
    expect(h.engine.get(def.id)).toMatchObject({ value: 0.93 });
    expect(h.state(def.id)).toBe('unack-active');
    expect(h.engine.setExternal('A.B.P.HI', true)).toBe(false);
  });

  it('restored states survive: an unacknowledged alarm is still unacknowledged, its condition re-judged by live data', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, priority: 'high' } }]);
    h.feed('A.B.P', 9);
    const saved = h.engine.get('A.B.P.HI')!.state;
    const h2 = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, priority: 'high' } }]);
    h2.engine.restore([['A.B.P.HI', saved]]);
    expect(h2.state('A.B.P.HI')).toBe('unack-active');
    h2.feed('A.B.P', 5);
    expect(h2.state('A.B.P.HI')).toBe('unack-rtn');
  });

  it('a limit changed at run time is applied to the current value', () => {
    const h = harness([{ tag: 'A.B.P', alarm: { kind: 'high', limit: 8, priority: 'high' } }]);
    h.feed('A.B.P', 7.5);
    expect(
      h.engine.reconfigure('A.B.P.HI', alarmConfigSchema.parse({ kind: 'high', limit: 7, priority: 'high' })),
    ).toBe(true);
    expect(h.state('A.B.P.HI')).toBe('unack-active');
    expect(h.engine.get('A.B.P.HI')!.limit).toBe(7);
  });

  it('evaluates 10,000 alarms changing at once', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      tag: `F.T${i}.P`,
      alarm: { kind: 'high', limit: 8, priority: 'low' },
    }));
    const h = harness(many);
    const samples: Sample[] = many.map((m) => ({
      tag: m.tag,
      value: 9,
      quality: { code: 'Good' },
      sourceTime: h.now,
      receiveTime: h.now,
    }));
    h.engine.applySamples(samples);
    const { records, changed } = h.engine.drain();
    expect(records).toHaveLength(10_000);
    expect(changed).toHaveLength(10_000);
  });
});
