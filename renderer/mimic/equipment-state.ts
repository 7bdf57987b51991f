/**
 * What an equipment symbol shows, from the quality-checked values of its tags. Pure: no DOM.
 * ISA-101: running and stopped are normal states and differ by fill and text, not by
 * green/red; only a trip (fault) uses the alarm colour, and it also changes the shape and
 * the text; a state the UI cannot vouch for is 'unknown' and drawn as such.
 */
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { asDigital } from '../format/format-value.js';
import type { DisplayQuality } from '../format/quality.js';
import type { MimicTextKey } from './mimic-text.js';

export interface CheckedValue {
  readonly value: TagValueDto | undefined;
  readonly quality: DisplayQuality;
}

/** Pumps, fans and motors. */
export type PumpState = 'running' | 'stopped' | 'tripped' | 'unknown';
export type RotatingState = PumpState;

export function pumpState(run: CheckedValue, fault: CheckedValue | null): PumpState {
  // A trip we can trust wins over everything: it needs the operator whatever the run bit says.
  if (fault && fault.quality === 'Good' && asDigital(fault.value?.v) === true) return 'tripped';
  // Without a trustworthy run bit, or with a fault bit we cannot read, the state is not known.
  if (run.quality !== 'Good' || (fault && fault.quality !== 'Good')) return 'unknown';
  const on = asDigital(run.value?.v);
  if (on === null) return 'unknown';
  return on ? 'running' : 'stopped';
}

export const pumpStateKey: Readonly<Record<PumpState, MimicTextKey>> = {
  running: 'run',
  stopped: 'stop',
  tripped: 'trip',
  unknown: 'unknown',
};

/** English state texts (tests, titles); the console shows them through `mimicText`. */
export const pumpStateText: Readonly<Record<PumpState, string>> = {
  running: 'RUN',
  stopped: 'STOP',
  tripped: 'TRIP',
  unknown: '?',
};

export type OnOffValveState = 'open' | 'closed' | 'moving' | 'tripped' | 'unknown';

/**
 * An on/off valve from its open feedback (and a closed end switch when it has one): both
 * switches off is travel; both on cannot be and is unknown.
 */
export function onOffValveState(
  open: CheckedValue,
  closed: CheckedValue | null,
  fault: CheckedValue | null,
): OnOffValveState {
  if (fault && fault.quality === 'Good' && asDigital(fault.value?.v) === true) return 'tripped';
  if (open.quality !== 'Good' || (closed && closed.quality !== 'Good') || (fault && fault.quality !== 'Good'))
    return 'unknown';
  const o = asDigital(open.value?.v);
  if (o === null) return 'unknown';
  if (!closed) return o ? 'open' : 'closed';
  const c = asDigital(closed.value?.v);
  if (c === null || (o && c)) return 'unknown';
  return o ? 'open' : c ? 'closed' : 'moving';
}

export const onOffValveStateKey: Readonly<Record<OnOffValveState, MimicTextKey>> = {
  open: 'open',
  closed: 'closed',
  moving: 'moving',
  tripped: 'trip',
  unknown: 'unknown',
};

export type LampState = 'on' | 'off' | 'abnormal' | 'unknown';

/** A status lamp: `abnormal` is the state (true or false) that needs the operator. */
export function lampState(v: CheckedValue, abnormal: boolean | undefined): LampState {
  if (v.quality !== 'Good') return 'unknown';
  const on = asDigital(v.value?.v);
  if (on === null) return 'unknown';
  if (abnormal !== undefined && on === abnormal) return 'abnormal';
  return on ? 'on' : 'off';
}

/**
 * Whether a pipe flows, from its flow tag: a digital tag (a pump's run bit) while true, an
 * analog one while above 1 % of its range (or above 0 without one). Null when not known.
 */
export function isFlowing(v: CheckedValue, info: Pick<TagInfo, 'kind' | 'range'> | undefined): boolean | null {
  if (v.quality !== 'Good' && v.quality !== 'Uncertain') return null;
  const raw = v.value?.v;
  if (info?.kind === 'digital' || typeof raw === 'boolean') return asDigital(raw);
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return null;
  const [lo, hi] = info?.range ?? [0, 0];
  const threshold = hi > lo ? lo + (hi - lo) * 0.01 : 0;
  return raw > threshold;
}

/** Where `v` lies in `range` as 0..1 (clamped); null when there is no number to place. */
export function fractionOfRange(
  v: TagValueDto['v'] | undefined,
  range: readonly [number, number] | undefined,
): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const [lo, hi] = range ?? [0, 100];
  if (!(hi > lo)) return null;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

/** The alarm limits of a tag from the alarm definitions, for tank marks and bars (low-low … high-high). */
export interface LimitMark {
  readonly kind: 'low-low' | 'low' | 'high' | 'high-high';
  readonly value: number;
}

const limitKinds = new Set(['low-low', 'low', 'high', 'high-high']);

export function limitMarks(
  definitions: readonly { tag: string | null; kind: string; limit: number | null }[],
  tag: string,
): LimitMark[] {
  const marks: LimitMark[] = [];
  for (const d of definitions) {
    if (d.tag === tag && limitKinds.has(d.kind) && d.limit !== null && Number.isFinite(d.limit))
      marks.push({ kind: d.kind as LimitMark['kind'], value: d.limit });
  }
  return marks.sort((a, b) => a.value - b.value);
}
