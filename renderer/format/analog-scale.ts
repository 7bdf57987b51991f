/**
 * Where a value sits against its normal band and alarm limits, for the moving-pointer
 * analog indicator (ISA-101: a grey normal band, ticks at LO/LL/HI/HH, a pointer). The
 * limits come from the alarm definitions (`alarms.definitions`), the band from the
 * project's per-tag `normal`, else the span between the nearest low and high limits.
 * Pure: no DOM, unit-tested under Node.
 */
import type { AlarmDefinitionDto, TagInfo } from '../../preload/contract.js';

/** Alarm limits of one tag, in engineering units; absent when the tag has no such alarm. */
export interface TagLimits {
  readonly ll?: number;
  readonly lo?: number;
  readonly hi?: number;
  readonly hh?: number;
  /** The deviation alarm's limit (|PV − reference| beyond it is abnormal). */
  readonly deviation?: number;
}

export type LimitKey = 'll' | 'lo' | 'hi' | 'hh';
export const LIMIT_KEYS: readonly LimitKey[] = ['ll', 'lo', 'hi', 'hh'];

const kindToKey: Readonly<Record<string, LimitKey | 'deviation'>> = {
  'low-low': 'll',
  low: 'lo',
  high: 'hi',
  'high-high': 'hh',
  deviation: 'deviation',
};

/**
 * The limits of `tag` from the alarm definitions. Two alarms of one kind (rare, e.g. two
 * priorities) keep the one nearer the normal band: that is where the abnormal zone starts.
 */
export function limitsOf(tag: string, definitions: readonly AlarmDefinitionDto[]): TagLimits {
  const out: { -readonly [K in keyof TagLimits]: number } = {};
  for (const d of definitions) {
    if (d.tag !== tag || d.limit === null || !Number.isFinite(d.limit)) continue;
    const key = kindToKey[d.kind];
    if (!key) continue;
    const held = out[key];
    if (held === undefined) out[key] = d.limit;
    else if (key === 'll' || key === 'lo') out[key] = Math.max(held, d.limit);
    else if (key === 'deviation') out[key] = Math.min(Math.abs(held), Math.abs(d.limit));
    else out[key] = Math.min(held, d.limit);
  }
  if (out.deviation !== undefined) out.deviation = Math.abs(out.deviation);
  return out;
}

export type BandSource = 'project' | 'limits' | 'none';

export interface AnalogScale {
  /** The bar's ends: the engineering range, else one widened from the limits and band. */
  readonly min: number;
  readonly max: number;
  /** The normal band, or null when neither the project nor the limits give one. */
  readonly normal: readonly [number, number] | null;
  readonly bandSource: BandSource;
  readonly limits: TagLimits;
}

/**
 * The scale of an indicator, or null when there is nothing to draw a bar against (no range,
 * no limits, no band). The normal band falls back to the span between the nearest low limit
 * (LO, else LL) and the nearest high limit (HI, else HH), with the range's end where one side
 * has no limit.
 */
export function analogScale(
  info: Pick<TagInfo, 'range' | 'normal'> | undefined,
  limits: TagLimits,
): AnalogScale | null {
  const marks = [
    ...LIMIT_KEYS.map((k) => limits[k]).filter((v): v is number => v !== undefined),
    ...(info?.normal ?? []),
  ];
  let min: number;
  let max: number;
  if (info?.range && info.range[1] > info.range[0]) [min, max] = info.range;
  else if (marks.length >= 2 && Math.max(...marks) > Math.min(...marks)) {
    const lo = Math.min(...marks);
    const hi = Math.max(...marks);
    const margin = (hi - lo) * 0.25;
    [min, max] = [lo - margin, hi + margin];
  } else return null;
  if (info?.normal && info.normal[1] > info.normal[0])
    return { min, max, normal: [info.normal[0], info.normal[1]], bandSource: 'project', limits };
  const low = limits.lo ?? limits.ll;
  const high = limits.hi ?? limits.hh;
  if (low === undefined && high === undefined) return { min, max, normal: null, bandSource: 'none', limits };
  const band: [number, number] = [low ?? min, high ?? max];
  if (!(band[1] > band[0])) return { min, max, normal: null, bandSource: 'none', limits };
  return { min, max, normal: band, bandSource: 'limits', limits };
}

export interface PointerPosition {
  /** 0 at `min`, 1 at `max`, clamped. */
  readonly fraction: number;
  /** The value lies beyond the bar's end: the pointer is pinned there and drawn as an arrow. */
  readonly clamped: 'below' | 'above' | null;
}

export function pointerPosition(v: number, scale: Pick<AnalogScale, 'min' | 'max'>): PointerPosition {
  const span = scale.max - scale.min;
  const raw = span > 0 ? (v - scale.min) / span : 0.5;
  if (raw < 0) return { fraction: 0, clamped: 'below' };
  if (raw > 1) return { fraction: 1, clamped: 'above' };
  return { fraction: raw, clamped: null };
}

/** The fraction of the bar where `v` sits (clamped), for band edges and limit ticks. */
export function fractionAt(v: number, scale: Pick<AnalogScale, 'min' | 'max'>): number {
  return pointerPosition(v, scale).fraction;
}

/**
 * Where a value is: inside its normal band, outside it (`low`/`high`: abnormal, no alarm
 * limit crossed yet), or past an alarm limit (`lo`, `ll`, `hi`, `hh`).
 */
export type ValueZone = 'normal' | 'low' | 'high' | LimitKey;

export interface ZoneView {
  readonly zone: ValueZone;
  /** Anything but `normal`: the pointer and value are drawn abnormal. */
  readonly abnormal: boolean;
  /** The short text doubling the colour: '', 'LOW', 'HIGH', 'LO', 'LL', 'HI', 'HH'. */
  readonly code: '' | 'LOW' | 'HIGH' | 'LO' | 'LL' | 'HI' | 'HH';
}

const codes: Readonly<Record<ValueZone, ZoneView['code']>> = {
  normal: '',
  low: 'LOW',
  high: 'HIGH',
  ll: 'LL',
  lo: 'LO',
  hi: 'HI',
  hh: 'HH',
};

export function zoneOf(v: number, scale: Pick<AnalogScale, 'normal' | 'limits'>): ZoneView {
  const { limits, normal } = scale;
  let zone: ValueZone = 'normal';
  if (limits.ll !== undefined && v <= limits.ll) zone = 'll';
  else if (limits.hh !== undefined && v >= limits.hh) zone = 'hh';
  else if (limits.lo !== undefined && v <= limits.lo) zone = 'lo';
  else if (limits.hi !== undefined && v >= limits.hi) zone = 'hi';
  else if (normal && v < normal[0]) zone = 'low';
  else if (normal && v > normal[1]) zone = 'high';
  return { zone, abnormal: zone !== 'normal', code: codes[zone] };
}

/**
 * The zone of a live value for display, or null when there is nothing to judge: not a
 * number, not Good or Uncertain (a Bad or Stale value has no trustworthy position), or no
 * band and no limits.
 */
export function liveZone(v: unknown, quality: string, scale: AnalogScale | null): ZoneView | null {
  if (!scale || typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (quality !== 'Good' && quality !== 'Uncertain') return null;
  if (!scale.normal && LIMIT_KEYS.every((k) => scale.limits[k] === undefined)) return null;
  return zoneOf(v, scale);
}
