/**
 * Validates a request against the contract and runs its handler. Whatever comes in
 * (unknown method, malformed params, a handler that throws), the caller gets a
 * Reply value back, never an exception.
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
  [N in RequestName]: (params: ParsedParams<N>) => RequestResult<N> | Promise<RequestResult<N>>;
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`)
    .join('; ');
}

export async function dispatch(
  handlers: RequestHandlers,
  method: unknown,
  params: unknown,
  log: Logger,
): Promise<Reply<unknown>> {
  if (!isRequestName(method)) return errorReply('BAD_REQUEST', `unknown method ${JSON.stringify(String(method)).slice(0, 120)}`);
  const parsed = requests[method].params.safeParse(params ?? {});
  if (!parsed.success) return errorReply('BAD_REQUEST', `${method}: ${describeIssues(parsed.error)}`);
  try {
    const handler = handlers[method] as (p: unknown) => unknown;
    return okReply(await handler(parsed.data));
  } catch (err) {
    if (err instanceof ContractFailure) return errorReply(err.code, err.message);
    log.error({ err, method }, 'request handler failed');
    return errorReply('INTERNAL', `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
