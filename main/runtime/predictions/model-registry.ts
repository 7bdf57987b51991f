/**
 * The model packages a station knows: built in (the application's `models/` folder) and
 * imported (`<data>/models/`, and one folder per version that the console's import wrote,
 * `<data>/models/<NAME>-<version>/`), every `*.model.yaml` in either, each validated on its
 * own (a broken package is listed with its error, never loaded). Which version of each model
 * runs is remembered in `<data>/models/active.json`; without a choice, the newest valid
 * version runs. A model imported but never activated is recorded there as `""`: listed,
 * not run.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from './model-manifest.js';
import { readModelPackage, type ModelPackage } from './model-package.js';

export interface PackageEntry {
  readonly name: string;
  readonly version: string;
  readonly manifestFile: string;
  readonly source: 'built-in' | 'imported';
  readonly pkg: ModelPackage | null;
  readonly error: string | null;
}

export interface ModelRegistryOptions {
  readonly builtInDir: string | null;
  /** Imported packages and the active choice. */
  readonly dataDir: string;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The name and version a manifest file claims, even when it does not validate (for listing). */
function claimedIdentity(file: string): { name: string; version: string } {
  try {
    const text = readFileSync(file, 'utf8');
    const name = /^name:\s*['"]?([A-Za-z0-9_]+)/m.exec(text)?.[1] ?? file;
    const version = /^version:\s*['"]?([0-9.]+)/m.exec(text)?.[1] ?? '?';
    return { name, version };
  } catch {
    return { name: file, version: '?' };
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export class ModelRegistry {
  private readonly activeFile: string;

  constructor(private readonly options: ModelRegistryOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.activeFile = join(options.dataDir, 'active.json');
  }

  get importDir(): string {
    return this.options.dataDir;
  }

  scan(): PackageEntry[] {
    const entries: PackageEntry[] = [];
    const dirs: Array<[string | null, PackageEntry['source']]> = [
      [this.options.builtInDir, 'built-in'],
      [this.options.dataDir, 'imported'],
    ];
    for (const [dir, source] of dirs) {
      if (!dir || !existsSync(dir)) continue;
      const manifests = readdirSync(dir)
        .filter((n) => n.endsWith('.model.yaml'))
        .sort()
        .map((f) => join(dir, f));
      // Imported versions live in a folder each (never one starting with "." : an import in progress).
      if (source === 'imported') {
        for (const sub of readdirSync(dir).sort()) {
          const path = join(dir, sub);
          if (sub.startsWith('.') || !isDirectory(path)) continue;
          for (const f of readdirSync(path)
            .filter((n) => n.endsWith('.model.yaml'))
            .sort())
            manifests.push(join(path, f));
        }
      }
      for (const manifestFile of manifests) {
        try {
          const pkg = readModelPackage(manifestFile);
          entries.push({
            name: pkg.manifest.name,
            version: pkg.manifest.version,
            manifestFile,
            source,
            pkg,
            error: null,
          });
        } catch (err) {
          entries.push({
            ...claimedIdentity(manifestFile),
            manifestFile,
            source,
            pkg: null,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
    }
    return entries;
  }

  private readActive(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.activeFile, 'utf8'));
      if (parsed && typeof parsed === 'object')
        return Object.fromEntries(
          Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
    } catch {
      // none chosen yet
    }
    return {};
  }

  /** Versions of a model to try, best first: the chosen one, then the others newest first. */
  candidates(name: string, entries: readonly PackageEntry[] = this.scan()): PackageEntry[] {
    const chosen = this.readActive()[name];
    // Imported, never activated: nothing runs until an engineer activates a version.
    if (chosen === '') return [];
    const own = entries
      .filter((e) => e.name === name && e.pkg !== null)
      .sort((a, b) => compareVersions(b.version, a.version));
    const first = own.filter((e) => e.version === chosen);
    return [...first, ...own.filter((e) => e.version !== chosen)];
  }

  names(entries: readonly PackageEntry[] = this.scan()): string[] {
    return [...new Set(entries.filter((e) => e.pkg).map((e) => e.name))].sort();
  }

  chosenVersion(name: string): string | null {
    return this.readActive()[name] || null;
  }

  /**
   * After an import: what runs must not change until an engineer activates a version. A model
   * running without a recorded choice is pinned to its running version (else the newest, the
   * import, would run at the next start); a model not running at all is recorded as "none".
   */
  keepRunningChoice(name: string, runningVersion: string | null): void {
    if (this.readActive()[name] !== undefined) return;
    this.setActive(name, runningVersion ?? '');
  }

  /** Remember the running version (written beside, then renamed: never half a file). */
  setActive(name: string, version: string): void {
    const active = { ...this.readActive(), [name]: version };
    const temp = `${this.activeFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(active, null, 2));
    renameSync(temp, this.activeFile);
  }
}

export type { ModelManifest };
