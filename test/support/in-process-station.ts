/**
 * A station and its server in the test's own process, as the integration tests run them: the
 * demo project on the built-in simulated plant, demo accounts on, a one-line console page, the
 * server on a free loopback port, all in a temp folder. `stop()` closes the server, stops the
 * station and removes the folder. (The end-to-end tests run both as separate processes:
 * station-fixture.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStation, type StationOptions, type StationRuntime } from '../../main/runtime/station.js';
import { startStationServer, type StationServer, type StationServerOptions } from '../../main/server/station-server.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { startSimulator } from '../../simulator/index.js';
import { demoProjectPath } from './demo-project.js';

export interface InProcessStationOptions {
  /** Work in the temp folder before the station starts (a models folder filled, say); may return the project file to use instead of the demo project. */
  readonly prepare?: (dir: string) => string | void;
  /** Station options besides project, data folder, mode, log, demo accounts and plant. */
  readonly station?: Partial<StationOptions>;
  /** Server options besides the runtime, host, port and console folder. */
  readonly server?: Partial<Omit<StationServerOptions, 'runtime'>>;
}

export interface InProcessStation {
  readonly dir: string;
  readonly runtime: StationRuntime;
  readonly server: StationServer;
  stop(): Promise<void>;
}

/** `name` goes into the temp folder's name (`argus-<name>-…`). */
export async function startInProcessStation(
  name: string,
  options: InProcessStationOptions = {},
): Promise<InProcessStation> {
  const dir = mkdtempSync(join(tmpdir(), `argus-${name}-`));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Argus</title>');
  let runtime: StationRuntime | null = null;
  let server: StationServer | null = null;
  const stop = async (): Promise<void> => {
    await server?.close();
    await runtime?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const projectFile = options.prepare?.(dir) ?? demoProjectPath;
    runtime = await startStation({
      projectFile,
      dataDir: join(dir, 'data'),
      mode: 'station',
      log: createLogger({ level: 'error' }),
      demoUsers: true,
      startPlant: startSimulator,
      ...options.station,
    });
    server = await startStationServer({
      runtime,
      host: '127.0.0.1',
      port: 0,
      rendererDir: renderer,
      ...options.server,
    });
    return { dir, runtime, server, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
