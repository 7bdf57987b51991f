/**
 * Sign-in and session requests. Refused sign-ins come back as a status with a message
 * (the form shows it); an audit trail that cannot be written refuses the sign-in.
 */
import type { AuthStatus, RoleName, sessionRequestNames } from '../../../preload/contract.js';
import type { SecurityServices } from '../security/security-services.js';
import type { LoginResult } from '../security/authenticator.js';
import { permissionsOf, type Principal } from '../security/permissions.js';
import { AuditWriteError } from '../security/audit-trail.js';
import { SecurityError } from '../security/security-error.js';
import type { Caller } from './caller.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

export interface DemoAccount {
  readonly name: string;
  readonly role: RoleName;
  readonly password: string;
}

export interface AuthHandlerDeps {
  readonly security: SecurityServices;
  /** Demo accounts to show on the sign-in screen; null unless the demo runs bound to this machine. */
  readonly demoAccounts: readonly DemoAccount[] | null;
  /** The desktop's first-run dialog may create the first administrator; the station server uses --init-admin. */
  readonly firstAdminFromUi: boolean;
}

type AuthRequest = (typeof sessionRequestNames)[number];

export function authStatusOf(
  deps: AuthHandlerDeps,
  sessionId: string | null,
  refusal?: { message: string; retryAfterMs?: number },
): AuthStatus {
  const { users, auth } = deps.security;
  const base = {
    demoUsers: deps.demoAccounts ? [...deps.demoAccounts] : null,
    message: refusal?.message ?? null,
    retryAfterMs: refusal?.retryAfterMs ?? null,
  };
  if (!users.hasAnyAdmin()) return { state: 'first-run', user: null, permissions: [], locksAt: null, ...base };
  const check = sessionId ? auth.peek(sessionId) : null;
  if (check?.ok) {
    const user: Principal = check.session.user;
    return {
      state: 'active',
      user: { name: user.name, role: user.role, areas: [...user.areas] },
      permissions: permissionsOf(user.role),
      locksAt: check.session.locksAt,
      ...base,
    };
  }
  if (check && check.reason === 'LOCKED' && check.user) {
    const record = users.get(check.user);
    return {
      state: 'locked',
      user: record ? { name: record.name, role: record.role, areas: [...record.areas] } : null,
      permissions: [],
      locksAt: null,
      ...base,
    };
  }
  return { state: 'signed-out', user: null, permissions: [], locksAt: null, ...base };
}

function requireChangeableSession(caller: Caller): void {
  if (!caller.session.canChange)
    throw new ContractFailure(
      'BAD_REQUEST',
      'sign-in requests go over HTTP (POST /api/v1/session/…) so the session cookie can be set',
    );
}

export function createAuthHandlers(deps: AuthHandlerDeps): Pick<RequestHandlers, AuthRequest> {
  const { auth, users, audit } = deps.security;
  const status = (caller: Caller, refusal?: { message: string; retryAfterMs?: number }) =>
    authStatusOf(deps, caller.session.get(), refusal);

  /** Bind a successful result to the caller's session; turn a refusal into a status with its message. */
  const settle = (caller: Caller, result: LoginResult): AuthStatus => {
    if (result.ok) {
      caller.session.set(result.session.id);
      return status(caller);
    }
    if (result.reason === 'AUDIT_UNAVAILABLE') throw new ContractFailure('UNAVAILABLE', result.message);
    if (result.reason === 'NO_SESSION') caller.session.set(null);
    return status(caller, {
      message: result.message,
      ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
    });
  };

  const currentId = (caller: Caller): string => {
    const id = caller.session.get();
    if (!id) throw new ContractFailure('UNAUTHENTICATED', 'sign in first');
    return id;
  };

  return {
    'auth.status': (_p, caller) => status(caller),
    'auth.login': async ({ name, password }, caller) => {
      requireChangeableSession(caller);
      const result = await auth.login(name, password, caller.source);
      if (result.ok) {
        // A new sign-in replaces whatever session this window had.
        const previous = caller.session.get();
        if (previous && previous !== result.session.id) auth.logout(previous);
      }
      return settle(caller, result);
    },
    'auth.logout': (_p, caller) => {
      requireChangeableSession(caller);
      const id = caller.session.get();
      if (id) auth.logout(id);
      caller.session.set(null);
      return status(caller);
    },
    'auth.lock': (_p, caller) => {
      auth.lock(currentId(caller));
      return status(caller);
    },
    'auth.unlock': async ({ password }, caller) => {
      requireChangeableSession(caller);
      return settle(caller, await auth.unlock(currentId(caller), password, caller.source));
    },
    'auth.switchUser': async ({ name, password }, caller) => {
      requireChangeableSession(caller);
      const id = caller.session.get();
      const result = id
        ? await auth.switchUser(id, name, password, caller.source)
        : await auth.login(name, password, caller.source);
      return settle(caller, result);
    },
    'auth.changePassword': async ({ oldPassword, newPassword }, caller) => {
      requireChangeableSession(caller);
      return settle(caller, await auth.changePassword(currentId(caller), oldPassword, newPassword, caller.source));
    },
    'auth.createFirstAdmin': async ({ name, password }, caller) => {
      requireChangeableSession(caller);
      if (!deps.firstAdminFromUi) {
        throw new ContractFailure(
          'FORBIDDEN',
          'the station server creates its first administrator on its own console: npm run serve -- --init-admin NAME',
        );
      }
      if (users.hasAnyAdmin()) throw new ContractFailure('FORBIDDEN', 'an administrator already exists: sign in');
      try {
        audit.append({
          actor: name,
          role: 'admin',
          source: caller.source,
          action: 'user.change',
          target: name,
          details: { change: 'create-first-admin' },
        });
        await users.createFirstAdmin(name, password);
      } catch (err) {
        if (err instanceof AuditWriteError)
          throw new ContractFailure(
            'UNAVAILABLE',
            'the audit trail cannot be written; the administrator was not created',
            { cause: err },
          );
        if (err instanceof SecurityError) throw new ContractFailure('BAD_REQUEST', err.message, { cause: err });
        throw err;
      }
      return settle(caller, await auth.login(name, password, caller.source));
    },
  };
}
