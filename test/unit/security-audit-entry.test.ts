import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalJson, clampField, entryHash } from '../../main/runtime/security/audit-entry.js';
import { csvCell, csvLine } from '../../main/runtime/security/audit-csv.js';

describe('canonical JSON', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: 1, x: [3, { d: 1, c: 2 }] } }, '{"z":{"x":[3,{"c":2,"d":1}],"y":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined, NaN, Infinity], '[null,null,null]'],
    ['tëxt "q"', '"tëxt \\"q\\""'],
    [{}, '{}'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('does not depend on key insertion order', () => {
    expect(canonicalJson({ tag: 'A.B', old: 1, new: 2 })).toBe(canonicalJson({ new: 2, old: 1, tag: 'A.B' }));
  });
});

describe('entry hash', () => {
  const fields = {
    seq: 1,
    time: 1_700_000_000_000,
    actor: 'alice',
    role: 'operator',
    source: 'desktop',
    action: 'tag.write',
    target: 'SS01.TV1.Setpoint',
    details: '{"new":55,"old":50}',
    prevHash: GENESIS_HASH,
  };

  it('is SHA-256 over the documented serialisation', () => {
    const expected = createHash('sha256')
      .update(
        JSON.stringify([
          1,
          1_700_000_000_000,
          'alice',
          'operator',
          'desktop',
          'tag.write',
          'SS01.TV1.Setpoint',
          '{"new":55,"old":50}',
          GENESIS_HASH,
        ]),
      )
      .digest('hex');
    expect(entryHash(fields)).toBe(expected);
  });

  it.each(Object.keys(fields))('changes when %s changes', (key) => {
    const original = entryHash(fields);
    const value = fields[key as keyof typeof fields];
    const changed = { ...fields, [key]: typeof value === 'number' ? value + 1 : `${value}x` };
    expect(entryHash(changed)).not.toBe(original);
  });

  it('cannot be fooled by moving text between fields', () => {
    expect(entryHash({ ...fields, actor: 'ab', role: 'c' })).not.toBe(entryHash({ ...fields, actor: 'a', role: 'bc' }));
  });

  it('clamps over-long fields', () => {
    expect(clampField('x'.repeat(10_000)).length).toBe(256);
    expect(clampField('short')).toBe('short');
  });
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [-2, '-2'],
  ] as const)('%j → %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('ends lines with CRLF', () => {
    expect(csvLine(['a', 1])).toBe('a,1\r\n');
  });
});
