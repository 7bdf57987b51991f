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
import { preferenceRequests } from './contract/preferences.js';

export * from './contract/security.js';
export * from './contract/history.js';
export * from './contract/engineering.js';
export * from './contract/alarms.js';
export * from './contract/predictions.js';
export * from './contract/preferences.js';

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

/** A digital state's name in one language or both ({ en, zh }: shown in the operator's). */
const stateLabelSchema = z.union([z.string(), z.object({ en: z.string(), zh: z.string().optional() }).strict()]);

export const tagInfoSchema = z.object({
  name: z.string(),
  device: z.string(),
  description: z.object({ en: z.string(), zh: z.string().optional() }),
  unit: z.string(),
  kind: z.enum(['analog', 'digital', 'text']),
  range: z.tuple([z.number(), z.number()]).optional(),
  /** The normal operating band [low, high] drawn on analog indicators (inside `range`). */
  normal: z.tuple([z.number(), z.number()]).optional(),
  decimals: z.number(),
  states: z.object({ false: stateLabelSchema, true: stateLabelSchema }).optional(),
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
/** A symbol's fixed orientation where no pipe passes through it (degrees, clockwise; 0 = flow to the right). */
const rotation = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
/** A bound tag's name. Element keys that hold tags end in `Tag` (one) or are `tags` (several): the loader checks each. */
const tagRef = z.string().min(1);
const placed = { x: z.number(), y: z.number() };
/** A symbol's label in one language, or in both (`{ en, zh }`: the console shows the operator's). */
const elementText = z.union([z.string(), z.object({ en: z.string(), zh: z.string().optional() }).strict()]);
export type ElementTextDto = z.infer<typeof elementText>;
/** Rotating equipment (pump, fan, motor): a run bit, and a fault (trip) bit when the PLC has one. */
const rotating = {
  ...placed,
  label: elementText,
  runTag: tagRef,
  faultTag: tagRef.optional(),
  rotation: rotation.optional(),
};

/**
 * Mimic symbols a screen is drawn from; the project file uses the same schema
 * (renderer/README.md, "Mimic symbols", describes each kind).
 */
export const mimicElementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('value'), tag: tagRef, ...placed, label: elementText.optional() }).strict(),
  z.object({ kind: z.literal('label'), text: elementText, ...placed, size: z.number().optional() }).strict(),
  z
    .object({
      kind: z.literal('pipe'),
      points: z.array(point).min(2),
      medium: z.enum(['primary-supply', 'primary-return', 'secondary-supply', 'secondary-return', 'makeup']),
      /** What says the pipe is flowing: a flow (above 1 % of its range) or a run bit (true). Arrows move while it flows. */
      flowTag: tagRef.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('pump'), ...rotating, speedTag: tagRef.optional() }).strict(),
  z.object({ kind: z.literal('fan'), ...rotating, speedTag: tagRef.optional() }).strict(),
  z.object({ kind: z.literal('motor'), ...rotating, speedTag: tagRef.optional() }).strict(),
  /** A control valve: position 0–100 % (its tag's range). */
  z
    .object({
      kind: z.literal('valve'),
      ...placed,
      label: elementText,
      positionTag: tagRef,
      rotation: rotation.optional(),
    })
    .strict(),
  /** An on/off valve: open (true) or closed (false), optionally a separate closed end switch and a fault bit. */
  z
    .object({
      kind: z.literal('on-off-valve'),
      ...placed,
      label: elementText,
      openTag: tagRef,
      closedTag: tagRef.optional(),
      faultTag: tagRef.optional(),
      rotation: rotation.optional(),
    })
    .strict(),
  /** `tags`: the exchanger's own measurements: its alarm marker, its faceplate. */
  z
    .object({ kind: z.literal('heat-exchanger'), ...placed, label: elementText, tags: z.array(tagRef).optional() })
    .strict(),
  z.object({ kind: z.literal('tank'), ...placed, label: elementText, levelTag: tagRef }).strict(),
  z.object({ kind: z.literal('meter'), ...placed, label: elementText, tags: z.array(tagRef).min(1) }).strict(),
  /** ISA-5.1 instrument bubble: function letters (TT, PT, FT, LT…) and the loop number, the value beside it. */
  z
    .object({
      kind: z.literal('transmitter'),
      ...placed,
      tag: tagRef,
      letters: z.string().regex(/^[A-Z]{1,4}$/),
      number: z.string().max(8).optional(),
    })
    .strict(),
  /** A moving-pointer bar over the tag's range, with its alarm limits marked. */
  z
    .object({
      kind: z.literal('analog-bar'),
      ...placed,
      tag: tagRef,
      label: elementText.optional(),
      length: z.number().min(40).max(600).optional(),
      orientation: z.enum(['horizontal', 'vertical']).optional(),
    })
    .strict(),
  /** A boxed number with unit: the value alone, for dense places. */
  z.object({ kind: z.literal('readout'), ...placed, tag: tagRef, label: elementText.optional() }).strict(),
  /** A status lamp of a digital tag; `abnormal` is the state that needs the operator (drawn in the alarm colour, with its text). */
  z
    .object({ kind: z.literal('lamp'), ...placed, tag: tagRef, label: elementText, abnormal: z.boolean().optional() })
    .strict(),
  /** The last `minutes` (default 60) of a tag from the historian. */
  z
    .object({
      kind: z.literal('sparkline'),
      ...placed,
      tag: tagRef,
      label: elementText.optional(),
      width: z.number().min(40).max(600).optional(),
      height: z.number().min(16).max(200).optional(),
      minutes: z.number().int().min(5).max(1440).optional(),
    })
    .strict(),
  /**
   * A controller (PID) block: the loop's process value, setpoint, output and mode (`autoTag`: true = automatic).
   * Click or Enter opens the loop's faceplate: the equipment of its setpoint tag (`SS01.HC.T_SP` → `SS01.HC`).
   */
  z
    .object({
      kind: z.literal('controller'),
      ...placed,
      label: elementText,
      pvTag: tagRef,
      spTag: tagRef,
      outTag: tagRef,
      autoTag: tagRef.optional(),
    })
    .strict(),
  /** Goes to another screen. */
  z
    .object({
      kind: z.literal('nav-button'),
      ...placed,
      label: elementText,
      screen: z.string().regex(/^[a-z0-9-]+$/),
      width: z.number().min(40).max(600).optional(),
    })
    .strict(),
]);
export type MimicElementDto = z.infer<typeof mimicElementSchema>;
export type MimicElementKind = MimicElementDto['kind'];

/**
 * An imported SVG screen's binding (main/runtime/config/svg-screen.ts parses them from
 * `data-tag` / `data-bind`): what part of the element follows which tag.
 */
export const svgBindingSchema = z.discriminatedUnion('kind', [
  /** The element's text is the tag's value and unit. */
  z.object({ kind: z.literal('text'), tag: tagRef }).strict(),
  /** The element's fill (or stroke) follows a digital state: on, off, unknown (classes, so the theme draws them). */
  z.object({ kind: z.enum(['fill', 'stroke']), tag: tagRef, invert: z.boolean() }).strict(),
  /** Shown while the tag is true (or false with `!`). */
  z.object({ kind: z.literal('visible'), tag: tagRef, invert: z.boolean() }).strict(),
  /** Rotated about its own centre: `from`…`to` degrees across the tag's range (or `min`…`max`). */
  z
    .object({
      kind: z.literal('rotate'),
      tag: tagRef,
      from: z.number(),
      to: z.number(),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .strict(),
  /** A rect filled from its bottom edge in proportion to the tag within its range (or `min`…`max`). */
  z.object({ kind: z.literal('level'), tag: tagRef, min: z.number().optional(), max: z.number().optional() }).strict(),
]);
export type SvgBindingDto = z.infer<typeof svgBindingSchema>;

/** One element of a sanitized SVG drawing: an allowed SVG element name, allowed attributes, text or children. */
export interface SvgNodeDto {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly SvgNodeDto[];
  readonly bindings?: readonly SvgBindingDto[];
}
export const svgNodeSchema: z.ZodType<SvgNodeDto> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      attrs: z.record(z.string(), z.string()),
      text: z.string().optional(),
      children: z.array(svgNodeSchema).optional(),
      bindings: z.array(svgBindingSchema).optional(),
    })
    .strict(),
);

/** A screen drawn in an SVG editor, as the runtime sanitized it: the drawing's viewBox and its elements. */
export const svgDrawingSchema = z
  .object({
    viewBox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    nodes: z.array(svgNodeSchema),
    /** How many bound elements (a screen's live parts). */
    bound: z.number().int().min(0),
  })
  .strict();
export type SvgDrawingDto = z.infer<typeof svgDrawingSchema>;

const screenId = z.string().regex(/^[a-z0-9-]+$/);
/** A short project text in one or both languages (screen tree, breadcrumbs, overview tiles). */
const screenText = z.union([z.string(), z.object({ en: z.string(), zh: z.string().optional() }).strict()]);
/** One key figure on a level-1 tile: the value, optionally against its setpoint and its normal band. */
export const overviewFigureSchema = z
  .object({
    tag: z.string(),
    label: screenText,
    /** Drawn against this setpoint; a deviation beyond `maxDeviation` marks the tile. */
    setpointTag: z.string().optional(),
    maxDeviation: z.number().positive().optional(),
    /** Normal operating band [low, high]: outside it the figure and its tile are marked. */
    normal: z.tuple([z.number(), z.number()]).optional(),
    /** A fall faster than this over 5 minutes marks the tile before any limit is reached (a leak draining a tank). */
    maxFallPer5Min: z.number().positive().optional(),
  })
  .strict();
/** A level-1 tile: one process unit (a substation) at a glance; it opens the unit's screen. */
export const overviewTileSchema = z
  .object({
    screen: screenId,
    title: screenText,
    /** Alarms of this area are counted on the tile. */
    area: z.string().optional(),
    /** Devices whose communication state the tile shows. */
    devices: z.array(z.string()).default([]),
    figures: z.array(overviewFigureSchema).max(6),
  })
  .strict();
export type OverviewTileDto = z.infer<typeof overviewTileSchema>;
export type OverviewFigureDto = z.infer<typeof overviewFigureSchema>;

export const screenSchema = z
  .object({
    id: screenId,
    /** The display's heading, in one language or both ({ en, zh }: shown in the operator's). */
    title: screenText,
    /** The screen one level up in the display hierarchy (screen tree, breadcrumbs). */
    parent: screenId.optional(),
    /** Short name in the screen tree and breadcrumbs; the title when absent. */
    label: screenText.optional(),
    /** A level-1 overview: one tile per process unit, drawn before any elements. */
    tiles: z.array(overviewTileSchema).optional(),
    /** ISA-101 display level: 1 overview, 2 process unit, 3 equipment detail, 4 diagnostics. */
    level: z.number().int().min(1).max(4),
    width: z.number().positive(),
    height: z.number().positive(),
    elements: z.array(mimicElementSchema),
    /** An imported drawing (project file: `svg: screens/x.svg`), drawn under the elements. */
    svg: svgDrawingSchema.optional(),
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
  /**
   * Narrows this window's `tags.changed` pushes to the tags it shows now (`null`: every tag,
   * as a new connection starts). Replies with the current values of those it may see, so
   * nothing newly shown waits for its next change. Names not defined (yet) are kept.
   */
  'tags.watch': {
    params: z.object({ tags: z.array(z.string()).max(100_000).nullable() }).strict(),
    result: z.array(tagValueSchema),
  },
  'devices.list': { params: noParams, result: z.array(deviceStatusSchema) },
  'screens.list': { params: noParams, result: z.array(screenSchema) },
  ...historyRequests,
  ...securityRequests,
  ...engineeringRequests,
  ...alarmRequests,
  ...predictionRequests,
  ...preferenceRequests,
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
  { readonly id: number; readonly reply: Reply<unknown> } | { readonly event: EventName; readonly data: unknown };

// ---------------------------------------------------------------------------
// Staleness is a pure function of the value, the clock and the expected interval.

/** A value counts as stale after this many expected intervals without an update (and at least 3 s). */
export const STALE_AFTER_INTERVALS = 5;
export const STALE_MIN_MS = 3000;

export function isStale(value: Pick<TagValueDto, 'rt'>, nowMs: number, intervalMs: number): boolean {
  return nowMs - value.rt > Math.max(STALE_MIN_MS, STALE_AFTER_INTERVALS * intervalMs);
}
