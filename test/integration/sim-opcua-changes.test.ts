/**
 * How the simulator's OPC UA server reports the physics' changes, seen through the OPC UA
 * driver, with the plant stepped by hand: an item asking for every change (sampling 0) gets
 * each step's value once, stamped with the step's time; a sampled item reports only values
 * of real steps (a sample within the same step is no change), never one step twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../protocols/driver.js';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import { OpcuaDriver } from '../../protocols/opcua/index.js';
import { Plant } from '../../simulator/plant.js';
import { startOpcuaServer, type RunningOpcuaServer } from '../../simulator/opcua/server.js';
import { freeTcpPort } from '../../simulator/index.js';
import { waitFor } from '../support/wait-for.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NODE = 'ns=1;s=SS01.HX.T_SEC_SUP';

describe('simulator OPC UA server: changes as the physics makes them', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'argus-sim-opcua-changes-'));
    dirs.push(d);
    return d;
  };
  let plant: Plant;
  let server: RunningOpcuaServer;

  beforeAll(async () => {
    plant = new Plant({ substations: 1, seed: 3, startTime: Date.parse('2026-01-15T06:00:00Z') });
    plant.advance(60);
    server = await startOpcuaServer({
      host: '127.0.0.1',
      port: await freeTcpPort(),
      pkiDir: temp(),
      plant,
      alarmConditions: false,
    });
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pushes every step to an item that asks for every change, and samples only real steps', async () => {
    const driver = new OpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'SIM',
        protocol: 'opcua',
        endpointUrl: server.endpoint,
        samplingMs: 100,
        publishingMs: 100,
      }),
      { pkiDir: temp() },
    );
    const fresh = new Map<string, number[]>([
      ['ON_CHANGE', []],
      ['SAMPLED', []],
    ]);
    const onSamples = (samples: readonly Sample[]) => {
      for (const s of samples) {
        if (s.quality.code !== 'Good') continue;
        const times = fresh.get(s.tag)!;
        // Re-confirmations repeat the last source time: only new ones count.
        if (times.at(-1) !== s.sourceTime) times.push(s.sourceTime);
      }
    };
    try {
      driver.subscribe(
        [
          { name: 'ON_CHANGE', address: { nodeId: NODE, samplingMs: 0 }, intervalMs: 100 },
          { name: 'SAMPLED', address: { nodeId: NODE }, intervalMs: 100 },
        ],
        onSamples,
      );
      await driver.connect();
      await waitFor('initial values', () => fresh.get('ON_CHANGE')!.length === 1 && fresh.get('SAMPLED')!.length === 1);
      // The initial value carries the time of the last step before the subscription.
      expect(fresh.get('ON_CHANGE')![0]).toBe(plant.lastStepWallMs);
      const stepTimes: number[] = [];
      for (let i = 0; i < 8; i++) {
        await sleep(250);
        plant.advance(0.25);
        stepTimes.push(plant.lastStepWallMs);
      }
      await waitFor('the last step on change', () => fresh.get('ON_CHANGE')!.at(-1) === stepTimes.at(-1), 10_000);
      await sleep(500);
      // Every step once, at its own time.
      expect(fresh.get('ON_CHANGE')!.slice(1)).toEqual(stepTimes);
      // Sampled every 100 ms: only times of real steps, none twice (250 ms apart, so normally all of them).
      const sampled = fresh.get('SAMPLED')!.slice(1);
      expect(new Set(sampled).size).toBe(sampled.length);
      for (const t of sampled) expect(stepTimes).toContain(t);
      expect(sampled.length).toBeGreaterThanOrEqual(stepTimes.length - 2);
      // With the plant standing still, nothing new arrives.
      const before = [fresh.get('ON_CHANGE')!.length, fresh.get('SAMPLED')!.length];
      await sleep(600);
      expect([fresh.get('ON_CHANGE')!.length, fresh.get('SAMPLED')!.length]).toEqual(before);
    } finally {
      await driver.close();
    }
  });
});
