/**
 * Login, sessions, auto-lock, quick user switch and password change, with lock-out after
 * repeated failures and an audit entry for each.
 *
 * Sessions live in memory (a restart logs everyone out). A session id is 256 random bits
 * and is a bearer credential: it is never written to the audit trail (entries carry
 * `sessionRef`, a short hash of it, to tie a login to its logout). Every check re-reads
 * the user, so a role change, new areas or a disabled account take effect at once.
 *
 * Session life: after `idleLockMs` without activity a session LOCKS (it stays, but needs
 * the password again: `unlock`, or another user takes over with `switchUser`); after
 * `idleTimeoutMs` without activity, or `absoluteMs` after login, it ENDS.
 *
 * Audit rule: a login or unlock is refused when its entry cannot be written; ending or
 * locking a session goes ahead even then (it only takes privilege away) and the failure
 * reaches the trail's `onWriteFailure`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditAppender } from './audit-trail.js';
import type { AuditAction, AuditDetails } from './audit-entry.js';
import type { Principal } from './permissions.js';
import type { UserRecord, UserStore } from './user-store.js';
import { LoginThrottle, defaultSourceLockout, defaultUserLockout, type LockoutPolicy } from './login-throttle.js';
import { SecurityError } from './security-error.js';
import { describePasswordProblem, passwordProblem } from './password-policy.js';
import { systemClock, type Clock } from './clock.js';

export interface SessionPolicy {
  /** Auto-lock after this long without activity; 0 = never. Default 15 minutes. */
  readonly idleLockMs: number;
  /** End after this long without activity. Default 12 hours. */
  readonly idleTimeoutMs: number;
  /** End this long after login whatever happens. Default 24 hours. */
  readonly absoluteMs: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idleLockMs: 15 * 60_000,
  idleTimeoutMs: 12 * 3_600_000,
  absoluteMs: 24 * 3_600_000,
};

/** A session as callers see it. `id` goes into the cookie or the IPC binding, nowhere else. */
export interface SessionInfo {
  readonly id: string;
  readonly user: Principal;
  readonly source: string;
  readonly createdAt: number;
  readonly lastActivityAt: number;
  readonly locked: boolean;
  /** When it ends unless used again (idle timeout or absolute expiry, whichever is first). */
  readonly expiresAt: number;
  /** When it locks unless used again; null when auto-lock is off or it is locked. */
  readonly locksAt: number | null;
}

export type LoginRefusalReason =
  'INVALID_CREDENTIALS' | 'LOCKED_OUT' | 'DISABLED' | 'AUDIT_UNAVAILABLE' | 'NO_SESSION' | 'WEAK_PASSWORD';

export type LoginResult =
  | { readonly ok: true; readonly session: SessionInfo }
  | {
      readonly ok: false;
      readonly reason: LoginRefusalReason;
      readonly message: string;
      readonly retryAfterMs?: number;
    };

export type SessionCheck =
  | { readonly ok: true; readonly session: SessionInfo }
  | { readonly ok: false; readonly reason: 'UNKNOWN' | 'LOCKED'; readonly user?: string };

/** Who an audit entry names: a session's user, or the name typed in a failed login (no role). */
interface Actor {
  readonly user: { readonly name: string; readonly role: string };
  readonly source: string;
}

interface SessionState {
  id: string;
  userId: number;
  user: Principal;
  source: string;
  createdAt: number;
  lastActivityAt: number;
  lockedAt: number | null;
}

export interface AuthenticatorOptions {
  readonly users: UserStore;
  readonly audit: AuditAppender;
  readonly clock?: Clock;
  readonly sessions?: Partial<SessionPolicy>;
  /** Lock-out policy per throttle key kind; defaults in login-throttle.ts. */
  readonly lockout?: { readonly user?: LockoutPolicy; readonly source?: LockoutPolicy };
}

/** A short, non-reversible reference to a session for the audit trail. */
export function sessionRef(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

function principalOf(user: UserRecord): Principal {
  return { name: user.name, role: user.role, areas: [...user.areas] };
}

export class Authenticator {
  private readonly users: UserStore;
  private readonly audit: AuditAppender;
  private readonly clock: Clock;
  private readonly policy: SessionPolicy;
  private readonly throttle: LoginThrottle;
  private readonly sessions = new Map<string, SessionState>();

  constructor(options: AuthenticatorOptions) {
    this.users = options.users;
    this.audit = options.audit;
    this.clock = options.clock ?? systemClock;
    this.policy = { ...defaultSessionPolicy, ...options.sessions };
    const userLockout = options.lockout?.user ?? defaultUserLockout;
    const sourceLockout = options.lockout?.source ?? defaultSourceLockout;
    this.throttle = new LoginThrottle(this.clock, (key) => (key.startsWith('source:') ? sourceLockout : userLockout));
  }

  /** Check a name and password and open a session. */
  async login(name: string, password: string, source: string): Promise<LoginResult> {
    const verdict = await this.verify(name, password, source, {});
    if (!verdict.ok) return verdict;
    const session = this.newSession(verdict.user, source);
    try {
      this.record('login', session, { sessionRef: sessionRef(session.id) });
    } catch {
      return this.auditRefusal();
    }
    this.sessions.set(session.id, session);
    return { ok: true, session: this.view(session) };
  }

  /** A user request: validates the session and counts as activity. */
  touch(id: string): SessionCheck {
    return this.check(id, true);
  }

  /** Validates the session without counting as activity (background pushes, polling). */
  peek(id: string): SessionCheck {
    return this.check(id, false);
  }

  /** Lock now (the user steps away). Returns false for an unknown session. */
  lock(id: string): boolean {
    const session = this.current(id);
    if (!session) return false;
    if (session.lockedAt === null) {
      session.lockedAt = this.clock();
      this.recordQuietly('session.lock', session, { reason: 'manual', sessionRef: sessionRef(id) });
    }
    return true;
  }

  /** The session's own user comes back: their password unlocks it. */
  async unlock(id: string, password: string, source: string): Promise<LoginResult> {
    const session = this.current(id);
    if (!session) return { ok: false, reason: 'NO_SESSION', message: 'the session has ended; log in again' };
    const verdict = await this.verify(session.user.name, password, source, { via: 'session.unlock' });
    if (!verdict.ok) return verdict;
    if (this.sessions.get(id) !== session)
      return { ok: false, reason: 'NO_SESSION', message: 'the session has ended; log in again' };
    try {
      this.record('session.unlock', { ...session, source }, { sessionRef: sessionRef(id) });
    } catch {
      return this.auditRefusal();
    }
    session.user = principalOf(verdict.user);
    session.lockedAt = null;
    session.lastActivityAt = this.clock();
    return { ok: true, session: this.view(session) };
  }

  logout(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    this.recordQuietly('logout', session, { reason: 'logout', sessionRef: sessionRef(id) });
    return true;
  }

  /**
   * Shift handover: another user takes over this console's session (also when it is
   * locked). The new user is verified first (lock-out applies); on success the old user
   * is logged out and the new one logged in (two audit entries), and the session gets a
   * NEW id (the old id stops working), so whoever held the old id gains nothing.
   * On failure the session is left as it was.
   */
  async switchUser(id: string, name: string, password: string, source: string): Promise<LoginResult> {
    const old = this.current(id);
    if (!old) return { ok: false, reason: 'NO_SESSION', message: 'the session has ended; log in again' };
    const verdict = await this.verify(name, password, source, { via: 'user.switch', previousUser: old.user.name });
    if (!verdict.ok) return verdict;
    if (this.sessions.get(id) !== old)
      return { ok: false, reason: 'NO_SESSION', message: 'the session has ended; log in again' };
    const next = this.newSession(verdict.user, source);
    try {
      this.record('login', next, { via: 'user.switch', previousUser: old.user.name, sessionRef: sessionRef(next.id) });
    } catch {
      return this.auditRefusal();
    }
    this.sessions.delete(id);
    this.sessions.set(next.id, next);
    this.recordQuietly('logout', old, { reason: 'user.switch', nextUser: next.user.name, sessionRef: sessionRef(id) });
    return { ok: true, session: this.view(next) };
  }

  /**
   * The session user's own password change: the old password must be right (lock-out
   * applies). Audited as `password.change` requested + result. Every OTHER session of
   * the user ends (`session.expire`, reason `password-change`): whoever knew the old
   * password is signed out everywhere but here.
   */
  async changePassword(id: string, oldPassword: string, newPassword: string, source: string): Promise<LoginResult> {
    const check = this.touch(id);
    const session = check.ok ? this.sessions.get(id) : undefined;
    if (!session) return { ok: false, reason: 'NO_SESSION', message: 'log in (or unlock) first' };
    const problem = passwordProblem(session.user.name, newPassword);
    if (problem) return { ok: false, reason: 'WEAK_PASSWORD', message: describePasswordProblem(problem) };
    if (newPassword === oldPassword)
      return { ok: false, reason: 'WEAK_PASSWORD', message: 'the new password must differ from the current one' };
    const verdict = await this.verify(session.user.name, oldPassword, source, { via: 'password.change' });
    if (!verdict.ok) return verdict;
    const who: Actor = { user: session.user, source };
    try {
      this.record('password.change', who, { result: 'requested' });
    } catch {
      return this.auditRefusal();
    }
    try {
      await this.users.setPassword(session.user.name, newPassword);
    } catch (err) {
      this.recordQuietly('password.change', who, {
        result: 'failed',
        error: err instanceof Error ? err.message : String(err),
      });
      if (err instanceof SecurityError) return { ok: false, reason: 'WEAK_PASSWORD', message: err.message };
      throw err;
    }
    this.recordQuietly('password.change', who, { result: 'ok' });
    for (const other of [...this.sessions.values()]) {
      if (other.userId !== session.userId || other.id === session.id) continue;
      this.sessions.delete(other.id);
      this.recordQuietly('session.expire', other, { reason: 'password-change', sessionRef: sessionRef(other.id) });
    }
    return { ok: true, session: this.view(session) };
  }

  /**
   * Lock idle sessions and end expired ones (each with its audit entry). Call it every
   * few seconds from an unref'd timer; checks also do it lazily for their own session.
   */
  sweep(): { locked: number; ended: number } {
    let locked = 0;
    let ended = 0;
    for (const session of [...this.sessions.values()]) {
      const before = session.lockedAt;
      if (!this.advance(session)) ended++;
      else if (before === null && session.lockedAt !== null) locked++;
    }
    return { locked, ended };
  }

  /** End every session of a user (disabled, or their password was reset). */
  endSessionsOf(name: string, reason: string): number {
    let n = 0;
    for (const session of [...this.sessions.values()]) {
      if (session.user.name.toLowerCase() !== name.toLowerCase()) continue;
      this.sessions.delete(session.id);
      this.recordQuietly('session.expire', session, { reason, sessionRef: sessionRef(session.id) });
      n++;
    }
    return n;
  }

  /** Open sessions (for an administrator's view); ids are left out. */
  list(): Omit<SessionInfo, 'id'>[] {
    this.sweep();
    return [...this.sessions.values()].map((s) => {
      const { id: _id, ...rest } = this.view(s);
      return rest;
    });
  }

  // -------------------------------------------------------------------------

  /** Credentials check with lock-out and failure audit; shared by login, unlock, switch and password change. */
  private async verify(
    name: string,
    password: string,
    source: string,
    context: AuditDetails,
  ): Promise<{ ok: true; user: UserRecord } | Extract<LoginResult, { ok: false }>> {
    const keys = [`user:${name.toLowerCase()}`, `source:${source}`];
    const verdict = this.throttle.check(keys);
    const failed = (reason: string): void =>
      this.recordQuietly('login.failed', { user: { name, role: '' }, source }, { ...context, reason });
    if (!verdict.allowed) {
      failed('locked-out');
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      return {
        ok: false,
        reason: 'LOCKED_OUT',
        message: `too many failed logins; try again in ${seconds} s`,
        retryAfterMs: verdict.retryAfterMs,
      };
    }
    // The slot is taken before the (slow) hash check, so parallel attempts cannot all get past
    // the limit while the failures of the first ones are still being computed.
    const slot = this.throttle.reserve(keys);
    if (!slot.allowed) {
      failed('locked-out');
      const seconds = Math.ceil(slot.retryAfterMs / 1000);
      return {
        ok: false,
        reason: 'LOCKED_OUT',
        message: `too many sign-in attempts; try again in ${seconds} s`,
        retryAfterMs: slot.retryAfterMs,
      };
    }
    try {
      const user = await this.users.verifyCredentials(name, password);
      // A disabled account answers exactly as a wrong password does (and counts the same),
      // so a guess cannot tell "right password, disabled" from "wrong password".
      if (!user || user.disabled) {
        this.throttle.recordFailure(keys);
        failed(user ? 'disabled' : 'invalid-credentials');
        return { ok: false, reason: 'INVALID_CREDENTIALS', message: 'wrong user name or password' };
      }
      this.throttle.recordSuccess(keys);
      return { ok: true, user };
    } finally {
      slot.release();
    }
  }

  private newSession(user: UserRecord, source: string): SessionState {
    const now = this.clock();
    return {
      id: randomBytes(32).toString('base64url'),
      userId: user.id,
      user: principalOf(user),
      source,
      createdAt: now,
      lastActivityAt: now,
      lockedAt: null,
    };
  }

  private check(id: string, activity: boolean): SessionCheck {
    const session = this.current(id);
    if (!session) return { ok: false, reason: 'UNKNOWN' };
    if (session.lockedAt !== null) return { ok: false, reason: 'LOCKED', user: session.user.name };
    if (activity) session.lastActivityAt = this.clock();
    return { ok: true, session: this.view(session) };
  }

  /** The live session for `id` after applying time and the user's current record, or null. */
  private current(id: string): SessionState | null {
    if (typeof id !== 'string') return null;
    const session = this.sessions.get(id);
    return session && this.advance(session) ? session : null;
  }

  /** Apply expiry, auto-lock and user changes to a session; false when it has ended. */
  private advance(session: SessionState): boolean {
    const now = this.clock();
    const user = this.users.getById(session.userId);
    let endReason: string | null = null;
    if (!user) endReason = 'user-deleted';
    else if (user.disabled) endReason = 'user-disabled';
    else if (now >= session.createdAt + this.policy.absoluteMs) endReason = 'absolute-expiry';
    else if (now - session.lastActivityAt >= this.policy.idleTimeoutMs) endReason = 'idle-timeout';
    if (endReason !== null || !user) {
      this.sessions.delete(session.id);
      this.recordQuietly('session.expire', session, {
        reason: endReason ?? 'user-deleted',
        sessionRef: sessionRef(session.id),
      });
      return false;
    }
    session.user = principalOf(user);
    if (
      session.lockedAt === null &&
      this.policy.idleLockMs > 0 &&
      now - session.lastActivityAt >= this.policy.idleLockMs
    ) {
      session.lockedAt = session.lastActivityAt + this.policy.idleLockMs;
      this.recordQuietly('session.lock', session, {
        reason: 'idle',
        idleMs: now - session.lastActivityAt,
        sessionRef: sessionRef(session.id),
      });
    }
    return true;
  }

  private view(s: SessionState): SessionInfo {
    const expiresAt = Math.min(s.createdAt + this.policy.absoluteMs, s.lastActivityAt + this.policy.idleTimeoutMs);
    const locksAt =
      s.lockedAt === null && this.policy.idleLockMs > 0 ? s.lastActivityAt + this.policy.idleLockMs : null;
    return {
      id: s.id,
      user: { ...s.user, areas: [...s.user.areas] },
      source: s.source,
      createdAt: s.createdAt,
      lastActivityAt: s.lastActivityAt,
      locked: s.lockedAt !== null,
      expiresAt,
      locksAt,
    };
  }

  /** Append an entry for this session's user; throws AuditWriteError. */
  private record(action: AuditAction, who: Actor, details: AuditDetails, target?: string): void {
    this.audit.append({
      actor: who.user.name,
      role: who.user.role,
      source: who.source,
      action,
      target: target ?? who.user.name,
      details,
    });
  }

  /** Append, but go ahead if it fails (the trail's onWriteFailure has reported it). */
  private recordQuietly(action: AuditAction, who: Actor, details: AuditDetails, target?: string): void {
    try {
      this.record(action, who, details, target);
    } catch {
      // reported by the audit trail; this step only takes privilege away (or records a refusal)
    }
  }

  private auditRefusal(): Extract<LoginResult, { ok: false }> {
    return {
      ok: false,
      reason: 'AUDIT_UNAVAILABLE',
      message: 'the audit trail cannot be written, so logins are refused; tell the administrator',
    };
  }
}
