/** The per-user preferences store over a real SQLite file: keys, sizes, counts, per-user rows, reopening. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  openPreferenceStore,
  PreferenceError,
  PREFERENCES_DB_FILE,
  type PreferenceStore,
} from '../../main/runtime/preferences/preference-store.js';
import { MAX_PREFERENCE_BYTES, MAX_PREFERENCE_KEYS } from '../../preload/contract.js';

let dir: string;
let store: PreferenceStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'argus-prefs-'));
  store = openPreferenceStore(dir, () => 1_700_000_000_000);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('preference store', () => {
  it('keeps JSON values per user and key, and gives them back after reopening', () => {
    store.set('alice', 'trendSets', [{ name: 'Loop', tags: ['A', 'B'] }]);
    store.set('alice', 'language', 'zh');
    store.set('bob', 'language', 'en');
    store.close();
    store = openPreferenceStore(dir);
    expect(store.all('alice')).toEqual({ language: 'zh', trendSets: [{ name: 'Loop', tags: ['A', 'B'] }] });
    expect(store.all('bob')).toEqual({ language: 'en' });
    expect(store.all('carol')).toEqual({});
  });

  it('treats user names without case, as sign-in does', () => {
    store.set('Alice', 'theme', 'dark');
    expect(store.all('alice')).toEqual({ theme: 'dark' });
  });

  it('replaces a key, and removes it for null', () => {
    store.set('alice', 'theme', 'dark');
    expect(store.set('alice', 'theme', 'light')).toEqual({ key: 'theme', bytes: 7, updatedAt: 1_700_000_000_000 });
    expect(store.all('alice')).toEqual({ theme: 'light' });
    store.set('alice', 'theme', null);
    expect(store.all('alice')).toEqual({});
  });

  it.each(['', '1abc', 'a b', 'a/b', '__proto__x/', 'x'.repeat(65), 'ключ'])('refuses the key %j', (key) => {
    expect(() => store.set('alice', key, 1)).toThrow(PreferenceError);
    expect(store.all('alice')).toEqual({});
  });

  it('refuses a value larger than the limit, naming the key and the size', () => {
    const big = 'x'.repeat(MAX_PREFERENCE_BYTES);
    expect(() => store.set('alice', 'trendSets', big)).toThrow(/trendSets is 65538 bytes; at most 65536/);
  });

  it('refuses one key more than a user may keep, but still replaces an existing one', () => {
    for (let i = 0; i < MAX_PREFERENCE_KEYS; i++) store.set('alice', `k${i}`, i);
    expect(() => store.set('alice', 'oneMore', 1)).toThrow(/at most 32 preferences/);
    expect(() => store.set('alice', 'k0', 'again')).not.toThrow();
    expect(() => store.set('bob', 'oneMore', 1)).not.toThrow();
  });

  it('reads a row that is not JSON (edited by hand) as absent, keeping the others', () => {
    store.set('alice', 'good', { a: 1 });
    const db = new Database(join(dir, PREFERENCES_DB_FILE));
    db.prepare("INSERT INTO preferences (user, key, value, updated_at) VALUES ('alice', 'broken', '{nope', 0)").run();
    db.close();
    expect(store.all('alice')).toEqual({ good: { a: 1 } });
  });
});
