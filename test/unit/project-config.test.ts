import { describe, expect, it } from 'vitest';
import { formatProblem, parseProject, ProjectFileError } from '../../main/runtime/config/load-project.js';

const valid = `schemaVersion: 1
name: Test plant
devices:
  - name: PLC1
    protocol: modbus-tcp
    host: 127.0.0.1
    port: 5020
tags:
  - name: SS01.HX.T_SEC_SUP
    device: PLC1
    description: { en: Secondary supply temperature }
    unit: "°C"
    modbus: { table: input, address: 0, type: float32 }
`;

function problemsOf(text: string) {
  try {
    parseProject(text, 'plant.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectFileError);
    return (err as ProjectFileError).problems;
  }
  throw new Error('expected the project to be rejected');
}

describe('project file loading', () => {
  it('accepts a valid project and fills in defaults', () => {
    const project = parseProject(valid, 'plant.yaml');
    expect(project.devices[0]).toMatchObject({ name: 'PLC1', unitId: 1, pollMs: 1000, wordOrder: 'ABCD' });
    expect(project.tags[0]).toMatchObject({ writable: false, decimals: 1, kind: 'analog' });
  });

  it('names the file, path and line of a schema error', () => {
    const problems = problemsOf(valid.replace('address: 0', 'address: -4'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'plant.yaml', path: 'tags[0].modbus.address', line: 13 });
  });

  it('points an unknown key at its own line', () => {
    const problems = problemsOf(valid.replace('    port: 5020\n', '    port: 5020\n    prot: 5021\n'));
    expect(problems[0]).toMatchObject({ path: 'devices[0]', line: 8 });
    expect(problems[0]!.message).toMatch(/prot/);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('schemaVersion: 1\nname: [unclosed\n');
    expect(problems[0]!.message).toMatch(/not valid YAML/);
    expect(problems[0]!.line).toBeGreaterThan(0);
  });

  it('checks cross references: unknown device, protocol/address mismatch, duplicates, screens', () => {
    const text =
      valid.replace('device: PLC1', 'device: PLC9') +
      `  - name: SS01.HX.T_SEC_SUP
    device: PLC1
    description: { en: dup }
    opcua: { nodeId: "ns=1;s=x" }
screens:
  - id: overview
    title: Overview
    elements:
      - { kind: value, tag: SS01.NOPE.X, x: 1, y: 2 }
`;
    const messages = problemsOf(text).map((p) => `${p.path}@${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tags\[0\]\.device@10: unknown device "PLC9"/),
        expect.stringMatching(/^tags\[1\]\.name@14: duplicate tag name/),
        expect.stringMatching(/^tags\[1\]@14: .*needs a "modbus" address/),
        expect.stringMatching(/^tags\[1\]\.opcua@17: .*cannot have a "opcua" address/),
        expect.stringMatching(
          /^screens\[0\]\.elements\[0\]\.tag@22: screen "overview", element 0 \(value SS01.NOPE.X\): unknown tag "SS01.NOPE.X"/,
        ),
      ]),
    );
  });

  it('rejects prototype-polluting keys instead of merging them', () => {
    const problems = problemsOf(
      valid.replace('    port: 5020\n', '    port: 5020\n    __proto__: { polluted: true }\n'),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shows a YAML syntax error whole, with line, column and the offending lines', () => {
    const text =
      'schemaVersion: 1\nname: Test\ndevices:\n  - name: PLC1\n    protocol: modbus-tcp\n   host: 127.0.0.1\n';
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({
      path: '',
      line: 6,
      column: 1,
      message: 'not valid YAML: Sequence item without - indicator',
    });
    expect(formatProblem(problem!)).toBe(
      [
        'plant.yaml:6:1 not valid YAML: Sequence item without - indicator',
        '      4 |   - name: PLC1',
        '      5 |     protocol: modbus-tcp',
        '    > 6 |    host: 127.0.0.1',
        '        | ^',
      ].join('\n'),
    );
  });

  it('keeps a YAML message that ends in a colon whole', () => {
    const [problem] = problemsOf('schemaVersion: 1\nname: [unclosed\n');
    expect(problem!.message).toBe(
      'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(problem).toMatchObject({ line: 3, column: 1 });
  });
});

/** One tag on a Modbus device, with `modbus` and extra tag fields as YAML flow text. */
function modbusTag(modbus: string, extra = ''): string {
  return `schemaVersion: 1
name: Test plant
devices:
  - name: PLC1
    protocol: modbus-tcp
tags:
  - name: SS01.HX.X
    device: PLC1
    description: { en: x }
    modbus: ${modbus}${extra ? `\n    ${extra}` : ''}
`;
}

function opcuaDevice(security: string): string {
  return `schemaVersion: 1
name: Test plant
devices:
  - name: OPC1
    protocol: opcua
    endpointUrl: opc.tcp://127.0.0.1:4840
    ${security}
tags: []
`;
}

describe('project file refuses what a device can never serve', () => {
  const cases: [string, string, string, string][] = [
    [
      'bit on a non-bool type',
      modbusTag('{ table: holding, address: 6, type: int16, bit: 3 }'),
      'plant.yaml:10 tags[0].modbus.bit',
      '"bit" reads one bit of a register and needs type: bool (this tag is int16): write type: bool, or remove "bit"',
    ],
    [
      'bit on a coil',
      modbusTag('{ table: coil, address: 6, type: bool, bit: 3 }'),
      'plant.yaml:10 tags[0].modbus.bit',
      'a coil address is already a single bit: remove "bit" ("bit" picks a bit of a holding or input register)',
    ],
    [
      'a float32 past the last register',
      modbusTag('{ table: holding, address: 65535, type: float32 }'),
      'plant.yaml:10 tags[0].modbus.address',
      'float32 occupies 2 registers, 65535..65536, past the last register 65535: the highest address for it is 65534',
    ],
    [
      'a writable input register',
      modbusTag('{ table: input, address: 0, type: int16 }', 'writable: true'),
      'plant.yaml:11 tags[0].writable',
      'input registers are read-only in Modbus (only holding registers and coils can be written): remove "writable: true", or use table: holding',
    ],
    [
      'a writable discrete input',
      modbusTag('{ table: discrete, address: 0, type: bool }', 'writable: true'),
      'plant.yaml:11 tags[0].writable',
      'discrete inputs are read-only in Modbus (only holding registers and coils can be written): remove "writable: true", or use table: coil',
    ],
    [
      'digital on a scaled float32',
      modbusTag('{ table: holding, address: 0, type: float32 }', 'kind: digital\n    scale: { factor: 0.01 }'),
      'plant.yaml:11 tags[0].kind',
      'kind: digital shows one of two states, but this tag is a scaled float32: write kind: analog, or read one bit with type: bool and "bit"',
    ],
    [
      'a scale on a bool',
      modbusTag('{ table: coil, address: 0, type: bool }', 'scale: { factor: 2 }'),
      'plant.yaml:11 tags[0].scale',
      'scale applies to numbers, not to a coil: remove "scale"',
    ],
    [
      'a misspelt securityPolicy',
      opcuaDevice('securityMode: SignAndEncrypt\n    securityPolicy: Basic256sha256'),
      'plant.yaml:8 devices[0].securityPolicy',
      'unknown securityPolicy "Basic256sha256": did you mean Basic256Sha256? (valid policies: None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss; names are case-sensitive)',
    ],
    [
      'a deprecated securityPolicy',
      opcuaDevice('securityMode: SignAndEncrypt\n    securityPolicy: Basic128Rsa15'),
      'plant.yaml:8 devices[0].securityPolicy',
      'securityPolicy Basic128Rsa15 is deprecated (broken cryptography) and not supported: valid policies: None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss',
    ],
    [
      'securityMode None with a securityPolicy',
      opcuaDevice('securityMode: None\n    securityPolicy: Basic256Sha256'),
      'plant.yaml:8 devices[0].securityPolicy',
      'securityMode None sends everything unsigned and unencrypted, so securityPolicy Basic256Sha256 would be ignored: write securityMode: SignAndEncrypt (or Sign), or remove securityPolicy',
    ],
    [
      'an address notation with a table that contradicts it',
      modbusTag('{ table: input, address: "400001" }'),
      'plant.yaml:10 tags[0].modbus.address',
      '"400001" is holding 0 but table says input: drop "table" or write address: 0',
    ],
    [
      'Modbus notation as a number with a table',
      modbusTag('{ table: holding, address: 400001 }'),
      'plant.yaml:10 tags[0].modbus.address',
      'with "table", address is the 0-based offset 0..65535 (400001 in Modbus notation is holding 0: write address: 0, or address: "400001" without table)',
    ],
    [
      'an unreadable address notation',
      modbusTag('{ address: "4x0001" }'),
      'plant.yaml:10 tags[0].modbus.address',
      '"4x0001": expected 5 digits (40001), 6 digits (400001) or "table:offset" (holding:0); write table: holding with address: 0 (0-based), or address: "400001" / "40001" / "holding:0" without table',
    ],
    [
      'a numeric address without a table',
      modbusTag('{ address: 12 }'),
      'plant.yaml:10 tags[0].modbus.table',
      'a numeric address needs "table" (coil, discrete, input, holding); or write the address as a quoted notation: "400013" or "holding:12"',
    ],
    [
      'a scale with both forms',
      modbusTag('{ table: holding, address: 0, type: int16 }', 'scale: { raw: [0, 100], eng: [0, 10], factor: 0.1 }'),
      'plant.yaml:11 tags[0].scale.factor',
      'write either raw/eng ranges or factor/offset, not both',
    ],
  ];
  it.each(cases)('%s', (_name, text, where, message) => {
    const problems = problemsOf(text);
    expect(problems.map(formatProblem)).toEqual([`${where}: ${message}`]);
  });

  it('accepts the documented address notations and a factor/offset scale', () => {
    const project = parseProject(
      modbusTag('{ address: "400001", type: float32 }') +
        `  - name: SS01.HX.Y
    device: PLC1
    description: { en: y }
    modbus: { address: "30011", type: int16 }
    scale: { factor: 0.01, offset: -40 }
  - name: SS01.HX.Z
    device: PLC1
    description: { en: z }
    modbus: { address: "coil:7", type: bool }
`,
      'plant.yaml',
    );
    expect(project.tags.map((t) => t.modbus)).toEqual([
      { table: 'holding', address: 0, type: 'float32' },
      { table: 'input', address: 10, type: 'int16' },
      { table: 'coil', address: 7, type: 'bool' },
    ]);
    expect(project.tags[1]!.scale).toEqual({ factor: 0.01, offset: -40, clamp: false });
  });
});
