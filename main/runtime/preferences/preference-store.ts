/**
 * Per-user preferences: small JSON values under validated keys, in `preferences.db` in the
 * data folder (its own file: a lost or reset preferences file never touches users or the
 * audit trail). One row per user and key; values are size-limited, keys per user are
 * counted. User names compare without case, as sign-in does.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PREFERENCE_BYTES, MAX_PREFERENCE_KEYS, PREFERENCE_KEY_PATTERN } from '../../../preload/contract.js';
import { applyMigrations, type Migration } from '../security/migrations.js';

export const PREFERENCES_DB_FILE = 'preferences.db';

export const preferenceMigrations: readonly Migration[] = [
  {
    name: '0001-init',
    sql: `
      CREATE TABLE preferences (
        user TEXT NOT NULL COLLATE NOCASE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user, key)
      ) WITHOUT ROWID;
    `,
  },
];

/** A refused write: the message says which rule it broke. */
export class PreferenceError extends Error {
  constructor(
    readonly reason: 'key' | 'value' | 'size' | 'count',
    message: string,
  ) {
    super(message);
    this.name = 'PreferenceError';
  }
}

export interface PreferenceStore {
  /** Every key of the user, values parsed. */
  all(user: string): Record<string, unknown>;
  /** Store `value` (JSON) under `key`; null or undefined removes the key. */
  set(user: string, key: string, value: unknown): { key: string; bytes: number; updatedAt: number };
  close(): void;
}

export function openPreferenceStore(dataDir: string, clock: () => number = Date.now): PreferenceStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, PREFERENCES_DB_FILE);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    applyMigrations(db, preferenceMigrations, clock);
  } catch (err) {
    db.close();
    throw new Error(
      `preferences database ${file} cannot be opened: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const selectAll = db.prepare<[string], { key: string; value: string }>(
    'SELECT key, value FROM preferences WHERE user = ? ORDER BY key',
  );
  const countKeys = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM preferences WHERE user = ? AND key <> ?',
  );
  const upsert = db.prepare(
    'INSERT INTO preferences (user, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare('DELETE FROM preferences WHERE user = ? AND key = ?');

  return {
    all(user) {
      const out: Record<string, unknown> = {};
      for (const row of selectAll.all(user)) {
        try {
          out[row.key] = JSON.parse(row.value) as unknown;
        } catch {
          // A row that is not JSON (edited by hand) reads as absent rather than breaking every key.
        }
      }
      return out;
    },
    set(user, key, value) {
      if (!PREFERENCE_KEY_PATTERN.test(key))
        throw new PreferenceError(
          'key',
          `preference key ${JSON.stringify(key.slice(0, 80))} is not a key name (a letter, then letters, digits, . _ -; at most 64)`,
        );
      const at = clock();
      if (value === null || value === undefined) {
        remove.run(user, key);
        return { key, bytes: 0, updatedAt: at };
      }
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (err) {
        throw new PreferenceError(
          'value',
          `preference ${key}: the value cannot be stored as JSON (${err instanceof Error ? err.message : String(err)})`,
        );
      }
      if (text === undefined)
        throw new PreferenceError('value', `preference ${key}: the value cannot be stored as JSON`);
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > MAX_PREFERENCE_BYTES)
        throw new PreferenceError(
          'size',
          `preference ${key} is ${bytes} bytes; at most ${MAX_PREFERENCE_BYTES} are kept`,
        );
      const write = db.transaction(() => {
        if ((countKeys.get(user, key)?.n ?? 0) >= MAX_PREFERENCE_KEYS)
          throw new PreferenceError(
            'count',
            `a user keeps at most ${MAX_PREFERENCE_KEYS} preferences; ${key} would be one more`,
          );
        upsert.run(user, key, text, at);
      });
      write();
      return { key, bytes, updatedAt: at };
    },
    close() {
      if (db.open) db.close();
    },
  };
}
