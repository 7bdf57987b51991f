/**
 * ModbusPollingDriver: the Driver for one Modbus device (TCP or RTU; the transport is a
 * `LinkOpener`). It owns the connection and the device's state; the parts it is built from live
 * beside it: reads planned by the ModbusRequestPlanner (planner.ts), timers per interval group
 * (poll-schedule.ts), one poll of a group and what each answer or failure means
 * (group-poller.ts), busy answers retried (read-retry.ts), units behind a gateway demoted while
 * they do not answer (unit-health.ts), refused addresses and how much to believe them
 * (refused-addresses.ts), answers turned into samples (poll-samples.ts), subscribers and their
 * samples (sample-delivery.ts), and writes with their read-back (modbus-writes.ts).
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
 *  - What an exception, a refused address or a busy answer means for a read's tags is decided
 *    per read (group-poller.ts, refused-addresses.ts, read-retry.ts).
 */
import {
  bad,
  silentLogger,
  type DeviceState,
  type DeviceStatus,
  type Disposer,
  type Driver,
  type DriverLogger,
  type DriverTag,
  type Sample,
  type TagValue,
  type WriteOutcome,
} from '../driver.js';
import type { LinkOpener, ModbusDeviceSettings, ModbusDriverOptions } from './device-settings.js';
import { ModbusDiagnostics } from './diagnostics.js';
import { GroupPoller } from './group-poller.js';
import type { ModbusLink } from './link.js';
import { asRequestError, ModbusWriter } from './modbus-writes.js';
import { ModbusRequestPlanner } from './planner.js';
import {
  addSample,
  bindTag,
  prepare,
  where,
  type Batch,
  type BoundTag,
  type ModbusPoint,
  type Subscription,
} from './poll-samples.js';
import { groupByInterval, PollSchedule, type PollGroup } from './poll-schedule.js';
import { Reconnect } from './reconnect.js';
import { RefusedAddresses } from './refused-addresses.js';
import { SampleDelivery } from './sample-delivery.js';
import { UnitHealth } from './unit-health.js';

export type { ModbusPoint } from './poll-samples.js';

export type { LinkOpener, ModbusDeviceSettings, ModbusDriverOptions } from './device-settings.js';

export class ModbusPollingDriver implements Driver<ModbusPoint> {
  readonly device: string;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly planner: ModbusRequestPlanner;
  private readonly diagnostics = new ModbusDiagnostics();
  private readonly delivery: SampleDelivery;
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly refused: RefusedAddresses;
  private readonly units: UnitHealth;
  private readonly writer: ModbusWriter;
  private readonly schedule: PollSchedule;
  private readonly polls: GroupPoller;
  /** Counts connections, so a refusal knows which connection it came from. */
  private connectionSeq = 0;
  private link: ModbusLink | undefined;
  private connecting: Promise<void> | undefined;
  /** The previous connection, while it is still closing: a new one waits for it. */
  private closingLink: Promise<void> = Promise.resolve();
  private readonly reconnect: Reconnect;
  private lossReported = false;
  private stopped = false;
  private started = false;
  private state: DeviceState = 'disconnected';
  private since: number;
  private lastError: string | undefined;

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
    this.delivery = new SampleDelivery(this.device, this.log);
    this.reconnect = new Reconnect(
      () => this.background(this.attemptConnect()),
      this.random,
      options.reconnectBaseMs,
      options.reconnectMaxMs,
    );
    this.writer = new ModbusWriter(this.device, this.log, this.now, {
      timeoutMs: settings.timeoutMs,
      currentLink: () => this.link,
      lose: (link, what) => this.lose(link, what),
      resync: (link, reason) => this.resync(link, reason),
      waitConnected: (withinMs) => this.waitConnected(withinMs),
      deliver: (batch) => this.delivery.deliver(batch),
    });
    this.polls = new GroupPoller({
      device: this.device,
      now: this.now,
      timing: { pollMs: settings.pollMs, random: this.random },
      refused: this.refused,
      units: this.units,
      delivery: this.delivery,
      diagnostics: this.diagnostics,
      currentLink: () => this.link,
      connectionSeq: () => this.connectionSeq,
      unitAnswered: (unitId) => this.unitAnswered(unitId),
      unitFailed: (link, unitId, tags, reason, batch) => this.unitFailed(link, unitId, tags, reason, batch),
      lose: (link, what) => this.lose(link, what),
      addBad: (batch, tags, reason) => this.addBad(batch, tags, reason),
    });
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
    this.delivery.add(sub);
    this.replan();
    if (this.lossReported && this.lastError) this.delivery.deliver(this.badBatch(sub.tags, this.lastError));
    return () => {
      if (this.delivery.remove(sub)) this.replan();
    };
  }

  write(tagName: string, value: TagValue): Promise<WriteOutcome> {
    const tag = this.delivery.find(tagName);
    if (!tag) return Promise.resolve({ ok: false, reason: `${this.device}: no tag ${tagName} on this device` });
    return this.writer.write(tag, value);
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.delivery.stop();
    this.reconnect.cancel();
    this.schedule.clear();
    const link = this.link;
    this.link = undefined;
    if (link) await link.close('driver stopped');
    this.setState('stopped');
    this.reconnect.connected();
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
      if (!this.stopped) this.reconnect.schedule();
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
    this.reconnect.connected();
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
    this.reconnect.schedule();
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
    return this.units.allDemoted(this.delivery.unitIds());
  }

  /** A unit answered (data or exception): it is alive. */
  private unitAnswered(unitId: number): void {
    this.units.answered(unitId);
    this.reconnect.answered();
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
    this.delivery.deliver(batch);
    batch.clear();
    this.resync(link, reason);
  }

  private reportLoss(reason: string): void {
    this.setState('disconnected', reason);
    if (this.lossReported) return;
    this.lossReported = true;
    this.delivery.deliver(this.badBatch(this.delivery.allTags(), reason));
  }

  private waitConnected(withinMs: number): Promise<ModbusLink | undefined> {
    return this.link ? Promise.resolve(this.link) : this.reconnect.wait(withinMs, () => this.link);
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
    this.polls.replanWanted = false;
    const tags = this.delivery.allTags();
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
          quality: bad(`${where(this.device, u.key.unitId, u.key.table, u.key.address, u.key.count)}: ${u.reason}`),
          sourceTime: t,
          receiveTime: t,
        });
      }
      this.delivery.deliver(batch);
    }
    if (!this.stopped) this.schedule.kickAll();
  }

  /** One poll of a group, then a new plan if the poll taught something, or the next poll at once if one is overdue. */
  private async runGroup(group: PollGroup, link: ModbusLink): Promise<void> {
    await this.polls.poll(group, link);
    if (this.polls.replanWanted || this.refused.expire()) this.replan();
    else if (group.overdue && !group.retired && this.link) {
      group.overdue = false;
      const next = this.link;
      // Straight on (no event-loop turn lost): the poll itself always waits on I/O.
      queueMicrotask(() => {
        if (!group.retired && !group.running && next === this.link) this.background(this.runGroup(group, next));
      });
    }
  }

  // ── Samples ─────────────────────────────────────────────────────────────────────────

  private addBad(batch: Batch, tags: readonly BoundTag[], reason: string): void {
    this.lastError = reason;
    this.delivery.addBad(batch, tags, reason, this.now());
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
}
