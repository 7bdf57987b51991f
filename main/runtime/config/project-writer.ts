/**
 * Changes to the project file made at run time (a browsed tag added, an alarm limit
 * changed): the YAML document is edited in place (comments and layout survive), the
 * whole result must still be a valid project, and it replaces the old file atomically
 * (written beside it, then renamed).
 */
import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { parseProject } from './load-project.js';
import type { ProjectConfig } from './schema.js';
import { demoProjectFile } from '../app-paths.js';

export class ProjectWriteError extends Error {
  constructor(
    readonly code: 'FORBIDDEN' | 'UNAVAILABLE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProjectWriteError';
  }
}

/** The built-in demo project ships with the program and is never edited. */
export function assertEditableProject(file: string): void {
  if (resolve(file) === resolve(demoProjectFile())) {
    throw new ProjectWriteError(
      'FORBIDDEN',
      'the built-in demo project is read-only: start the station with --project on a copy to edit it',
    );
  }
  // `--substations N` writes its demo project afresh at every start: an edit there would be lost.
  if (basename(dirname(resolve(file))) === 'generated-demo') {
    throw new ProjectWriteError(
      'FORBIDDEN',
      'the generated demo project is rewritten at every start: copy it and start the station with --project on the copy to edit it',
    );
  }
}

/**
 * Apply `edit` to the project file's document; `check` sees the re-parsed project
 * (throw to refuse). A `ProjectFileError` from validation passes through unchanged.
 */
export function updateProjectFile(
  file: string,
  edit: (doc: Document) => void,
  check: (project: ProjectConfig) => void,
): ProjectConfig {
  assertEditableProject(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProjectWriteError('UNAVAILABLE', `cannot read the project file ${file}`, { cause: err });
  }
  const doc = parseDocument(text);
  edit(doc);
  const updated = doc.toString();
  const reparsed = parseProject(updated, file);
  check(reparsed);
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, updated);
    renameSync(temp, file);
  } catch (err) {
    throw new ProjectWriteError(
      'UNAVAILABLE',
      `cannot write the project file ${file}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return reparsed;
}
