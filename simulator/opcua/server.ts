/**
 * The simulator's OPC UA server (node-opcua): Objects/SSkk/<equipment>/<signal>, analog
 * values as AnalogItems with EngineeringUnits and EURange, setpoints writable. Values are
 * not pushed: each variable has a getter reading the physics, and the server samples it
 * for its monitored items (cheap for tens of thousands of items).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  OPCUAServer,
  OPCUACertificateManager,
  RegisterServerMethod,
  MessageSecurityMode,
  SecurityPolicy,
  Variant,
  DataType,
  StatusCodes,
  AccessLevelFlag,
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
  /** Fastest rate at which a client may have a value sampled, ms. */
  readonly minimumSamplingIntervalMs?: number;
  /** Publish the alarm word bits as OPC UA alarm conditions (Alarms & Conditions); default true. */
  readonly alarmConditions?: boolean;
}

export interface RunningOpcuaServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const dataTypes = { Double: DataType.Double, Boolean: DataType.Boolean, UInt32: DataType.UInt32, UInt16: DataType.UInt16 } as const;

function variantOf(t: TagDefinition, value: number | boolean): Variant {
  const dataType = dataTypes[t.opcuaDataType];
  if (dataType === DataType.Boolean) return new Variant({ dataType, value: Boolean(value) });
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return new Variant({ dataType, value: dataType === DataType.Double ? n : Math.max(0, Math.round(n)) });
}

export async function startOpcuaServer(options: OpcuaServerOptions): Promise<RunningOpcuaServer> {
  const pki = join(options.pkiDir, 'pki');
  mkdirSync(pki, { recursive: true });
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
  const server = new OPCUAServer({
    host: options.host,
    hostname: options.host,
    port: options.port,
    serverCertificateManager,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
    allowAnonymous: true,
    buildInfo: { productName: 'Argus simulated district-heating plant', manufacturerName: 'Argus', softwareVersion: '0.1.0' },
    serverInfo: { applicationUri: 'urn:argus:simulator', productUri: 'urn:argus:simulator', applicationName: { text: 'Argus simulator', locale: 'en' } },
    serverCapabilities: { maxSessions: 50, operationLimits: { maxMonitoredItemsPerCall: 100_000, maxNodesPerRead: 100_000, maxNodesPerBrowse: 10_000 } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const alarmBits = buildAddressSpace(namespace, addressSpace.rootFolder.objects as unknown as UAObject, options);
  let stopConditions = (): void => undefined;
  if (options.alarmConditions ?? true) {
    addressSpace.installAlarmsAndConditionsService();
    const published: SubstationConditions[] = alarmBits.map((bits, i) => {
      const stationFolder = namespace.findNode(`ns=${namespace.index};s=${substationPrefix(i + 1)}`) as UAObject;
      return publishAlarmConditions(addressSpace, namespace, stationFolder, substationPrefix(i + 1), options.plant.substations[i]!, bits);
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
      stopConditions();
      await server.shutdown(0);
    },
  };
}

/** Builds the folders and variables; returns each substation's alarm word bits with their variables. */
function buildAddressSpace(namespace: Namespace, objects: UAObject, options: OpcuaServerOptions): AlarmBit[][] {
  const { plant } = options;
  const alarmBits: AlarmBit[][] = [];
  const minimumSamplingInterval = options.minimumSamplingIntervalMs ?? 100;
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
      const access = t.writable ? AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite : AccessLevelFlag.CurrentRead;
      const value = {
        get: () => variantOf(t, t.read(substation)),
        ...(t.writable
          ? {
              set: (variant: Variant): StatusCode => {
                const v: unknown = variant.value;
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
        minimumSamplingInterval,
      };
      let variable: UAVariable;
      if (t.kind === 'analog' && t.opcuaDataType === 'Double') {
        variable = namespace.addAnalogDataItem({
          ...common,
          dataType: 'Double',
          engineeringUnitsRange: { low: t.range[0], high: t.range[1] },
          ...(t.unit ? { engineeringUnits: engineeringUnits(t.unit) } : {}),
          value,
        });
      } else {
        variable = namespace.addVariable({ ...common, dataType: t.opcuaDataType, value });
      }
      if (t.modbus.table === 'input' && t.modbus.bit !== undefined) bits.push({ definition: t, variable, folder });
    }
  });
  return alarmBits;
}
