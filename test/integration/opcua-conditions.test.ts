/**
 * OPC UA Alarms & Conditions against the simulator's own OPC UA server: the alarm word bits
 * the physics sets arrive as conditions through the driver and as alarms in the AlarmService;
 * acknowledging in Argus calls the server's Acknowledge (the server's AckedState turns true);
 * an acknowledgement made at the server by another client is taken over; a cleared condition
 * returns the alarm to normal; and after the server restarts, ConditionRefresh brings the
 * conditions that stand (and drops the ones that went away meanwhile).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataType,
  LocalizedText,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  Variant,
  makeBrowsePath,
  type ClientSession,
} from 'node-opcua';
import { projectSchema, type ProjectConfig } from '../../main/runtime/config/schema.js';
import { DeviceRegistry } from '../../main/runtime/devices/device-registry.js';
import { AlarmService } from '../../main/runtime/alarms/alarm-service.js';
import { bindOpcuaConditions } from '../../main/runtime/alarms/opcua-conditions.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import type { ConditionUpdate } from '../../protocols/opcua/conditions.js';
import { OpcuaDriver } from '../../protocols/opcua/index.js';
import { Plant } from '../../simulator/plant.js';
import { startOpcuaServer, type RunningOpcuaServer } from '../../simulator/opcua/server.js';
import { freeTcpPort } from '../../simulator/index.js';
import { waitFor } from '../support/wait-for.js';

const DEVICE = 'SS01-OPCUA';
const NO_FLOW = 'ns=1;s=SS01.ALM.NO_FLOW.Alarm';
const NO_FLOW_ALARM = 'SS01.SS01_OPCUA.ALM.NO_FLOW';
const PUMP_FLT = 'ns=1;s=SS01.ALM.PUMP_FLT.Alarm';

/** A second client, as another console or the server's own panel would be. */
interface OtherClient {
  read(conditionId: string, path: string): Promise<unknown>;
  acknowledge(conditionId: string, comment: string): Promise<string>;
  close(): Promise<void>;
}

async function otherClient(endpoint: string, pkiDir: string): Promise<OtherClient> {
  const client = OPCUAClient.create({
    applicationName: 'argus-conditions-test',
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: pkiDir,
      automaticallyAcceptUnknownCertificate: true,
    }),
    securityMode: MessageSecurityMode.None,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 },
  });
  await client.connect(endpoint);
  const session: ClientSession = await client.createSession();
  const read = async (conditionId: string, path: string): Promise<unknown> => {
    const target = await session.translateBrowsePath(makeBrowsePath(conditionId, path));
    const nodeId = target.targets?.[0]?.targetId;
    if (!nodeId) throw new Error(`${conditionId} has no ${path}`);
    const dv = await session.read({ nodeId });
    return dv.value.value as unknown;
  };
  return {
    read,
    async acknowledge(conditionId, comment) {
      const eventId = (await read(conditionId, '.EventId')) as Buffer;
      const result = await session.call({
        objectId: conditionId,
        methodId: 'ns=0;i=9111',
        inputArguments: [
          new Variant({ dataType: DataType.ByteString, value: eventId }),
          new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ text: comment }) }),
        ],
      });
      return result.statusCode.name;
    },
    async close() {
      await session.close().catch(() => undefined);
      await client.disconnect();
    },
  };
}

/** Run the physics for `seconds` of simulated time in one-second steps (conditions follow each step). */
function run(plant: Plant, seconds: number): void {
  for (let i = 0; i < seconds; i++) plant.advance(1);
}

describe('OPC UA alarm conditions against the simulator', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'argus-opcua-conditions-'));
    dirs.push(d);
    return d;
  };
  let plant: Plant;
  let port: number;
  let server: RunningOpcuaServer | null = null;
  const serverPki = temp();
  const start = async () =>
    (server = await startOpcuaServer({
      host: '127.0.0.1',
      port,
      pkiDir: serverPki,
      plant,
      minimumSamplingIntervalMs: 50,
    }));

  beforeAll(async () => {
    plant = new Plant({ substations: 1, seed: 1, startTime: Date.parse('2026-01-15T06:00:00Z') });
    run(plant, 60);
    port = await freeTcpPort();
    await start();
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(
    'raises, acknowledges at the server, follows acknowledgements made elsewhere, clears, and refreshes after a restart',
    { timeout: 120_000 },
    async () => {
      expect(plant.read('SS01.ALM.NO_FLOW')).toBe(false);
      const project: ProjectConfig = projectSchema.parse({
        schemaVersion: 1,
        name: 'conditions test',
        devices: [
          {
            name: DEVICE,
            protocol: 'opcua',
            endpointUrl: `opc.tcp://127.0.0.1:${port}`,
            samplingMs: 100,
            publishingMs: 100,
            conditions: true,
          },
        ],
        tags: [
          {
            name: 'SS01.ALM.NO_FLOW',
            device: DEVICE,
            kind: 'digital',
            description: { en: 'No secondary circulation' },
            opcua: { nodeId: 'ns=1;s=SS01.ALM.NO_FLOW' },
          },
        ],
      });
      const log = createLogger({ level: 'silent' });
      const tags = new TagTable(project.tags.map((t) => t.name));
      const devices = new DeviceRegistry(project, tags, { pkiDir: temp(), log }, log);
      const alarms = new AlarmService({ project, tags, devices, file: join(temp(), 'alarms.db'), log, flushMs: 5 });
      alarms.start();
      const feeds = devices.conditionFeeds();
      expect(feeds.map((f) => f.device)).toEqual([DEVICE]);
      const reports: ConditionUpdate[] = [];
      const stopReports = feeds[0]!.onCondition((u) => reports.push(u));
      const stopConditions = bindOpcuaConditions(alarms, feeds, log);
      const other = await otherClient(`opc.tcp://127.0.0.1:${port}`, temp());
      try {
        await devices.start();
        await waitFor('device connected', () => devices.get(DEVICE)?.state === 'connected');

        // Both pumps off: the PLC's "no circulation" bit comes on.
        plant.write('SS01.P1.AUTO', false);
        plant.write('SS01.P2.AUTO', false);
        run(plant, 120);
        expect(plant.read('SS01.ALM.NO_FLOW')).toBe(true);
        const raised = await waitFor('the condition through the driver', () =>
          reports.find((r) => r.conditionId === NO_FLOW && r.active),
        );
        expect(raised).toMatchObject({
          device: DEVICE,
          conditionName: 'SS01.ALM.NO_FLOW',
          acked: false,
          severity: 900,
          message: 'No secondary circulation',
          branchId: null,
        });
        const alarm = await waitFor('the alarm in the list', () => alarms.get(NO_FLOW_ALARM));
        expect(alarm).toMatchObject({
          source: 'opcua',
          kind: 'opcua-condition',
          priority: 'critical',
          area: 'SS01',
          device: DEVICE,
          state: 'unack-active',
          active: true,
        });
        expect(alarms.list().map((a) => a.id)).toContain(NO_FLOW_ALARM);

        // The operator acknowledges in Argus: the server's condition is acknowledged.
        expect(await other.read(NO_FLOW, '.AckedState.Id')).toBe(false);
        const ack = await alarms.acknowledge([NO_FLOW_ALARM], 'operator', 'pumps stopped for maintenance');
        expect(ack).toEqual({ acknowledged: [NO_FLOW_ALARM], refused: [] });
        expect(await other.read(NO_FLOW, '.AckedState.Id')).toBe(true);
        expect(String(await other.read(NO_FLOW, '.Comment'))).toContain('operator: pumps stopped for maintenance');
        expect(alarms.get(NO_FLOW_ALARM)).toMatchObject({ state: 'ack-active', ackedBy: 'operator' });
        await waitFor('the server reports it acknowledged', () =>
          reports.find((r) => r.conditionId === NO_FLOW && r.acked),
        );
        expect(alarms.get(NO_FLOW_ALARM)).toMatchObject({ state: 'ack-active', ackedBy: 'operator' });

        // The pumps run again: the condition clears and the alarm returns to normal.
        plant.write('SS01.P1.AUTO', true);
        run(plant, 300);
        expect(plant.read('SS01.ALM.NO_FLOW')).toBe(false);
        await waitFor('back to normal', () => alarms.get(NO_FLOW_ALARM)?.state === 'normal');
        expect(alarms.list().map((a) => a.id)).not.toContain(NO_FLOW_ALARM);

        // Raised again and acknowledged at the server by another client: taken over here by the server.
        plant.write('SS01.P1.AUTO', false);
        run(plant, 120);
        await waitFor('raised again', () => alarms.get(NO_FLOW_ALARM)?.state === 'unack-active');
        expect(await other.acknowledge(NO_FLOW, 'seen on the panel')).toBe('Good');
        const taken = await waitFor('acknowledged from the server', () =>
          alarms.get(NO_FLOW_ALARM)?.state === 'ack-active' ? alarms.get(NO_FLOW_ALARM) : undefined,
        );
        expect(taken.ackedBy).toBe(`opcua:${DEVICE}`);
        // An acknowledged condition is not acknowledged twice: the server still has the panel's comment.
        expect(String(await other.read(NO_FLOW, '.Comment'))).toContain('seen on the panel');

        // The journal has both acknowledgements with their users.
        await alarms.flush();
        const users = alarms
          .queryJournal({ from: 0, to: Date.now() + 1000, alarmId: NO_FLOW_ALARM })
          .entries.filter((e) => e.kind === 'acknowledged')
          .map((e) => e.user);
        expect(users).toEqual(expect.arrayContaining(['operator', `opcua:${DEVICE}`]));

        // The server restarts. Meanwhile circulation comes back (NO_FLOW clears) and the standby pump trips.
        await server!.stop();
        server = null;
        await waitFor('device lost', () => devices.get(DEVICE)?.state !== 'connected');
        plant.write('SS01.P1.AUTO', true);
        plant.write('SS01.P2.AUTO', true);
        plant.substations[0]!.pumps[1].fault = true; // the standby pump trips
        run(plant, 300);
        expect(plant.read('SS01.ALM.NO_FLOW')).toBe(false);
        expect(plant.read('SS01.ALM.PUMP_FLT')).toBe(true);
        const before = reports.length;
        await start();
        await waitFor('device back', () => devices.get(DEVICE)?.state === 'connected', 60_000);
        // The new server raised the pump fault before anyone subscribed: only ConditionRefresh brings it.
        const refreshed = await waitFor(
          'the pump fault by ConditionRefresh',
          () => reports.slice(before).find((r) => r.conditionId === PUMP_FLT && r.active),
          30_000,
        );
        expect(refreshed.refresh).toBe(true);
        await waitFor('pump fault alarm', () => alarms.get('SS01.SS01_OPCUA.ALM.PUMP_FLT')?.state === 'unack-active');
        expect(alarms.get('SS01.SS01_OPCUA.ALM.PUMP_FLT')?.priority).toBe('high');
        // NO_FLOW is not among the conditions that stand: the refresh ends it here too.
        await waitFor('NO_FLOW ended by the refresh', () => alarms.get(NO_FLOW_ALARM)?.state === 'normal');
        expect(reports.slice(before).find((r) => r.conditionId === NO_FLOW)).toMatchObject({
          active: false,
          refresh: true,
        });
      } finally {
        stopConditions();
        stopReports();
        await other.close().catch(() => undefined);
        await alarms.stop();
        await devices.stop();
      }
    },
  );

  it("an acknowledgement's echo from the server, arriving before the call returns, stays the operator's", async () => {
    const project: ProjectConfig = projectSchema.parse({
      schemaVersion: 1,
      name: 'echo test',
      devices: [{ name: DEVICE, protocol: 'opcua', conditions: true }],
      tags: [
        {
          name: 'SS01.ALM.NO_FLOW',
          device: DEVICE,
          kind: 'digital',
          description: { en: 'No secondary circulation' },
          opcua: { nodeId: 'ns=1;s=SS01.ALM.NO_FLOW' },
        },
      ],
    });
    const log = createLogger({ level: 'silent' });
    const tags = new TagTable(project.tags.map((t) => t.name));
    const alarms = new AlarmService({
      project,
      tags,
      devices: { list: () => [], onChange: () => () => undefined },
      file: join(temp(), 'alarms.db'),
      log,
      flushMs: 5,
    });
    alarms.start();
    let listener: ((u: ConditionUpdate) => void) | null = null;
    const report: ConditionUpdate = {
      device: DEVICE,
      conditionId: NO_FLOW,
      eventId: '01',
      conditionName: 'SS01.ALM.NO_FLOW',
      sourceName: '1:NO_FLOW',
      message: 'No secondary circulation',
      severity: 900,
      active: true,
      acked: false,
      retain: true,
      time: Date.now(),
      branchId: null,
      refresh: false,
    };
    const calls: string[] = [];
    const stop = bindOpcuaConditions(
      alarms,
      [
        {
          device: DEVICE,
          tags: ['SS01.ALM.NO_FLOW'],
          onCondition: (l) => ((listener = l), () => (listener = null)),
          acknowledge: async (conditionId, eventId, comment) => {
            calls.push(`${conditionId} ${eventId} ${comment}`);
            listener!({ ...report, eventId: '02', acked: true, retain: false }); // the server's event, before the call's response
            await new Promise((r) => setTimeout(r, 20));
          },
        },
      ],
      log,
    );
    try {
      listener!(report);
      expect(alarms.get(NO_FLOW_ALARM)?.state).toBe('unack-active');
      expect(await alarms.acknowledge([NO_FLOW_ALARM], 'operator', null)).toEqual({
        acknowledged: [NO_FLOW_ALARM],
        refused: [],
      });
      expect(calls).toEqual([`${NO_FLOW} 01 acknowledged in Argus by operator`]);
      await new Promise((r) => setTimeout(r, 50));
      expect(alarms.get(NO_FLOW_ALARM)).toMatchObject({ state: 'ack-active', ackedBy: 'operator' });
    } finally {
      stop();
      await alarms.stop();
    }
  });

  it('the driver offers no conditions unless the device asks for them', () => {
    const driver = new OpcuaDriver(
      projectSchema.parse({ schemaVersion: 1, name: 'x', devices: [{ name: 'D', protocol: 'opcua' }], tags: [] })
        .devices[0] as never,
      { pkiDir: temp() },
    );
    expect(driver.conditions).toBeNull();
  });
});
