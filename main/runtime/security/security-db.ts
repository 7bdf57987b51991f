/**
 * `security.db` in the data folder: users and API tokens. (The audit trail has its own
 * database, see audit-trail.ts, so it can be copied, verified and kept apart.)
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, type Migration } from './migrations.js';

export const SECURITY_DB_FILE = 'security.db';

export const securityMigrations: readonly Migration[] = [
  {
    name: '0001-init',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'technician', 'engineer', 'admin')),
        areas TEXT NOT NULL DEFAULT '[]',
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL
      );
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL CHECK (scope IN ('read')),
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        last_used_at INTEGER
      );
    `,
  },
  {
    // A demo account is RETIRED (unusable) at every start that is not a loopback demo; only
    // a loopback demo start brings it back. `disabled` stays the administrator's own switch.
    name: '0002-demo-retired',
    sql: `ALTER TABLE users ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;`,
  },
];

/** Open (creating if needed) `security.db` in `dataDir`, migrated to the current schema. */
export function openSecurityDb(dataDir: string, clock: () => number = Date.now): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, SECURITY_DB_FILE));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, securityMigrations, clock);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
