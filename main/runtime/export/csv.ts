/**
 * CSV for every export the console writes (history, audit trail, alarm journal): RFC 4180
 * quoting, and defusing of cells a spreadsheet would run as a formula. Pure.
 *
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is evaluated
 * by Excel, LibreOffice and Google Sheets even when it is quoted (`"=HYPERLINK(…)"` is still
 * a formula). Prefixing a single quote makes the spreadsheet show it as text. Numbers and
 * booleans are written as they are (a negative number stays a number).
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a text cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of a cell with a leading formula character neutralised (a `'` in front). */
export function defuseCsvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One cell: null/undefined and non-finite numbers are empty, booleans are 1/0, text is
 * defused and quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = defuseCsvCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, cells joined with commas and ended with `eol` (CRLF by default, as RFC 4180). */
export function csvRow(cells: readonly CsvValue[], eol: '\r\n' | '\n' = '\r\n'): string {
  return `${cells.map(csvCell).join(',')}${eol}`;
}
