/**
 * The contract between the UI and the station runtime: every request and event,
 * declared once with a runtime schema. The runtime implements it (main/runtime/api),
 * Electron carries it over IPC (main/electron + preload), the station server carries
 * it over WebSocket (main/server), and the renderer calls it (renderer/transport).
 *
 * This file must stay free of Node and DOM APIs: it is bundled into the renderer.
 */
import { z } from 'zod';
import { historyEvents, historyRequests } from './contract/history.js';
import { securityRequests } from './contract/security.js';
import { engineeringRequests } from './contract/engineering.js';
import { alarmEvents, alarmRequests } from './contract/alarms.js';
import { predictionEvents, predictionRequests } from './contract/predictions.js';

export * from './contract/security.js';
export * from './contract/history.js';
export * from './contract/engineering.js';
export * from './contract/alarms.js';
export * from './contract/predictions.js';

// ---------------------------------------------------------------------------
// Replies: errors cross the contract as values, with a closed set of codes.

export const errorCodes = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'DEVICE_OFFLINE',
  'WRITE_REJECTED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ContractError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

export function okReply<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function errorReply(code: ErrorCode, message: string): Reply<never> {
  return { ok: false, error: { code, message } };
}

// ---------------------------------------------------------------------------
// Shared shapes.

export const qualityCodeSchema = z.enum(['Good', 'Uncertain', 'Bad']);

/** One tag's current value as it crosses the wire: short keys because thousands stream per second. */
export const tagValueSchema = z.object({
  tag: z.string(),
  v: z.union([z.number(), z.boolean(), z.string(), z.null()]),
  q: qualityCodeSchema,
  /** Why the quality is not Good. */
  r: z.string().optional(),
  /** Source timestamp, ms since epoch. */
  ts: z.number(),
  /** Receive timestamp, ms since epoch. */
  rt: z.number(),
});
export type TagValueDto = z.infer<typeof tagValueSchema>;

export const tagInfoSchema = z.object({
  name: z.string(),
  device: z.string(),
  description: z.object({ en: z.string(), zh: z.string().optional() }),
  unit: z.string(),
  kind: z.enum(['analog', 'digital', 'text']),
  range: z.tuple([z.number(), z.number()]).optional(),
  decimals: z.number(),
  states: z.object({ false: z.string(), true: z.string() }).optional(),
  writable: z.boolean(),
  /** Writes need a reason and a second confirmation. */
  critical: z.boolean(),
  /** How often a fresh value is expected; a value older than a few of these is stale. */
  intervalMs: z.number(),
});
export type TagInfo = z.infer<typeof tagInfoSchema>;

export const deviceStatusSchema = z.object({
  device: z.string(),
  protocol: z.enum(['modbus-tcp', 'modbus-rtu', 'opcua']),
  endpoint: z.string(),
  state: z.enum(['connecting', 'connected', 'disconnected', 'stopped']),
  since: z.number(),
  lastError: z.string().optional(),
  diagnostics: z.record(z.string(), z.union([z.number(), z.string()])),
  tagCount: z.number(),
  badTagCount: z.number(),
});
export type DeviceStatusDto = z.infer<typeof deviceStatusSchema>;

const point = z.tuple([z.number(), z.number()]);
/** Mimic symbols a screen is drawn from; the project file uses the same schema. */
export const mimicElementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('value'), tag: z.string(), x: z.number(), y: z.number(), label: z.string().optional() }).strict(),
  z.object({ kind: z.literal('label'), text: z.string(), x: z.number(), y: z.number(), size: z.number().optional() }).strict(),
  z
    .object({
      kind: z.literal('pipe'),
      points: z.array(point).min(2),
      medium: z.enum(['primary-supply', 'primary-return', 'secondary-supply', 'secondary-return', 'makeup']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pump'),
      x: z.number(),
      y: z.number(),
      label: z.string(),
      runTag: z.string(),
      faultTag: z.string().optional(),
      speedTag: z.string().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('valve'), x: z.number(), y: z.number(), label: z.string(), positionTag: z.string() }).strict(),
  z.object({ kind: z.literal('heat-exchanger'), x: z.number(), y: z.number(), label: z.string() }).strict(),
  z.object({ kind: z.literal('tank'), x: z.number(), y: z.number(), label: z.string(), levelTag: z.string() }).strict(),
  z.object({ kind: z.literal('meter'), x: z.number(), y: z.number(), label: z.string(), tags: z.array(z.string()).min(1) }).strict(),
]);
export type MimicElementDto = z.infer<typeof mimicElementSchema>;

export const screenSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    /** ISA-101 display level: 1 overview, 2 process unit, 3 equipment detail, 4 diagnostics. */
    level: z.number().int().min(1).max(4),
    width: z.number().positive(),
    height: z.number().positive(),
    elements: z.array(mimicElementSchema),
  })
  .strict();
export type ScreenDto = z.infer<typeof screenSchema>;

export const sessionInfoSchema = z.object({
  product: z.literal('Argus'),
  version: z.string(),
  mode: z.enum(['desktop', 'station']),
  projectName: z.string(),
  /** True when the plant is the built-in simulator, so the UI can say so on screen. */
  simulated: z.boolean(),
  serverTime: z.number(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

// ---------------------------------------------------------------------------
// Requests: name → params and result schemas.

const noParams = z.object({}).strict();

export const requests = {
  'session.info': { params: noParams, result: sessionInfoSchema },
  'tags.list': { params: noParams, result: z.array(tagInfoSchema) },
  /** Current values; all tags when `tags` is omitted. */
  'tags.read': {
    params: z.object({ tags: z.array(z.string()).max(100_000).optional() }).strict(),
    result: z.array(tagValueSchema),
  },
  'devices.list': { params: noParams, result: z.array(deviceStatusSchema) },
  'screens.list': { params: noParams, result: z.array(screenSchema) },
  ...historyRequests,
  ...securityRequests,
  ...engineeringRequests,
  ...alarmRequests,
  ...predictionRequests,
} as const;

export type RequestName = keyof typeof requests;
export type RequestParams<N extends RequestName> = z.input<(typeof requests)[N]['params']>;
export type RequestResult<N extends RequestName> = z.infer<(typeof requests)[N]['result']>;

// ---------------------------------------------------------------------------
// Events: pushed from the runtime to every connected window.

export const events = {
  /** Tag values that changed since the last push (latest value wins per tag). */
  'tags.changed': z.object({ values: z.array(tagValueSchema) }),
  'devices.changed': z.object({ devices: z.array(deviceStatusSchema) }),
  /** The window's session changed on the runtime's side (idle lock, expiry, sign-out elsewhere). */
  'auth.changed': z.object({ state: z.enum(['first-run', 'signed-out', 'locked', 'active']) }),
  ...historyEvents,
  ...alarmEvents,
  ...predictionEvents,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

// ---------------------------------------------------------------------------
// The API object both front doors expose to the renderer.

export interface ArgusApi {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Reply<RequestResult<N>>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

// ---------------------------------------------------------------------------
// WebSocket framing (the IPC door uses Electron's own request/reply).

export const MAX_WS_MESSAGE_BYTES = 256 * 1024;

export const wsClientMessageSchema = z
  .object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() })
  .strict();
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

export type WsServerMessage =
  | { readonly id: number; readonly reply: Reply<unknown> }
  | { readonly event: EventName; readonly data: unknown };

// ---------------------------------------------------------------------------
// Staleness is a pure function of the value, the clock and the expected interval.

/** A value counts as stale after this many expected intervals without an update (and at least 3 s). */
export const STALE_AFTER_INTERVALS = 5;
export const STALE_MIN_MS = 3000;

export function isStale(value: Pick<TagValueDto, 'rt'>, nowMs: number, intervalMs: number): boolean {
  return nowMs - value.rt > Math.max(STALE_MIN_MS, STALE_AFTER_INTERVALS * intervalMs);
}
