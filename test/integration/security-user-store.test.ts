import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecurityDb, SECURITY_DB_FILE } from '../../main/runtime/security/security-db.js';
import { UserStore } from '../../main/runtime/security/user-store.js';
import { SecurityError } from '../../main/runtime/security/security-error.js';
import { roles } from '../../main/runtime/security/permissions.js';

const fastScrypt = { logN: 10, r: 8, p: 1 };
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    expect(err).toBeInstanceOf(SecurityError);
    expect((err as SecurityError).code).toBe(code);
    return;
  }
  throw new Error(`expected SecurityError ${code}`);
}

describe('user store (security.db)', () => {
  let dataDir: string;
  let db: Database.Database;
  let users: UserStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'argus-users-'));
    dirs.push(dataDir);
    db = openSecurityDb(dataDir);
    users = new UserStore(db, { scryptParams: fastScrypt });
  });
  afterEach(() => db.close());

  it('starts empty (no default user, no default password) at schema version 2 from migrations 0001 and 0002', () => {
    expect(users.list()).toEqual([]);
    expect(users.hasAnyAdmin()).toBe(false);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: '0001-init' },
      { version: 2, name: '0002-demo-retired' },
    ]);
    // reopening does not re-run the migrations
    db.close();
    db = openSecurityDb(dataDir);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
  });

  it('refuses to open a database from a newer version', () => {
    db.pragma('user_version = 7');
    db.close();
    expect(() => openSecurityDb(dataDir)).toThrow(/newer than this program knows/);
    const fix = new Database(join(dataDir, SECURITY_DB_FILE));
    fix.pragma('user_version = 2');
    fix.close();
    db = openSecurityDb(dataDir);
  });

  it('creates the first administrator once, and only while none exists', async () => {
    const admin = await users.createFirstAdmin('chief', 'a long admin password');
    expect(admin).toMatchObject({ name: 'chief', role: 'admin', areas: [], disabled: false, demo: false });
    expect(users.hasAnyAdmin()).toBe(true);
    await expectCode(users.createFirstAdmin('other', 'another long password'), 'ADMIN_EXISTS');
  });

  it('two first-run attempts at once: only one administrator is created', async () => {
    const results = await Promise.allSettled([
      users.createFirstAdmin('first', 'a long admin password'),
      users.createFirstAdmin('second', 'a long admin password'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(users.list().filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('stores only a salted scrypt hash, never the password', async () => {
    await users.createUser({ name: 'alice', password: 'alice password 1', role: 'operator' });
    const row = db.prepare('SELECT password_hash FROM users WHERE name = ?').get('alice') as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row.password_hash).not.toContain('alice password 1');
    expect(await users.verifyCredentials('alice', 'alice password 1')).toMatchObject({ name: 'alice' });
    expect(await users.verifyCredentials('ALICE', 'alice password 1')).toMatchObject({ name: 'alice' }); // names are case-insensitive
    expect(await users.verifyCredentials('alice', 'alice password 2')).toBeNull();
    expect(await users.verifyCredentials('nobody', 'alice password 1')).toBeNull();
  });

  it('enforces the password policy and name rules', async () => {
    await expectCode(users.createUser({ name: 'bob', password: 'short', role: 'viewer' }), 'WEAK_PASSWORD');
    await expectCode(users.createUser({ name: 'operator01', password: 'Operator01', role: 'viewer' }), 'WEAK_PASSWORD');
    await expectCode(
      users.createUser({ name: 'bad name', password: 'long enough pw', role: 'viewer' }),
      'INVALID_NAME',
    );
    await expectCode(
      users.createUser({ name: 'bob', password: 'long enough pw', role: 'root' as 'admin' }),
      'INVALID_NAME',
    );
    await users.createUser({ name: 'bob', password: 'long enough pw', role: 'viewer' });
    await expectCode(users.createUser({ name: 'BOB', password: 'long enough pw', role: 'viewer' }), 'DUPLICATE_USER');
  });

  it('changes a password only with the old one, and an admin reset works without it', async () => {
    await users.createUser({ name: 'carol', password: 'first password', role: 'operator' });
    await expectCode(users.changePassword('carol', 'not the password', 'second password'), 'WRONG_PASSWORD');
    await expectCode(users.changePassword('carol', 'first password', 'carol'), 'WEAK_PASSWORD');
    await users.changePassword('carol', 'first password', 'second password');
    expect(await users.verifyCredentials('carol', 'first password')).toBeNull();
    expect(await users.verifyCredentials('carol', 'second password')).not.toBeNull();
    await users.setPassword('carol', 'third password');
    expect(await users.verifyCredentials('carol', 'third password')).not.toBeNull();
  });

  it('sets roles and areas, disables and enables; never removes the last administrator', async () => {
    await users.createFirstAdmin('chief', 'a long admin password');
    await users.createUser({ name: 'dave', password: 'dave password', role: 'operator', areas: ['SS02', 'SS01'] });
    expect(users.get('dave')?.areas).toEqual(['SS01', 'SS02']);
    expect(users.setRole('dave', 'technician').role).toBe('technician');
    expect(users.setAreas('dave', ['SS03']).areas).toEqual(['SS03']);
    expect(users.setAreas('dave', []).areas).toEqual([]);
    await expectCode(() => users.setAreas('dave', ['SS01.TV1']), 'INVALID_AREA');
    await expectCode(() => users.setRole('chief', 'engineer'), 'LAST_ADMIN');
    await expectCode(() => users.disable('chief'), 'LAST_ADMIN');
    users.setRole('dave', 'admin');
    expect(users.disable('chief').disabled).toBe(true);
    await expectCode(() => users.disable('dave'), 'LAST_ADMIN');
    expect(users.enable('chief').disabled).toBe(false);
    await expectCode(() => users.setRole('nobody', 'viewer'), 'NO_SUCH_USER');
  });

  it('upgrades a weak hash to the current parameters on a successful login', async () => {
    const weak = new UserStore(db, { scryptParams: { logN: 8, r: 8, p: 1 } });
    await weak.createUser({ name: 'erin', password: 'erin password', role: 'viewer' });
    await users.verifyCredentials('erin', 'erin password');
    const row = db.prepare('SELECT password_hash FROM users WHERE name = ?').get('erin') as { password_hash: string };
    expect(row.password_hash.startsWith('scrypt$10$')).toBe(true);
    expect(await users.verifyCredentials('erin', 'erin password')).not.toBeNull();
  });

  it('creates demo users, one per role, each with a different random password', async () => {
    const first = await users.createDemoUsers();
    expect(first.map((u) => u.role)).toEqual([...roles]);
    expect(new Set(first.map((u) => u.password)).size).toBe(roles.length);
    for (const u of first) {
      expect(u.password.length).toBeGreaterThanOrEqual(10);
      expect(await users.verifyCredentials(u.name, u.password)).toMatchObject({ role: u.role, demo: true });
    }
    // a second run (next start) gives new passwords; the old ones stop working
    const second = await users.createDemoUsers();
    for (const [i, u] of second.entries()) {
      expect(u.password).not.toBe(first[i]?.password);
      expect(await users.verifyCredentials(u.name, first[i]?.password ?? '')).toBeNull();
    }
  });
});
