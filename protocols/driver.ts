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

/** Exponential back-off with full jitter, capped: the delay before reconnect attempt `attempt` (0-based). */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
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
