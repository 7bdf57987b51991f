/**
 * One read of a register or bit span on a link, with "busy" answers (exceptions 05/06,
 * Acknowledge / Server Device Busy) retried a few times with back-off and jitter inside the
 * poll. Any other failure is thrown as it came (a ModbusRequestError); the driver decides what
 * it means.
 */
import { backoffDelayMs } from '../driver.js';
import type { ModbusTable } from './config.js';
import { isTransientException, ModbusRequestError } from './exceptions.js';
import type { ModbusLink } from './link.js';
import { asRequestError } from './modbus-writes.js';

const BUSY_RETRIES = 3;

/** How long to wait between busy retries: from min(100 ms, pollMs / 4) up to pollMs, with jitter. */
export interface RetryTiming {
  readonly pollMs: number;
  readonly random: () => number;
}

export type ReadData = readonly number[] | readonly boolean[];

/** One read; "busy" answers (exceptions 05/06) are retried with back-off and jitter. */
export function readWithRetry(
  link: ModbusLink,
  unitId: number,
  table: ModbusTable,
  start: number,
  count: number,
  timing: RetryTiming,
): Promise<ReadData> {
  // No extra async layer on the hot path: the retry machinery only runs once a read failed.
  return readOnce(link, unitId, table, start, count).catch((error: unknown) =>
    retryRead(error, link, unitId, table, start, count, timing),
  );
}

async function retryRead(
  error: unknown,
  link: ModbusLink,
  unitId: number,
  table: ModbusTable,
  start: number,
  count: number,
  timing: RetryTiming,
): Promise<ReadData> {
  for (let e = asRequestError(error), attempt = 0; ; attempt++) {
    if (e.kind !== 'exception' || !isTransientException(e.exceptionCode ?? 0) || attempt >= BUSY_RETRIES) throw e;
    await delay(backoffDelayMs(attempt, Math.min(100, timing.pollMs / 4), timing.pollMs, timing.random));
    if (!link.isOpen) throw new ModbusRequestError('connection closed', 'closed');
    try {
      return await readOnce(link, unitId, table, start, count);
    } catch (next) {
      e = asRequestError(next);
    }
  }
}

function readOnce(
  link: ModbusLink,
  unitId: number,
  table: ModbusTable,
  start: number,
  count: number,
): Promise<ReadData> {
  return table === 'holding' || table === 'input'
    ? link.readRegisters(table, unitId, start, count)
    : link.readBits(table, unitId, start, count);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
