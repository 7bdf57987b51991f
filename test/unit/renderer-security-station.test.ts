/**
 * The station model's side of shift handover and idle lock: a user switch makes a new
 * session, so the WebSocket door must reopen (the old socket belongs to the old session)
 * and values reload for the new user; a refused switch changes nothing; an `auth.changed`
 * push from the runtime (idle lock) locks the console.
 */
import { describe, expect, it } from 'vitest';
import type { AuthStatus, EventName, EventPayload, Reply, RequestName } from '../../preload/contract.js';
import { Station } from '../../renderer/state/station.js';
import type { ConnectionStatus, Preflight, StationTransport } from '../../renderer/transport/station-transport.js';
import type { SessionClient, SessionMethod } from '../../renderer/transport/session-client.js';
import type { Scheduler } from '../../renderer/state/tag-store.js';

const immediate: Scheduler = (fn) => {
  fn();
  return () => undefined;
};
const settle = () => new Promise((r) => setTimeout(r, 0));

const status = (state: AuthStatus['state'], user: string | null, message: string | null = null): AuthStatus => ({
  state,
  user: user ? { name: user, role: 'operator', areas: [] } : null,
  permissions: state === 'active' ? ['view', 'tag.write'] : [],
  locksAt: null,
  demoUsers: null,
  message,
  retryAfterMs: null,
});

/** A station's sessions: a switch with the right password starts a new session for the new user. */
class Sessions implements SessionClient {
  current: AuthStatus = status('active', 'op');
  sessionNumber = 1;
  async request(method: SessionMethod, params: unknown): Promise<Reply<AuthStatus>> {
    const p = params as { name?: string; password?: string };
    if (method === 'auth.switchUser') {
      if (p.password === 'right') {
        this.current = status('active', p.name ?? null);
        this.sessionNumber++;
      } else {
        this.current = { ...this.current, message: 'invalid user name or password' };
      }
    }
    if (method === 'auth.status') this.current = { ...this.current, message: null };
    return { ok: true, value: this.current };
  }
}

/** A WebSocket-like door: each connection belongs to the session current when it opened. */
class Door implements StationTransport {
  readonly door = 'websocket' as const;
  readonly opened: number[] = [];
  readonly calls: string[] = [];
  private current: ConnectionStatus = {
    phase: 'connecting',
    since: 0,
    attempt: 0,
    nextRetryAt: null,
    everConnected: false,
  };
  private readonly statusListeners = new Set<() => void>();
  private readonly events = new Map<string, Set<(p: unknown) => void>>();
  private preflight: Preflight | null = null;
  private socketSession = 0;

  constructor(private readonly sessions: Sessions) {}

  request<N extends RequestName>(name: N): Promise<Reply<never>> {
    this.calls.push(name);
    // A socket of an ended session hears only UNAUTHENTICATED, as on the station server.
    if (this.socketSession !== this.sessions.sessionNumber) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'your session has ended' },
      } as Reply<never>);
    }
    const user = this.sessions.current.user?.name ?? '';
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
          unit: '',
          kind: 'analog',
          range: [0, 9],
          decimals: 0,
          writable: true,
          critical: false,
          intervalMs: 250,
        },
      ],
      'screens.list': [],
      'devices.list': [],
      'tags.read': [{ tag: 'A', v: user.length, q: 'Good', ts: 1, rt: 1 }],
    };
    return Promise.resolve({ ok: true, value: answers[name] } as unknown as Reply<never>);
  }
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.events.get(name) ?? new Set();
    this.events.set(name, set);
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }
  emit(name: string, data: unknown): void {
    for (const l of this.events.get(name) ?? []) l(data);
  }
  private setPhase(phase: ConnectionStatus['phase']): void {
    this.current = { ...this.current, phase };
    for (const l of this.statusListeners) l();
  }
  setPreflight(p: Preflight) {
    this.preflight = p;
  }
  pause() {
    this.setPhase('paused');
  }
  resume() {
    void this.connect();
  }
  async connect(): Promise<void> {
    this.setPhase('connecting');
    const verdict = this.preflight ? await this.preflight() : 'open';
    if (this.current.phase !== 'connecting') return;
    if (verdict === 'open') {
      this.socketSession = this.sessions.sessionNumber;
      this.opened.push(this.socketSession);
    }
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

async function signedInStation() {
  const sessions = new Sessions();
  const door = new Door(sessions);
  const station = new Station(door, sessions, immediate);
  station.start();
  await door.connect();
  await settle();
  return { sessions, door, station };
}

describe('Station: shift handover', () => {
  it('reopens the socket with the new session after a user switch and reloads values for the new user', async () => {
    const { door, station } = await signedInStation();
    expect(door.opened).toEqual([1]);
    expect(station.values.get('A')?.v).toBe(2); // "op"

    const reply = await station.switchUser('engineer', 'right');
    expect(reply.ok && reply.value.user?.name).toBe('engineer');
    await settle();
    await settle();
    expect(door.opened).toEqual([1, 2]);
    expect(door.status().phase).toBe('connected');
    expect(station.getSnapshot().auth?.user?.name).toBe('engineer');
    expect(station.getSnapshot().loadError).toBeNull();
    expect(station.values.get('A')?.v).toBe('engineer'.length);
  });

  it('a refused switch keeps the session, the socket and the values', async () => {
    const { door, station } = await signedInStation();
    const reply = await station.switchUser('engineer', 'wrong');
    expect(reply.ok && reply.value.message).toBe('invalid user name or password');
    await settle();
    expect(door.opened).toEqual([1]);
    expect(station.getSnapshot().auth?.user?.name).toBe('op');
    expect(station.values.get('A')?.v).toBe(2);
  });

  it('switching to the same user name still reopens the socket (a new session)', async () => {
    const { door, station } = await signedInStation();
    await station.switchUser('op', 'right');
    await settle();
    await settle();
    expect(door.opened).toEqual([1, 2]);
    expect(station.getSnapshot().loadError).toBeNull();
  });
});

describe('Station: idle lock pushed by the runtime', () => {
  it('locks on auth.changed and forgets write permissions while locked', async () => {
    const { sessions, door, station } = await signedInStation();
    sessions.current = status('locked', 'op');
    door.emit('auth.changed', { state: 'locked' });
    await settle();
    const auth = station.getSnapshot().auth;
    expect(auth?.state).toBe('locked');
    expect(auth?.permissions).toEqual([]);
  });
});

describe('Station: the sign-in check before connecting', () => {
  it('opens the socket before the signed-in state is drawn, and the values still load', async () => {
    const sessions = new Sessions();
    const door = new Door(sessions);
    const station = new Station(door, sessions, immediate);
    const seen: string[] = [];
    station.subscribe(() => seen.push(`auth ${station.getSnapshot().auth?.state ?? 'none'} (${door.status().phase})`));
    station.start();
    await door.connect();
    expect(door.status().phase).toBe('connected');
    expect(station.getSnapshot().auth).toBeNull();
    await settle();
    await settle();
    expect(seen[0]).toBe('auth active (connected)');
    expect(station.values.get('A')?.v).toBe(2);
  });

  it('a status answer that arrives after the user signed out is not followed', async () => {
    const { sessions, station } = await signedInStation();
    let answer: ((r: Reply<AuthStatus>) => void) | null = null;
    const asking = sessions.request.bind(sessions);
    sessions.request = (method, params) =>
      method === 'auth.status'
        ? new Promise((resolve) => (answer = resolve))
        : method === 'auth.logout'
          ? Promise.resolve({ ok: true, value: status('signed-out', null) })
          : asking(method, params);
    const pending = station.refreshAuth();
    await station.signOut();
    expect(station.getSnapshot().auth?.state).toBe('signed-out');
    answer!({ ok: true, value: status('active', 'op') });
    await pending;
    await settle();
    expect(station.getSnapshot().auth?.state).toBe('signed-out');
  });
});
