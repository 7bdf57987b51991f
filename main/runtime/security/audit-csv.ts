/** CSV rendering of audit entries, through the one CSV module every export uses. Pure. */
import type { AuditEntry } from './audit-entry.js';
import { canonicalJson } from './audit-entry.js';
import { csvCell as sharedCsvCell, csvRow } from '../export/csv.js';

export const auditCsvHeader = [
  'seq',
  'time',
  'actor',
  'role',
  'source',
  'action',
  'target',
  'details',
  'prev_hash',
  'hash',
] as const;

/** One CSV cell (quoted when needed, spreadsheet formulas defused): see export/csv.ts. */
export function csvCell(value: string | number): string {
  return sharedCsvCell(value);
}

export function csvLine(cells: readonly (string | number)[]): string {
  return csvRow(cells);
}

export function auditCsvLine(e: AuditEntry): string {
  return csvLine([
    e.seq,
    new Date(e.time).toISOString(),
    e.actor,
    e.role,
    e.source,
    e.action,
    e.target,
    canonicalJson(e.details),
    e.prevHash,
    e.hash,
  ]);
}
