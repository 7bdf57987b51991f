/**
 * Endpoint discovery and address-space browsing, as plain async functions for the UI's tag
 * picker (called through the runtime). Each call opens its own short connection.
 */
import { createHash } from 'node:crypto';
import {
  AccessLevelFlag,
  AttributeIds,
  BrowseDirection,
  DataType,
  MessageSecurityMode,
  NodeClass,
  NodeId,
  OPCUAClient,
  StatusCodes,
  makeBrowsePath,
  resolveNodeId,
  type ClientSession,
  type EndpointDescription,
  type ReferenceDescription,
} from 'node-opcua';
import { certificateManagerFor } from './certificates.js';
import type { OpcuaDeviceConfig } from './config.js';
// client-options imports discoverEndpoints from here; the cycle is safe (used inside functions only).
import { buildClientOptions, userIdentity } from './client-options.js';

export interface EndpointSummary {
  readonly endpointUrl: string;
  /** "None" | "Sign" | "SignAndEncrypt" */
  readonly securityMode: string;
  /** Short policy name, e.g. "Basic256Sha256"; the URI's fragment. */
  readonly securityPolicy: string;
  readonly securityLevel: number;
  /** "Anonymous" | "UserName" | "Certificate" | "IssuedToken" */
  readonly userIdentityTokens: readonly string[];
  /** SHA-1 thumbprint (hex) of the server certificate the endpoint presents; "" when none. */
  readonly serverCertificateThumbprint: string;
  readonly applicationUri: string;
}

export interface DiscoveryOptions {
  /** The client's certificate folder (same as the driver's). */
  readonly pkiDir: string;
  /** Give up after this long, ms; default 10 s. */
  readonly timeoutMs?: number;
}

const tokenTypeNames: readonly string[] = ['Anonymous', 'UserName', 'Certificate', 'IssuedToken'];

export function thumbprintOf(certificate: Buffer | null | undefined): string {
  if (!certificate || certificate.length === 0) return '';
  return createHash('sha1').update(certificate).digest('hex');
}

function summarize(e: EndpointDescription): EndpointSummary {
  const policyUri = e.securityPolicyUri ?? '';
  return {
    endpointUrl: e.endpointUrl ?? '',
    securityMode: MessageSecurityMode[e.securityMode] ?? String(e.securityMode),
    securityPolicy: policyUri.slice(policyUri.lastIndexOf('#') + 1),
    securityLevel: e.securityLevel,
    userIdentityTokens: (e.userIdentityTokens ?? []).map((t) => tokenTypeNames[t.tokenType] ?? String(t.tokenType)),
    serverCertificateThumbprint: thumbprintOf(e.serverCertificate),
    applicationUri: e.server?.applicationUri ?? '',
  };
}

/** The endpoints a server offers (GetEndpoints over an unsecured channel, as the standard intends). */
export async function discoverEndpoints(endpointUrl: string, options: DiscoveryOptions): Promise<EndpointSummary[]> {
  const clientCertificateManager = await certificateManagerFor(options.pkiDir);
  const client = OPCUAClient.create({
    applicationName: 'Argus',
    clientName: 'Argus discovery',
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 250, maxDelay: 1000 },
    clientCertificateManager,
    transportTimeout: options.timeoutMs ?? 10_000,
    defaultTransactionTimeout: options.timeoutMs ?? 10_000,
  });
  try {
    await client.connect(endpointUrl);
    const endpoints = await client.getEndpoints();
    return endpoints.map(summarize);
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

export type { BrowseEntry } from '../driver.js';
import type { BrowseEntry } from '../driver.js';

/** Objects folder: where a tag picker starts. */
export const OBJECTS_FOLDER = 'ns=0;i=85';

const pageSize = 1000;

async function childReferences(session: ClientSession, nodeId: NodeId): Promise<ReferenceDescription[]> {
  let result = await session.browse({
    nodeId,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    browseDirection: BrowseDirection.Forward,
    nodeClassMask: 0,
    resultMask: 0x3f,
  });
  if (result.statusCode.value >>> 30 !== 0) throw new Error(`browse ${nodeId.toString()}: ${result.statusCode.name}`);
  const references = [...(result.references ?? [])];
  while (result.continuationPoint && result.continuationPoint.length > 0) {
    result = await session.browseNext(result.continuationPoint, false);
    references.push(...(result.references ?? []));
  }
  return references;
}

async function readMany(session: ClientSession, items: { nodeId: NodeId; attributeId: number }[]) {
  const values = [];
  for (let i = 0; i < items.length; i += pageSize) values.push(...(await session.read(items.slice(i, i + pageSize))));
  return values;
}

/** Children of a node, with data type and engineering unit for variables, using an open session. */
export async function browseWithSession(
  session: ClientSession,
  nodeId: string = OBJECTS_FOLDER,
): Promise<BrowseEntry[]> {
  const parent = resolveNodeId(nodeId);
  const references = await childReferences(session, parent);
  const variables = references.filter((r) => r.nodeClass === NodeClass.Variable);
  const variableIds = variables.map((r) => r.nodeId);

  // Data type, access level and value rank of every variable: one batched read.
  const attributes = await readMany(
    session,
    variableIds.flatMap((id) => [
      { nodeId: id, attributeId: AttributeIds.DataType },
      { nodeId: id, attributeId: AttributeIds.UserAccessLevel },
      { nodeId: id, attributeId: AttributeIds.ValueRank },
    ]),
  );
  // Engineering units: one batched TranslateBrowsePath, then one read of the properties found.
  const unitPaths =
    variableIds.length > 0
      ? await session.translateBrowsePath(variableIds.map((id) => makeBrowsePath(id, '.EngineeringUnits')))
      : [];
  const unitNodes = unitPaths.map((r) =>
    r.statusCode.value === StatusCodes.Good.value && r.targets && r.targets.length > 0 ? r.targets[0]!.targetId : null,
  );
  const unitIds = unitNodes.filter((n): n is NonNullable<typeof n> => n !== null);
  const unitValues = await readMany(
    session,
    unitIds.map((id) => ({ nodeId: resolveNodeId(id.toString()), attributeId: AttributeIds.Value })),
  );
  const unitByIndex = new Map<number, string>();
  let k = 0;
  unitNodes.forEach((n, i) => {
    if (!n) return;
    const eu = unitValues[k++]?.value?.value as { displayName?: { text?: string | null } } | null | undefined;
    const text = eu?.displayName?.text;
    if (text) unitByIndex.set(i, text);
  });
  // Names of non-built-in data types: one batched read of their browse names.
  const typeIds = variableIds.map((_, i) => attributes[i * 3]?.value?.value as NodeId | null | undefined);
  const customTypes = [
    ...new Set(
      typeIds
        .filter((t): t is NodeId => !!t && !(t.namespace === 0 && typeof t.value === 'number' && t.value <= 25))
        .map((t) => t.toString()),
    ),
  ];
  const customNames = new Map<string, string>();
  if (customTypes.length > 0) {
    const names = await readMany(
      session,
      customTypes.map((t) => ({ nodeId: resolveNodeId(t), attributeId: AttributeIds.BrowseName })),
    );
    customTypes.forEach((t, i) => {
      const name = (names[i]?.value?.value as { name?: string } | null | undefined)?.name;
      if (name) customNames.set(t, name);
    });
  }

  const byVariable = new Map<ReferenceDescription, number>(variables.map((r, i) => [r, i]));
  return references.map((r) => {
    const entry = {
      nodeId: r.nodeId.toString(),
      browseName: `${r.browseName.namespaceIndex}:${r.browseName.name ?? ''}`,
      displayName: r.displayName.text ?? r.browseName.name ?? '',
      nodeClass: NodeClass[r.nodeClass] ?? String(r.nodeClass),
    };
    const i = byVariable.get(r);
    if (i === undefined) return entry;
    const typeId = typeIds[i];
    const dataType = !typeId
      ? undefined
      : typeId.namespace === 0 && typeof typeId.value === 'number' && typeId.value <= 25
        ? DataType[typeId.value]
        : (customNames.get(typeId.toString()) ?? typeId.toString());
    const access = attributes[i * 3 + 1]?.value?.value as number | undefined;
    const valueRank = attributes[i * 3 + 2]?.value?.value as number | undefined;
    const unit = unitByIndex.get(i);
    return {
      ...entry,
      ...(dataType !== undefined ? { dataType } : {}),
      ...(unit !== undefined ? { engineeringUnit: unit } : {}),
      writable: typeof access === 'number' && (access & AccessLevelFlag.CurrentWrite) !== 0,
      ...(typeof valueRank === 'number' ? { valueRank } : {}),
    };
  });
}

/**
 * Children of `nodeId` (the Objects folder by default) on the device's server, with the
 * device's security and identity. Opens and closes its own session.
 */
export async function browse(
  device: OpcuaDeviceConfig,
  nodeId: string | undefined,
  options: DiscoveryOptions,
): Promise<BrowseEntry[]> {
  const built = await buildClientOptions(device, options.pkiDir);
  const client = OPCUAClient.create({
    ...built.clientOptions,
    connectionStrategy: { maxRetry: 0, initialDelay: 250, maxDelay: 1000 },
    clientName: `Argus browse ${device.name}`,
    defaultTransactionTimeout: options.timeoutMs ?? 10_000,
  });
  try {
    await client.connect(built.endpointUrl);
    const session = await client.createSession(userIdentity(device));
    try {
      return await browseWithSession(session, nodeId ?? OBJECTS_FOLDER);
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}
