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
  const analogNames = project.tags.filter((t) => t.kind === 'analog').map((t) => t.name);
  project.tags.forEach((tag, i) => {
    (tag.alarms ?? []).forEach((alarm, a) => {
      const at = (...rest: PathKey[]): PathKey[] => ['tags', i, 'alarms', a, ...rest];
      const id = alarmIdOf(tag.name, alarm);
      const first = ids.get(id);
      if (first)
        problems.push({
          path: at(alarm.id ? 'id' : 'kind'),
          message: `duplicate alarm id "${id}" (also ${first}): give one of them its own "id", e.g. id: ${id}_2`,
        });
      else ids.set(id, `tags[${i}].alarms[${a}] on ${tag.name}`);
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
        const others = analogNames.filter((n) => n !== tag.name);
        const hint = 'write the name of another analog tag of this project (the setpoint or command it follows)';
        if (!ref)
          problems.push({
            path: at('reference'),
            message: `unknown tag "${alarm.reference}": ${hint}${didYouMean(alarm.reference, others)}`,
          });
        else if (ref.kind !== 'analog')
          problems.push({
            path: at('reference'),
            message: `the reference of a deviation must be analog; ${ref.name} is ${ref.kind}: ${hint}`,
          });
        else if (ref.name === tag.name)
          problems.push({ path: at('reference'), message: `a deviation needs another tag as its reference: ${hint}` });
      }
      if (alarm.kind === 'range' && alarm.low === undefined && alarm.high === undefined && !tag.range) {
        problems.push({
          path: at(),
          message: `a range alarm needs "low"/"high" or a range on ${tag.name}: write low: and/or high: (the sensor's measuring limits), or range: [low, high] on the tag`,
        });
      }
      if (alarm.suppressWhen && !tags.has(alarm.suppressWhen.tag))
        problems.push({
          path: at('suppressWhen', 'tag'),
          message:
            `unknown tag "${alarm.suppressWhen.tag}": write the name of a tag of this project (e.g. the pump's run signal)` +
            didYouMean(
              alarm.suppressWhen.tag,
              project.tags.map((t) => t.name),
            ),
        });
      if (alarm.screen && !screens.has(alarm.screen))
        problems.push({
          path: at('screen'),
          message: `unknown screen "${alarm.screen}": write the id of one of the screens: ${[...screens].join(', ')}`,
        });
      const ordered = limitOrderProblem(tag.alarms ?? []);
      if (ordered && ordered.index === a) problems.push({ path: at('limit'), message: ordered.message });
    });
  });
  return problems;
}

/** high-high above high above low above low-low, where given. */
/** The first limit out of order (its alarm's index), with what to change. */
function limitOrderProblem(
  alarms: NonNullable<ProjectConfig['tags'][number]['alarms']>,
): { index: number; message: string } | null {
  const chain = (['low-low', 'low', 'high', 'high-high'] as const).flatMap((kind) => {
    const index = alarms.findIndex((x) => x.kind === kind);
    const a = alarms[index];
    return a && 'limit' in a ? [{ kind, limit: a.limit, index }] : [];
  });
  for (let i = 1; i < chain.length; i++) {
    const below = chain[i - 1]!;
    const above = chain[i]!;
    if (above.limit <= below.limit)
      return {
        index: above.index,
        message:
          `alarm limits out of order: ${below.kind} ${below.limit} must be below ${above.kind} ${above.limit}: ` +
          `write a ${above.kind} limit above ${below.limit}, or a ${below.kind} limit below ${above.limit}`,
      };
  }
  return null;
}

/** ` (did you mean "X"?)` for the candidate nearest `name` by edit distance, when it is close. */
function didYouMean(name: string, candidates: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toUpperCase(), candidate.toUpperCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}
