/** CSV rendering of audit entries (RFC 4180). Pure. */
import type { AuditEntry } from './audit-entry.js';
import { canonicalJson } from './audit-entry.js';

export const auditCsvHeader = ['seq', 'time', 'actor', 'role', 'source', 'action', 'target', 'details', 'prev_hash', 'hash'] as const;

/**
 * One CSV cell. Quotes when needed, and defuses spreadsheet formulas: a cell a user
 * controls (a tag comment, a user name) starting with = + - @ or a tab would otherwise run
 * as a formula when the export is opened in a spreadsheet.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvLine(e: AuditEntry): string {
  return csvLine([e.seq, new Date(e.time).toISOString(), e.actor, e.role, e.source, e.action, e.target, canonicalJson(e.details), e.prevHash, e.hash]);
}
