import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecurityDb } from '../../main/runtime/security/security-db.js';
import { UserStore } from '../../main/runtime/security/user-store.js';
import { AuditTrail, verifyChain } from '../../main/runtime/security/audit-trail.js';
import {
  Authenticator,
  sessionRef,
  type LoginResult,
  type SessionInfo,
} from '../../main/runtime/security/authenticator.js';
import { ApiTokenStore } from '../../main/runtime/security/api-tokens.js';
import { loadOrCreateSecret, signValue, unsignValue, SECRET_FILE } from '../../main/runtime/security/install-secret.js';

const MIN = 60_000;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-auth-'));
  dirs.push(dir);
  return dir;
}

function sessionOf(result: LoginResult): SessionInfo {
  if (!result.ok) throw new Error(`expected a session, got ${result.reason}: ${result.message}`);
  return result.session;
}

describe('authenticator', () => {
  let dataDir: string;
  let db: Database.Database;
  let users: UserStore;
  let trail: AuditTrail;
  let auth: Authenticator;
  let now: number;
  const clock = (): number => now;

  beforeEach(async () => {
    now = 1_750_000_000_000;
    dataDir = tempDir();
    db = openSecurityDb(dataDir, clock);
    users = new UserStore(db, { clock, scryptParams: { logN: 10, r: 8, p: 1 } });
    trail = AuditTrail.open(join(dataDir, 'audit.db'), { clock });
    auth = new Authenticator({
      users,
      audit: trail,
      clock,
      sessions: { idleLockMs: 10 * MIN, idleTimeoutMs: 60 * MIN, absoluteMs: 8 * 60 * MIN },
    });
    await users.createFirstAdmin('chief', 'chief password');
    await users.createUser({ name: 'olga', password: 'olga password', role: 'operator', areas: ['SS01'] });
    await users.createUser({ name: 'tom', password: 'tom password', role: 'technician' });
  });
  afterEach(() => {
    trail.close();
    db.close();
  });

  const actions = (): string[] => trail.query({ order: 'asc', limit: 1000 }).map((e) => `${e.action}:${e.actor}`);

  it('logs in with a 256-bit random session id and records the login without the id', async () => {
    const session = sessionOf(await auth.login('olga', 'olga password', '127.0.0.1'));
    expect(Buffer.from(session.id, 'base64url')).toHaveLength(32);
    expect(session.user).toEqual({ name: 'olga', role: 'operator', areas: ['SS01'] });
    const [entry] = trail.query();
    expect(entry).toMatchObject({
      action: 'login',
      actor: 'olga',
      role: 'operator',
      source: '127.0.0.1',
      details: { sessionRef: sessionRef(session.id) },
    });
    expect(JSON.stringify(trail.query())).not.toContain(session.id);
    const other = sessionOf(await auth.login('olga', 'olga password', '127.0.0.1'));
    expect(other.id).not.toBe(session.id);
  });

  it('refuses wrong passwords and unknown users alike, and records each failure', async () => {
    const wrong = await auth.login('olga', 'nope nope nope', '10.0.0.5');
    const unknown = await auth.login('ghost', 'nope nope nope', '10.0.0.5');
    expect(wrong).toMatchObject({ ok: false, reason: 'INVALID_CREDENTIALS' });
    expect(unknown).toMatchObject({
      ok: false,
      reason: 'INVALID_CREDENTIALS',
      message: (wrong as { message: string }).message,
    });
    expect(actions()).toEqual(['login.failed:olga', 'login.failed:ghost']);
    expect(trail.query()[0]).toMatchObject({
      role: '',
      source: '10.0.0.5',
      details: { reason: 'invalid-credentials' },
    });
  });

  it('locks a user out after 5 failures, for 30 s, then 60 s after the next 5 (injected clock)', async () => {
    for (let i = 0; i < 5; i++)
      expect(await auth.login('olga', `wrong password ${i}`, 'desktop')).toMatchObject({
        reason: 'INVALID_CREDENTIALS',
      });
    // even the right password is refused while locked out
    expect(await auth.login('olga', 'olga password', 'desktop')).toMatchObject({
      ok: false,
      reason: 'LOCKED_OUT',
      retryAfterMs: 30_000,
    });
    // other users are not affected
    sessionOf(await auth.login('tom', 'tom password', 'desktop'));
    now += 29_000;
    expect(await auth.login('olga', 'olga password', 'desktop')).toMatchObject({
      reason: 'LOCKED_OUT',
      retryAfterMs: 1000,
    });
    now += 1000;
    for (let i = 0; i < 5; i++) await auth.login('olga', `wrong again ${i}`, 'desktop');
    expect(await auth.login('olga', 'olga password', 'desktop')).toMatchObject({
      reason: 'LOCKED_OUT',
      retryAfterMs: 60_000,
    });
    now += 60_000;
    sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(
      trail.query({ action: 'login.failed', limit: 1000 }).filter((e) => e.details.reason === 'locked-out'),
    ).toHaveLength(3);
  });

  it('locks out a source that guesses many users’ passwords', async () => {
    const names = [
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
      'a6',
      'a7',
      'a8',
      'a9',
      'a10',
      'a11',
      'a12',
      'a13',
      'a14',
      'a15',
      'a16',
      'a17',
      'a18',
      'a19',
      'a20',
    ];
    for (const name of names) await auth.login(name, 'guessed password', '10.6.6.6');
    expect(await auth.login('tom', 'tom password', '10.6.6.6')).toMatchObject({ reason: 'LOCKED_OUT' });
    sessionOf(await auth.login('tom', 'tom password', '10.0.0.1'));
  });

  it('refuses a disabled account with the same answer as a wrong password (the trail says why)', async () => {
    users.disable('tom');
    const right = await auth.login('tom', 'tom password', 'desktop');
    const wrong = await auth.login('tom', 'bad password!', 'desktop');
    expect(right).toEqual(wrong);
    expect(right).toMatchObject({ ok: false, reason: 'INVALID_CREDENTIALS', message: 'wrong user name or password' });
    expect(trail.query({ action: 'login.failed', limit: 2, order: 'asc' }).map((e) => e.details.reason)).toEqual([
      'disabled',
      'invalid-credentials',
    ]);
  });

  it('holds the lock-out limit under 200 parallel wrong passwords: at most 5 are checked, a right one in the burst is refused', async () => {
    let checked = 0;
    const verify = users.verifyCredentials.bind(users);
    users.verifyCredentials = async (name, password) => {
      checked++;
      return verify(name, password);
    };
    const burst = Array.from({ length: 200 }, (_, i) => auth.login('tom', `wrong password ${i}`, `10.0.${i % 250}.1`));
    burst.push(auth.login('tom', 'tom password', '10.1.0.1'));
    const results = await Promise.all(burst);
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: 'LOCKED_OUT' });
    // …and the user's lock-out is in force afterwards (the 5 checked ones were failures)
    expect(await auth.login('tom', 'tom password', '10.2.0.1')).toMatchObject({ ok: false, reason: 'LOCKED_OUT' });
  });

  it('touch keeps a session alive; it locks after the idle-lock time and ends after the idle timeout', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    now += 9 * MIN;
    expect(auth.touch(s.id)).toMatchObject({ ok: true });
    now += 9 * MIN;
    expect(auth.peek(s.id)).toMatchObject({ ok: true, session: { locked: false } });
    now += 1 * MIN; // 10 minutes since the last touch (peek does not count)
    expect(auth.touch(s.id)).toEqual({ ok: false, reason: 'LOCKED', user: 'olga' });
    expect(trail.query({ action: 'session.lock' })[0]?.details).toMatchObject({ reason: 'idle' });
    now += 50 * MIN; // an hour idle in all
    expect(auth.touch(s.id)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(trail.query({ action: 'session.expire' })[0]?.details).toMatchObject({ reason: 'idle-timeout' });
  });

  it('ends a session at its absolute expiry however busy it is', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(s.expiresAt).toBe(now + 60 * MIN);
    for (let i = 0; i < 95; i++) {
      now += 5 * MIN;
      expect(auth.touch(s.id).ok).toBe(true);
    }
    now += 5 * MIN; // 8 hours after login
    expect(auth.touch(s.id)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(trail.query({ action: 'session.expire' })[0]?.details).toMatchObject({ reason: 'absolute-expiry' });
  });

  it('a manual lock is undone only by the same user’s password', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(auth.lock(s.id)).toBe(true);
    expect(auth.touch(s.id)).toMatchObject({ ok: false, reason: 'LOCKED' });
    expect(await auth.unlock(s.id, 'tom password', 'desktop')).toMatchObject({
      ok: false,
      reason: 'INVALID_CREDENTIALS',
    });
    const unlocked = sessionOf(await auth.unlock(s.id, 'olga password', 'desktop'));
    expect(unlocked.id).toBe(s.id);
    expect(auth.touch(s.id).ok).toBe(true);
    expect(actions()).toEqual(['login:olga', 'session.lock:olga', 'login.failed:olga', 'session.unlock:olga']);
  });

  it('switches user for shift handover: new id, old id dead, audited as logout + login', async () => {
    const night = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    auth.lock(night.id); // handover works on a locked console too
    expect(await auth.switchUser(night.id, 'tom', 'wrong password', 'desktop')).toMatchObject({
      ok: false,
      reason: 'INVALID_CREDENTIALS',
    });
    expect(auth.peek(night.id)).toMatchObject({ ok: false, reason: 'LOCKED' }); // failed switch leaves it as it was
    const day = sessionOf(await auth.switchUser(night.id, 'tom', 'tom password', 'desktop'));
    expect(day.id).not.toBe(night.id);
    expect(day.user).toEqual({ name: 'tom', role: 'technician', areas: [] });
    expect(day.locked).toBe(false);
    expect(auth.touch(night.id)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(auth.touch(day.id).ok).toBe(true);
    expect(actions()).toEqual(['login:olga', 'session.lock:olga', 'login.failed:tom', 'login:tom', 'logout:olga']);
    const [logout, login] = trail.query({ limit: 2 });
    expect(login?.details).toMatchObject({ via: 'user.switch', previousUser: 'olga' });
    expect(logout?.details).toMatchObject({ reason: 'user.switch', nextUser: 'tom', sessionRef: sessionRef(night.id) });
  });

  it('logout ends the session', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(auth.logout(s.id)).toBe(true);
    expect(auth.touch(s.id).ok).toBe(false);
    expect(auth.logout(s.id)).toBe(false);
    expect(actions()).toEqual(['login:olga', 'logout:olga']);
  });

  it('applies role and area changes at once and ends the sessions of a disabled user', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    users.setRole('olga', 'viewer');
    users.setAreas('olga', ['SS02']);
    expect(auth.touch(s.id)).toMatchObject({ ok: true, session: { user: { role: 'viewer', areas: ['SS02'] } } });
    users.disable('olga');
    expect(auth.touch(s.id)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(trail.query({ action: 'session.expire' })[0]?.details).toMatchObject({ reason: 'user-disabled' });
  });

  it('sweep locks idle sessions and ends expired ones', async () => {
    const a = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    now += 30 * MIN;
    sessionOf(await auth.login('tom', 'tom password', 'desktop'));
    now += 31 * MIN;
    expect(auth.sweep()).toEqual({ locked: 1, ended: 1 });
    expect(auth.list().map((s) => [s.user.name, s.locked])).toEqual([['tom', true]]);
    expect(auth.touch(a.id).ok).toBe(false);
  });

  it('changes the own password with the old one; lock-out applies to wrong old passwords', async () => {
    const s = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(await auth.changePassword(s.id, 'olga password', 'olga', 'desktop')).toMatchObject({
      ok: false,
      reason: 'WEAK_PASSWORD',
    });
    expect(await auth.changePassword(s.id, 'not it at all', 'new olga password', 'desktop')).toMatchObject({
      ok: false,
      reason: 'INVALID_CREDENTIALS',
    });
    sessionOf(await auth.changePassword(s.id, 'olga password', 'new olga password', 'desktop'));
    expect(await auth.login('olga', 'olga password', 'desktop')).toMatchObject({ ok: false });
    sessionOf(await auth.login('olga', 'new olga password', 'desktop'));
    expect(trail.query({ action: 'password.change', order: 'asc' }).map((e) => e.details.result)).toEqual([
      'requested',
      'ok',
    ]);
  });

  it('a password change ends every other session of the user, and keeps this one', async () => {
    const here = sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    const elsewhere = sessionOf(await auth.login('olga', 'olga password', '10.0.0.9'));
    const someoneElse = sessionOf(await auth.login('tom', 'tom password', '10.0.0.8'));
    sessionOf(await auth.changePassword(here.id, 'olga password', 'new olga password', 'desktop'));
    expect(auth.touch(here.id)).toMatchObject({ ok: true });
    expect(auth.touch(elsewhere.id)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(auth.touch(someoneElse.id)).toMatchObject({ ok: true });
    expect(trail.query({ action: 'session.expire' })[0]).toMatchObject({
      actor: 'olga',
      details: { reason: 'password-change', sessionRef: sessionRef(elsewhere.id) },
    });
  });

  it('refuses logins when the audit trail cannot be written, and the chain stays sound', async () => {
    const blocker = new Database(join(dataDir, 'audit.db'));
    trail.close();
    trail = AuditTrail.open(join(dataDir, 'audit.db'), { clock, busyTimeoutMs: 20 });
    auth = new Authenticator({ users, audit: trail, clock });
    blocker.exec('BEGIN EXCLUSIVE');
    expect(await auth.login('olga', 'olga password', 'desktop')).toMatchObject({
      ok: false,
      reason: 'AUDIT_UNAVAILABLE',
    });
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(auth.list()).toEqual([]);
    sessionOf(await auth.login('olga', 'olga password', 'desktop'));
    expect(verifyChain(join(dataDir, 'audit.db'))).toMatchObject({ ok: true });
  });
});

describe('API tokens', () => {
  it('creates a read-only token shown once, stores only its hash, verifies, expires and revokes', () => {
    const dataDir = tempDir();
    let now = 1_750_000_000_000;
    const db = openSecurityDb(dataDir);
    const tokens = new ApiTokenStore(db, { clock: () => now });
    const { token, info } = tokens.create({ label: 'maintenance system', createdBy: 'chief', expiresAt: now + 1000 });
    expect(token).toMatch(/^argus_[A-Za-z0-9_-]{43}$/);
    const stored = db.prepare('SELECT token_hash FROM api_tokens').get() as { token_hash: string };
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dataDir, 'security.db')).includes(Buffer.from(token))).toBe(false);
    expect(tokens.verify(token)).toMatchObject({
      ok: true,
      principal: { name: 'token:maintenance system', role: 'viewer', areas: [] },
      token: { scope: 'read', lastUsedAt: now },
    });
    expect(tokens.verify(`${token}x`)).toEqual({ ok: false, reason: 'unknown' });
    expect(tokens.verify('Bearer nonsense')).toEqual({ ok: false, reason: 'unknown' });
    now += 1000;
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
    const second = tokens.create({ label: 'historian', createdBy: 'chief' });
    expect(tokens.verify(second.token).ok).toBe(true);
    expect(tokens.revoke(second.info.id).revokedAt).toBe(now);
    expect(tokens.verify(second.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(tokens.list().map((t) => t.id)).toEqual([info.id, second.info.id]);
    db.close();
  });
});

describe('install secret', () => {
  it('is random per install, 0600, stable across restarts, and repaired if too open', () => {
    const a = tempDir();
    const b = tempDir();
    const secretA = loadOrCreateSecret(a);
    expect(secretA).toHaveLength(32);
    expect(statSync(join(a, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(a).equals(secretA)).toBe(true);
    expect(loadOrCreateSecret(b).equals(secretA)).toBe(false);
    chmodSync(join(a, SECRET_FILE), 0o644);
    loadOrCreateSecret(a);
    expect(statSync(join(a, SECRET_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(a, SECRET_FILE), 'abcd');
    expect(() => loadOrCreateSecret(a)).toThrow(/damaged/);
  });

  it('signs values so a changed value or signature is refused', () => {
    const secret = loadOrCreateSecret(tempDir());
    const signed = signValue(secret, 'session-id-123');
    expect(unsignValue(secret, signed)).toBe('session-id-123');
    expect(unsignValue(secret, signed.replace('123', '124'))).toBeNull();
    expect(unsignValue(secret, `${signed}A`)).toBeNull();
    expect(unsignValue(loadOrCreateSecret(tempDir()), signed)).toBeNull();
    expect(unsignValue(secret, 'no-signature')).toBeNull();
  });
});

describe('openSecurityServices', () => {
  it('opens users, tokens, audit and sessions in one data folder; nothing is there until created', async () => {
    const { openSecurityServices } = await import('../../main/runtime/security/security-services.js');
    const dir = tempDir();
    const services = openSecurityServices(dir);
    try {
      expect(services.users.hasAnyAdmin()).toBe(false);
      expect(await services.auth.login('admin', 'admin', 'desktop')).toMatchObject({
        ok: false,
        reason: 'INVALID_CREDENTIALS',
      });
      await services.users.createFirstAdmin('chief', 'chief password');
      sessionOf(await services.auth.login('chief', 'chief password', 'desktop'));
      expect(services.audit.settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
      expect(services.secret).toHaveLength(32);
    } finally {
      services.close();
    }
    expect(verifyChain(join(dir, 'audit.db'))).toMatchObject({ ok: true, entries: 2 });
  });
});
