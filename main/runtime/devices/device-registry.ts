/**
 * The project's devices with their drivers: starts them, routes their samples into
 * the tag table, and keeps the status list the devices panel and health API show.
 * A fault on one device stays with that device.
 */
import {
  canBrowse,
  conditionEventsOf,
  type BrowseEntry,
  type DeviceStatus,
  type Disposer,
  type TagValue,
  type WriteOutcome,
} from '../../../protocols/driver.js';
import type { DeviceStatusDto } from '../../../preload/contract.js';
import type { ConditionUpdate } from '../../../protocols/opcua/index.js';
import type { ProjectConfig } from '../config/schema.js';
import type { TagTable } from '../tags/tag-table.js';
import type { Logger } from '../logging/logger.js';
import { bindDevice, type BoundDevice, type DriverContext } from './driver-factory.js';
import type { ConditionFeed } from '../alarms/opcua-conditions.js';

export class DeviceRegistry {
  private readonly bound: BoundDevice[] = [];
  private readonly tagsByDevice = new Map<string, string[]>();
  private readonly listeners = new Set<() => void>();
  private readonly disposers: Disposer[] = [];
  private notifyTimer: NodeJS.Timeout | null = null;
  /** The list built for the notification being delivered (shared by its listeners), else null. */
  private listing: DeviceStatusDto[] | null = null;

  constructor(
    project: ProjectConfig,
    private readonly tags: TagTable,
    ctx: DriverContext,
    private readonly log: Logger,
  ) {
    for (const device of project.devices) {
      const deviceTags = project.tags.filter((t) => t.device === device.name);
      this.tagsByDevice.set(
        device.name,
        deviceTags.map((t) => t.name),
      );
      this.bound.push(bindDevice(device, deviceTags, ctx));
    }
  }

  /** Subscribe and connect every driver; a device that cannot be reached keeps retrying on its own. */
  async start(): Promise<void> {
    for (const { driver, tags } of this.bound) {
      this.disposers.push(driver.onStatus(() => this.notifySoon()));
      this.disposers.push(
        driver.subscribe(tags, (samples) => {
          // The panel shows bad-tag counts: tell listeners when one moves, not on every poll.
          if (this.tags.apply(samples) !== 0) this.notifySoon();
        }),
      );
    }
    await Promise.all(
      this.bound.map(({ driver }) =>
        driver
          .connect()
          .catch((err: unknown) => this.log.error({ err, device: driver.device }, 'driver failed to start')),
      ),
    );
  }

  list(): DeviceStatusDto[] {
    return this.listing ?? this.bound.map(({ driver }) => this.toDto(driver.status()));
  }

  get(name: string): DeviceStatusDto | undefined {
    const found = this.bound.find((b) => b.driver.device === name);
    return found ? this.toDto(found.driver.status()) : undefined;
  }

  /** Write through the tag's driver. Nothing is queued: a device that is not connected refuses. */
  async write(tag: string, value: TagValue): Promise<WriteOutcome> {
    const bound = this.bound.find((b) => this.tagsByDevice.get(b.driver.device)?.includes(tag));
    if (!bound) return { ok: false, reason: `${tag} belongs to no device` };
    const status = bound.driver.status();
    if (status.state !== 'connected')
      return {
        ok: false,
        reason: `${status.device} is ${status.state}${status.lastError ? ` (${status.lastError})` : ''}`,
      };
    return bound.driver.write(tag, value);
  }

  /** Children of a node on a connected device whose driver can browse (OPC UA), over the driver's own session. */
  async browse(device: string, nodeId?: string): Promise<BrowseEntry[]> {
    const driver = this.bound.find((b) => b.driver.device === device)?.driver;
    if (!driver || !canBrowse(driver)) throw new Error(`${device} is not an OPC UA device`);
    return driver.browse(nodeId);
  }

  /** OPC UA devices with Alarms & Conditions on (`conditions: true`): their condition feeds for the alarm service. */
  conditionFeeds(): ConditionFeed[] {
    const feeds: ConditionFeed[] = [];
    for (const { driver } of this.bound) {
      const monitor = conditionEventsOf<ConditionUpdate>(driver);
      if (!monitor) continue;
      feeds.push({
        device: driver.device,
        tags: this.tagsByDevice.get(driver.device) ?? [],
        onCondition: (listener) => monitor.onCondition(listener),
        acknowledge: (conditionId, eventId, comment) => monitor.acknowledge(conditionId, eventId, comment),
      });
    }
    return feeds;
  }

  /** The device a tag belongs to. */
  deviceOf(tag: string): string | undefined {
    for (const [device, names] of this.tagsByDevice) if (names.includes(tag)) return device;
    return undefined;
  }

  onChange(listener: () => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    await Promise.all(
      this.bound.map(({ driver }) =>
        driver
          .close()
          .catch((err: unknown) => this.log.warn({ err, device: driver.device }, 'driver did not close cleanly')),
      ),
    );
  }

  private badTagCount(device: string): number {
    let bad = 0;
    for (const name of this.tagsByDevice.get(device) ?? []) if (this.tags.get(name)?.quality.code !== 'Good') bad++;
    return bad;
  }

  private toDto(status: DeviceStatus): DeviceStatusDto {
    const names = this.tagsByDevice.get(status.device) ?? [];
    const bad = this.badTagCount(status.device);
    const dto: DeviceStatusDto = {
      device: status.device,
      protocol: status.protocol,
      endpoint: status.endpoint,
      state: status.state,
      since: status.since,
      diagnostics: { ...status.diagnostics },
      tagCount: names.length,
      badTagCount: bad,
    };
    if (status.lastError !== undefined) dto.lastError = status.lastError;
    return dto;
  }

  private notifySoon(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      // Every window's channel (and the alarm service) asks for the list: build it once per notification.
      this.listing = this.bound.map(({ driver }) => this.toDto(driver.status()));
      try {
        for (const listener of this.listeners) listener();
      } finally {
        this.listing = null;
      }
    }, 100);
    this.notifyTimer.unref();
  }
}
