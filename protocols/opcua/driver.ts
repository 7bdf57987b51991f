/**
 * The OPC UA driver: one client, one session and one subscription per device, monitored
 * items created in batches, notifications turned into samples once per publish response.
 *
 * Connection life cycle:
 *  - `connect()` makes the first attempt and returns; an unreachable server is retried in
 *    the background with back-off while every tag is Bad "communication lost".
 *  - A dropped connection (`connection_lost`) or a server that stops answering publishes
 *    (watchdog) turns all tags Bad at once. node-opcua repairs short breaks itself (same
 *    session, or a new session with the subscription transferred or recreated); after it
 *    says `connection_reestablished`, tags that have not been refreshed are read once so no
 *    tag stays Bad or stale when the server has nothing new to send. If the repair fails or
 *    publishes never resume, the whole client is torn down and built again.
 */
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  DataChangeNotification,
  DataType,
  NodeId,
  NumericRange,
  OPCUAClient,
  TimestampsToReturn,
  VariantArrayType,
  resolveNodeId,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type NotificationMessage,
} from 'node-opcua';
import {
  backoffDelayMs,
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
import type { OpcuaAddress, OpcuaDeviceConfig } from './config.js';
import { browseWithSession, thumbprintOf, type BrowseEntry } from './browse.js';
import { certificateManagerFor } from './certificates.js';
import { describeServerCertificateRefusal, serverCertificateRefusal } from './certificate-refusal.js';
import { buildClientOptions, userIdentity } from './client-options.js';
import {
  MAX_ITEMS_PER_CALL,
  monitoringParameters,
  planMonitoredItems,
  publishSilenceLimitMs,
  subscriptionTiming,
} from './monitoring.js';
import { decodeVariant, sampleFromDataValue, statusName } from './samples.js';
import { sameWrittenValue, variantForWrite } from './write-value.js';
import { OpcuaConditionMonitor } from './conditions.js';

export interface OpcuaDriverOptions {
  /** App data folder for certificates (the client's own certificate, trusted and rejected servers). */
  readonly pkiDir: string;
  readonly log?: DriverLogger;
  readonly now?: () => number;
}

interface Consumer {
  readonly onSamples: (samples: readonly Sample[]) => void;
  readonly entries: TagEntry[];
  groups: ClientMonitoredItemGroup[];
}

interface TagEntry {
  readonly tag: DriverTag<OpcuaAddress>;
  readonly nodeId: string;
  readonly consumer: Consumer;
  last: TagValue;
  /** The last sample delivered, re-confirmed while the subscription stays alive. */
  lastSample?: Sample;
  /** Bad because the connection was lost, and nothing fresh has arrived since. */
  commLost: boolean;
}

/** The resources of one connection attempt; replaced as a whole when the connection is rebuilt. */
interface Link {
  readonly client: OPCUAClient;
  session: ClientSession | null;
  subscription: ClientSubscription | null;
  readonly handles: Map<number, TagEntry>;
  retired: boolean;
  /** Last publish response (data or keep-alive) or successful (re)connection. */
  lastPublishAt: number;
  silenceLimitMs: number;
  /** node-opcua is repairing the connection; the watchdog allows it the back-off time. */
  repairing: boolean;
  /** The repair met a server certificate this client refuses: the link is being rebuilt. */
  certificateRefused?: boolean;
}

const CONNECT_BASE_MS = 500;
const CONNECT_MAX_MS = 10_000;
const REPAIR_GRACE_MS = 30_000;
const READ_CHUNK = 1000;

/** One line: node-opcua's messages carry line breaks that would split a status field. */
function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}

async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

export class OpcuaDriver implements Driver<OpcuaAddress> {
  readonly device: string;
  private readonly config: OpcuaDeviceConfig;
  private readonly pkiDir: string;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly consumers = new Set<Consumer>();
  private readonly byName = new Map<string, TagEntry>();
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly dataTypes = new Map<string, DataType>();
  /** Alarms & Conditions (`conditions: true`): the server's alarm conditions and their Acknowledge. */
  readonly conditions: OpcuaConditionMonitor | null;

  private state: DeviceState = 'disconnected';
  private since: number;
  private lastError: string | undefined;
  private link: Link | null = null;
  private started = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private pending: Sample[] = [];
  private flushScheduled = false;

  private readonly counters = {
    notifications: 0,
    /** Notifications the server marked with the Overflow bit: its queue for that item dropped values. */
    queueOverflows: 0,
    publishResponses: 0,
    keepAlives: 0,
    reconnects: 0,
    rebuilds: 0,
    lastPublishAt: 0,
    monitoredItems: 0,
    failedItems: 0,
    revisedPublishingMs: 0,
    revisedKeepAliveCount: 0,
    securityMode: '',
    securityPolicy: '',
  };

  constructor(config: OpcuaDeviceConfig, options: OpcuaDriverOptions) {
    this.device = config.name;
    this.config = config;
    this.pkiDir = options.pkiDir;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.since = this.now();
    const notifiers = config.conditionNotifiers ? { notifiers: config.conditionNotifiers } : {};
    const liveSession = () => (this.state === 'connected' ? (this.link?.session ?? null) : null);
    this.conditions = config.conditions
      ? new OpcuaConditionMonitor(config.name, liveSession, { ...notifiers, log: this.log, now: this.now })
      : null;
  }

  // ---------------------------------------------------------------- Driver API

  async connect(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    this.watchdog = setInterval(
      () => this.checkPublishSilence(),
      Math.max(100, Math.min(1000, Math.floor(this.config.publishingMs / 2))),
    );
    this.watchdog.unref();
    await this.openLink();
  }

  subscribe(tags: readonly DriverTag<OpcuaAddress>[], onSamples: (samples: readonly Sample[]) => void): Disposer {
    const consumer: Consumer = { onSamples, entries: [], groups: [] };
    const initial: Sample[] = [];
    const now = this.now();
    for (const tag of tags) {
      const entry: TagEntry = { tag, nodeId: tag.address.nodeId, consumer, last: null, commLost: true };
      consumer.entries.push(entry);
      this.byName.set(tag.name, entry);
      const reason =
        this.state === 'connected'
          ? 'waiting for the first value'
          : `communication lost: ${this.device} ${this.lastError ?? 'not connected yet'}`;
      initial.push({ tag: tag.name, value: null, quality: bad(reason), sourceTime: now, receiveTime: now });
    }
    this.consumers.add(consumer);
    if (initial.length > 0) onSamples(initial);
    const link = this.link;
    if (link?.subscription && this.state === 'connected') {
      void this.monitor(link, consumer).catch((err: unknown) =>
        this.log.warn({ err: errorText(err) }, 'creating monitored items failed'),
      );
    }
    return () => {
      if (!this.consumers.delete(consumer)) return;
      for (const entry of consumer.entries) {
        if (this.byName.get(entry.tag.name) === entry) this.byName.delete(entry.tag.name);
      }
      const groups = consumer.groups;
      consumer.groups = [];
      for (const group of groups) void group.terminate().catch(() => undefined);
      if (this.link)
        for (const [handle, entry] of this.link.handles)
          if (entry.consumer === consumer) this.link.handles.delete(handle);
      this.counters.monitoredItems = this.link?.handles.size ?? 0;
    };
  }

  async write(tagName: string, value: TagValue): Promise<WriteOutcome> {
    const entry = this.byName.get(tagName);
    if (!entry) return { ok: false, reason: `unknown tag ${tagName} on ${this.device}` };
    const session = this.link?.session;
    if (!session || this.state !== 'connected') {
      return { ok: false, reason: `communication lost: ${this.device} ${this.lastError ?? 'not connected'}` };
    }
    try {
      const nodeId = resolveNodeId(entry.nodeId);
      const dataType = await this.dataTypeOf(session, entry.nodeId, nodeId);
      if (dataType === null) return { ok: false, reason: `BadNodeIdUnknown: ${entry.nodeId} has no data type` };
      const variant = variantForWrite(dataType, value);
      if (!variant.ok) return { ok: false, reason: `${variant.reason} (${entry.nodeId})` };
      const index = entry.tag.address.index;
      const range = indexRange(index);
      // One element of an array node: written as a one-element array at that index.
      const written =
        index === undefined
          ? variant.variant
          : { ...variant.variant, arrayType: VariantArrayType.Array, value: [variant.variant.value] };
      const status = await session.write({
        nodeId,
        attributeId: AttributeIds.Value,
        ...(range ? { indexRange: range } : {}),
        value: { value: written },
      });
      if (status.value >>> 30 !== 0) {
        // The cached type may be stale if the server's model changed.
        if (statusName(status) === 'BadTypeMismatch') this.dataTypes.delete(entry.nodeId);
        return { ok: false, reason: `${statusName(status)} (${entry.nodeId})` };
      }
      const readBack = await session.read({
        nodeId,
        attributeId: AttributeIds.Value,
        ...(range ? { indexRange: range } : {}),
      });
      const decoded = decodeVariant(readBack.value, index !== undefined);
      if (readBack.statusCode.value >>> 30 !== 0 || !decoded.ok) return { ok: true, confirmed: false };
      return { ok: true, confirmed: sameWrittenValue(dataType, value, decoded.value), readBack: decoded.value };
    } catch (err) {
      return { ok: false, reason: `write to ${entry.nodeId} on ${this.device} failed: ${errorText(err)}` };
    }
  }

  /** Children of a node on this device's server, over the driver's own session (for the tag picker). */
  async browse(nodeId?: string): Promise<BrowseEntry[]> {
    const session = this.link?.session;
    if (!session || this.state !== 'connected')
      throw new Error(`${this.device} is not connected${this.lastError ? `: ${this.lastError}` : ''}`);
    return browseWithSession(session, nodeId);
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const link = this.link;
    this.link = null;
    if (link) await this.retire(link);
    this.setState('stopped');
  }

  status(): DeviceStatus {
    const c = this.counters;
    return {
      device: this.device,
      protocol: 'opcua',
      endpoint: this.config.endpointUrl,
      state: this.state,
      since: this.since,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      diagnostics: {
        monitoredItems: c.monitoredItems,
        failedItems: c.failedItems,
        notificationsReceived: c.notifications,
        queueOverflows: c.queueOverflows,
        publishResponses: c.publishResponses,
        keepAlives: c.keepAlives,
        lastPublishTime: c.lastPublishAt ? new Date(c.lastPublishAt).toISOString() : '',
        reconnects: c.reconnects,
        rebuilds: c.rebuilds,
        publishingIntervalMs: c.revisedPublishingMs,
        keepAliveCount: c.revisedKeepAliveCount,
        securityMode: c.securityMode,
        securityPolicy: c.securityPolicy,
      },
    };
  }

  onStatus(listener: (status: DeviceStatus) => void): Disposer {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // ---------------------------------------------------------------- connection

  private async openLink(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    let link: Link | null = null;
    try {
      const options = await buildClientOptions(this.config, this.pkiDir);
      this.counters.securityMode = options.securityModeName;
      this.counters.securityPolicy = options.securityPolicyName;
      const client = OPCUAClient.create(options.clientOptions);
      link = {
        client,
        session: null,
        subscription: null,
        handles: new Map(),
        retired: false,
        lastPublishAt: this.now(),
        silenceLimitMs: Infinity,
        repairing: false,
      };
      this.link = link;
      this.watchClient(link);
      await client.connect(options.endpointUrl);
      if (link.retired) return;
      if (this.config.username && options.securityModeName === 'None')
        await this.requireTrustedServerForPassword(client);
      if (link.retired) return;
      link.session = await client.createSession(userIdentity(this.config));
      if (link.retired) return;
      const maxPerCall = await this.maxMonitoredItemsPerCall(link.session);
      const fastest = Math.min(
        this.config.samplingMs,
        ...[...this.byName.values()].map((e) => e.tag.address.samplingMs ?? this.config.samplingMs),
      );
      const timing = subscriptionTiming(this.config.publishingMs, fastest);
      const subscription = await link.session.createSubscription2({
        requestedPublishingInterval: timing.publishingMs,
        requestedMaxKeepAliveCount: timing.maxKeepAliveCount,
        requestedLifetimeCount: timing.lifetimeCount,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      });
      link.subscription = subscription;
      this.counters.revisedPublishingMs = subscription.publishingInterval;
      this.counters.revisedKeepAliveCount = subscription.maxKeepAliveCount;
      link.silenceLimitMs = publishSilenceLimitMs(subscription.publishingInterval, subscription.maxKeepAliveCount);
      this.watchSubscription(link, subscription);
      for (const consumer of this.consumers) await this.monitor(link, consumer, maxPerCall);
      if (link.retired) return;
      link.lastPublishAt = this.now();
      this.attempt = 0;
      this.lastError = undefined;
      this.setState('connected');
      this.log.info(
        { endpoint: this.config.endpointUrl, items: link.handles.size },
        'OPC UA session and subscription ready',
      );
      if (this.conditions && link.session) void this.conditions.attach(link.session, subscription);
    } catch (err) {
      if (link && link.retired) return;
      const refusal = serverCertificateRefusal(err);
      const message = refusal
        ? await describeServerCertificateRefusal(this.config.endpointUrl, this.pkiDir, refusal)
        : errorText(err);
      if ((link && link.retired) || this.stopped) return;
      this.log.warn({ endpoint: this.config.endpointUrl, err: message }, 'OPC UA connection attempt failed');
      await this.rebuild(message);
    }
  }

  private watchClient(link: Link): void {
    const { client } = link;
    client.on('connection_lost', () => {
      if (link.retired) return;
      link.repairing = true;
      this.connectionLost(link, 'connection lost');
    });
    client.on('backoff', (count: number, delay: number) => {
      if (link.retired) return;
      const cause = (this.lastError ?? 'connection lost').replace(/ \(retry \d+ in \d+ ms\)$/, '');
      this.lastError = `${cause} (retry ${count + 1} in ${Math.round(delay)} ms)`;
    });
    client.on('start_reconnection', () => {
      if (link.retired) return;
      link.repairing = true;
      this.connectionLost(link, 'reconnecting');
    });
    // A server back with a certificate this client refuses: node-opcua would retry for ever; say so now.
    client.on('reconnection_attempt_has_failed', (err: Error) => {
      const refusal = serverCertificateRefusal(err);
      if (link.retired || link.certificateRefused || !refusal) return;
      link.certificateRefused = true;
      void describeServerCertificateRefusal(this.config.endpointUrl, this.pkiDir, refusal).then((why) => {
        if (!link.retired) {
          this.log.warn({ endpoint: this.config.endpointUrl, err: why }, 'OPC UA server certificate refused');
          void this.rebuild(why);
        }
      });
    });
    client.on('connection_reestablished', () => {
      if (link.retired) return;
      link.repairing = false;
      link.lastPublishAt = this.now();
      this.counters.reconnects += 1;
      this.lastError = undefined;
      this.setState('connected');
      this.log.info({ endpoint: this.config.endpointUrl }, 'OPC UA connection re-established');
      void this.refreshLostTags(link);
      if (this.conditions && link.session && link.subscription)
        void this.conditions.attach(link.session, link.subscription);
    });
    client.on('close', (err?: Error | null) => {
      if (link.retired || this.stopped) return;
      void this.rebuild(`connection closed${err ? `: ${err.message}` : ''}`);
    });
  }

  private watchSubscription(link: Link, subscription: ClientSubscription): void {
    subscription.on('raw_notification', (message: NotificationMessage) => this.onPublish(link, message));
    subscription.on('keepalive', () => {
      if (link.retired) return;
      this.counters.keepAlives += 1;
      link.lastPublishAt = this.now();
      this.confirmUnchanged(link, link.lastPublishAt);
      this.flush();
    });
    subscription.on('status_changed', (status) => {
      if (link.retired) return;
      const name = statusName(status);
      if (name === 'BadTimeout') void this.rebuild('subscription timed out on the server');
    });
    subscription.on('terminated', () => {
      if (link.retired || this.stopped) return;
      void this.rebuild('subscription terminated');
    });
    link.session?.on('session_closed', () => {
      if (link.retired || this.stopped) return;
      void this.rebuild('session closed by the server');
    });
  }

  /** Every publish response, keep-alive or data, proves the server alive. */
  private onPublish(link: Link, message: NotificationMessage): void {
    if (link.retired) return;
    const now = this.now();
    link.lastPublishAt = now;
    this.counters.lastPublishAt = now;
    this.counters.publishResponses += 1;
    const data = message.notificationData;
    if (!data) return;
    for (const notification of data) {
      if (!(notification instanceof DataChangeNotification) || !notification.monitoredItems) continue;
      for (const item of notification.monitoredItems) {
        const entry = link.handles.get(item.clientHandle);
        if (!entry) continue;
        this.counters.notifications += 1;
        if (item.value.statusCode.hasOverflowBit) this.counters.queueOverflows += 1;
        this.accept(entry, item.value, now);
      }
    }
    this.confirmUnchanged(link, now);
    this.flush();
  }

  /**
   * A subscription reports changes only. While publish responses keep arriving, a value
   * that did not change is still the current one: pass it on again with a fresh receive
   * time (once per sampling interval), so a quiet tag is not mistaken for a stale one.
   */
  private confirmUnchanged(link: Link, now: number): void {
    for (const entry of link.handles.values()) {
      const last = entry.lastSample;
      if (!last || entry.commLost || now - last.receiveTime < entry.tag.intervalMs) continue;
      const refreshed: Sample = { ...last, receiveTime: now };
      entry.lastSample = refreshed;
      this.pending.push(refreshed);
    }
  }

  private accept(entry: TagEntry, dv: DataValue, now: number): void {
    const sample = sampleFromDataValue(entry.tag.name, entry.nodeId, dv, entry.last, now, entry.tag.address.index);
    entry.last = sample.value;
    entry.lastSample = sample;
    entry.commLost = false;
    this.pending.push(sample);
  }

  /** Deliver what is pending, one call per consumer. */
  private flush(): void {
    if (this.pending.length === 0) return;
    const samples = this.pending;
    this.pending = [];
    if (this.consumers.size === 1) {
      const [only] = this.consumers;
      only!.onSamples(samples);
      return;
    }
    const byConsumer = new Map<Consumer, Sample[]>();
    for (const sample of samples) {
      const entry = this.byName.get(sample.tag);
      if (!entry) continue;
      let list = byConsumer.get(entry.consumer);
      if (!list) byConsumer.set(entry.consumer, (list = []));
      list.push(sample);
    }
    for (const [consumer, list] of byConsumer) consumer.onSamples(list);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private connectionLost(link: Link, why: string): void {
    if (link !== this.link) return;
    this.lastError = why;
    if (this.state !== 'disconnected') this.setState('disconnected');
    this.markAllBad(why);
  }

  private markAllBad(why: string): void {
    const now = this.now();
    const quality = bad(`communication lost: ${this.device} ${why}`);
    for (const entry of this.byName.values()) {
      entry.commLost = true;
      this.pending.push({ tag: entry.tag.name, value: entry.last, quality, sourceTime: now, receiveTime: now });
    }
    this.flush();
  }

  /** Publish silence: a hung server, or a repair that never brings publishes back. */
  private checkPublishSilence(): void {
    const link = this.link;
    if (!link || link.retired || this.stopped) return;
    const silentFor = this.now() - link.lastPublishAt;
    if (this.state === 'connected' && !link.repairing && silentFor > link.silenceLimitMs) {
      void this.rebuild(`no publish response for ${silentFor} ms`);
    } else if (link.repairing && silentFor > REPAIR_GRACE_MS) {
      void this.rebuild(`reconnection did not complete within ${REPAIR_GRACE_MS} ms`);
    } else if (this.state === 'connecting' && silentFor > REPAIR_GRACE_MS) {
      // A peer that accepts the socket but never completes the handshake or session.
      void this.rebuild(`connection attempt did not complete within ${REPAIR_GRACE_MS} ms`);
    }
  }

  /** Drop the current client entirely and try again after back-off. */
  private async rebuild(why: string): Promise<void> {
    const link = this.link;
    if (this.stopped) return;
    // A new reason while already disconnected is news for the device panel too.
    const announce = this.state === 'disconnected' && this.lastError !== why;
    if (link) {
      if (link.retired) return;
      this.connectionLost(link, why);
      this.link = null;
      this.counters.rebuilds += 1;
    } else {
      this.lastError = why;
      this.markAllBad(why);
    }
    this.lastError = why;
    if (announce) this.announceStatus();
    else this.setState('disconnected');
    for (const consumer of this.consumers) consumer.groups = [];
    if (link) void this.retire(link);
    const delay = backoffDelayMs(this.attempt++, CONNECT_BASE_MS, CONNECT_MAX_MS);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.openLink();
    }, delay);
    this.retryTimer.unref();
  }

  private async retire(link: Link): Promise<void> {
    link.retired = true;
    link.handles.clear();
    // A hung server must not hold shutdown: CloseSession gets a short time, then the socket goes.
    await settleWithin(link.client.disconnect(), 3000);
  }

  /**
   * Over an unsecured channel node-opcua encrypts the password with whatever certificate the
   * endpoint presents, without checking it; a password goes only to a server this client trusts.
   * An unknown certificate is filed under rejected/ for an engineer to trust.
   */
  private async requireTrustedServerForPassword(client: OPCUAClient): Promise<void> {
    const endpoints = await client.getEndpoints();
    const certificate = endpoints.find((e) => e.serverCertificate && e.serverCertificate.length > 0)?.serverCertificate;
    if (!certificate) throw new Error('the server offers no certificate to protect the password with');
    const manager = await certificateManagerFor(this.pkiDir);
    const verdict = await manager.checkCertificate(certificate);
    if (verdict.value >>> 30 !== 0) {
      throw new Error(
        `password not sent: server certificate ${thumbprintOf(certificate)} is not trusted (${statusName(verdict)})`,
      );
    }
  }

  // ---------------------------------------------------------------- monitored items

  private async maxMonitoredItemsPerCall(session: ClientSession): Promise<number> {
    try {
      const dv = await session.read({ nodeId: 'ns=0;i=11714', attributeId: AttributeIds.Value });
      const v: unknown = dv.value?.value;
      return typeof v === 'number' && v > 0 ? v : MAX_ITEMS_PER_CALL;
    } catch {
      return MAX_ITEMS_PER_CALL;
    }
  }

  private async monitor(link: Link, consumer: Consumer, maxPerCall = MAX_ITEMS_PER_CALL): Promise<void> {
    const subscription = link.subscription;
    if (!subscription) return;
    const byName = new Map(consumer.entries.map((e) => [e.tag.name, e] as const));
    const plans = planMonitoredItems(
      consumer.entries.map((e) => e.tag),
      this.config.samplingMs,
      maxPerCall,
      subscription.publishingInterval || this.config.publishingMs,
    );
    const now = this.now();
    for (const plan of plans) {
      if (link.retired || !this.consumers.has(consumer)) return;
      const entries = plan.tags.map((t) => byName.get(t.name)!);
      const items = entries.map(readValueIdOf);
      const invalid = entries.filter((e) => !isNodeIdText(e.nodeId));
      if (invalid.length > 0) {
        for (const e of invalid) this.pending.push(this.badSample(e, `BadNodeIdInvalid: ${e.nodeId}`, now));
        this.scheduleFlush();
        if (invalid.length === entries.length) continue;
      }
      const valid = entries.filter((e) => isNodeIdText(e.nodeId));
      const group = ClientMonitoredItemGroup.create(
        subscription,
        valid === entries ? items : valid.map(readValueIdOf),
        monitoringParameters(plan),
        TimestampsToReturn.Both,
      );
      await new Promise<void>((resolve, reject) => {
        group.once('initialized', () => {
          // Handles are registered before any publish can deliver values for them.
          group.monitoredItems.forEach((item, i) => {
            const entry = valid[i]!;
            if (item.statusCode.value >>> 30 === 0) {
              link.handles.set(item.monitoringParameters.clientHandle, entry);
            } else {
              this.counters.failedItems += 1;
              this.pending.push(this.badSample(entry, `${statusName(item.statusCode)} at ${entry.nodeId}`, now));
            }
          });
          this.scheduleFlush();
          resolve();
        });
        group.once('terminated', (err?: Error) => reject(err ?? new Error('monitored items terminated')));
      });
      consumer.groups.push(group);
    }
    this.counters.monitoredItems = link.handles.size;
  }

  private badSample(entry: TagEntry, reason: string, now: number): Sample {
    return { tag: entry.tag.name, value: entry.last, quality: bad(reason), sourceTime: now, receiveTime: now };
  }

  /** After a repair, read every tag nothing has refreshed yet: unchanged values are not re-sent by a republish. */
  private async refreshLostTags(link: Link): Promise<void> {
    const session = link.session;
    if (!session) return;
    const lost = [...this.byName.values()].filter((e) => e.commLost && isNodeIdText(e.nodeId));
    for (let i = 0; i < lost.length; i += READ_CHUNK) {
      const chunk = lost.slice(i, i + READ_CHUNK);
      try {
        const values = await session.read(chunk.map(readValueIdOf), 0);
        if (link.retired) return;
        const now = this.now();
        values.forEach((dv, k) => {
          const entry = chunk[k]!;
          if (entry.commLost) this.accept(entry, dv, now);
        });
        this.flush();
      } catch (err) {
        this.log.warn({ err: errorText(err) }, 'reading values after reconnection failed');
        return;
      }
    }
  }

  private async dataTypeOf(session: ClientSession, key: string, nodeId: NodeId): Promise<DataType | null> {
    const cached = this.dataTypes.get(key);
    if (cached !== undefined) return cached;
    const dataType = await session.getBuiltInDataType(nodeId);
    if (dataType === undefined || dataType === DataType.Null) return null;
    this.dataTypes.set(key, dataType);
    return dataType;
  }

  private setState(state: DeviceState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = this.now();
    this.announceStatus();
  }

  private announceStatus(): void {
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }
}

/** An array element is asked for with an OPC UA index range ("3"); a scalar without one. */
function indexRange(index: number | undefined): NumericRange | undefined {
  return index === undefined ? undefined : new NumericRange(index);
}

function readValueIdOf(entry: TagEntry): { nodeId: string; attributeId: number; indexRange?: NumericRange } {
  const range = indexRange(entry.tag.address.index);
  return range
    ? { nodeId: entry.nodeId, attributeId: AttributeIds.Value, indexRange: range }
    : { nodeId: entry.nodeId, attributeId: AttributeIds.Value };
}

function isNodeIdText(text: string): boolean {
  try {
    resolveNodeId(text);
    return true;
  } catch {
    return false;
  }
}
