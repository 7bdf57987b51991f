/**
 * `npm run serve`: the station runtime headless, serving the console to browsers.
 *   --port N        HTTP port (default 8400; 0 picks a free one)
 *   --host ADDR     interface to bind (default 127.0.0.1)
 *   --project FILE  project file (default: the built-in demo plant)
 *   --data DIR      runtime data folder (default ~/.argus/station)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startStation } from '../runtime/station.js';
import { ProjectFileError } from '../runtime/config/load-project.js';
import { createLogger } from '../runtime/logging/logger.js';
import { defaultStationDataDir, demoProjectFile, rendererDir, prepareDataDir } from '../runtime/app-paths.js';
import { startStationServer } from './station-server.js';
import { isLoopbackHost } from './network.js';

function fail(message: string, code = 2): never {
  process.stderr.write(`argus serve: ${message}\n`);
  process.exit(code);
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8400;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, got "${text}"`);
  return port;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        project: { type: 'string' },
        data: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (args.help) {
    process.stdout.write('usage: npm run serve -- [--port N] [--host ADDR] [--project FILE] [--data DIR]\n');
    return;
  }
  const port = parsePort(args.port);
  const host = args.host ?? '127.0.0.1';
  const projectFile = args.project ? resolve(args.project) : demoProjectFile();
  const dataDir = prepareDataDir(args.data ?? defaultStationDataDir()).root;
  const level = (args['log-level'] ?? 'info') as 'debug' | 'info' | 'warn' | 'error';
  const log = createLogger({ dir: dataDir, level, echo: true });

  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `warning: serving on ${host} makes the console reachable from the network without TLS; ` +
        'only do this on a trusted plant LAN.\n',
    );
  }

  let runtime;
  try {
    runtime = await startStation({ projectFile, dataDir, mode: 'station', log });
  } catch (err) {
    if (err instanceof ProjectFileError) fail(err.message);
    fail(`cannot start the station runtime: ${err instanceof Error ? err.message : String(err)}`, 1);
  }

  let server;
  try {
    server = await startStationServer({ runtime, host, port, rendererDir: rendererDir() });
  } catch (err) {
    await runtime.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use; choose another with --port N`, 1);
    fail(`cannot listen on ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }

  const plant = runtime.simulator ? 'built-in simulated plant' : `${runtime.project.devices.length} device(s)`;
  process.stdout.write(`Argus station server ${runtime.version}: ${runtime.project.name} (${plant})\n`);
  process.stdout.write(`Console: ${server.url}\n`);
  process.stdout.write(`Data folder: ${dataDir}\n`);
  log.info({ url: server.url, projectFile, dataDir }, 'station server started');

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const watchdog = setTimeout(() => {
      process.stderr.write('argus serve: shutdown took too long; exiting\n');
      process.exit(1);
    }, 10_000);
    watchdog.unref();
    await server.close();
    await runtime.stop();
    log.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
