/**
 * The horn's logic: whether it sounds and with which tone. It sounds for alarms that are
 * active and unacknowledged and came in after the last silence (silence is not
 * acknowledge: those alarms stay unacknowledged, only the sound stops, and a new alarm
 * sounds again). Returned-to-normal alarms and diagnostic ones never sound; shelved,
 * suppressed and out-of-service alarms are not on the list and do not sound either.
 * Pure: the Web Audio side is in horn-audio.ts.
 */
import type { AlarmDto, AlarmPriorityDto } from '../../preload/contract.js';
import { priorities } from './alarm-view.js';

export interface HornDemand {
  /** The most urgent priority sounding. */
  readonly priority: AlarmPriorityDto;
  /** How many alarms the horn sounds for. */
  readonly count: number;
}

export function sounds(a: Pick<AlarmDto, 'state' | 'priority' | 'changedAt'>, silencedAt: number): boolean {
  return a.state === 'unack-active' && a.priority !== 'diagnostic' && a.changedAt > silencedAt;
}

export function hornDemand(alarms: Iterable<AlarmDto>, silencedAt: number): HornDemand | null {
  let best = -1;
  let count = 0;
  for (const a of alarms) {
    if (!sounds(a, silencedAt)) continue;
    count++;
    const r = priorities.indexOf(a.priority);
    if (best < 0 || r < best) best = r;
  }
  return count === 0 ? null : { priority: priorities[best]!, count };
}

/** `on`: sounding; `silenced`: unacknowledged alarms stand but the horn was silenced; `off`: nothing to sound for. */
export type HornState = 'on' | 'silenced' | 'off';

export function hornState(alarms: Iterable<AlarmDto>, silencedAt: number): HornState {
  let unacked = false;
  for (const a of alarms) {
    if (sounds(a, silencedAt)) return 'on';
    if (a.state === 'unack-active' && a.priority !== 'diagnostic') unacked = true;
  }
  return unacked ? 'silenced' : 'off';
}

/** One tone pattern: beeps of `beepMs` at these frequencies (one per beep, cycling), `gapMs` apart, the pattern repeating every `periodMs`. */
export interface TonePattern {
  readonly frequencies: readonly number[];
  readonly beepMs: number;
  readonly gapMs: number;
  readonly periodMs: number;
  readonly wave: 'square' | 'sawtooth' | 'triangle' | 'sine';
}

/** Distinct by pitch, rhythm and timbre, so a priority is heard without looking. */
export const tones: Readonly<Record<Exclude<AlarmPriorityDto, 'diagnostic'>, TonePattern>> = {
  // fast two-tone warble, continuous
  critical: { frequencies: [1200, 800], beepMs: 180, gapMs: 20, periodMs: 800, wave: 'square' },
  // three rising beeps
  high: { frequencies: [880, 988, 1175], beepMs: 140, gapMs: 80, periodMs: 1500, wave: 'sawtooth' },
  // two beeps
  medium: { frequencies: [660, 660], beepMs: 200, gapMs: 150, periodMs: 2500, wave: 'triangle' },
  // one soft chime
  low: { frequencies: [523], beepMs: 350, gapMs: 0, periodMs: 4000, wave: 'sine' },
};

/** The beeps of one period: start offset (ms), frequency, length. */
export function beepsOf(pattern: TonePattern): { at: number; frequency: number; ms: number }[] {
  const out: { at: number; frequency: number; ms: number }[] = [];
  let at = 0;
  for (const frequency of pattern.frequencies) {
    if (at + pattern.beepMs > pattern.periodMs) break;
    out.push({ at, frequency, ms: pattern.beepMs });
    at += pattern.beepMs + pattern.gapMs;
  }
  return out;
}

/** Where each key lives; shown on the banner and in tooltips. */
export const ALARM_KEYS = { acknowledge: 'F8', silence: 'F9' } as const;
