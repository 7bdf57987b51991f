/**
 * The `alarms` field of a tag in the project file, and the project-wide alarm settings.
 * Each entry is one alarm with its rationalization (message, cause, consequence,
 * corrective action), priority and the timing that keeps it from chattering.
 *
 * Validation here is the schema; cross-references (setpoint tags, suppression tags,
 * screens, duplicate ids) are checked with the rest of the project in load-project.ts.
 * Imports only zod, so the JSON Schema can be generated from it.
 */
import { z } from 'zod';

export const alarmPriorities = ['critical', 'high', 'medium', 'low', 'diagnostic'] as const;
export type AlarmPriority = (typeof alarmPriorities)[number];

const text = z.object({ en: z.string().min(1), zh: z.string().optional() }).strict();
const seconds = z
  .number()
  .min(0, 'a time in seconds must be 0 or more (0: none)')
  .max(86_400, 'a time in seconds must be at most 86400 (one day)');
const deadband = z.number().min(0, "deadband must be 0 or more, in the tag's unit (0: none)").default(0);
const tagRef = z.string().min(1).max(200);

/** Hides an alarm while a plant condition holds (a stopped pump's low-flow alarm). */
export const suppressWhenSchema = z
  .object({
    tag: tagRef,
    /** Suppressed while the tag equals this value (a run bit false, a mode number). */
    equals: z.union([z.boolean(), z.number()]).optional(),
    /** Suppressed while the tag is below this value. */
    below: z.number().optional(),
    /** Suppressed while the tag is above this value. */
    above: z.number().optional(),
  })
  .strict()
  .refine((s) => [s.equals, s.below, s.above].filter((x) => x !== undefined).length === 1, {
    message: 'suppressWhen needs exactly one of equals, below, above',
  });
export type SuppressWhen = z.infer<typeof suppressWhenSchema>;

const common = {
  /** Unique alarm id; default `<tag>.<suffix>` (HH, HI, LO, LL, DEV, ROC, STATE, FROZEN, JUMP, RANGE). */
  id: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/, 'alarm ids look like AREA.EQUIPMENT.SIGNAL.SUFFIX')
    .optional(),
  priority: z.enum(alarmPriorities, {
    error: (issue) =>
      issue.input === undefined
        ? `an alarm needs "priority": write one of ${alarmPriorities.join(', ')}`
        : `unknown priority ${JSON.stringify(issue.input)}: write one of ${alarmPriorities.join(', ')}`,
  }),
  /** What the operator reads in the list. Default: the tag's description and the condition. */
  message: text.optional(),
  /** Rationalization: why it happens, what follows if nobody acts, what to do. */
  cause: text.optional(),
  consequence: text.optional(),
  action: text.optional(),
  /** The condition must hold this long before the alarm activates. */
  onDelayS: seconds.default(0),
  /** The condition must be clear this long before the alarm returns to normal. */
  offDelayS: seconds.default(0),
  /** A latched alarm stays active after its condition clears until an operator acknowledges it. */
  latch: z.boolean().default(false),
  /** An acknowledged alarm that is still active annunciates again after this long (0: never). */
  realarmS: seconds.default(0),
  /** The equipment it belongs to (default: the tag's second name part) and the screen that shows it. */
  equipment: z.string().max(64).optional(),
  screen: z.string().max(64).optional(),
  suppressWhen: suppressWhenSchema.optional(),
};

/** Absolute limits. High: active above `limit`, clear below `limit - deadband`; low the other way. */
const limitAlarm = (kind: 'high-high' | 'high' | 'low' | 'low-low') =>
  z
    .object({
      kind: z.literal(kind),
      limit: z.number({
        error: (issue) =>
          issue.input === undefined
            ? `a ${kind} alarm needs "limit": the value it activates at, in the tag's unit (e.g. limit: 8.5)`
            : undefined,
      }),
      deadband,
      ...common,
    })
    .strict();

export const alarmConfigSchema = z.discriminatedUnion(
  'kind',
  [
    limitAlarm('high-high'),
    limitAlarm('high'),
    limitAlarm('low'),
    limitAlarm('low-low'),
    /** |value − reference| beyond `limit` (a PV against its setpoint, a valve against its command). */
    z
      .object({
        kind: z.literal('deviation'),
        reference: tagRef,
        limit: z.number().positive(),
        deadband,
        /** Only one side counts: `above` (value − reference > limit), `below`, or `both`. */
        direction: z.enum(['both', 'above', 'below']).default('both'),
        ...common,
      })
      .strict(),
    /** Change over `windowS` seconds larger than `limit` (engineering units). */
    z
      .object({
        kind: z.literal('rate'),
        limit: z.number().positive(),
        windowS: z.number().positive().max(3600).default(60),
        direction: z.enum(['both', 'rising', 'falling']).default('both'),
        ...common,
      })
      .strict(),
    /** A discrete state: the tag equals `value`, or bit `bit` of an integer (an alarm word) is set. */
    z
      .object({
        kind: z.literal('state'),
        value: z.union([z.boolean(), z.number()]).optional(),
        bit: z.number().int().min(0).max(31).optional(),
        ...common,
      })
      .strict()
      .refine((a) => (a.value === undefined) !== (a.bit === undefined), {
        message: 'a state alarm needs exactly one of value, bit',
      }),
    /** Data quality: no change beyond `noise` for `forS` seconds (a frozen or dead sensor). */
    z
      .object({
        kind: z.literal('frozen'),
        forS: z
          .number()
          .positive()
          .max(7 * 86_400),
        noise: z.number().min(0).default(0),
        ...common,
      })
      .strict(),
    /** Data quality: a step between two consecutive samples larger than the process can make. */
    z.object({ kind: z.literal('jump'), limit: z.number().positive(), ...common }).strict(),
    /** Data quality: outside what the sensor can physically measure (default: the tag's range). */
    z.object({ kind: z.literal('range'), low: z.number().optional(), high: z.number().optional(), ...common }).strict(),
  ],
  {
    error: (issue): string => {
      const kind: unknown =
        issue.input !== null && typeof issue.input === 'object' && 'kind' in issue.input ? issue.input.kind : undefined;
      const kinds = 'high-high, high, low, low-low, deviation, rate, state, frozen, jump, range';
      return kind === undefined
        ? `an alarm needs "kind": write one of ${kinds}`
        : `unknown alarm kind ${JSON.stringify(kind)}: write one of ${kinds}`;
    },
  },
);
export type AlarmConfig = z.infer<typeof alarmConfigSchema>;
export type AlarmConfigKind = AlarmConfig['kind'];

export const alarmIdSuffix: Readonly<Record<AlarmConfigKind, string>> = {
  'high-high': 'HH',
  high: 'HI',
  low: 'LO',
  'low-low': 'LL',
  deviation: 'DEV',
  rate: 'ROC',
  state: 'STATE',
  frozen: 'FROZEN',
  jump: 'JUMP',
  range: 'RANGE',
};

/** Project-wide alarm settings. */
export const alarmSettingsSchema = z
  .object({
    /** Every device gets a communication-lost alarm with this priority (`off`: none). */
    commLostPriority: z.enum([...alarmPriorities, 'off']).default('high'),
    /** A device must be unreachable this long before its alarm activates. */
    commLostDelayS: seconds.default(10),
    /** Response rules (seed 003): verified (acknowledged) within 15 min, resolved within 2 h. */
    ackWithinMin: z.number().positive().default(15),
    resolveWithinMin: z.number().positive().default(120),
    /** Operators sharing the console, for the per-operator alarm rates. */
    operators: z.number().int().min(1).default(1),
  })
  .strict();
export type AlarmSettings = z.infer<typeof alarmSettingsSchema>;
