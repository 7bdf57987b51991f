/**
 * A server cannot make the client buffer more than its limits: a raw TCP peer that answers
 * the handshake and then announces a 1 GiB chunk is cut off (tags Bad, retried later), and
 * a real server asked for a value larger than the negotiated message size reports
 * BadResponseTooLarge for that tag while the others stay Good.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataType } from 'node-opcua';
import type { Sample } from '../../protocols/driver.js';
import { opcuaDeviceSchema } from '../../protocols/opcua/config.js';
import { createOpcuaDriver } from '../../protocols/opcua/index.js';
import { freePort } from '../support/ports.js';
import { nodeId, startTestServer } from './opcua-fixture.js';
import { waitFor } from '../support/wait-for.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-opcua-lim-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Acknowledges HEL like a server, then answers anything with a chunk header claiming 1 GiB and a stream of junk. */
async function startHostilePeer(): Promise<{
  port: number;
  connections: () => number;
  junkSent: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  let junk = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let acknowledged = false;
    socket.on('data', (data) => {
      if (!acknowledged && data.subarray(0, 3).toString('latin1') === 'HEL') {
        acknowledged = true;
        const ack = Buffer.alloc(28);
        ack.write('ACKF', 0, 'latin1');
        ack.writeUInt32LE(28, 4);
        ack.writeUInt32LE(0, 8);
        ack.writeUInt32LE(65536, 12);
        ack.writeUInt32LE(65536, 16);
        socket.write(ack);
        return;
      }
      const header = Buffer.alloc(8);
      header.write('OPNF', 0, 'latin1');
      header.writeUInt32LE(0x40000000, 4);
      socket.write(header);
      const block = Buffer.alloc(1 << 20, 0x41);
      for (let i = 0; i < 4 && !socket.destroyed; i++) {
        socket.write(block);
        junk += block.length;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => connections,
    junkSent: () => junk,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('OPC UA message limits', () => {
  it('cuts off a peer that announces an oversized chunk, keeps the tags Bad and retries', async () => {
    const peer = await startHostilePeer();
    const driver = createOpcuaDriver(
      opcuaDeviceSchema.parse({ name: 'HOSTILE', protocol: 'opcua', endpointUrl: `opc.tcp://127.0.0.1:${peer.port}` }),
      { pkiDir: tempDir() },
    );
    let last: Sample | undefined;
    try {
      driver.subscribe([{ name: 'X', address: { nodeId: 'ns=1;s=X' }, intervalMs: 1000 }], (s) => (last = s.at(-1)));
      await driver.connect();
      await waitFor('a second attempt', () => peer.connections() >= 2 && peer.junkSent() > 0);
      expect(driver.status().state).not.toBe('connected');
      expect(driver.status().lastError).toBeTruthy();
      expect(driver.status().lastError).not.toContain('\n');
      expect(last?.quality.code).toBe('Bad');
      expect(last?.quality.reason).toMatch(/^communication lost: HOSTILE /);
    } finally {
      await driver.close();
      await peer.close();
    }
  });

  it('a value larger than the negotiated message size is Bad for that tag only', async () => {
    const server = await startTestServer({ port: await freePort(), pkiDir: tempDir() });
    const device = opcuaDeviceSchema.parse({
      name: 'LIMITED',
      protocol: 'opcua',
      endpointUrl: server.endpoint,
      samplingMs: 100,
      publishingMs: 100,
      maxMessageSize: 1_048_576,
    });
    const driver = createOpcuaDriver(device, { pkiDir: tempDir() });
    const latest = new Map<string, Sample>();
    try {
      driver.subscribe(
        [
          { name: 'Text', address: { nodeId: nodeId('Text') }, intervalMs: 100 },
          { name: 'Double', address: { nodeId: nodeId('Double') }, intervalMs: 100 },
        ],
        (samples) => samples.forEach((s) => latest.set(s.tag, s)),
      );
      await driver.connect();
      await waitFor(
        'values',
        () => latest.get('Text')?.quality.code === 'Good' && latest.get('Double')?.quality.code === 'Good',
      );
      server.set('Text', DataType.String, 'x'.repeat(3_000_000));
      const big = await waitFor('Text refused', () =>
        latest.get('Text')?.quality.code === 'Bad' ? latest.get('Text') : undefined,
      );
      expect(big.quality.reason).toBe('BadResponseTooLarge at ns=1;s=Test.Text');
      expect(big.value).toBe('hello');
      server.set('Double', DataType.Double, 12.5);
      await waitFor(
        'other tags live',
        () => latest.get('Double')?.value === 12.5 && latest.get('Double')?.quality.code === 'Good',
      );
      expect(driver.status().state).toBe('connected');
    } finally {
      await driver.close();
      await server.stop();
    }
  });
});
