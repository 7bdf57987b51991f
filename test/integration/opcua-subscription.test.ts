/**
 * Subscription settings against a real node-opcua server: absolute and percent deadbands
 * (percent needs the node's EURange), queue size, and keep-alives that keep a quiet
 * subscription connected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType } from 'node-opcua';
import type { DriverTag, Sample, TagValue } from '../../protocols/driver.js';
import { opcuaDeviceSchema, type OpcuaAddress } from '../../protocols/opcua/config.js';
import { createOpcuaDriver } from '../../protocols/opcua/index.js';
import { freePort } from '../support/ports.js';
import { nodeId, startTestServer, type TestServer } from './opcua-fixture.js';
import { waitFor } from '../support/wait-for.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Recorder {
  readonly values = new Map<string, TagValue[]>();
  readonly latest = new Map<string, Sample>();
  readonly onSamples = (samples: readonly Sample[]): void => {
    for (const s of samples) {
      const previous = this.latest.get(s.tag);
      this.latest.set(s.tag, s);
      if (s.quality.code !== 'Good') continue;
      // A re-confirmation of an unchanged value (same source time) is not a new notification.
      if (
        previous &&
        previous.sourceTime === s.sourceTime &&
        previous.value === s.value &&
        previous.quality.code === 'Good'
      )
        continue;
      const list = this.values.get(s.tag) ?? [];
      list.push(s.value);
      this.values.set(s.tag, list);
    }
  };
  seen(tag: string): TagValue[] {
    return this.values.get(tag) ?? [];
  }
}

function tag(name: string, node: string, address: Partial<OpcuaAddress> = {}): DriverTag<OpcuaAddress> {
  return { name, address: { nodeId: nodeId(node), ...address }, intervalMs: 100 };
}

describe('OPC UA subscription settings', () => {
  let server: TestServer;
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'argus-opcua-sub-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startTestServer({ port: await freePort(), pkiDir: temp() });
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Sets each value and holds it until the unfiltered reference tag has seen it, plus a few sampling periods. */
  async function step(r: Recorder, reference: string, variable: string, values: number[]): Promise<void> {
    for (const v of values) {
      server.set(variable, DataType.Double, v);
      await waitFor(`${reference} = ${v}`, () => r.latest.get(reference)?.value === v);
      await sleep(300);
    }
  }

  it('applies an absolute deadband and a percent deadband of the EURange', async () => {
    server.set('Double', DataType.Double, 21.5);
    server.set('Analog', DataType.Double, 50);
    const driver = createOpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'DB',
        protocol: 'opcua',
        endpointUrl: server.endpoint,
        samplingMs: 50,
        publishingMs: 50,
      }),
      { pkiDir: temp() },
    );
    const r = new Recorder();
    try {
      driver.subscribe(
        [
          tag('DoubleRaw', 'Double'),
          tag('DoubleAbs', 'Double', { deadband: { kind: 'absolute', value: 1 } }),
          tag('AnalogRaw', 'Analog'),
          tag('AnalogPct', 'Analog', { deadband: { kind: 'percent', value: 5 } }),
          tag('DoublePct', 'Double', { deadband: { kind: 'percent', value: 5 } }),
        ],
        r.onSamples,
      );
      await driver.connect();
      await waitFor('initial values', () => r.seen('DoubleAbs').length === 1 && r.seen('AnalogPct').length === 1);

      await step(r, 'DoubleRaw', 'Double', [21.9, 23, 23.5, 30]);
      await waitFor('absolute deadband passes 30', () => r.seen('DoubleAbs').at(-1) === 30);
      expect(r.seen('DoubleAbs')).toEqual([21.5, 23, 30]);
      expect(r.seen('DoubleRaw')).toEqual([21.5, 21.9, 23, 23.5, 30]);

      // EURange 0…200: 5 % is 10 units.
      await step(r, 'AnalogRaw', 'Analog', [55, 61, 65, 80]);
      await waitFor('percent deadband passes 80', () => r.seen('AnalogPct').at(-1) === 80);
      expect(r.seen('AnalogPct')).toEqual([50, 61, 80]);

      // A percent deadband on a node without EURange is refused by the server, by name.
      const refused = r.latest.get('DoublePct')!;
      expect(refused.quality.code).toBe('Bad');
      expect(refused.quality.reason).toMatch(
        /^Bad(FilterNotAllowed|MonitoredItemFilterUnsupported|DeadbandFilterInvalid) at ns=1;s=Test.Double$/,
      );
    } finally {
      await driver.close();
    }
  });

  it('a queue keeps every sampled value between publishes, by default too; queue size 1 keeps the latest; overflows are counted', async () => {
    server.set('Double', DataType.Double, 0);
    const driver = createOpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'Q',
        protocol: 'opcua',
        endpointUrl: server.endpoint,
        samplingMs: 50,
        publishingMs: 2000,
      }),
      { pkiDir: temp() },
    );
    const r = new Recorder();
    const tags = ['Queued', 'Default', 'Latest', 'Short'];
    try {
      driver.subscribe(
        [
          tag('Queued', 'Double', { queueSize: 10 }),
          tag('Default', 'Double'),
          tag('Latest', 'Double', { queueSize: 1 }),
          tag('Short', 'Double', { queueSize: 2 }),
        ],
        r.onSamples,
      );
      await driver.connect();
      await waitFor('initial values', () => tags.every((t) => r.seen(t).length === 1));
      // Five changes within 750 ms: at most two publishes at 2,000 ms, so one of them finds three or more samples.
      for (const v of [1, 2, 3, 4, 5]) {
        server.set('Double', DataType.Double, v);
        await sleep(150);
      }
      await waitFor('last value', () => tags.every((t) => r.seen(t).at(-1) === 5), 10_000);
      expect(r.seen('Queued')).toEqual([0, 1, 2, 3, 4, 5]);
      // No queue size: the driver asks for two publishing intervals' worth of samples (2 × 2,000 / 50 + 1).
      expect(r.seen('Default')).toEqual([0, 1, 2, 3, 4, 5]);
      expect(r.seen('Latest').length).toBeLessThan(6);
      // A queue of two overflowed: the server marked what it kept, and the driver counted it.
      expect(r.seen('Short').length).toBeLessThan(6);
      expect(Number(driver.status().diagnostics.queueOverflows)).toBeGreaterThanOrEqual(1);
    } finally {
      await driver.close();
    }
  });

  it('keep-alives hold a quiet subscription connected', async () => {
    const driver = createOpcuaDriver(
      opcuaDeviceSchema.parse({
        name: 'KA',
        protocol: 'opcua',
        endpointUrl: server.endpoint,
        samplingMs: 100,
        publishingMs: 100,
      }),
      { pkiDir: temp() },
    );
    const r = new Recorder();
    try {
      driver.subscribe([tag('Quiet', 'ReadOnly')], r.onSamples);
      await driver.connect();
      await waitFor('value', () => r.latest.get('Quiet')?.quality.code === 'Good');
      // Several silence limits pass with nothing to report but keep-alives.
      await waitFor('keep-alives', () => Number(driver.status().diagnostics.keepAlives) >= 8);
      expect(driver.status().state).toBe('connected');
      expect(driver.status().diagnostics.rebuilds).toBe(0);
      expect(r.latest.get('Quiet')!.quality.code).toBe('Good');
    } finally {
      await driver.close();
    }
  });
});
