/**
 * The system tools the suite drives (Debian packages, never downloads), checked in one place.
 *
 * A test file that needs one writes `describe.skipIf(lacking('socat', 'pymodbus-serial'))(…)`:
 *  - where the tool is present, `lacking` returns false and the tests run;
 *  - where it is missing, it prints what is missing and the apt line, and returns true (skip);
 *  - with ARGUS_STRICT=1 (set by `.ci/run`), a missing tool throws instead, so the file fails
 *    and a broken install cannot pass as a green run of skipped tests.
 * `npm run doctor` prints the same checks for the whole list.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable that turns a missing prerequisite from a skip into a failure. */
export const STRICT_ENV = 'ARGUS_STRICT';

export const CHROMIUM_PATH = process.env.ARGUS_CHROMIUM ?? '/usr/bin/chromium';

export interface Prerequisite {
  /** What the tests need, in a few words. */
  readonly what: string;
  /** Debian packages that provide it (empty: not a package, see `fix`). */
  readonly apt: readonly string[];
  /** How to get it when apt cannot provide it. */
  readonly fix?: string;
  /** Which tests need it. */
  readonly usedBy: string;
  /** null when present, else why not (one line). */
  probe(): string | null;
}

function firstLine(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT') return 'not installed (ENOENT)';
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}

/** Runs a command; null when it exits 0, else the first line of what went wrong. */
function runs(command: string, args: readonly string[], acceptExitCode?: (code: number) => boolean): string | null {
  try {
    execFileSync(command, args, { stdio: 'pipe', timeout: 15_000 });
    return null;
  } catch (err) {
    const status =
      err && typeof err === 'object' && 'status' in err && typeof err.status === 'number' ? err.status : null;
    if (status !== null && acceptExitCode?.(status)) return null;
    return `${command}: ${firstLine(err)}`;
  }
}

function python(code: string): string | null {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 not found';
  return runs('/usr/bin/python3', ['-c', code]);
}

/** Mounting a 2 MiB tmpfs is how the disk-full tests get a real full disk; it needs root (CAP_SYS_ADMIN). */
function probeTmpfs(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'argus-tmpfs-probe-'));
  try {
    const mounted = runs('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    if (mounted) return mounted;
    return runs('umount', [dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const prerequisites = {
  chromium: {
    what: `Chromium at ${CHROMIUM_PATH}`,
    apt: ['chromium', 'fonts-wqy-microhei'],
    usedBy: 'test/e2e (the console in a real browser), bench:e2e',
    probe: () => (existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} not found (or set ARGUS_CHROMIUM)`),
  },
  socat: {
    what: 'socat (pseudo-terminal pairs for Modbus RTU)',
    apt: ['socat'],
    usedBy: 'test/integration/modbus-rtu.test.ts',
    probe: () => runs('socat', ['-V']),
  },
  pymodbus: {
    what: "Debian's pymodbus (/usr/bin/python3 -c 'import pymodbus')",
    apt: ['python3-pymodbus'],
    usedBy: 'test/integration/modbus-pymodbus.test.ts, modbus-rtu.test.ts',
    probe: () => python('import pymodbus'),
  },
  'pymodbus-serial': {
    what: "pyserial and serial_asyncio for pymodbus's RTU server",
    apt: ['python3-serial', 'python3-serial-asyncio'],
    usedBy: 'test/integration/modbus-rtu.test.ts',
    probe: () => python('import serial, serial_asyncio'),
  },
  'fiu-run': {
    what: 'fiu-run (injected I/O errors)',
    apt: ['fiu-utils'],
    usedBy: 'test/integration/historian-fault-injection.test.ts',
    // fiu-run prints its usage and exits 1 with -h: only a missing binary fails the probe.
    probe: () => runs('fiu-run', ['-h'], (code) => code === 1),
  },
  tmpfs: {
    what: 'the right to mount a tmpfs (a real full disk)',
    apt: [],
    fix: 'run as root or with CAP_SYS_ADMIN',
    usedBy: 'historian-recovery.test.ts, security-audit-trail.test.ts (disk full)',
    probe: probeTmpfs,
  },
} as const satisfies Record<string, Prerequisite>;
const byName: Readonly<Record<keyof typeof prerequisites, Prerequisite>> = prerequisites;

export type PrerequisiteName = keyof typeof prerequisites;

export function strictPrerequisites(): boolean {
  const flag = process.env[STRICT_ENV];
  return flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false';
}

const probed = new Map<PrerequisiteName, string | null>();

/** null when present, else why not; probed once per process. */
export function missingReason(name: PrerequisiteName): string | null {
  if (!probed.has(name)) probed.set(name, byName[name].probe());
  return probed.get(name)!;
}

/** The apt-get line that installs what `names` need (null when none of them is a package). */
export function aptLine(names: readonly PrerequisiteName[]): string | null {
  const packages = [...new Set(names.flatMap((n) => prerequisites[n].apt))];
  return packages.length > 0 ? `apt-get install -y --no-install-recommends ${packages.join(' ')}` : null;
}

/** What is missing among `names`, as one message naming each tool, why, and how to install it; null when all are present. */
export function missingMessage(names: readonly PrerequisiteName[]): string | null {
  const missing = names.filter((n) => missingReason(n) !== null);
  if (missing.length === 0) return null;
  const parts = missing.map((n) => `${prerequisites[n].what}: ${missingReason(n)}`);
  const fixes = [aptLine(missing), ...missing.map((n) => byName[n].fix).filter((f) => f !== undefined)].filter(
    (f) => f !== null,
  );
  return `missing ${parts.join('; ')} — ${fixes.join('; ')} (npm run doctor lists every prerequisite)`;
}

/**
 * For `describe.skipIf(lacking(...))`: false when every prerequisite is present; true (skip,
 * with a message) when one is missing; throws when ARGUS_STRICT is set, so the file fails.
 */
export function lacking(...names: PrerequisiteName[]): boolean {
  return skipOrFail(missingMessage(names), strictPrerequisites());
}

/** The decision behind `lacking`: run (false), skip with a warning (true), or throw when strict. */
export function skipOrFail(message: string | null, strict: boolean): boolean {
  if (message === null) return false;
  if (strict)
    throw new Error(`${message}. ${STRICT_ENV} is set: a missing prerequisite fails the run instead of skipping.`);
  console.warn(`skipped: ${message}`);
  return true;
}
