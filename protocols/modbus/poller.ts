/**
 * ModbusPollingDriver: the Driver for one Modbus device (TCP or RTU; the transport is a
 * `LinkOpener`). It owns the connection and decides what every answer or failure means; the
 * parts it is built from live beside it: reads planned by the ModbusRequestPlanner
 * (planner.ts), timers per interval group (poll-schedule.ts), units behind a gateway demoted
 * while they do not answer (unit-health.ts), refused addresses and how much to believe them
 * (refused-addresses.ts), answers turned into samples (poll-samples.ts), and writes with their
 * read-back (modbus-writes.ts).
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
  silentLogger,
  type DeviceState,
  type DeviceStatus,
  type Disposer,
  type Driver,
  type DriverLogger,
  type DriverProtocol,
  type DriverTag,
  type Sample,
  type TagValue,
  type WriteOutcome,
} from '../driver.js';
import type { ModbusTable, ModbusWordOrder } from './config.js';
import { ModbusDiagnostics } from './diagnostics.js';
import { isTransientException, ModbusRequestError } from './exceptions.js';
import { span, type ModbusLink, type RequestObservation } from './link.js';
import { ModbusRequestPlanner, type PlannedRead } from './planner.js';
import {
  addSample,
  badSample,
  bindTag,
  decodeRead,
  prepare,
  sampleFrom,
  where,
  type Batch,
  type BoundTag,
  type ModbusPoint,
  type PreparedRead,
  type Subscription,
} from './poll-samples.js';
import { groupByInterval, PollSchedule, type PollGroup } from './poll-schedule.js';
import { RefusedAddresses } from './refused-addresses.js';
import { UnitHealth } from './unit-health.js';
import { asRequestError, encodeForWrite, ModbusWriter } from './modbus-writes.js';

export type { ModbusPoint } from './poll-samples.js';

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
  private readonly refused: RefusedAddresses;
  private readonly units: UnitHealth;
  private readonly writer: ModbusWriter;
  private readonly schedule: PollSchedule;
  /** Counts connections, so a refusal knows which connection it came from. */
  private connectionSeq = 0;
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
    this.refused = new RefusedAddresses(this.now, options.refusedReprobeMs ?? 600_000);
    this.units = new UnitHealth(this.now, this.random, settings.pollMs);
    this.writer = new ModbusWriter(this.device, this.log, this.now);
    this.schedule = new PollSchedule({
      stopped: () => this.stopped,
      startPoll: (group) => {
        if (this.link) this.background(this.runGroup(group, this.link));
      },
      overrun: () => this.diagnostics.overruns++,
    });
  }

  // ── Driver interface ────────────────────────────────────────────────────────────────

  async connect(): Promise<void> {
    if (this.stopped || this.started) return this.connecting;
    this.started = true;
    await this.attemptConnect();
  }

  subscribe(tags: readonly DriverTag<ModbusPoint>[], onSamples: (samples: readonly Sample[]) => void): Disposer {
    const sub: Subscription = { tags: [], onSamples };
    for (const tag of tags) sub.tags.push(bindTag(tag, sub, this.settings));
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
    const at = this.where(tag.unitId, tag.table, tag.address, tag.count);
    if (tag.point.writable !== true)
      return { ok: false, reason: `${tagName} is read-only (not marked writable in the project)` };
    if (tag.table !== 'holding' && tag.table !== 'coil')
      return { ok: false, reason: `${at}: ${tag.table} table cannot be written` };
    const encoded = encodeForWrite(tag, value);
    if (!encoded.ok) return { ok: false, reason: `${at}: ${encoded.reason}; nothing sent` };
    const link = this.link;
    if (!link || !link.isOpen) return { ok: false, reason: `${this.device} is not connected: write not sent` };

    try {
      await this.writer.send(link, tag, encoded.words);
    } catch (error) {
      const e = asRequestError(error);
      if (e.kind === 'exception') return { ok: false, reason: `${at}: ${e.message}` };
      if (e.notSent)
        return {
          ok: false,
          reason: `${this.device} connection lost before the write was sent (${e.message}): write not sent`,
        };
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
      const confirmed =
        readBack.words.length === encoded.words.length && readBack.words.every((w, i) => w === encoded.words[i]);
      return { ok: true, confirmed, readBack: readBack.value };
    } catch {
      return { ok: true, confirmed: false };
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.schedule.clear();
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
    if (this.schedule.groups.length === 0) this.setState('connected');
    for (const waiter of this.connectedWaiters.splice(0)) waiter();
    this.schedule.kickAll();
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

  private allUnitsDemoted(): boolean {
    const unitIds = new Set<number>();
    for (const sub of this.subscriptions) for (const tag of sub.tags) unitIds.add(tag.unitId);
    return this.units.allDemoted(unitIds);
  }

  /** A unit answered (data or exception): it is alive. */
  private unitAnswered(unitId: number): void {
    this.units.answered(unitId);
    this.failures = 0;
    if (this.state !== 'connected' && this.link) this.setState('connected');
  }

  /**
   * A unit did not answer (or answered garbage): its affected tags turn Bad, it is demoted
   * (skipped for a back-off delay that grows with each failure, so a dead unit behind a gateway
   * cannot slow down the live ones), and the connection is resynchronised.
   */
  private unitFailed(link: ModbusLink, unitId: number, tags: readonly BoundTag[], reason: string, batch: Batch): void {
    this.units.failed(unitId);
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
    const delay = backoffDelayMs(
      this.failures++,
      this.options.reconnectBaseMs ?? 500,
      this.options.reconnectMaxMs ?? 15_000,
      this.random,
    );
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

  private replan(): void {
    this.replanWanted = false;
    const tags: BoundTag[] = [];
    for (const sub of this.subscriptions) tags.push(...sub.tags);
    const plan = this.planner.plan(
      tags.map((t) => ({
        key: t,
        unitId: t.unitId,
        table: t.table,
        address: t.address,
        count: t.count,
        intervalMs: t.intervalMs,
      })),
      this.refused.isRefused,
    );
    this.schedule.replace(groupByInterval(plan.reads.map(prepare)));
    this.diagnostics.requestsPerPoll = plan.reads.filter((r) => !r.isolated).length;
    this.diagnostics.refusedAddresses = this.refused.activeCount();
    if (plan.unplannable.length > 0) {
      const batch: Batch = new Map();
      const t = this.now();
      for (const u of plan.unplannable) {
        addSample(batch, u.key.sub, {
          tag: u.key.name,
          value: null,
          quality: bad(`${this.where(u.key.unitId, u.key.table, u.key.address, u.key.count)}: ${u.reason}`),
          sourceTime: t,
          receiveTime: t,
        });
      }
      this.deliver(batch);
    }
    if (!this.stopped) this.schedule.kickAll();
  }

  /**
   * One poll of a group. While one answer is decoded and delivered, the next read is already on
   * the wire (sent as soon as the previous read answered with data), so the device's turnaround
   * and this process's work overlap instead of adding up. After anything but data (an exception,
   * a timeout, a lost connection) nothing is sent ahead: the failure is handled first, exactly
   * as if reads went strictly one after the other.
   */
  private async runGroup(group: PollGroup, link: ModbusLink): Promise<void> {
    group.running = true;
    const batch: Batch = new Map();
    const reads = group.reads;
    let ahead: InFlightRead | undefined;
    try {
      for (let i = this.nextPollable(reads, 0); i < reads.length;) {
        if (group.retired || link !== this.link) break;
        const read = reads[i]!;
        const current = ahead?.read === read ? ahead : this.startRead(link, read);
        ahead = undefined;
        const answer = await current.answer;
        let next = this.nextPollable(reads, i + 1);
        let alive = true;
        if (answer.data !== undefined) {
          if (next < reads.length && !group.retired && link === this.link) ahead = this.startRead(link, reads[next]!);
          this.readAnswered(read, answer.sourceTime, answer.data, batch);
        } else {
          alive = await this.readFailed(link, read, answer.error, batch);
          next = this.nextPollable(reads, i + 1); // what the failure taught (refused addresses) counts from the next read on
        }
        // Deliver per read, not per poll: values reach the runtime sooner, and a big poll's
        // samples are not all kept alive (and promoted by the GC) until its last read.
        this.deliver(batch);
        batch.clear();
        if (!alive) break;
        i = next;
      }
    } finally {
      group.running = false;
      this.diagnostics.polls++;
      this.deliver(batch);
    }
    if (this.replanWanted || this.refused.expire()) this.replan();
    else if (group.overdue && !group.retired && this.link) {
      group.overdue = false;
      const next = this.link;
      // Straight on (no event-loop turn lost): the poll itself always waits on I/O.
      queueMicrotask(() => {
        if (!group.retired && !group.running && next === this.link) this.background(this.runGroup(group, next));
      });
    }
  }

  /** The index of the first read from `from` on that is polled now (reads.length when none). */
  private nextPollable(reads: readonly PreparedRead[], from: number): number {
    for (let i = from; i < reads.length; i++) {
      const read = reads[i]!;
      if (read.isolated && this.refused.skips(read, this.connectionSeq)) continue; // refused with enough evidence, already probed on this connection
      if (this.units.isDemoted(read.unitId)) continue; // a unit that stopped answering: probed at its back-off rate
      return i;
    }
    return reads.length;
  }

  /** Send a read; its answer (data or the failure) settles the promise, which never rejects. */
  private startRead(link: ModbusLink, read: PreparedRead): InFlightRead {
    const sourceTime = this.now();
    const answer = this.readWithRetry(link, read.unitId, read.table, read.start, read.count).then(
      (data): ReadAnswer => ({ sourceTime, data, error: undefined }),
      (error: unknown): ReadAnswer => ({ sourceTime, data: undefined, error }),
    );
    return { read, answer };
  }

  /** A read answered with data: decode it into the batch. */
  private readAnswered(
    read: PreparedRead,
    sourceTime: number,
    data: readonly number[] | readonly boolean[],
    batch: Batch,
  ): void {
    this.unitAnswered(read.unitId);
    if (read.isolated && this.refused.forget(read)) this.replanWanted = true;
    decodeRead(this.device, read, data, batch, sourceTime, this.now());
  }

  /** A read failed: mark its tags (or its unit's, or the device's) Bad as the failure policy says. False when the connection was lost. */
  private async readFailed(link: ModbusLink, read: PreparedRead, error: unknown, batch: Batch): Promise<boolean> {
    const e = asRequestError(error);
    const at = this.where(read.unitId, read.table, read.start, read.count);
    if (e.kind === 'exception') {
      this.unitAnswered(read.unitId);
      if (e.exceptionCode === 2 && read.points.length > 1) return this.probeRefused(link, read, batch);
      if (e.exceptionCode === 2) this.rememberRefused(read.unitId, read.table, read.start, read.count);
      this.addBad(
        batch,
        read.points.map((p) => p.key),
        exceptionReason(at, e),
      );
      return true;
    }
    if (e.kind === 'malformed') {
      this.unitFailed(
        link,
        read.unitId,
        read.points.map((p) => p.key),
        `${at}: ${e.message}`,
        batch,
      );
      return false;
    }
    if (e.kind === 'timeout') {
      this.unitFailed(
        link,
        read.unitId,
        this.tagsOfUnit(read.unitId),
        `communication lost: ${at}: ${e.message}`,
        batch,
      );
      return false;
    }
    this.lose(link, e.message);
    return false;
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
        addSample(batch, tag.sub, sampleFrom(this.device, tag, data, 0, sourceTime, this.now()));
      } catch (error) {
        const e = asRequestError(error);
        if (e.kind === 'closed') {
          this.lose(link, e.message);
          return false;
        }
        const at = this.where(tag.unitId, tag.table, tag.address, tag.count);
        if (e.kind !== 'exception') {
          this.unitFailed(
            link,
            tag.unitId,
            e.kind === 'timeout' ? this.tagsOfUnit(tag.unitId) : [tag],
            `${e.kind === 'timeout' ? 'communication lost: ' : ''}${at}: ${e.message}`,
            batch,
          );
          return false;
        }
        if (e.exceptionCode === 2) {
          anyRefused = true;
          this.rememberRefused(tag.unitId, tag.table, tag.address, tag.count);
        }
        this.addBad(batch, [tag], exceptionReason(at, e));
      }
    }
    if (!anyRefused) {
      // Every point reads alone, so the device refuses something in the gaps between them:
      // plan those gaps as refused so reads are no longer merged across them.
      const covered = new Set<number>();
      for (const p of read.points) for (let a = p.key.address; a < p.key.address + p.key.count; a++) covered.add(a);
      for (let a = read.start; a < read.start + read.count; a++)
        if (!covered.has(a)) this.rememberRefused(read.unitId, read.table, a, 1);
    }
    this.replanWanted = true;
    return true;
  }

  private rememberRefused(unitId: number, table: ModbusTable, start: number, count: number): void {
    this.refused.remember({ unitId, table, start, count }, this.connectionSeq);
    this.replanWanted = true;
  }

  /** One read; "busy" answers (exceptions 05/06) are retried with back-off and jitter. */
  private readWithRetry(
    link: ModbusLink,
    unitId: number,
    table: ModbusTable,
    start: number,
    count: number,
  ): Promise<readonly number[] | readonly boolean[]> {
    // No extra async layer on the hot path: the retry machinery only runs once a read failed.
    return readOnce(link, unitId, table, start, count).catch((error: unknown) =>
      this.retryRead(error, 0, link, unitId, table, start, count),
    );
  }

  private async retryRead(
    error: unknown,
    attempt: number,
    link: ModbusLink,
    unitId: number,
    table: ModbusTable,
    start: number,
    count: number,
  ): Promise<readonly number[] | readonly boolean[]> {
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

  private addBad(batch: Batch, tags: readonly BoundTag[], reason: string): void {
    this.lastError = reason;
    const t = this.now();
    for (const tag of tags) addSample(batch, tag.sub, badSample(tag, reason, t));
  }

  private badBatch(tags: readonly BoundTag[], reason: string): Batch {
    const batch: Batch = new Map();
    this.addBad(batch, tags, reason);
    return batch;
  }

  /** Run a promise nobody awaits: a bug in it is logged, never an unhandled rejection that stops the process. */
  private background(work: Promise<void>): void {
    work.catch((error: unknown) =>
      this.log.error(
        { device: this.device, err: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        'modbus driver task failed',
      ),
    );
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

  private where(unitId: number, table: ModbusTable, start: number, count: number): string {
    return where(this.device, unitId, table, start, count);
  }

  // ── Writes ──────────────────────────────────────────────────────────────────────────

  private findTag(name: string): BoundTag | undefined {
    for (const sub of this.subscriptions) for (const tag of sub.tags) if (tag.name === name) return tag;
    return undefined;
  }

  /** Read a written tag back and hand the runtime the value it now has. */
  private async readBack(link: ModbusLink, tag: BoundTag): Promise<{ words: number[]; value: TagValue }> {
    const { words, sample } = await this.writer.readBack(link, tag);
    this.deliver(new Map([[tag.sub, [sample]]]));
    return { words, value: sample.value };
  }
}

/** A read's answer: its data, or why there is none. */
interface ReadAnswer {
  /** When the request was sent. */
  readonly sourceTime: number;
  readonly data: readonly number[] | readonly boolean[] | undefined;
  readonly error: unknown;
}

/** A read on the wire (or queued on the link). */
interface InFlightRead {
  readonly read: PreparedRead;
  readonly answer: Promise<ReadAnswer>;
}

function readOnce(
  link: ModbusLink,
  unitId: number,
  table: ModbusTable,
  start: number,
  count: number,
): Promise<readonly number[] | readonly boolean[]> {
  return table === 'holding' || table === 'input'
    ? link.readRegisters(table, unitId, start, count)
    : link.readBits(table, unitId, start, count);
}

/** What a device's exception answer means, for the tag's Bad reason. */
function exceptionReason(where: string, e: ModbusRequestError): string {
  return e.exceptionCode === 2 ? `${where}: address refused by the device (${e.message})` : `${where}: ${e.message}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
