/**
 * Validates a request against the contract, resolves who is calling, checks the
 * request's policy, and runs its handler. Whatever comes in (unknown method, malformed
 * params, no session, a handler that throws), the caller gets a Reply value back,
 * never an exception.
 */
import {
  errorReply,
  isRequestName,
  okReply,
  requests,
  type ErrorCode,
  type Reply,
  type RequestName,
  type RequestResult,
} from '../../../preload/contract.js';
import type { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { Authenticator } from '../security/authenticator.js';
import { authorize } from '../security/authorize.js';
import type { Principal } from '../security/permissions.js';
import type { Caller, DoorContext } from './caller.js';
import { requestPolicy } from './request-policy.js';

/** Thrown by handlers for an expected refusal; becomes an error reply with its code. */
export class ContractFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ContractFailure';
  }
}

type ParsedParams<N extends RequestName> = z.output<(typeof requests)[N]['params']>;

export type RequestHandlers = {
  [N in RequestName]: (params: ParsedParams<N>, caller: Caller) => RequestResult<N> | Promise<RequestResult<N>>;
};

export interface DispatchTarget {
  readonly handlers: RequestHandlers;
  readonly auth: Authenticator;
  readonly log: Logger;
  /** Set when the station runs read-only (full disk, audit unwritable): only views and sign-in are served. */
  readonly readOnlyReason?: string | null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`)
    .join('; ');
}

/**
 * Requests a console sends on its own (a live trend's refresh, status polling): they check
 * the session without counting as user activity, so a screen left on a live trend still
 * locks when idle. Everything else a signed-in user sends counts as activity.
 */
export const backgroundRequests: ReadonlySet<RequestName> = new Set<RequestName>([
  'history.trend',
  'history.trends',
  'history.status',
  'tags.watch',
]);

/** The session's user for a request that needs one; a user request counts as activity. */
function resolvePrincipal(
  target: DispatchTarget,
  door: DoorContext,
  isPublic: boolean,
  background = false,
): Principal | ContractFailure | null {
  const id = door.session.get();
  if (id) {
    const check = isPublic || background ? target.auth.peek(id) : target.auth.touch(id);
    if (check.ok) return check.session.user;
    if (!isPublic) {
      return check.reason === 'LOCKED'
        ? new ContractFailure('UNAUTHENTICATED', 'the console is locked: enter your password to continue')
        : new ContractFailure('UNAUTHENTICATED', 'your session has ended: sign in again');
    }
  }
  if (door.tokenPrincipal) return door.tokenPrincipal;
  return isPublic ? null : new ContractFailure('UNAUTHENTICATED', 'sign in first');
}

export async function dispatch(
  target: DispatchTarget,
  method: unknown,
  params: unknown,
  door: DoorContext,
): Promise<Reply<unknown>> {
  if (!isRequestName(method))
    return errorReply('BAD_REQUEST', `unknown method ${JSON.stringify(String(method)).slice(0, 120)}`);
  const parsed = requests[method].params.safeParse(params ?? {});
  if (!parsed.success) return errorReply('BAD_REQUEST', `${method}: ${describeIssues(parsed.error)}`);
  const policy = requestPolicy[method];
  const principal = resolvePrincipal(target, door, policy === 'public', backgroundRequests.has(method));
  if (principal instanceof ContractFailure) return errorReply(principal.code, principal.message);
  if (policy !== 'public') {
    const verdict = authorize(principal, policy);
    if (!verdict.ok) return errorReply(verdict.code, `${method}: ${verdict.reason}`);
    if (target.readOnlyReason && policy !== 'view')
      return errorReply('UNAVAILABLE', `${method}: the station is read-only: ${target.readOnlyReason}`);
  }
  try {
    const handler = target.handlers[method] as (p: unknown, c: Caller) => unknown;
    return okReply(await handler(parsed.data, { ...door, principal }));
  } catch (err) {
    if (err instanceof ContractFailure) return errorReply(err.code, err.message);
    target.log.error({ err, method }, 'request handler failed');
    return errorReply('INTERNAL', `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
