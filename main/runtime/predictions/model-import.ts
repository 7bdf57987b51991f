/**
 * Importing a model package from the console: the files arrive in memory (see
 * `model-upload.ts`), are checked exactly as at load (manifest with file:line:path, SHA-256,
 * opset, and a dry run of the ONNX session that proves the shapes) BEFORE anything is
 * written, and are then stored as a new version in a folder of their own
 * (`<data>/models/<NAME>-<version>/`): written into a hidden folder beside it, synced,
 * and renamed into place, so the registry never sees half a package. An import never
 * changes what runs: the version running stays until an engineer activates another.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkModelPackage, ModelPackageError, RunnableModel, type ModelPackage } from './model-package.js';
import type { ModelRegistry } from './model-registry.js';

export interface ImportFiles {
  /** The manifest's file name as picked (`ss01_faults.model.yaml`): error messages name it. */
  readonly manifestName: string;
  readonly manifest: Uint8Array;
  /** The ONNX file's name as picked (stored under the name the manifest gives). */
  readonly onnxName: string;
  readonly onnx: Uint8Array;
}

export interface ImportResult {
  readonly name: string;
  readonly version: string;
  /** The folder the package now lives in. */
  readonly dir: string;
  readonly manifestFile: string;
}

const manifestNamePattern = /^[A-Za-z0-9._-]+\.model\.ya?ml$/;
const onnxNamePattern = /^[A-Za-z0-9._-]+\.onnx$/;

/** The checks on the files alone, without a session: the manifest, the hash, the opset. Throws ModelPackageError. */
export function checkImportFiles(files: ImportFiles): ModelPackage {
  if (!manifestNamePattern.test(files.manifestName)) {
    throw new ModelPackageError(
      files.manifestName,
      'the manifest must be a plain file name ending in .model.yaml (letters, digits, . _ -)',
    );
  }
  if (!onnxNamePattern.test(files.onnxName))
    throw new ModelPackageError(
      files.onnxName,
      'the model must be a plain file name ending in .onnx (letters, digits, . _ -)',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(files.manifest);
  } catch (err) {
    throw new ModelPackageError(files.manifestName, 'the manifest is not UTF-8 text', { cause: err });
  }
  return checkModelPackage(files.manifestName, text, () => files.onnx);
}

function writeSynced(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a directory be synced; the rename is still atomic.
  }
}

/**
 * Check a package completely (as at load, with a dry run) and store it as a new version.
 * Throws ModelPackageError (the package is wrong) or Error (it cannot be stored); in either
 * case nothing is left in the models folder.
 */
export async function importModelPackage(
  registry: ModelRegistry,
  files: ImportFiles,
  runningVersion: (name: string) => string | null,
): Promise<ImportResult> {
  const pkg = checkImportFiles(files);
  const m = pkg.manifest;
  const existing = registry.scan().find((e) => e.name === m.name && e.version === m.version);
  if (existing) {
    throw new ModelPackageError(
      files.manifestName,
      `${m.name} ${m.version} is already installed (${existing.source}, ${existing.manifestFile}): give the package a new version`,
    );
  }
  // The dry run: the session loads, takes a window of the manifest's shape and gives the outputs it reads.
  const model = await RunnableModel.open(pkg);
  await model.close();

  const dataDir = registry.importDir;
  const dir = join(dataDir, `${m.name}-${m.version}`);
  if (existsSync(dir))
    throw new ModelPackageError(files.manifestName, `${dir} already exists: give the package a new version`);
  // What runs stays what runs: pin it before the new version becomes visible.
  registry.keepRunningChoice(m.name, runningVersion(m.name));
  const temp = mkdtempSync(join(dataDir, '.import-'));
  try {
    const manifestFile = join(temp, basename(files.manifestName));
    writeSynced(manifestFile, files.manifest);
    writeSynced(join(temp, m.file), files.onnx);
    syncDirectory(temp);
    renameSync(temp, dir);
    syncDirectory(dataDir);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw new Error(
      `the package could not be stored in ${dataDir}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return { name: m.name, version: m.version, dir, manifestFile: join(dir, basename(files.manifestName)) };
}
