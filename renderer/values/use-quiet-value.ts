/**
 * A tag's value for elements whose text changes with every update but whose look (quality,
 * zone, markers) changes rarely — a live value, an analog bar's pointer. React renders the
 * element only when its look changes; in between, each new value is written straight into
 * the rendered DOM (a text node, an attribute) by the element's own `write`. With 1,000
 * values on a screen that is one small DOM write per changed value instead of a React render
 * and commit of every element that shows it.
 *
 * The look is a string the element computes from the value and the time (`look(value, now)`):
 * it is checked on every change of the tag and on every tick of the 1 s clock (a value turning
 * Stale changes its look with no new value), and a changed look re-renders the element. While
 * `live` (someone reads its explanation, which carries the value's age) every change and every
 * tick re-render it, as before.
 */
import { useContext, useLayoutEffect, useReducer, useRef } from 'react';
import type { TagValueDto } from '../../preload/contract.js';
import { StationContext } from '../app/station-context.js';

export interface QuietValueOptions {
  /** What decides the element's rendered look; the same string means the DOM write suffices. */
  readonly look: (value: TagValueDto | undefined, nowMs: number) => string;
  /** Brings the rendered DOM up to date with `value` (same look); false when it cannot (then it renders). */
  readonly write: (value: TagValueDto | undefined, nowMs: number) => boolean;
  /** Re-render on every change and tick (the element shows the value's age). */
  readonly live?: boolean;
}

interface Rendered extends QuietValueOptions {
  value: TagValueDto | undefined;
  lookNow: string;
}

const bump = (n: number): number => n + 1;

/** The value to render with and the time it is judged at; subscribes to the tag and the clock. */
export function useQuietValue(
  tag: string,
  options: QuietValueOptions,
): { value: TagValueDto | undefined; nowMs: number } {
  const context = useContext(StationContext);
  if (!context) throw new Error('StationContext is missing: render inside <StationContext value=…>');
  const { station, clock } = context;
  const store = station.values;
  const [, rerender] = useReducer(bump, 0);
  const value = tag ? store.get(tag) : undefined;
  const nowMs = clock.get();
  const lookNow = options.look(value, nowMs);
  const rendered = useRef<Rendered | null>(null);
  // After every render (before the subscription's first check): what the DOM now shows.
  useLayoutEffect(() => {
    rendered.current = { ...options, value, lookNow };
  });
  useLayoutEffect(() => {
    const check = (tick: boolean): void => {
      const r = rendered.current;
      if (!r) return;
      const latest = tag ? store.get(tag) : undefined;
      if (latest === r.value && !tick) return;
      if (r.live) {
        rerender();
        return;
      }
      const nowMs = clock.get();
      if (r.look(latest, nowMs) !== r.lookNow) {
        rerender();
        return;
      }
      if (latest === r.value) return;
      if (r.write(latest, nowMs)) r.value = latest;
      else rerender();
    };
    const offValue = tag ? store.subscribe(tag, () => check(false)) : () => undefined;
    const offClock = clock.subscribe(() => check(true));
    // A change between the render and this subscription.
    check(false);
    return () => {
      offValue();
      offClock();
    };
  }, [store, clock, tag]);
  return { value, nowMs };
}
