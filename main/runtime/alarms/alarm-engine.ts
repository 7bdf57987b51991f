/**
 * The alarm engine: definitions + conditions + on/off delays + the state machine, with
 * an injected clock and no I/O. It evaluates only the alarms whose tags changed; one
 * `tick` drives everything that happens with time alone (delays, re-alarm, timed
 * shelves, frozen sensors), and only for alarms that have such a deadline.
 *
 * Every transition becomes an `AlarmRecord` (the journal's row); `drain()` hands over
 * the records and the ids that changed since the last call.
 */
import type { Sample } from '../../../protocols/driver.js';
import { createCondition, suppressionHolds, type Condition, type ConditionSample } from './alarm-conditions.js';
import type { AlarmConfig } from './alarm-config.js';
import type { AlarmDefinition } from './alarm-definitions.js';
import {
  NORMAL,
  displayState,
  isHidden,
  step,
  type AlarmEvent,
  type AlarmState,
  type DisplayState,
  type StepResult,
  type TransitionName,
} from './alarm-state-machine.js';

export type RecordKind = TransitionName | 'commented' | 'silenced' | 'limit-changed';

/** One line of the alarm journal. */
export interface AlarmRecord {
  readonly at: number;
  readonly alarmId: string;
  readonly kind: RecordKind;
  /** The state after the transition. */
  readonly state: DisplayState;
  readonly condition: boolean;
  readonly value: number | boolean | string | null;
  readonly limit: number | null;
  readonly user: string | null;
  readonly comment: string | null;
}

export type AlarmValue = number | boolean | string | null;

interface AlarmRuntime {
  def: AlarmDefinition;
  condition: Condition | null;
  state: AlarmState;
  /** The condition before delays. */
  raw: boolean;
  rawSince: number;
  value: AlarmValue;
  limit: number | null;
  /** When the frozen check next needs the clock. */
  checkAt: number | null;
}

export interface AlarmSnapshot {
  readonly def: AlarmDefinition;
  readonly state: AlarmState;
  readonly value: AlarmValue;
  readonly limit: number | null;
}

export interface EngineDeps {
  now(): number;
  /** The latest sample of a tag (for deviation references and re-evaluation after a limit change). */
  sampleOf(tag: string): Sample | undefined;
}

function conditionInput(sample: Sample): ConditionSample {
  return { value: sample.value, good: sample.quality.code !== 'Bad', time: sample.receiveTime };
}

function numericOf(sample: Sample | undefined): number | null {
  if (!sample || sample.quality.code === 'Bad') return null;
  if (typeof sample.value === 'number') return Number.isFinite(sample.value) ? sample.value : null;
  if (typeof sample.value === 'boolean') return sample.value ? 1 : 0;
  return null;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class AlarmEngine {
  private readonly alarms = new Map<string, AlarmRuntime>();
  private readonly byTag = new Map<string, AlarmRuntime[]>();
  private readonly byReference = new Map<string, AlarmRuntime[]>();
  private readonly bySuppressor = new Map<string, AlarmRuntime[]>();
  private readonly byDevice = new Map<string, AlarmRuntime[]>();
  /** Alarms with something to do at a time (delay, re-alarm, shelve expiry, frozen check). */
  private readonly pending = new Set<AlarmRuntime>();
  /** Tags whose alarms need repeated unchanged samples too (a rate window moves on with time). */
  private readonly everySample = new Set<string>();
  private records: AlarmRecord[] = [];
  private changed = new Set<string>();
  private definedCount = 0;

  constructor(
    definitions: readonly AlarmDefinition[],
    private readonly deps: EngineDeps,
  ) {
    for (const def of definitions) this.define(def);
  }

  /** Bumped by every definition added or replaced: tells a copy of the definitions it is out of date. */
  get definitionsVersion(): number {
    return this.definedCount;
  }

  /** Add (or replace) a definition; a replaced alarm keeps its state. */
  define(def: AlarmDefinition): void {
    this.definedCount++;
    const existing = this.alarms.get(def.id);
    if (existing) this.unindex(existing);
    const rt: AlarmRuntime = existing ?? {
      def,
      condition: null,
      state: NORMAL,
      raw: false,
      rawSince: this.deps.now(),
      value: null,
      limit: null,
      checkAt: null,
    };
    rt.def = def;
    rt.condition = def.config ? createCondition(def.config, def.tagRange) : null;
    rt.limit = rt.condition?.limit ?? def.externalLimit ?? null;
    this.alarms.set(def.id, rt);
    if (def.source === 'tag' && def.tag) push(this.byTag, def.tag, rt);
    if (def.config?.kind === 'rate' && def.tag) this.everySample.add(def.tag);
    if (def.config?.kind === 'deviation') push(this.byReference, def.config.reference, rt);
    if (def.suppressWhen) push(this.bySuppressor, def.suppressWhen.tag, rt);
    if (def.source === 'device' && def.device) push(this.byDevice, def.device, rt);
  }

  private unindex(rt: AlarmRuntime): void {
    for (const map of [this.byTag, this.byReference, this.bySuppressor, this.byDevice]) {
      for (const [key, list] of map) {
        const i = list.indexOf(rt);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) map.delete(key);
      }
    }
  }

  needsEverySample(tag: string): boolean {
    return this.everySample.has(tag);
  }

  has(id: string): boolean {
    return this.alarms.has(id);
  }

  get(id: string): AlarmSnapshot | undefined {
    const rt = this.alarms.get(id);
    return rt && { def: rt.def, state: rt.state, value: rt.value, limit: rt.limit };
  }

  *all(): IterableIterator<AlarmSnapshot> {
    for (const rt of this.alarms.values()) yield { def: rt.def, state: rt.state, value: rt.value, limit: rt.limit };
  }

  get size(): number {
    return this.alarms.size;
  }

  /** States saved before a restart: the condition is assumed to hold until live data says otherwise. */
  restore(states: Iterable<readonly [string, AlarmState]>): void {
    const now = this.deps.now();
    for (const [id, state] of states) {
      const rt = this.alarms.get(id);
      if (!rt) continue;
      rt.state = state;
      rt.raw = state.condition;
      rt.rawSince = now;
      this.settle(rt, now);
    }
  }

  /** Evaluate the alarms that watch these samples' tags (directly, as reference or as suppression condition). */
  applySamples(samples: readonly Sample[]): void {
    const now = this.deps.now();
    for (const sample of samples) {
      const suppressed = this.bySuppressor.get(sample.tag);
      if (suppressed) for (const rt of suppressed) this.evaluateSuppression(rt, sample, now);
      const watching = this.byTag.get(sample.tag);
      if (watching) for (const rt of watching) this.evaluate(rt, sample, now);
      const referencing = this.byReference.get(sample.tag);
      if (referencing) {
        for (const rt of referencing) {
          const own = rt.def.tag ? this.deps.sampleOf(rt.def.tag) : undefined;
          if (own) this.evaluate(rt, own, now);
        }
      }
    }
  }

  private evaluate(rt: AlarmRuntime, sample: Sample, now: number): void {
    const condition = rt.condition;
    if (!condition) return;
    let reference: number | null = null;
    if (rt.def.config?.kind === 'deviation') reference = numericOf(this.deps.sampleOf(rt.def.config.reference));
    const raw = condition.update(conditionInput(sample), rt.raw, reference);
    if (sample.quality.code !== 'Bad') rt.value = sample.value;
    rt.limit = condition.limit;
    if (condition.check) rt.checkAt = condition.check(now, rt.raw).next;
    if (raw !== null) this.setRaw(rt, raw, now);
    this.settle(rt, now);
  }

  private evaluateSuppression(rt: AlarmRuntime, sample: Sample, now: number): void {
    const when = rt.def.suppressWhen;
    if (!when) return;
    const holds = suppressionHolds(when, conditionInput(sample));
    if (holds === null || holds === rt.state.suppressed) return;
    if (!holds && rt.raw) {
      // Released from suppression (the pump started): the condition must now hold for its
      // whole on-delay before it annunciates, so a flow still rising is not an alarm.
      rt.state = { ...rt.state, condition: false };
      rt.rawSince = now;
    }
    this.apply(rt, { type: holds ? 'suppress' : 'unsuppress', at: now }, null, null);
    this.settle(rt, now);
  }

  private setRaw(rt: AlarmRuntime, raw: boolean, now: number): void {
    if (raw === rt.raw) return;
    rt.raw = raw;
    rt.rawSince = now;
  }

  /** A device connected (true) or lost (false): its communication alarm. */
  deviceConnected(device: string, connected: boolean): void {
    const now = this.deps.now();
    for (const rt of this.byDevice.get(device) ?? []) {
      this.setRaw(rt, !connected, now);
      this.settle(rt, now);
    }
  }

  /** System, predictive and OPC UA alarms: their condition comes from code, not from a tag. */
  setExternal(id: string, active: boolean, value: AlarmValue = null): boolean {
    const rt = this.alarms.get(id);
    if (!rt || rt.def.config) return false;
    const now = this.deps.now();
    rt.value = value;
    this.setRaw(rt, active, now);
    this.settle(rt, now);
    return true;
  }

  /** An operator's command; refusals change nothing and come back in `refused`. */
  command(id: string, event: AlarmEvent, user: string | null, comment: string | null): StepResult | undefined {
    const rt = this.alarms.get(id);
    if (!rt) return undefined;
    const result = this.apply(rt, event, user, comment);
    this.settle(rt, event.at);
    return result;
  }

  /** A record that changes no state (a comment, the horn silenced). */
  note(
    id: string,
    kind: 'commented' | 'silenced' | 'limit-changed',
    user: string | null,
    comment: string | null,
  ): boolean {
    const rt = this.alarms.get(id);
    if (!rt) return false;
    this.record(rt, kind, this.deps.now(), user, comment);
    return true;
  }

  /** New limits for a configured alarm (an engineer's change at run time); re-evaluated on the current value. */
  reconfigure(id: string, config: AlarmConfig): boolean {
    const rt = this.alarms.get(id);
    if (!rt || !rt.def.config || rt.def.config.kind !== config.kind) return false;
    this.define({
      ...rt.def,
      config,
      onDelayMs: config.onDelayS * 1000,
      offDelayMs: config.offDelayS * 1000,
      latch: config.latch,
      realarmMs: config.realarmS * 1000,
    });
    const sample = rt.def.tag ? this.deps.sampleOf(rt.def.tag) : undefined;
    rt.raw = rt.state.condition;
    if (sample) this.evaluate(rt, sample, this.deps.now());
    return true;
  }

  /** Everything that happens with time alone. Call about once a second. */
  tick(): void {
    const now = this.deps.now();
    for (const rt of [...this.pending]) {
      if (rt.condition?.check && rt.checkAt !== null && rt.checkAt <= now) {
        const checked = rt.condition.check(now, rt.raw);
        rt.checkAt = checked.next;
        if (checked.condition !== null) this.setRaw(rt, checked.condition, now);
      }
      this.settle(rt, now);
    }
  }

  /** The earliest deadline of any alarm (for tests and for sleeping precisely), or null. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const rt of this.pending) {
      const d = this.deadlineOf(rt);
      if (d !== null && (next === null || d < next)) next = d;
    }
    return next;
  }

  drain(): { records: AlarmRecord[]; changed: string[] } {
    const out = { records: this.records, changed: [...this.changed] };
    this.records = [];
    this.changed = new Set();
    return out;
  }

  private apply(rt: AlarmRuntime, event: AlarmEvent, user: string | null, comment: string | null): StepResult {
    const result = step(rt.state, event, { latch: rt.def.latch });
    if (result.transitions.length === 0) return result;
    rt.state = result.state;
    for (const kind of result.transitions) this.record(rt, kind, event.at, user, comment);
    return result;
  }

  private record(rt: AlarmRuntime, kind: RecordKind, at: number, user: string | null, comment: string | null): void {
    this.records.push({
      at,
      alarmId: rt.def.id,
      kind,
      state: displayState(rt.state),
      condition: rt.state.condition,
      value: rt.value,
      limit: rt.limit,
      user,
      comment,
    });
    this.changed.add(rt.def.id);
  }

  /** Apply what is due now and remember when to look again. */
  private settle(rt: AlarmRuntime, now: number): void {
    if (rt.raw !== rt.state.condition) {
      const delay = rt.raw ? rt.def.onDelayMs : rt.def.offDelayMs;
      if (now - rt.rawSince >= delay) this.apply(rt, { type: rt.raw ? 'activate' : 'clear', at: now }, null, null);
    }
    const s = rt.state;
    if (s.shelved?.until != null && s.shelved.until <= now)
      this.apply(rt, { type: 'shelve-expire', at: now }, null, null);
    if (
      rt.def.realarmMs > 0 &&
      rt.state.core === 'ack-active' &&
      !isHidden(rt.state) &&
      rt.state.ackedAt !== null &&
      rt.state.ackedAt + rt.def.realarmMs <= now
    ) {
      this.apply(rt, { type: 'realarm', at: now }, null, null);
    }
    if (this.deadlineOf(rt) === null) this.pending.delete(rt);
    else this.pending.add(rt);
  }

  private deadlineOf(rt: AlarmRuntime): number | null {
    const deadlines: number[] = [];
    if (rt.raw !== rt.state.condition) deadlines.push(rt.rawSince + (rt.raw ? rt.def.onDelayMs : rt.def.offDelayMs));
    if (rt.state.shelved?.until != null) deadlines.push(rt.state.shelved.until);
    if (rt.def.realarmMs > 0 && rt.state.core === 'ack-active' && !isHidden(rt.state) && rt.state.ackedAt !== null)
      deadlines.push(rt.state.ackedAt + rt.def.realarmMs);
    if (rt.checkAt !== null) deadlines.push(rt.checkAt);
    return deadlines.length === 0 ? null : Math.min(...deadlines);
  }
}
