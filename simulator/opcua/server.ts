/**
 * The simulator's OPC UA server (node-opcua): Objects/SSkk/<equipment>/<signal>, analog
 * values as AnalogItems with EngineeringUnits and EURange, setpoints writable.
 *
 * Values change with the physics steps (every 100 ms of real time by default), and each
 * change is a DataValue stamped with the time of the step that produced it (a change seen
 * between steps, a write, with the time it was seen):
 *  - sampled monitored items (samplingInterval > 0) read the DataValue of the latest step;
 *    a sample within the same step is no change, so nothing is sent twice, and a read costs
 *    no new DataValue unless the value moved;
 *  - items that ask to be told of every change (samplingInterval 0: the variables'
 *    MinimumSamplingInterval is 0, so node-opcua serves them on change, without a sampling
 *    timer) get each step's new value pushed to them right after the step. Only variables
 *    somebody watches this way are pushed, so 16,000 variables cost nothing between reads.
 */
import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  OPCUAServer,
  OPCUACertificateManager,
  RegisterServerMethod,
  MessageSecurityMode,
  SecurityPolicy,
  Variant,
  DataValue,
  DataType,
  StatusCodes,
  AccessLevelFlag,
  AccessRestrictionsFlag,
  PermissionFlag,
  WellKnownRoles,
  type Namespace,
  type UAObject,
  type UAVariable,
  type StatusCode,
} from 'node-opcua';
import { catalog, equipmentNames, substationPrefix, type TagDefinition } from '../catalog.js';
import type { Plant } from '../plant.js';
import { engineeringUnits } from './units.js';
import { publishAlarmConditions, type AlarmBit, type SubstationConditions } from './conditions.js';

export interface OpcuaServerOptions {
  readonly host: string;
  /** A concrete port (node-opcua cannot listen on 0). */
  readonly port: number;
  readonly pkiDir: string;
  readonly plant: Plant;
  /** The variables' MinimumSamplingInterval, ms; default 0: changes are pushed after each physics step, so a client may ask for every change. */
  readonly minimumSamplingIntervalMs?: number;
  /** Publish the alarm word bits as OPC UA alarm conditions (Alarms & Conditions); default true. */
  readonly alarmConditions?: boolean;
}

export interface RunningOpcuaServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const dataTypes = {
  Double: DataType.Double,
  Boolean: DataType.Boolean,
  UInt32: DataType.UInt32,
  UInt16: DataType.UInt16,
} as const;

function variantOf(t: TagDefinition, value: number | boolean): Variant {
  const dataType = dataTypes[t.opcuaDataType];
  if (dataType === DataType.Boolean) return new Variant({ dataType, value: Boolean(value) });
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return new Variant({ dataType, value: dataType === DataType.Double ? n : Math.max(0, Math.round(n)) });
}

export async function startOpcuaServer(options: OpcuaServerOptions): Promise<RunningOpcuaServer> {
  const pki = join(options.pkiDir, 'pki');
  mkdirSync(pki, { recursive: true });
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: pki,
    automaticallyAcceptUnknownCertificate: true,
  });
  const server = new OPCUAServer({
    host: options.host,
    hostname: options.host,
    port: options.port,
    serverCertificateManager,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [
      SecurityPolicy.None,
      SecurityPolicy.Basic256Sha256,
      SecurityPolicy.Aes128_Sha256_RsaOaep,
      SecurityPolicy.Aes256_Sha256_RsaPss,
    ],
    allowAnonymous: true,
    buildInfo: {
      productName: 'Argus simulated district-heating plant',
      manufacturerName: 'Argus',
      softwareVersion: '0.1.0',
    },
    serverInfo: {
      applicationUri: 'urn:argus:simulator',
      productUri: 'urn:argus:simulator',
      applicationName: { text: 'Argus simulator', locale: 'en' },
    },
    serverCapabilities: {
      maxSessions: 50,
      operationLimits: { maxMonitoredItemsPerCall: 100_000, maxNodesPerRead: 100_000, maxNodesPerBrowse: 10_000 },
    },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const values = new StepValues(options.plant);
  const alarmBits = buildAddressSpace(
    namespace,
    addressSpace.rootFolder.objects as unknown as UAObject,
    options,
    values,
  );
  const stopPushing = options.plant.onStep(() => values.afterStep());
  let stopConditions = (): void => undefined;
  if (options.alarmConditions ?? true) {
    addressSpace.installAlarmsAndConditionsService();
    const published: SubstationConditions[] = alarmBits.map((bits, i) => {
      const stationFolder = namespace.findNode(`ns=${namespace.index};s=${substationPrefix(i + 1)}`) as UAObject;
      return publishAlarmConditions(
        addressSpace,
        namespace,
        stationFolder,
        substationPrefix(i + 1),
        options.plant.substations[i]!,
        bits,
      );
    });
    stopConditions = options.plant.onStep(() => {
      for (const p of published) p.update();
    });
  }
  await server.start();
  const endpoint = `opc.tcp://${options.host}:${options.port}`;
  return {
    endpoint,
    stop: async () => {
      stopPushing();
      stopConditions();
      await server.shutdown(0);
    },
  };
}

/** One variable's current value as a DataValue, rebuilt only when the value moves. */
class StepValue {
  private dataValue: DataValue | null = null;
  private raw: number | boolean | null = null;
  private step = -1;

  constructor(
    private readonly values: StepValues,
    private readonly definition: TagDefinition,
    private readonly read: () => number | boolean,
  ) {}

  /** The DataValue of the latest step: the same object until the value changes. */
  current(): DataValue {
    const raw = this.read();
    if (this.dataValue && raw === this.raw) return this.dataValue;
    // Changed by a step since the last look: the step's time; changed within a step (a write): now.
    const at = this.values.step !== this.step ? this.values.stepTime() : new Date();
    this.raw = raw;
    this.step = this.values.step;
    this.dataValue = new DataValue({
      value: variantOf(this.definition, raw),
      sourceTimestamp: at,
      serverTimestamp: at,
    });
    return this.dataValue;
  }
}

interface Watched {
  readonly value: StepValue;
  /** The DataValue last pushed to the listeners. */
  pushed: DataValue | null;
}

/** The variables' values, step by step; pushes each step's changes to the variables watched on change. */
class StepValues {
  step = 0;
  /** Variables with a listener for every change (node-opcua's on-change monitored items). */
  private readonly watched = new Map<UAVariable, Watched>();

  constructor(private readonly plant: Plant) {}

  stepTime(): Date {
    return new Date(this.plant.lastStepWallMs);
  }

  bind(variable: UAVariable, value: StepValue): void {
    const emitter = variable as unknown as EventEmitter;
    emitter.on('newListener', (event: string | symbol) => {
      if (event === 'value_changed' && !this.watched.has(variable))
        this.watched.set(variable, { value, pushed: value.current() });
    });
    emitter.on('removeListener', (event: string | symbol) => {
      if (event === 'value_changed' && emitter.listenerCount('value_changed') === 0) this.watched.delete(variable);
    });
  }

  afterStep(): void {
    this.step += 1;
    for (const [variable, watched] of this.watched) {
      const now = watched.value.current();
      if (now === watched.pushed) continue;
      watched.pushed = now;
      // As node-opcua does for a value set from source: each listener gets its own copy.
      variable.emit('value_changed', now.clone());
    }
  }
}

type ReadCallback = (err: Error | null, dataValue?: DataValue) => void;

/**
 * A sampled monitored item reads its variable's Value every sampling interval through
 * `readValueAsync`. node-opcua's own path checks the session's access and permissions, then
 * refreshes the value through the getter and stores a copy, on every sample: 1,650 items
 * sampled every 100 ms (a station at 50 substations) took most of the simulator's CPU, and the
 * Modbus server's answers queued behind it. Here the sample is the step's DataValue itself:
 * what node-opcua checks is the same for every session (`variableAccess`: readable by all, no
 * access restrictions), and the monitored item copies what it keeps (`extractRange`,
 * `_enqueue_value`), so the shared DataValue is never changed by it.
 */
function answerSamplesFromStep(variable: UAVariable, value: StepValue): void {
  const read = (_context: unknown, callback?: ReadCallback): Promise<DataValue> | undefined => {
    const dataValue = value.current();
    if (!callback) return Promise.resolve(dataValue);
    callback(null, dataValue);
    return undefined;
  };
  Object.defineProperty(variable, 'readValueAsync', { value: read, configurable: true, writable: true });
}

/**
 * Permissions and access restrictions stated on each variable. Without them node-opcua looks
 * the namespace's defaults up through the Server object's NamespaceMetadata on every read,
 * sampled ones included (a quarter of the server's CPU at 10,000 monitored items). Every
 * session may browse, read and write, as when nothing was stated: whether a value can be
 * written is the AccessLevel's to say (a measurement answers BadNotWritable).
 */
const variableAccess = {
  rolePermissions: [WellKnownRoles.Anonymous, WellKnownRoles.AuthenticatedUser].map((roleId) => ({
    roleId,
    permissions:
      PermissionFlag.Browse |
      PermissionFlag.ReadRolePermissions |
      PermissionFlag.Read |
      PermissionFlag.Write |
      PermissionFlag.ReceiveEvents,
  })),
  accessRestrictions: AccessRestrictionsFlag.None,
};

/** Builds the folders and variables; returns each substation's alarm word bits with their variables. */
function buildAddressSpace(
  namespace: Namespace,
  objects: UAObject,
  options: OpcuaServerOptions,
  values: StepValues,
): AlarmBit[][] {
  const { plant } = options;
  const alarmBits: AlarmBit[][] = [];
  const minimumSamplingInterval = options.minimumSamplingIntervalMs ?? 0;
  plant.substations.forEach((substation, i) => {
    const prefix = substationPrefix(i + 1);
    const stationFolder = namespace.addFolder(objects, {
      browseName: prefix,
      nodeId: `s=${prefix}`,
      description: `District-heating substation ${prefix} / 换热站 ${prefix}`,
    });
    const folders = new Map<string, UAObject>();
    const bits: AlarmBit[] = [];
    alarmBits.push(bits);
    for (const t of catalog) {
      let folder = folders.get(t.equipment);
      if (!folder) {
        const names = equipmentNames[t.equipment] ?? { en: t.equipment, zh: t.equipment };
        folder = namespace.addFolder(stationFolder, {
          browseName: t.equipment,
          nodeId: `s=${prefix}.${t.equipment}`,
          description: `${names.en} / ${names.zh}`,
        });
        folders.set(t.equipment, folder);
      }
      const name = `${prefix}.${t.signal}`;
      const access = t.writable
        ? AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite
        : AccessLevelFlag.CurrentRead;
      const stepValue = new StepValue(values, t, () => t.read(substation));
      const value = {
        timestamped_get: () => stepValue.current(),
        ...(t.writable
          ? {
              timestamped_set: async (dataValue: DataValue): Promise<StatusCode> => {
                const v: unknown = dataValue.value.value;
                if (typeof v !== 'number' && typeof v !== 'boolean') return StatusCodes.BadTypeMismatch;
                try {
                  plant.write(name, v);
                  return StatusCodes.Good;
                } catch {
                  return StatusCodes.BadOutOfRange;
                }
              },
            }
          : {}),
      };
      const common = {
        organizedBy: folder,
        browseName: t.signal.slice(t.equipment.length + 1),
        nodeId: `s=${name}`,
        description: `${t.description.en} / ${t.description.zh}`,
        accessLevel: access,
        userAccessLevel: access,
        ...variableAccess,
        minimumSamplingInterval,
      };
      let variable: UAVariable;
      if (t.kind === 'analog' && t.opcuaDataType === 'Double') {
        variable = namespace.addAnalogDataItem({
          ...common,
          dataType: 'Double',
          engineeringUnitsRange: { low: t.range[0], high: t.range[1] },
          ...(t.unit ? { engineeringUnits: engineeringUnits(t.unit) } : {}),
        });
      } else {
        variable = namespace.addVariable({ ...common, dataType: t.opcuaDataType });
      }
      // Bound once created: node-opcua warns of a getter on a variable with MinimumSamplingInterval 0
      // because nothing would tell on-change items of its changes; here StepValues pushes them.
      variable.bindVariable(value, true);
      answerSamplesFromStep(variable, stepValue);
      values.bind(variable, stepValue);
      if (t.modbus.table === 'input' && t.modbus.bit !== undefined) bits.push({ definition: t, variable, folder });
    }
  });
  return alarmBits;
}
