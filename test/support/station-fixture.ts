/**
 * The plant and the station as the end-to-end tests and benchmarks run them: the simulator
 * and the built `serve` as separate processes on free ports, with the demo project rebound to
 * the simulator (optionally edited first), demo accounts on, and their passwords read from
 * serve's output. `stop()` ends both processes and removes the temp folder.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';
import { freePort } from './ports.js';
import { startChild, type RunningChild } from './child-process.js';
import { writeProjectForExternalSimulator } from './demo-project.js';
import { demoProject } from '../../scripts/demo-project.js';

const root = new URL('../../', import.meta.url).pathname;

export interface StationFixtureOptions {
  /** Extra simulator arguments, e.g. ['--speed', '60']; with ['--substations', 'N'] the station gets the demo project for N substations. */
  readonly simArgs?: readonly string[];
  /** Poll/sampling interval for every device, ms. */
  readonly intervalMs?: number;
  /** Extra `serve` arguments, e.g. ['--idle-lock-minutes', '0.05']. */
  readonly serveArgs?: readonly string[];
  /** Work between the simulator coming up and the station starting, e.g. a PLC held silent or a history file filled in `<dir>/data`. */
  readonly beforeStation?: (sim: RunningChild, dir: string) => Promise<void>;
  /** Edit the project (already rebound to the simulator) before the station reads it. */
  readonly editProject?: (project: ProjectConfig) => ProjectConfig;
  /** How long the simulator and the station each get to come up, ms (default 60 s; a 50-substation plant on a busy machine needs more). */
  readonly startTimeoutMs?: number;
}

export interface StationFixture {
  readonly dir: string;
  readonly sim: RunningChild;
  readonly serve: RunningChild;
  readonly url: string;
  readonly projectFile: string;
  /** Demo account name → password, as serve printed them. */
  readonly passwords: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

/**
 * The demo project for n substations (as `serve --substations n` generates it) in place of the
 * one-substation project at `file`, its devices bound to the same external simulator.
 */
function writeProjectForSubstations(file: string, n: number): void {
  const one = parse(readFileSync(file, 'utf8')) as ProjectConfig;
  const bound = (protocol: string) => {
    const d = one.devices.find((x) => x.protocol === protocol) as unknown as Record<string, unknown>;
    const { name: _name, unitId: _unit, ...rest } = d;
    return rest;
  };
  const many = demoProject(n) as unknown as ProjectConfig & { simulator?: unknown };
  delete many.simulator;
  many.devices = many.devices.map((d) => ({ ...d, ...bound(d.protocol) }) as ProjectConfig['devices'][number]);
  writeFileSync(file, stringify(many));
}

export async function startStationFixture(name: string, options: StationFixtureOptions = {}): Promise<StationFixture> {
  const dir = mkdtempSync(join(tmpdir(), `argus-${name}-`));
  const [modbusPort, opcuaPort, httpPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const sim = startChild(process.execPath, [
    join(root, 'dist/simulator/cli.mjs'),
    '--modbus-port',
    String(modbusPort),
    '--opcua-port',
    String(opcuaPort),
    '--pki',
    join(dir, 'sim-pki'),
    ...(options.simArgs ?? []),
  ]);
  let serve: RunningChild | null = null;
  const stop = async (): Promise<void> => {
    await serve?.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    await sim.waitFor(/opc\.tcp:\/\/\S+/, startTimeoutMs);
    await options.beforeStation?.(sim, dir);
    // A simulator run with --substations N gets the demo project generated for N substations.
    const flag = (options.simArgs ?? []).indexOf('--substations');
    const substations = flag >= 0 ? Number(options.simArgs![flag + 1]) : 1;
    const projectFile = writeProjectForExternalSimulator(dir, {
      modbusPort,
      opcuaPort,
      ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
    });
    if (substations > 1) writeProjectForSubstations(projectFile, substations);
    if (options.editProject) {
      const project = parse(readFileSync(projectFile, 'utf8')) as ProjectConfig;
      writeFileSync(projectFile, stringify(options.editProject(project)));
    }
    serve = startChild(process.execPath, [
      join(root, 'dist/main/server.mjs'),
      '--port',
      String(httpPort),
      '--project',
      projectFile,
      '--data',
      join(dir, 'data'),
      '--demo-users',
      ...(options.serveArgs ?? []),
    ]);
    const [, url] = await serve.waitFor(/Console: (https?:\/\/\S+)/, startTimeoutMs);
    await serve.waitFor(/^\s+demo-admin\s+admin\s+\S+\s*$/m, 30_000);
    const passwords = new Map<string, string>();
    for (const m of serve.output().matchAll(/^\s+(demo-[a-z]+)\s+([a-z]+)\s+(\S+)\s*$/gm)) passwords.set(m[1]!, m[3]!);
    return { dir, sim, serve, url: url!, projectFile, passwords, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
