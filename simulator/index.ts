/**
 * The simulated district-heating plant, started in-process by the runtime or by the CLI:
 * N substations of physics on one clock, served over Modbus TCP (substation k = unit id k)
 * and OPC UA (Objects/SSkk/…), both bound to 127.0.0.1 by default.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Plant, type FaultSpec } from './plant.js';
import { ModbusTcpServer } from './modbus/server.js';
import { startOpcuaServer, type RunningOpcuaServer } from './opcua/server.js';
import { catalog, catalogForSubstation, type TagValue } from './catalog.js';

export { catalog, catalogForSubstation };
export type { TagDefinition, SubstationTag, ModbusMapping, TagValue } from './catalog.js';
export type { FaultSpec } from './plant.js';
export { faultKinds, type FaultKind } from './physics/faults.js';

export interface SimulatorOptions {
  /** Number of substations SS01…SSnn; default 1. */
  substations?: number;
  /** Simulated seconds per real second; default 1. */
  speed?: number;
  /** Address both servers bind to; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  modbusPort?: number;
  /** 0 (default) picks a free port. */
  opcuaPort?: number;
  /** Seed of the weather and measurement noise; same seed, same run. Default 1. */
  seed?: number;
  /** Simulated start time, ms since the epoch; default now. */
  startTime?: number;
  /** Real-time interval between physics steps, ms; default 100. */
  stepMs?: number;
  /** Folder for the OPC UA server's certificates; default a folder under the OS temp dir. */
  pkiDir?: string;
  /** Serve OPC UA; default true. */
  opcua?: boolean;
  /** Publish the alarm word as OPC UA alarm conditions; default true. */
  opcuaConditions?: boolean;
  log?: (msg: string) => void;
}

export interface RunningSimulator {
  readonly modbusPort: number;
  readonly opcuaEndpoint: string | null;
  readonly host: string;
  /** Current simulated time, ms since the epoch. */
  simTime(): number;
  /** Current engineering value of a tag by full name (e.g. SS01.HX.T_SEC_SUP). */
  read(tag: string): number | boolean | undefined;
  /** Write a setpoint as an operator would (range-checked; throws RangeError when refused). */
  write(tag: string, value: TagValue): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  stopModbus(): Promise<void>;
  /** Serve Modbus again on the same port. */
  startModbus(): Promise<void>;
  close(): Promise<void>;
  /** The plant itself, for tests and tools that step it directly. */
  readonly plant: Plant;
  readonly substations: number;
  readonly tagCount: number;
}

/** A free TCP port on host (node-opcua needs a concrete port). */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const substations = options.substations ?? 1;
  const speed = options.speed ?? 1;
  if (!Number.isInteger(substations) || substations < 1 || substations > 247)
    throw new RangeError(`substations must be 1…247 (one Modbus unit id each), got ${substations}`);
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  const log = options.log ?? (() => {});
  const plant = new Plant({ substations, seed: options.seed ?? 1, startTime: options.startTime ?? Date.now() });

  const modbus = new ModbusTcpServer({ host, port: options.modbusPort ?? 0, model: plant.registers });
  let opcua: RunningOpcuaServer | null = null;
  try {
    const modbusPort = await modbus.start();
    log(`Modbus TCP server on ${host}:${modbusPort} (unit ids 1…${substations})`);
    if (options.opcua ?? true) {
      const port = options.opcuaPort || (await freeTcpPort(host));
      const pkiDir = options.pkiDir ?? defaultPkiDir();
      mkdirSync(pkiDir, { recursive: true });
      opcua = await startOpcuaServer({ host, port, pkiDir, plant, alarmConditions: options.opcuaConditions ?? true });
      log(`OPC UA server on ${opcua.endpoint}`);
    }
  } catch (err) {
    await modbus.stop();
    throw new Error(`the simulator could not start: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  plant.start(options.stepMs ?? 100, speed);

  let closing: Promise<void> | null = null;
  return {
    get modbusPort() {
      return modbus.port;
    },
    opcuaEndpoint: opcua?.endpoint ?? null,
    host,
    plant,
    substations,
    tagCount: plant.tagCount,
    simTime: () => plant.simTime(),
    read: (tag) => plant.read(tag),
    write: (tag, value) => plant.write(tag, value),
    injectFault: (f) => {
      const fault = plant.injectFault(f);
      log(
        `fault ${fault.kind} severity ${fault.severity} on SS${String(f.substation ?? 1).padStart(2, '0')}${fault.target ? ` (${fault.target})` : ''} from ${new Date(fault.startsAt).toISOString()}`,
      );
    },
    clearFaults: () => plant.clearFaults(),
    stopModbus: async () => {
      await modbus.stop();
      log('Modbus TCP server stopped');
    },
    startModbus: async () => {
      await modbus.start();
      log(`Modbus TCP server on ${host}:${modbus.port} again`);
    },
    close: () =>
      (closing ??= (async () => {
        plant.stop();
        await modbus.stop();
        await opcua?.stop();
      })()),
  };
}

function defaultPkiDir(): string {
  // Kept between runs so the server certificate is generated once, never in the repository.
  const dir = join(tmpdir(), `argus-simulator-pki-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return mkdtempSync(join(tmpdir(), 'argus-simulator-pki-'));
  }
}
