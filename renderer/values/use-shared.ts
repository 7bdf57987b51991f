/**
 * React access to the value layer's shared caches: one LimitsCache and one SparkHistory per
 * station (so every indicator and sparkline on every screen shares them), and the hooks that
 * read them.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { Station } from '../state/station.js';
import { useStation } from '../app/station-context.js';
import type { TagLimits } from '../format/analog-scale.js';
import { LimitsCache } from './limits-cache.js';
import { SparkHistory, type SparkSeries } from './spark-history.js';

const limitCaches = new WeakMap<Station, LimitsCache>();
const histories = new WeakMap<Station, SparkHistory>();

export function limitsCacheOf(station: Station): LimitsCache {
  let c = limitCaches.get(station);
  if (!c) {
    c = new LimitsCache(station.transport);
    limitCaches.set(station, c);
  }
  return c;
}

export function sparkHistoryOf(station: Station): SparkHistory {
  let h = histories.get(station);
  if (!h) {
    h = new SparkHistory(station.transport, station.values);
    histories.set(station, h);
  }
  return h;
}

/** The alarm limits of a tag (empty until the definitions arrived). */
export function useTagLimits(tag: string): TagLimits {
  const cache = limitsCacheOf(useStation());
  const get = useCallback(() => cache.get(tag), [cache, tag]);
  return useSyncExternalStore(cache.subscribe, get);
}

/** The recent history of a tag, live-appended. */
export function useSparkSeries(tag: string, windowMs: number): SparkSeries {
  const history = sparkHistoryOf(useStation());
  const subscribe = useCallback((l: () => void) => history.subscribe(tag, windowMs, l), [history, tag, windowMs]);
  const get = useCallback(() => history.get(tag, windowMs), [history, tag, windowMs]);
  return useSyncExternalStore(subscribe, get);
}
