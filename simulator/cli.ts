/**
 * `npm run sim -- --speed 60 --substations 3 --modbus-port 5020 --opcua-port 4840`
 * Runs the simulated plant, prints its endpoints, then takes console commands on stdin
 * (see `usage`). Closed stdin does not stop it (it may run detached); SIGINT/SIGTERM or
 * `quit` do.
 */
import { createInterface } from 'node:readline';
import { startSimulator, type RunningSimulator } from './index.js';
import { parseCli, parseConsoleCommand, usage, type CliOptions } from './cli-args.js';

function say(line: string): void {
  process.stdout.write(line + '\n');
}

function status(sim: RunningSimulator, modbusUp: boolean): string {
  const s1 = sim.plant.substations[0]!;
  const faults = sim.plant.substations.flatMap((s, i) =>
    s.faults.map((f) => `SS${String(i + 1).padStart(2, '0')}:${f.kind}:${f.severity}${f.target ? `:${f.target}` : ''}`),
  );
  return [
    `sim time ${new Date(sim.simTime()).toISOString()}`,
    `speed ${sim.plant.speed}`,
    `substations ${sim.substations}`,
    `modbus ${modbusUp ? `up on ${sim.host}:${sim.modbusPort}` : 'stopped'}`,
    `opcua ${sim.opcuaEndpoint ?? 'off'}`,
    `SS01 outdoor ${s1.outdoorC.toFixed(1)} °C, supply ${s1.secondarySupplyC.toFixed(1)}/${s1.supplySetpointC.toFixed(1)} °C, valve ${s1.valvePositionPct.toFixed(0)} %, pressure ${s1.staticPressureBar.toFixed(2)} bar`,
    `faults ${faults.length ? faults.join(', ') : 'none'}`,
  ].join('; ');
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`argus-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  if (options.help) {
    say(usage);
    return;
  }
  const sim = await startSimulator({
    substations: options.substations,
    speed: options.speed,
    host: options.host,
    modbusPort: options.modbusPort,
    opcuaPort: options.opcuaPort,
    seed: options.seed,
    opcua: options.opcua,
    opcuaConditions: options.opcuaConditions,
    ...(options.pkiDir ? { pkiDir: options.pkiDir } : {}),
  });
  const started = sim.simTime();
  for (const fault of options.faults) {
    const startsAt =
      fault.start === null ? undefined : fault.start.kind === 'relative' ? started + fault.start.ms : fault.start.at;
    sim.injectFault({ ...fault.spec, ...(startsAt !== undefined ? { startsAt } : {}) });
  }
  let modbusUp = true;
  say(`Argus simulated plant: ${sim.substations} substation(s), ${sim.tagCount} tags, speed ×${options.speed}`);
  say(`Modbus TCP: ${sim.host}:${sim.modbusPort} (unit ids 1…${sim.substations})`);
  say(`OPC UA: ${sim.opcuaEndpoint ?? 'off'}`);

  // Keeps the process alive even with both servers stopped; SIGINT/SIGTERM/quit end it.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    await sim.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    void (async () => {
      try {
        const command = parseConsoleCommand(line);
        switch (command.kind) {
          case 'empty':
            return;
          case 'modbus':
            if (command.action === 'stop') await sim.stopModbus();
            else await sim.startModbus();
            modbusUp = command.action === 'start';
            say(`ok modbus ${modbusUp ? `started on ${sim.host}:${sim.modbusPort}` : 'stopped'}`);
            return;
          case 'fault':
            sim.injectFault(command.spec);
            say(`ok fault ${command.spec.kind} ${command.spec.severity} on substation ${command.spec.substation ?? 1}`);
            return;
          case 'clear':
            sim.clearFaults();
            say('ok faults cleared');
            return;
          case 'status':
            say(status(sim, modbusUp));
            return;
          case 'set':
            sim.write(command.tag, command.value);
            say(`ok ${command.tag} = ${String(command.value)}`);
            return;
          case 'get':
            say(`${command.tag} = ${String(sim.read(command.tag) ?? 'unknown tag')}`);
            return;
          case 'quit':
            await shutdown(0);
            return;
        }
      } catch (err) {
        say(`error: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
  });
  // End of stdin is not a reason to stop: the simulator may run detached.
  lines.on('close', () => {});
}

main().catch((err: unknown) => {
  process.stderr.write(`argus-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
