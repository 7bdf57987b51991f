/**
 * The simulator's OPC UA server read with node-opcua's client: folders per substation and
 * equipment, values with engineering units and ranges, writable setpoints that reach the
 * physics, refused writes, and the secure endpoints on offer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  type ClientSession,
} from 'node-opcua';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';

describe('simulator OPC UA server', () => {
  let dir: string;
  let sim: RunningSimulator;
  let client: OPCUAClient;
  let session: ClientSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'argus-sim-opcua-'));
    sim = await startSimulator({ substations: 2, speed: 60, pkiDir: join(dir, 'server-pki') });
    expect(sim.opcuaEndpoint).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    const clientCertificateManager = new OPCUACertificateManager({
      rootFolder: join(dir, 'client-pki'),
      automaticallyAcceptUnknownCertificate: true,
    });
    client = OPCUAClient.create({
      applicationName: 'argus-sim-test',
      clientCertificateManager,
      securityMode: MessageSecurityMode.None,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 },
    });
    await client.connect(sim.opcuaEndpoint!);
    session = await client.createSession();
  });

  afterAll(async () => {
    await session?.close();
    await client?.disconnect();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a folder per substation and per equipment', async () => {
    const objects = await session.browse({ nodeId: 'i=85', browseDirection: BrowseDirection.Forward, resultMask: 63 });
    const names = objects.references!.map((r) => r.browseName.name);
    expect(names).toEqual(expect.arrayContaining(['SS01', 'SS02']));
    const station = await session.browse({
      nodeId: 'ns=1;s=SS01',
      browseDirection: BrowseDirection.Forward,
      resultMask: 63,
    });
    expect(station.references!.map((r) => r.browseName.name)).toEqual(
      expect.arrayContaining(['HX', 'P1', 'P2', 'HM', 'EM', 'MU', 'EXP', 'CV', 'HC']),
    );
    const hx = await session.browse({
      nodeId: 'ns=1;s=SS01.HX',
      browseDirection: BrowseDirection.Forward,
      resultMask: 63,
    });
    expect(hx.references!.map((r) => r.nodeId.toString())).toContain('ns=1;s=SS01.HX.T_SEC_SUP');
  });

  it('serves analog values with EngineeringUnits and EURange', async () => {
    const value = await session.read({ nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP', attributeId: AttributeIds.Value });
    expect(value.statusCode).toBe(StatusCodes.Good);
    expect(value.value.dataType).toBe(DataType.Double);
    expect(value.value.value).toBeGreaterThan(35);
    expect(value.value.value).toBeLessThan(80);
    const props = await session.browse({
      nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP',
      browseDirection: BrowseDirection.Forward,
      resultMask: 63,
    });
    const propertyId = (name: string) => props.references!.find((r) => r.browseName.name === name)!.nodeId;
    const [eu, range] = await session.read([
      { nodeId: propertyId('EngineeringUnits'), attributeId: AttributeIds.Value },
      { nodeId: propertyId('EURange'), attributeId: AttributeIds.Value },
    ]);
    expect(eu!.value.value.displayName.text).toBe('°C');
    expect(eu!.value.value.unitId).toBe(4408652); // UN/CEFACT "CEL"
    expect(range!.value.value.low).toBe(0);
    expect(range!.value.value.high).toBe(100);
    const booleans = await session.read({ nodeId: 'ns=1;s=SS01.P1.RUN', attributeId: AttributeIds.Value });
    expect(booleans.value.value).toBe(true);
  });

  it('writes a setpoint into the physics and refuses out-of-range and read-only writes', async () => {
    const ok = await session.write({
      nodeId: 'ns=1;s=SS01.MU.P_SP',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Double, value: 2.1 } },
    });
    expect(ok).toBe(StatusCodes.Good);
    expect(sim.read('SS01.MU.P_SP')).toBeCloseTo(2.1, 9);
    const readBack = await session.read({ nodeId: 'ns=1;s=SS01.MU.P_SP', attributeId: AttributeIds.Value });
    expect(readBack.value.value).toBeCloseTo(2.1, 9);
    const tooHigh = await session.write({
      nodeId: 'ns=1;s=SS01.MU.P_SP',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Double, value: 9 } },
    });
    expect(tooHigh).toBe(StatusCodes.BadOutOfRange);
    expect(sim.read('SS01.MU.P_SP')).toBeCloseTo(2.1, 9);
    const readOnly = await session.write({
      nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Double, value: 50 } },
    });
    expect(readOnly).toBe(StatusCodes.BadNotWritable);
    const duty = await session.write({
      nodeId: 'ns=1;s=SS02.SEC.DUTY_SEL',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.UInt16, value: 2 } },
    });
    expect(duty).toBe(StatusCodes.Good);
    sim.plant.advance(60);
    expect(sim.read('SS02.P2.RUN')).toBe(true);
    expect(sim.read('SS02.P1.RUN')).toBe(false);
  });

  it('shows injected faults in the right signals: bearing wear raises P1 vibration, fouling lowers UA', async () => {
    const read = async (id: string) =>
      (await session.read({ nodeId: `ns=1;s=${id}`, attributeId: AttributeIds.Value })).value.value as number;
    const vibration = await read('SS01.P1.VIB');
    const ua = await read('SS01.HX.UA');
    sim.injectFault({ kind: 'pump-bearing-wear', target: 'P1', severity: 0.6, rampMs: 0 });
    sim.injectFault({ kind: 'hx-fouling', severity: 0.5, rampMs: 0 });
    sim.plant.advance(120);
    expect(await read('SS01.P1.VIB')).toBeGreaterThan(vibration * 2);
    expect(await read('SS01.HX.UA')).toBeLessThan(ua * 0.8);
    expect(await read('SS02.HX.UA')).toBeCloseTo(ua, 6);
    sim.clearFaults();
  });

  it('offers None, Sign and SignAndEncrypt endpoints', async () => {
    const endpoints = await client.getEndpoints();
    const modes = new Set(endpoints.map((e) => MessageSecurityMode[e.securityMode]));
    expect([...modes].sort()).toEqual(['None', 'Sign', 'SignAndEncrypt']);
    expect(endpoints.some((e) => (e.securityPolicyUri ?? '').endsWith('Basic256Sha256'))).toBe(true);
  });

  it('accepts a SignAndEncrypt session (Basic256Sha256)', async () => {
    const secure = OPCUAClient.create({
      applicationName: 'argus-sim-test-secure',
      clientCertificateManager: new OPCUACertificateManager({
        rootFolder: join(dir, 'client-pki'),
        automaticallyAcceptUnknownCertificate: true,
      }),
      securityMode: MessageSecurityMode.SignAndEncrypt,
      securityPolicy: SecurityPolicy.Basic256Sha256,
      endpointMustExist: true,
      connectionStrategy: { maxRetry: 0 },
    });
    try {
      await secure.connect(sim.opcuaEndpoint!);
      const s = await secure.createSession();
      const dv = await s.read({ nodeId: 'ns=1;s=SS01.HX.T_SEC_SUP', attributeId: AttributeIds.Value });
      expect(dv.statusCode).toBe(StatusCodes.Good);
      await s.close();
    } finally {
      await secure.disconnect();
    }
  });
});
