/**
 * The ISA-18.2 state machine, transition by transition: every (state, event) pair of the
 * table, with the state, journal transitions and refusal it must produce.
 */
import { describe, expect, it } from 'vitest';
import {
  NORMAL,
  displayState,
  isActive,
  isUnacknowledged,
  step,
  type AlarmEvent,
  type AlarmState,
  type DisplayState,
  type TransitionName,
} from '../../main/runtime/alarms/alarm-state-machine.js';

const T = 1_000_000;
const user = 'op1';

/** Named starting states, built through the machine itself where possible. */
function state(name: string): AlarmState {
  const base = { ...NORMAL, changedAt: T - 1000 };
  switch (name) {
    case 'normal':
      return base;
    case 'unack-active':
      return { ...base, core: 'unack-active', condition: true, activeSince: T - 1000 };
    case 'ack-active':
      return { ...base, core: 'ack-active', condition: true, activeSince: T - 1000, ackedBy: user, ackedAt: T - 500 };
    case 'unack-rtn':
      return { ...base, core: 'unack-rtn', condition: false, activeSince: T - 1000 };
    case 'latched':
      return { ...base, core: 'unack-active', condition: false, activeSince: T - 1000 };
    case 'shelved-active':
      return {
        ...base,
        condition: true,
        shelved: { mode: 'timed', until: T + 60_000, reason: 'r', by: user, at: T - 100 },
      };
    case 'shelved-clear':
      return {
        ...base,
        condition: false,
        shelved: { mode: 'timed', until: T + 60_000, reason: 'r', by: user, at: T - 100 },
      };
    case 'oneshot-active':
      return {
        ...base,
        condition: true,
        shelved: { mode: 'one-shot', until: null, reason: 'r', by: user, at: T - 100 },
      };
    case 'suppressed-active':
      return { ...base, condition: true, suppressed: true };
    case 'suppressed-clear':
      return { ...base, condition: false, suppressed: true };
    case 'oos-active':
      return { ...base, condition: true, outOfService: { reason: 'maintenance', by: user, at: T - 100 } };
    case 'oos-clear':
      return { ...base, condition: false, outOfService: { reason: 'maintenance', by: user, at: T - 100 } };
    default:
      throw new Error(name);
  }
}

const ev = {
  activate: { type: 'activate', at: T },
  clear: { type: 'clear', at: T },
  ack: { type: 'acknowledge', at: T, user },
  realarm: { type: 'realarm', at: T },
  shelveTimed: { type: 'shelve', at: T, user, reason: 'nuisance during start-up', until: T + 3_600_000 },
  shelveOneShot: { type: 'shelve', at: T, user, reason: 'known, being fixed', until: null },
  unshelve: { type: 'unshelve', at: T },
  expire: { type: 'shelve-expire', at: T },
  suppress: { type: 'suppress', at: T },
  unsuppress: { type: 'unsuppress', at: T },
  oos: { type: 'remove-from-service', at: T, user, reason: 'transmitter replaced' },
  rts: { type: 'return-to-service', at: T },
} satisfies Record<string, AlarmEvent>;

type Row = [
  from: string,
  event: keyof typeof ev,
  to: DisplayState,
  condition: boolean,
  transitions: TransitionName[],
  refused?: RegExp,
];

// from, event → display state after, condition after, journal transitions, refusal
const table: Row[] = [
  // Normal
  ['normal', 'activate', 'unack-active', true, ['activated']],
  ['normal', 'clear', 'normal', false, []],
  ['normal', 'ack', 'normal', false, [], /already acknowledged/],
  ['normal', 'realarm', 'normal', false, []],
  ['normal', 'shelveTimed', 'shelved', false, ['shelved']],
  ['normal', 'shelveOneShot', 'normal', false, [], /one-shot shelve needs an active alarm/],
  ['normal', 'unshelve', 'normal', false, [], /not shelved/],
  ['normal', 'suppress', 'suppressed', false, ['suppressed']],
  ['normal', 'unsuppress', 'normal', false, []],
  ['normal', 'oos', 'out-of-service', false, ['out-of-service']],
  ['normal', 'rts', 'normal', false, [], /in service/],
  // Unacknowledged active
  ['unack-active', 'activate', 'unack-active', true, []],
  ['unack-active', 'clear', 'unack-rtn', false, ['returned']],
  ['unack-active', 'ack', 'ack-active', true, ['acknowledged']],
  ['unack-active', 'realarm', 'unack-active', true, []],
  ['unack-active', 'shelveTimed', 'shelved', true, ['shelved']],
  ['unack-active', 'shelveOneShot', 'shelved', true, ['shelved']],
  ['unack-active', 'suppress', 'suppressed', true, ['suppressed']],
  ['unack-active', 'oos', 'out-of-service', true, ['out-of-service']],
  // Acknowledged active
  ['ack-active', 'activate', 'ack-active', true, []],
  ['ack-active', 'clear', 'normal', false, ['returned']],
  ['ack-active', 'ack', 'ack-active', true, [], /already acknowledged/],
  ['ack-active', 'realarm', 'unack-active', true, ['realarmed']],
  ['ack-active', 'shelveTimed', 'shelved', true, ['shelved']],
  ['ack-active', 'suppress', 'suppressed', true, ['suppressed']],
  ['ack-active', 'oos', 'out-of-service', true, ['out-of-service']],
  // Unacknowledged return to normal
  ['unack-rtn', 'activate', 'unack-active', true, ['activated']],
  ['unack-rtn', 'clear', 'unack-rtn', false, []],
  ['unack-rtn', 'ack', 'normal', false, ['acknowledged']],
  ['unack-rtn', 'realarm', 'unack-rtn', false, []],
  ['unack-rtn', 'shelveTimed', 'shelved', false, ['shelved']],
  ['unack-rtn', 'shelveOneShot', 'unack-rtn', false, [], /one-shot shelve needs an active alarm/],
  ['unack-rtn', 'oos', 'out-of-service', false, ['out-of-service']],
  // Latched (unacknowledged, condition gone)
  ['latched', 'ack', 'normal', false, ['acknowledged']],
  ['latched', 'activate', 'unack-active', true, ['activated']],
  ['latched', 'clear', 'unack-active', false, []],
  // Shelved (timed)
  ['shelved-active', 'clear', 'shelved', false, ['returned']],
  ['shelved-active', 'activate', 'shelved', true, []],
  ['shelved-active', 'ack', 'shelved', true, [], /not on the list/],
  ['shelved-active', 'unshelve', 'unack-active', true, ['unshelved']],
  ['shelved-active', 'expire', 'unack-active', true, ['shelve-expired']],
  ['shelved-active', 'oos', 'out-of-service', true, ['out-of-service']],
  // Both hold: the operator's shelve is what the list shows; unshelving leaves it suppressed.
  ['shelved-active', 'suppress', 'shelved', true, ['suppressed']],
  ['shelved-clear', 'unshelve', 'normal', false, ['unshelved']],
  ['shelved-clear', 'expire', 'normal', false, ['shelve-expired']],
  ['shelved-clear', 'activate', 'shelved', true, ['activated']],
  // One-shot shelve ends when the alarm returns to normal
  ['oneshot-active', 'clear', 'normal', false, ['returned', 'shelve-expired']],
  ['oneshot-active', 'unshelve', 'unack-active', true, ['unshelved']],
  // Suppressed by design
  ['suppressed-active', 'unsuppress', 'unack-active', true, ['unsuppressed']],
  ['suppressed-active', 'clear', 'suppressed', false, ['returned']],
  ['suppressed-active', 'ack', 'suppressed', true, [], /not on the list/],
  ['suppressed-active', 'suppress', 'suppressed', true, []],
  ['suppressed-clear', 'unsuppress', 'normal', false, ['unsuppressed']],
  ['suppressed-clear', 'activate', 'suppressed', true, ['activated']],
  // Out of service
  ['oos-active', 'rts', 'unack-active', true, ['in-service']],
  ['oos-active', 'shelveTimed', 'out-of-service', true, [], /out of service/],
  ['oos-active', 'ack', 'out-of-service', true, [], /not on the list/],
  ['oos-active', 'oos', 'out-of-service', true, [], /already out of service/],
  ['oos-active', 'clear', 'out-of-service', false, ['returned']],
  ['oos-clear', 'rts', 'normal', false, ['in-service']],
];

describe('AlarmStateMachine', () => {
  it.each(table)('%s --%s--> %s', (from, event, to, condition, transitions, refused) => {
    const latch = from === 'latched';
    const result = step(state(from), ev[event], { latch });
    expect(displayState(result.state)).toBe(to);
    expect(result.state.condition).toBe(condition);
    expect(result.transitions).toEqual(transitions);
    if (refused) expect(result.refused).toMatch(refused);
    else expect(result.refused).toBeUndefined();
    if (transitions.length === 0) expect(result.state).toEqual(state(from));
  });

  it('a latched alarm stays active and unacknowledged when its condition clears', () => {
    const active = step(NORMAL, ev.activate, { latch: true }).state;
    const cleared = step(active, { type: 'clear', at: T + 10 }, { latch: true });
    expect(cleared.transitions).toEqual(['returned']);
    expect(displayState(cleared.state)).toBe('unack-active');
    expect(isActive(cleared.state)).toBe(true);
    expect(step(cleared.state, ev.ack, { latch: true }).state.core).toBe('normal');
  });

  it('records who acknowledged and when, and forgets it when the alarm returns', () => {
    const active = step(NORMAL, ev.activate, { latch: false }).state;
    const acked = step(active, { type: 'acknowledge', at: T + 5, user: 'anna' }, { latch: false }).state;
    expect(acked).toMatchObject({ ackedBy: 'anna', ackedAt: T + 5, activeSince: T });
    const again = step(
      step(acked, { type: 'clear', at: T + 6 }, { latch: false }).state,
      { type: 'activate', at: T + 7 },
      { latch: false },
    ).state;
    expect(again).toMatchObject({ core: 'unack-active', ackedBy: null, ackedAt: null, activeSince: T + 7 });
    expect(isUnacknowledged(again)).toBe(true);
  });

  it('refuses a shelve that would end before it starts', () => {
    const result = step(
      state('unack-active'),
      { type: 'shelve', at: T, user, reason: 'x', until: T },
      { latch: false },
    );
    expect(result.refused).toMatch(/end before it starts/);
  });

  it('taking an alarm out of service ends its shelve', () => {
    const result = step(state('shelved-active'), ev.oos, { latch: false });
    expect(result.state.shelved).toBeNull();
    expect(step(result.state, ev.rts, { latch: false }).state.core).toBe('unack-active');
  });
});
