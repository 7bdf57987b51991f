import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageSecurityMode, SecurityPolicy, UserTokenType } from 'node-opcua';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import {
  buildClientOptions,
  configuredSecurity,
  mostSecureEndpoint,
  userIdentity,
} from '../../protocols/opcua/client-options.js';
import type { EndpointSummary } from '../../protocols/opcua/browse.js';

function endpoint(securityMode: string, securityPolicy: string, securityLevel: number): EndpointSummary {
  return {
    endpointUrl: 'opc.tcp://h:4840',
    securityMode,
    securityPolicy,
    securityLevel,
    userIdentityTokens: ['Anonymous'],
    serverCertificateThumbprint: '',
    applicationUri: '',
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('choosing security', () => {
  it('auto picks the most secure supported endpoint', () => {
    const best = mostSecureEndpoint([
      endpoint('None', 'None', 0),
      endpoint('Sign', 'Basic256Sha256', 2),
      endpoint('SignAndEncrypt', 'Basic256Sha256', 3),
      endpoint('SignAndEncrypt', 'Aes256_Sha256_RsaPss', 3),
      endpoint('SignAndEncrypt', 'Basic128Rsa15', 9),
    ]);
    expect(best).toMatchObject({ securityMode: 'SignAndEncrypt', securityPolicy: 'Aes256_Sha256_RsaPss' });
    expect(mostSecureEndpoint([endpoint('None', 'None', 0)])).toMatchObject({ securityMode: 'None' });
    expect(mostSecureEndpoint([endpoint('SignAndEncrypt', 'Basic256', 5)])).toBeNull();
  });
  it('checks the configured mode and policy', () => {
    expect(configuredSecurity({ securityMode: 'None', securityPolicy: 'Basic256Sha256' })).toEqual({
      mode: 'None',
      policy: 'None',
    });
    expect(configuredSecurity({ securityMode: 'Sign', securityPolicy: 'None' })).toEqual({
      mode: 'Sign',
      policy: 'Basic256Sha256',
    });
    expect(configuredSecurity({ securityMode: 'SignAndEncrypt', securityPolicy: 'Aes128_Sha256_RsaOaep' })).toEqual({
      mode: 'SignAndEncrypt',
      policy: 'Aes128_Sha256_RsaOaep',
    });
    expect(() => configuredSecurity({ securityMode: 'SignAndEncrypt', securityPolicy: 'Basic128Rsa15' })).toThrow(
      /not supported/,
    );
  });
});

describe('user identity', () => {
  const base = { name: 'PLC' };
  it('is anonymous without a user name', () => {
    expect(userIdentity(base)).toEqual({ type: UserTokenType.Anonymous });
  });
  it('takes the password from the configuration or from an environment variable', () => {
    expect(userIdentity({ ...base, username: 'op', password: 'pw' })).toEqual({
      type: UserTokenType.UserName,
      userName: 'op',
      password: 'pw',
    });
    expect(userIdentity({ ...base, username: 'op', passwordEnv: 'PW_VAR' }, { PW_VAR: 'from-env' })).toEqual({
      type: UserTokenType.UserName,
      userName: 'op',
      password: 'from-env',
    });
  });
  it('names a missing environment variable, never a password', () => {
    expect(() => userIdentity({ ...base, username: 'op', password: 'pw', passwordEnv: 'PW_VAR' }, {})).toThrow(
      'device PLC: environment variable PW_VAR (password) is not set',
    );
  });
});

describe('client options', () => {
  it('use the data folder store, automatic acceptance off, and bounded transport limits', async () => {
    const pkiDir = mkdtempSync(join(tmpdir(), 'argus-opcua-opts-'));
    dirs.push(pkiDir);
    const device = opcuaDeviceSchema.parse({
      name: 'PLC',
      protocol: 'opcua',
      endpointUrl: 'opc.tcp://127.0.0.1:4840',
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Aes256_Sha256_RsaPss',
      maxMessageSize: 1_048_576,
    });
    const built = await buildClientOptions(device, pkiDir);
    const o = built.clientOptions;
    expect(o.securityMode).toBe(MessageSecurityMode.SignAndEncrypt);
    expect(o.securityPolicy).toBe(SecurityPolicy.Aes256_Sha256_RsaPss);
    expect(o.endpointMustExist).toBe(false);
    expect(o.keepSessionAlive).toBe(true);
    expect(o.transportSettings).toEqual({
      maxMessageSize: 1_048_576,
      maxChunkCount: 256,
      receiveBufferSize: 65_536,
      sendBufferSize: 65_536,
    });
    const manager = o.clientCertificateManager as { automaticallyAcceptUnknownCertificate: boolean; rootDir: string };
    expect(manager.automaticallyAcceptUnknownCertificate).toBe(false);
    expect(manager.rootDir).toBe(pkiDir);
  });
  it('the project schema accepts auto, user names and limits, and refuses a bad variable name', () => {
    expect(
      opcuaDeviceSchema.parse({
        name: 'P',
        protocol: 'opcua',
        securityMode: 'auto',
        username: 'u',
        passwordEnv: 'OPC_PW',
      }).securityMode,
    ).toBe('auto');
    expect(() => opcuaDeviceSchema.parse({ name: 'P', protocol: 'opcua', passwordEnv: 'not a name' })).toThrow();
  });
});
