/**
 * One connected window's view of the live plant. Tag updates are coalesced (latest
 * value wins per tag): changes go out within `changeFlushMs`; values that only got
 * fresher (same value, newer receive time) go out once per `refreshFlushMs`, so the
 * window can tell a quiet tag from a stale one without streaming every poll.
 *
 * A window may narrow its pushes to the tags it shows (`watch`, the `tags.watch` request):
 * a console on one screen of a plant of thousands of tags is sent that screen's values,
 * not the whole plant's twenty times a second. Until it asks, it is sent every tag.
 */
import type { EventName, EventPayload, TagValueDto } from '../../../preload/contract.js';
import type { Disposer } from '../../../protocols/driver.js';
import type { TagTable, TagUpdate } from '../tags/tag-table.js';
import { toTagValueDto } from '../tags/tag-dto.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { Principal } from '../security/permissions.js';
import type { AuthStatus } from '../../../preload/contract.js';
import { tagVisibleTo } from './visibility.js';
import type { RuntimeEvents } from './runtime-events.js';
import { can } from '../security/permissions.js';
import { AlarmChannel, type AlarmFeed } from './alarm-channel.js';

/** Who the window belongs to right now: pushes go only to an active session, filtered to its areas. */
export interface ChannelAccess {
  readonly state: AuthStatus['state'];
  readonly principal: Principal | null;
  /** The window's session, for events meant for one session only. */
  readonly sessionId?: string | null;
}

export type EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export interface ClientChannelOptions {
  readonly changeFlushMs?: number;
  readonly refreshFlushMs?: number;
  /** Other runtime events, passed on to windows whose user holds each event's permission. */
  readonly events?: RuntimeEvents;
  /** Alarm changes, passed on (coalesced, filtered to the user's areas) to signed-in windows. */
  readonly alarms?: AlarmFeed;
  /**
   * True while the window's link is not taking what it was sent: tag values are held (the
   * latest per tag) and go out once it drains, instead of being sent into a full buffer.
   */
  readonly congested?: () => boolean;
}

export class ClientChannel {
  private readonly changed = new Map<string, TagUpdate['sample']>();
  private readonly refreshed = new Map<string, TagUpdate['sample']>();
  private changeTimer: NodeJS.Timeout | null = null;
  private lastChangeFlush = 0;
  private readonly refreshTimer: NodeJS.Timeout;
  private readonly disposers: Disposer[] = [];
  private closed = false;

  private lastState: AuthStatus['state'] | null = null;
  /** The tags this window shows; null: every tag. */
  private watched: ReadonlySet<string> | null = null;

  constructor(
    tags: TagTable,
    devices: DeviceRegistry,
    private readonly send: EventSink,
    private readonly access: () => ChannelAccess,
    private readonly options: ClientChannelOptions = {},
  ) {
    this.disposers.push(tags.subscribe((updates) => this.onTags(updates)));
    this.disposers.push(
      devices.onChange(() => {
        if (this.currentAccess().principal) this.send('devices.changed', { devices: devices.list() });
      }),
    );
    if (options.events) {
      this.disposers.push(
        options.events.subscribe((event) => {
          const { principal, sessionId } = this.currentAccess();
          if (event.sessionId !== undefined && event.sessionId !== sessionId) return;
          if (principal && can(principal.role, event.permission)) this.send(event.name, event.data as never);
        }),
      );
    }
    if (options.alarms) {
      const alarms = new AlarmChannel(
        options.alarms,
        (payload) => this.send('alarms.changed', payload),
        () => this.currentAccess().principal,
      );
      this.disposers.push(() => alarms.close());
    }
    this.lastState = access().state;
    this.refreshTimer = setInterval(() => this.flushRefreshed(), options.refreshFlushMs ?? 1000);
    this.refreshTimer.unref();
  }

  /**
   * Push only these tags from now on (null: every tag again). Pending values of tags no
   * longer watched are dropped; the caller reads the current values of newly watched ones.
   */
  watch(tags: ReadonlySet<string> | null): void {
    this.watched = tags;
    if (!tags) return;
    for (const tag of this.changed.keys()) if (!tags.has(tag)) this.changed.delete(tag);
    for (const tag of this.refreshed.keys()) if (!tags.has(tag)) this.refreshed.delete(tag);
  }

  private onTags(updates: readonly TagUpdate[]): void {
    const watched = this.watched;
    for (const { sample, changed } of updates) {
      if (watched !== null && !watched.has(sample.tag)) continue;
      if (changed || this.changed.has(sample.tag)) {
        this.changed.set(sample.tag, sample);
        this.refreshed.delete(sample.tag);
      } else {
        this.refreshed.set(sample.tag, sample);
      }
    }
    if (this.changed.size > 0 && this.changeTimer === null && !this.closed) {
      // Leading edge: a change after a quiet spell goes out on the next turn of the event loop
      // (batching what arrived together); while changes keep coming, at most one push per window.
      const window = this.options.changeFlushMs ?? 50;
      const wait = Math.max(0, this.lastChangeFlush + window - Date.now());
      this.changeTimer = setTimeout(() => this.flushChanged(), wait);
      this.changeTimer.unref();
    }
  }

  /** The window's access, telling it when its session state changed (idle lock, expiry, sign-out). */
  private currentAccess(): ChannelAccess {
    const access = this.access();
    if (access.state !== this.lastState) {
      this.lastState = access.state;
      this.send('auth.changed', { state: access.state });
    }
    return access;
  }

  private flushChanged(): void {
    this.changeTimer = null;
    if (this.closed || this.changed.size === 0) return;
    if (this.options.congested?.()) {
      // Hold on (latest value wins per tag meanwhile) and look again shortly.
      this.changeTimer = setTimeout(() => this.flushChanged(), this.options.changeFlushMs ?? 50);
      this.changeTimer.unref();
      return;
    }
    this.lastChangeFlush = Date.now();
    this.sendValues(this.changed);
  }

  private flushRefreshed(): void {
    if (this.closed || this.options.congested?.()) return;
    this.sendValues(this.refreshed);
  }

  private sendValues(pending: Map<string, TagUpdate['sample']>): void {
    const { principal } = this.currentAccess();
    if (pending.size === 0) return;
    const values: TagValueDto[] = [];
    if (principal)
      for (const sample of pending.values())
        if (tagVisibleTo(principal, sample.tag)) values.push(toTagValueDto(sample));
    pending.clear();
    if (values.length > 0) this.send('tags.changed', { values });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    clearInterval(this.refreshTimer);
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
