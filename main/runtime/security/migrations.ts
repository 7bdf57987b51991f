/**
 * Numbered schema migrations for the security databases. Each migration runs in its
 * own transaction, bumps `PRAGMA user_version` and is recorded in `schema_migrations`;
 * a released migration is never edited, only followed by a new one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** `0001-init`, `0002-…`: the number is the schema version it produces. */
  readonly name: string;
  readonly sql: string;
}

function versionOf(migration: Migration): number {
  const match = /^(\d{4})-[a-z0-9-]+$/.exec(migration.name);
  if (!match?.[1]) throw new Error(`migration name ${migration.name} must look like 0001-what-it-does`);
  return Number(match[1]);
}

/** Bring `db` up to the last migration; returns the resulting schema version. */
export function applyMigrations(
  db: Database,
  migrations: readonly Migration[],
  clock: () => number = Date.now,
): number {
  migrations.forEach((m, i) => {
    if (versionOf(m) !== i + 1) throw new Error(`migration ${m.name} is out of sequence (expected number ${i + 1})`);
  });
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this program knows (${migrations.length}); refusing to open it`,
    );
  }
  for (const migration of migrations.slice(current)) {
    const version = versionOf(migration);
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        migration.name,
        clock(),
      );
      db.pragma(`user_version = ${version}`);
    })();
  }
  return migrations.length;
}
