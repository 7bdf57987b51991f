/**
 * Endpoint discovery and browsing against a real node-opcua server: what the tag picker
 * shows (node class, browse name, data type, engineering unit, writability).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSecurityMode, SecurityPolicy } from 'node-opcua';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import { OpcuaDriver, browse, discoverEndpoints } from '../../protocols/opcua/index.js';
import { freePort } from '../support/ports.js';
import { startTestServer, type TestServer } from './opcua-fixture.js';

describe('OPC UA discovery and browse', () => {
  let server: TestServer;
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'argus-opcua-browse-'));
    dirs.push(d);
    return d;
  };
  let pkiDir: string;

  beforeAll(async () => {
    pkiDir = temp();
    server = await startTestServer({
      port: await freePort(),
      pkiDir: temp(),
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256_Sha256_RsaPss],
    });
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('lists the endpoints with modes, policies and identity tokens', async () => {
    const endpoints = await discoverEndpoints(server.endpoint, { pkiDir });
    const pairs = endpoints.map((e) => `${e.securityMode}/${e.securityPolicy}`).sort();
    expect(pairs).toEqual([
      'None/None',
      'Sign/Aes256_Sha256_RsaPss',
      'Sign/Basic256Sha256',
      'SignAndEncrypt/Aes256_Sha256_RsaPss',
      'SignAndEncrypt/Basic256Sha256',
    ]);
    expect(endpoints.every((e) => e.userIdentityTokens.includes('Anonymous'))).toBe(true);
    expect(endpoints.every((e) => /^[0-9a-f]{40}$/.test(e.serverCertificateThumbprint))).toBe(true);
    expect(endpoints[0]!.applicationUri).toBe('urn:argus:test-server');
  });

  it('fails with a message for a server that is not there', async () => {
    await expect(
      discoverEndpoints(`opc.tcp://127.0.0.1:${await freePort()}`, { pkiDir, timeoutMs: 3000 }),
    ).rejects.toThrow();
  });

  it('browses from the Objects folder down to variables with data type and unit', async () => {
    const device = opcuaDeviceSchema.parse({ name: 'B', protocol: 'opcua', endpointUrl: server.endpoint });
    const top = await browse(device, undefined, { pkiDir });
    const folder = top.find((e) => e.browseName === '1:Test');
    expect(folder).toMatchObject({ nodeId: 'ns=1;s=Test', nodeClass: 'Object', displayName: 'Test' });
    expect(top.some((e) => e.browseName === '0:Server')).toBe(true);

    const children = await browse(device, folder!.nodeId, { pkiDir });
    const byName = new Map(children.map((c) => [c.displayName, c]));
    expect(byName.get('Analog')).toEqual({
      nodeId: 'ns=1;s=Test.Analog',
      browseName: '1:Analog',
      displayName: 'Analog',
      nodeClass: 'Variable',
      dataType: 'Double',
      engineeringUnit: '°C',
      writable: true,
      valueRank: -1,
    });
    expect(byName.get('Int16')).toMatchObject({ dataType: 'Int16', writable: true, valueRank: -1 });
    expect(byName.get('Int16')!.engineeringUnit).toBeUndefined();
    expect(byName.get('ReadOnly')).toMatchObject({ dataType: 'Double', writable: false });
    expect(byName.get('Array')).toMatchObject({ dataType: 'Double', valueRank: 1 });
    await expect(browse(device, 'ns=1;s=Nope', { pkiDir })).rejects.toThrow(/BadNodeIdUnknown/);
  });

  it('browses over a running driver session', async () => {
    const driver = new OpcuaDriver(
      opcuaDeviceSchema.parse({ name: 'D', protocol: 'opcua', endpointUrl: server.endpoint }),
      { pkiDir },
    );
    try {
      await expect(driver.browse()).rejects.toThrow(/D is not connected/);
      await driver.connect();
      const children = await driver.browse('ns=1;s=Test');
      expect(children.map((c) => c.displayName)).toContain('Double');
    } finally {
      await driver.close();
    }
  });
});
