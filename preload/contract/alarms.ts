/**
 * Alarm requests and events of the contract (ISA-18.2): the active list, acknowledge,
 * comment, shelve, out of service, silence, limits, the journal, its export and the
 * KPIs. Merged into `requests`/`events` in preload/contract.ts. Imports only zod and its sibling history.ts.
 */
import { z } from 'zod';
import { historyEvents } from './history.js';

export const alarmPrioritySchema = z.enum(['critical', 'high', 'medium', 'low', 'diagnostic']);
export type AlarmPriorityDto = z.infer<typeof alarmPrioritySchema>;

/** What the list shows: a core ISA-18.2 state, or the hiding state on top of it. */
export const alarmDisplayStateSchema = z.enum([
  'normal',
  'unack-active',
  'ack-active',
  'unack-rtn',
  'shelved',
  'suppressed',
  'out-of-service',
]);
export type AlarmDisplayState = z.infer<typeof alarmDisplayStateSchema>;

const localText = z.object({ en: z.string(), zh: z.string().optional() });
const alarmValue = z.union([z.number(), z.boolean(), z.string(), z.null()]);

export const alarmSchema = z.object({
  id: z.string(),
  source: z.enum(['tag', 'device', 'system', 'predictive', 'opcua']),
  kind: z.string(),
  priority: alarmPrioritySchema,
  tag: z.string().nullable(),
  device: z.string().nullable(),
  area: z.string().nullable(),
  equipment: z.string().nullable(),
  screen: z.string().nullable(),
  unit: z.string(),
  message: localText,
  state: alarmDisplayStateSchema,
  /** The process condition holds (also while hidden). */
  active: z.boolean(),
  /** Latched: still annunciated as active although the condition has cleared. */
  latched: z.boolean(),
  activeSince: z.number().nullable(),
  changedAt: z.number(),
  ackedBy: z.string().nullable(),
  ackedAt: z.number().nullable(),
  shelved: z
    .object({
      mode: z.enum(['one-shot', 'timed']),
      until: z.number().nullable(),
      reason: z.string(),
      by: z.string(),
      at: z.number(),
    })
    .nullable(),
  outOfService: z.object({ reason: z.string(), by: z.string(), at: z.number() }).nullable(),
  value: alarmValue,
  limit: z.number().nullable(),
  /** Response rules (seed 003): acknowledge by, resolve (return to normal) by; null when not due. */
  ackDueAt: z.number().nullable().optional(),
  resolveDueAt: z.number().nullable().optional(),
});
export type AlarmDto = z.infer<typeof alarmSchema>;

/**
 * The active list as the console loads it: rows of values in this column order instead of
 * objects, the strings most alarms share (source, kind, priority, tag, device, area,
 * equipment, screen, unit, state, who acknowledged) as indexes into `strings`, and times as
 * ms after `base`. A 10,000-alarm flood is a third of the bytes of `alarms.list`, and the
 * station and the console spend correspondingly less time writing and reading it. Trailing
 * nulls of a row are left out. Encoded in main/runtime/alarms/alarm-table.ts, read in
 * renderer/alarms/alarm-table-read.ts.
 */
export const ALARM_TABLE_COLUMNS = [
  'id',
  'source*',
  'kind*',
  'priority*',
  'tag*',
  'device*',
  'area*',
  'equipment*',
  'screen*',
  'unit*',
  'message.en',
  'message.zh',
  'state*',
  'active+latched (bit 0 active, bit 1 latched)',
  'activeSince@',
  'changedAt@',
  'value',
  'limit',
  'ackDueAt@',
  'resolveDueAt@',
  'ackedBy*',
  'ackedAt@',
  'shelved',
  'outOfService',
] as const;

export const alarmTableSchema = z.object({
  /** Column names as in ALARM_TABLE_COLUMNS (`*` an index into `strings`, `@` ms after `base`). */
  columns: z.array(z.string()),
  strings: z.array(z.string()),
  base: z.number(),
  rows: z.array(z.array(z.unknown())),
  silencedAt: z.number(),
  serverTime: z.number(),
});
export type AlarmTableDto = z.infer<typeof alarmTableSchema>;

/** The static side of an alarm: limits and rationalization (for faceplates, analog bars and the 3 a.m. question "what now?"). */
export const alarmDefinitionSchema = z.object({
  id: z.string(),
  source: z.enum(['tag', 'device', 'system', 'predictive', 'opcua']),
  kind: z.string(),
  priority: alarmPrioritySchema,
  tag: z.string().nullable(),
  area: z.string().nullable(),
  equipment: z.string().nullable(),
  screen: z.string().nullable(),
  unit: z.string(),
  message: localText,
  cause: localText.nullable(),
  consequence: localText.nullable(),
  action: localText.nullable(),
  limit: z.number().nullable(),
  /** A deviation alarm's reference tag (the setpoint a controlled value is compared with); null for other kinds. */
  reference: z.string().nullable().optional(),
  deadband: z.number().nullable(),
  onDelayS: z.number(),
  offDelayS: z.number(),
  latch: z.boolean(),
  realarmS: z.number(),
});
export type AlarmDefinitionDto = z.infer<typeof alarmDefinitionSchema>;

export const alarmJournalEntrySchema = z.object({
  seq: z.number(),
  at: z.number(),
  alarmId: z.string(),
  kind: z.string(),
  state: z.string(),
  condition: z.boolean(),
  value: alarmValue,
  limit: z.number().nullable(),
  user: z.string().nullable(),
  comment: z.string().nullable(),
  tag: z.string().nullable(),
  area: z.string().nullable(),
  priority: z.string(),
  source: z.string(),
  message: z.string(),
});
export type AlarmJournalEntryDto = z.infer<typeof alarmJournalEntrySchema>;

const responseFigures = z.object({
  count: z.number(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
  withinRule: z.number().nullable(),
  ruleMs: z.number(),
});

export const alarmKpisSchema = z.object({
  from: z.number(),
  to: z.number(),
  operators: z.number(),
  activations: z.number(),
  perOperatorPer10Min: z.number(),
  perOperatorPerHour: z.number(),
  targets: z.object({
    per10Min: z.number(),
    perHour: z.number(),
    floodPer10Min: z.number(),
    priorityShare: z.object({ low: z.number(), medium: z.number(), high: z.number() }),
  }),
  floodShare: z.number(),
  floodPeriods: z.number(),
  periods: z.number(),
  peakPer10Min: z.number(),
  top: z.array(z.object({ id: z.string(), message: z.string(), count: z.number(), share: z.number() })),
  topShare: z.number(),
  chattering: z.array(z.object({ id: z.string(), maxPerMinute: z.number() })),
  stale: z.array(z.object({ id: z.string(), activeSince: z.number() })),
  shelvedNow: z.number(),
  outOfServiceNow: z.number(),
  suppressedNow: z.number(),
  priorities: z.record(z.string(), z.object({ count: z.number(), share: z.number() })),
  acknowledge: responseFigures,
  resolve: responseFigures,
});
export type AlarmKpisDto = z.infer<typeof alarmKpisSchema>;

const alarmId = z.string().min(1).max(200);
const time = z.number().finite();
const comment = z.string().trim().min(1).max(1000);
const reason = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(500);

export const alarmJournalFilterSchema = z
  .object({
    from: time,
    to: time,
    alarmId: alarmId.optional(),
    tag: z.string().max(200).optional(),
    area: z.string().max(64).optional(),
    priority: alarmPrioritySchema.optional(),
    /** Journal event: activated, returned, acknowledged, shelved … */
    kind: z.string().max(32).optional(),
    user: z.string().max(100).optional(),
    text: z.string().max(200).optional(),
  })
  .strict();
export type AlarmJournalFilter = z.infer<typeof alarmJournalFilterSchema>;

export const alarmRequests = {
  /** Every alarm that is not plainly normal (active, unacknowledged, shelved, suppressed, out of service). */
  'alarms.list': {
    params: z.object({}).strict(),
    result: z.object({ alarms: z.array(alarmSchema), silencedAt: z.number(), serverTime: z.number() }),
  },
  /** The same list as `alarms.list`, as a compact table (what the console loads: see ALARM_TABLE_COLUMNS). */
  'alarms.table': { params: z.object({}).strict(), result: alarmTableSchema },
  'alarms.definitions': { params: z.object({}).strict(), result: z.array(alarmDefinitionSchema) },
  /** Acknowledge exactly these alarms (the selected one, or the visible page): never "all". */
  'alarms.acknowledge': {
    params: z.object({ ids: z.array(alarmId).min(1).max(1000), comment: comment.optional() }).strict(),
    result: z.object({
      acknowledged: z.array(z.string()),
      refused: z.array(z.object({ id: z.string(), reason: z.string() })),
    }),
  },
  'alarms.comment': { params: z.object({ id: alarmId, comment }).strict(), result: z.object({ id: z.string() }) },
  /** Shelve for `minutes`, or one-shot (until the alarm returns to normal) when `minutes` is omitted. */
  'alarms.shelve': {
    params: z
      .object({
        id: alarmId,
        reason,
        minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .optional(),
      })
      .strict(),
    result: alarmSchema,
  },
  'alarms.unshelve': { params: z.object({ id: alarmId }).strict(), result: alarmSchema },
  'alarms.setOutOfService': {
    params: z.object({ id: alarmId, outOfService: z.boolean(), reason: reason.optional() }).strict(),
    result: alarmSchema,
  },
  /** Silence the horn: alarms stay unacknowledged. */
  'alarms.silence': { params: z.object({}).strict(), result: z.object({ silencedAt: z.number() }) },
  /** An engineer's new limit (and optionally deadband, delays, priority), written to the project file. */
  'alarms.setLimits': {
    params: z
      .object({
        id: alarmId,
        limit: z.number().finite().optional(),
        deadband: z.number().min(0).optional(),
        onDelayS: z.number().min(0).max(86_400).optional(),
        offDelayS: z.number().min(0).max(86_400).optional(),
        priority: alarmPrioritySchema.optional(),
      })
      .strict(),
    result: z.object({
      id: z.string(),
      old: z.record(z.string(), z.unknown()),
      new: z.record(z.string(), z.unknown()),
      projectFile: z.string(),
    }),
  },
  'alarms.journal': {
    params: alarmJournalFilterSchema
      .extend({ beforeSeq: z.number().int().optional(), limit: z.number().int().min(1).max(10_000).optional() })
      .strict(),
    result: z.object({ entries: z.array(alarmJournalEntrySchema), more: z.boolean() }),
  },
  /** CSV of the journal into the data folder's exports; progress as `alarms.exportProgress`. */
  'alarms.exportCsv': {
    params: alarmJournalFilterSchema,
    result: z.object({ exportId: z.string(), file: z.string() }),
  },
  'alarms.kpis': { params: z.object({ from: time, to: time }).strict(), result: alarmKpisSchema },
} as const;

export const alarmEvents = {
  /** Alarms whose state changed (an alarm back to plain normal comes once with state `normal`). */
  'alarms.changed': z.object({ alarms: z.array(alarmSchema), silencedAt: z.number() }),
  /** The same shape as a history export's progress. */
  'alarms.exportProgress': historyEvents['history.exportProgress'],
} as const;
