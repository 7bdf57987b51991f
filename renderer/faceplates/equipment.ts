/**
 * Which faceplate an equipment key opens and which tags it shows: a small table by the
 * equipment part of the tag names (`<area>.<equipment>.<signal>`, e.g. `SS01.P1.RUN`), so a
 * project of the demo plant's shape (any number of substations) gets its faceplates without
 * configuration. Only tags the station actually serves are kept; a faceplate whose tags are
 * missing shows fewer rows, never a row bound to nothing. Pure: no DOM, unit-tested under Node.
 */

export type EquipmentKind = 'controller' | 'pump' | 'valve' | 'generic';

/** Role of a tag on a faceplate (what the component does with it). */
export type ControllerRole =
  | 'pv'
  | 'sp'
  | 'out'
  | 'dev'
  | 'outdoor'
  | 'auto'
  | 'manOut'
  | 'curveOut1'
  | 'curveSup1'
  | 'curveOut2'
  | 'curveSup2'
  | 'offset'
  | 'kp'
  | 'ti';
export type PumpRole =
  | 'run'
  | 'fault'
  | 'ready'
  | 'auto'
  | 'reset'
  | 'speed'
  | 'freq'
  | 'current'
  | 'power'
  | 'vib'
  | 'tMotor'
  | 'tBearing'
  | 'runHours'
  | 'starts'
  | 'dutySel'
  | 'speedSp'
  | 'vibAlarm'
  | 'faultAlarm';
export type ValveRole = 'out' | 'pos' | 'auto' | 'manOut' | 'devAlarm';

interface RoleTable<R extends string> {
  readonly kind: EquipmentKind;
  /** Signal (tag name without the area) per role; `{eq}` is the equipment, `{n}` its number. */
  readonly roles: Readonly<Record<R, string>>;
  /** Roles whose values are listed as the faceplate's live values, in order. */
  readonly shown: readonly R[];
}

const controller: RoleTable<ControllerRole> = {
  kind: 'controller',
  roles: {
    pv: 'HX.T_SEC_SUP',
    sp: 'HC.T_SP',
    out: 'CV.OUT',
    dev: 'CV.DEV',
    outdoor: 'OUT.T',
    auto: 'CV.AUTO',
    manOut: 'CV.MAN_OUT',
    curveOut1: 'HC.T_OUT_1',
    curveSup1: 'HC.T_SUP_1',
    curveOut2: 'HC.T_OUT_2',
    curveSup2: 'HC.T_SUP_2',
    offset: 'HC.OFFSET',
    kp: 'CV.KP',
    ti: 'CV.TI',
  },
  shown: ['pv', 'sp', 'dev', 'out', 'outdoor', 'auto', 'offset', 'kp', 'ti'],
};

const pump: RoleTable<PumpRole> = {
  kind: 'pump',
  roles: {
    run: '{eq}.RUN',
    fault: '{eq}.FAULT',
    ready: '{eq}.READY',
    auto: '{eq}.AUTO',
    reset: '{eq}.RESET',
    speed: '{eq}.SPEED',
    freq: '{eq}.FREQ',
    current: '{eq}.CURRENT',
    power: '{eq}.POWER',
    vib: '{eq}.VIB',
    tMotor: '{eq}.T_MOTOR',
    tBearing: '{eq}.T_BEARING',
    runHours: '{eq}.RUN_HOURS',
    starts: '{eq}.STARTS',
    dutySel: 'SEC.DUTY_SEL',
    speedSp: 'SEC.SPEED_SP',
    vibAlarm: 'ALM.{eq}_VIB',
    faultAlarm: 'ALM.PUMP_FLT',
  },
  shown: [
    'run',
    'fault',
    'ready',
    'auto',
    'speed',
    'current',
    'power',
    'vib',
    'tMotor',
    'tBearing',
    'runHours',
    'starts',
    'dutySel',
    'speedSp',
  ],
};

const valve: RoleTable<ValveRole> = {
  kind: 'valve',
  roles: { out: 'CV.OUT', pos: 'CV.POS', auto: 'CV.AUTO', manOut: 'CV.MAN_OUT', devAlarm: 'ALM.CV_DEV' },
  shown: ['pos', 'out', 'auto', 'manOut'],
};

/** Equipment part of the key → its table. The controller is the heating-curve loop (HC). */
const tables: Readonly<Record<string, RoleTable<string>>> = {
  HC: controller,
  CV: valve,
  P1: pump,
  P2: pump,
};

export interface EquipmentFaceplateSpec {
  /** `SS01.P1` */
  readonly key: string;
  readonly area: string;
  /** `P1` */
  readonly equipment: string;
  readonly kind: EquipmentKind;
  /** Role → full tag name, only for tags the station serves. */
  readonly tags: Readonly<Record<string, string>>;
  /** The live values to list, in order (full tag names). */
  readonly shown: readonly string[];
  /** Every tag of the equipment (by name prefix) plus the roles': the alarms shown are theirs. */
  readonly related: readonly string[];
}

/** `SS01.P1` → area and equipment; null when the key is not `<area>.<equipment>`. */
export function parseEquipmentKey(key: string): { area: string; equipment: string } | null {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(key);
  return m ? { area: m[1]!, equipment: m[2]! } : null;
}

/**
 * The faceplate of an equipment key given the station's tag names; null for a key that
 * names nothing the station serves.
 */
export function equipmentFaceplate(key: string, tagNames: ReadonlySet<string>): EquipmentFaceplateSpec | null {
  const parsed = parseEquipmentKey(key);
  if (!parsed) return null;
  const { area, equipment } = parsed;
  const prefix = `${key}.`;
  const own = [...tagNames].filter((t) => t.startsWith(prefix)).sort();
  const table = tables[equipment];
  const tags: Record<string, string> = {};
  if (table) {
    for (const [role, pattern] of Object.entries(table.roles)) {
      const name = `${area}.${pattern.replace('{eq}', equipment)}`;
      if (tagNames.has(name)) tags[role] = name;
    }
  }
  if (!table || Object.keys(tags).length === 0) {
    if (own.length === 0) return null;
    return { key, area, equipment, kind: 'generic', tags: {}, shown: own, related: own };
  }
  const shown = table.shown.flatMap((role) => (tags[role] ? [tags[role]] : []));
  const related = [...new Set([...own, ...Object.values(tags)])];
  return { key, area, equipment, kind: table.kind, tags, shown, related };
}

/**
 * The equipment whose faceplate a tag's value opens on a mimic: the controller for the
 * values of the supply-temperature loop, otherwise the tag's own equipment
 * (`SS01.P1.SPEED` → `SS01.P1`). Null for a name that is not `<area>.<equipment>.<signal>`.
 */
export function equipmentKeyForTag(tag: string): string | null {
  const parts = tag.split('.');
  if (parts.length < 3) return null;
  const area = parts[0]!;
  const signal = parts.slice(1).join('.');
  if (controllerSignals.has(signal)) return `${area}.HC`;
  return `${area}.${parts[1]!}`;
}

const controllerSignals = new Set(['HC.T_SP', 'CV.DEV', 'HX.T_SEC_SUP']);

/** Faceplates one step away: the loop's controller and its valve, the other pump of a pair. */
export function relatedFaceplates(
  spec: Pick<EquipmentFaceplateSpec, 'area' | 'equipment' | 'kind'>,
  tagNames: ReadonlySet<string>,
): string[] {
  const candidates: Readonly<Record<string, readonly string[]>> = { HC: ['CV'], CV: ['HC'], P1: ['P2'], P2: ['P1'] };
  return (candidates[spec.equipment] ?? [])
    .map((eq) => `${spec.area}.${eq}`)
    .filter((key) => equipmentFaceplate(key, tagNames) !== null);
}
