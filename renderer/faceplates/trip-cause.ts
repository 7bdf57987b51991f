/**
 * Why a pump tripped, as far as the console can tell: the plant's fault bit says THAT it
 * tripped; the alarms of the pump's tags (vibration, motor and bearing temperature — still
 * active, or cleared but not yet acknowledged) and the highest readings of the last minutes
 * from the historian say WHY. A stopped pump reads zero vibration, so the peak before the
 * trip is what tells. An alarm suppressed by design because the pump stopped tells nothing
 * unless its condition still holds. Pure: the component formats the result in the operator's language.
 */
import type { AlarmDto } from '../../preload/contract.js';

export type TripSignal = 'vibration' | 'motor-temperature' | 'bearing-temperature';

export type TripCause =
  /** A signal over its limit: from an alarm of the pump, or the peak reading against the limit. */
  | {
      readonly kind: 'signal';
      readonly signal: TripSignal;
      readonly tag: string;
      readonly peak: number | null;
      readonly limit: number | null;
      readonly alarmId: string | null;
    }
  /** Another alarm of the pump (e.g. a PLC alarm bit), by its message. */
  | {
      readonly kind: 'alarm';
      readonly alarmId: string;
      readonly tag: string | null;
      readonly message: AlarmDto['message'];
    }
  /** Tripped, and nothing the console sees explains it (drive fault, overload, on-site stop). */
  | { readonly kind: 'unknown' };

export interface TripInputs {
  /** The fault bit (P1.FAULT). */
  readonly tripped: boolean;
  /** Tags by signal (absent when the project has none). */
  readonly signals: Partial<Readonly<Record<TripSignal, string>>>;
  /** Alarm bits of the PLC that name a signal (ALM.P1_VIB → vibration). */
  readonly signalAlarmTags?: Partial<Readonly<Record<TripSignal, string>>>;
  /** Highest reading per tag over the last minutes (null: not known). */
  readonly peaks: Readonly<Record<string, number | null>>;
  /** Trip or alarm limit per tag when the console knows one. */
  readonly limits: Readonly<Record<string, number>>;
  /** Alarms in the store whose tag belongs to the pump. */
  readonly alarms: readonly AlarmDto[];
  /** The fault bit's own tag: its alarm says "tripped", not why. */
  readonly faultTag?: string;
}

const order: readonly TripSignal[] = ['vibration', 'motor-temperature', 'bearing-temperature'];

/** An alarm that speaks for a cause: annunciated (active, or cleared and not yet acknowledged) or hidden while its condition holds. */
function telling(a: AlarmDto): boolean {
  return (
    a.state === 'unack-active' ||
    a.state === 'ack-active' ||
    a.state === 'unack-rtn' ||
    (a.state !== 'normal' && a.active)
  );
}

/** The causes, most telling first; empty when the pump has not tripped. */
export function tripCauses(input: TripInputs): TripCause[] {
  if (!input.tripped) return [];
  const causes: TripCause[] = [];
  const explained = new Set<string>();
  for (const signal of order) {
    const tag = input.signals[signal];
    const bitTag = input.signalAlarmTags?.[signal];
    const alarm = input.alarms.find((a) => a.tag !== null && (a.tag === tag || a.tag === bitTag) && telling(a));
    const peak = tag ? (input.peaks[tag] ?? null) : null;
    const limit = tag ? (input.limits[tag] ?? alarm?.limit ?? null) : null;
    const overLimit = peak !== null && limit !== null && peak >= limit;
    if (!alarm && !overLimit) continue;
    if (alarm) explained.add(alarm.id);
    causes.push({ kind: 'signal', signal, tag: tag ?? bitTag ?? '', peak, limit, alarmId: alarm?.id ?? null });
  }
  for (const a of input.alarms) {
    if (explained.has(a.id) || !telling(a) || a.tag === input.faultTag) continue;
    causes.push({ kind: 'alarm', alarmId: a.id, tag: a.tag, message: a.message });
  }
  return causes.length > 0 ? causes : [{ kind: 'unknown' }];
}

export type PumpCondition = 'running' | 'ready' | 'tripped' | 'off' | 'unknown';

/** One word for the pump: tripped wins, then running, then ready (standby) or off. */
export function pumpCondition(v: { run: unknown; fault: unknown; ready: unknown; auto: unknown }): PumpCondition {
  if (v.fault === true) return 'tripped';
  if (typeof v.run !== 'boolean') return 'unknown';
  if (v.run) return 'running';
  if (v.ready === true) return 'ready';
  if (v.auto === false) return 'off';
  return v.ready === false ? 'off' : 'unknown';
}
