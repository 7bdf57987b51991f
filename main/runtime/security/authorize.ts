/**
 * The checks a contract call makes before it acts, as pure functions returning a verdict
 * the API layer turns into a reply (`UNAUTHENTICATED`, `FORBIDDEN`, `WRITE_REJECTED`).
 * Reasons are written for the person at the console.
 */
import { areaOfTag, can, coversArea, type Permission, type Principal } from './permissions.js';

export type AuthorizationVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'WRITE_REJECTED'; readonly reason: string };

/** May `principal` (null: nobody logged in) do `permission`, on `tagName` when the action concerns a tag? */
export function authorize(principal: Principal | null, permission: Permission, tagName?: string): AuthorizationVerdict {
  if (!principal) return { ok: false, code: 'UNAUTHENTICATED', reason: 'log in first' };
  if (!can(principal.role, permission)) {
    return { ok: false, code: 'FORBIDDEN', reason: `the role ${principal.role} may not ${permission}` };
  }
  if (tagName !== undefined && !coversArea(principal.areas, areaOfTag(tagName))) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      reason: `${principal.name} may not act in area ${areaOfTag(tagName) ?? '(none)'} (${tagName})`,
    };
  }
  return { ok: true };
}

/** What a setpoint or command write needs to know about its tag (a subset of the contract's TagInfo). */
export interface WritableTag {
  readonly name: string;
  readonly kind: 'analog' | 'digital' | 'text';
  readonly writable: boolean;
  /** Engineering limits [low, high] for analog tags. */
  readonly range?: readonly [number, number];
}

/**
 * Every rule a write must pass, in the order a person would want to hear them: logged
 * in, role, area, the tag is writable, the value has the tag's type and is within its
 * engineering limits. (Old value, confirmation and reason prompts are the UI's part;
 * the runtime records them in the audit entry.)
 */
export function checkTagWrite(principal: Principal | null, tag: WritableTag, value: unknown): AuthorizationVerdict {
  const access = authorize(principal, 'tag.write', tag.name);
  if (!access.ok) return access;
  if (!tag.writable) return { ok: false, code: 'WRITE_REJECTED', reason: `${tag.name} is read-only` };
  switch (tag.kind) {
    case 'analog': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { ok: false, code: 'WRITE_REJECTED', reason: `${tag.name} takes a number` };
      if (!tag.range)
        return {
          ok: false,
          code: 'WRITE_REJECTED',
          reason: `${tag.name} has no engineering limits in the project, so it cannot be written`,
        };
      const [low, high] = tag.range;
      if (value < low || value > high)
        return {
          ok: false,
          code: 'WRITE_REJECTED',
          reason: `${value} is outside the limits of ${tag.name} (${low} … ${high})`,
        };
      return { ok: true };
    }
    case 'digital':
      return typeof value === 'boolean'
        ? { ok: true }
        : { ok: false, code: 'WRITE_REJECTED', reason: `${tag.name} takes true or false` };
    case 'text':
      return typeof value === 'string' && value.length <= 1000
        ? { ok: true }
        : { ok: false, code: 'WRITE_REJECTED', reason: `${tag.name} takes text of at most 1000 characters` };
  }
}
