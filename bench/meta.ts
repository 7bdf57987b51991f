/**
 * What every benchmark's JSON line carries besides its figures: the workload it ran, the
 * commit (and whether the tree had uncommitted changes), when, and on how many cores under
 * what load, so a figure in the README can always be traced to the code and machine it came from.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function git(args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export interface BenchMeta {
  readonly workload: string;
  readonly commit: string;
  /** Source files differed from the commit (tests and docs aside). */
  readonly dirty: boolean;
  readonly date: string;
  readonly cpus: number;
  /** 1-minute load average when the figures were taken: other work on the same cores. */
  readonly loadavg_1m: number;
}

/** Call when the measurement ends (the load average is the one during the run). */
export function benchMeta(workload: string): BenchMeta {
  const commit = git(['rev-parse', '--short=12', 'HEAD']) ?? 'unknown';
  const changed = git([
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    'protocols',
    'main',
    'simulator',
    'bench',
    'renderer',
    'preload',
  ]);
  return {
    workload,
    commit,
    dirty: changed === null ? true : changed.length > 0,
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    loadavg_1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}
