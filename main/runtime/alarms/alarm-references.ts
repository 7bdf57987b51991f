/**
 * What the schema cannot check alone about alarms: unique ids, the tags a deviation or
 * a suppression refers to, the screen an alarm points at, and conditions that cannot
 * work on the tag's kind. Pure; load-project.ts turns the paths into file:line.
 */
import type { ProjectConfig } from '../config/schema.js';
import { alarmIdOf } from './alarm-definitions.js';

type PathKey = string | number;
export interface AlarmProblem {
  readonly path: PathKey[];
  readonly message: string;
}

/** Screens every console has besides the project's own. */
export const builtinScreens = ['overview', 'alarms', 'devices', 'tags', 'trends'] as const;

const numericKinds = new Set(['high-high', 'high', 'low', 'low-low', 'deviation', 'rate', 'frozen', 'jump', 'range']);

export function alarmReferenceProblems(project: ProjectConfig): AlarmProblem[] {
  const problems: AlarmProblem[] = [];
  const tags = new Map(project.tags.map((t) => [t.name, t]));
  const screens = new Set<string>([...builtinScreens, ...project.screens.map((s) => s.id)]);
  const ids = new Map<string, string>();
  project.tags.forEach((tag, i) => {
    (tag.alarms ?? []).forEach((alarm, a) => {
      const at = (...rest: PathKey[]): PathKey[] => ['tags', i, 'alarms', a, ...rest];
      const id = alarmIdOf(tag.name, alarm);
      const first = ids.get(id);
      if (first)
        problems.push({
          path: at(alarm.id ? 'id' : 'kind'),
          message: `duplicate alarm id "${id}" (also on ${first}): give one of them an "id"`,
        });
      else ids.set(id, tag.name);
      if (numericKinds.has(alarm.kind) && tag.kind !== 'analog') {
        problems.push({
          path: at('kind'),
          message: `a ${alarm.kind} alarm needs an analog tag; ${tag.name} is ${tag.kind} (use kind: state)`,
        });
      }
      if (alarm.kind === 'state' && alarm.bit !== undefined && tag.kind !== 'analog') {
        problems.push({
          path: at('bit'),
          message: `"bit" reads a bit of an integer word; ${tag.name} is ${tag.kind} (use value: true)`,
        });
      }
      if (alarm.kind === 'deviation') {
        const ref = tags.get(alarm.reference);
        if (!ref) problems.push({ path: at('reference'), message: `unknown tag "${alarm.reference}"` });
        else if (ref.kind !== 'analog')
          problems.push({
            path: at('reference'),
            message: `the reference of a deviation must be analog; ${ref.name} is ${ref.kind}`,
          });
        else if (ref.name === tag.name)
          problems.push({ path: at('reference'), message: 'a deviation needs another tag as its reference' });
      }
      if (alarm.kind === 'range' && alarm.low === undefined && alarm.high === undefined && !tag.range) {
        problems.push({ path: at(), message: `a range alarm needs "low"/"high" or a range on ${tag.name}` });
      }
      if (alarm.suppressWhen && !tags.has(alarm.suppressWhen.tag))
        problems.push({ path: at('suppressWhen', 'tag'), message: `unknown tag "${alarm.suppressWhen.tag}"` });
      if (alarm.screen && !screens.has(alarm.screen))
        problems.push({
          path: at('screen'),
          message: `unknown screen "${alarm.screen}" (screens: ${[...screens].join(', ')})`,
        });
      const ordered = limitOrderProblem(tag.alarms ?? []);
      if (ordered && a === 0) problems.push({ path: ['tags', i, 'alarms'], message: ordered });
    });
  });
  return problems;
}

/** high-high above high above low above low-low, where given. */
function limitOrderProblem(alarms: NonNullable<ProjectConfig['tags'][number]['alarms']>): string | null {
  const limit = (kind: string): number | undefined => {
    const a = alarms.find((x) => x.kind === kind);
    return a && 'limit' in a ? a.limit : undefined;
  };
  const chain = (['low-low', 'low', 'high', 'high-high'] as const)
    .map((k) => [k, limit(k)] as const)
    .filter((x): x is readonly [(typeof x)[0], number] => x[1] !== undefined);
  for (let i = 1; i < chain.length; i++) {
    if (chain[i]![1] <= chain[i - 1]![1])
      return `alarm limits out of order: ${chain[i - 1]![0]} ${chain[i - 1]![1]} must be below ${chain[i]![0]} ${chain[i]![1]}`;
  }
  return null;
}
