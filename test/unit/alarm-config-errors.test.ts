/**
 * Alarm configuration errors in a project file: each one is a load error that names the
 * file, the line of the offending entry, the path inside the document and what to write
 * instead. The projects are written to a temporary folder and read by the real loader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectFile, ProjectFileError } from '../../main/runtime/config/load-project.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-alarm-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The line carrying this comment is the one an error must name. */
const HERE = '# <- here';

interface ProjectParts {
  /** `alarms:` of tags[1], a digital pump run signal. */
  readonly pumpAlarms?: string;
  /** `alarms:` of tags[2], an analog return pressure. */
  readonly alarms?: string;
  /** tags[2] has an engineering range (default true). */
  readonly range?: boolean;
}

function projectText({ pumpAlarms = '', alarms = '', range = true }: ProjectParts): string {
  return [
    'schemaVersion: 1',
    'name: Alarm test plant',
    'devices:',
    '  - name: PLC1',
    '    protocol: modbus-tcp',
    '    host: 127.0.0.1',
    '    port: 5020',
    'screens:',
    '  - id: ss01-secondary',
    '    title: { en: Secondary circuit }',
    'tags:',
    '  - name: SS01.SEC.P_SUP',
    '    device: PLC1',
    '    description: { en: Secondary supply pressure }',
    '    unit: bar',
    '    range: [0, 10]',
    '    modbus: { table: input, address: 0, type: float32 }',
    '  - name: SS01.PUMP.RUN',
    '    device: PLC1',
    '    description: { en: Secondary pump running }',
    '    kind: digital',
    '    modbus: { table: discrete, address: 0, type: bool }',
    ...(pumpAlarms ? [pumpAlarms] : []),
    '  - name: SS01.SEC.P_RET',
    '    device: PLC1',
    '    description: { en: Secondary return pressure }',
    '    unit: bar',
    ...(range ? ['    range: [0, 10]'] : []),
    '    modbus: { table: input, address: 2, type: float32 }',
    ...(alarms ? [alarms] : []),
    '',
  ].join('\n');
}

let fileCount = 0;
function writeProject(parts: ProjectParts): { file: string; line: number } {
  const text = projectText(parts);
  const file = join(dir, `plant-${++fileCount}.yaml`);
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes(HERE)) + 1;
  return { file, line };
}

function loadError(file: string): ProjectFileError {
  try {
    loadProjectFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectFileError);
    return err as ProjectFileError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Case {
  readonly name: string;
  readonly project: ProjectParts;
  readonly path: string;
  /** What is wrong and what to write instead, as the message says it. */
  readonly message: RegExp;
}

const referenceCases: Case[] = [
  {
    name: 'a duplicate alarm id',
    project: {
      alarms: `    alarms:
      - { kind: high, limit: 8, priority: high }
      - { kind: high, limit: 9, priority: high } ${HERE}`,
    },
    path: 'tags[2].alarms[1].kind',
    message:
      /duplicate alarm id "SS01\.SEC\.P_RET\.HI" \(also tags\[2\]\.alarms\[0\] on SS01\.SEC\.P_RET\): give one of them its own "id", e\.g\. id: SS01\.SEC\.P_RET\.HI_2/,
  },
  {
    name: 'a duplicate explicit id on another tag',
    project: {
      pumpAlarms: `    alarms:
      - { kind: state, value: false, id: SS01.SEC.PUMP_STOP, priority: medium }`,
      alarms: `    alarms:
      - kind: low
        limit: 1
        id: SS01.SEC.PUMP_STOP ${HERE}
        priority: high`,
    },
    path: 'tags[2].alarms[0].id',
    message: /duplicate alarm id "SS01\.SEC\.PUMP_STOP" \(also tags\[1\]\.alarms\[0\] on SS01\.PUMP\.RUN\): give one/,
  },
  {
    name: 'a limit alarm on a digital tag',
    project: {
      pumpAlarms: `    alarms:
      - kind: high ${HERE}
        limit: 1
        priority: low`,
    },
    path: 'tags[1].alarms[0].kind',
    message: /a high alarm needs an analog tag; SS01\.PUMP\.RUN is digital \(use kind: state\)/,
  },
  {
    name: 'a rate alarm on a digital tag',
    project: {
      pumpAlarms: `    alarms:
      - kind: rate ${HERE}
        limit: 1
        priority: low`,
    },
    path: 'tags[1].alarms[0].kind',
    message: /a rate alarm needs an analog tag; SS01\.PUMP\.RUN is digital \(use kind: state\)/,
  },
  {
    name: 'a state alarm reading a bit of a digital tag',
    project: {
      pumpAlarms: `    alarms:
      - kind: state
        bit: 2 ${HERE}
        priority: low`,
    },
    path: 'tags[1].alarms[0].bit',
    message: /"bit" reads a bit of an integer word; SS01\.PUMP\.RUN is digital \(use value: true\)/,
  },
  {
    name: 'a deviation from an unknown tag',
    project: {
      alarms: `    alarms:
      - kind: deviation
        reference: SS01.SEC.P_SUPP ${HERE}
        limit: 1
        priority: medium`,
    },
    path: 'tags[2].alarms[0].reference',
    message:
      /unknown tag "SS01\.SEC\.P_SUPP": write the name of another analog tag of this project .*\(did you mean "SS01\.SEC\.P_SUP"\?\)/,
  },
  {
    name: 'a deviation from a digital tag',
    project: {
      alarms: `    alarms:
      - kind: deviation
        reference: SS01.PUMP.RUN ${HERE}
        limit: 1
        priority: medium`,
    },
    path: 'tags[2].alarms[0].reference',
    message:
      /the reference of a deviation must be analog; SS01\.PUMP\.RUN is digital: write the name of another analog tag/,
  },
  {
    name: 'a deviation from itself',
    project: {
      alarms: `    alarms:
      - kind: deviation
        reference: SS01.SEC.P_RET ${HERE}
        limit: 1
        priority: medium`,
    },
    path: 'tags[2].alarms[0].reference',
    message: /a deviation needs another tag as its reference: write the name of another analog tag/,
  },
  {
    name: 'a range alarm without limits on a tag without a range',
    project: {
      range: false,
      alarms: `    alarms:
      - kind: range ${HERE}
        priority: diagnostic`,
    },
    path: 'tags[2].alarms[0]',
    message:
      /a range alarm needs "low"\/"high" or a range on SS01\.SEC\.P_RET: write low: and\/or high: .*range: \[low, high\]/,
  },
  {
    name: 'a suppression by an unknown tag',
    project: {
      alarms: `    alarms:
      - kind: low
        limit: 1
        priority: medium
        suppressWhen: { tag: SS01.PUMP.RUNNING, equals: false } ${HERE}`,
    },
    path: 'tags[2].alarms[0].suppressWhen.tag',
    message:
      /unknown tag "SS01\.PUMP\.RUNNING": write the name of a tag of this project .*\(did you mean "SS01\.PUMP\.RUN"\?\)/,
  },
  {
    name: 'a screen that does not exist',
    project: {
      alarms: `    alarms:
      - kind: low
        limit: 1
        priority: medium
        screen: ss09-secondary ${HERE}`,
    },
    path: 'tags[2].alarms[0].screen',
    message:
      /unknown screen "ss09-secondary": write the id of one of the screens: overview, alarms, devices, tags, trends, ss01-secondary/,
  },
  {
    name: 'limits out of order',
    project: {
      alarms: `    alarms:
      - { kind: low, limit: 1, priority: medium }
      - { kind: high, limit: 8, priority: high }
      - { kind: high-high, limit: 7, priority: critical } ${HERE}`,
    },
    path: 'tags[2].alarms[2].limit',
    message:
      /alarm limits out of order: high 8 must be below high-high 7: write a high-high limit above 8, or a high limit below 7/,
  },
];

const schemaCases: Case[] = [
  {
    name: 'an unknown priority',
    project: {
      alarms: `    alarms:
      - kind: high
        limit: 8
        priority: urgent ${HERE}`,
    },
    path: 'tags[2].alarms[0].priority',
    message: /unknown priority "urgent": write one of critical, high, medium, low, diagnostic/,
  },
  {
    name: 'a missing priority',
    project: {
      alarms: `    alarms:
      - kind: high ${HERE}
        limit: 8`,
    },
    path: 'tags[2].alarms[0].priority',
    message: /an alarm needs "priority": write one of critical, high, medium, low, diagnostic/,
  },
  {
    name: 'a negative deadband',
    project: {
      alarms: `    alarms:
      - kind: high
        limit: 8
        deadband: -0.1 ${HERE}
        priority: high`,
    },
    path: 'tags[2].alarms[0].deadband',
    message: /deadband must be 0 or more, in the tag's unit \(0: none\)/,
  },
  {
    name: 'a negative on-delay',
    project: {
      alarms: `    alarms:
      - kind: low
        limit: 1
        onDelayS: -5 ${HERE}
        priority: medium`,
    },
    path: 'tags[2].alarms[0].onDelayS',
    message: /a time in seconds must be 0 or more \(0: none\)/,
  },
  {
    name: 'a negative off-delay',
    project: {
      alarms: `    alarms:
      - kind: low
        limit: 1
        offDelayS: -1 ${HERE}
        priority: medium`,
    },
    path: 'tags[2].alarms[0].offDelayS',
    message: /a time in seconds must be 0 or more \(0: none\)/,
  },
  {
    name: 'an unknown kind',
    project: {
      alarms: `    alarms:
      - kind: higher ${HERE}
        limit: 8
        priority: high`,
    },
    path: 'tags[2].alarms[0].kind',
    message:
      /unknown alarm kind "higher": write one of high-high, high, low, low-low, deviation, rate, state, frozen, jump, range/,
  },
  {
    name: 'a high alarm without its limit',
    project: {
      alarms: `    alarms:
      - kind: high ${HERE}
        priority: high`,
    },
    path: 'tags[2].alarms[0].limit',
    message: /a high alarm needs "limit": the value it activates at, in the tag's unit \(e\.g\. limit: 8\.5\)/,
  },
  {
    name: 'a state alarm with neither value nor bit',
    project: {
      pumpAlarms: `    alarms:
      - kind: state ${HERE}
        priority: low`,
    },
    path: 'tags[1].alarms[0]',
    message: /a state alarm needs exactly one of value, bit/,
  },
  {
    name: 'a suppression with no condition',
    project: {
      alarms: `    alarms:
      - kind: low
        limit: 1
        priority: medium
        suppressWhen: { tag: SS01.PUMP.RUN } ${HERE}`,
    },
    path: 'tags[2].alarms[0].suppressWhen',
    message: /suppressWhen needs exactly one of equals, below, above/,
  },
];

function expectLocatedError(c: Case): void {
  const { file, line } = writeProject(c.project);
  expect(line, 'the case marks its offending line').toBeGreaterThan(0);
  const error = loadError(file);
  expect(error.problems).toHaveLength(1);
  expect(error.problems[0]).toMatchObject({ file, line, path: c.path });
  expect(error.problems[0]!.message).toMatch(c.message);
  // The thrown message carries all of it on one line: file:line path: what and what to write.
  expect(error.message).toMatch(new RegExp(`^  ${escape(`${file}:${line} ${c.path}: `)}${c.message.source}`, 'm'));
}

describe('alarm configuration errors', () => {
  it('a project with every kind of valid alarm reference loads', () => {
    const { file } = writeProject({
      pumpAlarms: `    alarms:
      - { kind: state, value: false, priority: medium, screen: ss01-secondary }`,
      alarms: `    alarms:
      - { kind: low, limit: 1, priority: medium, suppressWhen: { tag: SS01.PUMP.RUN, equals: false } }
      - { kind: high, limit: 8, deadband: 0.2, onDelayS: 5, priority: high, screen: alarms }
      - { kind: high-high, limit: 9, priority: critical }
      - { kind: deviation, reference: SS01.SEC.P_SUP, limit: 3, priority: low }`,
    });
    const project = loadProjectFile(file);
    expect(project.tags[2]!.alarms).toHaveLength(4);
  });

  describe('found by the cross-checks', () => {
    it.each(referenceCases.map((c) => [c.name, c] as const))('%s', (_, c) => expectLocatedError(c));
  });

  describe('found by the schema', () => {
    it.each(schemaCases.map((c) => [c.name, c] as const))('%s', (_, c) => expectLocatedError(c));
  });
});
