/**
 * The project-file examples in the protocol READMEs load as written: every YAML block, and
 * every one-line `modbus:` / `scale:` example inside a tag.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../main/runtime/config/load-project.js';

function yamlBlocks(file: string): string[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const modbusDevice = `schemaVersion: 1
name: Docs
devices:
  - name: SS01-PLC
    protocol: modbus-tcp
`;

/** Indent a block of tag entries written at column 0 ("- name: …") or 2 ("  - name: …") under tags:. */
function underTags(block: string): string {
  return block.startsWith('tags:') ? block : `tags:\n${block}`;
}

describe('protocol READMEs: project-file examples load', () => {
  const modbus = yamlBlocks('protocols/modbus/README.md');
  const opcua = yamlBlocks('protocols/opcua/README.md');

  it('finds the examples', () => {
    expect(modbus.length).toBeGreaterThanOrEqual(6);
    expect(opcua.length).toBeGreaterThanOrEqual(1);
  });

  it('Modbus: devices, tables, poll groups', () => {
    const devices = modbus.find((b) => b.startsWith('devices:'))!;
    expect(() =>
      parseProject(`schemaVersion: 1\nname: Docs\n${devices}tags: []\n`, 'modbus-devices.yaml'),
    ).not.toThrow();
    for (const block of modbus.filter((b) => b.includes('- name: SS01.'))) {
      const project = parseProject(modbusDevice + underTags(block), 'modbus-tags.yaml');
      expect(project.tags.length).toBeGreaterThan(0);
    }
  });

  it('Modbus: every type, word order and scale line', () => {
    const lines = modbus.flatMap((b) => b.split('\n')).filter((l) => /^ {4}(modbus|scale): \{/.test(l));
    const modbusLines = lines.filter((l) => l.trimStart().startsWith('modbus:'));
    const scaleLines = lines.filter((l) => l.trimStart().startsWith('scale:'));
    expect(modbusLines.length).toBeGreaterThanOrEqual(10);
    expect(scaleLines.length).toBeGreaterThanOrEqual(4);
    const tag = (i: number, modbusLine: string, scaleLine = '') =>
      `  - name: DOC.T.X${i}\n    device: SS01-PLC\n    description: { en: x }\n${modbusLine}\n${scaleLine ? `${scaleLine}\n` : ''}`;
    const tags = [
      ...modbusLines.map((l, i) => tag(i, l)),
      ...scaleLines.map((l, i) => tag(100 + i, '    modbus: { table: input, address: 0, type: int16 }', l)),
    ];
    const project = parseProject(`${modbusDevice}tags:\n${tags.join('')}`, 'modbus-lines.yaml');
    expect(project.tags).toHaveLength(modbusLines.length + scaleLines.length);
  });

  it('OPC UA: a device per security mode, and its tags', () => {
    const project = parseProject(`schemaVersion: 1\nname: Docs\n${opcua[0]!}`, 'opcua.yaml');
    expect(project.devices.map((d) => d.protocol === 'opcua' && d.securityMode)).toEqual([
      'None',
      'Sign',
      'SignAndEncrypt',
      'auto',
    ]);
    expect(project.tags.map((t) => t.opcua?.index)).toEqual([undefined, 2]);
  });
});
