/**
 * The runtime's implementation of the contract. Params arrive validated and the caller
 * authorized for the request (see dispatch.ts); handlers add the finer checks (areas,
 * tag limits) and throw ContractFailure to refuse.
 */
import { consoleScreens } from '../config/project-screens.js';
import type { TagInfo } from '../../../preload/contract.js';
import type { ProjectConfig } from '../config/schema.js';
import type { TagTable } from '../tags/tag-table.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import { toTagValueDto } from '../tags/tag-dto.js';
import type { SecurityServices } from '../security/security-services.js';
import { tagVisibleTo } from './visibility.js';
import type { Historian } from '../historian/index.js';
import type { ExportProgressEvent } from '../historian/history-requests.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';
import { createAuthHandlers, type DemoAccount } from './auth-handlers.js';
import { createWriteHandler } from './write-handler.js';
import { createAdminHandlers } from './admin-handlers.js';
import { createHistoryHandlers } from './history-handlers.js';
import { createEngineeringHandlers } from './engineering-handlers.js';
import { createAlarmHandlers, type AlarmHandlerDeps } from './alarm-handlers.js';
import type { AlarmService } from '../alarms/alarm-service.js';
import type { StationPredictions } from '../predictions/station-predictions.js';
import { createPredictionHandlers, type BackfillProgress } from './prediction-handlers.js';
import type { Caller } from './caller.js';
import type { PreferenceStore } from '../preferences/preference-store.js';
import { createPreferenceHandlers } from './preference-handlers.js';

export interface HandlerDeps {
  readonly project: ProjectConfig;
  readonly mode: 'desktop' | 'station';
  readonly version: string;
  readonly simulated: boolean;
  readonly tags: TagTable;
  readonly devices: DeviceRegistry;
  readonly security: SecurityServices;
  readonly demoAccounts: readonly DemoAccount[] | null;
  readonly historian: Historian | null;
  readonly dataDir: string;
  readonly projectFile: string;
  /** The OPC UA client's certificate folder. */
  readonly pkiDir: string;
  /** An export's progress, for the session that started it (null: no session, e.g. a tool). */
  readonly onExportProgress: (event: ExportProgressEvent, sessionId: string | null) => void;
  readonly alarms: AlarmService;
  readonly predictions: StationPredictions;
  readonly onBackfillProgress: (event: BackfillProgress, caller: Caller) => void;
  readonly onAlarmExportProgress: AlarmHandlerDeps['onExportProgress'];
  /** Per-user preferences (trend sets, language, theme). */
  readonly preferences: PreferenceStore;
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
      critical: t.critical,
      intervalMs: intervalOf(t.name),
    };
    if (t.range) info.range = t.range;
    if (t.normal) info.normal = t.normal;
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
    // Model outputs are tags too; they come and go with the models that run.
    'tags.list': (_p, caller) =>
      [...tagInfos, ...deps.predictions.service.tagInfos()].filter((t) => tagVisibleTo(caller.principal, t.name)),
    'tags.read': ({ tags: names }, caller) => {
      if (!names) return Array.from(tags.all(), toTagValueDto).filter((v) => tagVisibleTo(caller.principal, v.tag));
      const unknown = names.filter((n) => !tags.has(n));
      if (unknown.length > 0)
        throw new ContractFailure(
          'NOT_FOUND',
          `unknown tag${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}`,
        );
      const hidden = names.filter((n) => !tagVisibleTo(caller.principal, n));
      if (hidden.length > 0)
        throw new ContractFailure('FORBIDDEN', `outside your plant areas: ${hidden.slice(0, 10).join(', ')}`);
      return names.map((n) => toTagValueDto(tags.get(n)!));
    },
    'tags.watch': ({ tags: names }, caller) => {
      caller.watchTags?.(names === null ? null : new Set(names));
      const samples =
        names === null ? Array.from(tags.all()) : names.map((n) => tags.get(n)).filter((s) => s !== undefined);
      return samples.filter((s) => tagVisibleTo(caller.principal, s.tag)).map(toTagValueDto);
    },
    'devices.list': () => devices.list(),
    'screens.list': () => consoleScreens(project),
    ...createAuthHandlers({
      security: deps.security,
      demoAccounts: deps.demoAccounts,
      firstAdminFromUi: deps.mode === 'desktop',
    }),
    ...createWriteHandler({ project, tags, devices, audit: deps.security.audit }),
    ...createAdminHandlers(deps.security),
    ...createEngineeringHandlers({
      project,
      projectFile: deps.projectFile,
      devices,
      security: deps.security,
      pkiDir: deps.pkiDir,
    }),
    ...createHistoryHandlers({
      historian: deps.historian,
      project,
      security: deps.security,
      dataDir: deps.dataDir,
      onExportProgress: deps.onExportProgress,
      // Model outputs are trendable like any tag.
      runtimeTag: (tag) => deps.predictions.service.tagInfos().some((t) => t.name === tag),
    }),
    ...createPredictionHandlers(deps.predictions, deps.security, deps.onBackfillProgress),
    ...createPreferenceHandlers(deps.preferences),
    ...createAlarmHandlers({
      alarms: deps.alarms,
      security: deps.security,
      projectFile: deps.projectFile,
      dataDir: deps.dataDir,
      onExportProgress: deps.onAlarmExportProgress,
    }),
  };
}
