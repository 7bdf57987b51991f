/**
 * The project's screens at load: every tag an element binds must exist (the error names the
 * screen, the element by index and kind, and the tag), navigation buttons must lead to a
 * screen, and `svg:` screens are read, sanitized and bound (svg-screen.ts), their problems
 * named by the SVG file, its line, the screen and the element.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { MimicElementDto, ScreenDto } from '../../../preload/contract.js';
import type { LocatedMessage, PathKey, ProjectProblem } from './load-project.js';
import { tagNamePattern, type ProjectConfig, type ScreenConfig } from './schema.js';
import { MAX_SVG_BYTES, parseSvgScreen } from './svg-screen.js';

/** The tags an element binds, with the key (and index, for lists) each sits under. */
export function elementTagRefs(element: MimicElementDto): { key: string; index?: number; tag: string }[] {
  const refs: { key: string; index?: number; tag: string }[] = [];
  for (const [key, value] of Object.entries(element)) {
    if ((key === 'tag' || key.endsWith('Tag')) && typeof value === 'string') refs.push({ key, tag: value });
    else if (key === 'tags' && Array.isArray(value))
      value.forEach((tag, index) => typeof tag === 'string' && refs.push({ key, index, tag }));
  }
  return refs;
}

/** How an element is named in an error: `element 3 (pump "P1")`. */
export function describeElement(element: MimicElementDto, index: number): string {
  const label = 'label' in element ? element.label : undefined;
  const labelText = typeof label === 'string' ? label : label?.en;
  const name = labelText ? ` "${labelText}"` : 'tag' in element ? ` ${element.tag}` : '';
  return `element ${index} (${element.kind}${name})`;
}

export function screenProblems(project: ProjectConfig, tagNames: ReadonlySet<string>): LocatedMessage[] {
  const problems: LocatedMessage[] = [];
  const screenIds = new Set<string>();
  project.screens.forEach((screen, s) => {
    if (screenIds.has(screen.id))
      problems.push({ path: ['screens', s, 'id'], message: `duplicate screen id "${screen.id}"` });
    screenIds.add(screen.id);
  });
  project.screens.forEach((screen, s) => {
    screen.elements.forEach((element, e) => {
      for (const ref of elementTagRefs(element)) {
        if (tagNames.has(ref.tag)) continue;
        const path: PathKey[] = ['screens', s, 'elements', e, ref.key];
        if (ref.index !== undefined) path.push(ref.index);
        problems.push({
          path,
          message: `screen "${screen.id}", ${describeElement(element, e)}: unknown tag "${ref.tag}"`,
        });
      }
      if (element.kind === 'nav-button' && !screenIds.has(element.screen)) {
        problems.push({
          path: ['screens', s, 'elements', e, 'screen'],
          message: `screen "${screen.id}", ${describeElement(element, e)}: no screen "${element.screen}" (screens: ${[...screenIds].join(', ')})`,
        });
      }
    });
  });
  return problems;
}

/** The SVG file of an `svg:` screen, relative to the project file. */
export function svgFileOf(projectFile: string, svg: string): string {
  return isAbsolute(svg) ? svg : resolve(dirname(projectFile), svg);
}

/** Read and bind every `svg:` screen; the screens come back with their drawings, sized by their viewBox. */
export function loadSvgScreens(
  project: ProjectConfig,
  projectFile: string,
  lineOf: (path: PathKey[]) => number | null,
): { screens: ScreenConfig[]; problems: ProjectProblem[] } {
  const problems: ProjectProblem[] = [];
  const tagNames = new Set(project.tags.map((t) => t.name));
  const screens = project.screens.map((screen, s): ScreenConfig => {
    if (screen.svg === undefined) return screen;
    const file = svgFileOf(projectFile, screen.svg);
    const shown = relative(process.cwd(), file) || file;
    const at = (message: string): ProjectProblem => ({
      file: projectFile,
      path: `screens[${s}].svg`,
      line: lineOf(['screens', s, 'svg']),
      message: `screen "${screen.id}": ${message}`,
    });
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(at(`cannot read ${shown}: ${err instanceof Error ? err.message : String(err)}`));
      return screen;
    }
    if (text.length > MAX_SVG_BYTES) {
      problems.push(at(`${shown} is larger than ${MAX_SVG_BYTES / 1024 / 1024} MB`));
      return screen;
    }
    const result = parseSvgScreen(text, {
      idPrefix: `svg-${screen.id}-`,
      knownTag: (t) => tagNames.has(t),
      tagPattern: tagNamePattern,
    });
    for (const p of result.problems)
      problems.push({ file: shown, path: `screen "${screen.id}" ${p.element}`, line: p.line, message: p.message });
    const [, , width, height] = result.drawing.viewBox;
    return { ...screen, width, height, drawing: result.drawing };
  });
  return { screens, problems };
}

/** Screens as the console receives them: an `svg:` screen carries its drawing instead of the file name. */
export function consoleScreens(project: Pick<ProjectConfig, 'screens'>): ScreenDto[] {
  return project.screens.map(({ svg: _file, drawing, ...screen }) => (drawing ? { ...screen, svg: drawing } : screen));
}
