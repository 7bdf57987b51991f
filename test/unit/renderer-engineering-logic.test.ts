import { describe, expect, it } from 'vitest';
import { requests, type BrowseEntryDto, type AuthStatus } from '../../preload/contract.js';
import { formatThumbprint, sameThumbprint, thumbprintDigits } from '../../renderer/engineering/thumbprint.js';
import {
  certificateValidity,
  formatCertificateDate,
  sortCertificates,
} from '../../renderer/engineering/certificate-view.js';
import {
  addTagFormFromNode,
  addTagResultText,
  checkAddTagForm,
  dataTypeName,
  decimalsFromDataType,
  kindFromDataType,
  suggestTagName,
  TAG_NAME_PATTERN,
  type AddTagForm,
} from '../../renderer/engineering/tag-from-node.js';
import { mayEngineer } from '../../renderer/engineering/engineering-access.js';
import { permissionsOf } from '../../main/runtime/security/permissions.js';
import { navItems, parseRoute, routeHash } from '../../renderer/app/navigation.js';

const SHA1 = '3f2a9c10b7e4d5a6f8091b2c3d4e5f60718293a4';

describe('thumbprints', () => {
  it.each([
    [SHA1, '3F2A 9C10 B7E4 D5A6 F809 1B2C 3D4E 5F60 7182 93A4'],
    [
      '3F:2A:9C:10:B7:E4:D5:A6:F8:09:1B:2C:3D:4E:5F:60:71:82:93:A4',
      '3F2A 9C10 B7E4 D5A6 F809 1B2C 3D4E 5F60 7182 93A4',
    ],
    ['3f2a 9c10', '3F2A 9C10'],
    ['abcdef', 'ABCD EF'],
    ['not a thumbprint', 'not a thumbprint'],
  ])('%s → %s', (input, expected) => {
    expect(formatThumbprint(input)).toBe(expected);
  });

  it('compares thumbprints however they are written', () => {
    expect(sameThumbprint(SHA1, formatThumbprint(SHA1))).toBe(true);
    expect(sameThumbprint(SHA1, SHA1.replace('3f', '4f'))).toBe(false);
    expect(sameThumbprint('', '')).toBe(false);
    expect(thumbprintDigits('ab:cd ef')).toBe('ABCDEF');
  });

  it('the formatted thumbprint is accepted by opcua.trustCertificate', () => {
    expect(requests['opcua.trustCertificate'].params.safeParse({ thumbprint: formatThumbprint(SHA1) }).success).toBe(
      true,
    );
  });
});

describe('certificate view', () => {
  const cert = { validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' };
  it('validity against the clock', () => {
    expect(certificateValidity(cert, Date.parse('2026-06-01T00:00:00Z'))).toBe('valid');
    expect(certificateValidity(cert, Date.parse('2027-06-01T00:00:00Z'))).toBe('expired');
    expect(certificateValidity(cert, Date.parse('2025-06-01T00:00:00Z'))).toBe('not-yet-valid');
    expect(certificateValidity({ validFrom: 'x', validTo: 'y' }, 0)).toBe('unknown');
  });
  it('dates in UTC, other text as given', () => {
    expect(formatCertificateDate('2026-11-25T08:33:31.000Z')).toBe('2026-11-25 08:33 UTC');
    expect(formatCertificateDate('someday')).toBe('someday');
  });
  it('rejected certificates first', () => {
    const c = (subject: string, trust: 'trusted' | 'rejected') => ({
      thumbprint: SHA1,
      subject,
      trust,
      applicationUri: '',
      ...cert,
    });
    expect(sortCertificates([c('A', 'trusted'), c('C', 'rejected'), c('B', 'rejected')]).map((x) => x.subject)).toEqual(
      ['B', 'C', 'A'],
    );
  });
});

describe('tag name from a browse path', () => {
  it.each([
    [['1:SS01', '1:HX', '1:T_SEC_SUP'], 'SS01.HX.T_SEC_SUP'],
    [['SS01', 'HX', 'T_SEC_SUP'], 'SS01.HX.T_SEC_SUP'],
    [['2:Plant', '2:Line 1', '2:Pump-3', '2:Motor temp.'], 'PLANT.LINE_1_PUMP_3.MOTOR_TEMP'],
    [['Boiler', 'Temperature'], 'BOILER.TEMPERATURE'],
    [['1:SS01.HX.T_SEC_SUP'], 'SS01.HX.T_SEC_SUP'],
    [['Temperature'], 'SS01_OPCUA.TEMPERATURE'],
    [['1:3rd floor', 'AHU', 'T'], 'A3RD_FLOOR.AHU.T'],
    [['温度', 'T'], 'SS01_OPCUA.T'],
    [[], 'SS01_OPCUA.SIGNAL'],
  ])('%j → %s', (path, expected) => {
    const name = suggestTagName(path, 'SS01-OPCUA');
    expect(name).toBe(expected);
    expect(TAG_NAME_PATTERN.test(name)).toBe(true);
  });
});

describe('tag kind from the data type', () => {
  it.each([
    ['Boolean', 'digital'],
    ['i=1', 'digital'],
    ['String', 'text'],
    ['ns=0;i=12', 'text'],
    ['LocalizedText', 'text'],
    ['Double', 'analog'],
    ['Float', 'analog'],
    ['UInt32', 'analog'],
    ['i=11', 'analog'],
    ['Int16', 'analog'],
    ['DateTime', null],
    ['ns=2;i=3001', null],
    [undefined, null],
  ] as const)('%s → %s', (dataType, kind) => {
    expect(kindFromDataType(dataType)).toBe(kind);
  });
  it('integers get no decimals', () => {
    expect(decimalsFromDataType('UInt16')).toBe(0);
    expect(decimalsFromDataType('Double')).toBe(1);
    expect(dataTypeName('i=7')).toBe('UInt32');
  });
});

describe('add-tag form', () => {
  const node: BrowseEntryDto = {
    nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP',
    browseName: '1:T_SEC_SUP',
    displayName: 'Secondary supply temperature',
    nodeClass: 'Variable',
    dataType: 'Double',
    engineeringUnit: '°C',
    writable: false,
  };
  const form = addTagFormFromNode('SS01-OPCUA', ['1:SS01', '1:HX', '1:T_SEC_SUP'], node);

  it('is prefilled from the node', () => {
    expect(form).toMatchObject({
      device: 'SS01-OPCUA',
      nodeId: node.nodeId,
      name: 'SS01.HX.T_SEC_SUP',
      descriptionEn: node.displayName,
      unit: '°C',
      kind: 'analog',
      decimals: '1',
      writable: false,
    });
  });

  it('a boolean node becomes a digital tag without a unit', () => {
    const f = addTagFormFromNode('D', ['A', 'B', 'RUN'], { ...node, dataType: 'Boolean', writable: true });
    expect(f.kind).toBe('digital');
    expect(f.unit).toBe('');
    expect(f.writable).toBe(true);
  });

  it('builds parameters the contract accepts', () => {
    const filled: AddTagForm = {
      ...form,
      name: 'SS01.HX.UA_COPY',
      descriptionZh: '二次供水温度',
      rangeMin: '0',
      rangeMax: '120',
      decimals: '2',
    };
    const check = checkAddTagForm(filled);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.params).toEqual({
      device: 'SS01-OPCUA',
      nodeId: node.nodeId,
      name: 'SS01.HX.UA_COPY',
      description: { en: node.displayName, zh: '二次供水温度' },
      unit: '°C',
      kind: 'analog',
      range: [0, 120],
      decimals: 2,
      writable: false,
    });
    expect(requests['project.addTag'].params.safeParse(check.params).success).toBe(true);
  });

  it('leaves out an empty range and zh description', () => {
    const check = checkAddTagForm(form);
    expect(check.ok && check.params).toMatchObject({ description: { en: node.displayName } });
    expect(check.ok && 'range' in check.params).toBe(false);
    expect(check.ok && check.params.description.zh).toBeUndefined();
  });

  it.each([
    [{ name: 'NODOTS' }, 'name'],
    [{ name: '1A.B' }, 'name'],
    [{ name: 'A.B C' }, 'name'],
    [{ descriptionEn: '  ' }, 'descriptionEn'],
    [{ descriptionZh: 'x'.repeat(201) }, 'descriptionZh'],
    [{ rangeMin: '10', rangeMax: '' }, 'range'],
    [{ rangeMin: '10', rangeMax: '5' }, 'range'],
    [{ rangeMin: 'abc', rangeMax: '5' }, 'range'],
    [{ decimals: '7' }, 'decimals'],
    [{ decimals: '1.5' }, 'decimals'],
    [{ unit: 'x'.repeat(21) }, 'unit'],
  ] as const)('refuses %j (%s)', (change, field) => {
    const check = checkAddTagForm({ ...form, ...change });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(Object.keys(check.problems)).toEqual([field]);
  });

  it('says plainly when the tag applies', () => {
    expect(
      addTagResultText({ name: 'SS01.HX.UA_COPY', projectFile: '/p/plant.yaml', appliesAfterRestart: true }),
    ).toMatch(/^SS01\.HX\.UA_COPY is now in the project file \/p\/plant\.yaml\. .*restart the station runtime/);
    expect(addTagResultText({ name: 'A.B', projectFile: 'p', appliesAfterRestart: false })).toMatch(/polled now/);
  });
});

describe('engineering permissions', () => {
  const auth = (state: AuthStatus['state'], permissions: string[]) => ({ state, permissions }) as unknown as AuthStatus;
  it('only an active session with the permission', () => {
    expect(mayEngineer(auth('active', ['project.edit']), 'project.edit')).toBe(true);
    expect(mayEngineer(auth('active', ['device.diagnostics']), 'certificate.trust')).toBe(false);
    expect(mayEngineer(auth('locked', ['project.edit']), 'project.edit')).toBe(false);
    expect(mayEngineer(null, 'project.edit')).toBe(false);
  });
  it("with the runtime's roles: technicians see certificates, engineers trust them and edit the project", () => {
    const may = (role: Parameters<typeof permissionsOf>[0], p: Parameters<typeof mayEngineer>[1]) =>
      mayEngineer(auth('active', [...permissionsOf(role)]), p);
    expect(may('viewer', 'device.diagnostics')).toBe(false);
    expect(may('operator', 'device.diagnostics')).toBe(false);
    expect(may('technician', 'device.diagnostics')).toBe(true);
    expect(may('technician', 'certificate.trust')).toBe(false);
    expect(may('technician', 'project.edit')).toBe(false);
    expect(may('engineer', 'certificate.trust')).toBe(true);
    expect(may('engineer', 'project.edit')).toBe(true);
    expect(may('admin', 'project.edit')).toBe(true);
  });
});

describe('Engineering in the navigation', () => {
  const screens = [
    { id: 'overview', title: 'Overview' },
    { id: 'engineering', title: 'A project screen named engineering' },
  ];
  it('only with project.edit, and a project screen of the same name does not clash', () => {
    expect(navItems(screens).map((i) => i.testId)).not.toContain('nav-engineering');
    const items = navItems(screens, { engineering: true });
    expect(items.map((i) => i.testId)).toEqual([
      'nav-overview',
      'nav-screen-engineering',
      'nav-alarms',
      'nav-devices',
      'nav-tags',
      'nav-trends',
      'nav-outlook',
      'nav-engineering',
    ]);
    expect(items.at(-1)!.route).toEqual({ kind: 'engineering' });
  });
  it('has its own route', () => {
    expect(parseRoute('#/engineering')).toEqual({ kind: 'engineering' });
    expect(routeHash({ kind: 'engineering' })).toBe('#/engineering');
  });
});
