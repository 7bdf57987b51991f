/**
 * One connected window's view of the live plant. Tag updates are coalesced (latest
 * value wins per tag): changes go out within `changeFlushMs`; values that only got
 * fresher (same value, newer receive time) go out once per `refreshFlushMs`, so the
 * window can tell a quiet tag from a stale one without streaming every poll.
 */
import type { EventName, EventPayload, TagValueDto } from '../../../preload/contract.js';
import type { Disposer } from '../../../protocols/driver.js';
import type { TagTable, TagUpdate } from '../tags/tag-table.js';
import { toTagValueDto } from '../tags/tag-dto.js';
import type { DeviceRegistry } from '../devices/device-registry.js';

export type EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export interface ClientChannelOptions {
  readonly changeFlushMs?: number;
  readonly refreshFlushMs?: number;
}

export class ClientChannel {
  private readonly changed = new Map<string, TagUpdate['sample']>();
  private readonly refreshed = new Map<string, TagUpdate['sample']>();
  private changeTimer: NodeJS.Timeout | null = null;
  private readonly refreshTimer: NodeJS.Timeout;
  private readonly disposers: Disposer[] = [];
  private closed = false;

  constructor(
    tags: TagTable,
    devices: DeviceRegistry,
    private readonly send: EventSink,
    private readonly options: ClientChannelOptions = {},
  ) {
    this.disposers.push(tags.subscribe((updates) => this.onTags(updates)));
    this.disposers.push(devices.onChange(() => this.send('devices.changed', { devices: devices.list() })));
    this.refreshTimer = setInterval(() => this.flushRefreshed(), options.refreshFlushMs ?? 1000);
    this.refreshTimer.unref();
  }

  private onTags(updates: readonly TagUpdate[]): void {
    for (const { sample, changed } of updates) {
      if (changed || this.changed.has(sample.tag)) {
        this.changed.set(sample.tag, sample);
        this.refreshed.delete(sample.tag);
      } else {
        this.refreshed.set(sample.tag, sample);
      }
    }
    if (this.changed.size > 0 && this.changeTimer === null && !this.closed) {
      this.changeTimer = setTimeout(() => this.flushChanged(), this.options.changeFlushMs ?? 50);
      this.changeTimer.unref();
    }
  }

  private flushChanged(): void {
    this.changeTimer = null;
    if (this.closed || this.changed.size === 0) return;
    const values: TagValueDto[] = [];
    for (const sample of this.changed.values()) values.push(toTagValueDto(sample));
    this.changed.clear();
    this.send('tags.changed', { values });
  }

  private flushRefreshed(): void {
    if (this.closed || this.refreshed.size === 0) return;
    const values: TagValueDto[] = [];
    for (const sample of this.refreshed.values()) values.push(toTagValueDto(sample));
    this.refreshed.clear();
    this.send('tags.changed', { values });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    clearInterval(this.refreshTimer);
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
