import { describe, expect, it } from 'vitest';
import { authorize, checkTagWrite, type WritableTag } from '../../main/runtime/security/authorize.js';
import type { Principal } from '../../main/runtime/security/permissions.js';

const viewer: Principal = { name: 'vera', role: 'viewer', areas: [] };
const operator: Principal = { name: 'olga', role: 'operator', areas: ['SS01'] };
const setpoint: WritableTag = { name: 'SS01.TIC1.Setpoint', kind: 'analog', writable: true, range: [20, 90] };

describe('authorize', () => {
  it.each([
    [null, 'view', undefined, 'UNAUTHENTICATED'],
    [viewer, 'view', undefined, null],
    [viewer, 'tag.write', 'SS01.X.Y', 'FORBIDDEN'],
    [operator, 'tag.write', 'SS01.X.Y', null],
    [operator, 'tag.write', 'SS02.X.Y', 'FORBIDDEN'],
    [operator, 'alarm.shelve', 'SS01.X.Y', 'FORBIDDEN'],
  ] as const)('%j %s %s → %s', (principal, permission, tag, code) => {
    const verdict = authorize(principal, permission, tag);
    expect(verdict.ok ? null : verdict.code).toBe(code);
  });
});

describe('checkTagWrite', () => {
  it.each([
    ['nobody', null, setpoint, 50, 'UNAUTHENTICATED'],
    ['a viewer', viewer, setpoint, 50, 'FORBIDDEN'],
    ['another area', operator, { ...setpoint, name: 'SS02.TIC1.Setpoint' }, 50, 'FORBIDDEN'],
    ['read-only tag', operator, { ...setpoint, writable: false }, 50, 'WRITE_REJECTED'],
    ['within limits', operator, setpoint, 50, null],
    ['at the low limit', operator, setpoint, 20, null],
    ['at the high limit', operator, setpoint, 90, null],
    ['above the limit', operator, setpoint, 90.01, 'WRITE_REJECTED'],
    ['below the limit', operator, setpoint, 19, 'WRITE_REJECTED'],
    ['NaN', operator, setpoint, Number.NaN, 'WRITE_REJECTED'],
    ['a string for a number', operator, setpoint, '50', 'WRITE_REJECTED'],
    ['no limits configured', operator, { ...setpoint, range: undefined }, 50, 'WRITE_REJECTED'],
    ['a digital command', operator, { name: 'SS01.P1.Start', kind: 'digital', writable: true }, true, null],
    [
      'a number for a digital',
      operator,
      { name: 'SS01.P1.Start', kind: 'digital', writable: true },
      1,
      'WRITE_REJECTED',
    ],
    ['text', operator, { name: 'SS01.Note', kind: 'text', writable: true }, 'hello', null],
    ['huge text', operator, { name: 'SS01.Note', kind: 'text', writable: true }, 'x'.repeat(1001), 'WRITE_REJECTED'],
  ] as const)('%s → %s', (_label, principal, tag, value, code) => {
    const verdict = checkTagWrite(principal, tag as WritableTag, value);
    expect(verdict.ok ? null : verdict.code).toBe(code);
    if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(5);
  });

  it('explains a limit violation with the limits', () => {
    expect(checkTagWrite(operator, setpoint, 95)).toEqual({
      ok: false,
      code: 'WRITE_REJECTED',
      reason: '95 is outside the limits of SS01.TIC1.Setpoint (20 … 90)',
    });
  });
});
