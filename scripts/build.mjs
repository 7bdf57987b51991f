#!/usr/bin/env node
// Builds everything `npm start`, `npm run serve` and `npm run sim` run: the Node entry points
// bundled with esbuild (dependencies stay external), the sandboxed preload as one CommonJS file,
// and the renderer with Vite. Skips work whose sources have not changed since the last build.
import { build as esbuild } from 'esbuild';
import { readdirSync, statSync, existsSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const force = process.argv.includes('--force');

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') visit(join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

function upToDate(stampName, sources) {
  const stamp = join(root, 'dist', `.${stampName}.stamp`);
  const newest = newestMtime([...sources, 'package.json', 'scripts/build.mjs']);
  if (!force && existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= newest) return { fresh: true, mark() {} };
  return {
    fresh: false,
    mark() {
      mkdirSync(dirname(stamp), { recursive: true });
      writeFileSync(stamp, String(newest));
    },
  };
}

async function buildNode() {
  const state = upToDate('node', [
    'main',
    'preload',
    'protocols',
    'simulator',
    'scripts/demo-project.ts',
    'scripts/demo-alarm-set.ts',
  ]);
  if (state.fresh) return;
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
  };
  const esmBanner = {
    // Bundled ESM has no require/__dirname; some dependencies expect them.
    js: "import { createRequire as __argusCreateRequire } from 'node:module'; const require = __argusCreateRequire(import.meta.url);",
  };
  await Promise.all([
    esbuild({
      ...common,
      format: 'esm',
      packages: 'external',
      banner: esmBanner,
      entryPoints: {
        'main/server': 'main/server/cli.ts',
        'main/electron': 'main/electron/index.ts',
        'simulator/cli': 'simulator/cli.ts',
      },
      outdir: 'dist',
      outExtension: { '.js': '.mjs' },
    }),
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    esbuild({
      ...common,
      format: 'cjs',
      external: ['electron'],
      entryPoints: { 'preload/index': 'preload/index.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
    }),
  ]);
  state.mark();
}

async function buildRenderer() {
  const state = upToDate('renderer', ['renderer', 'preload/contract.ts', 'assets/icons']);
  if (state.fresh) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  state.mark();
}

const started = Date.now();
if (!only || only === 'node') await buildNode();
if (!only || only === 'renderer') await buildRenderer();
if (Date.now() - started > 500) console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
