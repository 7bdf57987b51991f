#!/usr/bin/env node
// `npm start`: the desktop console. Electron downloads its binary on first use; where it is
// not installed and cannot be fetched (offline machines, CI installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), say so in one line and point to the station server,
// which runs the same runtime and console in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = dirname(require.resolve('electron/package.json'));

function installedBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let binary = installedBinary();
if (!binary && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  process.stdout.write('Fetching the Electron runtime (first start only)…\n');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore' });
  binary = installedBinary();
}
if (!binary) {
  process.stderr.write(
    'Electron is not installed on this machine (offline, or installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): run the same console in a browser with `npm run serve`.\n',
  );
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
