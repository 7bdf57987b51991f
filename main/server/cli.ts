/**
 * `npm run serve`: the station runtime headless, serving the console to browsers.
 *   --port N        HTTP port (default 8400; 0 picks a free one)
 *   --host ADDR     interface to bind (default 127.0.0.1)
 *   --project FILE  project file (default: the built-in demo plant)
 *   --substations N the built-in demo plant with N substations SS01…SSnn (1–50, default 1); its
 *                   project is generated into the data folder at every start
 *   --data DIR      runtime data folder (default ~/.argus/station)
 *   --init-admin NAME   create the first administrator (password prompted, or from ARGUS_ADMIN_PASSWORD)
 *   --demo-users    one demo account per role with random passwords, shown on the sign-in screen
 *                   (automatic on the simulated demo plant; only when bound to this machine)
 *   --tls-cert FILE --tls-key FILE   serve HTTPS
 *   --idle-lock-minutes N   lock an idle console after N minutes (0: never; default 15)
 *   --public-url URL   a URL the console is reached under (a DNS name, a proxy); repeatable.
 *                   Requests naming any other host are refused (421): DNS rebinding.
 *   --source-maps   serve the renderer's source maps (off by default)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startStation } from '../runtime/station.js';
import { ProjectFileError } from '../runtime/config/load-project.js';
import { createLogger } from '../runtime/logging/logger.js';
import { defaultStationDataDir, demoProjectFile, rendererDir, prepareDataDir } from '../runtime/app-paths.js';
import { startStationServer } from './station-server.js';
import { isLoopbackHost } from './network.js';
import { readFileSync } from 'node:fs';
import { loadProjectFile } from '../runtime/config/load-project.js';
import { isBuiltinSimulatorDevice } from '../runtime/config/schema.js';
import { promptPassword } from './prompt-password.js';
import { limitHeapGrowth } from './heap-growth.js';
import { parseSubstations, writeDemoProject } from '../../scripts/demo-project.js';
import { startSimulator } from '../../simulator/index.js';

function fail(message: string, code = 2): never {
  process.stderr.write(`argus serve: ${message}\n`);
  process.exit(code);
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8400;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a whole number from 0 to 65535, got "${text}"`);
  return port;
}

async function main(): Promise<void> {
  try {
    limitHeapGrowth();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        project: { type: 'string' },
        substations: { type: 'string' },
        data: { type: 'string' },
        'log-level': { type: 'string' },
        'init-admin': { type: 'string' },
        'demo-users': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'idle-lock-minutes': { type: 'string' },
        'public-url': { type: 'string', multiple: true },
        'source-maps': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (args.help) {
    process.stdout.write(
      'usage: npm run serve -- [--port N] [--host ADDR] [--project FILE | --substations N] [--data DIR] [--init-admin NAME] [--demo-users] [--tls-cert FILE --tls-key FILE] [--public-url URL] [--source-maps]\n',
    );
    return;
  }
  const port = parsePort(args.port);
  const host = args.host ?? '127.0.0.1';
  const dataDir = prepareDataDir(args.data ?? defaultStationDataDir()).root;
  if (args.project && args.substations !== undefined)
    fail('--substations applies to the built-in demo plant: leave out --project, or leave out --substations');
  let substations = 1;
  try {
    substations = parseSubstations(args.substations);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  // One substation is the committed demo project; more are generated afresh (never a stale copy).
  const projectFile = args.project
    ? resolve(args.project)
    : substations === 1
      ? demoProjectFile()
      : writeDemoProject(dataDir, substations);
  const level = (args['log-level'] ?? 'info') as 'debug' | 'info' | 'warn' | 'error';
  const log = createLogger({ dir: dataDir, level, echo: true });

  const loopback = isLoopbackHost(host);
  if (Boolean(args['tls-cert']) !== Boolean(args['tls-key'])) fail('--tls-cert and --tls-key go together');
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (args['tls-cert'] && args['tls-key']) {
    try {
      tls = { cert: readFileSync(args['tls-cert']), key: readFileSync(args['tls-key']) };
    } catch (err) {
      fail(`cannot read the TLS certificate or key: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!loopback && !tls) {
    process.stderr.write(
      `warning: serving on ${host} without TLS: passwords and plant data cross the network in clear; ` +
        'give --tls-cert and --tls-key, or only do this on a trusted, isolated plant LAN.\n',
    );
  }
  if (args['demo-users'] && !loopback) fail('--demo-users is only allowed when bound to this machine (127.0.0.1)');

  let idleLockMinutes: number | undefined;
  if (args['idle-lock-minutes'] !== undefined) {
    idleLockMinutes = Number(args['idle-lock-minutes']);
    if (!Number.isFinite(idleLockMinutes) || idleLockMinutes < 0 || idleLockMinutes > 24 * 60) {
      fail(`--idle-lock-minutes must be a number of minutes from 0 to 1440, got "${args['idle-lock-minutes']}"`);
    }
  }

  const publicUrls = args['public-url'] ?? [];
  for (const url of publicUrls) {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      fail(`--public-url wants an http(s) URL such as https://scada.plant.example:8400, got "${url}"`);
  }

  let demoUsers = Boolean(args['demo-users']);
  try {
    demoUsers ||= loopback && loadProjectFile(projectFile).devices.every(isBuiltinSimulatorDevice);
  } catch (err) {
    if (err instanceof ProjectFileError) fail(err.message);
    throw err;
  }

  let runtime;
  try {
    runtime = await startStation({
      projectFile,
      dataDir,
      mode: 'station',
      log,
      demoUsers,
      ...(idleLockMinutes !== undefined ? { idleLockMinutes } : {}),
      startPlant: startSimulator,
    });
  } catch (err) {
    if (err instanceof ProjectFileError) fail(err.message);
    fail(`cannot start the station runtime: ${err instanceof Error ? err.message : String(err)}`, 1);
  }

  const { users, audit } = runtime.security;
  if (args['init-admin']) {
    const name = args['init-admin'];
    if (users.list().some((u) => u.role === 'admin' && !u.demo)) {
      await runtime.stop();
      fail('an administrator already exists; manage users from the console');
    }
    try {
      const password =
        process.env.ARGUS_ADMIN_PASSWORD ?? (await promptPassword(`Password for administrator ${name}: `));
      audit.append({
        actor: name,
        role: 'admin',
        source: 'cli',
        action: 'user.change',
        target: name,
        details: { change: 'create-first-admin' },
      });
      await users.createUser({ name, password, role: 'admin' });
      process.stdout.write(`Administrator ${name} created.\n`);
    } catch (err) {
      await runtime.stop();
      fail(`cannot create administrator ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // A demo administrator only counts during a loopback demo; anywhere else the plant needs its own.
  if (!(demoUsers ? users.hasAnyAdmin() : users.hasPlantAdmin())) {
    await runtime.stop();
    fail('no administrator yet: create the first one with `npm run serve -- --init-admin NAME`');
  }

  let server;
  try {
    server = await startStationServer({
      runtime,
      host,
      port,
      rendererDir: rendererDir(),
      publicUrls,
      serveSourceMaps: Boolean(args['source-maps']),
      ...(tls ? { tls } : {}),
    });
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
  if (runtime.demoAccounts) {
    process.stdout.write('Demo accounts (this machine only; passwords change at every start):\n');
    for (const a of runtime.demoAccounts)
      process.stdout.write(`  ${a.name.padEnd(16)} ${a.role.padEnd(11)} ${a.password}\n`);
  }
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
