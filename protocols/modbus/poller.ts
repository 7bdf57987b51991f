/**
 * ModbusPollingDriver: the Driver for one Modbus device (TCP or RTU; the transport is a
 * `LinkOpener`). It owns one connection, plans reads with the ModbusRequestPlanner, polls each
 * interval group on its own timer, and turns answers into samples.
 *
 * Failure policy, and why:
 *  - The connection closing, a connect failure, or a request timing out means the device is
 *    gone: every tag turns Bad ("communication lost: <device> <what happened>") at once and the
 *    driver reconnects with exponential back-off and jitter. A dead socket often does not error,
 *    so the timeout is what detects it; with timeoutMs ≤ pollMs that is within two poll periods.
 *  - After a timeout or a garbled answer the byte stream cannot be trusted (a late or oversized
 *    frame may still be coming, and modbus-serial's 8-bit transaction ids wrap), so the
 *    connection is dropped and reopened: no late answer can ever be matched to a later request.
 *  - A device that keeps failing is polled only at its back-off rate (the back-off counter is
 *    reset by a real answer, not by a mere TCP connect), so it is demoted without any effect on
 *    other devices: each device has its own driver, connection and timers, and nothing here
 *    blocks the event loop.
 *  - An exception reply makes only that read's tags Bad, naming device, unit, table, address
 *    range and the exception ("refused by the device" for 02, illegal data address). Exception
 *    02 on a merged read is probed point by point at once; refused addresses are remembered and
 *    planned around (read alone, so they cannot poison their neighbours). One refusal is not
 *    enough to stop asking: a refused point is still read alone each poll until it was refused
 *    on two connections or three times in a row, and then only skipped until the connection
 *    ends — every new connection re-probes it at once (a peer that misbehaved on one connection
 *    is not believed on the next), and a good answer forgets it. Entries are also forgotten
 *    after `refusedReprobeMs` so a PLC whose program changed is tried again.
 *  - Exceptions 05/06 (acknowledge/busy) are retried a few times with back-off inside the poll.
 */
import {
  backoffDelayMs,
  bad,
  GOOD,
  silentLogger,
  uncertain,
  type DeviceState,
  type DeviceStatus,
  type Disposer,
  type Driver,
  type DriverLogger,
  type DriverProtocol,
  type DriverTag,
  type Quality,
  type Sample,
  type TagValue,
  type WriteOutcome,
} from '../driver.js';
import { scaleToEngineering, scaleToRaw, type LinearScaleSpec } from '../scaling.js';
import { decodeRegisters, encodeRegisters, registerCount, type RegisterFormat } from './codec.js';
import type { ModbusAddress, ModbusTable, ModbusWordOrder } from './config.js';
import { ModbusDiagnostics } from './diagnostics.js';
import { isTransientException, ModbusRequestError } from './exceptions.js';
import { span, type ModbusLink, type RequestObservation } from './link.js';
import { isBitTable, ModbusRequestPlanner, type PlannedRead } from './planner.js';

export interface ModbusPoint {
  readonly register: ModbusAddress;
  readonly scale?: LinearScaleSpec;
  /** Writes are refused unless the project marks the tag writable. */
  readonly writable?: boolean;
}

/** What the polling driver needs to know about a device, whatever its transport. */
export interface ModbusDeviceSettings {
  readonly name: string;
  readonly protocol: Extract<DriverProtocol, 'modbus-tcp' | 'modbus-rtu'>;
  /** For people: "127.0.0.1:502", "/dev/ttyUSB0 @ 19200 8N1". */
  readonly endpoint: string;
  readonly unitId: number;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly wordOrder: ModbusWordOrder;
  readonly maxRegistersPerRead: number;
  readonly maxBitsPerRead: number;
  readonly maxGap: number;
}

export type LinkOpener = (observe: (o: RequestObservation) => void) => Promise<ModbusLink>;

export interface ModbusDriverOptions {
  readonly log?: DriverLogger;
  /** Clock for timestamps (ms since epoch). */
  readonly now?: () => number;
  /** Reconnect back-off: first delay and cap, ms (defaults 500 and 15,000). */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** How long a refused address (exception 02) is planned around before it is tried again, ms (default 10 min). */
  readonly refusedReprobeMs?: number;
  readonly random?: () => number;
}

interface Subscription {
  readonly tags: BoundTag[];
  readonly onSamples: (samples: readonly Sample[]) => void;
}

interface BoundTag {
  readonly name: string;
  readonly point: ModbusPoint;
  readonly sub: Subscription;
  readonly unitId: number;
  readonly table: ModbusTable;
  readonly address: number;
  readonly count: number;
  readonly intervalMs: number;
  readonly format: RegisterFormat;
  /** Hot path for plain 16-bit registers (most of a plant): 0 none, 1 uint16, 2 int16; 4 = bytes swapped. */
  readonly fast16: number;
  last: TagValue;
}

/** A planned read with its tags and offsets laid out flat for the sample loop. */
interface PreparedRead extends PlannedRead<BoundTag> {
  readonly tags: readonly BoundTag[];
  readonly offsets: readonly number[];
}

function prepare(read: PlannedRead<BoundTag>): PreparedRead {
  return { ...read, tags: read.points.map((p) => p.key), offsets: read.points.map((p) => p.offset) };
}

interface PollGroup {
  readonly intervalMs: number;
  readonly reads: readonly PreparedRead[];
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  /** A tick came while the previous poll was still running: poll again as soon as it ends. */
  overdue: boolean;
  nextDue: number;
  retired: boolean;
}

type Batch = Map<Subscription, Sample[]>;

/** Evidence that a device refuses an address (exception 02). */
interface RefusedAddress {
  /** Planned around until then (refusedReprobeMs after the last refusal). */
  until: number;
  /** Refusals in a row (a good answer forgets the address). */
  refusals: number;
  /** Distinct connections on which it was refused. */
  connections: number;
  lastConnection: number;
}

const BUSY_RETRIES = 3;

export class ModbusPollingDriver implements Driver<ModbusPoint> {
  readonly device: string;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly planner: ModbusRequestPlanner;
  private readonly diagnostics = new ModbusDiagnostics();
  private readonly subscriptions = new Set<Subscription>();
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly refused = new Map<string, RefusedAddress>();
  /** Counts connections, so a refusal knows which connection it came from. */
  private connectionSeq = 0;
  private groups: PollGroup[] = [];
  private link: ModbusLink | undefined;
  private connecting: Promise<void> | undefined;
  /** The previous connection, while it is still closing: a new one waits for it. */
  private closingLink: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lossReported = false;
  private stopped = false;
  private started = false;
  private state: DeviceState = 'disconnected';
  private since: number;
  private lastError: string | undefined;
  private replanWanted = false;
  private connectedWaiters: (() => void)[] = [];
  /** Per unit id: consecutive failures and until when its reads are skipped (demotion). */
  private readonly units = new Map<number, { failures: number; demotedUntil: number }>();
  /** Unit ids that answered FC5/FC6 with exception 01: written with FC15/FC16 instead. */
  private readonly singleWritesRefused = new Set<number>();

  constructor(
    private readonly settings: ModbusDeviceSettings,
    private readonly open: LinkOpener,
    private readonly options: ModbusDriverOptions = {},
  ) {
    this.device = settings.name;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.since = this.now();
    this.planner = new ModbusRequestPlanner(settings);
  }

  // ── Driver interface ────────────────────────────────────────────────────────────────

  async connect(): Promise<void> {
    if (this.stopped || this.started) return this.connecting;
    this.started = true;
    await this.attemptConnect();
  }

  subscribe(tags: readonly DriverTag<ModbusPoint>[], onSamples: (samples: readonly Sample[]) => void): Disposer {
    const sub: Subscription = { tags: [], onSamples };
    for (const tag of tags) sub.tags.push(this.bind(tag, sub));
    this.subscriptions.add(sub);
    this.replan();
    if (this.lossReported && this.lastError) this.deliver(this.badBatch(sub.tags, this.lastError));
    return () => {
      if (this.subscriptions.delete(sub)) this.replan();
    };
  }

  async write(tagName: string, value: TagValue): Promise<WriteOutcome> {
    const tag = this.findTag(tagName);
    if (!tag) return { ok: false, reason: `${this.device}: no tag ${tagName} on this device` };
    const where = this.where(tag.unitId, tag.table, tag.address, tag.count);
    if (tag.point.writable !== true) return { ok: false, reason: `${tagName} is read-only (not marked writable in the project)` };
    if (tag.table !== 'holding' && tag.table !== 'coil') return { ok: false, reason: `${where}: ${tag.table} table cannot be written` };
    const encoded = this.encodeForWrite(tag, value);
    if (!encoded.ok) return { ok: false, reason: `${where}: ${encoded.reason}; nothing sent` };
    const link = this.link;
    if (!link || !link.isOpen) return { ok: false, reason: `${this.device} is not connected: write not sent` };

    try {
      await this.sendWrite(link, tag, encoded.words);
    } catch (error) {
      const e = asRequestError(error);
      if (e.kind === 'exception') return { ok: false, reason: `${where}: ${e.message}` };
      if (e.notSent) return { ok: false, reason: `${this.device} connection lost before the write was sent (${e.message}): write not sent` };
      // The frame went out but no valid answer came back: the write may or may not have
      // happened. Never resend; resynchronise the connection (see the failure policy), read it back.
      const what = `${span(tag.unitId, tag.table, tag.address, tag.count)}: write ${e.message}`;
      if (e.kind === 'closed') this.lose(link, e.message);
      else this.resync(link, `communication lost: ${this.device} ${what}`);
      const again = await this.waitConnected(this.settings.timeoutMs * 2);
      const readBack = again ? await this.readBack(again, tag).catch(() => undefined) : undefined;
      return readBack ? { ok: true, confirmed: false, readBack: readBack.value } : { ok: true, confirmed: false };
    }
    try {
      const readBack = await this.readBack(link, tag);
      const confirmed = readBack.words.length === encoded.words.length && readBack.words.every((w, i) => w === encoded.words[i]);
      return { ok: true, confirmed, readBack: readBack.value };
    } catch {
      return { ok: true, confirmed: false };
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    for (const group of this.groups) this.retire(group);
    this.groups = [];
    const link = this.link;
    this.link = undefined;
    if (link) await link.close('driver stopped');
    this.setState('stopped');
    for (const waiter of this.connectedWaiters.splice(0)) waiter();
  }

  status(): DeviceStatus {
    const status: DeviceStatus = {
      device: this.device,
      protocol: this.settings.protocol,
      endpoint: this.settings.endpoint,
      state: this.state,
      since: this.since,
      diagnostics: this.diagnostics.snapshot(),
    };
    return this.lastError === undefined ? status : { ...status, lastError: this.lastError };
  }

  onStatus(listener: (status: DeviceStatus) => void): Disposer {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // ── Connection ──────────────────────────────────────────────────────────────────────

  private attemptConnect(): Promise<void> {
    if (this.stopped || this.link) return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.connecting = this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    if (!this.allUnitsDemoted()) this.setState('connecting');
    await this.closingLink;
    if (this.stopped) return;
    let link: ModbusLink;
    try {
      link = await this.open((o) => this.diagnostics.recordRequest(o.ok, o.rttMs, o.kind));
    } catch (error) {
      this.diagnostics.recordError('connect');
      const reason = `communication lost: ${this.device} ${asRequestError(error).message}`;
      if (!this.lossReported) this.log.warn({ device: this.device, err: reason }, 'modbus device unreachable');
      this.reportLoss(reason);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await link.close('driver stopped');
      return;
    }
    this.link = link;
    this.connectionSeq++;
    this.lossReported = false;
    this.diagnostics.connects++;
    link.onClose((reason) => this.lose(link, reason));
    this.log.info({ device: this.device, endpoint: this.settings.endpoint }, 'modbus device connected');
    // "connected" means the device answers: set by the first answer, or now when there is nothing to read.
    if (this.groups.length === 0) this.setState('connected');
    for (const waiter of this.connectedWaiters.splice(0)) waiter();
    for (const group of this.groups) this.kick(group);
  }

  /** The connection is gone or cannot be trusted: everything Bad, drop it, reconnect later. */
  private lose(link: ModbusLink, what: string): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.closingLink = link.close(what);
    if (this.stopped) return;
    const reason = `communication lost: ${this.device} ${what}`;
    this.log.warn({ device: this.device, err: reason }, 'modbus communication lost');
    this.lossReported = false;
    this.reportLoss(reason);
    this.scheduleReconnect();
  }

  /**
   * Drop a connection whose byte stream cannot be trusted any more (after a timeout or a
   * garbled answer) and open a fresh one at once. Only the tags already marked Bad are Bad:
   * other units behind the same gateway keep their values. If the reopen fails, that is a
   * device-level loss.
   */
  private resync(link: ModbusLink, reason: string): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.closingLink = link.close(reason);
    if (this.stopped) return;
    if (this.allUnitsDemoted()) {
      this.setState('disconnected', reason);
      this.lossReported = true; // every tag is already Bad with its own reason
    } else {
      this.lastError = reason;
    }
    this.background(this.attemptConnect());
  }

  private unitHealth(unitId: number): { failures: number; demotedUntil: number } {
    let health = this.units.get(unitId);
    if (!health) this.units.set(unitId, (health = { failures: 0, demotedUntil: 0 }));
    return health;
  }

  private isDemoted(unitId: number): boolean {
    const health = this.units.get(unitId);
    return health !== undefined && health.demotedUntil > this.now();
  }

  private allUnitsDemoted(): boolean {
    const unitIds = new Set<number>();
    for (const sub of this.subscriptions) for (const tag of sub.tags) unitIds.add(tag.unitId);
    if (unitIds.size === 0) return false;
    for (const unitId of unitIds) if (!this.isDemoted(unitId)) return false;
    return true;
  }

  /** A unit answered (data or exception): it is alive. */
  private unitAnswered(unitId: number): void {
    const health = this.units.get(unitId);
    if (health) {
      health.failures = 0;
      health.demotedUntil = 0;
    }
    this.failures = 0;
    if (this.state !== 'connected' && this.link) this.setState('connected');
  }

  /**
   * A unit did not answer (or answered garbage): its affected tags turn Bad, it is demoted
   * (skipped for a back-off delay that grows with each failure, so a dead unit behind a gateway
   * cannot slow down the live ones), and the connection is resynchronised.
   */
  private unitFailed(link: ModbusLink, unitId: number, tags: readonly BoundTag[], reason: string, batch: Batch): void {
    const health = this.unitHealth(unitId);
    health.demotedUntil = this.now() + backoffDelayMs(health.failures++, Math.max(this.settings.pollMs, 250), 60_000, this.random);
    this.addBad(batch, tags, reason);
    this.deliver(batch);
    batch.clear();
    this.resync(link, reason);
  }

  private tagsOfUnit(unitId: number): BoundTag[] {
    const tags: BoundTag[] = [];
    for (const sub of this.subscriptions) for (const tag of sub.tags) if (tag.unitId === unitId) tags.push(tag);
    return tags;
  }

  private reportLoss(reason: string): void {
    this.setState('disconnected', reason);
    if (this.lossReported) return;
    this.lossReported = true;
    const all: BoundTag[] = [];
    for (const sub of this.subscriptions) all.push(...sub.tags);
    this.deliver(this.badBatch(all, reason));
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = backoffDelayMs(this.failures++, this.options.reconnectBaseMs ?? 500, this.options.reconnectMaxMs ?? 15_000, this.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.background(this.attemptConnect());
    }, delay);
    this.reconnectTimer.unref();
  }

  private waitConnected(withinMs: number): Promise<ModbusLink | undefined> {
    if (this.link) return Promise.resolve(this.link);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.link), withinMs);
      timer.unref();
      this.connectedWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.link);
      });
    });
  }

  private setState(state: DeviceState, lastError?: string): void {
    if (lastError !== undefined) this.lastError = lastError;
    if (state === this.state && lastError === undefined) return;
    if (state !== this.state) this.since = this.now();
    this.state = state;
    const status = this.status();
    for (const listener of this.statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.log.error({ device: this.device, err: String(error) }, 'status listener threw');
      }
    }
  }

  // ── Planning and polling ────────────────────────────────────────────────────────────

  private bind(tag: DriverTag<ModbusPoint>, sub: Subscription): BoundTag {
    const r = tag.address.register;
    const format: RegisterFormat = {
      type: isBitTable(r.table) ? 'bool' : r.type,
      order: r.wordOrder ?? this.settings.wordOrder,
      ...(r.bit !== undefined ? { bit: r.bit } : {}),
      ...(r.length !== undefined ? { length: r.length } : {}),
    };
    return {
      name: tag.name,
      point: tag.address,
      sub,
      unitId: r.unitId ?? this.settings.unitId,
      table: r.table,
      address: r.address,
      count: isBitTable(r.table) ? 1 : registerCount(format),
      // The project schema keeps intervals ≥ 10 ms; here only a zero or negative one is refused.
      intervalMs: Math.max(1, tag.intervalMs || this.settings.pollMs),
      format,
      fast16: fast16Of(r.table, format, tag.address.scale !== undefined),
      last: null,
    };
  }

  private refusedKey(unitId: number, table: ModbusTable, address: number): string {
    return `${unitId}|${table}|${address}`;
  }

  private isRefused = (unitId: number, table: ModbusTable, address: number): boolean => {
    const entry = this.refused.get(this.refusedKey(unitId, table, address));
    return entry !== undefined && entry.until > this.now();
  };

  /**
   * An isolated read is skipped only when every address it covers was refused with enough
   * evidence (two connections, or three times in a row) and already probed on this connection.
   */
  private skipsRefused(read: PreparedRead): boolean {
    const now = this.now();
    for (let a = read.start; a < read.start + read.count; a++) {
      const entry = this.refused.get(this.refusedKey(read.unitId, read.table, a));
      if (!entry || entry.until <= now || entry.lastConnection !== this.connectionSeq) return false;
      if (entry.connections < 2 && entry.refusals < 3) return false;
    }
    return true;
  }

  /** A read answered: none of its addresses is refused any more. */
  private forgetRefused(read: PreparedRead): void {
    let forgot = false;
    for (let a = read.start; a < read.start + read.count; a++) forgot = this.refused.delete(this.refusedKey(read.unitId, read.table, a)) || forgot;
    if (forgot) this.replanWanted = true;
  }

  private replan(): void {
    this.replanWanted = false;
    for (const group of this.groups) this.retire(group);
    const tags: BoundTag[] = [];
    for (const sub of this.subscriptions) tags.push(...sub.tags);
    const plan = this.planner.plan(
      tags.map((t) => ({ key: t, unitId: t.unitId, table: t.table, address: t.address, count: t.count, intervalMs: t.intervalMs })),
      this.isRefused,
    );
    const byInterval = new Map<number, PreparedRead[]>();
    for (const read of plan.reads) {
      let list = byInterval.get(read.intervalMs);
      if (!list) byInterval.set(read.intervalMs, (list = []));
      list.push(prepare(read));
    }
    this.groups = [...byInterval].map(([intervalMs, reads]) => ({ intervalMs, reads, timer: undefined, running: false, overdue: false, nextDue: performance.now(), retired: false }));
    this.diagnostics.requestsPerPoll = plan.reads.filter((r) => !r.isolated).length;
    this.diagnostics.refusedAddresses = [...this.refused.values()].filter((entry) => entry.until > this.now()).length;
    if (plan.unplannable.length > 0) {
      const batch: Batch = new Map();
      const t = this.now();
      for (const u of plan.unplannable) {
        add(batch, u.key.sub, { tag: u.key.name, value: null, quality: bad(`${this.where(u.key.unitId, u.key.table, u.key.address, u.key.count)}: ${u.reason}`), sourceTime: t, receiveTime: t });
      }
      this.deliver(batch);
    }
    if (!this.stopped) for (const group of this.groups) this.kick(group);
  }

  private retire(group: PollGroup): void {
    group.retired = true;
    clearTimeout(group.timer);
    group.timer = undefined;
  }

  /** Poll the group now (if connected) and keep its timer going. */
  private kick(group: PollGroup): void {
    clearTimeout(group.timer);
    group.nextDue = performance.now();
    this.tick(group);
  }

  private tick(group: PollGroup): void {
    if (group.retired || this.stopped) return;
    if (this.link && !group.running) this.background(this.runGroup(group, this.link));
    else if (group.running) {
      // A device slower than the poll rate is polled back to back, never queued up.
      this.diagnostics.overruns++;
      group.overdue = true;
    }
    const now = performance.now();
    group.nextDue += group.intervalMs;
    if (group.nextDue < now) group.nextDue = now + group.intervalMs;
    group.timer = setTimeout(() => this.tick(group), group.nextDue - now);
    group.timer.unref();
  }

  private async runGroup(group: PollGroup, link: ModbusLink): Promise<void> {
    group.running = true;
    const batch: Batch = new Map();
    try {
      for (const read of group.reads) {
        if (group.retired || link !== this.link) break;
        if (read.isolated && this.skipsRefused(read)) continue; // refused with enough evidence, already probed on this connection
        if (this.isDemoted(read.unitId)) continue; // a unit that stopped answering: probed at its back-off rate
        const alive = await this.pollRead(link, read, batch);
        // Deliver per read, not per poll: values reach the runtime sooner, and a big poll's
        // samples are not all kept alive (and promoted by the GC) until its last read.
        this.deliver(batch);
        batch.clear();
        if (!alive) break;
      }
    } finally {
      group.running = false;
      this.diagnostics.polls++;
      this.deliver(batch);
    }
    if (this.replanWanted || this.refusedExpired()) this.replan();
    else if (group.overdue && !group.retired && this.link) {
      group.overdue = false;
      const next = this.link;
      // Straight on (no event-loop turn lost): the poll itself always waits on I/O.
      queueMicrotask(() => {
        if (!group.retired && !group.running && next === this.link) this.background(this.runGroup(group, next));
      });
    }
  }

  private refusedExpired(): boolean {
    const now = this.now();
    let expired = false;
    for (const [key, { until }] of this.refused) {
      if (until <= now) {
        this.refused.delete(key);
        expired = true;
      }
    }
    return expired;
  }

  /** Read once and decode into the batch. False when the connection was lost. */
  private async pollRead(link: ModbusLink, read: PreparedRead, batch: Batch): Promise<boolean> {
    const sourceTime = this.now();
    try {
      const data = await this.readWithRetry(link, read.unitId, read.table, read.start, read.count);
      this.unitAnswered(read.unitId);
      if (read.isolated) this.forgetRefused(read);
      const receiveTime = this.now();
      let sub: Subscription | undefined;
      let list: Sample[] = [];
      const { tags, offsets } = read;
      for (let i = 0; i < tags.length; i++) {
        const tag = tags[i]!;
        const offset = offsets[i]!;
        if (tag.sub !== sub) {
          sub = tag.sub;
          const existing = batch.get(sub);
          if (existing) list = existing;
          else batch.set(sub, (list = []));
        }
        const fast = tag.fast16;
        if (fast !== 0 && offset < data.length) {
          // Hot path, inlined: a plain 16-bit register (most tags of a plant).
          let word = (data[offset] as number) & 0xffff;
          if (fast & 4) word = ((word & 0xff) << 8) | (word >> 8);
          const value = (fast & 3) === 2 && word >= 0x8000 ? word - 0x10000 : word;
          tag.last = value;
          list.push({ tag: tag.name, value, quality: GOOD, sourceTime, receiveTime });
        } else {
          list.push(this.sampleFrom(tag, data, offset, sourceTime, receiveTime));
        }
      }
      return true;
    } catch (error) {
      const e = asRequestError(error);
      const where = this.where(read.unitId, read.table, read.start, read.count);
      if (e.kind === 'exception') {
        this.unitAnswered(read.unitId);
        if (e.exceptionCode === 2 && read.points.length > 1) return this.probeRefused(link, read, batch);
        if (e.exceptionCode === 2) this.rememberRefused(read.unitId, read.table, read.start, read.count);
        this.addBad(batch, read.points.map((p) => p.key), exceptionReason(where, e));
        return true;
      }
      if (e.kind === 'malformed') {
        this.unitFailed(link, read.unitId, read.points.map((p) => p.key), `${where}: ${e.message}`, batch);
        return false;
      }
      if (e.kind === 'timeout') {
        this.unitFailed(link, read.unitId, this.tagsOfUnit(read.unitId), `communication lost: ${where}: ${e.message}`, batch);
        return false;
      }
      this.lose(link, e.message);
      return false;
    }
  }

  /** Exception 02 on a merged read: read each point alone to find the refused ones, remember them. */
  private async probeRefused(link: ModbusLink, read: PlannedRead<BoundTag>, batch: Batch): Promise<boolean> {
    let anyRefused = false;
    for (const p of read.points) {
      const tag = p.key;
      const sourceTime = this.now();
      try {
        const data = await this.readWithRetry(link, tag.unitId, tag.table, tag.address, tag.count);
        this.unitAnswered(tag.unitId);
        add(batch, tag.sub, this.sampleFrom(tag, data, 0, sourceTime, this.now()));
      } catch (error) {
        const e = asRequestError(error);
        if (e.kind === 'closed') {
          this.lose(link, e.message);
          return false;
        }
        if (e.kind !== 'exception') {
          const where = this.where(tag.unitId, tag.table, tag.address, tag.count);
          this.unitFailed(link, tag.unitId, e.kind === 'timeout' ? this.tagsOfUnit(tag.unitId) : [tag], `${e.kind === 'timeout' ? 'communication lost: ' : ''}${where}: ${e.message}`, batch);
          return false;
        }
        if (e.exceptionCode === 2) {
          anyRefused = true;
          this.rememberRefused(tag.unitId, tag.table, tag.address, tag.count);
        }
        this.addBad(batch, [tag], exceptionReason(this.where(tag.unitId, tag.table, tag.address, tag.count), e));
      }
    }
    if (!anyRefused) {
      // Every point reads alone, so the device refuses something in the gaps between them:
      // plan those gaps as refused so reads are no longer merged across them.
      const covered = new Set<number>();
      for (const p of read.points) for (let a = p.key.address; a < p.key.address + p.key.count; a++) covered.add(a);
      for (let a = read.start; a < read.start + read.count; a++) if (!covered.has(a)) this.rememberRefused(read.unitId, read.table, a, 1);
    }
    this.replanWanted = true;
    return true;
  }

  private rememberRefused(unitId: number, table: ModbusTable, start: number, count: number): void {
    const until = this.now() + (this.options.refusedReprobeMs ?? 600_000);
    const connection = this.connectionSeq;
    for (let a = start; a < start + count; a++) {
      const key = this.refusedKey(unitId, table, a);
      const entry = this.refused.get(key);
      if (!entry) this.refused.set(key, { until, refusals: 1, connections: 1, lastConnection: connection });
      else {
        entry.until = until;
        entry.refusals++;
        if (entry.lastConnection !== connection) entry.connections++;
        entry.lastConnection = connection;
      }
    }
    this.replanWanted = true;
  }

  /** One read; "busy" answers (exceptions 05/06) are retried with back-off and jitter. */
  private readWithRetry(link: ModbusLink, unitId: number, table: ModbusTable, start: number, count: number): Promise<readonly number[] | readonly boolean[]> {
    // No extra async layer on the hot path: the retry machinery only runs once a read failed.
    return readOnce(link, unitId, table, start, count).catch((error: unknown) => this.retryRead(error, 0, link, unitId, table, start, count));
  }

  private async retryRead(error: unknown, attempt: number, link: ModbusLink, unitId: number, table: ModbusTable, start: number, count: number): Promise<readonly number[] | readonly boolean[]> {
    for (let e = asRequestError(error); ; attempt++) {
      if (e.kind !== 'exception' || !isTransientException(e.exceptionCode ?? 0) || attempt >= BUSY_RETRIES) throw e;
      await delay(backoffDelayMs(attempt, Math.min(100, this.settings.pollMs / 4), this.settings.pollMs, this.random));
      if (!link.isOpen) throw new ModbusRequestError('connection closed', 'closed');
      try {
        return await readOnce(link, unitId, table, start, count);
      } catch (next) {
        e = asRequestError(next);
      }
    }
  }

  // ── Samples ─────────────────────────────────────────────────────────────────────────

  private sampleFrom(tag: BoundTag, data: readonly number[] | readonly boolean[], offset: number, sourceTime: number, receiveTime: number): Sample {
    let value: TagValue;
    let quality: Quality = GOOD;
    if (isBitTable(tag.table)) {
      const bit = data[offset];
      if (typeof bit !== 'boolean') return this.badSample(tag, `${this.where(tag.unitId, tag.table, tag.address, 1)}: short answer`, sourceTime);
      value = bit;
    } else {
      const decoded = decodeRegisters(data as readonly number[], offset, tag.format);
      if (!decoded.ok) {
        return { tag: tag.name, value: null, quality: bad(`${this.where(tag.unitId, tag.table, tag.address, tag.count)}: ${decoded.reason}`), sourceTime, receiveTime };
      }
      value = decoded.value;
      if (typeof value === 'number' && tag.point.scale) {
        const scaled = scaleToEngineering(value, tag.point.scale);
        value = scaled.value;
        if (scaled.quality.code !== 'Good') quality = uncertain(`${this.where(tag.unitId, tag.table, tag.address, tag.count)}: ${scaled.quality.reason ?? 'uncertain'}`);
      }
    }
    tag.last = value;
    return { tag: tag.name, value, quality, sourceTime, receiveTime };
  }

  private badSample(tag: BoundTag, reason: string, time: number): Sample {
    return { tag: tag.name, value: tag.last, quality: bad(reason), sourceTime: time, receiveTime: time };
  }

  private addBad(batch: Batch, tags: readonly BoundTag[], reason: string): void {
    this.lastError = reason;
    const t = this.now();
    for (const tag of tags) add(batch, tag.sub, this.badSample(tag, reason, t));
  }

  private badBatch(tags: readonly BoundTag[], reason: string): Batch {
    const batch: Batch = new Map();
    this.addBad(batch, tags, reason);
    return batch;
  }

  /** Run a promise nobody awaits: a bug in it is logged, never an unhandled rejection that stops the process. */
  private background(work: Promise<void>): void {
    work.catch((error: unknown) => this.log.error({ device: this.device, err: error instanceof Error ? error.stack ?? error.message : String(error) }, 'modbus driver task failed'));
  }

  private deliver(batch: Batch): void {
    if (this.stopped) return;
    for (const [sub, samples] of batch) {
      if (samples.length === 0 || !this.subscriptions.has(sub)) continue;
      try {
        sub.onSamples(samples);
      } catch (error) {
        this.log.error({ device: this.device, err: String(error) }, 'sample consumer threw');
      }
    }
  }

  /** "SS01-PLC unit 1 holding 100..124" */
  private where(unitId: number, table: ModbusTable, start: number, count: number): string {
    return `${this.device} ${span(unitId, table, start, count)}`;
  }

  // ── Writes ──────────────────────────────────────────────────────────────────────────

  private findTag(name: string): BoundTag | undefined {
    for (const sub of this.subscriptions) for (const tag of sub.tags) if (tag.name === name) return tag;
    return undefined;
  }

  private encodeForWrite(tag: BoundTag, value: TagValue): { ok: true; words: number[] } | { ok: false; reason: string } {
    if (tag.table === 'coil') {
      const state = value === true || value === 1 ? true : value === false || value === 0 ? false : undefined;
      if (state === undefined) return { ok: false, reason: `a coil takes true or false, got ${JSON.stringify(value)}` };
      return { ok: true, words: [state ? 1 : 0] };
    }
    let raw: unknown = value;
    if (typeof value === 'number' && tag.point.scale) {
      const scaled = scaleToRaw(value, tag.point.scale);
      if (!scaled.ok) return scaled;
      // Scaled integers are quantised by nature: land on the nearest raw step.
      raw = tag.format.type.includes('int') ? Math.round(scaled.raw) : scaled.raw;
    }
    return encodeRegisters(raw, tag.format);
  }

  /**
   * FC5 for a coil, FC6 for one register, FC16 for several. A device that answers FC5/FC6 with
   * exception 01 (Illegal Function) wrote nothing, so the same write is sent once more with
   * FC15/FC16 — which many PLCs accept for single values — and that choice is remembered.
   */
  private async sendWrite(link: ModbusLink, tag: BoundTag, words: readonly number[]): Promise<void> {
    const single = words.length === 1;
    const useMultiple = this.singleWritesRefused.has(tag.unitId);
    try {
      if (tag.table === 'coil') {
        if (useMultiple) await link.writeCoils(tag.unitId, tag.address, [words[0] === 1]);
        else await link.writeCoil(tag.unitId, tag.address, words[0] === 1);
      } else if (single && !useMultiple) await link.writeRegister(tag.unitId, tag.address, words[0]!);
      else await link.writeRegisters(tag.unitId, tag.address, words);
    } catch (error) {
      const e = asRequestError(error);
      const triedSingle = !useMultiple && (tag.table === 'coil' || single);
      if (!triedSingle || e.kind !== 'exception' || e.exceptionCode !== 1) throw e;
      this.singleWritesRefused.add(tag.unitId);
      this.log.info({ device: this.device, unitId: tag.unitId }, 'device refuses single writes (FC5/FC6): using FC15/FC16');
      return this.sendWrite(link, tag, words);
    }
  }

  private async readBack(link: ModbusLink, tag: BoundTag): Promise<{ words: number[]; value: TagValue }> {
    const t = this.now();
    if (tag.table === 'coil') {
      const bits = await link.readBits('coil', tag.unitId, tag.address, 1);
      const sample = this.sampleFrom(tag, bits, 0, t, this.now());
      this.deliver(new Map([[tag.sub, [sample]]]));
      return { words: [bits[0] ? 1 : 0], value: sample.value };
    }
    const words = await link.readRegisters('holding', tag.unitId, tag.address, tag.count);
    const sample = this.sampleFrom(tag, words, 0, t, this.now());
    this.deliver(new Map([[tag.sub, [sample]]]));
    return { words: words.slice(0, tag.count), value: sample.value };
  }
}

function readOnce(link: ModbusLink, unitId: number, table: ModbusTable, start: number, count: number): Promise<readonly number[] | readonly boolean[]> {
  return table === 'holding' || table === 'input' ? link.readRegisters(table, unitId, start, count) : link.readBits(table, unitId, start, count);
}

function fast16Of(table: ModbusTable, format: RegisterFormat, scaled: boolean): number {
  if (scaled || isBitTable(table) || (format.type !== 'uint16' && format.type !== 'int16')) return 0;
  return (format.type === 'uint16' ? 1 : 2) | (format.order === 'BADC' || format.order === 'DCBA' ? 4 : 0);
}


/** What a device's exception answer means, for the tag's Bad reason. */
function exceptionReason(where: string, e: ModbusRequestError): string {
  return e.exceptionCode === 2 ? `${where}: address refused by the device (${e.message})` : `${where}: ${e.message}`;
}

function add(batch: Batch, sub: Subscription, sample: Sample): void {
  let list = batch.get(sub);
  if (!list) batch.set(sub, (list = []));
  list.push(sample);
}

function asRequestError(error: unknown): ModbusRequestError {
  if (error instanceof ModbusRequestError) return error;
  return new ModbusRequestError(error instanceof Error ? error.message : String(error), 'malformed', undefined, { cause: error });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
