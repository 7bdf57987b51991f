/**
 * Local users: names, roles, plant areas and scrypt password hashes in `security.db`.
 *
 * No user and no password ships with Argus. The first administrator is created by an
 * explicit call (`createFirstAdmin`) that only works while no administrator exists;
 * demo users get random passwords the caller must show to the person at the screen.
 *
 * The store does not write the audit trail itself (it does not know who is acting):
 * the API layer wraps each change in `withAudit` with the acting user.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { isRole, roles, type Principal, type Role } from './permissions.js';
import { defaultScryptParams, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password-hash.js';
import { areaNamePattern, describePasswordProblem, isValidUserName, passwordProblem } from './password-policy.js';
import { SecurityError } from './security-error.js';
import { systemClock, type Clock } from './clock.js';

export interface UserRecord extends Principal {
  readonly id: number;
  /** Disabled by an administrator, or a demo account retired at this start (see `retired`). */
  readonly disabled: boolean;
  /** Created by `createDemoUsers`. */
  readonly demo: boolean;
  /** A demo account outside a loopback demo start: it cannot sign in, whatever `enable` says. */
  readonly retired: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly passwordChangedAt: number;
}

export interface NewUser {
  readonly name: string;
  readonly password: string;
  readonly role: Role;
  readonly areas?: readonly string[];
}

export interface DemoUser {
  readonly name: string;
  readonly role: Role;
  /** Random; shown once on screen, never stored in clear. */
  readonly password: string;
}

export interface UserStoreOptions {
  readonly clock?: Clock;
  /** Lower only in tests; verification always uses the parameters stored with each hash. */
  readonly scryptParams?: ScryptParams;
}

interface UserRow {
  id: number;
  name: string;
  role: string;
  areas: string;
  password_hash: string;
  disabled: number;
  demo: number;
  retired: number;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
}

function toRecord(row: UserRow): UserRecord {
  if (!isRole(row.role)) throw new Error(`user ${row.name} has an unknown role ${row.role} in security.db`);
  const areas: unknown = JSON.parse(row.areas);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    areas: Array.isArray(areas) ? areas.filter((a): a is string => typeof a === 'string') : [],
    disabled: row.disabled !== 0 || row.retired !== 0,
    demo: row.demo !== 0,
    retired: row.retired !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
  };
}

/** A readable random password for demo users: 4 groups of 4 letters/digits (~80 bits). */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479';
  const group = (): string => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

export class UserStore {
  private readonly clock: Clock;
  private readonly scryptParams: ScryptParams;
  /** Verified against when a user does not exist, so a missing user costs the same time as a wrong password. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: Database,
    options: UserStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.scryptParams = options.scryptParams ?? defaultScryptParams;
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toRecord);
  }

  get(name: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  getById(id: number): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * Whether an administrator who can sign in now exists (if not, the console must ask for
   * the first one). During a loopback demo that may be `demo-admin`; see `hasPlantAdmin`.
   */
  hasAnyAdmin(): boolean {
    return (
      this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 AND retired = 0 LIMIT 1").get() !==
      undefined
    );
  }

  /** Whether the plant has an enabled administrator of its own (a demo account never counts). */
  hasPlantAdmin(): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 AND retired = 0 AND demo = 0 LIMIT 1")
        .get() !== undefined
    );
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    return this.insert(user, false);
  }

  /** The first administrator; refused once the plant has an enabled administrator of its own. */
  async createFirstAdmin(name: string, password: string): Promise<UserRecord> {
    if (this.hasPlantAdmin()) throw new SecurityError('ADMIN_EXISTS', 'an administrator already exists');
    const hash = await this.hashFor(name, password);
    // Checked again inside the transaction: two first-run dialogs must not both win.
    return this.db.transaction(() => {
      if (this.hasPlantAdmin()) throw new SecurityError('ADMIN_EXISTS', 'an administrator already exists');
      return this.insertHashed({ name, role: 'admin', areas: [] }, hash, false);
    })();
  }

  /** The demo accounts that can sign in now, with fresh passwords: see `renewDemoUsers`. */
  async createDemoUsers(): Promise<DemoUser[]> {
    return (await this.renewDemoUsers()).accounts;
  }

  /**
   * One demo user per role (`demo-viewer` … `demo-admin`) with a random password each,
   * returned so the caller can show them on screen. Only for a console bound to
   * 127.0.0.1; the caller decides that (and audits what changed). Existing demo users get
   * fresh passwords and are brought back from retirement; one an administrator DISABLED
   * stays disabled, keeps its old password and is not shown.
   */
  async renewDemoUsers(): Promise<{
    accounts: DemoUser[];
    created: string[];
    renewed: string[];
    keptDisabled: string[];
  }> {
    const result = {
      accounts: [] as DemoUser[],
      created: [] as string[],
      renewed: [] as string[],
      keptDisabled: [] as string[],
    };
    for (const role of roles) {
      const name = `demo-${role}`;
      const password = randomPassword();
      const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
      if (row && row.demo === 0)
        throw new SecurityError('DUPLICATE_USER', `a user named ${name} exists and is not a demo user`);
      if (row && row.disabled !== 0) {
        result.keptDisabled.push(name);
        continue;
      }
      if (row) {
        await this.setPassword(name, password);
        this.update(name, 'role = ?, retired = 0', role);
        result.renewed.push(name);
      } else {
        await this.insert({ name, password, role }, true);
        result.created.push(name);
      }
      result.accounts.push({ name, role, password });
    }
    return result;
  }

  /**
   * Make every demo account unusable (at any start that is not a loopback demo). Returns
   * the names that were usable until now. An administrator's enable does not undo this;
   * only the next loopback demo start does.
   */
  retireDemoUsers(): string[] {
    return this.db.transaction(() => {
      const names = (
        this.db.prepare('SELECT name FROM users WHERE demo = 1 AND retired = 0 ORDER BY name').all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      if (names.length > 0)
        this.db
          .prepare('UPDATE users SET retired = 1, updated_at = ? WHERE demo = 1 AND retired = 0')
          .run(this.clock());
      return names;
    })();
  }

  /** Set a password without knowing the old one (an administrator's reset). */
  async setPassword(name: string, newPassword: string): Promise<void> {
    const user = this.require(name);
    const hash = await this.hashFor(user.name, newPassword);
    const now = this.clock();
    this.db
      .prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?')
      .run(hash, now, now, user.id);
  }

  /** The user's own change: the old password must be right. */
  async changePassword(name: string, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.verifyCredentials(name, oldPassword);
    if (!user) throw new SecurityError('WRONG_PASSWORD', 'the current password is not right');
    if (oldPassword === newPassword)
      throw new SecurityError('WEAK_PASSWORD', 'the new password must differ from the current one');
    await this.setPassword(user.name, newPassword);
  }

  setRole(name: string, role: Role): UserRecord {
    if (!isRole(role)) throw new SecurityError('INVALID_NAME', `unknown role ${String(role)}`);
    return this.db.transaction(() => {
      const user = this.require(name);
      if (user.role === 'admin' && role !== 'admin') this.refuseIfLastAdmin(user);
      return this.update(user.name, 'role = ?', role);
    })();
  }

  /** Limit the user to these plant areas; an empty list means every area. */
  setAreas(name: string, areas: readonly string[]): UserRecord {
    const bad = areas.find((a) => !areaNamePattern.test(a));
    if (bad !== undefined)
      throw new SecurityError(
        'INVALID_AREA',
        `${JSON.stringify(bad)} is not an area name (the part of a tag name before the first dot)`,
      );
    this.require(name);
    return this.update(name, 'areas = ?', JSON.stringify([...new Set(areas)].sort()));
  }

  disable(name: string): UserRecord {
    return this.db.transaction(() => {
      const user = this.require(name);
      if (user.role === 'admin') this.refuseIfLastAdmin(user);
      return this.update(user.name, 'disabled = 1');
    })();
  }

  enable(name: string): UserRecord {
    this.require(name);
    return this.update(name, 'disabled = 0');
  }

  /**
   * The user when `password` is theirs, else null. Takes about the same time whether
   * or not the user exists. Disabled users are returned too (the caller says why it refuses).
   * A hash made with weaker parameters than the current ones is upgraded here.
   */
  async verifyCredentials(name: string, password: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    if (!row) {
      this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.scryptParams);
      await verifyPassword(password, await this.dummyHash);
      return null;
    }
    if (!(await verifyPassword(password, row.password_hash))) return null;
    if (needsRehash(row.password_hash, this.scryptParams)) {
      const hash = await hashPassword(password, this.scryptParams);
      this.db
        .prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?')
        .run(hash, row.id, row.password_hash);
    }
    return toRecord(row);
  }

  // -------------------------------------------------------------------------

  private async insert(user: NewUser, demo: boolean): Promise<UserRecord> {
    const hash = await this.hashFor(user.name, user.password);
    return this.insertHashed(user, hash, demo);
  }

  private insertHashed(user: Omit<NewUser, 'password'>, hash: string, demo: boolean): UserRecord {
    if (!isRole(user.role)) throw new SecurityError('INVALID_NAME', `unknown role ${String(user.role)}`);
    const areas = user.areas ?? [];
    const bad = areas.find((a) => !areaNamePattern.test(a));
    if (bad !== undefined) throw new SecurityError('INVALID_AREA', `${JSON.stringify(bad)} is not an area name`);
    if (this.get(user.name)) throw new SecurityError('DUPLICATE_USER', `a user named ${user.name} already exists`);
    const now = this.clock();
    const result = this.db
      .prepare(
        `INSERT INTO users (name, role, areas, password_hash, disabled, demo, created_at, updated_at, password_changed_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)`,
      )
      .run(user.name, user.role, JSON.stringify([...new Set(areas)].sort()), hash, demo ? 1 : 0, now, now, now);
    const created = this.getById(Number(result.lastInsertRowid));
    if (!created) throw new Error(`user ${user.name} vanished right after it was created`);
    return created;
  }

  /** Validate name and password, then hash. */
  private async hashFor(name: string, password: string): Promise<string> {
    if (!isValidUserName(name)) {
      throw new SecurityError('INVALID_NAME', 'a user name has 1 to 64 letters, digits or . _ - @');
    }
    const problem = passwordProblem(name, password);
    if (problem) throw new SecurityError('WEAK_PASSWORD', describePasswordProblem(problem));
    return hashPassword(password, this.scryptParams);
  }

  private require(name: string): UserRecord {
    const user = this.get(name);
    if (!user) throw new SecurityError('NO_SUCH_USER', `no user named ${name}`);
    return user;
  }

  /** A plant administrator must leave another plant administrator (a demo admin does not count). */
  private refuseIfLastAdmin(user: UserRecord): void {
    const others = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND retired = 0 AND id != ?${user.demo ? '' : ' AND demo = 0'}`,
      )
      .get(user.id) as { n: number };
    if (others.n === 0) throw new SecurityError('LAST_ADMIN', `${user.name} is the last administrator`);
  }

  private update(name: string, assignments: string, ...values: unknown[]): UserRecord {
    this.db
      .prepare(`UPDATE users SET ${assignments}, updated_at = ? WHERE name = ?`)
      .run(...values, this.clock(), name);
    return this.require(name);
  }
}
