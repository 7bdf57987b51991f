/**
 * OPC UA alarm conditions in the alarm list: each condition a device's server reports becomes
 * an external alarm `<area>.<device>.<ConditionName>` (the area prefix not repeated), its
 * priority from the OPC UA severity. The server owns the state: active and acknowledged follow
 * its reports, an acknowledgement made at the server (another client, the panel) is taken over
 * here by `opcua:<device>`, and an operator's acknowledgement in Argus calls the condition's
 * Acknowledge method first (refused here when the server refuses).
 *
 * Previous states a server keeps in branches are not separate alarms: the main branch is.
 */
import type { Disposer } from '../../../protocols/driver.js';
import type { ConditionUpdate } from '../../../protocols/opcua/conditions.js';
import type { Logger } from '../logging/logger.js';
import { areaOfTag } from '../security/permissions.js';
import type { AlarmPriority } from './alarm-config.js';
import { externalDefinition } from './alarm-definitions.js';
import type { AlarmService, ExternalAcknowledger } from './alarm-service.js';
import { isUnacknowledged } from './alarm-state-machine.js';

/** One OPC UA device with Alarms & Conditions on. */
export interface ConditionFeed {
  readonly device: string;
  /** The device's tags: their area is the conditions' area unless a condition names its own. */
  readonly tags: readonly string[];
  onCondition(listener: (update: ConditionUpdate) => void): Disposer;
  acknowledge(conditionId: string, eventId: string, comment: string): Promise<void>;
}

export type ConditionAlarms = Pick<
  AlarmService,
  'defineExternal' | 'setExternal' | 'acknowledge' | 'definition' | 'engine'
>;

/** OPC UA severity (1–1000) to an alarm priority. */
export function priorityOfSeverity(severity: number): AlarmPriority {
  if (severity >= 801) return 'critical';
  if (severity >= 601) return 'high';
  if (severity >= 401) return 'medium';
  if (severity >= 201) return 'low';
  return 'diagnostic';
}

/** The area most of the tags are in, or null. */
export function majorityArea(tags: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const t of tags) {
    const a = areaOfTag(t);
    if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Where a condition belongs: an area of the device its name (or source) starts with, else the device's own area. */
export function conditionArea(
  update: Pick<ConditionUpdate, 'conditionName' | 'sourceName'>,
  areas: ReadonlySet<string>,
  fallback: string | null,
): string | null {
  for (const name of [update.conditionName, update.sourceName]) {
    const a = areaOfTag(name);
    if (a && areas.has(a)) return a;
  }
  return fallback;
}

export function conditionAlarmId(area: string | null, device: string, conditionName: string): string {
  const name = area && conditionName.startsWith(`${area}.`) ? conditionName.slice(area.length + 1) : conditionName;
  return `${area ?? 'STATION'}.${device.replace(/[^A-Za-z0-9_]/g, '_')}.${name}`;
}

/** The user an acknowledgement made at the server is recorded under. */
export function serverUser(device: string): string {
  return `opcua:${device}`;
}

export function bindOpcuaConditions(alarms: ConditionAlarms, feeds: readonly ConditionFeed[], log: Logger): Disposer {
  const disposers = feeds.map((feed) => bindFeed(alarms, feed, log));
  return () => {
    for (const dispose of disposers) dispose();
  };
}

function bindFeed(alarms: ConditionAlarms, feed: ConditionFeed, log: Logger): Disposer {
  const areas = new Set(feed.tags.map(areaOfTag).filter((a): a is string => a !== null));
  const deviceArea = majorityArea(feed.tags);
  const byServer = serverUser(feed.device);
  /** Last main-branch report per alarm id. */
  const last = new Map<string, ConditionUpdate>();
  /** Argus acknowledgements on their way to the server: the server's echo is theirs, not the server's own. */
  const inFlight = new Set<string>();

  const takeOver = (id: string): void => {
    const state = alarms.engine.get(id)?.state;
    if (!last.get(id)?.acked || !state || !isUnacknowledged(state) || inFlight.has(id)) return;
    void alarms.acknowledge([id], byServer, null).then(
      ({ refused }) => {
        if (refused.length > 0)
          log.debug({ id, reason: refused[0]!.reason }, 'acknowledgement at the server not taken over');
      },
      (err: unknown) => log.warn({ err, id }, 'acknowledgement at the server not taken over'),
    );
  };

  const acknowledgeAtServer: ExternalAcknowledger = async (id, user, comment) => {
    if (user === byServer) return; // the server reported it acknowledged: nothing to send back
    const report = last.get(id);
    if (!report) throw new Error(`${feed.device} has not reported ${id}`);
    if (report.acked) return;
    inFlight.add(id);
    try {
      await feed.acknowledge(
        report.conditionId,
        report.eventId,
        comment ? `${user}: ${comment}` : `acknowledged in Argus by ${user}`,
      );
    } catch (err) {
      inFlight.delete(id);
      takeOver(id); // refused here, but the server may have it acknowledged meanwhile
      throw err;
    }
    // The alarm service records this user's acknowledgement next; an echo after this is a no-op.
    inFlight.delete(id);
  };

  return feed.onCondition((update) => {
    if (update.branchId !== null) return;
    const area = conditionArea(update, areas, deviceArea);
    const id = conditionAlarmId(area, feed.device, update.conditionName);
    const seen = last.has(id);
    last.set(id, update);
    const priority = priorityOfSeverity(update.severity);
    const def = alarms.definition(id);
    // The text of the activation names the alarm; a return-to-normal text does not replace it.
    if (!seen || !def || (update.active && (def.message.en !== update.message || def.priority !== priority))) {
      alarms.defineExternal(
        externalDefinition({
          id,
          source: 'opcua',
          kind: 'opcua-condition',
          priority,
          message: { en: update.message || update.conditionName },
          area,
          equipment: update.sourceName.replace(/^\d+:/, '') || null,
          device: feed.device,
        }),
        acknowledgeAtServer,
      );
    }
    alarms.setExternal(id, update.active, null);
    if (update.acked) takeOver(id);
  });
}
