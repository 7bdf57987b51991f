/**
 * How the console orders, filters, counts and labels alarms (banner, summary, mimic
 * markers). Priority is always shown as colour AND shape AND number (ISA-101: colour
 * alone never carries meaning). Pure: no DOM, no clock.
 */
import type { AlarmDisplayState, AlarmDto, AlarmPriorityDto, ScreenDto } from '../../preload/contract.js';

export const priorities: readonly AlarmPriorityDto[] = ['critical', 'high', 'medium', 'low', 'diagnostic'];

/** 1 = most urgent. */
export function priorityNumber(p: AlarmPriorityDto): number {
  return priorities.indexOf(p) + 1;
}

export const priorityLabel: Readonly<Record<AlarmPriorityDto, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  diagnostic: 'Diagnostic',
};

/** The shape drawn for each priority (the marker also carries the number and the colour). */
export const priorityShape: Readonly<
  Record<AlarmPriorityDto, 'square' | 'triangle' | 'diamond' | 'inverted-triangle' | 'circle'>
> = {
  critical: 'square',
  high: 'triangle',
  medium: 'diamond',
  low: 'inverted-triangle',
  diagnostic: 'circle',
};

/** Short state text shown beside every alarm (the blink is never the only cue). */
export const stateText: Readonly<Record<AlarmDisplayState, string>> = {
  normal: 'NORMAL',
  'unack-active': 'UNACK',
  'ack-active': 'ACKED',
  'unack-rtn': 'UNACK RTN',
  shelved: 'SHELVED',
  suppressed: 'SUPPRESSED',
  'out-of-service': 'OUT OF SERVICE',
};

export const stateDescription: Readonly<Record<AlarmDisplayState, string>> = {
  normal: 'Normal',
  'unack-active': 'Active, not acknowledged',
  'ack-active': 'Active, acknowledged',
  'unack-rtn': 'Returned to normal, not acknowledged',
  shelved: 'Shelved by an operator',
  suppressed: 'Suppressed by design (plant condition)',
  'out-of-service': 'Out of service (maintenance)',
};

export function isUnacked(a: Pick<AlarmDto, 'state'>): boolean {
  return a.state === 'unack-active' || a.state === 'unack-rtn';
}

/** On the operator's list: active or unacknowledged, not hidden. */
export function isAnnunciated(a: Pick<AlarmDto, 'state'>): boolean {
  return a.state === 'unack-active' || a.state === 'ack-active' || a.state === 'unack-rtn';
}

export function isHidden(a: Pick<AlarmDto, 'state'>): boolean {
  return a.state === 'shelved' || a.state === 'suppressed' || a.state === 'out-of-service';
}

/** When the alarm came in (its latest activation), else when it last changed. */
export function alarmTime(a: Pick<AlarmDto, 'activeSince' | 'changedAt'>): number {
  return a.activeSince ?? a.changedAt;
}

export type AlarmSortKey = 'priority' | 'time' | 'tag' | 'area' | 'state' | 'message';

const stateOrder: Readonly<Record<AlarmDisplayState, number>> = {
  'unack-active': 0,
  'unack-rtn': 1,
  'ack-active': 2,
  shelved: 3,
  suppressed: 4,
  'out-of-service': 5,
  normal: 6,
};

const rank = (p: AlarmPriorityDto): number => priorities.indexOf(p);
const text = (s: string | null): string => s ?? '';

/** The default order: most urgent first, then unacknowledged before acknowledged, then newest first. */
export function compareByPriority(a: AlarmDto, b: AlarmDto): number {
  return (
    rank(a.priority) - rank(b.priority) ||
    stateOrder[a.state] - stateOrder[b.state] ||
    alarmTime(b) - alarmTime(a) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const comparators: Readonly<Record<AlarmSortKey, (a: AlarmDto, b: AlarmDto) => number>> = {
  priority: (a, b) => rank(a.priority) - rank(b.priority),
  time: (a, b) => alarmTime(a) - alarmTime(b),
  tag: (a, b) => text(a.tag ?? a.device).localeCompare(text(b.tag ?? b.device)),
  area: (a, b) => text(a.area).localeCompare(text(b.area)),
  state: (a, b) => stateOrder[a.state] - stateOrder[b.state],
  message: (a, b) => a.message.en.localeCompare(b.message.en),
};

/** Sorted copy; ties fall back to the default order so the list never jumps around. */
export function sortAlarms(list: readonly AlarmDto[], key: AlarmSortKey, descending: boolean): AlarmDto[] {
  const by = comparators[key];
  const sign = descending ? -1 : 1;
  return [...list].sort((a, b) => sign * by(a, b) || compareByPriority(a, b));
}

export type StateFilter =
  'annunciated' | 'unacked' | 'active' | 'hidden' | 'shelved' | 'suppressed' | 'out-of-service' | 'all';

export const stateFilterLabel: Readonly<Record<StateFilter, string>> = {
  annunciated: 'On the list (active or unacknowledged)',
  unacked: 'Unacknowledged',
  active: 'Active',
  hidden: 'Hidden (shelved, suppressed, out of service)',
  shelved: 'Shelved',
  suppressed: 'Suppressed by design',
  'out-of-service': 'Out of service',
  all: 'All',
};

export interface AlarmFilter {
  /** Shown priorities; empty means all. */
  readonly priorities: readonly AlarmPriorityDto[];
  /** '' for every area. */
  readonly area: string;
  readonly state: StateFilter;
  /** Words that must all appear in id, tag, message (either language), equipment or device. */
  readonly text: string;
}

export const defaultAlarmFilter: AlarmFilter = { priorities: [], area: '', state: 'annunciated', text: '' };

function matchesState(a: AlarmDto, f: StateFilter): boolean {
  switch (f) {
    case 'annunciated':
      return isAnnunciated(a);
    case 'unacked':
      return isUnacked(a);
    case 'active':
      return a.active;
    case 'hidden':
      return isHidden(a);
    case 'all':
      return true;
    default:
      return a.state === f;
  }
}

export function filterAlarms(list: readonly AlarmDto[], f: AlarmFilter): AlarmDto[] {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const prios = f.priorities.length > 0 ? new Set(f.priorities) : null;
  return list.filter((a) => {
    if (prios && !prios.has(a.priority)) return false;
    if (f.area && a.area !== f.area) return false;
    if (!matchesState(a, f.state)) return false;
    if (words.length === 0) return true;
    const hay =
      `${a.id} ${a.tag ?? ''} ${a.message.en} ${a.message.zh ?? ''} ${a.equipment ?? ''} ${a.device ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export interface PriorityCount {
  readonly priority: AlarmPriorityDto;
  /** Annunciated (active or unacknowledged, not hidden). */
  readonly total: number;
  readonly unacked: number;
}

export interface AlarmCounts {
  readonly byPriority: readonly PriorityCount[];
  readonly total: number;
  readonly unacked: number;
  readonly shelved: number;
  readonly suppressed: number;
  readonly outOfService: number;
}

export function countAlarms(list: Iterable<AlarmDto>): AlarmCounts {
  // Counts by priority rank in plain arrays: a flood counts 10,000 alarms on every change.
  const total = priorities.map(() => 0);
  const unacked = priorities.map(() => 0);
  let shelved = 0;
  let suppressed = 0;
  let outOfService = 0;
  let all = 0;
  let allUnacked = 0;
  for (const a of list) {
    if (a.state === 'shelved') shelved++;
    else if (a.state === 'suppressed') suppressed++;
    else if (a.state === 'out-of-service') outOfService++;
    if (!isAnnunciated(a)) continue;
    all++;
    const r = rank(a.priority);
    total[r]!++;
    if (isUnacked(a)) {
      allUnacked++;
      unacked[r]!++;
    }
  }
  return {
    byPriority: priorities.map((priority, r) => ({ priority, total: total[r]!, unacked: unacked[r]! })),
    total: all,
    unacked: allUnacked,
    shelved,
    suppressed,
    outOfService,
  };
}

/**
 * The banner's lines: the most urgent annunciated alarms, newest first within a priority
 * (unacknowledged before acknowledged). Keeps the n best without sorting everything.
 */
export function bannerAlarms(list: Iterable<AlarmDto>, n: number): AlarmDto[] {
  const best: AlarmDto[] = [];
  for (const a of list) {
    if (!isAnnunciated(a)) continue;
    if (best.length === n && compareByPriority(a, best[n - 1]!) >= 0) continue;
    let i = best.length;
    while (i > 0 && compareByPriority(a, best[i - 1]!) < 0) i--;
    best.splice(i, 0, a);
    if (best.length > n) best.pop();
  }
  return best;
}

/** The ids to acknowledge for "acknowledge this page": the unacknowledged ones among the rows shown (at most 1000). */
export function pageAcknowledgeIds(visible: readonly AlarmDto[]): string[] {
  return visible
    .filter(isUnacked)
    .slice(0, 1000)
    .map((a) => a.id);
}

/** The alarm's value as text, with its unit and limit where it has them. */
export function formatAlarmValue(a: Pick<AlarmDto, 'value' | 'unit' | 'limit'>, withLimit = true): string {
  const v = a.value;
  const unit = a.unit ? ` ${a.unit}` : '';
  const value =
    v === null
      ? '—'
      : typeof v === 'number'
        ? `${Number.isInteger(v) ? v : v.toFixed(Math.abs(v) >= 100 ? 1 : 2)}${unit}`
        : String(v);
  return a.limit === null || !withLimit ? value : `${value} (limit ${a.limit}${unit})`;
}

/**
 * The screen that shows the alarm's equipment: the one the alarm names, else the first
 * project screen that draws its tag (as a value or as part of a symbol).
 */
export function screenForAlarm(
  a: Pick<AlarmDto, 'screen' | 'tag'>,
  screens: readonly Pick<ScreenDto, 'id' | 'elements'>[],
): string | null {
  if (a.screen) return a.screen;
  if (!a.tag) return null;
  const tag = a.tag;
  for (const s of screens) {
    for (const e of s.elements) {
      const refs = Object.values(e as Record<string, unknown>).flatMap((v) =>
        typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [],
      );
      if (refs.includes(tag)) return s.id;
    }
  }
  return null;
}

/** `SS01.P1.VIB` → equipment key `SS01.P1` (how a symbol finds the alarms of its equipment). */
export function equipmentKeyOfTag(tag: string): string | null {
  const parts = tag.split('.');
  return parts.length >= 3 ? `${parts[0]}.${parts[1]}` : null;
}

/** The equipment an alarm belongs to: its area and equipment (the tag's first two name parts unless configured). */
export function equipmentKeyOfAlarm(a: Pick<AlarmDto, 'area' | 'equipment' | 'tag'>): string | null {
  if (a.area && a.equipment) return `${a.area}.${a.equipment}`;
  return a.tag ? equipmentKeyOfTag(a.tag) : null;
}

/** The more urgent of two alarms for a marker (priority, then unacknowledged). */
export function worse(a: AlarmDto | undefined, b: AlarmDto): AlarmDto {
  if (!a) return b;
  return compareByPriority(b, a) < 0 ? b : a;
}
