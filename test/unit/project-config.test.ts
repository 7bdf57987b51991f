import { describe, expect, it } from 'vitest';
import { parseProject, ProjectFileError } from '../../main/runtime/config/load-project.js';

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
        expect.stringMatching(/^screens\[0\]\.elements\[0\]\.tag@22: unknown tag "SS01.NOPE.X"/),
      ]),
    );
  });

  it('rejects prototype-polluting keys instead of merging them', () => {
    const problems = problemsOf(valid.replace('    port: 5020\n', '    port: 5020\n    __proto__: { polluted: true }\n'));
    expect(problems.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
