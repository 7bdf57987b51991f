/**
 * Loose checks on alarms as they arrive (lists of 10,000 in a flood, so hand-written, not
 * a schema walk): an item without what the console relies on is dropped, never thrown
 * over; optional parts that are malformed become null. Pure.
 */
import {
  alarmDefinitionSchema,
  alarmDisplayStateSchema,
  alarmPrioritySchema,
  type AlarmDefinitionDto,
  type AlarmDto,
} from '../../preload/contract.js';

export const priorities = new Set<string>(alarmPrioritySchema.options);
export const states = new Set<string>(alarmDisplayStateSchema.options);
export const sources = new Set(['tag', 'device', 'system', 'predictive', 'opcua']);

type Rec = Record<string, unknown>;
export const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
export const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);
export const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function shelvedOf(x: unknown): AlarmDto['shelved'] {
  if (!isRec(x)) return null;
  const mode = x.mode === 'one-shot' || x.mode === 'timed' ? x.mode : null;
  if (!mode || typeof x.reason !== 'string' || typeof x.by !== 'string' || num(x.at) === null) return null;
  return { mode, until: num(x.until), reason: x.reason, by: x.by, at: num(x.at)! };
}

export function outOfServiceOf(x: unknown): AlarmDto['outOfService'] {
  if (!isRec(x) || typeof x.reason !== 'string' || typeof x.by !== 'string' || num(x.at) === null) return null;
  return { reason: x.reason, by: x.by, at: num(x.at)! };
}

export const alarmValueOf = (v: unknown): AlarmDto['value'] =>
  v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : null;

export function asAlarm(x: unknown): AlarmDto | null {
  if (!isRec(x)) return null;
  const { id, priority, state, changedAt, message } = x;
  if (typeof id !== 'string' || typeof priority !== 'string' || !priorities.has(priority)) return null;
  if (typeof state !== 'string' || !states.has(state) || num(changedAt) === null) return null;
  if (!isRec(message) || typeof message.en !== 'string') return null;
  const v = x.value;
  return {
    id,
    source: typeof x.source === 'string' && sources.has(x.source) ? (x.source as AlarmDto['source']) : 'tag',
    kind: str(x.kind) ?? '',
    priority: priority as AlarmDto['priority'],
    tag: str(x.tag),
    device: str(x.device),
    area: str(x.area),
    equipment: str(x.equipment),
    screen: str(x.screen),
    unit: str(x.unit) ?? '',
    message: typeof message.zh === 'string' ? { en: message.en, zh: message.zh } : { en: message.en },
    state: state as AlarmDto['state'],
    active: x.active === true,
    latched: x.latched === true,
    activeSince: num(x.activeSince),
    changedAt: changedAt as number,
    ackedBy: str(x.ackedBy),
    ackedAt: num(x.ackedAt),
    shelved: shelvedOf(x.shelved),
    outOfService: outOfServiceOf(x.outOfService),
    value: alarmValueOf(v),
    limit: num(x.limit),
    ackDueAt: num(x.ackDueAt),
    resolveDueAt: num(x.resolveDueAt),
  };
}

export function asAlarms(x: unknown): AlarmDto[] {
  if (!Array.isArray(x)) return [];
  const out: AlarmDto[] = [];
  for (const item of x) {
    const a = asAlarm(item);
    if (a) out.push(a);
  }
  return out;
}

export function asDefinitions(x: unknown): AlarmDefinitionDto[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((item) => {
    const parsed = alarmDefinitionSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** `alarms.list` / `alarms.changed` payloads. */
export function asAlarmPayload(
  x: unknown,
): { alarms: AlarmDto[]; silencedAt: number; serverTime: number | null } | null {
  if (!isRec(x)) return null;
  return { alarms: asAlarms(x.alarms), silencedAt: num(x.silencedAt) ?? 0, serverTime: num(x.serverTime) };
}
