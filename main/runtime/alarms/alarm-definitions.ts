/**
 * Alarm definitions: what the engine runs, resolved from the project file (one per
 * configured tag alarm, one communication alarm per device) or registered at run time
 * by Argus itself (system), by models (predictive) or by a server (OPC UA conditions).
 * Pure.
 */
import {
  alarmIdSuffix,
  alarmSettingsSchema,
  type AlarmConfig,
  type AlarmPriority,
  type AlarmSettings,
  type SuppressWhen,
} from './alarm-config.js';
import type { ProjectConfig, TagConfig } from '../config/schema.js';
import { areaOfTag } from '../security/permissions.js';

export type AlarmSource = 'tag' | 'device' | 'system' | 'predictive' | 'opcua';

export interface LocalText {
  readonly en: string;
  readonly zh?: string | undefined;
}

export interface AlarmDefinition {
  readonly id: string;
  readonly source: AlarmSource;
  /** The kind of condition: a configured kind, or comm-lost / system / predictive / opcua-condition. */
  readonly kind: string;
  readonly priority: AlarmPriority;
  /** The tag it watches (tag alarms), else null. */
  readonly tag: string | null;
  /** The device (communication alarms, OPC UA conditions). */
  readonly device: string | null;
  readonly area: string | null;
  readonly equipment: string | null;
  readonly screen: string | null;
  readonly unit: string;
  readonly message: LocalText;
  readonly cause: LocalText | null;
  readonly consequence: LocalText | null;
  readonly action: LocalText | null;
  readonly onDelayMs: number;
  readonly offDelayMs: number;
  readonly latch: boolean;
  readonly realarmMs: number;
  /** The configured alarm (tag alarms), for the condition and limit changes. */
  readonly config: AlarmConfig | null;
  readonly suppressWhen: SuppressWhen | null;
  /** The watched tag's physical range (default for range alarms). */
  readonly tagRange: readonly [number, number] | undefined;
  /** The limit of an alarm raised by code (a model's threshold), for lists and journal. */
  readonly externalLimit?: number | null;
}

const kindWords: Record<AlarmConfig['kind'], { en: string; zh: string }> = {
  'high-high': { en: 'high-high', zh: '高高限' },
  high: { en: 'high', zh: '高限' },
  low: { en: 'low', zh: '低限' },
  'low-low': { en: 'low-low', zh: '低低限' },
  deviation: { en: 'deviation', zh: '偏差' },
  rate: { en: 'changing too fast', zh: '变化过快' },
  state: { en: 'alarm state', zh: '报警状态' },
  frozen: { en: 'frozen value (sensor?)', zh: '数值冻结(传感器?)' },
  jump: { en: 'implausible jump (sensor?)', zh: '数值跳变(传感器?)' },
  range: { en: 'outside physical range (sensor?)', zh: '超出物理量程(传感器?)' },
};

export function alarmIdOf(tag: string, config: AlarmConfig): string {
  return config.id ?? `${tag}.${alarmIdSuffix[config.kind]}`;
}

function defaultMessage(tag: TagConfig, config: AlarmConfig): LocalText {
  const words = kindWords[config.kind];
  const limit = 'limit' in config && config.kind !== 'rate' ? ` ${config.limit} ${tag.unit}`.trimEnd() : '';
  return {
    en: `${tag.description.en} ${words.en}${limit}`,
    zh: `${tag.description.zh ?? tag.description.en}${words.zh}${limit}`,
  };
}

function equipmentOf(name: string): string | null {
  const parts = name.split('.');
  return parts.length >= 3 ? parts[1]! : null;
}

export function tagAlarmDefinition(tag: TagConfig, config: AlarmConfig): AlarmDefinition {
  return {
    id: alarmIdOf(tag.name, config),
    source: 'tag',
    kind: config.kind,
    priority: config.priority,
    tag: tag.name,
    device: tag.device,
    area: areaOfTag(tag.name),
    equipment: config.equipment ?? equipmentOf(tag.name),
    screen: config.screen ?? null,
    unit: tag.unit,
    message: config.message ?? defaultMessage(tag, config),
    cause: config.cause ?? null,
    consequence: config.consequence ?? null,
    action: config.action ?? null,
    onDelayMs: config.onDelayS * 1000,
    offDelayMs: config.offDelayS * 1000,
    latch: config.latch,
    realarmMs: config.realarmS * 1000,
    config,
    suppressWhen: config.suppressWhen ?? null,
    tagRange: tag.range,
  };
}

/** A device's communication alarm; its area is the area most of its tags are in. */
export function commLostDefinition(
  device: string,
  deviceTags: readonly string[],
  settings: AlarmSettings,
): AlarmDefinition | null {
  if (settings.commLostPriority === 'off') return null;
  const areas = new Map<string, number>();
  for (const t of deviceTags) {
    const a = areaOfTag(t);
    if (a) areas.set(a, (areas.get(a) ?? 0) + 1);
  }
  const area = [...areas.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    id: `${area ?? 'STATION'}.${device.replace(/[^A-Za-z0-9_]/g, '_')}.COMM`,
    source: 'device',
    kind: 'comm-lost',
    priority: settings.commLostPriority,
    tag: null,
    device,
    area,
    equipment: device,
    screen: 'devices',
    unit: '',
    message: { en: `Communication lost: ${device}`, zh: `通讯中断:${device}` },
    cause: {
      en: 'The device does not answer: network, power, or the device itself.',
      zh: '设备无应答:网络、电源或设备本身故障。',
    },
    consequence: {
      en: `Values of the ${deviceTags.length} tags of ${device} are not current; no control from this console.`,
      zh: `${device} 的 ${deviceTags.length} 个点的数值不再更新;无法从本控制台操作。`,
    },
    action: {
      en: 'Check the device panel for the last error; check cable, switch and the PLC.',
      zh: '查看设备面板中的最后错误;检查网线、交换机和PLC。',
    },
    onDelayMs: settings.commLostDelayS * 1000,
    offDelayMs: 0,
    latch: false,
    realarmMs: 0,
    config: null,
    suppressWhen: null,
    tagRange: undefined,
  };
}

/** Every definition the project file gives (tag alarms and device communication alarms). */
export function projectAlarmDefinitions(project: ProjectConfig): AlarmDefinition[] {
  const settings = project.alarmSettings ?? alarmSettingsSchema.parse({});
  const definitions: AlarmDefinition[] = [];
  for (const tag of project.tags)
    for (const config of tag.alarms ?? []) definitions.push(tagAlarmDefinition(tag, config));
  for (const device of project.devices) {
    const def = commLostDefinition(
      device.name,
      project.tags.filter((t) => t.device === device.name).map((t) => t.name),
      settings,
    );
    if (def) definitions.push(def);
  }
  return definitions;
}

/** A definition for alarms raised by code rather than configured on a tag (system, predictive, OPC UA). */
export function externalDefinition(input: {
  id: string;
  source: 'system' | 'predictive' | 'opcua';
  kind: string;
  priority: AlarmPriority;
  message: LocalText;
  area?: string | null;
  equipment?: string | null;
  device?: string | null;
  tag?: string | null;
  screen?: string | null;
  unit?: string;
  cause?: LocalText | null;
  consequence?: LocalText | null;
  action?: LocalText | null;
  latch?: boolean;
  limit?: number | null;
}): AlarmDefinition {
  return {
    id: input.id,
    source: input.source,
    kind: input.kind,
    priority: input.priority,
    tag: input.tag ?? null,
    device: input.device ?? null,
    area: input.area ?? null,
    equipment: input.equipment ?? null,
    screen: input.screen ?? null,
    unit: input.unit ?? '',
    message: input.message,
    cause: input.cause ?? null,
    consequence: input.consequence ?? null,
    action: input.action ?? null,
    onDelayMs: 0,
    offDelayMs: 0,
    latch: input.latch ?? false,
    realarmMs: 0,
    config: null,
    suppressWhen: null,
    tagRange: undefined,
    externalLimit: input.limit ?? null,
  };
}
