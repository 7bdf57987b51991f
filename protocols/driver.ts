/**
 * The one interface every protocol driver implements, and the sample/quality
 * vocabulary that flows out of it. Nothing here does I/O.
 *
 * A driver turns PLC traffic into samples. It never throws for a bad point:
 * a point that cannot be read is a sample with Bad quality and a reason that
 * names the device, the address and what came back.
 */

export type QualityCode = 'Good' | 'Uncertain' | 'Bad';

export interface Quality {
  readonly code: QualityCode;
  /** Why the quality is not Good, e.g. "communication lost: SS01-PLC connect ECONNREFUSED 127.0.0.1:5020". */
  readonly reason?: string;
}

export type TagValue = number | boolean | string | null;

export interface Sample {
  readonly tag: string;
  /** The last value the device gave; null when no value was ever received. */
  readonly value: TagValue;
  readonly quality: Quality;
  /** When the device says the value was sampled (ms since epoch); the read time when the device gives none. */
  readonly sourceTime: number;
  /** When this process received it (ms since epoch). */
  readonly receiveTime: number;
}

export const GOOD: Quality = Object.freeze({ code: 'Good' });

export function bad(reason: string): Quality {
  return { code: 'Bad', reason };
}

export function uncertain(reason: string): Quality {
  return { code: 'Uncertain', reason };
}

export type DeviceState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export type DriverProtocol = 'modbus-tcp' | 'modbus-rtu' | 'opcua';

export interface DeviceStatus {
  readonly device: string;
  readonly protocol: DriverProtocol;
  /** Where the device is, for people: "127.0.0.1:5020", "opc.tcp://host:4840". */
  readonly endpoint: string;
  readonly state: DeviceState;
  /** When the device entered this state (ms since epoch). */
  readonly since: number;
  readonly lastError?: string;
  /** Protocol-specific counters for the device status panel (requests, errors, round-trip times …). */
  readonly diagnostics: Readonly<Record<string, number | string>>;
}

/** A tag as a driver sees it: the name plus the protocol-specific address configuration. */
export interface DriverTag<Address> {
  readonly name: string;
  readonly address: Address;
  /** How often the tag should be read or sampled, in ms. */
  readonly intervalMs: number;
}

export type WriteOutcome =
  | { readonly ok: true; readonly confirmed: boolean; readonly readBack?: TagValue }
  | { readonly ok: false; readonly reason: string };

export type Disposer = () => void;

export interface Driver<Address = unknown> {
  readonly device: string;
  /**
   * Start talking to the device. Resolves once the first attempt is made; a device that
   * cannot be reached is not an error here: the driver keeps retrying with back-off and
   * reports Bad samples and status events meanwhile.
   */
  connect(): Promise<void>;
  /** Register tags to read; samples arrive in batches. Call before or after connect. */
  subscribe(tags: readonly DriverTag<Address>[], onSamples: (samples: readonly Sample[]) => void): Disposer;
  write(tag: string, value: TagValue): Promise<WriteOutcome>;
  /** Stop polling, close the connection, and mark the device stopped. Idempotent. */
  close(): Promise<void>;
  status(): DeviceStatus;
  onStatus(listener: (status: DeviceStatus) => void): Disposer;
}

/** One node of a device's address space, as a tag picker lists it. */
export interface BrowseEntry {
  /** Node id as the project file writes it, e.g. "ns=1;s=SS01.HX.T_SEC_SUP". */
  readonly nodeId: string;
  /** "1:T_SEC_SUP" (namespace index and name). */
  readonly browseName: string;
  readonly displayName: string;
  /** "Object" | "Variable" | "Method" | "ObjectType" | … */
  readonly nodeClass: string;
  /** Variables only: the data type's name ("Double", "Int16", or a server type's browse name). */
  readonly dataType?: string;
  /** Variables only: display name of the EngineeringUnits property ("°C"), when the node has one. */
  readonly engineeringUnit?: string;
  /** Variables only: whether the current user may write the value. */
  readonly writable?: boolean;
  /** Variables only: scalar (-1) or array (≥ 1) value rank. */
  readonly valueRank?: number;
}

/**
 * What some drivers can do beyond reading and writing. The runtime asks for a capability
 * with the guards below, never by the driver's class, so a new protocol (or a test double
 * named as such) offers it by implementing the method.
 */
export interface BrowseCapability {
  /** Children of a node (the address space's root folder when none is given). */
  browse(nodeId?: string): Promise<BrowseEntry[]>;
}

/** Alarms the device raises itself (OPC UA Alarms & Conditions); `Update` is the protocol's report. */
export interface ConditionEvents<Update> {
  onCondition(listener: (update: Update) => void): Disposer;
  acknowledge(conditionId: string, eventId: string, comment: string): Promise<void>;
}

export function canBrowse(driver: Driver): driver is Driver & BrowseCapability {
  return typeof (driver as Partial<BrowseCapability>).browse === 'function';
}

/** The driver's condition feed, or null when it has none (or has it switched off). */
export function conditionEventsOf<Update>(driver: Driver): ConditionEvents<Update> | null {
  const conditions = (driver as { conditions?: ConditionEvents<Update> | null }).conditions;
  return conditions && typeof conditions.onCondition === 'function' ? conditions : null;
}

/** Exponential back-off with full jitter, capped: the delay before reconnect attempt `attempt` (0-based). */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The logging surface drivers use (pino-compatible); the runtime rate-limits it per call site. */
export interface DriverLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: DriverLogger = { debug() {}, info() {}, warn() {}, error() {} };
