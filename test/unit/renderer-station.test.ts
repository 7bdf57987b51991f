/**
 * The console's station model against an in-memory front door: the snapshot order on
 * (re)connection, events applied on top, and nothing older overwriting anything newer.
 */
import { describe, expect, it } from 'vitest';
import type { AuthStatus, EventName, EventPayload, Reply, RequestName, TagValueDto } from '../../preload/contract.js';
import { Station, mergeDevices } from '../../renderer/state/station.js';
import type { ConnectionStatus, Preflight, StationTransport } from '../../renderer/transport/station-transport.js';
import type { SessionClient, SessionMethod } from '../../renderer/transport/session-client.js';
import type { Scheduler } from '../../renderer/state/tag-store.js';

const immediate: Scheduler = (fn) => {
  fn();
  return () => undefined;
};

const device = (name: string, state: 'connected' | 'disconnected') => ({
  device: name,
  protocol: 'modbus-tcp' as const,
  endpoint: '127.0.0.1:502',
  state,
  since: 1,
  diagnostics: {},
  tagCount: 1,
  badTagCount: state === 'connected' ? 0 : 1,
});

/** A front door whose station answers from plain data and whose link the test opens and drops. */
class InMemoryDoor implements StationTransport {
  readonly door = 'websocket' as const;
  readonly calls: string[] = [];
  values: TagValueDto[] = [{ tag: 'A', v: 1, q: 'Good', ts: 100, rt: 100 }];
  /** Holds tags.read replies until released, to deliver a snapshot after newer events. */
  holdRead: (() => void) | null = null;
  private current: ConnectionStatus = {
    phase: 'connecting',
    since: 0,
    attempt: 0,
    nextRetryAt: null,
    everConnected: false,
  };
  private readonly statusListeners = new Set<() => void>();
  private readonly eventListeners = new Map<string, Set<(p: unknown) => void>>();

  /** The tag lists of every `tags.watch`, in order. */
  readonly watched: (string[] | null)[] = [];
  request<N extends RequestName>(name: N, params?: unknown): Promise<Reply<never>> {
    this.calls.push(name);
    if (name === 'tags.watch') {
      const tags = (params as { tags: string[] | null }).tags;
      this.watched.push(tags);
      return Promise.resolve({
        ok: true,
        value: this.values.filter((v) => tags === null || tags.includes(v.tag)),
      } as unknown as Reply<never>);
    }
    const answers: Record<string, unknown> = {
      'session.info': {
        product: 'Argus',
        version: '0',
        mode: 'station',
        projectName: 'Demo',
        simulated: true,
        serverTime: 0,
      },
      'tags.list': [
        {
          name: 'A',
          device: 'PLC',
          description: { en: 'A' },
          unit: '°C',
          kind: 'analog',
          decimals: 1,
          writable: false,
          critical: false,
          intervalMs: 250,
        },
        { name: 'broken' },
      ],
      'screens.list': [{ id: 'overview', title: 'O', level: 1, width: 10, height: 10, elements: [] }],
      'devices.list': [device('PLC', 'connected')],
      'tags.read': this.values,
    };
    const reply = { ok: true, value: answers[name] } as unknown as Reply<never>;
    if (name === 'tags.read') {
      const snapshot = structuredClone(reply);
      return new Promise((resolve) => {
        if (this.holdRead) this.holdRead = () => resolve(snapshot);
        else resolve(snapshot);
      });
    }
    return Promise.resolve(reply);
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.eventListeners.get(name) ?? new Set();
    this.eventListeners.set(name, set);
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }

  emit(name: string, data: unknown): void {
    for (const l of this.eventListeners.get(name) ?? []) l(data);
  }

  setPhase(phase: ConnectionStatus['phase']): void {
    this.current = { ...this.current, phase, everConnected: this.current.everConnected || phase === 'connected' };
    for (const l of this.statusListeners) l();
  }

  preflight: Preflight | null = null;
  setPreflight(p: Preflight) {
    this.preflight = p;
  }
  paused = 0;
  pause() {
    this.paused++;
    this.setPhase('paused');
  }
  resume() {
    void this.connect();
  }
  /** What the WebSocket door does: ask the preflight, then open or hold. */
  async connect(): Promise<void> {
    this.setPhase('connecting');
    const verdict = this.preflight ? await this.preflight() : 'open';
    if (this.current.phase !== 'connecting') return;
    this.setPhase(verdict === 'open' ? 'connected' : verdict === 'hold' ? 'paused' : 'disconnected');
  }

  status = () => this.current;
  onStatus(listener: () => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  start() {}
  stop() {}
}

const settle = () => new Promise((r) => setTimeout(r, 0));

const status = (state: AuthStatus['state'], user: string | null = 'op'): AuthStatus => ({
  state,
  user: user && (state === 'active' || state === 'locked') ? { name: user, role: 'operator', areas: [] } : null,
  permissions: [],
  locksAt: null,
  demoUsers: null,
  message: null,
  retryAfterMs: null,
});

/** A station's session side: who is signed in, and which passwords it takes. */
class InMemorySessions implements SessionClient {
  current: AuthStatus = status('active');
  readonly calls: string[] = [];
  async request(method: SessionMethod, params: unknown): Promise<Reply<AuthStatus>> {
    this.calls.push(method);
    const p = params as { name?: string; password?: string };
    if (method === 'auth.login')
      this.current =
        p.password === 'right'
          ? status('active', p.name ?? null)
          : { ...status('signed-out'), message: 'wrong password' };
    if (method === 'auth.logout') this.current = status('signed-out');
    if (method === 'auth.lock') this.current = status('locked', this.current.user?.name ?? null);
    if (method === 'auth.unlock')
      this.current = p.password === 'right' ? status('active', this.current.user?.name ?? null) : this.current;
    return { ok: true, value: this.current };
  }
}

describe('Station', () => {
  it('loads the snapshot in contract order when connected, dropping malformed items', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, new InMemorySessions(), immediate);
    station.start();
    expect(door.calls).toEqual([]);
    await door.connect();
    await settle();
    expect(door.calls).toEqual([
      'session.info',
      'tags.list',
      'screens.list',
      'devices.list',
      'tags.read',
      'tags.watch',
    ]);
    const snap = station.getSnapshot();
    expect(snap.loaded).toBe(true);
    expect(snap.session?.simulated).toBe(true);
    expect(snap.tags.map((t) => t.name)).toEqual(['A']);
    expect(station.values.get('A')?.v).toBe(1);
  });

  it('applies events, ignores malformed ones, and reloads everything on reconnect', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, new InMemorySessions(), immediate);
    station.start();
    await door.connect();
    await settle();
    door.emit('tags.changed', { values: [{ tag: 'A', v: 2, q: 'Good', ts: 200, rt: 200 }, { junk: true }] });
    door.emit('tags.changed', 'garbage');
    door.emit('devices.changed', { devices: [device('PLC', 'disconnected')] });
    expect(station.values.get('A')?.v).toBe(2);
    expect(station.getSnapshot().devices[0]?.state).toBe('disconnected');

    door.setPhase('disconnected');
    door.values = [{ tag: 'A', v: 3, q: 'Good', ts: 300, rt: 300 }];
    door.calls.length = 0;
    await door.connect();
    await settle();
    expect(door.calls).toEqual([
      'session.info',
      'tags.list',
      'screens.list',
      'devices.list',
      'tags.read',
      'tags.watch',
    ]);
    expect(station.values.get('A')?.v).toBe(3);
    expect(station.getSnapshot().devices[0]?.state).toBe('connected');
  });

  it('does not let a snapshot overwrite newer values that arrived by event meanwhile', async () => {
    const door = new InMemoryDoor();
    door.holdRead = () => undefined;
    const station = new Station(door, new InMemorySessions(), immediate);
    station.start();
    await door.connect();
    await settle();
    door.emit('tags.changed', { values: [{ tag: 'A', v: 9, q: 'Bad', r: 'communication lost', ts: 500, rt: 500 }] });
    door.holdRead!();
    await settle();
    expect(station.values.get('A')).toMatchObject({ v: 9, q: 'Bad' });
  });
});

describe('Station sign-in', () => {
  it('holds the link closed while nobody is signed in, and connects and loads after sign-in', async () => {
    const door = new InMemoryDoor();
    const sessions = new InMemorySessions();
    sessions.current = status('signed-out');
    const station = new Station(door, sessions, immediate);
    station.start();
    await door.connect();
    await settle();
    expect(door.status().phase).toBe('paused');
    expect(door.calls).toEqual([]);
    expect(station.getSnapshot().auth?.state).toBe('signed-out');

    const refused = await station.signIn('op', 'wrong');
    expect(refused.ok && refused.value.message).toBe('wrong password');
    expect(door.status().phase).toBe('paused');

    await station.signIn('op', 'right');
    await settle();
    expect(door.status().phase).toBe('connected');
    expect(door.calls).toContain('tags.read');
    expect(station.values.get('A')?.v).toBe(1);
  });

  it('forgets every value and disconnects on sign-out', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, new InMemorySessions(), immediate);
    station.start();
    await door.connect();
    await settle();
    expect(station.values.get('A')).toBeDefined();
    await station.signOut();
    expect(door.paused).toBe(1);
    expect(station.values.get('A')).toBeUndefined();
    expect(station.getSnapshot()).toMatchObject({ loaded: false, tags: [], auth: { state: 'signed-out' } });
  });

  it('reloads the snapshot after an unlock and follows auth.changed events', async () => {
    const door = new InMemoryDoor();
    const sessions = new InMemorySessions();
    const station = new Station(door, sessions, immediate);
    station.start();
    await door.connect();
    await settle();
    sessions.current = status('locked', 'op');
    door.emit('auth.changed', { state: 'locked' });
    await settle();
    expect(station.getSnapshot().auth?.state).toBe('locked');
    door.calls.length = 0;
    await station.unlock('right');
    await settle();
    expect(door.calls).toContain('tags.read');
    expect(station.getSnapshot().auth?.state).toBe('active');
  });
});

describe('mergeDevices', () => {
  it('replaces devices by name and keeps the others', () => {
    const merged = mergeDevices(
      [device('A', 'connected'), device('B', 'connected')],
      [device('B', 'disconnected'), device('C', 'connected')],
    );
    expect(merged.map((d) => `${d.device}:${d.state}`)).toEqual(['A:connected', 'B:disconnected', 'C:connected']);
  });
});

describe('Station narrowing its pushes to the tags shown', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('tells the station after every snapshot and whenever a tag is first or last shown, taking the reply’s values', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, new InMemorySessions(), immediate);
    const offA = station.values.subscribe('A', () => undefined);
    station.start();
    await door.connect();
    await settle();
    expect(door.watched).toEqual([['A']]);

    // A burst of mounts and unmounts (a screen change) makes one request with the settled list.
    door.values = [
      { tag: 'A', v: 1, q: 'Good', ts: 100, rt: 100 },
      { tag: 'B', v: 7, q: 'Good', ts: 150, rt: 150 },
    ];
    const offB = station.values.subscribe('B', () => undefined);
    const offB2 = station.values.subscribe('B', () => undefined);
    offA();
    await wait(40);
    expect(door.watched).toEqual([['A'], ['B']]);
    expect(station.values.get('B')?.v).toBe(7);

    // A second listener of a tag already shown changes nothing; the last one gone does.
    offB2();
    await wait(40);
    expect(door.watched).toHaveLength(2);
    offB();
    await wait(40);
    expect(door.watched).toEqual([['A'], ['B'], []]);

    // A new connection starts with every tag pushed: the snapshot is followed by the list again.
    station.values.subscribe('A', () => undefined);
    await wait(40);
    door.setPhase('disconnected');
    door.watched.length = 0;
    await door.connect();
    await settle();
    expect(door.watched).toEqual([['A']]);
    station.stop();
  });

  it('sends nothing while disconnected; the next snapshot carries the list', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, new InMemorySessions(), immediate);
    station.start();
    station.values.subscribe('A', () => undefined);
    await wait(40);
    expect(door.watched).toEqual([]);
    await door.connect();
    await settle();
    expect(door.watched).toEqual([['A']]);
    station.stop();
  });
});
