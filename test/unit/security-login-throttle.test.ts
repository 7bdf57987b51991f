import { describe, expect, it } from 'vitest';
import { LoginThrottle, type LockoutPolicy } from '../../main/runtime/security/login-throttle.js';

const policy: LockoutPolicy = { maxFailures: 5, baseDelayMs: 30_000, maxDelayMs: 120_000, forgetAfterMs: 3_600_000 };

function setup(): { throttle: LoginThrottle; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return {
    throttle: new LoginThrottle(
      () => clock.now,
      () => policy,
    ),
    clock,
  };
}

describe('login lock-out (injected clock)', () => {
  it('allows four failures, locks on the fifth for the base delay, then lets the user try again', () => {
    const { throttle, clock } = setup();
    const keys = ['user:alice'];
    for (let i = 0; i < 4; i++) {
      throttle.recordFailure(keys);
      expect(throttle.check(keys).allowed).toBe(true);
    }
    throttle.recordFailure(keys);
    expect(throttle.check(keys)).toEqual({ allowed: false, retryAfterMs: 30_000, key: 'user:alice' });
    clock.now += 29_999;
    expect(throttle.check(keys)).toEqual({ allowed: false, retryAfterMs: 1, key: 'user:alice' });
    clock.now += 1;
    expect(throttle.check(keys).allowed).toBe(true);
  });

  it('doubles the delay with each lock-out, up to the maximum', () => {
    const { throttle, clock } = setup();
    const keys = ['user:bob'];
    const delays: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) throttle.recordFailure(keys);
      const verdict = throttle.check(keys);
      if (verdict.allowed) throw new Error('expected a lock-out');
      delays.push(verdict.retryAfterMs);
      clock.now += verdict.retryAfterMs;
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 120_000, 120_000]);
  });

  it('a success clears the count; a long quiet spell forgets it', () => {
    const { throttle, clock } = setup();
    const keys = ['user:carol'];
    for (let i = 0; i < 4; i++) throttle.recordFailure(keys);
    throttle.recordSuccess(keys);
    for (let i = 0; i < 4; i++) throttle.recordFailure(keys);
    expect(throttle.check(keys).allowed).toBe(true);
    clock.now += 3_600_000;
    for (let i = 0; i < 4; i++) throttle.recordFailure(keys);
    expect(throttle.check(keys).allowed).toBe(true);
    throttle.recordFailure(keys);
    expect(throttle.check(keys).allowed).toBe(false);
  });

  it('counts per key: a locked source blocks every user from it, other sources are unaffected', () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) throttle.recordFailure([`user:u${i}`, 'source:10.0.0.9']);
    const fromAttacker = throttle.check(['user:dave', 'source:10.0.0.9']);
    expect(fromAttacker.allowed).toBe(false);
    if (!fromAttacker.allowed) expect(fromAttacker.key).toBe('source:10.0.0.9');
    expect(throttle.check(['user:dave', 'source:10.0.0.7']).allowed).toBe(true);
    expect(throttle.check(['user:u1', 'source:10.0.0.7']).allowed).toBe(true);
  });

  it('keeps memory bounded under a flood of made-up names', () => {
    const { throttle } = setup();
    for (let i = 0; i < 12_000; i++) throttle.recordFailure([`user:x${i}`]);
    expect(throttle.trackedKeys).toBe(10_000);
    // the oldest ones were forgotten, the newest are still counted
    for (let i = 0; i < 4; i++) throttle.recordFailure(['user:x11999']);
    expect(throttle.check(['user:x11999']).allowed).toBe(false);
  });

  it('reserves a slot per attempt before the check: failures plus attempts in flight never pass the limit', () => {
    const { throttle } = setup();
    throttle.recordFailure(['user:tom']);
    const slots = Array.from({ length: 10 }, () => throttle.reserve(['user:tom', 'source:a']));
    expect(slots.filter((s) => s.allowed)).toHaveLength(4);
    expect(slots[4]).toMatchObject({ allowed: false, key: 'user:tom' });
    expect(throttle.inFlightFor('user:tom')).toBe(4);
    for (const slot of slots) {
      if (!slot.allowed) continue;
      throttle.recordFailure(['user:tom', 'source:a']);
      slot.release();
      slot.release(); // twice is harmless
    }
    expect(throttle.inFlightFor('user:tom')).toBe(0);
    expect(throttle.check(['user:tom']).allowed).toBe(false);
    // a slot given back after a success frees the key for the next attempt
    const other = throttle.reserve(['user:ann']);
    throttle.recordSuccess(['user:ann']);
    if (other.allowed) other.release();
    expect(throttle.inFlightFor('user:ann')).toBe(0);
  });
});
