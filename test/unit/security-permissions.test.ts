import { describe, expect, it } from 'vitest';
import {
  areaOfTag,
  can,
  canInArea,
  coversArea,
  isPermission,
  isRole,
  permissions,
  permissionsOf,
  roles,
  type Permission,
  type Principal,
  type Role,
} from '../../main/runtime/security/permissions.js';

// The whole matrix written out by hand (V viewer, O operator, T technician, E engineer, A admin),
// so a change to the table in permissions.ts must be made here too, on purpose.
const matrix: Record<Permission, string> = {
  view: 'VOTEA',
  'alarm.acknowledge': '-OTEA',
  'alarm.comment': '-OTEA',
  'tag.write': '-OTEA',
  'history.export': '-OTEA',
  'alarm.shelve': '--TEA',
  'alarm.outOfService': '--TEA',
  'device.diagnostics': '--TEA',
  'device.reconnect': '--TEA',
  'project.edit': '---EA',
  'history.backup': '---EA',
  'model.manage': '---EA',
  'certificate.trust': '---EA',
  'audit.view': '---EA',
  'audit.export': '---EA',
  'user.manage': '----A',
  'token.manage': '----A',
};

describe('permission table', () => {
  it('covers exactly the closed list of permissions', () => {
    expect(Object.keys(matrix).sort()).toEqual([...permissions].sort());
  });

  const cases = permissions.flatMap((permission) =>
    roles.map((role, i) => ({ role, permission, allowed: matrix[permission][i] !== '-' })),
  );
  it.each(cases)('$role / $permission → $allowed', ({ role, permission, allowed }) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it('is cumulative: each role holds everything the role below holds', () => {
    for (let i = 1; i < roles.length; i++) {
      const below = permissionsOf(roles[i - 1] as Role);
      const here = permissionsOf(roles[i] as Role);
      expect(here).toEqual(expect.arrayContaining(below));
      expect(here.length).toBeGreaterThan(below.length);
    }
    expect(permissionsOf('admin')).toEqual([...permissions]);
  });

  it('grants nothing to unknown roles or permissions (values from outside the type system)', () => {
    expect(can('root' as Role, 'view')).toBe(false);
    expect(can('admin', 'format.disk' as Permission)).toBe(false);
    expect(can('__proto__' as Role, 'view')).toBe(false);
    expect(can('admin', 'constructor' as Permission)).toBe(false);
    expect(isRole('toString')).toBe(false);
    expect(isPermission('hasOwnProperty')).toBe(false);
  });
});

describe('plant areas', () => {
  it.each([
    ['SS01.P101.Speed', 'SS01'],
    ['SS02.TT1', 'SS02'],
    ['Boiler', null],
    ['.x', null],
  ])('area of %s is %s', (tag, area) => {
    expect(areaOfTag(tag)).toBe(area);
  });

  const operator = (areas: string[]): Principal => ({ name: 'op', role: 'operator', areas });

  it.each([
    // user areas, permission, tag, expected
    [[], 'tag.write', 'SS01.TV1.Setpoint', true],
    [['SS01'], 'tag.write', 'SS01.TV1.Setpoint', true],
    [['SS01'], 'tag.write', 'SS02.TV1.Setpoint', false],
    [['SS01', 'SS02'], 'tag.write', 'SS02.TV1.Setpoint', true],
    [['SS01'], 'tag.write', 'SS011.TV1.Setpoint', false],
    [['ss01'], 'tag.write', 'SS01.TV1.Setpoint', false],
    [['SS01'], 'view', 'SS02.TT1', false],
    [['SS01'], 'alarm.shelve', 'SS01.TT1', false], // role forbids even inside the area
    [['SS01'], 'tag.write', 'NoArea', false],
    [[], 'tag.write', 'NoArea', true],
  ] as const)('operator limited to %j: %s on %s → %s', (areas, permission, tag, expected) => {
    expect(canInArea(operator([...areas]), permission, tag)).toBe(expected);
  });

  it('an unrestricted user covers every area', () => {
    expect(coversArea([], 'ANY')).toBe(true);
    expect(coversArea(['A'], null)).toBe(false);
  });
});
