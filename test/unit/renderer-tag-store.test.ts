import { describe, expect, it, vi } from 'vitest';
import type { TagValueDto } from '../../preload/contract.js';
import { TagStore, frameScheduler, isNewer, type Scheduler } from '../../renderer/state/tag-store.js';

/** A scheduler the test runs by hand: shows exactly when the store flushes. */
function manualScheduler() {
  const queue: (() => void)[] = [];
  const schedule: Scheduler = (fn) => {
    queue.push(fn);
    return () => {
      const i = queue.indexOf(fn);
      if (i >= 0) queue.splice(i, 1);
    };
  };
  return { schedule, pending: () => queue.length, run: () => queue.splice(0).forEach((fn) => fn()) };
}

const value = (tag: string, v: number, rt: number, ts = rt): TagValueDto => ({ tag, v, q: 'Good', ts, rt });

describe('TagStore', () => {
  it('keeps the latest value per tag and tells each listener once per flush', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule);
    const calls: string[] = [];
    store.subscribe('A', () => calls.push(`A=${store.get('A')?.v}`));
    store.subscribe('B', () => calls.push(`B=${store.get('B')?.v}`));
    store.apply([value('A', 1, 10), value('A', 2, 20)]);
    store.apply([value('A', 3, 30)]);
    expect(store.get('A')?.v).toBe(3);
    expect(calls).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.run();
    expect(calls).toEqual(['A=3']);
  });

  it('does not wake listeners of tags that did not change', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule);
    let bCalls = 0;
    store.subscribe('B', () => bCalls++);
    store.apply([value('A', 1, 10)]);
    clock.run();
    expect(bCalls).toBe(0);
  });

  it('never lets an older reading overwrite a newer one (a snapshot arriving after events)', () => {
    const store = new TagStore(manualScheduler().schedule);
    store.apply([value('A', 5, 200)]);
    expect(store.apply([value('A', 4, 100)])).toBe(0);
    expect(store.get('A')?.v).toBe(5);
    expect(isNewer(value('A', 6, 200, 300), value('A', 5, 200, 250))).toBe(true);
    expect(isNewer(value('A', 6, 200, 100), value('A', 5, 200, 250))).toBe(false);
  });

  it('stops calling a listener after unsubscribe and notifies any-listeners once per flush', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule);
    let a = 0;
    let any = 0;
    const off = store.subscribe('A', () => a++);
    store.subscribeAll(() => any++);
    store.apply([value('A', 1, 1), value('B', 1, 1)]);
    clock.run();
    off();
    store.apply([value('A', 2, 2)]);
    clock.run();
    expect(a).toBe(1);
    expect(any).toBe(2);
    expect(store.listenerCount('A')).toBe(0);
  });

  it('flushes on demand and cancels the scheduled flush', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule);
    let a = 0;
    store.subscribe('A', () => a++);
    store.apply([value('A', 1, 1)]);
    store.flush();
    expect(a).toBe(1);
    expect(clock.pending()).toBe(0);
  });
});

describe('TagStore, a big batch over several frames', () => {
  it('tells at most the budget per frame, oldest change first, and the rest in the following frames', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule, 3);
    const told: string[] = [];
    for (const tag of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) store.subscribe(tag, () => told.push(tag));
    store.apply(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((tag, i) => value(tag, i, 10)));
    clock.run();
    expect(told).toEqual(['A', 'B', 'C']);
    expect(store.pendingCount).toBe(4);
    // A tag told already changes again: it waits behind the ones still waiting.
    store.apply([value('A', 9, 20)]);
    expect(clock.pending()).toBe(1);
    clock.run();
    expect(told).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    clock.run();
    expect(told).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'A']);
    expect(store.pendingCount).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('never splits one tag between frames and does not count tags nobody listens to', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule, 2);
    const told: string[] = [];
    for (let i = 0; i < 5; i++) store.subscribe('A', () => told.push(`A${i}`));
    store.subscribe('B', () => told.push('B'));
    store.apply([value('X', 1, 1), value('A', 1, 1), value('Y', 1, 1), value('B', 1, 1)]);
    clock.run();
    expect(told).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    clock.run();
    expect(told).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'B']);
  });

  it('shows the latest value of a tag that changed again while it waited', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule, 1);
    const seen: number[] = [];
    store.subscribe('A', () => undefined);
    store.subscribe('B', () => seen.push(store.get('B')?.v as number));
    store.apply([value('A', 1, 1), value('B', 1, 1)]);
    clock.run();
    store.apply([value('B', 2, 2)]);
    clock.run();
    expect(seen).toEqual([2]);
  });

  it('flush() tells everything waiting at once', () => {
    const clock = manualScheduler();
    const store = new TagStore(clock.schedule, 1);
    const told: string[] = [];
    for (const tag of ['A', 'B', 'C']) store.subscribe(tag, () => told.push(tag));
    store.apply(['A', 'B', 'C'].map((tag) => value(tag, 1, 1)));
    store.flush();
    expect(told).toEqual(['A', 'B', 'C']);
    expect(clock.pending()).toBe(0);
  });
});

describe('frameScheduler', () => {
  /** Animation frames and timers the test runs by hand (a visible window, or a hidden one that paints nothing). */
  function fakeFrames() {
    const frames = new Map<number, () => void>();
    let next = 1;
    const g = globalThis as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown };
    const saved = { raf: g.requestAnimationFrame, caf: g.cancelAnimationFrame };
    g.requestAnimationFrame = (cb: () => void) => {
      frames.set(next, cb);
      return next++;
    };
    g.cancelAnimationFrame = (handle: number) => frames.delete(handle);
    return {
      paint: () => {
        const due = [...frames.values()];
        frames.clear();
        due.forEach((cb) => cb());
      },
      waiting: () => frames.size,
      restore: () => {
        g.requestAnimationFrame = saved.raf;
        g.cancelAnimationFrame = saved.caf;
      },
    };
  }

  it('flushes before the next frame, once, and does not wait for the timeout', () => {
    vi.useFakeTimers();
    const frames = fakeFrames();
    try {
      const store = new TagStore(frameScheduler(100));
      let calls = 0;
      store.subscribe('A', () => calls++);
      store.apply([value('A', 1, 10)]);
      store.apply([value('A', 2, 20)]);
      expect(calls).toBe(0);
      frames.paint();
      expect(calls).toBe(1);
      // The timeout that raced the frame is gone: no second flush.
      vi.advanceTimersByTime(200);
      expect(calls).toBe(1);
    } finally {
      frames.restore();
      vi.useRealTimers();
    }
  });

  it('still flushes after the timeout where no frame comes (a hidden window)', () => {
    vi.useFakeTimers();
    const frames = fakeFrames();
    try {
      const store = new TagStore(frameScheduler(100));
      let calls = 0;
      store.subscribe('A', () => calls++);
      store.apply([value('A', 1, 10)]);
      vi.advanceTimersByTime(99);
      expect(calls).toBe(0);
      vi.advanceTimersByTime(1);
      expect(calls).toBe(1);
      expect(frames.waiting()).toBe(0);
      // A frame arriving late does not flush again.
      frames.paint();
      expect(calls).toBe(1);
    } finally {
      frames.restore();
      vi.useRealTimers();
    }
  });

  it('falls back to the timeout where there are no animation frames', () => {
    vi.useFakeTimers();
    try {
      const store = new TagStore(frameScheduler(100));
      let calls = 0;
      store.subscribe('A', () => calls++);
      store.apply([value('A', 1, 10)]);
      vi.advanceTimersByTime(100);
      expect(calls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
