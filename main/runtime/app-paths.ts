/**
 * Where the application's own files are (the built renderer, the demo project) and
 * where runtime data goes. The same code runs from source (tests), from the bundles
 * in dist/, and from a packaged app, so the root is found, not assumed.
 */
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'argus') return (cachedRoot = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the Argus application folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export const demoProjectFile = (): string => join(appRoot(), 'assets', 'demo', 'plant.yaml');
export const rendererDir = (): string => join(appRoot(), 'dist', 'renderer');
/** The model packages that ship with Argus. */
export const builtInModelsDir = (): string => join(appRoot(), 'models');

/** The station server's data folder when none is given: one per user, outside the install. */
export function defaultStationDataDir(): string {
  return join(homedir(), '.argus', 'station');
}

/** Make sure the data folder and its sub-folders exist; returns the absolute paths. */
export function prepareDataDir(dir: string): { root: string; pki: string; history: string; logs: string } {
  const root = resolve(dir);
  const paths = { root, pki: join(root, 'pki'), history: join(root, 'history'), logs: join(root, 'logs') };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true, mode: 0o700 });
  return paths;
}
