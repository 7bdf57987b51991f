/**
 * Endpoint discovery and address-space browsing, as plain async functions for the UI's tag
 * picker (called through the runtime). Each call opens its own short connection.
 */
import { createHash } from 'node:crypto';
import { MessageSecurityMode, OPCUAClient, type EndpointDescription } from 'node-opcua';
import { certificateManagerFor } from './certificates.js';

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
