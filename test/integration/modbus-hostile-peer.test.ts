/**
 * A hostile Modbus TCP peer: a raw node:net server that answers with exception codes, short
 * frames, garbled bytes, wrong transaction ids, oversized length fields, hangs up mid-frame,
 * or answers after the timeout. Each must become Bad quality with a reason naming the device,
 * the address and what came back; the process never crashes; a second, healthy device keeps
 * updating all along; and the driver recovers when the peer behaves.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { DriverTag } from '../../protocols/driver.js';
import { modbusTcpDeviceSchema, type ModbusAddress } from '../../protocols/modbus/config.js';
import { createModbusTcpDriver, type ModbusPoint } from '../../protocols/modbus/index.js';
import { openTcpLink } from '../../protocols/modbus/link.js';
import { startModbusSerialServer, type RunningServer } from './modbus-fixtures.js';
import { SampleLog, waitFor } from './modbus-support.js';

type Mode =
  'good' | 'exception' | 'short' | 'garbled' | 'wrong-tid' | 'oversized' | 'hangup' | 'late' | 'wrong-unit' | 'silent';

interface HostilePeer {
  readonly port: number;
  mode: Mode;
  /** Value served for every register in 'good' mode. */
  value: number;
  /** Value sent in late answers: must never show up as data. */
  readonly lateValue: number;
  requests: number;
  /** Write frames (FC5/6/15/16) received. */
  writes: number;
  /** Write frames get no answer (the write may or may not have happened). */
  ignoreWrites: boolean;
  /** FC5/FC6 are answered with exception 01 (Illegal Function), as some PLCs do. */
  refuseSingleWrites: boolean;
  /** The next this-many reads are answered with exception 06 (Server Device Busy). */
  busyReads: number;
  /** Unit ids that never answer (a dead device behind a gateway). */
  readonly silentUnits: Set<number>;
  /** Requests per unit id. */
  readonly perUnit: Map<number, number>;
  close(): void;
}

async function startHostilePeer(timeoutMs: number): Promise<HostilePeer> {
  const sockets = new Set<Socket>();
  const peer: HostilePeer = {
    port: 0,
    mode: 'good',
    value: 1000,
    lateValue: 0xbeef,
    requests: 0,
    writes: 0,
    ignoreWrites: false,
    refuseSingleWrites: false,
    busyReads: 0,
    silentUnits: new Set(),
    perUnit: new Map(),
    close: () => {},
  };
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 12) {
        const frame = pending.subarray(0, 6 + pending.readUInt16BE(4));
        pending = pending.subarray(frame.length);
        peer.requests++;
        answer(sock, frame);
      }
    });
  });
  const answer = (sock: Socket, req: Buffer): void => {
    const tid = req.readUInt16BE(0);
    const unit = req[6]!;
    const fc = req[7]!;
    const count = req.readUInt16BE(10);
    peer.perUnit.set(unit, (peer.perUnit.get(unit) ?? 0) + 1);
    if (peer.silentUnits.has(unit)) return;
    if (fc === 5 || fc === 6 || fc === 15 || fc === 16) {
      peer.writes++;
      if (peer.refuseSingleWrites && (fc === 5 || fc === 6)) {
        sock.write(Buffer.from([tid >> 8, tid & 0xff, 0, 0, 0, 3, unit, fc | 0x80, 0x01]));
        return;
      }
      if (fc === 6) peer.value = req.readUInt16BE(10);
      if (fc === 16) peer.value = req.readUInt16BE(13);
      if (peer.ignoreWrites) return;
      // FC5/FC6 echo the request; FC15/FC16 echo address and quantity
      sock.write(
        fc === 5 || fc === 6
          ? req
          : Buffer.concat([req.subarray(0, 12)])
              .fill(0, 4, 5)
              .fill(6, 5, 6),
      );
      return;
    }
    const registers = (value: number, id = tid, unitId = unit): Buffer => {
      const pdu = Buffer.alloc(2 + 2 * count);
      pdu[0] = fc;
      pdu[1] = 2 * count;
      for (let i = 0; i < count; i++) pdu.writeUInt16BE(value, 2 + 2 * i);
      const mbap = Buffer.alloc(7);
      mbap.writeUInt16BE(id, 0);
      mbap.writeUInt16BE(0, 2);
      mbap.writeUInt16BE(pdu.length + 1, 4);
      mbap[6] = unitId;
      return Buffer.concat([mbap, pdu]);
    };
    if (peer.busyReads > 0) {
      peer.busyReads--;
      sock.write(Buffer.from([tid >> 8, tid & 0xff, 0, 0, 0, 3, unit, fc | 0x80, 0x06]));
      return;
    }
    switch (peer.mode) {
      case 'good':
        sock.write(registers(peer.value));
        return;
      case 'exception':
        sock.write(Buffer.from([tid >> 8, tid & 0xff, 0, 0, 0, 3, unit, fc | 0x80, 0x04]));
        return;
      case 'short': // byte count and length say 1 register whatever was asked
        sock.write(Buffer.from([tid >> 8, tid & 0xff, 0, 0, 0, 5, unit, fc, 2, 0x12, 0x34]));
        return;
      case 'garbled':
        sock.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0x01, 0x02, 0x03]));
        return;
      case 'wrong-tid':
        sock.write(registers(peer.value, (tid + 1000) & 0xffff));
        return;
      case 'wrong-unit':
        sock.write(registers(peer.value, tid, (unit + 1) & 0xff));
        return;
      case 'oversized':
        sock.write(Buffer.from([tid >> 8, tid & 0xff, 0, 0, 0xff, 0xff, unit, fc, 0x02, 0x00]));
        return;
      case 'hangup':
        sock.end(registers(peer.value).subarray(0, 5));
        return;
      case 'late': {
        const late = registers(peer.lateValue);
        setTimeout(() => {
          if (!sock.destroyed) sock.write(late);
        }, timeoutMs + 100).unref();
        return;
      }
      case 'silent':
        return;
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(peer, {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  });
}

const TIMEOUT_MS = 300;
const POLL_MS = 150;
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function tags(prefix: string, count: number): DriverTag<ModbusPoint>[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}.R${i}`,
    address: { register: { table: 'holding', address: i, type: 'uint16' } as ModbusAddress },
    intervalMs: POLL_MS,
  }));
}

describe('Modbus TCP driver against a hostile peer', () => {
  it('every kind of bad answer becomes Bad with a reason; a healthy device keeps updating; recovery follows', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    closers.push(() => peer.close());
    const healthyServer: RunningServer = await startModbusSerialServer({ 1: { holding: { 0: 7, 1: 8 } } });
    closers.push(() => healthyServer.stop());

    const dev = (name: string, port: number) =>
      modbusTcpDeviceSchema.parse({
        name,
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      });
    const hostile = createModbusTcpDriver(dev('HOSTILE', peer.port), { reconnectBaseMs: 50, reconnectMaxMs: 300 });
    const healthy = createModbusTcpDriver(dev('HEALTHY', healthyServer.port), {
      reconnectBaseMs: 50,
      reconnectMaxMs: 300,
    });
    closers.push(
      () => hostile.close(),
      () => healthy.close(),
    );
    const hostileLog = new SampleLog();
    const healthyLog = new SampleLog();
    hostile.subscribe(tags('H', 10), hostileLog.onSamples);
    healthy.subscribe(tags('OK', 2), healthyLog.onSamples);
    await Promise.all([hostile.connect(), healthy.connect()]);

    let expectedGood = 1000;
    const good = async (): Promise<void> => {
      peer.value = ++expectedGood;
      peer.mode = 'good';
      await waitFor(
        'hostile peer recovered',
        () => hostileLog.get('H.R9')?.quality.code === 'Good' && hostileLog.get('H.R9')?.value === expectedGood,
        20_000,
      );
    };
    await good();

    const cases: [Mode, RegExp][] = [
      ['exception', /^HOSTILE unit 1 holding 0\.\.9: exception 04 Server Device Failure$/],
      ['short', /^HOSTILE unit 1 holding 0\.\.9: bad answer: .*; received 11 byte\(s\): .* 02 12 34$/],
      ['wrong-unit', /^HOSTILE unit 1 holding 0\.\.9: bad answer: Unexpected data error, expected address 1 got 2/],
      [
        'garbled',
        /^communication lost: HOSTILE unit 1 holding 0\.\.9: no answer within 300 ms; received 9 byte\(s\): de ad be ef 00 03 01 02 03$/,
      ],
      [
        'wrong-tid',
        /^communication lost: HOSTILE unit 1 holding 0\.\.9: no answer within 300 ms; received 29 byte\(s\): /,
      ],
      [
        'oversized',
        /^communication lost: HOSTILE unit 1 holding 0\.\.9: no answer within 300 ms; received 10 byte\(s\): .* ff ff 01 03 02 00$/,
      ],
      [
        'hangup',
        /^communication lost: HOSTILE unit 1 holding 0\.\.9: connection closed by peer; received 5 byte\(s\): /,
      ],
      ['late', /^communication lost: HOSTILE unit 1 holding 0\.\.9: no answer within 300 ms$/],
      ['silent', /^communication lost: HOSTILE unit 1 holding 0\.\.9: no answer within 300 ms$/],
    ];
    for (const [mode, reason] of cases) {
      const healthyBefore = healthyLog.count('OK.R0');
      peer.mode = mode;
      await waitFor(`Bad for ${mode}`, () => hostileLog.get('H.R0')?.quality.code === 'Bad', 10_000);
      expect({ mode, reason: hostileLog.get('H.R0')!.quality.reason }).toEqual({
        mode,
        reason: expect.stringMatching(reason),
      });
      expect(hostileLog.get('H.R9')!.quality.code).toBe('Bad');
      expect(hostile.status().lastError ?? '').toContain('HOSTILE');
      await good();
      // the healthy device kept updating while its neighbour misbehaved
      expect(healthyLog.count('OK.R0')).toBeGreaterThan(healthyBefore);
      expect(healthyLog.get('OK.R0')!.quality.code).toBe('Good');
    }
    // a late answer was never taken for data
    expect(hostileLog.all.some((s) => s.value === peer.lateValue)).toBe(false);
    const diagnostics = hostile.status().diagnostics;
    expect(Number(diagnostics.timeouts)).toBeGreaterThan(0);
    expect(Number(diagnostics.malformedAnswers)).toBeGreaterThan(0);
    expect(Number(diagnostics.exceptions)).toBeGreaterThan(0);
  });

  it('modbus-serial matches answers by transaction id: a late answer is not taken for the next request', async () => {
    const peer = await startHostilePeer(200);
    closers.push(() => peer.close());
    const link = await openTcpLink({ host: '127.0.0.1', port: peer.port }, 200);
    closers.push(() => link.close());
    peer.mode = 'late'; // answers request 1 with 0xBEEF after 300 ms
    await expect(link.readRegisters('holding', 1, 0, 2)).rejects.toMatchObject({ kind: 'timeout' });
    peer.mode = 'silent'; // request 2 gets no answer of its own, only request 1's late one arrives meanwhile
    await expect(link.readRegisters('holding', 1, 0, 2)).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/received 13 byte\(s\): 00 01 /),
    });
    peer.value = 4242;
    peer.mode = 'good';
    expect(await link.readRegisters('holding', 1, 0, 2)).toEqual([4242, 4242]);
  });
});

describe('Modbus TCP driver: gateways and writes against a misbehaving peer', () => {
  it('a dead unit behind a gateway is Bad and demoted; the live unit keeps updating', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    closers.push(() => peer.close());
    peer.silentUnits.add(2);
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'GW',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: peer.port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      }),
      { reconnectBaseMs: 50, reconnectMaxMs: 300 },
    );
    closers.push(() => driver.close());
    const log = new SampleLog();
    driver.subscribe(
      [
        {
          name: 'U1.X',
          address: { register: { table: 'holding', address: 0, type: 'uint16', unitId: 1 } as ModbusAddress },
          intervalMs: POLL_MS,
        },
        {
          name: 'U2.X',
          address: { register: { table: 'holding', address: 0, type: 'uint16', unitId: 2 } as ModbusAddress },
          intervalMs: POLL_MS,
        },
      ],
      log.onSamples,
    );
    await driver.connect();
    await waitFor('unit 2 bad', () => log.get('U2.X')?.quality.code === 'Bad');
    expect(log.get('U2.X')!.quality.reason).toBe('communication lost: GW unit 2 holding 0: no answer within 300 ms');
    const u1 = log.count('U1.X');
    const u2requests = peer.perUnit.get(2) ?? 0;
    await waitFor('unit 1 keeps updating', () => log.count('U1.X') >= u1 + 10, 15_000);
    expect(log.get('U1.X')!.quality.code).toBe('Good');
    // demoted: unit 2 was asked far less often than unit 1 meanwhile
    expect((peer.perUnit.get(2) ?? 0) - u2requests).toBeLessThan(5);
    expect(driver.status().state).toBe('connected');
  });

  it('a write that gets no answer is not resent: reported unconfirmed, then read back', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    closers.push(() => peer.close());
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'WR',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: peer.port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      }),
      { reconnectBaseMs: 50, reconnectMaxMs: 300 },
    );
    closers.push(() => driver.close());
    const log = new SampleLog();
    driver.subscribe(
      [
        {
          name: 'SP',
          address: { register: { table: 'holding', address: 4, type: 'uint16' } as ModbusAddress, writable: true },
          intervalMs: POLL_MS,
        },
      ],
      log.onSamples,
    );
    await driver.connect();
    await waitFor('good', () => log.get('SP')?.quality.code === 'Good');

    expect(await driver.write('SP', 1234)).toEqual({ ok: true, confirmed: true, readBack: 1234 });
    expect(peer.writes).toBe(1);

    peer.ignoreWrites = true; // the peer applies the write but never answers it
    const outcome = await driver.write('SP', 777);
    expect(outcome).toEqual({ ok: true, confirmed: false, readBack: 777 });
    expect(peer.writes).toBe(2); // sent once, never resent
    expect(log.get('SP')!.value).toBe(777);
  });

  it('a busy device (exception 06) is retried with back-off within the poll: the tags stay Good', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    closers.push(() => peer.close());
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'BUSY',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: peer.port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    closers.push(() => driver.close());
    const log = new SampleLog();
    driver.subscribe(tags('B', 3), log.onSamples);
    await driver.connect();
    await waitFor('good', () => log.get('B.R0')?.quality.code === 'Good');
    const before = log.count('B.R0');
    peer.busyReads = 2;
    await waitFor(
      'busy answers consumed and polling on',
      () => peer.busyReads === 0 && log.count('B.R0') >= before + 3,
    );
    expect(log.all.filter((s) => s.tag === 'B.R0').every((s) => s.quality.code === 'Good')).toBe(true);
    expect(Number(driver.status().diagnostics.exceptions)).toBe(2);
  });

  it('a device that refuses FC6 (exception 01) is written with FC16 instead', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    closers.push(() => peer.close());
    peer.refuseSingleWrites = true;
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'FC16',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port: peer.port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    closers.push(() => driver.close());
    driver.subscribe(
      [
        {
          name: 'SP',
          address: { register: { table: 'holding', address: 4, type: 'uint16' } as ModbusAddress, writable: true },
          intervalMs: POLL_MS,
        },
      ],
      () => {},
    );
    await driver.connect();
    expect(await driver.write('SP', 4321)).toEqual({ ok: true, confirmed: true, readBack: 4321 });
    expect(peer.writes).toBe(2); // FC6 refused, then FC16
    expect(await driver.write('SP', 4322)).toEqual({ ok: true, confirmed: true, readBack: 4322 });
    expect(peer.writes).toBe(3); // remembered: straight to FC16
  });

  it('a write while the device is unreachable is refused at once, never queued', async () => {
    const peer = await startHostilePeer(TIMEOUT_MS);
    const port = peer.port;
    peer.close();
    const driver = createModbusTcpDriver(
      modbusTcpDeviceSchema.parse({
        name: 'OFF',
        protocol: 'modbus-tcp',
        host: '127.0.0.1',
        port,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
      }),
      { reconnectBaseMs: 50, reconnectMaxMs: 300 },
    );
    closers.push(() => driver.close());
    driver.subscribe(
      [
        {
          name: 'SP',
          address: { register: { table: 'holding', address: 4, type: 'uint16' } as ModbusAddress, writable: true },
          intervalMs: POLL_MS,
        },
      ],
      () => {},
    );
    await driver.connect();
    expect(await driver.write('SP', 1)).toEqual({ ok: false, reason: 'OFF is not connected: write not sent' });
  });
});
