import { describe, expect, it } from 'vitest';
import { parseProject, ProjectFileError } from '../../main/runtime/config/load-project.js';
import { tagInfoList } from '../../main/runtime/api/request-handlers.js';

const project = (normal: string) => `schemaVersion: 1
name: Test plant
devices:
  - name: PLC1
    protocol: modbus-tcp
    host: 127.0.0.1
    port: 5020
tags:
  - name: SS01.SEC.P_RET
    device: PLC1
    description: { en: Secondary return pressure }
    unit: bar
    range: [0, 6]
${normal}
    modbus: { table: input, address: 0, type: float32 }
`;

function problemsOf(text: string) {
  try {
    parseProject(text, 'plant.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectFileError);
    return (err as ProjectFileError).problems.map((p) => `${p.file}:${p.line}: ${p.path}: ${p.message}`);
  }
  throw new Error('expected the project to be rejected');
}

describe("a tag's normal band", () => {
  it('is optional and reaches the console in the tag list', () => {
    const withBand = parseProject(project('    normal: [1.65, 2.3]'), 'plant.yaml');
    expect(withBand.tags[0]!.normal).toEqual([1.65, 2.3]);
    expect(tagInfoList(withBand, () => 1000)[0]!.normal).toEqual([1.65, 2.3]);
    const without = parseProject(project(''), 'plant.yaml');
    expect(without.tags[0]!.normal).toBeUndefined();
    expect('normal' in tagInfoList(without, () => 1000)[0]!).toBe(false);
  });

  it('must have low < high, naming file, line and path', () => {
    expect(problemsOf(project('    normal: [2.3, 1.65]'))).toEqual([
      expect.stringMatching(/^plant\.yaml:14: tags\[0\]\.normal: normal must be \[low, high\] with low < high/),
    ]);
  });

  it('must lie inside the range', () => {
    expect(problemsOf(project('    normal: [1.5, 7]'))).toEqual([
      expect.stringMatching(/^plant\.yaml:14: tags\[0\]\.normal: normal \[1\.5, 7\] must lie inside range \[0, 6\]/),
    ]);
  });

  it('must be two numbers', () => {
    expect(problemsOf(project('    normal: [1.5]'))[0]).toMatch(/^plant\.yaml:14: tags\[0\]\.normal/);
  });
});
