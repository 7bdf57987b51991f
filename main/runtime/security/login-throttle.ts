/**
 * Lock-out after repeated failed logins. Pure apart from the injected clock.
 *
 * Failures are counted per key; the authenticator uses two keys per attempt, the user
 * name (`user:<name>`) and the source (`source:<address>`), so guessing one user's
 * password from many places and many users' passwords from one place are both slowed.
 * After `maxFailures` failures in a row a key is locked for a delay that doubles with
 * each lock-out (base, 2×base, 4×base … up to `maxDelayMs`). A key with no failure for
 * `forgetAfterMs` starts afresh.
 */
import type { Clock } from './clock.js';

export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly forgetAfterMs: number;
}

export const defaultUserLockout: LockoutPolicy = {
  maxFailures: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};
/** A console shared by a shift mistypes more often than one person: a higher threshold per source. */
export const defaultSourceLockout: LockoutPolicy = {
  maxFailures: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

interface KeyState {
  failures: number;
  lockouts: number;
  lockedUntil: number;
  lastFailureAt: number;
}

export type ThrottleVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly key: string };

/** A slot for one attempt, taken before the password is checked; give it back when the attempt is recorded. */
export type ThrottleReservation =
  | { readonly allowed: true; release(): void }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly key: string };

/** What a caller refused only because too many attempts are being checked right now is told to wait. */
export const IN_FLIGHT_RETRY_MS = 1000;

/** Bound on remembered keys, so a flood of made-up names cannot grow memory without end. */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  private readonly states = new Map<string, KeyState>();
  /** Attempts being checked right now (the password hash takes tens of ms), per key. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly policyFor: (key: string) => LockoutPolicy = (key) =>
      key.startsWith('source:') ? defaultSourceLockout : defaultUserLockout,
  ) {}

  /** How many keys are remembered (bounded). */
  get trackedKeys(): number {
    return this.states.size;
  }

  /** Whether an attempt touching these keys may be tried now. */
  check(keys: readonly string[]): ThrottleVerdict {
    const now = this.clock();
    let worst: ThrottleVerdict = { allowed: true };
    for (const key of keys) {
      const state = this.current(key, now);
      if (state && state.lockedUntil > now) {
        const retryAfterMs = state.lockedUntil - now;
        if (worst.allowed || retryAfterMs > worst.retryAfterMs) worst = { allowed: false, retryAfterMs, key };
      }
    }
    return worst;
  }

  /**
   * Take a slot for an attempt before its password is checked. Allowed while no key is
   * locked and, for every key, the failures counted so far plus the attempts still being
   * checked stay under the limit: however many attempts arrive at once, no more than
   * `maxFailures` passwords are ever checked before the lock-out takes hold. Record the
   * outcome (`recordFailure` / `recordSuccess`), then `release()` the slot.
   */
  reserve(keys: readonly string[]): ThrottleReservation {
    const locked = this.check(keys);
    if (!locked.allowed) return locked;
    const now = this.clock();
    for (const key of keys) {
      const used = (this.current(key, now)?.failures ?? 0) + (this.inFlight.get(key) ?? 0);
      if (used >= this.policyFor(key).maxFailures) return { allowed: false, retryAfterMs: IN_FLIGHT_RETRY_MS, key };
    }
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let released = false;
    return {
      allowed: true,
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) {
          const n = (this.inFlight.get(key) ?? 1) - 1;
          if (n > 0) this.inFlight.set(key, n);
          else this.inFlight.delete(key);
        }
      },
    };
  }

  /** Attempts being checked right now for `key`. */
  inFlightFor(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.clock();
    for (const key of keys) {
      const policy = this.policyFor(key);
      const state = this.current(key, now) ?? { failures: 0, lockouts: 0, lockedUntil: 0, lastFailureAt: now };
      state.failures++;
      state.lastFailureAt = now;
      if (state.failures >= policy.maxFailures) {
        state.lockouts++;
        state.failures = 0;
        state.lockedUntil =
          now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, state.lockouts - 1));
      }
      this.states.delete(key); // re-insert: the map's order is least recently failed first
      this.states.set(key, state);
      if (this.states.size > MAX_KEYS) this.evictOne(now);
    }
  }

  /** A successful login clears the failures counted against these keys. */
  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.states.delete(key);
  }

  private current(key: string, now: number): KeyState | undefined {
    const state = this.states.get(key);
    if (state && state.lockedUntil <= now && now - state.lastFailureAt >= this.policyFor(key).forgetAfterMs) {
      this.states.delete(key);
      return undefined;
    }
    return state;
  }

  private evictOne(now: number): void {
    for (const [key, state] of this.states) {
      if (state.lockedUntil <= now) {
        this.states.delete(key);
        return;
      }
    }
    const oldest = this.states.keys().next();
    if (!oldest.done) this.states.delete(oldest.value);
  }
}
