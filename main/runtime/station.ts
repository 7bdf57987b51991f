/**
 * The composition root of the station runtime. Starts services in order (built-in
 * simulator if the project asks for it → tag table → drivers) and stops them in
 * reverse. Both front doors (Electron IPC, the station server's WebSocket) sit on
 * the `StationRuntime` this returns.
 */
import { isBuiltinSimulatorDevice, type ProjectConfig, type DeviceConfig } from './config/schema.js';
import { loadProjectFile } from './config/load-project.js';
import { TagTable } from './tags/tag-table.js';
import { HistoryFeed } from './tags/history-feed.js';
import { DeviceRegistry } from './devices/device-registry.js';
import { tagIntervalMs } from './devices/driver-factory.js';
import { prepareDataDir, appVersion } from './app-paths.js';
import type { Logger } from './logging/logger.js';
import { createRequestHandlers } from './api/request-handlers.js';
import { openPreferenceStore } from './preferences/preference-store.js';
import type { DispatchTarget, RequestHandlers } from './api/dispatch.js';
import { openSecurityServices, type SecurityServices } from './security/security-services.js';
import type { DemoAccount } from './api/auth-handlers.js';
import { RuntimeEvents } from './api/runtime-events.js';
import { openHistorian, resolveStoragePolicy, type Historian } from './historian/index.js';
import { join } from 'node:path';
import { AlarmService } from './alarms/alarm-service.js';
import {
  ensureReserve,
  freeBytesOf,
  isStorageFullError,
  releaseReserve,
  storageVerdict,
  type StorageStatus,
} from './storage/data-volume.js';
import { ModelRegistry } from './predictions/model-registry.js';
import { outputTag, PredictionService } from './predictions/prediction-service.js';
import { StationPredictions } from './predictions/station-predictions.js';
import { areaOfTag, confirmWarnings, DEFAULT_WARNING_HORIZON_MS } from './predictions/warning-confirmation.js';
import { builtInModelsDir } from './app-paths.js';
import { bindOpcuaConditions } from './alarms/opcua-conditions.js';
import type { PlantStarter, StartedPlant } from './plant.js';

export interface StationOptions {
  readonly projectFile: string;
  readonly dataDir: string;
  readonly mode: 'desktop' | 'station';
  readonly log: Logger;
  /**
   * Create demo accounts (one per role, random passwords shown on the sign-in screen).
   * Only for a console that nobody else can reach: the caller decides (bound to 127.0.0.1).
   */
  readonly demoUsers?: boolean;
  /** Lock an idle console after this many minutes (0: never); default 15. */
  readonly idleLockMinutes?: number;
  /** Space kept in reserve on the data volume so a full disk still starts (read-only); default 8 MiB. */
  readonly reserveBytes?: number;
  /** Built-in model packages; default the application's `models/` folder, null for none. */
  readonly modelsDir?: string | null;
  /** The history database; default `<data>/history/history.db`. */
  readonly historyFile?: string;
  /** Starts the built-in simulated plant for a project whose devices use it (the entry points pass `startSimulator`). */
  readonly startPlant?: PlantStarter;
}

export interface StationRuntime {
  readonly project: ProjectConfig;
  readonly projectFile: string;
  readonly mode: 'desktop' | 'station';
  readonly version: string;
  readonly startedAt: number;
  readonly tags: TagTable;
  readonly devices: DeviceRegistry;
  readonly handlers: RequestHandlers;
  readonly security: SecurityServices;
  /** What the front doors hand to `dispatch`. */
  readonly dispatchTarget: DispatchTarget;
  readonly demoAccounts: readonly DemoAccount[] | null;
  readonly historian: Historian;
  /** ISA-18.2 alarms: engine, journal, commands. */
  readonly alarms: AlarmService;
  /** Read-only (with the reason) when start-up found the data volume full or the audit trail unwritable. */
  readonly storage: StorageStatus;
  /** ONNX models on a schedule: outputs as tags, predictive alarms. */
  readonly predictions: StationPredictions;
  /** Events for windows besides tag values and devices (export progress, historian status). */
  readonly events: RuntimeEvents;
  /** The in-process simulator when the project runs on the built-in plant. */
  readonly simulator: StartedPlant | null;
  readonly log: Logger;
  /** Expected update interval per tag, ms. */
  intervalOf(tag: string): number;
  stop(): Promise<void>;
}

/** Fill in the built-in simulator's endpoints for devices that point at it. */
function bindToSimulator(device: DeviceConfig, sim: StartedPlant): DeviceConfig {
  if (!isBuiltinSimulatorDevice(device) || device.protocol === 'modbus-rtu') return device;
  if (device.protocol === 'modbus-tcp') return { ...device, host: sim.host, port: sim.modbusPort };
  if (!sim.opcuaEndpoint)
    throw new Error(`device ${device.name} uses the built-in simulator's OPC UA server, which is not running`);
  return { ...device, endpointUrl: sim.opcuaEndpoint };
}

export async function startStation(options: StationOptions): Promise<StationRuntime> {
  const { log } = options;
  const data = prepareDataDir(options.dataDir);
  let project = loadProjectFile(options.projectFile);
  const usesSimulator = project.devices.some(isBuiltinSimulatorDevice);

  let simulator: StartedPlant | null = null;
  const stops: Array<() => Promise<void>> = [];
  try {
    // Bound once the alarm service runs: Argus's own failures become system alarms.
    let raiseSystem: AlarmService['raiseSystem'] = () => undefined;
    // A full data volume: give back the reserve and start read-only rather than not at all.
    let releasedReserve = false;
    let openError: string | undefined;
    const openSecurity: typeof openSecurityServices = (dir, opts) => {
      try {
        return openSecurityServices(dir, opts);
      } catch (err) {
        if (!isStorageFullError(err) || !releaseReserve(dir)) throw err;
        releasedReserve = true;
        openError = err instanceof Error ? err.message : String(err);
        log.error({ err }, 'the data volume is full: the reserve was released to start read-only');
        return openSecurityServices(dir, opts);
      }
    };
    const security = openSecurity(data.root, {
      ...(options.idleLockMinutes !== undefined ? { sessions: { idleLockMs: options.idleLockMinutes * 60_000 } } : {}),
      onAuditWriteFailure: (err, input) => {
        log.error({ err, action: input.action, actor: input.actor }, 'audit trail write failed');
        raiseSystem('AUDIT', true, {
          priority: 'high',
          latch: true,
          message: {
            en: `Audit trail cannot be written (${input.action} refused or unrecorded)`,
            zh: `审计记录无法写入(${input.action} 被拒绝或未记录)`,
          },
          action: {
            en: 'Check free disk space and the audit.db file in the data folder.',
            zh: '检查数据目录的磁盘空间和 audit.db 文件。',
          },
        });
        raiseSystem('AUDIT', false, {
          priority: 'high',
          latch: true,
          message: {
            en: `Audit trail cannot be written (${input.action} refused or unrecorded)`,
            zh: `审计记录无法写入(${input.action} 被拒绝或未记录)`,
          },
        });
      },
    });
    stops.push(async () => {
      try {
        security.audit.append({ actor: 'system', role: '', source: options.mode, action: 'system.stop', details: {} });
      } catch {
        // reported through onAuditWriteFailure; stopping goes ahead
      }
      security.close();
    });
    // A cut or forged audit tail is said at every start (log, the start entry, health, a system alarm), never passed over.
    const auditIntegrity = security.audit.integrity();
    if (!auditIntegrity.ok)
      log.error({ problems: auditIntegrity.problems }, 'the audit trail does not match its checkpoint');
    let auditWritable = true;
    try {
      security.audit.append({
        actor: 'system',
        role: '',
        source: options.mode,
        action: 'system.start',
        details: {
          version: appVersion(),
          project: project.name,
          ...(auditIntegrity.ok ? {} : { auditIntegrity: auditIntegrity.problems.slice(-5) }),
        },
      });
    } catch {
      auditWritable = false; // reported through onAuditWriteFailure
    }
    const storage = storageVerdict({
      releasedReserve,
      freeBytes: freeBytesOf(data.root),
      auditWritable,
      ...(openError ? { openError } : {}),
    });
    if (storage.mode === 'read-only') log.error({ reason: storage.reason }, 'the station starts read-only');
    else if (!ensureReserve(data.root, options.reserveBytes))
      log.warn({ freeBytes: storage.freeBytes }, 'no room for the storage reserve on the data volume');
    const demoAccounts = await prepareDemoAccounts(security, options.demoUsers === true, options.mode, log);
    const sweep = setInterval(() => security.auth.sweep(), 15_000);
    sweep.unref();
    stops.push(async () => clearInterval(sweep));

    if (usesSimulator) {
      const settings = project.simulator;
      if (!options.startPlant)
        throw new Error(
          `${options.projectFile}: the project's devices use the built-in simulator, which this entry point does not run`,
        );
      simulator = await options.startPlant({
        substations: settings?.substations ?? 1,
        speed: settings?.speed ?? 1,
        modbusPort: settings?.modbusPort ?? 0,
        opcuaPort: settings?.opcuaPort ?? 0,
        opcua: project.devices.some((d) => isBuiltinSimulatorDevice(d) && d.protocol === 'opcua'),
        pkiDir: data.pki + '-simulator',
        log: (msg) => log.info({ component: 'simulator' }, msg),
      });
      const sim = simulator;
      stops.push(() => sim.close());
      project = { ...project, devices: project.devices.map((d) => bindToSimulator(d, sim)) };
      log.info({ modbusPort: sim.modbusPort, opcua: sim.opcuaEndpoint }, 'built-in simulated plant started');
    }

    const tags = new TagTable(project.tags.map((t) => t.name));
    const events = new RuntimeEvents();

    // History: every sample goes in (the storage policy decides what is kept). Opening never
    // throws: a damaged or unwritable file is moved aside or reported, and live values flow on.
    const policies = new Map(project.tags.map((t) => [t.name, resolveStoragePolicy(t.history, t)]));
    const historian = openHistorian({
      file: options.historyFile ?? join(data.history, 'history.db'),
      policies: (tag) => policies.get(tag) ?? resolveStoragePolicy(undefined, { kind: 'analog' }),
      log: log.child({ component: 'historian' }),
    });
    stops.push(() => historian.close());
    const feed = new HistoryFeed();
    const stopIngest = tags.subscribe((updates) => {
      const fresh = feed.select(updates);
      if (fresh.length > 0) historian.ingest(fresh);
    });
    const stopStatus = historian.onStatus((status) => events.emit('history.status', status, 'view'));
    stops.push(async () => {
      stopIngest();
      stopStatus();
    });
    const devices = new DeviceRegistry(project, tags, { pkiDir: data.pki, log }, log);
    stops.push(() => devices.stop());

    // Alarms follow the tag table from the first sample; their journal lives beside the history.
    const alarms = new AlarmService({
      project,
      tags,
      devices,
      file: join(data.root, 'alarms.db'),
      log: log.child({ component: 'alarms' }),
    });
    stops.push(() => alarms.stop());
    alarms.start();
    // OPC UA servers' own alarm conditions join the list (devices with `conditions: true`).
    const stopConditions = bindOpcuaConditions(
      alarms,
      devices.conditionFeeds(),
      log.child({ component: 'opcua-conditions' }),
    );
    stops.push(async () => stopConditions());
    raiseSystem = (...args) => alarms.raiseSystem(...args);
    if (storage.mode === 'read-only') {
      alarms.raiseSystem('STORAGE', true, {
        priority: 'high',
        latch: true,
        message: { en: `Station read-only: ${storage.reason}`, zh: `站点只读:${storage.reason}` },
        action: { en: 'Free space on the data volume, then restart the station.', zh: '释放数据卷空间,然后重启站点。' },
      });
    }
    if (!auditIntegrity.ok) {
      alarms.raiseSystem('AUDIT-INTEGRITY', true, {
        priority: 'high',
        latch: true,
        message: {
          en: `Audit trail does not match its checkpoint: ${auditIntegrity.problems.at(-1) ?? ''}`,
          zh: `审计记录与检查点不符:${auditIntegrity.problems.at(-1) ?? ''}`,
        },
        action: {
          en: 'Run npm run audit:verify on the data folder and compare with a backup.',
          zh: '对数据目录运行 npm run audit:verify 并与备份比较。',
        },
      });
    }
    const historianAlarm = (status: { level: string; message: string }) =>
      alarms.raiseSystem('HISTORIAN', status.level !== 'ok', {
        priority: status.level === 'unavailable' ? 'high' : 'medium',
        message: { en: `History: ${status.message}`, zh: `历史库:${status.message}` },
        action: {
          en: 'Check free disk space and the history file in the data folder; live values continue.',
          zh: '检查数据目录的磁盘空间和历史文件;实时数据不受影响。',
        },
      });
    historianAlarm(historian.status());
    const stopHistorianAlarm = historian.onStatus(historianAlarm);
    stops.push(async () => stopHistorianAlarm());
    // Models: built-in packages and those imported into the data folder; a package that does
    // not load is listed with its error and never stops the station.
    const predictionService = new PredictionService({
      tags,
      history: historian,
      alarms,
      log: log.child({ component: 'predictions' }),
    });
    const predictions = new StationPredictions(
      new ModelRegistry({
        builtInDir: options.modelsDir === undefined ? builtInModelsDir() : options.modelsDir,
        dataDir: join(data.root, 'models'),
      }),
      predictionService,
      log.child({ component: 'predictions' }),
      (model) => {
        // Predictive alarms of a model are on its output tags: `<area>.<model>.<output>`.
        // Confirmed: a conventional alarm in the same area followed within the lead horizon.
        const m = predictionService.get(model)?.manifest;
        if (!m) return 0;
        const prefix = outputTag(m, m.output.values[0]!).replace(/[^.]+$/, '');
        const to = Date.now();
        const from = to - 86_400_000;
        const warnings = [...alarms.journal.iterate({ from, to, kind: 'activated', tag: prefix })];
        const areas = new Set(warnings.map((w) => areaOfTag(w.tag)).filter((a) => a !== null));
        const conventional = [...areas].flatMap((area) =>
          [...alarms.journal.iterate({ from, to, kind: 'activated', tag: `${area}.` })].filter(
            (r) => r.source !== 'predictive' && !r.tag?.startsWith(prefix),
          ),
        );
        const horizonMin = Math.max(0, ...m.output.values.map((o) => o.horizonMin ?? 0));
        return confirmWarnings(
          warnings,
          conventional,
          horizonMin > 0 ? horizonMin * 60_000 : DEFAULT_WARNING_HORIZON_MS,
        );
      },
    );
    stops.push(() => predictions.stop());
    await predictions.start();
    await devices.start();

    const devicesByName = new Map(project.devices.map((d) => [d.name, d]));
    const intervals = new Map(
      project.tags.map((t) => {
        const device = devicesByName.get(t.device);
        return [t.name, device ? tagIntervalMs(t, device) : 1000];
      }),
    );

    const intervalOf = (tag: string): number => intervals.get(tag) ?? 1000;
    const version = appVersion();
    const preferences = openPreferenceStore(data.root);
    stops.push(async () => preferences.close());
    const handlers = createRequestHandlers({
      project,
      mode: options.mode,
      version,
      simulated: usesSimulator,
      tags,
      devices,
      security,
      demoAccounts,
      historian,
      dataDir: data.root,
      projectFile: options.projectFile,
      pkiDir: data.pki,
      // Progress (with the file name) goes only to the window that started the export.
      onExportProgress: (event, sessionId) =>
        events.emit('history.exportProgress', event, 'history.export', sessionId ?? ''),
      alarms,
      predictions,
      // Progress of an export or a backfill goes to the session that started it, nobody else.
      onAlarmExportProgress: (event, caller) =>
        events.emit('alarms.exportProgress', event, 'history.export', caller.session.get() ?? ''),
      onBackfillProgress: (event, caller) =>
        events.emit('models.backfillProgress', event, 'model.manage', caller.session.get() ?? ''),
      intervalOf,
      preferences,
    });
    let stopping: Promise<void> | null = null;
    return {
      project,
      projectFile: options.projectFile,
      mode: options.mode,
      version,
      startedAt: Date.now(),
      tags,
      devices,
      handlers,
      security,
      dispatchTarget: { handlers, auth: security.auth, log, readOnlyReason: storage.reason },
      storage,
      demoAccounts,
      historian,
      alarms,
      predictions,
      events,
      simulator,
      log,
      intervalOf,
      stop: () => (stopping ??= stopInReverse(stops, log)),
    };
  } catch (err) {
    await stopInReverse(stops, log);
    throw err;
  }
}

/**
 * Demo accounts exist only on a loopback demo start: there they are renewed (fresh
 * passwords; one an administrator disabled stays disabled), at any other start they are
 * retired. Each change is its own `user.change` entry by `system`. If the trail cannot be
 * written, no demo account is offered.
 */
async function prepareDemoAccounts(
  security: SecurityServices,
  demo: boolean,
  source: string,
  log: Logger,
): Promise<DemoAccount[] | null> {
  const { users, audit } = security;
  const record = (target: string, details: Record<string, string | string[]>): void =>
    void audit.append({ actor: 'system', role: '', source, action: 'user.change', target, details });
  if (!demo) {
    let retired: string[];
    try {
      retired = users.retireDemoUsers();
    } catch (err) {
      // security.db cannot be written (full disk): they cannot sign in either, as no login can be recorded
      log.error({ err }, 'demo accounts could not be retired');
      return null;
    }
    for (const name of retired) {
      try {
        record(name, {
          change: 'demo-retire',
          reason: 'demo accounts exist only while a demo runs bound to this machine',
        });
      } catch {
        // reported by the trail; retiring only takes access away
      }
    }
    if (retired.length > 0)
      log.info({ accounts: retired }, 'demo accounts retired: this start is not a demo bound to this machine');
    return null;
  }
  try {
    record('demo-*', { change: 'demo-renew', result: 'requested' });
  } catch (err) {
    log.error({ err }, 'demo accounts not offered: the audit trail cannot be written');
    return null;
  }
  let renewed: Awaited<ReturnType<typeof users.renewDemoUsers>>;
  try {
    renewed = await users.renewDemoUsers();
  } catch (err) {
    log.error({ err }, 'demo accounts not offered: they could not be renewed');
    return null;
  }
  for (const name of renewed.created) record(name, { change: 'demo-create' });
  for (const name of renewed.renewed)
    record(name, { change: 'demo-renew', reason: 'new password at a loopback demo start' });
  if (renewed.keptDisabled.length > 0)
    log.info({ accounts: renewed.keptDisabled }, 'demo accounts left disabled (an administrator disabled them)');
  return renewed.accounts;
}

async function stopInReverse(stops: Array<() => Promise<void>>, log: Logger): Promise<void> {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (err) {
      log.warn({ err }, 'a service did not stop cleanly');
    }
  }
}
