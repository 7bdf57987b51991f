/**
 * What the certificates table shows about one OPC UA server certificate: its trust state
 * in words, and whether it is valid now. Pure.
 */
import type { ServerCertificateDto } from '../../preload/contract.js';

export type Validity = 'valid' | 'expired' | 'not-yet-valid' | 'unknown';

export function certificateValidity(cert: Pick<ServerCertificateDto, 'validFrom' | 'validTo'>, now: number): Validity {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'unknown';
  if (now < from) return 'not-yet-valid';
  if (now > to) return 'expired';
  return 'valid';
}

export const validityText: Record<Validity, string> = {
  valid: '',
  expired: 'EXPIRED',
  'not-yet-valid': 'NOT YET VALID',
  unknown: '?',
};

/** A certificate date as "2026-11-25 08:33 UTC"; text that is not a date is shown as it came. */
export function formatCertificateDate(text: string): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) return text;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const UNTRUSTED_LINE = 'Untrusted server certificate — the device will not connect until an engineer trusts it';

/** Rejected certificates first (they need a decision), then by subject. */
export function sortCertificates(certs: readonly ServerCertificateDto[]): ServerCertificateDto[] {
  return [...certs].sort((a, b) =>
    a.trust === b.trust ? a.subject.localeCompare(b.subject) : a.trust === 'rejected' ? -1 : 1,
  );
}
