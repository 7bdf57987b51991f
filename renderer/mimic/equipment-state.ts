/**
 * What an equipment symbol shows, from the quality-checked values of its tags. Pure: no DOM.
 * ISA-101: running and stopped are normal states and differ by fill and text, not by
 * green/red; only a fault uses the alarm colour; a state the UI cannot vouch for is
 * 'unknown' and drawn as such.
 */
import type { TagValueDto } from '../../preload/contract.js';
import { asDigital } from '../format/format-value.js';
import type { DisplayQuality } from '../format/quality.js';

export interface CheckedValue {
  readonly value: TagValueDto | undefined;
  readonly quality: DisplayQuality;
}

export type PumpState = 'running' | 'stopped' | 'fault' | 'unknown';

export function pumpState(run: CheckedValue, fault: CheckedValue | null): PumpState {
  // A fault we can trust wins over everything: it needs the operator whatever the run bit says.
  if (fault && fault.quality === 'Good' && asDigital(fault.value?.v) === true) return 'fault';
  // Without a trustworthy run bit, or with a fault bit we cannot read, the state is not known.
  if (run.quality !== 'Good' || (fault && fault.quality !== 'Good')) return 'unknown';
  const on = asDigital(run.value?.v);
  if (on === null) return 'unknown';
  return on ? 'running' : 'stopped';
}

export const pumpStateText: Record<PumpState, string> = {
  running: 'RUN',
  stopped: 'STOP',
  fault: 'FAULT',
  unknown: '?',
};

/** Where `v` lies in `range` as 0..1 (clamped); null when there is no number to place. */
export function fractionOfRange(v: TagValueDto['v'] | undefined, range: readonly [number, number] | undefined): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const [lo, hi] = range ?? [0, 100];
  if (!(hi > lo)) return null;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}
