/**
 * Applies a tag's StoragePolicy to its stream of samples and says which ones to store.
 * Pure, one instance per tag. Timestamps must increase: an older or equal timestamp is
 * refused (the caller counts it), so history per tag is always in order.
 */
import type { TagValue } from '../../../protocols/driver.js';
import type { StoragePolicy } from './storage-policy.js';

export interface StoredPoint {
  readonly t: number;
  readonly v: TagValue;
  /** Quality index: 0 Good, 1 Uncertain, 2 Bad. */
  readonly q: number;
  readonly r: string | undefined;
}

export type Emit = (t: number, v: TagValue, q: number, r: string | undefined) => void;

export type OfferOutcome = 'stored' | 'skipped' | 'late';

export class StorageFilter {
  private anchor: StoredPoint | null = null;
  /** Swinging door: the last received point not yet stored, and the corridor of slopes from the anchor. */
  private pending: StoredPoint | null = null;
  private slopeLow = -Infinity;
  private slopeHigh = Infinity;
  private lastSeenT = -Infinity;

  constructor(readonly policy: StoragePolicy) {}

  /** The last stored point (after a restart: read back from the database). */
  restore(point: StoredPoint): void {
    this.anchor = point;
    this.pending = null;
    this.slopeLow = -Infinity;
    this.slopeHigh = Infinity;
    this.lastSeenT = point.t;
  }

  get lastTime(): number {
    return this.lastSeenT;
  }

  offer(t: number, v: TagValue, q: number, r: string | undefined, emit: Emit): OfferOutcome {
    if (!(t > this.lastSeenT)) return 'late';
    this.lastSeenT = t;
    const policy = this.policy;
    if (policy.mode === 'off') return 'skipped';
    const anchor = this.anchor;
    if (
      anchor === null ||
      q !== anchor.q ||
      r !== anchor.r ||
      typeof v !== typeof anchor.v ||
      (policy.heartbeatMs > 0 && t - anchor.t >= policy.heartbeatMs)
    ) {
      this.flushPending(emit);
      return this.store(t, v, q, r, emit);
    }
    if (typeof v !== 'number') return v === anchor.v ? 'skipped' : this.store(t, v, q, r, emit);
    const av = anchor.v as number;
    if (Number.isNaN(v) || Number.isNaN(av) || !Number.isFinite(v) || !Number.isFinite(av)) {
      return Object.is(v, av) ? 'skipped' : this.store(t, v, q, r, emit);
    }
    const limit = policy.deadband > 0 ? policy.deadband : (Math.abs(av) * policy.relativePercent) / 100;
    if (policy.mode === 'deadband') {
      return Math.abs(v - av) > limit || (limit === 0 && v !== av) ? this.store(t, v, q, r, emit) : 'skipped';
    }
    return this.swingingDoor(t, v, q, r, limit, emit);
  }

  /** Store a held swinging-door point, if any (at shutdown, so the line reaches the last value). */
  flushPending(emit: Emit): void {
    const p = this.pending;
    if (p) {
      this.pending = null;
      this.store(p.t, p.v, p.q, p.r, emit);
    }
  }

  private store(t: number, v: TagValue, q: number, r: string | undefined, emit: Emit): 'stored' {
    this.anchor = { t, v, q, r };
    this.pending = null;
    this.slopeLow = -Infinity;
    this.slopeHigh = Infinity;
    emit(t, v, q, r);
    return 'stored';
  }

  private swingingDoor(
    t: number,
    v: number,
    q: number,
    r: string | undefined,
    deviation: number,
    emit: Emit,
  ): OfferOutcome {
    let anchor = this.anchor as StoredPoint;
    let dt = t - anchor.t;
    let low = Math.max(this.slopeLow, (v - (anchor.v as number) - deviation) / dt);
    let high = Math.min(this.slopeHigh, (v - (anchor.v as number) + deviation) / dt);
    let outcome: OfferOutcome = 'skipped';
    if (low > high && this.pending) {
      // The corridor closed: the previous point becomes the new anchor.
      const p = this.pending;
      this.store(p.t, p.v, p.q, p.r, emit);
      outcome = 'stored';
      anchor = p;
      dt = t - anchor.t;
      low = (v - (anchor.v as number) - deviation) / dt;
      high = (v - (anchor.v as number) + deviation) / dt;
    }
    this.slopeLow = low;
    this.slopeHigh = high;
    this.pending = { t, v, q, r };
    return outcome;
  }
}
