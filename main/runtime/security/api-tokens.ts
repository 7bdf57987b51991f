/**
 * API tokens for other systems (historian collectors, a maintenance system): created by an
 * administrator, shown once, stored only as a SHA-256 hash. A token carries 256 random
 * bits, so a fast hash is enough (no password-style stretching is needed) and lookup by
 * hash is safe. The only scope is `read`: a token acts as a viewer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Principal } from './permissions.js';
import { SecurityError } from './security-error.js';
import { systemClock, type Clock } from './clock.js';

export const TOKEN_PREFIX = 'argus_';
export type TokenScope = 'read';

export interface ApiTokenInfo {
  readonly id: number;
  readonly label: string;
  readonly scope: TokenScope;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

export type TokenVerification =
  | { readonly ok: true; readonly token: ApiTokenInfo; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'unknown' | 'revoked' | 'expired' };

interface TokenRow {
  id: number;
  label: string;
  token_hash: string;
  scope: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

function toInfo(row: TokenRow): ApiTokenInfo {
  return {
    id: row.id,
    label: row.label,
    scope: 'read',
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class ApiTokenStore {
  private readonly clock: Clock;

  constructor(
    private readonly db: Database,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Create a read-only token; `token` is returned once and cannot be recovered later. */
  create(options: { label: string; createdBy: string; expiresAt?: number | null }): {
    token: string;
    info: ApiTokenInfo;
  } {
    const label = options.label.trim();
    if (label.length < 1 || label.length > 100)
      throw new SecurityError('INVALID_NAME', 'a token label has 1 to 100 characters');
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const result = this.db
      .prepare(
        'INSERT INTO api_tokens (label, token_hash, scope, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(label, hashToken(token), 'read', options.createdBy, this.clock(), options.expiresAt ?? null);
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(result.lastInsertRowid) as TokenRow;
    return { token, info: toInfo(row) };
  }

  list(): ApiTokenInfo[] {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY id').all() as TokenRow[]).map(toInfo);
  }

  revoke(id: number): ApiTokenInfo {
    const now = this.clock();
    this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    if (!row) throw new SecurityError('NO_SUCH_TOKEN', `no API token ${id}`);
    return toInfo(row);
  }

  /** Check a presented token (e.g. `Authorization: Bearer argus_…`). */
  verify(token: string): TokenVerification {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return { ok: false, reason: 'unknown' };
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(hashToken(token)) as
      TokenRow | undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    const now = this.clock();
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    if (row.expires_at !== null && row.expires_at <= now) return { ok: false, reason: 'expired' };
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    const info = toInfo({ ...row, last_used_at: now });
    return { ok: true, token: info, principal: { name: `token:${info.label}`, role: 'viewer', areas: [] } };
  }
}
