/**
 * Alarms for the console's end-to-end tests and its alarm benchmark: a few rationalized
 * alarms on the demo plant's pressure, level and vibration tags (used when the demo
 * project has none of its own), and a flood project of many alarms on simulator tags.
 */
import type { ProjectConfig } from '../../main/runtime/config/schema.js';

type TagConfig = ProjectConfig['tags'][number];
type AlarmConfig = NonNullable<TagConfig['alarms']>[number];

const text = (en: string, zh?: string) => (zh ? { en, zh } : { en });

/** Alarms added per tag when the demo project defines none. */
const devAlarms: Readonly<Record<string, readonly AlarmConfig[]>> = {
  'SS01.SEC.P_RET': [
    {
      kind: 'low',
      limit: 1.7,
      deadband: 0.05,
      priority: 'low',
      onDelayS: 2,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('Secondary return pressure low', '二次回水压力低'),
      cause: text('Water lost from the secondary circuit (a leak) faster than the make-up pump replaces it.'),
      consequence: text('Pumps cavitate and buildings lose heat when the pressure falls further.'),
      action: text(
        'Check make-up pump running and make-up flow; look for a leak (wet floors, relief valve); call the maintenance crew.',
      ),
      screen: 'overview',
    },
    {
      kind: 'low-low',
      limit: 1.2,
      deadband: 0.05,
      priority: 'high',
      onDelayS: 2,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('Secondary return pressure very low', '二次回水压力过低'),
      cause: text('A large leak in the secondary circuit.'),
      consequence: text('Circulation pumps trip on low suction pressure within minutes.'),
      action: text('Isolate the leaking branch; start the standby make-up supply; inform the shift engineer.'),
      screen: 'overview',
    },
  ],
  'SS01.SEC.P_SUP': [
    {
      kind: 'low',
      limit: 2.9,
      deadband: 0.05,
      priority: 'medium',
      onDelayS: 2,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('Secondary supply pressure low', '二次供水压力低'),
      cause: text('Leak, or the circulation pump is slowing down.'),
      consequence: text('Far buildings get too little flow.'),
      action: text('Compare pump speed and make-up flow; look for a leak.'),
    },
  ],
  'SS01.ALM.P_LO': [
    {
      kind: 'state',
      value: true,
      priority: 'high',
      onDelayS: 0,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('PLC: secondary pressure low', 'PLC:二次侧压力低'),
      cause: text("The PLC's own low-pressure switch tripped."),
      consequence: text('The PLC stops the circulation pumps if it persists.'),
      action: text('Restore pressure: make-up pump, leak search; then reset at the PLC.'),
      screen: 'overview',
    },
  ],
  'SS01.P1.VIB': [
    {
      kind: 'high',
      limit: 7.1,
      deadband: 0.2,
      priority: 'medium',
      onDelayS: 5,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('Pump P1 vibration high', '1号泵振动高'),
      cause: text('Bearing wear or cavitation.'),
      consequence: text('The pump trips at 11.2 mm/s; bearing damage.'),
      action: text('Switch duty to P2 and call maintenance.'),
      screen: 'pump-1',
    },
  ],
  'SS01.EXP.LEVEL': [
    {
      kind: 'low',
      limit: 10,
      deadband: 1,
      priority: 'low',
      onDelayS: 5,
      offDelayS: 0,
      latch: false,
      realarmS: 0,
      message: text('Expansion tank level low', '膨胀罐液位低'),
      cause: text('Water lost from the circuit or the tank pre-charge is wrong.'),
      consequence: text('Pressure swings as the water heats and cools.'),
      action: text('Check make-up and the tank pre-charge pressure.'),
    },
  ],
};

/** The project with the development alarms added, unless it already has alarms of its own. */
export function withDevAlarms(project: ProjectConfig): ProjectConfig {
  if (project.tags.some((t) => (t.alarms?.length ?? 0) > 0)) return project;
  return {
    ...project,
    tags: project.tags.map((t) => (devAlarms[t.name] ? { ...t, alarms: [...devAlarms[t.name]!] } : t)),
  };
}

/** Tags whose alarms the secondary-leak fault raises. */
export const LEAK_ALARM_TAGS = ['SS01.SEC.P_RET', 'SS01.SEC.P_SUP', 'SS01.ALM.P_LO'] as const;

/**
 * A flood: `count` high alarms spread over the project's analog tags (or those of `onTags`), each with a limit
 * below the tag's value range so it is active as soon as the first sample arrives (every
 * alarm is a real alarm of the engine, counted in its list). Existing alarms are dropped.
 */
export function withFloodAlarms(project: ProjectConfig, count: number, onTags?: readonly string[]): ProjectConfig {
  const analog = project.tags.filter(
    (t) => t.kind === 'analog' && Array.isArray(t.range) && (!onTags || onTags.includes(t.name)),
  );
  if (analog.length === 0) throw new Error('the project has no analog tag with a range to raise a flood on');
  const perTag = Math.ceil(count / analog.length);
  const prios = ['low', 'low', 'low', 'low', 'medium', 'medium', 'high', 'critical'] as const;
  let made = 0;
  const tags = project.tags.map((t) => {
    const rest = { ...t };
    delete rest.alarms;
    if (!analog.includes(t) || made >= count) return rest as TagConfig;
    const low = (t.range as [number, number])[0];
    const list: AlarmConfig[] = [];
    for (let i = 0; i < perTag && made < count; i++, made++) {
      list.push({
        kind: 'high',
        id: `${t.name}.FLOOD${String(i).padStart(4, '0')}`,
        limit: low - 1 - i,
        deadband: 0,
        priority: prios[made % prios.length]!,
        onDelayS: 0,
        offDelayS: 0,
        latch: false,
        realarmS: 0,
        message: text(`${t.description.en}: flood alarm ${i}`),
      } as AlarmConfig);
    }
    return { ...rest, alarms: list } as TagConfig;
  });
  return { ...project, tags };
}
