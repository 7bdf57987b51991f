/**
 * What a pen is measured against: its alarm limits (from the alarm definitions) as
 * horizontal lines, and its setpoint as a second, thin line — the setpoint tag from the
 * pen's deviation alarm (its `reference`), else a tag named like the pen with `_SP`
 * (`SS01.MU.P` → `SS01.MU.P_SP`). Also the time-shifted overlays ("the same window a day
 * or a week earlier"). Pure.
 */
import type { AlarmDefinitionDto } from '../../preload/contract.js';

export type LimitKind = 'high-high' | 'high' | 'low' | 'low-low';

export interface LimitLine {
  readonly kind: LimitKind;
  readonly value: number;
  /** Short mark drawn beside the line: HH, H, L, LL. */
  readonly mark: string;
  readonly priority: AlarmDefinitionDto['priority'];
}

const marks: Readonly<Record<LimitKind, string>> = { 'high-high': 'HH', high: 'H', low: 'L', 'low-low': 'LL' };
const isLimitKind = (kind: string): kind is LimitKind => kind in marks;

/** The absolute alarm limits configured on a tag, highest first. */
export function limitLines(
  tag: string,
  definitions: readonly Pick<AlarmDefinitionDto, 'tag' | 'kind' | 'limit' | 'priority'>[],
): LimitLine[] {
  const lines: LimitLine[] = [];
  for (const d of definitions) {
    if (d.tag !== tag || d.limit === null || !isLimitKind(d.kind) || !Number.isFinite(d.limit)) continue;
    lines.push({ kind: d.kind, value: d.limit, mark: marks[d.kind], priority: d.priority });
  }
  return lines.sort((x, y) => y.value - x.value);
}

/** What a definition may say about a setpoint: a deviation alarm's reference tag (when the station sends it). */
export type ReferenceDefinition = Pick<AlarmDefinitionDto, 'tag' | 'kind'> & {
  readonly reference?: string | null | undefined;
};

/**
 * The setpoint tag of a pen, or null: the reference of its deviation alarm when the alarm
 * definitions carry one (preferred: it is what the plant is controlled to), else the tag
 * named `<pen>_SP` when the project has it.
 */
export function setpointTag(
  tag: string,
  definitions: readonly ReferenceDefinition[],
  known: (tag: string) => boolean,
): string | null {
  for (const d of definitions) {
    if (
      d.tag === tag &&
      d.kind === 'deviation' &&
      typeof d.reference === 'string' &&
      d.reference &&
      d.reference !== tag &&
      known(d.reference)
    )
      return d.reference;
  }
  const byName = `${tag}_SP`;
  return known(byName) ? byName : null;
}

/** The y range a pen's axis should cover so its limit lines and setpoint stay in view. */
export function rangeWithLimits(
  min: number | null,
  max: number | null,
  limits: readonly number[],
): [number, number] | null {
  let lo = min ?? Infinity;
  let hi = max ?? -Infinity;
  for (const v of limits) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

export const OVERLAYS = [
  { id: '1d', shiftMs: 86_400_000 },
  { id: '7d', shiftMs: 7 * 86_400_000 },
] as const;

export type OverlayId = (typeof OVERLAYS)[number]['id'];

export const isOverlayId = (v: unknown): v is OverlayId => v === '1d' || v === '7d';

export const overlayShiftMs = (id: OverlayId): number => OVERLAYS.find((o) => o.id === id)!.shiftMs;

/** "−1 d", "−7 d": the overlay's label on the plot and in the pen table (a true minus sign). */
export const overlayLabel = (id: OverlayId): string => `\u2212${id.replace('d', '')} d`;

/** The range an overlay queries: the shown range moved back by the shift. */
export function shiftedRange(from: number, to: number, shiftMs: number): { from: number; to: number } {
  return { from: from - shiftMs, to: to - shiftMs };
}

/**
 * What one trend asks the historian for: every pen, then each pen's setpoint, then its
 * forecast band edges, then the overlays (pen by pen). Each channel is a tag and how far
 * back it is shifted; the plot finds its series by the roles.
 */
export interface Channel {
  readonly tag: string;
  readonly shiftMs: number;
  readonly role: 'pen' | 'setpoint' | 'band-lower' | 'band-upper' | 'overlay';
  /** The pen (0-based) the channel belongs to. */
  readonly pen: number;
  readonly overlay?: OverlayId;
}

export function channelsFor(
  pens: readonly { tag: string; band?: { lower: string; upper: string } | undefined }[],
  setpoints: readonly (string | null)[],
  overlays: readonly OverlayId[],
): Channel[] {
  const channels: Channel[] = pens.map((p, i) => ({ tag: p.tag, shiftMs: 0, role: 'pen', pen: i }));
  setpoints.forEach((sp, i) => {
    if (sp && i < pens.length) channels.push({ tag: sp, shiftMs: 0, role: 'setpoint', pen: i });
  });
  pens.forEach((p, i) => {
    if (!p.band) return;
    channels.push(
      { tag: p.band.lower, shiftMs: 0, role: 'band-lower', pen: i },
      { tag: p.band.upper, shiftMs: 0, role: 'band-upper', pen: i },
    );
  });
  for (const id of overlays)
    pens.forEach((p, i) =>
      channels.push({ tag: p.tag, shiftMs: overlayShiftMs(id), role: 'overlay', pen: i, overlay: id }),
    );
  return channels;
}

export const channelKey = (channels: readonly Channel[]): string =>
  channels.map((c) => `${c.role}:${c.pen}:${c.tag}@${c.shiftMs}`).join(',');
