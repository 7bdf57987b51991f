/**
 * The simulator's OPC UA server restarted with a new certificate (a reinstalled or replaced
 * server): the driver does not wait out its repair timeout, it names the untrusted certificate
 * by thumbprint as soon as the handshake fails; once an engineer trusts it, values come back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceStatus, Sample } from '../../protocols/driver.js';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import { createOpcuaDriver, listServerCertificates, trustServerCertificate } from '../../protocols/opcua/index.js';
import { freeTcpPort, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { waitFor } from '../support/wait-for.js';

const dirs: string[] = [];
const sims: RunningSimulator[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-opcua-cert-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('OPC UA server restarted with a new certificate', () => {
  it('names the untrusted certificate and its thumbprint as soon as the handshake fails', async () => {
    const port = await freeTcpPort();
    let sim = await startSimulator({ substations: 1, opcua: true, opcuaPort: port, pkiDir: temp() });
    sims.push(sim);
    const pki = temp();
    const driver = createOpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'SS01-OPC',
        protocol: 'opcua',
        endpointUrl: sim.opcuaEndpoint!,
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Basic256Sha256',
        samplingMs: 100,
        publishingMs: 100,
      }),
      { pkiDir: pki },
    );
    const statuses: { at: number; status: DeviceStatus }[] = [];
    driver.onStatus((status) => statuses.push({ at: Date.now(), status }));
    let last: Sample | undefined;
    driver.subscribe(
      [{ name: 'T', address: { nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP' }, intervalMs: 100 }],
      (s) => (last = s.at(-1) ?? last),
    );
    try {
      await driver.connect();
      const [first] = await waitFor('first certificate', async () => {
        const listed = await listServerCertificates(pki);
        return listed.length > 0 ? listed : undefined;
      });
      await trustServerCertificate(pki, first!.thumbprint);
      await waitFor('values', () => last?.quality.code === 'Good', 30_000);

      await sim.close();
      sim = await startSimulator({ substations: 1, opcua: true, opcuaPort: port, pkiDir: temp() });
      sims.push(sim);
      const restartedAt = Date.now();
      const fresh = await waitFor(
        'the new certificate',
        async () => (await listServerCertificates(pki)).find((c) => c.trust === 'rejected'),
        30_000,
      );
      expect(fresh.thumbprint).not.toBe(first!.thumbprint);
      const named = await waitFor(
        'the reason names it',
        () => (driver.status().lastError?.includes(fresh.thumbprint) ? driver.status() : undefined),
        30_000,
      );
      const after = Date.now() - restartedAt;
      // Before: "reconnecting", then "reconnection did not complete within 30000 ms" some 25 s later.
      expect(after).toBeLessThan(10_000);
      // The device panel hears it as a status event, not only when it asks.
      expect(statuses.some((s) => s.at >= restartedAt && s.status.lastError?.includes(fresh.thumbprint))).toBe(true);
      expect(named.lastError).toBe(
        `server certificate ${fresh.thumbprint} is not trusted (BadCertificateUntrusted): compare its thumbprint with the server's and trust it in Devices`,
      );
      expect(last?.quality).toEqual({ code: 'Bad', reason: `communication lost: SS01-OPC ${named.lastError}` });

      await trustServerCertificate(pki, fresh.thumbprint);
      await waitFor('values again', () => last?.quality.code === 'Good', 30_000);
    } finally {
      await driver.close();
    }
  }, 90_000);
});
