/**
 * OPC UA security against a real node-opcua server: an unknown server certificate is refused
 * and lands in the rejected folder; once an engineer trusts its thumbprint the encrypted
 * session comes up (each current policy); `auto` picks the most secure endpoint; user names
 * and passwords are checked by the server.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSecurityMode, SecurityPolicy } from 'node-opcua';
import type { DriverTag, Sample } from '../../protocols/driver.js';
import { opcuaDeviceSchema, type OpcuaAddress } from '../../protocols/opcua/config.js';
import {
  createOpcuaDriver,
  discoverEndpoints,
  listServerCertificates,
  trustServerCertificate,
} from '../../protocols/opcua/index.js';
import { freePort } from '../support/ports.js';
import { nodeId, startTestServer, type TestServer } from './opcua-fixture.js';
import { waitFor } from '../support/wait-for.js';
const waitForLong = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000) =>
  waitFor(what, probe, timeoutMs);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-opcua-sec-'));
  dirs.push(dir);
  return dir;
}

const doubleTag: DriverTag<OpcuaAddress> = { name: 'Double', address: { nodeId: nodeId('Double') }, intervalMs: 100 };

function latest(): { get: () => Sample | undefined; onSamples: (s: readonly Sample[]) => void } {
  let last: Sample | undefined;
  return { get: () => last, onSamples: (s) => (last = s.at(-1) ?? last) };
}

function device(endpointUrl: string, extra: Record<string, unknown>) {
  return opcuaDeviceSchema.parse({
    name: 'SEC-OPC',
    protocol: 'opcua',
    endpointUrl,
    samplingMs: 100,
    publishingMs: 100,
    ...extra,
  });
}

describe('OPC UA security', () => {
  const allPolicies = [
    SecurityPolicy.Basic256Sha256,
    SecurityPolicy.Aes128_Sha256_RsaOaep,
    SecurityPolicy.Aes256_Sha256_RsaPss,
  ];
  let secure: TestServer;
  let clientPki: string;

  beforeAll(async () => {
    clientPki = tempDir();
    secure = await startTestServer({
      port: await freePort(),
      pkiDir: tempDir(),
      securityModes: [MessageSecurityMode.SignAndEncrypt],
      securityPolicies: allPolicies,
    });
  });

  afterAll(async () => {
    await secure?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown server certificate, files it as rejected, and connects once it is trusted', async () => {
    const driver = createOpcuaDriver(
      device(secure.endpoint, { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' }),
      { pkiDir: clientPki },
    );
    const sample = latest();
    try {
      driver.subscribe([doubleTag], sample.onSamples);
      await driver.connect();
      // The application certificate was created on first use, in the data folder.
      expect(existsSync(join(clientPki, 'own', 'certs'))).toBe(true);
      expect(readdirSync(join(clientPki, 'own', 'certs')).some((f) => f.endsWith('.pem'))).toBe(true);

      await waitForLong('rejected file', () => readdirSync(join(clientPki, 'rejected')).length > 0);
      expect(readdirSync(join(clientPki, 'trusted', 'certs'))).toEqual([]);
      expect(sample.get()?.quality.code).toBe('Bad');
      expect(driver.status().state).not.toBe('connected');

      const listed = await listServerCertificates(clientPki);
      expect(listed).toHaveLength(1);
      expect(listed[0]!.trust).toBe('rejected');
      expect(listed[0]!.applicationUri).toBe('urn:argus:test-server');
      const offered = await discoverEndpoints(secure.endpoint, { pkiDir: clientPki });
      expect(offered.length).toBeGreaterThan(0);
      expect(offered.every((e) => e.serverCertificateThumbprint === listed[0]!.thumbprint)).toBe(true);
      expect(new Set(offered.map((e) => e.securityPolicy))).toEqual(
        new Set(['Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']),
      );

      const trusted = await trustServerCertificate(clientPki, listed[0]!.thumbprint.toUpperCase());
      expect(trusted.trust).toBe('trusted');
      expect((await listServerCertificates(clientPki)).map((c) => c.trust)).toEqual(['trusted']);

      await waitForLong('encrypted session values', () => sample.get()?.quality.code === 'Good', 30_000);
      expect(sample.get()!.value).toBe(21.5);
      expect(driver.status().diagnostics).toMatchObject({
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Basic256Sha256',
      });
      expect(await driver.write('Double', 30.5)).toEqual({ ok: true, confirmed: true, readBack: 30.5 });
      expect(await driver.write('Double', 21.5)).toMatchObject({ ok: true });
    } finally {
      await driver.close();
    }
  });

  it.each(['Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'])(
    'connects with SignAndEncrypt and %s once trusted',
    async (policy) => {
      const driver = createOpcuaDriver(
        device(secure.endpoint, { securityMode: 'SignAndEncrypt', securityPolicy: policy }),
        { pkiDir: clientPki },
      );
      const sample = latest();
      try {
        driver.subscribe([doubleTag], sample.onSamples);
        await driver.connect();
        await waitForLong('values', () => sample.get()?.quality.code === 'Good', 30_000);
        expect(driver.status().diagnostics).toMatchObject({ securityMode: 'SignAndEncrypt', securityPolicy: policy });
      } finally {
        await driver.close();
      }
    },
  );

  it('auto chooses the most secure endpoint the server offers', async () => {
    const serverPki = tempDir();
    const mixed = await startTestServer({
      port: await freePort(),
      pkiDir: serverPki,
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    });
    const pki = tempDir();
    const driver = createOpcuaDriver(device(mixed.endpoint, { securityMode: 'auto' }), { pkiDir: pki });
    const sample = latest();
    try {
      driver.subscribe([doubleTag], sample.onSamples);
      await driver.connect();
      const [cert] = await waitForLong('rejected certificate', () =>
        readdirSync(join(pki, 'rejected')).length > 0 ? [1] : undefined,
      );
      void cert;
      const [seen] = await listServerCertificates(pki);
      await trustServerCertificate(pki, seen!.thumbprint);
      await waitForLong('values', () => sample.get()?.quality.code === 'Good', 30_000);
      expect(driver.status().diagnostics).toMatchObject({
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Basic256Sha256',
      });
    } finally {
      await driver.close();
      await mixed.stop();
    }
  });

  it('signs in with a user name and a password from the environment, and reports a refused password', async () => {
    // A server offers user-name tokens only with a policy to encrypt the password under.
    const users = await startTestServer({
      port: await freePort(),
      pkiDir: tempDir(),
      allowAnonymous: false,
      users: { operator: 's3cret!' },
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    });
    process.env.ARGUS_TEST_OPCUA_PASSWORD = 's3cret!';
    const good = createOpcuaDriver(
      device(users.endpoint, { username: 'operator', passwordEnv: 'ARGUS_TEST_OPCUA_PASSWORD' }),
      { pkiDir: clientPki },
    );
    const wrong = createOpcuaDriver(device(users.endpoint, { username: 'operator', password: 'guess' }), {
      pkiDir: clientPki,
    });
    const anonymous = createOpcuaDriver(device(users.endpoint, {}), { pkiDir: clientPki });
    const a = latest();
    const b = latest();
    const c = latest();
    try {
      good.subscribe([doubleTag], a.onSamples);
      wrong.subscribe([doubleTag], b.onSamples);
      anonymous.subscribe([doubleTag], c.onSamples);
      await Promise.all([good.connect(), wrong.connect(), anonymous.connect()]);
      // No password goes to a server whose certificate is not trusted, even over an unsecured channel.
      await waitForLong('password withheld', () =>
        good.status().lastError?.includes('password not sent: server certificate'),
      );
      expect(a.get()?.quality.code).toBe('Bad');
      const pending = (await listServerCertificates(clientPki)).filter((cert) => cert.trust === 'rejected');
      expect(pending).toHaveLength(1);
      expect(good.status().lastError).toContain(pending[0]!.thumbprint);
      await trustServerCertificate(clientPki, pending[0]!.thumbprint);
      await waitForLong('values for the right password', () => a.get()?.quality.code === 'Good', 30_000);
      await waitForLong(
        'refusal for the wrong password',
        () => /BadUser|BadIdentity/.test(wrong.status().lastError ?? ''),
        30_000,
      );
      expect(wrong.status().lastError).toMatch(/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
      expect(wrong.status().lastError).not.toContain('guess');
      expect(b.get()?.quality.code).toBe('Bad');
      await waitForLong(
        'refusal for anonymous',
        () => anonymous.status().lastError && anonymous.status().state !== 'connected',
      );
      expect(anonymous.status().lastError).toMatch(/ANONYMOUS|BadIdentityToken/);
      expect(c.get()?.quality.code).toBe('Bad');
    } finally {
      delete process.env.ARGUS_TEST_OPCUA_PASSWORD;
      await Promise.all([good.close(), wrong.close(), anonymous.close()]);
      await users.stop();
    }
  });
});
