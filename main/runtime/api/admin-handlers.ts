/**
 * Users, API tokens and the audit trail as seen through the contract. Every change is
 * recorded before it is made; passwords and tokens never reach the trail.
 */
import { PassThrough } from 'node:stream';
import type { UserInfo } from '../../../preload/contract.js';
import type { SecurityServices } from '../security/security-services.js';
import type { UserRecord } from '../security/user-store.js';
import type { ApiTokenInfo } from '../security/api-tokens.js';
import type { AuditDetails, AuditAction } from '../security/audit-entry.js';
import { AuditWriteError } from '../security/audit-trail.js';
import { SecurityError } from '../security/security-error.js';
import type { Caller } from './caller.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

type AdminRequest =
  | 'users.list'
  | 'users.create'
  | 'users.update'
  | 'tokens.list'
  | 'tokens.create'
  | 'tokens.revoke'
  | 'audit.query'
  | 'audit.exportCsv';

const userInfo = (u: UserRecord): UserInfo => ({
  name: u.name,
  role: u.role,
  areas: [...u.areas],
  disabled: u.disabled,
});
const tokenInfo = (t: ApiTokenInfo) => ({
  id: t.id,
  label: t.label,
  createdBy: t.createdBy,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  revoked: t.revokedAt !== null,
});

/** Record, then act; an audit failure refuses the action, a security refusal is a clean error. */
async function recorded<T>(
  security: SecurityServices,
  caller: Caller,
  action: AuditAction,
  target: string,
  details: AuditDetails,
  act: () => T | Promise<T>,
): Promise<T> {
  const principal = caller.principal!;
  try {
    return await security.audit.withAudit(
      { actor: principal.name, role: principal.role, source: caller.source, action, target, details },
      act,
    );
  } catch (err) {
    if (err instanceof AuditWriteError)
      throw new ContractFailure('UNAVAILABLE', `the audit trail cannot be written, so ${action} was refused`, {
        cause: err,
      });
    if (err instanceof SecurityError) {
      throw new ContractFailure(
        err.code === 'NO_SUCH_USER' || err.code === 'NO_SUCH_TOKEN' ? 'NOT_FOUND' : 'BAD_REQUEST',
        err.message,
        { cause: err },
      );
    }
    throw err;
  }
}

export function createAdminHandlers(security: SecurityServices): Pick<RequestHandlers, AdminRequest> {
  const { users, tokens, audit, auth } = security;
  return {
    'users.list': () => users.list().map(userInfo),
    'users.create': ({ name, password, role, areas }, caller) =>
      recorded(security, caller, 'user.change', name, { change: 'create', role, areas }, async () =>
        userInfo(await users.createUser({ name, password, role, areas })),
      ),
    'users.update': ({ name, role, areas, disabled, password }, caller) => {
      const changes = {
        ...(role ? { role } : {}),
        ...(areas ? { areas } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
        ...(password ? { passwordReset: true } : {}),
      };
      return recorded(security, caller, 'user.change', name, { change: 'update', ...changes }, async () => {
        if (!users.get(name)) throw new SecurityError('NO_SUCH_USER', `no user named ${name}`);
        if (role) users.setRole(name, role);
        if (areas) users.setAreas(name, areas);
        if (disabled === true) users.disable(name);
        if (disabled === false) users.enable(name);
        if (password) await users.setPassword(name, password);
        // A disabled user or a reset password ends that user's sessions at once.
        if (disabled === true || password) auth.endSessionsOf(name, disabled ? 'user-disabled' : 'password-reset');
        return userInfo(users.get(name)!);
      });
    },
    'tokens.list': () => tokens.list().map(tokenInfo),
    'tokens.create': ({ label, expiresAt }, caller) =>
      recorded(security, caller, 'token.change', label, { change: 'create', label }, () => {
        const created = tokens.create({
          label,
          createdBy: caller.principal!.name,
          ...(expiresAt !== undefined ? { expiresAt } : {}),
        });
        return { token: created.token, info: tokenInfo(created.info) };
      }),
    'tokens.revoke': ({ id }, caller) =>
      recorded(security, caller, 'token.change', String(id), { change: 'revoke' }, () => tokenInfo(tokens.revoke(id))),
    'audit.query': ({ limit, offset, ...filter }) => {
      const entries = audit.query({ ...filter, limit, offset, order: 'desc' });
      return {
        total: audit.count(filter),
        entries: entries.map((e) => ({
          seq: e.seq,
          time: e.time,
          actor: e.actor,
          role: e.role,
          source: e.source,
          action: e.action,
          target: e.target,
          details: { ...e.details },
          hash: e.hash,
        })),
      };
    },
    'audit.exportCsv': (filter, caller) =>
      recorded(security, caller, 'audit.export', '', { filter: { ...filter } }, async () => {
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (c: Buffer) => chunks.push(c));
        const rows = await audit.exportCsv(filter, out);
        out.end();
        return { csv: Buffer.concat(chunks).toString('utf8'), rows };
      }),
  };
}
