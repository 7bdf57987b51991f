/**
 * OPC UA Alarms & Conditions (Part 9) for a device whose project entry says `conditions: true`:
 * an event monitored item on the driver's subscription (the Server object, or the configured
 * notifiers) selecting the fields an alarm list needs, ConditionRefresh after every connection
 * and repair so the conditions that stand now arrive, and Acknowledge on a condition.
 *
 * `decodeConditionEvent` and `ConditionTracker` are pure: fields in, updates out. A refresh is
 * bracketed by RefreshStart/RefreshEnd events; a condition this client knew that the refresh
 * does not report again is no longer interesting at the server (inactive and acknowledged while
 * the connection was down), and is reported as such.
 */
import {
  AttributeIds,
  DataType,
  EventFilter,
  LocalizedText,
  NodeId,
  QualifiedName,
  SimpleAttributeOperand,
  TimestampsToReturn,
  Variant,
  resolveNodeId,
  type ClientMonitoredItem,
  type ClientSession,
  type ClientSubscription,
} from 'node-opcua';
import { silentLogger, type Disposer, type DriverLogger } from '../driver.js';
import { statusName } from './samples.js';

/** One state of one condition, as the server reported it. */
export interface ConditionUpdate {
  readonly device: string;
  /** NodeId of the condition instance (the ConditionId field), e.g. "ns=1;s=SS01.ALM.P_LO.Alarm". */
  readonly conditionId: string;
  /** The EventId of this report, hex; Acknowledge names it. */
  readonly eventId: string;
  readonly conditionName: string;
  readonly sourceName: string;
  readonly message: string;
  /** 1 (lowest) … 1000 (highest). */
  readonly severity: number;
  readonly active: boolean;
  readonly acked: boolean;
  readonly retain: boolean;
  /** When the state changed at the source, ms since epoch. */
  readonly time: number;
  /** Non-null for a previous state the server keeps in a branch. */
  readonly branchId: string | null;
  /** Reported by a ConditionRefresh (the state now), not as news. */
  readonly refresh: boolean;
}

/** Well-known node ids (Part 5 / Part 9). */
export const SERVER_OBJECT = 'ns=0;i=2253';
const BASE_EVENT_TYPE = 'ns=0;i=2041';
const CONDITION_TYPE = 'ns=0;i=2782';
const ACKNOWLEDGEABLE_CONDITION_TYPE = 'ns=0;i=2881';
const ALARM_CONDITION_TYPE = 'ns=0;i=2915';
const CONDITION_REFRESH = 'ns=0;i=3875';
const ACKNOWLEDGE = 'ns=0;i=9111';
const REFRESH_START_EVENT_TYPE = 'ns=0;i=2787';
const REFRESH_END_EVENT_TYPE = 'ns=0;i=2788';

/** The select clause, in the order `decodeConditionEvent` reads it. Each field from the type that defines it. */
const SELECTED: ReadonlyArray<readonly [type: string, path: readonly string[]]> = [
  [BASE_EVENT_TYPE, ['EventId']],
  [BASE_EVENT_TYPE, ['EventType']],
  [CONDITION_TYPE, []], // ConditionId: the NodeId attribute of the condition itself
  [BASE_EVENT_TYPE, ['SourceName']],
  [BASE_EVENT_TYPE, ['Time']],
  [BASE_EVENT_TYPE, ['Message']],
  [BASE_EVENT_TYPE, ['Severity']],
  [CONDITION_TYPE, ['ConditionName']],
  [CONDITION_TYPE, ['BranchId']],
  [CONDITION_TYPE, ['Retain']],
  [ALARM_CONDITION_TYPE, ['ActiveState', 'Id']],
  [ACKNOWLEDGEABLE_CONDITION_TYPE, ['AckedState', 'Id']],
];

export function conditionEventFilter(): EventFilter {
  return new EventFilter({
    selectClauses: SELECTED.map(
      ([type, path]) =>
        new SimpleAttributeOperand({
          typeDefinitionId: resolveNodeId(type),
          browsePath: path.length === 0 ? null : path.map((name) => new QualifiedName({ namespaceIndex: 0, name })),
          attributeId: path.length === 0 ? AttributeIds.NodeId : AttributeIds.Value,
        }),
    ),
  });
}

export type ConditionEvent =
  | { readonly kind: 'refresh-start' }
  | { readonly kind: 'refresh-end' }
  | { readonly kind: 'condition'; readonly update: Omit<ConditionUpdate, 'device' | 'refresh'> }
  | { readonly kind: 'other' };

function nodeIdText(v: Variant | undefined): string | null {
  const id: unknown = v?.value;
  if (!(id instanceof NodeId) || id.isEmpty()) return null;
  return id.toString();
}

function text(v: Variant | undefined): string {
  const value: unknown = v?.value;
  if (value instanceof LocalizedText) return value.text ?? '';
  if (value instanceof QualifiedName) return value.name ?? '';
  return typeof value === 'string' ? value : '';
}

/** One event's fields (in `conditionEventFilter` order) as a condition state, a refresh bracket, or something else. */
export function decodeConditionEvent(fields: readonly Variant[], now: number): ConditionEvent {
  const eventType = nodeIdText(fields[1]);
  if (eventType === REFRESH_START_EVENT_TYPE) return { kind: 'refresh-start' };
  if (eventType === REFRESH_END_EVENT_TYPE) return { kind: 'refresh-end' };
  const conditionId = nodeIdText(fields[2]);
  const eventId: unknown = fields[0]?.value;
  const active: unknown = fields[10]?.value;
  const acked: unknown = fields[11]?.value;
  if (!conditionId || !Buffer.isBuffer(eventId) || typeof acked !== 'boolean') return { kind: 'other' };
  const time: unknown = fields[4]?.value;
  const severity: unknown = fields[6]?.value;
  const retain: unknown = fields[9]?.value;
  return {
    kind: 'condition',
    update: {
      conditionId,
      eventId: eventId.toString('hex'),
      conditionName: text(fields[7]) || conditionId,
      sourceName: text(fields[3]),
      message: text(fields[5]),
      severity: typeof severity === 'number' ? severity : 0,
      // An acknowledgeable condition that is not an alarm has no ActiveState: it stands while retained.
      active: typeof active === 'boolean' ? active : retain === true,
      acked,
      retain: retain === true,
      time: time instanceof Date && time.getTime() > 0 ? time.getTime() : now,
      branchId: nodeIdText(fields[8]),
    },
  };
}

/**
 * The conditions one client knows, and what a refresh changes. A condition that is inactive,
 * acknowledged and not retained is finished: it is reported once and forgotten.
 */
export class ConditionTracker {
  private readonly known = new Map<string, ConditionUpdate>();
  private refreshing: Set<string> | null = null;

  constructor(private readonly device: string) {}

  /** Updates to hand on for one decoded event. */
  apply(event: ConditionEvent): ConditionUpdate[] {
    switch (event.kind) {
      case 'refresh-start':
        this.refreshing = new Set();
        return [];
      case 'refresh-end': {
        const seen = this.refreshing;
        this.refreshing = null;
        if (!seen) return [];
        const gone: ConditionUpdate[] = [];
        for (const [key, last] of this.known) {
          if (seen.has(key)) continue;
          this.known.delete(key);
          if (last.active || !last.acked)
            gone.push({ ...last, active: false, acked: true, retain: false, refresh: true });
        }
        return gone;
      }
      case 'other':
        return [];
      case 'condition': {
        const update: ConditionUpdate = { ...event.update, device: this.device, refresh: this.refreshing !== null };
        const key = keyOf(update);
        this.refreshing?.add(key);
        if (!update.active && update.acked && !update.retain) this.known.delete(key);
        else this.known.set(key, update);
        return [update];
      }
    }
  }

  /** The last report of a condition's main branch. */
  last(conditionId: string): ConditionUpdate | undefined {
    return this.known.get(conditionId);
  }
}

function keyOf(u: ConditionUpdate): string {
  return u.branchId ? `${u.conditionId}#${u.branchId}` : u.conditionId;
}

export interface ConditionMonitorOptions {
  /** Objects whose events to subscribe to; default the Server object. */
  readonly notifiers?: readonly string[];
  readonly log?: DriverLogger;
  readonly now?: () => number;
}

/**
 * The Alarms & Conditions side of one OPC UA driver. The driver calls `attach` when a session
 * and subscription are ready (new, or repaired); `session` gives the live session or null.
 */
export class OpcuaConditionMonitor {
  private readonly listeners = new Set<(update: ConditionUpdate) => void>();
  private readonly tracker: ConditionTracker;
  private readonly notifiers: readonly string[];
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private monitored: ClientSubscription | null = null;
  private items: ClientMonitoredItem[] = [];

  constructor(
    readonly device: string,
    private readonly session: () => ClientSession | null,
    options: ConditionMonitorOptions = {},
  ) {
    this.tracker = new ConditionTracker(device);
    this.notifiers = options.notifiers && options.notifiers.length > 0 ? options.notifiers : [SERVER_OBJECT];
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  onCondition(listener: (update: ConditionUpdate) => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last state reported for a condition (main branch). */
  last(conditionId: string): ConditionUpdate | undefined {
    return this.tracker.last(conditionId);
  }

  /**
   * A session and subscription are ready: monitor events on a subscription not seen before
   * (a repaired one keeps its items), then ask for the conditions that stand now.
   */
  async attach(session: ClientSession, subscription: ClientSubscription): Promise<void> {
    try {
      if (subscription !== this.monitored) {
        this.monitored = subscription;
        this.items = [];
        for (const notifier of this.notifiers) {
          const item = await subscription.monitor(
            { nodeId: resolveNodeId(notifier), attributeId: AttributeIds.EventNotifier },
            { samplingInterval: 0, queueSize: 10_000, discardOldest: false, filter: conditionEventFilter() },
            TimestampsToReturn.Neither,
          );
          if (item.statusCode.value >>> 30 !== 0) {
            this.log.warn(
              { notifier, status: statusName(item.statusCode) },
              'OPC UA events cannot be monitored on this notifier',
            );
            continue;
          }
          item.on('changed', (fields: Variant[] | unknown) => {
            if (Array.isArray(fields)) this.onEvent(fields as Variant[]);
          });
          this.items.push(item);
        }
      }
      if (this.items.length === 0) return;
      const result = await session.call({
        objectId: resolveNodeId(CONDITION_TYPE),
        methodId: resolveNodeId(CONDITION_REFRESH),
        inputArguments: [new Variant({ dataType: DataType.UInt32, value: subscription.subscriptionId })],
      });
      if (result.statusCode.value >>> 30 !== 0)
        this.log.warn({ status: statusName(result.statusCode) }, 'OPC UA ConditionRefresh refused');
    } catch (err) {
      this.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'OPC UA alarm conditions could not be subscribed or refreshed',
      );
    }
  }

  /** Acknowledge a condition state (the EventId of its report) at the server; throws with the server's status name. */
  async acknowledge(conditionId: string, eventId: string, comment: string): Promise<void> {
    const session = this.session();
    if (!session) throw new Error(`${this.device} is not connected`);
    const result = await session.call({
      objectId: resolveNodeId(conditionId),
      methodId: resolveNodeId(ACKNOWLEDGE),
      inputArguments: [
        new Variant({ dataType: DataType.ByteString, value: Buffer.from(eventId, 'hex') }),
        new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ text: comment }) }),
      ],
    });
    if (result.statusCode.value >>> 30 !== 0)
      throw new Error(`${statusName(result.statusCode)} acknowledging ${conditionId} on ${this.device}`);
  }

  private onEvent(fields: readonly Variant[]): void {
    const updates = this.tracker.apply(decodeConditionEvent(fields, this.now()));
    for (const update of updates) for (const listener of this.listeners) listener(update);
  }
}
