/**
 * Loose checks on what arrives from the station. The server validates strictly; the UI
 * only has to survive anything: malformed items are dropped one by one (a bad row never
 * hides the good ones), and nothing here throws. Pure: no DOM.
 */
import {
  authStatusSchema,
  deviceStatusSchema,
  mimicElementSchema,
  overviewTileSchema,
  sessionInfoSchema,
  svgDrawingSchema,
  tagInfoSchema,
  type AuthStatus,
  type ContractError,
  type DeviceStatusDto,
  type MimicElementDto,
  type Reply,
  type ScreenDto,
  type SessionInfo,
  type SvgDrawingDto,
  type TagInfo,
  type TagValueDto,
} from '../../preload/contract.js';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const qualities = new Set(['Good', 'Uncertain', 'Bad']);

/** A hand-written check for the hot path (values stream several times a second). */
export function asTagValue(x: unknown): TagValueDto | null {
  if (!isRecord(x)) return null;
  const { tag, v, q, r, ts, rt } = x;
  if (typeof tag !== 'string' || typeof q !== 'string' || !qualities.has(q)) return null;
  if (typeof ts !== 'number' || typeof rt !== 'number' || !Number.isFinite(rt)) return null;
  if (!(v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')) return null;
  const value: TagValueDto = { tag, v, q: q as TagValueDto['q'], ts, rt };
  return typeof r === 'string' ? { ...value, r } : value;
}

export function asTagValues(x: unknown): TagValueDto[] {
  if (!Array.isArray(x)) return [];
  const out: TagValueDto[] = [];
  for (const item of x) {
    const value = asTagValue(item);
    if (value) out.push(value);
  }
  return out;
}

function parseEach<T>(x: unknown, parse: (item: unknown) => T | null): T[] {
  if (!Array.isArray(x)) return [];
  const out: T[] = [];
  for (const item of x) {
    const parsed = parse(item);
    if (parsed !== null) out.push(parsed);
  }
  return out;
}

export function asTagInfos(x: unknown): TagInfo[] {
  return parseEach(x, (item) => {
    const r = tagInfoSchema.safeParse(item);
    return r.success ? r.data : null;
  });
}

export function asDeviceStatus(x: unknown): DeviceStatusDto | null {
  const r = deviceStatusSchema.safeParse(x);
  return r.success ? r.data : null;
}

export function asDeviceStatuses(x: unknown): DeviceStatusDto[] {
  return parseEach(x, asDeviceStatus);
}

export function asSessionInfo(x: unknown): SessionInfo | null {
  const r = sessionInfoSchema.safeParse(x);
  return r.success ? r.data : null;
}

function drawingOf(x: unknown): { svg?: SvgDrawingDto } {
  const r = svgDrawingSchema.safeParse(x);
  return r.success ? { svg: r.data } : {};
}

/** A screen with its well-formed elements; a malformed element is dropped, not the screen. */
/** A project text in one language or both (`{ en, zh }`), or null when it is neither. */
function asProjectText(x: unknown): string | { en: string; zh?: string } | null {
  if (typeof x === 'string') return x;
  if (isRecord(x) && typeof x.en === 'string') return { en: x.en, ...(typeof x.zh === 'string' ? { zh: x.zh } : {}) };
  return null;
}

export function asScreen(x: unknown): ScreenDto | null {
  if (!isRecord(x)) return null;
  const { id, title, level, width, height, elements, parent, label, tiles, svg } = x;
  if (typeof id !== 'string' || id === '') return null;
  if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0) || !(height > 0)) return null;
  const kept: MimicElementDto[] = parseEach(elements, (item) => {
    const r = mimicElementSchema.safeParse(item);
    return r.success ? r.data : null;
  });
  const labelText = asProjectText(label);
  return {
    id,
    title: asProjectText(title) ?? id,
    level: typeof level === 'number' && level >= 1 && level <= 4 ? Math.round(level) : 2,
    width,
    height,
    elements: kept,
    // The display hierarchy: a bad parent or label is dropped, a bad tile is left out.
    ...(typeof parent === 'string' && /^[a-z0-9-]+$/.test(parent) ? { parent } : {}),
    ...(labelText !== null ? { label: labelText } : {}),
    ...(Array.isArray(tiles)
      ? {
          tiles: parseEach(tiles, (item) => {
            const r = overviewTileSchema.safeParse(item);
            return r.success ? r.data : null;
          }),
        }
      : {}),
    // An imported drawing is shown whole or not at all (a half drawing could mislead).
    ...(svg !== undefined ? drawingOf(svg) : {}),
  };
}

export function asScreens(x: unknown): ScreenDto[] {
  return parseEach(x, asScreen);
}

export function asAuthStatus(x: unknown): AuthStatus | null {
  const r = authStatusSchema.safeParse(x);
  return r.success ? r.data : null;
}

/**
 * A `Reply<unknown>`, or an INTERNAL error reply when the shape is not one. A bare
 * `{ error }` (what the station's HTTP routes answer) counts as an error reply.
 */
export function asReply(x: unknown): Reply<unknown> {
  if (isRecord(x) && x.ok === true && 'value' in x) return { ok: true, value: x.value };
  if (isRecord(x) && x.ok !== true && isRecord(x.error)) {
    const { code, message } = x.error;
    const error: ContractError = {
      code: (typeof code === 'string' ? code : 'INTERNAL') as ContractError['code'],
      message: typeof message === 'string' ? message : 'unknown error',
    };
    return { ok: false, error };
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'malformed reply from station' } };
}

/** One frame from the WebSocket, classified; null for anything unrecognisable. */
export type ServerFrame =
  | { readonly kind: 'reply'; readonly id: number; readonly reply: Reply<unknown> }
  | { readonly kind: 'event'; readonly event: string; readonly data: unknown };

export function parseServerFrame(text: unknown): ServerFrame | null {
  if (typeof text !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  if (typeof parsed.id === 'number' && 'reply' in parsed)
    return { kind: 'reply', id: parsed.id, reply: asReply(parsed.reply) };
  if (typeof parsed.event === 'string') return { kind: 'event', event: parsed.event, data: parsed.data };
  return null;
}

/** The items of a list that match `schema`; a malformed item is dropped, never the list. */
export function validItems<T>(
  list: unknown,
  schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } },
): T[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}
