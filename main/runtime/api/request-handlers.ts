/**
 * The runtime's implementation of the contract's requests. Params arrive already
 * validated (see dispatch.ts); refusals are thrown as ContractFailure.
 */
import type { TagInfo } from '../../../preload/contract.js';
import type { ProjectConfig } from '../config/schema.js';
import type { TagTable } from '../tags/tag-table.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { toTagValueDto } from '../tags/tag-dto.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

export interface HandlerDeps {
  readonly project: ProjectConfig;
  readonly mode: 'desktop' | 'station';
  readonly version: string;
  readonly simulated: boolean;
  readonly tags: TagTable;
  readonly devices: DeviceRegistry;
  intervalOf(tag: string): number;
}

export function tagInfoList(project: ProjectConfig, intervalOf: (tag: string) => number): TagInfo[] {
  return project.tags.map((t) => {
    const info: TagInfo = {
      name: t.name,
      device: t.device,
      description: t.description,
      unit: t.unit,
      kind: t.kind,
      decimals: t.decimals,
      writable: t.writable,
      intervalMs: intervalOf(t.name),
    };
    if (t.range) info.range = t.range;
    if (t.states) info.states = t.states;
    return info;
  });
}

export function createRequestHandlers(deps: HandlerDeps): RequestHandlers {
  const { project, tags, devices } = deps;
  const tagInfos = tagInfoList(project, deps.intervalOf);
  return {
    'session.info': () => ({
      product: 'Argus',
      version: deps.version,
      mode: deps.mode,
      projectName: project.name,
      simulated: deps.simulated,
      serverTime: Date.now(),
    }),
    'tags.list': () => tagInfos,
    'tags.read': ({ tags: names }) => {
      if (!names) return Array.from(tags.all(), toTagValueDto);
      const unknown = names.filter((n) => !tags.has(n));
      if (unknown.length > 0) throw new ContractFailure('NOT_FOUND', `unknown tag${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}`);
      return names.map((n) => toTagValueDto(tags.get(n)!));
    },
    'devices.list': () => devices.list(),
    'screens.list': () => project.screens,
  };
}
