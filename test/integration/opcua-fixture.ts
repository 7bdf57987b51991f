/**
 * A real node-opcua server for the OPC UA driver tests: a few variables of each kind under
 * Objects/Test, on 127.0.0.1 with a port chosen at run time and its PKI in a temp folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  RegisterServerMethod,
  SecurityPolicy,
  StatusCodes,
  Variant,
  standardUnits,
  type StatusCode,
  type UAVariable,
  type UserManagerOptions,
} from 'node-opcua';

export interface TestServerOptions {
  readonly port: number;
  readonly pkiDir: string;
  readonly securityModes?: MessageSecurityMode[];
  readonly securityPolicies?: SecurityPolicy[];
  readonly allowAnonymous?: boolean;
  readonly users?: Readonly<Record<string, string>>;
  /** Accept any client certificate (default true): these tests are about the client's trust. */
  readonly acceptClients?: boolean;
}

export interface TestServer {
  readonly endpoint: string;
  readonly server: OPCUAServer;
  readonly variables: Readonly<Record<string, UAVariable>>;
  set(name: string, dataType: DataType, value: unknown, status?: StatusCode): void;
  stop(): Promise<void>;
}

export const NS = 'urn:argus:test';

export function nodeId(name: string): string {
  return `ns=1;s=Test.${name}`;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const pki = join(options.pkiDir, 'server-pki');
  mkdirSync(pki, { recursive: true });
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: pki,
    automaticallyAcceptUnknownCertificate: options.acceptClients ?? true,
    disableFileWatchers: true,
  });
  await serverCertificateManager.initialize();
  const users = options.users ?? {};
  const userManager: UserManagerOptions = {
    isValidUser: (user: string, password: string) => users[user] !== undefined && users[user] === password,
  };
  const server = new OPCUAServer({
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    port: options.port,
    serverCertificateManager,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    securityModes: options.securityModes ?? [MessageSecurityMode.None],
    securityPolicies: options.securityPolicies ?? [SecurityPolicy.None],
    allowAnonymous: options.allowAnonymous ?? true,
    userManager,
    serverInfo: {
      applicationUri: 'urn:argus:test-server',
      productUri: 'urn:argus:test-server',
      applicationName: { text: 'Argus test server' },
    },
    serverCapabilities: { maxSessions: 20, operationLimits: { maxMonitoredItemsPerCall: 500 } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.getOwnNamespace();
  const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: 'Test', nodeId: 's=Test' });
  const variables: Record<string, UAVariable> = {};
  const add = (name: string, dataType: DataType, value: unknown, writable: boolean, arrayValue = false): void => {
    variables[name] = ns.addVariable({
      componentOf: folder,
      browseName: name,
      nodeId: `s=Test.${name}`,
      dataType,
      ...(arrayValue ? { valueRank: 1, arrayDimensions: [3] } : {}),
      accessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      userAccessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      minimumSamplingInterval: 50,
      value: new Variant({ dataType, value, arrayType: arrayValue ? 1 : 0 }),
    });
  };
  add('Double', DataType.Double, 21.5, true);
  add('Int16', DataType.Int16, -7, true);
  add('Bool', DataType.Boolean, false, true);
  add('Text', DataType.String, 'hello', true);
  add('ReadOnly', DataType.Double, 3.25, false);
  add('Counter', DataType.UInt32, 0, false);
  add('Status', DataType.Double, 1, false);
  add('Array', DataType.Double, new Float64Array([1, 2, 3]), false, true);
  add('Levels', DataType.Double, new Float64Array([10.5, 20.5, 30.5]), true, true);
  // 2^53 + 1 and 2^64 − 1: not exact as JavaScript numbers.
  add('Int64', DataType.Int64, [0x00200000, 1], true);
  add('UInt64', DataType.UInt64, [0xffffffff, 0xffffffff], false);
  variables.Analog = ns.addAnalogDataItem({
    componentOf: folder,
    browseName: 'Analog',
    nodeId: 's=Test.Analog',
    dataType: 'Double',
    engineeringUnitsRange: { low: 0, high: 200 },
    engineeringUnits: standardUnits.degree_celsius,
    minimumSamplingInterval: 50,
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    value: new Variant({ dataType: DataType.Double, value: 50 }),
  });
  await server.start();
  return {
    endpoint: `opc.tcp://127.0.0.1:${options.port}`,
    server,
    variables,
    set(name, dataType, value, status = StatusCodes.Good) {
      const variable = variables[name];
      if (!variable) throw new Error(`no test variable ${name}`);
      variable.setValueFromSource(new Variant({ dataType, value }), status, new Date());
    },
    async stop() {
      await server.shutdown(0);
      await serverCertificateManager.dispose();
    },
  };
}
