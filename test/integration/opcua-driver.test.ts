/**
 * The OPC UA driver against a real node-opcua server over 127.0.0.1: values, qualities and
 * timestamps, status names, writes, a server that goes away and comes back, a server that
 * is unreachable at first, and one that stops answering without closing the socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, StatusCodes } from 'node-opcua';
import type { DriverTag, Sample, DeviceStatus } from '../../protocols/driver.js';
import { opcuaDeviceSchema, type OpcuaAddress } from '../../protocols/opcua/config.js';
import { createOpcuaDriver } from '../../protocols/opcua/index.js';
import { freePort } from '../support/ports.js';
import { nodeId, startTestServer, type TestServer } from './opcua-fixture.js';
import { waitFor } from '../support/wait-for.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-opcua-'));
  dirs.push(dir);
  return dir;
}

class Collector {
  readonly latest = new Map<string, Sample>();
  readonly all: Sample[] = [];
  batches = 0;
  readonly onSamples = (samples: readonly Sample[]): void => {
    this.batches += 1;
    for (const s of samples) {
      this.latest.set(s.tag, s);
      this.all.push(s);
    }
  };
  get(tag: string): Sample | undefined {
    return this.latest.get(tag);
  }
}

function device(endpointUrl: string, extra: Record<string, unknown> = {}) {
  return opcuaDeviceSchema.parse({
    name: 'TEST-OPC',
    protocol: 'opcua',
    endpointUrl,
    samplingMs: 100,
    publishingMs: 100,
    ...extra,
  });
}

function tag(name: string, address: Partial<OpcuaAddress> = {}): DriverTag<OpcuaAddress> {
  return { name, address: { nodeId: nodeId(name), ...address }, intervalMs: 100 };
}

const stamp = new Date('2024-03-01T12:00:00.000Z');

describe('OPC UA driver against a node-opcua server', () => {
  let port: number;
  let pkiDir: string;
  let server: TestServer | null = null;

  beforeAll(async () => {
    port = await freePort();
    pkiDir = tempDir();
    server = await startTestServer({ port, pkiDir: tempDir() });
  });

  afterAll(async () => {
    await server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers values with Good quality, source and receive timestamps, in batches', async () => {
    const driver = createOpcuaDriver(device(server!.endpoint), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe([tag('Double'), tag('Int16'), tag('Bool'), tag('Text'), tag('Counter')], c.onSamples);
      await driver.connect();
      await waitFor('first values', () =>
        ['Double', 'Int16', 'Bool', 'Text'].every((t) => c.get(t)?.quality.code === 'Good'),
      );
      expect(c.get('Double')!.value).toBe(21.5);
      expect(c.get('Int16')!.value).toBe(-7);
      expect(c.get('Bool')!.value).toBe(false);
      expect(c.get('Text')!.value).toBe('hello');

      server!.set('Counter', DataType.UInt32, 42, StatusCodes.Good);
      server!.variables.Counter!.setValueFromSource({ dataType: DataType.UInt32, value: 43 }, StatusCodes.Good, stamp);
      const counter = await waitFor('counter 43', () =>
        c.get('Counter')?.value === 43 ? c.get('Counter') : undefined,
      );
      expect(counter.quality).toEqual({ code: 'Good' });
      expect(counter.sourceTime).toBe(stamp.getTime());
      expect(counter.receiveTime).toBeGreaterThan(stamp.getTime());
      const status = driver.status();
      expect(status.state).toBe('connected');
      expect(status.diagnostics.monitoredItems).toBe(5);
      expect(Number(status.diagnostics.notificationsReceived)).toBeGreaterThanOrEqual(5);
      // The five initial values came in fewer calls than samples.
      expect(c.batches).toBeLessThan(c.all.length);
    } finally {
      await driver.close();
    }
    expect(driver.status().state).toBe('stopped');
  });

  it('re-confirms values that do not change while the subscription is alive (fresh receive time, same value)', async () => {
    const driver = createOpcuaDriver(device(server!.endpoint), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe([tag('Text')], c.onSamples);
      await driver.connect();
      const first = await waitFor('a value', () =>
        c.get('Text')?.quality.code === 'Good' ? c.get('Text') : undefined,
      );
      const later = await waitFor(
        'a re-confirmed value',
        () => {
          const s = c.get('Text');
          return s && s.receiveTime > first.receiveTime ? s : undefined;
        },
        10_000,
      );
      expect(later.value).toBe(first.value);
      expect(later.sourceTime).toBe(first.sourceTime);
      expect(later.quality.code).toBe('Good');
    } finally {
      await driver.close();
    }
  });

  it('reads and writes one element of an array node per tag; carries 64-bit integers beyond 2^53 exactly', async () => {
    const driver = createOpcuaDriver(device(server!.endpoint), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe(
        [
          { name: 'L0', address: { nodeId: nodeId('Levels'), index: 0 }, intervalMs: 100 },
          { name: 'L2', address: { nodeId: nodeId('Levels'), index: 2 }, intervalMs: 100 },
          { name: 'L9', address: { nodeId: nodeId('Levels'), index: 9 }, intervalMs: 100 },
          tag('Int64'),
          tag('UInt64'),
        ],
        c.onSamples,
      );
      await driver.connect();
      await waitFor('elements', () => c.get('L0')?.quality.code === 'Good' && c.get('L2')?.quality.code === 'Good');
      expect([c.get('L0')!.value, c.get('L2')!.value]).toEqual([10.5, 30.5]);
      const beyond = await waitFor('index beyond the end', () =>
        c.get('L9')?.quality.code === 'Bad' ? c.get('L9') : undefined,
      );
      expect(beyond.quality.reason).toBe('BadIndexRangeNoData at ns=1;s=Test.Levels');

      expect(await driver.write('L2', 33.25)).toEqual({ ok: true, confirmed: true, readBack: 33.25 });
      await waitFor('element written', () => c.get('L2')?.value === 33.25);
      const whole = server!.variables.Levels!.readValue().value.value as Float64Array;
      expect(Array.from(whole)).toEqual([10.5, 20.5, 33.25]); // only that element changed

      await waitFor(
        '64-bit values',
        () => c.get('Int64')?.quality.code === 'Good' && c.get('UInt64')?.quality.code === 'Good',
      );
      expect(c.get('Int64')!.value).toBe('9007199254740993');
      expect(c.get('UInt64')!.value).toBe('18446744073709551615');
      expect(await driver.write('Int64', '-9223372036854775807')).toEqual({
        ok: true,
        confirmed: true,
        readBack: '-9223372036854775807',
      });
      expect(await driver.write('Int64', 42)).toEqual({ ok: true, confirmed: true, readBack: 42 });
    } finally {
      await driver.close();
    }
  });

  it('maps status codes to quality with their names, and refuses arrays and unknown nodes', async () => {
    const driver = createOpcuaDriver(device(server!.endpoint), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe(
        [
          tag('Status'),
          tag('Array'),
          { name: 'Missing', address: { nodeId: 'ns=1;s=Test.DoesNotExist' }, intervalMs: 100 },
          { name: 'Garbage', address: { nodeId: 'not a node id' }, intervalMs: 100 },
        ],
        c.onSamples,
      );
      await driver.connect();
      await waitFor('status good', () => c.get('Status')?.quality.code === 'Good');
      const array = await waitFor('array refused', () =>
        c.get('Array')?.quality.code === 'Bad' && c.get('Array')?.quality.reason?.includes('unsupported')
          ? c.get('Array')
          : undefined,
      );
      expect(array.quality.reason).toBe(
        'unsupported data type Double[3] at ns=1;s=Test.Array: a tag holds one value; read one element per tag with index: 0 … index: 2 in its opcua address',
      );
      const missing = await waitFor('missing node Bad', () =>
        c.get('Missing')?.quality.reason?.startsWith('BadNodeIdUnknown') ? c.get('Missing') : undefined,
      );
      expect(missing.quality.code).toBe('Bad');
      expect(c.get('Garbage')!.quality).toEqual({ code: 'Bad', reason: 'BadNodeIdInvalid: not a node id' });

      server!.set('Status', DataType.Double, 2, StatusCodes.BadSensorFailure);
      const failed = await waitFor('sensor failure', () =>
        c.get('Status')?.quality.code === 'Bad' ? c.get('Status') : undefined,
      );
      expect(failed.quality.reason).toBe('BadSensorFailure at ns=1;s=Test.Status');
      server!.set('Status', DataType.Double, 3, StatusCodes.UncertainLastUsableValue);
      const unsure = await waitFor('uncertain', () =>
        c.get('Status')?.quality.code === 'Uncertain' ? c.get('Status') : undefined,
      );
      expect(unsure.quality.reason).toBe('UncertainLastUsableValue at ns=1;s=Test.Status');
      expect(unsure.value).toBe(3);
      server!.set('Status', DataType.Double, 4, StatusCodes.Good);
      await waitFor('good again', () => c.get('Status')?.quality.code === 'Good' && c.get('Status')?.value === 4);
    } finally {
      await driver.close();
    }
  });

  it('writes Double, Int16 and Boolean setpoints with the node type and reports refusals by status name', async () => {
    const driver = createOpcuaDriver(device(server!.endpoint), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe([tag('Double'), tag('Int16'), tag('Bool'), tag('ReadOnly')], c.onSamples);
      await driver.connect();
      await waitFor('connected', () => driver.status().state === 'connected');

      expect(await driver.write('Double', 55.25)).toEqual({ ok: true, confirmed: true, readBack: 55.25 });
      expect(await driver.write('Int16', -1234)).toEqual({ ok: true, confirmed: true, readBack: -1234 });
      expect(await driver.write('Bool', true)).toEqual({ ok: true, confirmed: true, readBack: true });
      await waitFor(
        'written values arrive',
        () => c.get('Double')?.value === 55.25 && c.get('Int16')?.value === -1234 && c.get('Bool')?.value === true,
      );

      const mismatch = await driver.write('Double', 'warm');
      expect(mismatch.ok).toBe(false);
      expect(!mismatch.ok && mismatch.reason).toMatch(/^BadTypeMismatch/);
      const range = await driver.write('Int16', 70000);
      expect(!range.ok && range.reason).toMatch(/^BadOutOfRange/);
      const readOnly = await driver.write('ReadOnly', 1);
      expect(!readOnly.ok && readOnly.reason).toMatch(/^BadNotWritable|^BadUserAccessDenied/);
      expect(await driver.write('Nope', 1)).toEqual({ ok: false, reason: 'unknown tag Nope on TEST-OPC' });
      // Refused writes changed nothing.
      expect(await driver.write('Double', 21.5)).toMatchObject({ ok: true, confirmed: true });
    } finally {
      await driver.close();
    }
  });

  it('turns every tag Bad when the server goes away and recovers all values when it returns', async () => {
    const ownPort = await freePort();
    const serverPki = tempDir();
    let own: TestServer | null = await startTestServer({ port: ownPort, pkiDir: serverPki });
    const driver = createOpcuaDriver(device(own.endpoint), { pkiDir });
    const c = new Collector();
    const states: DeviceStatus[] = [];
    driver.onStatus((s) => states.push(s));
    try {
      driver.subscribe([tag('Double'), tag('Int16'), tag('Counter')], c.onSamples);
      await driver.connect();
      await waitFor('values', () => ['Double', 'Int16', 'Counter'].every((t) => c.get(t)?.quality.code === 'Good'));

      await own.stop();
      own = null;
      await waitFor('all Bad', () => ['Double', 'Int16', 'Counter'].every((t) => c.get(t)?.quality.code === 'Bad'));
      for (const t of ['Double', 'Int16', 'Counter']) {
        expect(c.get(t)!.quality.reason).toMatch(/^communication lost: TEST-OPC /);
      }
      // The last value stays visible, marked Bad.
      expect(c.get('Double')!.value).toBe(21.5);
      await waitFor('disconnected', () => states.some((s) => s.state === 'disconnected' && s.lastError));

      own = await startTestServer({ port: ownPort, pkiDir: serverPki });
      // Values that never change on the new server must come back too.
      await waitFor(
        'recovered',
        () => ['Double', 'Int16', 'Counter'].every((t) => c.get(t)?.quality.code === 'Good'),
        30_000,
      );
      expect(c.get('Double')!.value).toBe(21.5);
      own.set('Counter', DataType.UInt32, 7);
      await waitFor('live after recovery', () => c.get('Counter')?.value === 7);
      expect(driver.status().state).toBe('connected');
      const d = driver.status().diagnostics;
      expect(Number(d.reconnects) + Number(d.rebuilds)).toBeGreaterThanOrEqual(1);
    } finally {
      await driver.close();
      await own?.stop();
    }
  });

  it('keeps retrying a server that is not there yet, with tags Bad meanwhile', async () => {
    const laterPort = await freePort();
    const driver = createOpcuaDriver(device(`opc.tcp://127.0.0.1:${laterPort}`), { pkiDir });
    const c = new Collector();
    let later: TestServer | null = null;
    try {
      driver.subscribe([tag('Double')], c.onSamples);
      await driver.connect();
      expect(c.get('Double')!.quality.code).toBe('Bad');
      expect(c.get('Double')!.quality.reason).toMatch(/^communication lost: TEST-OPC/);
      await waitFor('a failed attempt', () => driver.status().state === 'disconnected' && driver.status().lastError);
      later = await startTestServer({ port: laterPort, pkiDir: tempDir() });
      await waitFor('value once the server is up', () => c.get('Double')?.quality.code === 'Good', 30_000);
    } finally {
      await driver.close();
      await later?.stop();
    }
  });

  it('notices a server that stops answering without closing the connection', async () => {
    const proxy = await startFreezableProxy(port);
    const driver = createOpcuaDriver(device(`opc.tcp://127.0.0.1:${proxy.port}`), { pkiDir });
    const c = new Collector();
    try {
      driver.subscribe([tag('Double'), tag('Counter')], c.onSamples);
      await driver.connect();
      await waitFor('values', () => c.get('Double')?.quality.code === 'Good');
      proxy.freeze();
      const lost = await waitFor('Bad after silence', () =>
        c.get('Double')?.quality.code === 'Bad' ? c.get('Double') : undefined,
      );
      expect(lost.quality.reason).toMatch(/^communication lost: TEST-OPC no publish response for \d+ ms$/);
      proxy.thaw();
      await waitFor('recovered after the hang', () => c.get('Double')?.quality.code === 'Good', 30_000);
    } finally {
      await driver.close();
      await proxy.close();
    }
  });
});

/** A TCP forwarder that can stop passing bytes in both directions while keeping sockets open. */
async function startFreezableProxy(
  targetPort: number,
): Promise<{ port: number; freeze(): void; thaw(): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (frozen) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const forward = (from: Socket, to: Socket) => from.on('data', (chunk) => (frozen ? undefined : to.write(chunk)));
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      // Connections that hung stay useless; the client must open new ones.
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
