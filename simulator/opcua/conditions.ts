/**
 * The alarm word as OPC UA Alarms & Conditions (Part 9): one AlarmConditionType instance per
 * alarm bit and substation, Objects/SSkk/ALM/<bit>Alarm, ConditionName "SSkk.ALM.<bit>", its
 * source and InputNode the bit's variable. The substation folder is an event notifier of the
 * Server object with the bits as its event sources, so a client subscribed to events on the
 * Server object (or on the substation) sees them, and ConditionRefresh finds them.
 *
 * The physics sets the bits; after every step a bit that changed activates or deactivates its
 * condition (one event each). Acknowledge is node-opcua's own method. Retain follows Part 9: true
 * while the condition is active or unacknowledged, false once it is both inactive and acknowledged.
 * No branches: a condition that clears unacknowledged stays one condition, inactive and
 * unacknowledged, until someone acknowledges it.
 */
import {
  LocalizedText,
  StatusCodes,
  type AddressSpace,
  type Namespace,
  type UAAlarmConditionEx,
  type UAObject,
  type UAVariable,
} from 'node-opcua';
import type { TagDefinition } from '../catalog.js';
import type { Substation } from '../physics/substation.js';

export interface AlarmBit {
  readonly definition: TagDefinition;
  readonly variable: UAVariable;
  /** The equipment folder the condition is placed in (ALM). */
  readonly folder: UAObject;
}

/** Conditions of one substation, brought in step with its alarm bits by `update()`. */
export interface SubstationConditions {
  update(): void;
  readonly conditions: ReadonlyMap<string, UAAlarmConditionEx>;
}

const DEFAULT_SEVERITY = 500;

export function publishAlarmConditions(
  addressSpace: AddressSpace,
  namespace: Namespace,
  stationFolder: UAObject,
  prefix: string,
  substation: Substation,
  bits: readonly AlarmBit[],
): SubstationConditions {
  const server = addressSpace.rootFolder.objects.server;
  // Server ─HasNotifier→ SSkk (an area, notifying) ─HasEventSource→ each alarm bit (the condition's source).
  stationFolder.setEventNotifier(1);
  server.addReference({ referenceType: 'HasNotifier', isForward: true, nodeId: stationFolder.nodeId });
  const alarmType = addressSpace.findEventType('AlarmConditionType');
  if (!alarmType) throw new Error('the OPC UA address space has no AlarmConditionType');

  const conditions = new Map<string, UAAlarmConditionEx>();
  const entries = bits.map(({ definition, variable, folder }) => {
    const name = `${prefix}.${definition.signal}`;
    const bit = definition.signal.slice(definition.equipment.length + 1);
    stationFolder.addReference({ referenceType: 'HasEventSource', isForward: true, nodeId: variable.nodeId });
    const condition = namespace.instantiateAlarmCondition(alarmType, {
      browseName: `${bit}Alarm`,
      nodeId: `s=${name}.Alarm`,
      componentOf: folder,
      conditionSource: variable,
      conditionName: name,
      inputNode: variable,
      optionals: [],
    });
    condition.currentBranch().setRetain(false);
    // node-opcua clears Retain on acknowledgement; an acknowledged alarm that is still active
    // keeps it (Part 9), so ConditionRefresh still reports it.
    condition.on('acknowledged', () => {
      if (condition.currentBranch().getActiveState()) condition.currentBranch().setRetain(true);
    });
    conditions.set(name, condition);
    return { definition, condition, active: false };
  });

  const update = (): void => {
    for (const entry of entries) {
      const active = Boolean(entry.definition.read(substation));
      if (active === entry.active) continue;
      entry.active = active;
      const branch = entry.condition.currentBranch();
      const severity = entry.definition.severity ?? DEFAULT_SEVERITY;
      const text = entry.definition.description.en;
      if (active) {
        branch.setActiveState(true);
        branch.setAckedState(false);
        entry.condition.raiseNewCondition({
          message: new LocalizedText({ text, locale: 'en' }),
          severity,
          quality: StatusCodes.Good,
          retain: true,
        });
      } else {
        branch.setActiveState(false);
        entry.condition.raiseNewCondition({
          message: new LocalizedText({ text: `${text}: back to normal`, locale: 'en' }),
          severity,
          quality: StatusCodes.Good,
          retain: !branch.getAckedState(),
        });
      }
    }
  };
  update();
  return { update, conditions };
}
