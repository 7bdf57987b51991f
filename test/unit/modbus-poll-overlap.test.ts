import { afterEach, describe, expect, it } from 'vitest';
import type { DriverTag, Sample } from '../../protocols/driver.js';
import type { ModbusAddress } from '../../protocols/modbus/config.js';
import { ModbusLink } from '../../protocols/modbus/link.js';
import { ModbusPollingDriver, type ModbusDeviceSettings, type ModbusPoint } from '../../protocols/modbus/poller.js';

/**
 * A modbus-serial client stand-in under a real ModbusLink: it records every read asked of it
 * and answers each one when the test says so, so the order of requests and deliveries shows.
 */
class ScriptedClient {
  readonly asked: number[] = [];
  private readonly waiting: { start: number; answer: () => void }[] = [];
  constructor(private readonly refuse: ReadonlySet<number>) {}
  setTimeout(): void {}
  on(): void {}
  setID(): void {}
  destroy(done: () => void): void {
    done();
  }
  close(done: () => void): void {
    done();
  }
  readHoldingRegisters(start: number, count: number): Promise<{ data: number[] }> {
    this.asked.push(start);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        start,
        answer: () =>
          this.refuse.has(start)
            ? reject({ modbusCode: 4, message: 'Modbus exception 4' })
            : resolve({ data: Array.from({ length: count }, (_, i) => start + i) }),
      });
    });
  }
  /** Answer the oldest request still waiting. */
  answerNext(): void {
    this.waiting.shift()?.answer();
  }
  get pending(): number {
    return this.waiting.length;
  }
}

const settings: ModbusDeviceSettings = {
  name: 'PLC',
  protocol: 'modbus-tcp',
  endpoint: 'test',
  unitId: 1,
  pollMs: 60_000,
  timeoutMs: 5000,
  wordOrder: 'ABCD',
  maxRegistersPerRead: 10,
  maxBitsPerRead: 2000,
  maxGap: 0,
};

/** Three reads of ten registers each: 0…9, 100…109, 200…209. */
const tags: DriverTag<ModbusPoint>[] = [0, 100, 200].flatMap((base) =>
  Array.from({ length: 10 }, (_, i) => ({
    name: `R${base + i}`,
    address: { register: { table: 'holding', address: base + i, type: 'uint16' } as ModbusAddress },
    intervalMs: 60_000,
  })),
);

const drivers: ModbusPollingDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
});

async function start(client: ScriptedClient, onDelivery: (samples: readonly Sample[]) => void): Promise<void> {
  const driver = new ModbusPollingDriver(
    settings,
    async (observe) => new ModbusLink(client as never, settings.timeoutMs, observe),
  );
  drivers.push(driver);
  driver.subscribe(tags, onDelivery);
  await driver.connect();
  await until(() => client.pending === 1);
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe('polling: the next read is on the wire while an answer is decoded', () => {
  it('sends read n+1 before read n is delivered, and delivers every read in order', async () => {
    const client = new ScriptedClient(new Set());
    const askedAtDelivery: number[][] = [];
    const delivered: string[] = [];
    await start(client, (samples) => {
      askedAtDelivery.push([...client.asked]);
      delivered.push(samples[0]!.tag);
    });
    client.answerNext();
    await until(() => delivered.length === 1);
    expect(askedAtDelivery[0]).toEqual([0, 100]); // the second read went out before the first was delivered
    client.answerNext();
    await until(() => delivered.length === 2);
    expect(askedAtDelivery[1]).toEqual([0, 100, 200]);
    client.answerNext();
    await until(() => delivered.length === 3);
    expect(delivered).toEqual(['R0', 'R100', 'R200']);
    expect(client.asked).toEqual([0, 100, 200]); // nothing sent past the end of the poll
  });

  it('after an exception sends nothing ahead: the failure is delivered first', async () => {
    const client = new ScriptedClient(new Set([0]));
    const askedAtDelivery: number[][] = [];
    const qualities: string[] = [];
    await start(client, (samples) => {
      askedAtDelivery.push([...client.asked]);
      qualities.push(`${samples[0]!.tag} ${samples[0]!.quality.code}`);
    });
    client.answerNext();
    await until(() => qualities.length === 1);
    expect(qualities[0]).toBe('R0 Bad');
    expect(askedAtDelivery[0]).toEqual([0]);
    await until(() => client.pending === 1);
    client.answerNext();
    await until(() => qualities.length === 2);
    expect(qualities[1]).toBe('R100 Good');
    expect(askedAtDelivery[1]).toEqual([0, 100, 200]);
  });
});
