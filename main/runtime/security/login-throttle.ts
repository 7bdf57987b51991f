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

export const defaultUserLockout: LockoutPolicy = { maxFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
/** A console shared by a shift mistypes more often than one person: a higher threshold per source. */
export const defaultSourceLockout: LockoutPolicy = { maxFailures: 20, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };

interface KeyState {
  failures: number;
  lockouts: number;
  lockedUntil: number;
  lastFailureAt: number;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly key: string };

/** Bound on remembered keys, so a flood of made-up names cannot grow memory without end. */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  private readonly states = new Map<string, KeyState>();

  constructor(
    private readonly clock: Clock,
    private readonly policyFor: (key: string) => LockoutPolicy = (key) => (key.startsWith('source:') ? defaultSourceLockout : defaultUserLockout),
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
        state.lockedUntil = now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, state.lockouts - 1));
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
