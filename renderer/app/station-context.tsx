/**
 * React access to the station model: one context, and hooks that subscribe to just what a component shows.
 * Each hook reads the same snapshot on a server render (component tests use react-dom/server).
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import type { Clock } from '../state/clock.js';
import type { Station, StationSnapshot } from '../state/station.js';
import type { ConnectionStatus } from '../transport/station-transport.js';

export interface StationContextValue {
  readonly station: Station;
  readonly clock: Clock;
}

export const StationContext = createContext<StationContextValue | null>(null);

function useStationContext(): StationContextValue {
  const value = useContext(StationContext);
  if (!value) throw new Error('StationContext is missing: render inside <StationContext value=…>');
  return value;
}

export function useStation(): Station {
  return useStationContext().station;
}

export function useStationSnapshot(): StationSnapshot {
  const station = useStation();
  return useSyncExternalStore(station.subscribe, station.getSnapshot, station.getSnapshot);
}

export function useConnection(): ConnectionStatus {
  const transport = useStation().transport;
  const subscribe = useCallback((listener: () => void) => transport.onStatus(listener), [transport]);
  const get = useCallback(() => transport.status(), [transport]);
  return useSyncExternalStore(subscribe, get, get);
}

/** Whether the link is up; a boolean snapshot, so retry-countdown updates do not re-render the caller. */
export function useConnected(): boolean {
  const transport = useStation().transport;
  const subscribe = useCallback((listener: () => void) => transport.onStatus(listener), [transport]);
  const get = useCallback(() => transport.status().phase === 'connected', [transport]);
  return useSyncExternalStore(subscribe, get, get);
}

/** The current time, updated once a second. */
export function useNow(): number {
  const { clock } = useStationContext();
  return useSyncExternalStore(clock.subscribe, clock.get, clock.get);
}

/** The latest value of one tag; re-renders only when that tag changes. */
export function useTagValue(tag: string): TagValueDto | undefined {
  const store = useStation().values;
  const subscribe = useCallback((listener: () => void) => store.subscribe(tag, listener), [store, tag]);
  const get = useCallback(() => store.get(tag), [store, tag]);
  return useSyncExternalStore(subscribe, get, get);
}

/** One tag's definition; unlike useStationSnapshot, device updates do not re-render the caller. */
export function useTagInfo(tag: string): TagInfo | undefined {
  const station = useStation();
  const get = useCallback(() => station.getSnapshot().tagsByName.get(tag), [station, tag]);
  return useSyncExternalStore(station.subscribe, get, get);
}
