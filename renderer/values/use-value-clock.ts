/**
 * The clock as a live value needs it. A value's look changes with time only when it turns
 * Stale, so the value re-renders on that flip, not on every tick of the 1 s clock; while
 * someone looks at its explanation (pointer or focus) it follows every tick, because the
 * explanation shows its age. With 1,000 values on a screen that is the difference between
 * 1,000 renders a second and a handful.
 */
import { useCallback, useContext, useSyncExternalStore } from 'react';
import { isStale, type TagValueDto } from '../../preload/contract.js';
import { StationContext } from '../app/station-context.js';
import { DEFAULT_INTERVAL_MS } from '../format/value-view.js';

const never = () => () => undefined;
const zero = () => 0;

/** The time to judge and explain `value` with; `live` while its explanation is shown. */
export function useValueClock(value: TagValueDto | undefined, intervalMs: number | undefined, live: boolean): number {
  const clock = useContext(StationContext)?.clock;
  const interval = intervalMs ?? DEFAULT_INTERVAL_MS;
  const subscribe = clock ? clock.subscribe : never;
  const staleNow = useCallback(() => (clock && value ? isStale(value, clock.get(), interval) : false), [clock, value, interval]);
  useSyncExternalStore(subscribe, staleNow);
  const tickNow = useCallback(() => (clock && live ? clock.get() : 0), [clock, live]);
  useSyncExternalStore(live ? subscribe : never, live ? tickNow : zero);
  return clock ? clock.get() : Date.now();
}
