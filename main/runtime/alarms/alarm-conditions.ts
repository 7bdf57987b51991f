/**
 * Alarm conditions: whether a tag's value is in alarm, before on/off delays. Pure, one
 * small object per alarm holding only what its kind needs (the last value for a jump,
 * a window for a rate, the last movement for a frozen sensor).
 *
 * A condition answers `null` when it cannot judge (the value is Bad or missing): the
 * alarm then keeps its state, and communication and quality alarms say why.
 */
import type { AlarmConfig } from './alarm-config.js';

export interface ConditionSample {
  readonly value: number | boolean | string | null;
  readonly good: boolean;
  /** ms since epoch (receive time: a frozen PLC still answers). */
  readonly time: number;
}

export interface Condition {
  /** A new value of the alarm's tag; `reference` is the value of a deviation's reference tag. */
  update(sample: ConditionSample, previous: boolean, reference: number | null): boolean | null;
  /** Conditions that turn on with time alone (a frozen sensor): the state at `now`, and when to look again. */
  check?(now: number, previous: boolean): { readonly condition: boolean | null; readonly next: number | null };
  /** The limit as shown in the journal (for a deviation: the reference value ± limit). */
  readonly limit: number | null;
}

function numeric(value: ConditionSample['value']): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** High/low limit with a deadband on the way back. */
function limitCondition(kind: 'high-high' | 'high' | 'low' | 'low-low', limit: number, deadband: number): Condition {
  const high = kind === 'high' || kind === 'high-high';
  return {
    limit,
    update(sample, previous) {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null) return null;
      if (high) return previous ? v > limit - deadband : v > limit;
      return previous ? v < limit + deadband : v < limit;
    },
  };
}

function deviationCondition(config: Extract<AlarmConfig, { kind: 'deviation' }>): Condition {
  const c = {
    limit: null as number | null,
    update(sample: ConditionSample, previous: boolean, reference: number | null): boolean | null {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null || reference === null) return null;
      const difference = v - reference;
      const magnitude =
        config.direction === 'above' ? difference : config.direction === 'below' ? -difference : Math.abs(difference);
      c.limit = reference;
      return previous ? magnitude > config.limit - config.deadband : magnitude > config.limit;
    },
  };
  return c;
}

/** Change over a sliding window; the window keeps at most one point per ~1/64 of its span. */
function rateCondition(config: Extract<AlarmConfig, { kind: 'rate' }>): Condition {
  const windowMs = config.windowS * 1000;
  const times: number[] = [];
  const values: number[] = [];
  return {
    limit: config.limit,
    update(sample) {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null) return null;
      const t = sample.time;
      while (times.length > 0 && times[0]! < t - windowMs) {
        times.shift();
        values.shift();
      }
      // Keep a point only when it is 1/64 of the window past the last one kept; a sample in between is
      // compared but not kept (overwriting the kept point would slide it along with every sample, and a
      // tag polled faster than that would never have anything older than itself to compare with).
      const last = times.length > 0 ? times[times.length - 1]! : -Infinity;
      if (t - last >= windowMs / 64) {
        times.push(t);
        values.push(v);
      }
      let change = 0;
      for (const old of values) {
        const d = v - old;
        const counted = config.direction === 'rising' ? d : config.direction === 'falling' ? -d : Math.abs(d);
        if (counted > change) change = counted;
      }
      return change > config.limit;
    },
  };
}

function stateCondition(config: Extract<AlarmConfig, { kind: 'state' }>): Condition {
  return {
    limit: typeof config.value === 'number' ? config.value : null,
    update(sample) {
      if (!sample.good || sample.value === null) return null;
      if (config.bit !== undefined) {
        const word = numeric(sample.value);
        return word === null ? null : ((Math.trunc(word) >>> config.bit) & 1) === 1;
      }
      if (typeof config.value === 'boolean')
        return typeof sample.value === 'boolean'
          ? sample.value === config.value
          : numeric(sample.value) === (config.value ? 1 : 0);
      return numeric(sample.value) === config.value;
    },
  };
}

/** No movement beyond `noise` for `forS`: judged on every sample and by the clock between samples. */
function frozenCondition(config: Extract<AlarmConfig, { kind: 'frozen' }>): Condition {
  const forMs = config.forS * 1000;
  let anchor: number | null = null;
  let movedAt = 0;
  return {
    limit: config.forS,
    update(sample) {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null) {
        // Nothing can be told while the value is Bad (a device offline is its communication alarm, not a
        // frozen sensor): the clock stops, and starts afresh with the next good value.
        anchor = null;
        return null;
      }
      if (anchor === null || Math.abs(v - anchor) > config.noise) {
        anchor = v;
        movedAt = sample.time;
        return false;
      }
      return sample.time - movedAt >= forMs;
    },
    check(now) {
      if (anchor === null) return { condition: null, next: null };
      const frozen = now - movedAt >= forMs;
      return { condition: frozen, next: frozen ? null : movedAt + forMs };
    },
  };
}

/** A step between consecutive good samples beyond what the process can do; clears with the next ordinary step. */
function jumpCondition(config: Extract<AlarmConfig, { kind: 'jump' }>): Condition {
  let last: number | null = null;
  return {
    limit: config.limit,
    update(sample) {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null) return null;
      const jumped = last !== null && Math.abs(v - last) > config.limit;
      last = v;
      return jumped;
    },
  };
}

function rangeCondition(low: number, high: number): Condition {
  return {
    limit: null,
    update(sample) {
      const v = sample.good ? numeric(sample.value) : null;
      if (v === null) return null;
      return v < low || v > high;
    },
  };
}

/** The condition object for one configured alarm; `tagRange` is the default physical range. */
export function createCondition(config: AlarmConfig, tagRange: readonly [number, number] | undefined): Condition {
  switch (config.kind) {
    case 'high-high':
    case 'high':
    case 'low':
    case 'low-low':
      return limitCondition(config.kind, config.limit, config.deadband);
    case 'deviation':
      return deviationCondition(config);
    case 'rate':
      return rateCondition(config);
    case 'state':
      return stateCondition(config);
    case 'frozen':
      return frozenCondition(config);
    case 'jump':
      return jumpCondition(config);
    case 'range':
      return rangeCondition(config.low ?? tagRange?.[0] ?? -Infinity, config.high ?? tagRange?.[1] ?? Infinity);
  }
}

/** Whether a suppress-by-design condition holds for a value (null: cannot tell, keep as is). */
export function suppressionHolds(
  when: { equals?: boolean | number | undefined; below?: number | undefined; above?: number | undefined },
  sample: ConditionSample,
): boolean | null {
  if (!sample.good || sample.value === null) return null;
  const v = numeric(sample.value);
  if (when.equals !== undefined) {
    if (typeof when.equals === 'boolean')
      return typeof sample.value === 'boolean' ? sample.value === when.equals : v === (when.equals ? 1 : 0);
    return v === when.equals;
  }
  if (v === null) return null;
  if (when.below !== undefined) return v < when.below;
  if (when.above !== undefined) return v > when.above;
  return null;
}
