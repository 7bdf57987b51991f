/**
 * The UI's model of the station: session, tag definitions, screens, device states and the
 * live values (in a TagStore). On every (re)connection it loads a full snapshot, in the
 * contract's order, then follows `tags.changed` / `devices.changed` events, narrowed
 * (`tags.watch`) to the tags the window shows: a console on one screen of a plant of
 * thousands of tags is not sent the whole plant several times a second. It also keeps
 * the sign-in state: nothing loads until someone is signed in, and a sign-out or another
 * user forgets every value shown. Framework-free and DOM-free; React reads it through hooks.
 */

const ACTIVE_STATES: ReadonlySet<AuthStatus['state']> = new Set(['active', 'locked']);
import type { AuthStatus, DeviceStatusDto, Reply, ScreenDto, SessionInfo, TagInfo } from '../../preload/contract.js';
import { asDeviceStatuses, asScreens, asSessionInfo, asTagInfos, asTagValues } from '../transport/loose-validate.js';
import type { SessionClient } from '../transport/session-client.js';
import type { StationTransport } from '../transport/station-transport.js';
import { TagStore, type Scheduler } from './tag-store.js';

export interface StationSnapshot {
  /** Who is signed in (null until the station first answered). */
  readonly auth: AuthStatus | null;
  readonly session: SessionInfo | null;
  readonly tags: readonly TagInfo[];
  readonly tagsByName: ReadonlyMap<string, TagInfo>;
  readonly screens: readonly ScreenDto[];
  readonly devices: readonly DeviceStatusDto[];
  /** True once a full snapshot has loaded on some connection. */
  readonly loaded: boolean;
  /** Why the last snapshot load failed, if it did. */
  readonly loadError: string | null;
}

const RELOAD_AFTER_ERROR_MS = 3000;
/** Screens mount and unmount their values in bursts: tell the station once they settle. */
const WATCH_SETTLE_MS = 20;

const empty: StationSnapshot = {
  auth: null,
  session: null,
  tags: [],
  tagsByName: new Map(),
  screens: [],
  devices: [],
  loaded: false,
  loadError: null,
};

export class Station {
  readonly values: TagStore;
  private snapshot: StationSnapshot = empty;
  private readonly listeners = new Set<() => void>();
  private readonly disposers: (() => void)[] = [];
  /** Bumped per connection so a late reply from an old connection is ignored. */
  private generation = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPhase: string | null = null;
  private watchTimer: ReturnType<typeof setTimeout> | null = null;
  private watchInFlight = false;
  /** The shown tags changed while a `tags.watch` was in flight: send again when it returns. */
  private watchAgain = false;
  /** The generation whose snapshot has loaded (the watch follows the snapshot). */
  private loadedGeneration = -1;
  /** Sign-in answers are numbered as asked; the newest followed so far. */
  private authAsked = 0;
  private authFollowed = 0;

  constructor(
    readonly transport: StationTransport,
    private readonly sessionClient: SessionClient,
    scheduler?: Scheduler,
  ) {
    this.values = new TagStore(scheduler);
  }

  start(): void {
    this.disposers.push(
      this.transport.on('tags.changed', (payload) => {
        const data: unknown = payload;
        this.values.apply(asTagValues((data as { values?: unknown } | null)?.values));
      }),
      this.transport.on('devices.changed', (payload) => {
        const data: unknown = payload;
        const list = (data as { devices?: unknown } | null)?.devices;
        if (Array.isArray(list)) this.update({ devices: mergeDevices(this.snapshot.devices, asDeviceStatuses(list)) });
      }),
      this.transport.on('auth.changed', (payload) => {
        const data: unknown = payload;
        if (typeof (data as { state?: unknown } | null)?.state === 'string') void this.refreshAuth();
      }),
      this.transport.onStatus(() => this.onStatus()),
      this.values.onWatchedChange(() => this.scheduleWatch()),
    );
    this.transport.setPreflight(async () => {
      // The socket opens first and the console draws the signed-in state a task later: its
      // first render (tens of ms) need not stand between the sign-in check and the connection.
      const reply = await this.refreshAuth(true);
      if (!reply.ok) return 'unreachable';
      return ACTIVE_STATES.has(reply.value.state) ? 'open' : 'hold';
    });
    this.transport.start();
    this.onStatus();
    // The IPC door has no preflight: ask who is signed in now.
    if (this.transport.door === 'ipc') void this.refreshAuth();
  }

  /**
   * Asks the station who is signed in to this window and follows the answer (in a task of
   * its own with `later`). An answer older than one already followed is dropped.
   */
  async refreshAuth(later = false): Promise<Reply<AuthStatus>> {
    const asked = ++this.authAsked;
    const reply = await this.sessionClient.request('auth.status', {});
    if (!reply.ok) return reply;
    const follow = () => {
      if (asked < this.authFollowed) return;
      this.authFollowed = asked;
      this.setAuth(reply.value);
    };
    if (later) setTimeout(follow, 0);
    else follow();
    return reply;
  }

  signIn(name: string, password: string): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.login', { name, password }));
  }

  createFirstAdmin(name: string, password: string): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.createFirstAdmin', { name, password }));
  }

  unlock(password: string): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.unlock', { password }));
  }

  lock(): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.lock', {}));
  }

  signOut(): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.logout', {}));
  }

  /** Shift handover: another user takes this console over (a new session, so the socket reconnects). */
  async switchUser(name: string, password: string): Promise<Reply<AuthStatus>> {
    const reply = await this.sessionClient.request('auth.switchUser', { name, password });
    // A refused switch answers with the current (unchanged) session and a message.
    const switched = reply.ok && reply.value.state === 'active' && reply.value.message === null;
    if (reply.ok) this.followAuthNow(reply.value, switched);
    return reply;
  }

  changePassword(oldPassword: string, newPassword: string): Promise<Reply<AuthStatus>> {
    return this.authAction(this.sessionClient.request('auth.changePassword', { oldPassword, newPassword }));
  }

  /**
   * A user request that counts as activity on the runtime (the idle lock restarts), then
   * the fresh lock time. Moving the mouse over the console does not reach the runtime.
   */
  async stayActive(): Promise<void> {
    await this.transport.request('tags.read', { tags: [] });
    await this.refreshAuth();
  }

  private async authAction(pending: Promise<Reply<AuthStatus>>): Promise<Reply<AuthStatus>> {
    const reply = await pending;
    if (reply.ok) this.followAuthNow(reply.value);
    return reply;
  }

  /** An answer to the user's own action: newer than any status check still on its way. */
  private followAuthNow(next: AuthStatus, newSession = false): void {
    this.authFollowed = ++this.authAsked;
    this.setAuth(next, newSession);
  }

  /**
   * Follows a sign-in state: connects once someone is signed in, disconnects and forgets
   * the plant when nobody is, and forgets values when another user took over (their areas
   * may differ).
   */
  private setAuth(next: AuthStatus, newSession = false): void {
    const previous = this.snapshot.auth;
    const wasIn = previous !== null && ACTIVE_STATES.has(previous.state);
    const isIn = ACTIVE_STATES.has(next.state);
    const otherUser = wasIn && isIn && (newSession || previous.user?.name !== next.user?.name);
    if ((wasIn && !isIn) || otherUser) {
      this.generation++;
      this.values.clear();
      this.update({ ...empty, auth: next });
    } else {
      this.update({ auth: next });
    }
    if (!isIn) {
      if (this.transport.status().phase !== 'paused') this.transport.pause();
    } else if (otherUser && this.transport.door === 'websocket') {
      // A socket belongs to the session it was opened with; a user switch makes a new
      // session (new cookie), so the old socket would only hear UNAUTHENTICATED: reopen it.
      this.transport.pause();
      this.transport.resume();
    } else if (this.transport.status().phase === 'paused') {
      this.transport.resume();
    }
    if (next.state === 'active' && (previous?.state !== 'active' || otherUser)) this.maybeLoad();
  }

  private maybeLoad(): void {
    if (this.transport.status().phase !== 'connected' || this.snapshot.auth?.state !== 'active') return;
    void this.load(++this.generation);
  }

  stop(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.transport.stop();
    this.values.dispose();
  }

  /** Reads the tag list again (tags defined after the snapshot, e.g. the outputs of a model activated since). */
  async reloadTags(): Promise<void> {
    const generation = this.generation;
    const tags = await this.transport.request('tags.list', {});
    if (generation !== this.generation || !tags.ok) return;
    const tagList = asTagInfos(tags.value);
    this.update({ tags: tagList, tagsByName: new Map(tagList.map((info) => [info.name, info])) });
  }

  getSnapshot = (): StationSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(patch: Partial<StationSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  private onStatus(): void {
    const phase = this.transport.status().phase;
    if (phase === this.lastPhase) return;
    this.lastPhase = phase;
    this.generation++;
    if (phase === 'connected') this.maybeLoad();
  }

  private scheduleWatch(): void {
    if (this.watchTimer) return;
    this.watchTimer = setTimeout(() => {
      this.watchTimer = null;
      void this.sendWatch();
    }, WATCH_SETTLE_MS);
  }

  /**
   * Narrows this connection's pushes to the tags shown now, and takes their current values
   * from the reply (a value shown for the first time does not wait for its next change).
   * One request at a time; a change meanwhile sends the newest list when it returns.
   */
  private async sendWatch(): Promise<void> {
    if (this.loadedGeneration !== this.generation || this.transport.status().phase !== 'connected') return; // the next snapshot sends it
    if (this.watchInFlight) {
      this.watchAgain = true;
      return;
    }
    this.watchInFlight = true;
    const generation = this.generation;
    try {
      const reply = await this.transport.request('tags.watch', { tags: this.values.watchedTags() });
      // A station without `tags.watch` keeps pushing every tag: nothing to do.
      if (reply.ok && generation === this.generation) this.values.apply(asTagValues(reply.value));
    } finally {
      this.watchInFlight = false;
    }
    if (this.watchAgain) {
      this.watchAgain = false;
      void this.sendWatch();
    }
  }

  /** Loads the full snapshot: session, tag list, screens, devices, then every current value. */
  private async load(generation: number): Promise<void> {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    const t = this.transport;
    const stale = () => generation !== this.generation;
    try {
      const session = await t.request('session.info', {});
      if (stale()) return;
      const tags = await t.request('tags.list', {});
      if (stale()) return;
      const screens = await t.request('screens.list', {});
      if (stale()) return;
      const devices = await t.request('devices.list', {});
      if (stale()) return;
      const values = await t.request('tags.read', {});
      if (stale()) return;
      const failed = [session, tags, screens, devices, values].find((r) => !r.ok);
      if (failed && !failed.ok) throw new Error(`${failed.error.code}: ${failed.error.message}`);
      const tagList = tags.ok ? asTagInfos(tags.value) : [];
      this.values.apply(values.ok ? asTagValues(values.value) : []);
      this.update({
        session: session.ok ? asSessionInfo(session.value) : null,
        tags: tagList,
        tagsByName: new Map(tagList.map((info) => [info.name, info])),
        screens: screens.ok ? asScreens(screens.value) : [],
        devices: devices.ok ? asDeviceStatuses(devices.value) : [],
        loaded: true,
        loadError: null,
      });
      this.loadedGeneration = generation;
      void this.sendWatch();
    } catch (err) {
      if (stale()) return;
      this.update({ loadError: err instanceof Error ? err.message : String(err) });
      // Still connected but the station refused: try again shortly (a lost link reloads on reconnect).
      this.reloadTimer = setTimeout(() => {
        if (!stale() && this.transport.status().phase === 'connected') void this.load(generation);
      }, RELOAD_AFTER_ERROR_MS);
    }
  }
}

/** Devices from an event replace those of the same name; others keep their last known state. */
export function mergeDevices(
  current: readonly DeviceStatusDto[],
  incoming: readonly DeviceStatusDto[],
): DeviceStatusDto[] {
  const byName = new Map(incoming.map((d) => [d.device, d]));
  const merged = current.map((d) => byName.get(d.device) ?? d);
  const known = new Set(current.map((d) => d.device));
  for (const d of incoming) if (!known.has(d.device)) merged.push(d);
  return merged;
}
