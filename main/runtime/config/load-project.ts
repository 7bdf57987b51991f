/**
 * Reads a project file (YAML or JSON), validates it against the schema and the
 * cross-references the schema cannot express, and reports every problem with the
 * file, the path inside the document and the line.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { modbusTagProblems } from '../../../protocols/modbus/config.js';
import { projectSchema, type ProjectConfig } from './schema.js';
import { alarmReferenceProblems } from '../alarms/alarm-references.js';
import { loadSvgScreens, screenProblems } from './project-screens.js';

export interface ProjectProblem {
  readonly file: string;
  /** Path inside the document, e.g. "tags[3].modbus.address". */
  readonly path: string;
  readonly line: number | null;
  /** 1-based column, when known (YAML syntax errors). */
  readonly column?: number;
  readonly message: string;
  /** The offending lines with line numbers and a caret under the column (YAML syntax errors). */
  readonly frame?: string;
}

export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ProjectProblem[],
    options?: { cause?: unknown },
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
      options,
    );
    this.name = 'ProjectFileError';
  }
}

export function formatProblem(p: ProjectProblem): string {
  const where = `${p.file}${p.line === null ? '' : `:${p.line}`}${p.line !== null && p.column !== undefined ? `:${p.column}` : ''}`;
  const head =
    p.path === '' && p.frame !== undefined ? `${where} ${p.message}` : `${where} ${p.path || '(root)'}: ${p.message}`;
  return p.frame === undefined ? head : `${head}\n${p.frame.replace(/^/gm, '    ')}`;
}

/** Up to two lines before `line` and the line itself, numbered, with a caret under `column` (both 1-based). */
export function codeFrame(text: string, line: number, column: number): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++)
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  return out.join('\n');
}

/** The yaml library's message without its own position suffix and frame (given separately). */
function yamlMessage(message: string): string {
  return message
    .replace(/ at line \d+, column \d+:[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export type PathKey = string | number;

function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

/** The line of the deepest node that exists along `path` (an unknown key points at its parent). */
function lineOf(doc: Document, counter: LineCounter, path: readonly PathKey[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

/**
 * Parse a YAML (or JSON) configuration document and validate it against `schema`, then
 * against `crossCheck`: every problem comes back with file, path, line (and a code frame
 * for YAML syntax errors). Used for the project file and for model manifests.
 */
export function parseValidatedYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  crossCheck: (value: z.output<S>) => LocatedMessage[] = () => [],
): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProjectFileError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = `not valid YAML: ${yamlMessage(e.message)}`;
        if (!pos) return { file, path: '', line: null, message };
        return { file, path: '', line: pos.line, column: pos.col, message, frame: codeFrame(text, pos.line, pos.col) };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ProjectFileError(file, zodProblems(parsed.error, doc, counter, file));
  }
  const problems = crossCheck(parsed.data).map(({ path, message }) => ({
    file,
    path: formatPath(path),
    line: lineOf(doc, counter, path),
    message,
  }));
  if (problems.length > 0) throw new ProjectFileError(file, problems);
  return parsed.data;
}

export function parseProject(text: string, file: string): ProjectConfig {
  const project: ProjectConfig = parseValidatedYaml(text, file, projectSchema, crossReferenceProblems);
  if (!project.screens.some((s) => s.svg !== undefined)) return project;
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const { screens, problems } = loadSvgScreens(project, file, (path) => lineOf(doc, counter, path));
  if (problems.length > 0) throw new ProjectFileError(file, problems);
  return { ...project, screens };
}

export function loadProjectFile(file: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProjectFileError(
      file,
      [{ file, path: '', line: null, message: `cannot read the project file: ${reason}` }],
      {
        cause,
      },
    );
  }
  return parseProject(text, file);
}

function zodProblems(error: z.ZodError, doc: Document, counter: LineCounter, file: string): ProjectProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    // Point an unknown key at its own line, not its parent's.
    const located = unknownKeys.length > 0 ? [...path, unknownKeys[0]!] : path;
    return { file, path: formatPath(path), line: lineOf(doc, counter, located), message: issue.message };
  });
}

export interface LocatedMessage {
  readonly path: PathKey[];
  readonly message: string;
}

/** What the schema cannot check alone: unique names, references between devices, tags and screens. */
export function crossReferenceProblems(project: ProjectConfig): LocatedMessage[] {
  const problems: LocatedMessage[] = [];
  const devices = new Map<string, ProjectConfig['devices'][number]>();
  project.devices.forEach((device, i) => {
    if (devices.has(device.name))
      problems.push({ path: ['devices', i, 'name'], message: `duplicate device name "${device.name}"` });
    devices.set(device.name, device);
  });
  const tagNames = new Set<string>();
  project.tags.forEach((tag, i) => {
    if (tagNames.has(tag.name))
      problems.push({ path: ['tags', i, 'name'], message: `duplicate tag name "${tag.name}"` });
    tagNames.add(tag.name);
    const device = devices.get(tag.device);
    if (!device) {
      problems.push({
        path: ['tags', i, 'device'],
        message: `unknown device "${tag.device}" (devices: ${[...devices.keys()].join(', ')})`,
      });
      return;
    }
    const wants = device.protocol === 'opcua' ? 'opcua' : 'modbus';
    const other = wants === 'opcua' ? 'modbus' : 'opcua';
    if (!tag[wants])
      problems.push({
        path: ['tags', i],
        message: `tag on ${device.protocol} device "${device.name}" needs a "${wants}" address`,
      });
    if (tag[other])
      problems.push({
        path: ['tags', i, other],
        message: `tag on ${device.protocol} device "${device.name}" cannot have a "${other}" address`,
      });
    if (tag.range && tag.range[0] >= tag.range[1])
      problems.push({ path: ['tags', i, 'range'], message: 'range must be [low, high] with low < high' });
    if (tag.normal && tag.normal[0] >= tag.normal[1])
      problems.push({ path: ['tags', i, 'normal'], message: 'normal must be [low, high] with low < high' });
    else if (tag.normal && tag.range && (tag.normal[0] < tag.range[0] || tag.normal[1] > tag.range[1]))
      problems.push({
        path: ['tags', i, 'normal'],
        message: `normal [${tag.normal.join(', ')}] must lie inside range [${tag.range.join(', ')}]`,
      });
    if (tag.modbus) {
      for (const p of modbusTagProblems({
        modbus: tag.modbus,
        kind: tag.kind,
        writable: tag.writable,
        scale: tag.scale,
      }))
        problems.push({ path: ['tags', i, ...p.path], message: p.message });
    }
    if (tag.opcua && tag.scale)
      problems.push({
        path: ['tags', i, 'scale'],
        message: 'scale applies to Modbus tags; an OPC UA server delivers engineering values: remove "scale"',
      });
  });
  problems.push(...screenProblems(project, tagNames));
  // The display hierarchy: parents and tiles name screens, tags and devices that exist.
  const screenIds = new Set(project.screens.map((s) => s.id));
  project.screens.forEach((screen, s) => {
    if (screen.parent !== undefined && (!screenIds.has(screen.parent) || screen.parent === screen.id)) {
      problems.push({
        path: ['screens', s, 'parent'],
        message:
          screen.parent === screen.id
            ? 'a screen cannot be its own parent'
            : `unknown parent screen "${screen.parent}"`,
      });
    }
    screen.tiles?.forEach((tile, t) => {
      if (!screenIds.has(tile.screen))
        problems.push({ path: ['screens', s, 'tiles', t, 'screen'], message: `unknown screen "${tile.screen}"` });
      tile.devices.forEach((d, i) => {
        if (!devices.has(d))
          problems.push({ path: ['screens', s, 'tiles', t, 'devices', i], message: `unknown device "${d}"` });
      });
      tile.figures.forEach((figure, f) => {
        for (const key of ['tag', 'setpointTag'] as const) {
          const ref = figure[key];
          if (ref !== undefined && !tagNames.has(ref))
            problems.push({ path: ['screens', s, 'tiles', t, 'figures', f, key], message: `unknown tag "${ref}"` });
        }
      });
    });
  });
  // A cycle of parents would make the screen tree endless.
  const parentOf = new Map(project.screens.map((s) => [s.id, s.parent]));
  project.screens.forEach((screen, s) => {
    const seen = new Set([screen.id]);
    for (let p = parentOf.get(screen.id); p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) {
        problems.push({ path: ['screens', s, 'parent'], message: `screen parents form a cycle through "${p}"` });
        break;
      }
      seen.add(p);
    }
  });
  problems.push(...alarmReferenceProblems(project));
  return problems;
}
