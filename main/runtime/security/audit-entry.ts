/**
 * What an audit entry is, and how its hash is computed. Pure.
 *
 * Hash chain: every entry stores the hash of the entry before it (`prevHash`; the first
 * entry stores 64 zeros) and its own hash:
 *
 *   hash = SHA-256( JSON.stringify([seq, time, actor, role, source, action, target, details, prevHash]) )
 *
 * as lower-case hex, where `details` is the stored text (canonical JSON: object keys
 * sorted, no spaces) and `time` is milliseconds since the epoch. Changing any field of
 * any entry, deleting one, or inserting one breaks the chain from there on; only an
 * attacker who recomputes every later hash could hide it, which is why `verifyChain`
 * can also be given a head (last seq and hash) kept somewhere else.
 */
import { createHash, createHmac } from 'node:crypto';
import { auditActionNames } from '../../../preload/contract/security.js';

/** The closed list of audited actions, declared in the contract so the audit view can filter by it. */
export const auditActions = auditActionNames;
export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (auditActions as readonly string[]).includes(value);
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type AuditDetails = { readonly [key: string]: JsonValue | undefined };

/** What a caller hands to `append`. */
export interface AuditInput {
  /** The user name (or `token:<label>` for an API token, `system` for the runtime itself). */
  readonly actor: string;
  /** The actor's role at the time, or '' when there is none (a failed login). */
  readonly role: string;
  /** Where the request came from: `desktop`, an IP address, `cli`. */
  readonly source: string;
  readonly action: AuditAction;
  /** What was acted on: a tag name, a user name, an alarm id, a certificate thumbprint; '' when nothing. */
  readonly target?: string;
  readonly details?: AuditDetails;
}

/** A stored entry. */
export interface AuditEntry {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly role: string;
  readonly source: string;
  readonly action: string;
  readonly target: string;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Longest actor/role/source/target kept; longer ones (a 1 MB user name in a failed login) are cut. */
export const MAX_FIELD_CHARS = 256;
/** Largest details text accepted; a bigger one is a programming error and is refused. */
export const MAX_DETAILS_CHARS = 64 * 1024;

export function clampField(value: string): string {
  return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS - 1)}…` : value;
}

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}

/** The fields the hash covers, as stored. */
export interface HashedFields {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly role: string;
  readonly source: string;
  readonly action: string;
  readonly target: string;
  /** The stored details text. */
  readonly details: string;
  readonly prevHash: string;
}

function serialise(f: HashedFields): string {
  return JSON.stringify([f.seq, f.time, f.actor, f.role, f.source, f.action, f.target, f.details, f.prevHash]);
}

/** The plain SHA-256 of an entry: entries written before the chain was keyed (see `entryMac`). */
export function entryHash(f: HashedFields): string {
  return createHash('sha256').update(serialise(f), 'utf8').digest('hex');
}

/**
 * The keyed chain: HMAC-SHA256 with the install's audit key (kept outside the audit
 * database). Whoever can edit the database but not read the key cannot rebuild the chain
 * after changing, cutting or appending entries.
 */
export function entryMac(key: Buffer, f: HashedFields): string {
  return createHmac('sha256', key).update(serialise(f), 'utf8').digest('hex');
}
