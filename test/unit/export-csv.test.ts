/** The one CSV module every export goes through: quoting and formula defusing. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, defuseCsvCell } from '../../main/runtime/export/csv.js';
import { csvField } from '../../main/runtime/historian/csv-export.js';
import { csvCell as auditCsvCell } from '../../main/runtime/security/audit-csv.js';

const formulas = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  '=HYPERLINK("http://evil.example","x")',
  "=cmd|' /C calc'!A0",
];

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-5', "'-5"],
    ['@A1', "'@A1"],
  ])('%j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers, booleans and missing values as data, never as text to defuse', () => {
    expect(csvRow([-5, 1.5, true, false, null, undefined, Number.NaN])).toBe('-5,1.5,1,0,,,\r\n');
    expect(csvRow(['a', 1], '\n')).toBe('a,1\n');
  });

  it('defuses every formula start, whatever the export', () => {
    for (const f of formulas) {
      expect(defuseCsvCell(f)).toBe(`'${f}`);
      // the history export and the audit export both go through the same cell writer
      for (const cell of [csvField(f), auditCsvCell(f)]) {
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(unquoted, `${JSON.stringify(f)} → ${cell}`).toBe(`'${f}`);
      }
    }
  });
});
