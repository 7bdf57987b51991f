/**
 * Sign-in, sessions, setpoint writes, users, API tokens and the audit trail: the
 * security part of the contract. Merged into `requests` in preload/contract.ts.
 * Imports only zod (contract.ts imports this file).
 */
import { z } from 'zod';

export const roleSchema = z.enum(['viewer', 'operator', 'technician', 'engineer', 'admin']);
export type RoleName = z.infer<typeof roleSchema>;

const userName = z.string().min(1).max(64);
const password = z.string().min(1).max(256);

export const authStatusSchema = z.object({
  /** first-run: no administrator exists yet; signed-out; locked: the session needs its password again; active. */
  state: z.enum(['first-run', 'signed-out', 'locked', 'active']),
  user: z.object({ name: z.string(), role: roleSchema, areas: z.array(z.string()) }).nullable(),
  /** What the signed-in user may do, so the UI can hide the rest (the runtime checks every call anyway). */
  permissions: z.array(z.string()),
  /** When an idle session locks, ms since epoch; null when it does not. */
  locksAt: z.number().nullable(),
  /** Demo accounts with their passwords: only on a console bound to this machine running the demo. */
  demoUsers: z.array(z.object({ name: z.string(), role: roleSchema, password: z.string() })).nullable(),
  /** A refusal to show next to the form (wrong password, locked out …). */
  message: z.string().nullable(),
  retryAfterMs: z.number().nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

/** Every action the audit trail records (the runtime refuses any other). */
export const auditActionNames = [
  'login',
  'login.failed',
  'logout',
  'session.lock',
  'session.unlock',
  'session.expire',
  'password.change',
  'tag.write',
  'alarm.acknowledge',
  'alarm.comment',
  'alarm.shelve',
  'alarm.unshelve',
  'alarm.outOfService',
  'alarm.returnToService',
  'device.reconnect',
  'config.change',
  'certificate.trust',
  'certificate.reject',
  'model.change',
  'model.import',
  'user.change',
  'token.change',
  'audit.export',
  'history.export',
  'access.denied',
  'system.start',
  'system.stop',
] as const;

export const auditEntrySchema = z.object({
  seq: z.number(),
  time: z.number(),
  actor: z.string(),
  role: z.string(),
  source: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditFilterSchema = z
  .object({
    from: z.number().optional(),
    to: z.number().optional(),
    actor: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    target: z.string().max(256).optional(),
    limit: z.number().int().min(1).max(10_000).default(200),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export const userInfoSchema = z.object({
  name: z.string(),
  role: roleSchema,
  areas: z.array(z.string()),
  disabled: z.boolean(),
});
export type UserInfo = z.infer<typeof userInfoSchema>;

export const tokenInfoSchema = z.object({
  id: z.number(),
  label: z.string(),
  createdBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  revoked: z.boolean(),
});

const noParams = z.object({}).strict();
const tagValue = z.union([z.number().finite(), z.boolean(), z.string().max(1000)]);

export const securityRequests = {
  'auth.status': { params: noParams, result: authStatusSchema },
  'auth.login': { params: z.object({ name: userName, password }).strict(), result: authStatusSchema },
  'auth.logout': { params: noParams, result: authStatusSchema },
  'auth.lock': { params: noParams, result: authStatusSchema },
  'auth.unlock': { params: z.object({ password }).strict(), result: authStatusSchema },
  /** Shift handover: another user takes over this console without a sign-out in between. */
  'auth.switchUser': { params: z.object({ name: userName, password }).strict(), result: authStatusSchema },
  'auth.changePassword': {
    params: z.object({ oldPassword: password, newPassword: password }).strict(),
    result: authStatusSchema,
  },
  /** Desktop first run only: the station server creates its first administrator with --init-admin. */
  'auth.createFirstAdmin': { params: z.object({ name: userName, password }).strict(), result: authStatusSchema },

  /** A setpoint or command. The UI has shown old and new value and had it confirmed; critical tags need a reason. */
  'tags.write': {
    params: z.object({ tag: z.string().max(200), value: tagValue, reason: z.string().max(500).optional() }).strict(),
    result: z.object({
      tag: z.string(),
      old: z.union([z.number(), z.boolean(), z.string(), z.null()]),
      value: z.union([z.number(), z.boolean(), z.string()]),
      confirmed: z.boolean(),
      readBack: z.union([z.number(), z.boolean(), z.string(), z.null()]),
    }),
  },

  'audit.query': {
    params: auditFilterSchema,
    result: z.object({ entries: z.array(auditEntrySchema), total: z.number() }),
  },
  'audit.exportCsv': {
    params: auditFilterSchema.omit({ limit: true, offset: true }),
    result: z.object({ csv: z.string(), rows: z.number() }),
  },

  'users.list': { params: noParams, result: z.array(userInfoSchema) },
  'users.create': {
    params: z
      .object({ name: userName, password, role: roleSchema, areas: z.array(z.string().max(32)).max(100).default([]) })
      .strict(),
    result: userInfoSchema,
  },
  'users.update': {
    params: z
      .object({
        name: userName,
        role: roleSchema.optional(),
        areas: z.array(z.string().max(32)).max(100).optional(),
        disabled: z.boolean().optional(),
        password: password.optional(),
      })
      .strict(),
    result: userInfoSchema,
  },

  'tokens.list': { params: noParams, result: z.array(tokenInfoSchema) },
  /** The token itself is returned once, here, and never stored in clear. */
  'tokens.create': {
    params: z.object({ label: z.string().min(1).max(100), expiresAt: z.number().optional() }).strict(),
    result: z.object({ token: z.string(), info: tokenInfoSchema }),
  },
  'tokens.revoke': { params: z.object({ id: z.number().int().min(1) }).strict(), result: tokenInfoSchema },
} as const;

/** Requests that change who is signed in: the station server carries these over HTTP so it can set the cookie. */
export const sessionRequestNames = [
  'auth.status',
  'auth.login',
  'auth.logout',
  'auth.lock',
  'auth.unlock',
  'auth.switchUser',
  'auth.changePassword',
  'auth.createFirstAdmin',
] as const;
