/**
 * Latest value per tag, with subscribers per tag. Updates are applied to the map at once
 * but listeners are told in coalesced batches (one flush per animation frame, at most
 * `DEFAULT_FLUSH_DELAY_MS` apart where frames do not run), so a burst of events re-renders
 * each affected element once, and a changed tag re-renders only the elements that show it.
 * The station already coalesces its pushes (latest value wins per tag): waiting longer here
 * would only add to the delay an operator sees.
 *
 * A frame tells at most `listenersPerFrame` listeners (whole tags: a tag's listeners are told
 * together); the rest wait, in the order they changed, for the next frame. Each listener
 * changes a few DOM nodes that the browser then lays out before it paints, so the work of one
 * frame stays bounded when a poll brings a thousand changed values at once (a big mimic, a
 * long Tags table): the console keeps answering keys and clicks, and the last value of such a
 * batch is drawn a few frames later instead of stalling every frame's worth of input. Pure:
 * no DOM; the scheduler is injectable for tests.
 */
import type { TagValueDto } from '../../preload/contract.js';

export type Listener = () => void;
/** Runs `fn` later; returns a function that cancels it. */
export type Scheduler = (fn: () => void) => () => void;

export const DEFAULT_FLUSH_DELAY_MS = 100;
/**
 * Listeners told per frame. A live value's listener writes its text and the browser lays it
 * out: about 30 µs together on a 2-core station PC, so 120 keep a frame's share well under
 * 8 ms; 1,000 values changed at once reach the screen over 9 frames (about 150 ms).
 */
export const DEFAULT_LISTENERS_PER_FRAME = 120;

export function timeoutScheduler(delayMs: number = DEFAULT_FLUSH_DELAY_MS): Scheduler {
  return (fn) => {
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  };
}

/**
 * Before the next frame is painted, or after `delayMs` where no frame comes first (a hidden
 * window paints no frames; its values still flow as before). Falls back to the timeout
 * where there are no animation frames at all.
 */
export function frameScheduler(delayMs: number = DEFAULT_FLUSH_DELAY_MS): Scheduler {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  const caf = (globalThis as { cancelAnimationFrame?: (handle: number) => void }).cancelAnimationFrame;
  if (typeof raf !== 'function' || typeof caf !== 'function') return timeoutScheduler(delayMs);
  return (fn) => {
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      caf(frame);
      clearTimeout(timer);
      fn();
    };
    const frame = raf(run);
    const timer = setTimeout(run, delayMs);
    return () => {
      done = true;
      caf(frame);
      clearTimeout(timer);
    };
  };
}

/** True when `incoming` should replace `current`: never let an older reading overwrite a newer one. */
export function isNewer(incoming: TagValueDto, current: TagValueDto | undefined): boolean {
  if (!current) return true;
  if (incoming.rt !== current.rt) return incoming.rt > current.rt;
  return incoming.ts >= current.ts;
}

export class TagStore {
  private readonly values = new Map<string, TagValueDto>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly anyListeners = new Set<Listener>();
  /** Told when the set of tags with listeners changes (the station narrows its pushes to those). */
  private readonly watchListeners = new Set<Listener>();
  private readonly pending = new Set<string>();
  private cancelFlush: (() => void) | null = null;

  constructor(
    private readonly schedule: Scheduler = frameScheduler(),
    private readonly listenersPerFrame: number = DEFAULT_LISTENERS_PER_FRAME,
  ) {}

  get(tag: string): TagValueDto | undefined {
    return this.values.get(tag);
  }

  get size(): number {
    return this.values.size;
  }

  /** Applies a batch of values (latest wins per tag); returns how many were taken. */
  apply(values: readonly TagValueDto[]): number {
    let taken = 0;
    for (const value of values) {
      if (!isNewer(value, this.values.get(value.tag))) continue;
      this.values.set(value.tag, value);
      this.pending.add(value.tag);
      taken++;
    }
    this.scheduleFlush();
    return taken;
  }

  private scheduleFlush(): void {
    if (this.pending.size === 0 || this.cancelFlush !== null) return;
    this.cancelFlush = this.schedule(() => {
      this.cancelFlush = null;
      this.tell(this.listenersPerFrame);
      this.scheduleFlush();
    });
  }

  /** Forgets every value (another user signed in, or nobody): listeners of those tags hear of it. */
  clear(): void {
    for (const tag of this.values.keys()) this.pending.add(tag);
    this.values.clear();
    this.flush();
  }

  /** Tells the listeners of every tag changed since the last flush, each once, now. */
  flush(): void {
    if (this.cancelFlush) {
      this.cancelFlush();
      this.cancelFlush = null;
    }
    this.tell(Number.POSITIVE_INFINITY);
  }

  /** How many changed tags wait for a later frame (diagnostics, tests). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Tells the listeners of changed tags, oldest change first, until `budget` listeners have
   * been told (a tag's listeners are never split); the any-listeners once if anything was told.
   */
  private tell(budget: number): void {
    if (this.pending.size === 0) return;
    let told = 0;
    for (const tag of this.pending) {
      if (told >= budget) break;
      // Deleting the entry being visited is safe for a Set iterator; a tag changed again while
      // listeners run goes to the end of the line.
      this.pending.delete(tag);
      const set = this.listeners.get(tag);
      if (!set) continue;
      told += set.size;
      for (const listener of [...set]) listener();
    }
    for (const listener of [...this.anyListeners]) listener();
  }

  /** Listens to one tag; returns the unsubscribe function. A tag with a listener is a tag the window shows. */
  subscribe(tag: string, listener: Listener): () => void {
    let set = this.listeners.get(tag);
    if (!set) {
      set = new Set();
      this.listeners.set(tag, set);
      this.watchedChanged();
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(tag);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0 && this.listeners.get(tag) === current) {
        this.listeners.delete(tag);
        this.watchedChanged();
      }
    };
  }

  /** The tags something listens to now: what the window shows. */
  watchedTags(): string[] {
    return [...this.listeners.keys()];
  }

  /** Told (synchronously, so coalesce) whenever a tag gains its first listener or loses its last. */
  onWatchedChange(listener: Listener): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }

  private watchedChanged(): void {
    for (const listener of [...this.watchListeners]) listener();
  }

  /** Listens to any change (once per flush). */
  subscribeAll(listener: Listener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /** How many per-tag listeners are registered (for tests and diagnostics). */
  listenerCount(tag: string): number {
    return this.listeners.get(tag)?.size ?? 0;
  }

  dispose(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.pending.clear();
    this.listeners.clear();
    this.anyListeners.clear();
    this.watchListeners.clear();
  }
}
