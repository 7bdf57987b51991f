/**
 * One call that opens everything security needs in a data folder, for the composition
 * root: `security.db` (users, API tokens), `audit.db` (the audit trail), the session
 * secret, and the authenticator over them. `close()` closes the databases (call it last,
 * after the drivers have stopped, so the final entries are written).
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSecurityDb } from './security-db.js';
import { UserStore } from './user-store.js';
import { ApiTokenStore } from './api-tokens.js';
import { AUDIT_DB_FILE, AuditTrail, type AuditWriteError } from './audit-trail.js';
import type { AuditInput } from './audit-entry.js';
import { Authenticator, type SessionPolicy } from './authenticator.js';
import { loadOrCreateSecret } from './install-secret.js';
import { systemClock, type Clock } from './clock.js';

export interface SecurityServices {
  readonly users: UserStore;
  readonly tokens: ApiTokenStore;
  readonly audit: AuditTrail;
  readonly auth: Authenticator;
  /** Signs session cookies (see install-secret.ts). */
  readonly secret: Buffer;
  close(): void;
}

export interface SecurityServicesOptions {
  readonly clock?: Clock;
  readonly sessions?: Partial<SessionPolicy>;
  /** Every audit write failure, to be logged and shown to the user. */
  readonly onAuditWriteFailure?: (error: AuditWriteError, input: AuditInput) => void;
}

export function openSecurityServices(dataDir: string, options: SecurityServicesOptions = {}): SecurityServices {
  const clock = options.clock ?? systemClock;
  const secret = loadOrCreateSecret(dataDir);
  const db: Database.Database = openSecurityDb(dataDir, clock);
  let audit: AuditTrail;
  try {
    audit = AuditTrail.open(join(dataDir, AUDIT_DB_FILE), {
      clock,
      ...(options.onAuditWriteFailure ? { onWriteFailure: options.onAuditWriteFailure } : {}),
    });
  } catch (err) {
    db.close();
    throw err;
  }
  const users = new UserStore(db, { clock });
  const tokens = new ApiTokenStore(db, { clock });
  const auth = new Authenticator({ users, audit, clock, ...(options.sessions ? { sessions: options.sessions } : {}) });
  return {
    users,
    tokens,
    audit,
    auth,
    secret,
    close: () => {
      audit.close();
      if (db.open) db.close();
    },
  };
}
