/**
 * OPCUAClient options from a device's configuration: security mode and policy (or the most
 * secure endpoint the server offers), the certificate store with automatic acceptance off,
 * transport limits against hostile servers, and the user identity.
 */
import {
  MessageSecurityMode,
  SecurityPolicy,
  UserTokenType,
  type OPCUAClientOptions,
  type UserIdentityInfo,
} from 'node-opcua';
import { opcuaSecurityPolicies, type OpcuaDeviceConfig } from './config.js';
import { certificateManagerFor } from './certificates.js';
import { discoverEndpoints, type EndpointSummary } from './browse.js';

export type SecurityPolicyName = (typeof opcuaSecurityPolicies)[number];
export type SecurityModeName = 'None' | 'Sign' | 'SignAndEncrypt';

/** Defaults: 16 MiB per message, 64 KiB chunks, at most 256 of them. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_COUNT = 256;
export const RECEIVE_BUFFER_SIZE = 65_536;

export interface BuiltClientOptions {
  readonly clientOptions: OPCUAClientOptions;
  readonly endpointUrl: string;
  readonly securityModeName: SecurityModeName;
  readonly securityPolicyName: SecurityPolicyName;
}

const modeRank: Record<SecurityModeName, number> = { None: 0, Sign: 1, SignAndEncrypt: 2 };
const policyRank: Record<SecurityPolicyName, number> = {
  None: 0,
  Basic256Sha256: 1,
  Aes128_Sha256_RsaOaep: 2,
  Aes256_Sha256_RsaPss: 3,
};

export function isSupportedPolicy(name: string): name is SecurityPolicyName {
  return (opcuaSecurityPolicies as readonly string[]).includes(name);
}

/** The most secure endpoint among those this client supports, or null when none fits. */
export function mostSecureEndpoint(endpoints: readonly EndpointSummary[]): EndpointSummary | null {
  const usable = endpoints.filter(
    (e) =>
      isSupportedPolicy(e.securityPolicy) &&
      e.securityMode in modeRank &&
      (e.securityMode === 'None') === (e.securityPolicy === 'None'),
  );
  usable.sort(
    (a, b) =>
      modeRank[b.securityMode as SecurityModeName] - modeRank[a.securityMode as SecurityModeName] ||
      b.securityLevel - a.securityLevel ||
      policyRank[b.securityPolicy as SecurityPolicyName] - policyRank[a.securityPolicy as SecurityPolicyName],
  );
  return usable[0] ?? null;
}

/** Mode and policy named in the configuration, checked; Sign/SignAndEncrypt with policy None means Basic256Sha256. */
export function configuredSecurity(config: {
  readonly securityMode: OpcuaDeviceConfig['securityMode'];
  readonly securityPolicy: string;
}): { mode: SecurityModeName; policy: SecurityPolicyName } {
  if (config.securityMode === 'auto') throw new Error('security mode auto is resolved by discovery');
  const mode = config.securityMode;
  if (mode === 'None') return { mode, policy: 'None' };
  const policy: string = config.securityPolicy === 'None' ? 'Basic256Sha256' : config.securityPolicy;
  if (!isSupportedPolicy(policy)) {
    throw new Error(
      `security policy ${config.securityPolicy} is not supported (use one of ${opcuaSecurityPolicies.filter((p) => p !== 'None').join(', ')})`,
    );
  }
  return { mode, policy };
}

export function userIdentity(
  config: Pick<OpcuaDeviceConfig, 'username' | 'password' | 'passwordEnv' | 'name'>,
  env: NodeJS.ProcessEnv = process.env,
): UserIdentityInfo {
  if (!config.username) return { type: UserTokenType.Anonymous };
  let password = config.password;
  if (config.passwordEnv) {
    password = env[config.passwordEnv];
    if (password === undefined)
      throw new Error(`device ${config.name}: environment variable ${config.passwordEnv} (password) is not set`);
  }
  return { type: UserTokenType.UserName, userName: config.username, password: password ?? '' };
}

export async function buildClientOptions(config: OpcuaDeviceConfig, pkiDir: string): Promise<BuiltClientOptions> {
  const clientCertificateManager = await certificateManagerFor(pkiDir);
  let security: { mode: SecurityModeName; policy: SecurityPolicyName };
  if (config.securityMode === 'auto') {
    const best = mostSecureEndpoint(await discoverEndpoints(config.endpointUrl, { pkiDir }));
    if (!best) throw new Error(`${config.endpointUrl} offers no endpoint with a supported security policy`);
    security = { mode: best.securityMode as SecurityModeName, policy: best.securityPolicy as SecurityPolicyName };
  } else {
    security = configuredSecurity(config);
  }
  const maxMessageSize = config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  const clientOptions: OPCUAClientOptions = {
    applicationName: 'Argus',
    clientName: `Argus ${config.name}`,
    endpointMustExist: false,
    // The first connect tries briefly; the driver's own back-off takes over after that.
    // node-opcua's repair of a lost connection retries without limit, bounded in delay.
    connectionStrategy: { maxRetry: 1, initialDelay: 250, maxDelay: 5000, randomisationFactor: 0.2 },
    keepSessionAlive: true,
    requestedSessionTimeout: 60_000,
    defaultTransactionTimeout: 15_000,
    securityMode: MessageSecurityMode[security.mode],
    securityPolicy: SecurityPolicy[security.policy],
    clientCertificateManager,
    transportSettings: {
      maxMessageSize,
      maxChunkCount: config.maxChunkCount ?? DEFAULT_MAX_CHUNK_COUNT,
      receiveBufferSize: RECEIVE_BUFFER_SIZE,
      sendBufferSize: RECEIVE_BUFFER_SIZE,
    },
  };
  return {
    clientOptions,
    endpointUrl: config.endpointUrl,
    securityModeName: security.mode,
    securityPolicyName: security.policy,
  };
}
