/**
 * The ISA-18.2 / IEC 62682 alarm state machine (the states of OPC UA Part 9's
 * AlarmConditionType): pure, no clock, no I/O. One function takes a state and an
 * event and returns the next state and what happened, so every transition can be
 * checked from a table.
 *
 * Core states (annunciated alarms):
 *   normal ─activate→ unack-active ─acknowledge→ ack-active ─clear→ normal
 *   unack-active ─clear→ unack-rtn ─acknowledge→ normal;  unack-rtn ─activate→ unack-active
 *   ack-active ─realarm→ unack-active (re-alarm timer)
 *   latched: unack-active ─clear→ unack-active (condition gone, still latched) ─acknowledge→ normal
 * Hiding states on top (the condition is still tracked underneath and journaled):
 *   shelved (one-shot: until the condition clears; timed: until a time), suppressed by
 *   design, out of service. Entering one takes the alarm off the list; leaving the last
 *   one returns it to its real state: unack-active if the condition holds, else normal.
 */

export type CoreState = 'normal' | 'unack-active' | 'ack-active' | 'unack-rtn';

export interface ShelveInfo {
  readonly mode: 'one-shot' | 'timed';
  /** Expiry of a timed shelve, ms since epoch; null for one-shot. */
  readonly until: number | null;
  readonly reason: string;
  readonly by: string;
  readonly at: number;
}

export interface OutOfServiceInfo {
  readonly reason: string;
  readonly by: string;
  readonly at: number;
}

export interface AlarmState {
  readonly core: CoreState;
  /** The process condition after on/off delays, whether or not the alarm is hidden. */
  readonly condition: boolean;
  readonly shelved: ShelveInfo | null;
  readonly suppressed: boolean;
  readonly outOfService: OutOfServiceInfo | null;
  /** When the current annunciation began (core unack-active/ack-active/unack-rtn); null in normal. */
  readonly activeSince: number | null;
  /** Last state change, ms since epoch. */
  readonly changedAt: number;
  readonly ackedBy: string | null;
  readonly ackedAt: number | null;
}

export const NORMAL: AlarmState = Object.freeze({
  core: 'normal',
  condition: false,
  shelved: null,
  suppressed: false,
  outOfService: null,
  activeSince: null,
  changedAt: 0,
  ackedBy: null,
  ackedAt: null,
});

export type AlarmEvent =
  | { readonly type: 'activate'; readonly at: number }
  | { readonly type: 'clear'; readonly at: number }
  | { readonly type: 'acknowledge'; readonly at: number; readonly user: string }
  | { readonly type: 'realarm'; readonly at: number }
  | {
      readonly type: 'shelve';
      readonly at: number;
      readonly user: string;
      readonly reason: string;
      readonly until: number | null;
    }
  | { readonly type: 'unshelve'; readonly at: number }
  | { readonly type: 'shelve-expire'; readonly at: number }
  | { readonly type: 'suppress'; readonly at: number }
  | { readonly type: 'unsuppress'; readonly at: number }
  | { readonly type: 'remove-from-service'; readonly at: number; readonly user: string; readonly reason: string }
  | { readonly type: 'return-to-service'; readonly at: number };

/** What the journal records for a step; several can follow from one event (a one-shot shelve ends as the condition clears). */
export type TransitionName =
  | 'activated'
  | 'returned'
  | 'acknowledged'
  | 'realarmed'
  | 'shelved'
  | 'unshelved'
  | 'shelve-expired'
  | 'suppressed'
  | 'unsuppressed'
  | 'out-of-service'
  | 'in-service';

export interface StepResult {
  readonly state: AlarmState;
  readonly transitions: readonly TransitionName[];
  /** Why an operator command was refused (nothing changed). */
  readonly refused?: string;
}

export interface MachineOptions {
  readonly latch: boolean;
}

export function isHidden(s: AlarmState): boolean {
  return s.shelved !== null || s.suppressed || s.outOfService !== null;
}

export function isUnacknowledged(s: AlarmState): boolean {
  return !isHidden(s) && (s.core === 'unack-active' || s.core === 'unack-rtn');
}

/** Annunciated and active (latched counts as active). */
export function isActive(s: AlarmState): boolean {
  return !isHidden(s) && (s.core === 'unack-active' || s.core === 'ack-active');
}

/** What the operator's list shows for the alarm. */
export type DisplayState = CoreState | 'shelved' | 'suppressed' | 'out-of-service';

export function displayState(s: AlarmState): DisplayState {
  if (s.outOfService) return 'out-of-service';
  if (s.shelved) return 'shelved';
  if (s.suppressed) return 'suppressed';
  return s.core;
}

const unchanged = (state: AlarmState, refused?: string): StepResult =>
  refused ? { state, transitions: [], refused } : { state, transitions: [] };

/** Back on the list after the last hiding state ends: the alarm's real state. */
function reveal(s: AlarmState, at: number): AlarmState {
  if (isHidden(s)) return s;
  return s.condition
    ? { ...s, core: 'unack-active', activeSince: at, changedAt: at, ackedBy: null, ackedAt: null }
    : { ...s, core: 'normal', activeSince: null, changedAt: at, ackedBy: null, ackedAt: null };
}

/** Off the list: the core state no longer applies while hidden. */
function hide(s: AlarmState, at: number): AlarmState {
  return { ...s, core: 'normal', activeSince: null, changedAt: at, ackedBy: null, ackedAt: null };
}

function onActivate(s: AlarmState, at: number): StepResult {
  if (s.condition) return unchanged(s);
  if (isHidden(s)) return { state: { ...s, condition: true }, transitions: ['activated'] };
  if (s.core === 'normal' || s.core === 'unack-rtn') {
    return {
      state: {
        ...s,
        condition: true,
        core: 'unack-active',
        activeSince: at,
        changedAt: at,
        ackedBy: null,
        ackedAt: null,
      },
      transitions: ['activated'],
    };
  }
  // Latched and unacknowledged: the condition is back while the alarm still stands.
  return { state: { ...s, condition: true }, transitions: ['activated'] };
}

function onClear(s: AlarmState, at: number, options: MachineOptions): StepResult {
  if (!s.condition) return unchanged(s);
  const cleared = { ...s, condition: false };
  if (s.shelved?.mode === 'one-shot') {
    // A one-shot shelve lasts until the alarm returns to normal.
    const unshelved = reveal({ ...cleared, shelved: null }, at);
    return { state: unshelved, transitions: ['returned', 'shelve-expired'] };
  }
  if (isHidden(s)) return { state: cleared, transitions: ['returned'] };
  switch (s.core) {
    case 'unack-active':
      return options.latch
        ? { state: cleared, transitions: ['returned'] }
        : { state: { ...cleared, core: 'unack-rtn', changedAt: at }, transitions: ['returned'] };
    case 'ack-active':
      return { state: { ...cleared, core: 'normal', activeSince: null, changedAt: at }, transitions: ['returned'] };
    default:
      return { state: cleared, transitions: ['returned'] };
  }
}

function onAcknowledge(s: AlarmState, at: number, user: string): StepResult {
  if (isHidden(s)) return unchanged(s, 'the alarm is not on the list (shelved, suppressed or out of service)');
  const acked = { ackedBy: user, ackedAt: at, changedAt: at };
  switch (s.core) {
    case 'unack-active':
      return s.condition
        ? { state: { ...s, ...acked, core: 'ack-active' }, transitions: ['acknowledged'] }
        : { state: { ...s, ...acked, core: 'normal', activeSince: null }, transitions: ['acknowledged'] };
    case 'unack-rtn':
      return { state: { ...s, ...acked, core: 'normal', activeSince: null }, transitions: ['acknowledged'] };
    default:
      return unchanged(s, 'the alarm is already acknowledged');
  }
}

export function step(s: AlarmState, event: AlarmEvent, options: MachineOptions): StepResult {
  const at = event.at;
  switch (event.type) {
    case 'activate':
      return onActivate(s, at);
    case 'clear':
      return onClear(s, at, options);
    case 'acknowledge':
      return onAcknowledge(s, at, event.user);
    case 'realarm':
      if (isHidden(s) || s.core !== 'ack-active' || !s.condition) return unchanged(s);
      return {
        state: { ...s, core: 'unack-active', changedAt: at, ackedBy: null, ackedAt: null },
        transitions: ['realarmed'],
      };
    case 'shelve': {
      if (s.outOfService) return unchanged(s, 'the alarm is out of service');
      if (event.until !== null && event.until <= at) return unchanged(s, 'the shelve would end before it starts');
      const shelved: ShelveInfo = {
        mode: event.until === null ? 'one-shot' : 'timed',
        until: event.until,
        reason: event.reason,
        by: event.user,
        at,
      };
      if (event.until === null && !s.condition)
        return unchanged(s, 'a one-shot shelve needs an active alarm (it ends when the alarm returns to normal)');
      return { state: { ...hide(s, at), shelved }, transitions: ['shelved'] };
    }
    case 'unshelve':
    case 'shelve-expire':
      if (!s.shelved) return unchanged(s, 'the alarm is not shelved');
      return {
        state: reveal({ ...s, shelved: null }, at),
        transitions: [event.type === 'unshelve' ? 'unshelved' : 'shelve-expired'],
      };
    case 'suppress':
      if (s.suppressed) return unchanged(s);
      return { state: { ...hide(s, at), suppressed: true }, transitions: ['suppressed'] };
    case 'unsuppress':
      if (!s.suppressed) return unchanged(s);
      return { state: reveal({ ...s, suppressed: false }, at), transitions: ['unsuppressed'] };
    case 'remove-from-service':
      if (s.outOfService) return unchanged(s, 'the alarm is already out of service');
      // Maintenance takes over from a shelve.
      return {
        state: { ...hide(s, at), shelved: null, outOfService: { reason: event.reason, by: event.user, at } },
        transitions: ['out-of-service'],
      };
    case 'return-to-service':
      if (!s.outOfService) return unchanged(s, 'the alarm is in service');
      return { state: reveal({ ...s, outOfService: null }, at), transitions: ['in-service'] };
  }
}
