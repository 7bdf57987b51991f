/**
 * The demo project rebound to a simulator running in another process: the same tags and
 * screens, with the devices pointing at given ports instead of the built-in simulator.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';

export const demoProjectPath = new URL('../../assets/demo/plant.yaml', import.meta.url).pathname;

export function readDemoProject(): ProjectConfig {
  return parse(readFileSync(demoProjectPath, 'utf8')) as ProjectConfig;
}

export interface ExternalPlant {
  readonly modbusPort: number;
  readonly opcuaPort: number;
  /** Poll/sampling interval for every device, ms (defaults to the demo's own). */
  readonly intervalMs?: number;
}

export function writeProjectForExternalSimulator(dir: string, plant: ExternalPlant): string {
  const project = readDemoProject() as ProjectConfig & { simulator?: unknown };
  delete project.simulator;
  project.devices = project.devices.map((device) => {
    if (device.protocol === 'modbus-tcp') {
      return {
        ...device,
        builtinSimulator: false,
        host: '127.0.0.1',
        port: plant.modbusPort,
        ...(plant.intervalMs ? { pollMs: plant.intervalMs } : {}),
      };
    }
    if (device.protocol !== 'opcua') return device;
    return {
      ...device,
      builtinSimulator: false,
      endpointUrl: `opc.tcp://127.0.0.1:${plant.opcuaPort}`,
      ...(plant.intervalMs
        ? { samplingMs: plant.intervalMs, publishingMs: Math.min(device.publishingMs ?? 250, plant.intervalMs) }
        : {}),
    };
  });
  // Drawn (SVG) screens are files beside the demo project: point at them from the copy's folder.
  project.screens = (project.screens ?? []).map((s) =>
    s.svg && !isAbsolute(s.svg) ? { ...s, svg: resolve(dirname(demoProjectPath), s.svg) } : s,
  );
  const file = join(dir, 'plant.yaml');
  writeFileSync(file, stringify(project));
  return file;
}

/** Tags of the demo project by the protocol of their device. */
export function demoTagsByProtocol(project: ProjectConfig = readDemoProject()): { modbus: string[]; opcua: string[] } {
  const protocolOf = new Map(project.devices.map((d) => [d.name, d.protocol]));
  const modbus: string[] = [];
  const opcua: string[] = [];
  for (const tag of project.tags) (protocolOf.get(tag.device) === 'opcua' ? opcua : modbus).push(tag.name);
  return { modbus, opcua };
}

/**
 * A writable copy of the demo project in `dir` (engineering requests edit the file; the
 * built-in demo is read-only), with the SVG screens it names beside it. Returns its path.
 */
export function copyDemoProject(dir: string): string {
  const file = join(dir, 'plant.yaml');
  writeFileSync(file, readFileSync(demoProjectPath, 'utf8'));
  cpSync(join(dirname(demoProjectPath), 'screens'), join(dir, 'screens'), { recursive: true });
  return file;
}
