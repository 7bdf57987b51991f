/**
 * The recent history of the tags that sparklines show, shared by every sparkline in the
 * console: one `history.trend` request per tag and window when a sparkline first needs it
 * (re-anchored every `refetchMs`), then live values appended from the tag store. Twenty
 * sparklines on a screen make twenty requests once, not twenty a second; two sparklines of
 * one tag share one. DOM-free: the link, the value source and the clock are injected.
 */
import type { ArgusApi, TagValueDto } from '../../preload/contract.js';

export interface SparkLink {
  request: ArgusApi['request'];
}

export interface LiveSource {
  get(tag: string): TagValueDto | undefined;
  subscribe(tag: string, listener: () => void): () => void;
}

export interface SparkSeries {
  readonly from: number;
  readonly to: number;
  /** Times and values; null marks a break (nothing stored, or not Good). */
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
  readonly error: string | null;
  readonly loaded: boolean;
}

export const SPARK_BUCKETS = 120;
export const SPARK_REFETCH_MS = 10 * 60_000;

interface Entry {
  readonly tag: string;
  readonly windowMs: number;
  t: number[];
  v: (number | null)[];
  /** Index from which points came live (after the fetched ones). */
  fetchedUntil: number;
  error: string | null;
  loaded: boolean;
  fetchedAt: number;
  inFlight: boolean;
  snapshot: SparkSeries | null;
  readonly listeners: Set<() => void>;
  stopLive: (() => void) | null;
}

export class SparkHistory {
  private readonly entries = new Map<string, Entry>();
  /** Requests sent, for tests and the benchmark. */
  requests = 0;

  constructor(
    private readonly link: SparkLink,
    private readonly live: LiveSource,
    private readonly now: () => number = Date.now,
    private readonly refetchMs = SPARK_REFETCH_MS,
  ) {}

  private key(tag: string, windowMs: number): string {
    return `${windowMs}\u0000${tag}`;
  }

  /** The series of a tag over the last `windowMs` (stable object until it changes). */
  get(tag: string, windowMs: number): SparkSeries {
    const e = this.entry(tag, windowMs);
    if (!e.snapshot) {
      const to = this.now();
      const from = to - windowMs;
      // Points fall out of the window as time passes.
      let first = 0;
      while (first < e.t.length && e.t[first]! < from) first++;
      if (first > 0) {
        e.t.splice(0, first);
        e.v.splice(0, first);
        e.fetchedUntil = Math.max(0, e.fetchedUntil - first);
      }
      e.snapshot = { from, to, t: [...e.t], v: [...e.v], error: e.error, loaded: e.loaded };
    }
    return e.snapshot;
  }

  subscribe(tag: string, windowMs: number, listener: () => void): () => void {
    const e = this.entry(tag, windowMs);
    e.listeners.add(listener);
    e.stopLive ??= this.live.subscribe(tag, () => this.append(e));
    this.fetch(e);
    return () => {
      e.listeners.delete(listener);
      if (e.listeners.size === 0) {
        e.stopLive?.();
        e.stopLive = null;
      }
    };
  }

  /** Fetches when the entry has never loaded or its history is older than `refetchMs`. */
  fetch(e: Entry, force = false): void {
    if (e.inFlight) return;
    if (!force && e.loaded && this.now() - e.fetchedAt < this.refetchMs) return;
    e.inFlight = true;
    const to = this.now();
    const from = to - e.windowMs;
    this.requests++;
    void this.link
      .request('history.trend', { tag: e.tag, from, to, buckets: SPARK_BUCKETS })
      .then((reply) => {
        e.fetchedAt = this.now();
        if (!reply.ok) {
          e.error = reply.error.message;
        } else {
          const r = reply.value;
          // Live points newer than the fetched window stay; the fetched ones replace the rest.
          const liveT = e.t.slice(e.fetchedUntil).filter((x) => x > to);
          const liveV = e.v.slice(e.fetchedUntil, e.fetchedUntil + liveT.length);
          e.t = [...r.t, ...liveT];
          e.v = [...r.avg.map((a, i) => ((r.q[i] ?? 0) > 0 && Number.isFinite(a) ? a : null)), ...liveV];
          // An outage is a break, not a line across it.
          for (const gap of r.gaps) this.breakAt(e, gap.from);
          e.fetchedUntil = r.t.length;
          e.error = null;
          e.loaded = true;
        }
      })
      .catch((err: unknown) => {
        e.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        e.inFlight = false;
        this.changed(e);
      });
  }

  private breakAt(e: Entry, at: number): void {
    let i = 0;
    while (i < e.t.length && e.t[i]! < at) i++;
    if (i > 0 && i < e.t.length) {
      e.t.splice(i, 0, at);
      e.v.splice(i, 0, null);
    }
  }

  /** A live value: appended at its source time (a break when it is not a Good number). */
  private append(e: Entry): void {
    const value = this.live.get(e.tag);
    if (!value) return;
    const last = e.t.length > 0 ? e.t[e.t.length - 1]! : -Infinity;
    if (value.ts <= last) return;
    const v = value.q === 'Good' && typeof value.v === 'number' && Number.isFinite(value.v) ? value.v : null;
    // One live point per bucket: within a bucket the newest replaces the previous live point.
    const bucketMs = e.windowMs / SPARK_BUCKETS;
    const lastLive = e.t.length > e.fetchedUntil;
    const anchor = e.t.length >= 2 ? e.t[e.t.length - 2]! : -Infinity;
    if (lastLive && value.ts - anchor < bucketMs && e.v[e.v.length - 1] !== null && v !== null) {
      e.t[e.t.length - 1] = value.ts;
      e.v[e.v.length - 1] = v;
    } else {
      e.t.push(value.ts);
      e.v.push(v);
    }
    if (this.now() - e.fetchedAt >= this.refetchMs) this.fetch(e);
    this.changed(e);
  }

  private changed(e: Entry): void {
    e.snapshot = null;
    for (const l of [...e.listeners]) l();
  }

  private entry(tag: string, windowMs: number): Entry {
    const k = this.key(tag, windowMs);
    let e = this.entries.get(k);
    if (!e) {
      e = {
        tag,
        windowMs,
        t: [],
        v: [],
        fetchedUntil: 0,
        error: null,
        loaded: false,
        fetchedAt: -Infinity,
        inFlight: false,
        snapshot: null,
        listeners: new Set(),
        stopLive: null,
      };
      this.entries.set(k, e);
    }
    return e;
  }

  /** Forgets everything (another user signed in: their areas may differ). */
  clear(): void {
    for (const e of this.entries.values()) {
      e.t = [];
      e.v = [];
      e.fetchedUntil = 0;
      e.loaded = false;
      e.fetchedAt = -Infinity;
      this.changed(e);
    }
  }
}
