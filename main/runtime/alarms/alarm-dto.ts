/** Alarms as they cross the contract. Pure. */
import type { AlarmDefinitionDto, AlarmDto } from '../../../preload/contract.js';
import type { AlarmSnapshot } from './alarm-engine.js';
import type { AlarmDefinition } from './alarm-definitions.js';
import { displayState } from './alarm-state-machine.js';

/** How long an operator has to acknowledge and to resolve an alarm (the plant's response rules). */
export interface ResponseRules {
  readonly ackWithinMs: number;
  readonly resolveWithinMs: number;
}

/** A text with its optional Chinese, without an undefined key (the contract's objects are strict). */
function text(t: AlarmDefinition['message']): AlarmDto['message'];
function text(t: AlarmDefinition['cause']): AlarmDto['message'] | null;
function text(t: AlarmDefinition['cause']): AlarmDto['message'] | null {
  return t === null ? null : t.zh === undefined ? { en: t.en } : { en: t.en, zh: t.zh };
}

/** What names and places an alarm, the same in its live state and its definition. */
function identity(def: AlarmDefinition) {
  return {
    id: def.id,
    source: def.source,
    kind: def.kind,
    priority: def.priority,
    tag: def.tag,
    area: def.area,
    equipment: def.equipment,
    screen: def.screen,
    unit: def.unit,
    message: text(def.message),
  };
}

export function toAlarmDto({ def, state, value, limit }: AlarmSnapshot, rules?: ResponseRules): AlarmDto {
  const core = state.core;
  // Assigned onto the identity object rather than spread into a new one: a flood builds
  // 10,000 of these at once, and the spread made each one an order of magnitude slower.
  return Object.assign(identity(def), {
    device: def.device,
    state: displayState(state),
    active: state.condition,
    latched: (core === 'unack-active' || core === 'ack-active') && !state.condition,
    activeSince: state.activeSince,
    changedAt: state.changedAt,
    ackedBy: state.ackedBy,
    ackedAt: state.ackedAt,
    shelved: state.shelved,
    outOfService: state.outOfService,
    value,
    limit,
    ackDueAt:
      rules && state.activeSince !== null && (core === 'unack-active' || core === 'unack-rtn')
        ? state.activeSince + rules.ackWithinMs
        : null,
    resolveDueAt:
      rules && state.activeSince !== null && (core === 'unack-active' || core === 'ack-active')
        ? state.activeSince + rules.resolveWithinMs
        : null,
  });
}

/** Whether the list shows it at all: anything but plain normal. */
export function isListed(s: AlarmSnapshot): boolean {
  const st = s.state;
  return st.core !== 'normal' || st.shelved !== null || st.suppressed || st.outOfService !== null;
}

export function toDefinitionDto(def: AlarmDefinition): AlarmDefinitionDto {
  const c = def.config;
  return {
    ...identity(def),
    cause: text(def.cause),
    consequence: text(def.consequence),
    action: text(def.action),
    limit: c && 'limit' in c ? c.limit : (def.externalLimit ?? null),
    reference: c && c.kind === 'deviation' ? c.reference : null,
    deadband: c && 'deadband' in c ? c.deadband : null,
    onDelayS: def.onDelayMs / 1000,
    offDelayS: def.offDelayMs / 1000,
    latch: def.latch,
    realarmS: def.realarmMs / 1000,
  };
}
