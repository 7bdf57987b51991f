/**
 * The console's station model against an in-memory front door: the snapshot order on
 * (re)connection, events applied on top, and nothing older overwriting anything newer.
 */
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Reply, RequestName, TagValueDto } from '../../preload/contract.js';
import { Station, mergeDevices } from '../../renderer/state/station.js';
import type { ConnectionStatus, StationTransport } from '../../renderer/transport/station-transport.js';
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
  private current: ConnectionStatus = { phase: 'connecting', since: 0, attempt: 0, nextRetryAt: null, everConnected: false };
  private readonly statusListeners = new Set<() => void>();
  private readonly eventListeners = new Map<string, Set<(p: unknown) => void>>();

  request<N extends RequestName>(name: N): Promise<Reply<never>> {
    this.calls.push(name);
    const answers: Record<string, unknown> = {
      'session.info': { product: 'Argus', version: '0', mode: 'station', projectName: 'Demo', simulated: true, serverTime: 0 },
      'tags.list': [
        { name: 'A', device: 'PLC', description: { en: 'A' }, unit: '°C', kind: 'analog', decimals: 1, writable: false, intervalMs: 250 },
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

  status = () => this.current;
  onStatus(listener: () => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  start() {}
  stop() {}
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Station', () => {
  it('loads the snapshot in contract order when connected, dropping malformed items', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, immediate);
    station.start();
    expect(door.calls).toEqual([]);
    door.setPhase('connected');
    await settle();
    expect(door.calls).toEqual(['session.info', 'tags.list', 'screens.list', 'devices.list', 'tags.read']);
    const snap = station.getSnapshot();
    expect(snap.loaded).toBe(true);
    expect(snap.session?.simulated).toBe(true);
    expect(snap.tags.map((t) => t.name)).toEqual(['A']);
    expect(station.values.get('A')?.v).toBe(1);
  });

  it('applies events, ignores malformed ones, and reloads everything on reconnect', async () => {
    const door = new InMemoryDoor();
    const station = new Station(door, immediate);
    station.start();
    door.setPhase('connected');
    await settle();
    door.emit('tags.changed', { values: [{ tag: 'A', v: 2, q: 'Good', ts: 200, rt: 200 }, { junk: true }] });
    door.emit('tags.changed', 'garbage');
    door.emit('devices.changed', { devices: [device('PLC', 'disconnected')] });
    expect(station.values.get('A')?.v).toBe(2);
    expect(station.getSnapshot().devices[0]?.state).toBe('disconnected');

    door.setPhase('disconnected');
    door.values = [{ tag: 'A', v: 3, q: 'Good', ts: 300, rt: 300 }];
    door.calls.length = 0;
    door.setPhase('connecting');
    door.setPhase('connected');
    await settle();
    expect(door.calls).toEqual(['session.info', 'tags.list', 'screens.list', 'devices.list', 'tags.read']);
    expect(station.values.get('A')?.v).toBe(3);
    expect(station.getSnapshot().devices[0]?.state).toBe('connected');
  });

  it('does not let a snapshot overwrite newer values that arrived by event meanwhile', async () => {
    const door = new InMemoryDoor();
    door.holdRead = () => undefined;
    const station = new Station(door, immediate);
    station.start();
    door.setPhase('connected');
    await settle();
    door.emit('tags.changed', { values: [{ tag: 'A', v: 9, q: 'Bad', r: 'communication lost', ts: 500, rt: 500 }] });
    door.holdRead!();
    await settle();
    expect(station.values.get('A')).toMatchObject({ v: 9, q: 'Bad' });
  });
});

describe('mergeDevices', () => {
  it('replaces devices by name and keeps the others', () => {
    const merged = mergeDevices([device('A', 'connected'), device('B', 'connected')], [device('B', 'disconnected'), device('C', 'connected')]);
    expect(merged.map((d) => `${d.device}:${d.state}`)).toEqual(['A:connected', 'B:disconnected', 'C:connected']);
  });
});
