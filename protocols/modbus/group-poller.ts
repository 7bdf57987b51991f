/**
 * One poll of a group of reads on one connection, and what each answer or failure means:
 *  - data: decoded into samples, delivered per read (values reach the runtime as soon as their
 *    read returns, and a big poll's samples are not all kept alive until its last read);
 *  - an exception: only that read's tags turn Bad, naming device, unit, table, range and the
 *    exception. Exception 02 on a merged read is probed point by point at once, and refused
 *    addresses are remembered (refused-addresses.ts) so the plan reads them alone;
 *  - garbage or no answer: the unit is failed (the driver demotes it and resynchronises the
 *    connection); a closed connection is lost. Either ends the poll.
 * While one answer is decoded and delivered, the next read is already on the wire (sent as
 * soon as the previous read answered with data), so the device's turnaround and this process's
 * work overlap instead of adding up. After anything but data nothing is sent ahead: the
 * failure is handled first, exactly as if reads went strictly one after the other.
 */
import type { ModbusTable } from './config.js';
import type { ModbusDiagnostics } from './diagnostics.js';
import type { ModbusRequestError } from './exceptions.js';
import type { ModbusLink } from './link.js';
import { asRequestError } from './modbus-writes.js';
import type { PlannedRead } from './planner.js';
import {
  addSample,
  decodeRead,
  sampleFrom,
  where,
  type Batch,
  type BoundTag,
  type PreparedRead,
} from './poll-samples.js';
import type { PollGroup } from './poll-schedule.js';
import { readWithRetry, type ReadData, type RetryTiming } from './read-retry.js';
import type { RefusedAddresses } from './refused-addresses.js';
import type { SampleDelivery } from './sample-delivery.js';
import type { UnitHealth } from './unit-health.js';

/** What a poll needs from its driver: the connection, and the driver's reactions to failures. */
export interface GroupPollerHost {
  readonly device: string;
  readonly now: () => number;
  readonly timing: RetryTiming;
  readonly refused: RefusedAddresses;
  readonly units: UnitHealth;
  readonly delivery: SampleDelivery;
  readonly diagnostics: ModbusDiagnostics;
  /** The open connection (undefined while there is none); a poll stops once it is not `link` any more. */
  currentLink(): ModbusLink | undefined;
  /** Counts connections, so a refusal knows which connection it came from. */
  connectionSeq(): number;
  /** A unit answered (data or exception): it is alive. */
  unitAnswered(unitId: number): void;
  /** A unit did not answer or answered garbage: its tags Bad, it is demoted, the connection resynchronised. */
  unitFailed(link: ModbusLink, unitId: number, tags: readonly BoundTag[], reason: string, batch: Batch): void;
  /** The connection is gone. */
  lose(link: ModbusLink, what: string): void;
  /** Bad samples for `tags` into the batch (and `reason` as the device's latest error). */
  addBad(batch: Batch, tags: readonly BoundTag[], reason: string): void;
}

/** A read's answer: its data, or why there is none. */
interface ReadAnswer {
  /** When the request was sent. */
  readonly sourceTime: number;
  readonly data: ReadData | undefined;
  readonly error: unknown;
}

/** A read on the wire (or queued on the link). */
interface InFlightRead {
  readonly read: PreparedRead;
  readonly answer: Promise<ReadAnswer>;
}

export class GroupPoller {
  /** What a poll learnt (a refusal, a refusal forgotten) changes the plan. */
  replanWanted = false;

  constructor(private readonly host: GroupPollerHost) {}

  /** One poll of the group on `link`; ends early when the connection is lost or resynchronised. */
  async poll(group: PollGroup, link: ModbusLink): Promise<void> {
    const host = this.host;
    group.running = true;
    const batch: Batch = new Map();
    const reads = group.reads;
    let ahead: InFlightRead | undefined;
    try {
      for (let i = this.nextPollable(reads, 0); i < reads.length;) {
        if (group.retired || link !== host.currentLink()) break;
        const read = reads[i]!;
        const current = ahead?.read === read ? ahead : this.startRead(link, read);
        ahead = undefined;
        const answer = await current.answer;
        let next = this.nextPollable(reads, i + 1);
        let alive = true;
        if (answer.data !== undefined) {
          if (next < reads.length && !group.retired && link === host.currentLink())
            ahead = this.startRead(link, reads[next]!);
          this.readAnswered(read, answer.sourceTime, answer.data, batch);
        } else {
          alive = await this.readFailed(link, read, answer.error, batch);
          next = this.nextPollable(reads, i + 1); // what the failure taught (refused addresses) counts from the next read on
        }
        // Deliver per read, not per poll: values reach the runtime sooner, and a big poll's
        // samples are not all kept alive (and promoted by the GC) until its last read.
        host.delivery.deliver(batch);
        batch.clear();
        if (!alive) break;
        i = next;
      }
    } finally {
      group.running = false;
      host.diagnostics.polls++;
      host.delivery.deliver(batch);
    }
  }

  /** The index of the first read from `from` on that is polled now (reads.length when none). */
  private nextPollable(reads: readonly PreparedRead[], from: number): number {
    const { refused, units } = this.host;
    for (let i = from; i < reads.length; i++) {
      const read = reads[i]!;
      if (read.isolated && refused.skips(read, this.host.connectionSeq())) continue; // refused with enough evidence, already probed on this connection
      if (units.isDemoted(read.unitId)) continue; // a unit that stopped answering: probed at its back-off rate
      return i;
    }
    return reads.length;
  }

  /** Send a read; its answer (data or the failure) settles the promise, which never rejects. */
  private startRead(link: ModbusLink, read: PreparedRead): InFlightRead {
    const sourceTime = this.host.now();
    const answer = readWithRetry(link, read.unitId, read.table, read.start, read.count, this.host.timing).then(
      (data): ReadAnswer => ({ sourceTime, data, error: undefined }),
      (error: unknown): ReadAnswer => ({ sourceTime, data: undefined, error }),
    );
    return { read, answer };
  }

  /** A read answered with data: decode it into the batch. */
  private readAnswered(read: PreparedRead, sourceTime: number, data: ReadData, batch: Batch): void {
    const host = this.host;
    host.unitAnswered(read.unitId);
    if (read.isolated && host.refused.forget(read)) this.replanWanted = true;
    decodeRead(host.device, read, data, batch, sourceTime, host.now());
  }

  /** A read failed: mark its tags (or its unit's, or the device's) Bad as the failure policy says. False when the connection was lost. */
  private async readFailed(link: ModbusLink, read: PreparedRead, error: unknown, batch: Batch): Promise<boolean> {
    const host = this.host;
    const e = asRequestError(error);
    const at = where(host.device, read.unitId, read.table, read.start, read.count);
    if (e.kind === 'exception') {
      host.unitAnswered(read.unitId);
      if (e.exceptionCode === 2 && read.points.length > 1) return this.probeRefused(link, read, batch);
      if (e.exceptionCode === 2) this.rememberRefused(read.unitId, read.table, read.start, read.count);
      host.addBad(
        batch,
        read.points.map((p) => p.key),
        exceptionReason(at, e),
      );
      return true;
    }
    if (e.kind === 'malformed') {
      host.unitFailed(
        link,
        read.unitId,
        read.points.map((p) => p.key),
        `${at}: ${e.message}`,
        batch,
      );
      return false;
    }
    if (e.kind === 'timeout') {
      host.unitFailed(
        link,
        read.unitId,
        host.delivery.tagsOfUnit(read.unitId),
        `communication lost: ${at}: ${e.message}`,
        batch,
      );
      return false;
    }
    host.lose(link, e.message);
    return false;
  }

  /** Exception 02 on a merged read: read each point alone to find the refused ones, remember them. */
  private async probeRefused(link: ModbusLink, read: PlannedRead<BoundTag>, batch: Batch): Promise<boolean> {
    const host = this.host;
    let anyRefused = false;
    for (const p of read.points) {
      const tag = p.key;
      const sourceTime = host.now();
      try {
        const data = await readWithRetry(link, tag.unitId, tag.table, tag.address, tag.count, host.timing);
        host.unitAnswered(tag.unitId);
        addSample(batch, tag.sub, sampleFrom(host.device, tag, data, 0, sourceTime, host.now()));
      } catch (error) {
        const e = asRequestError(error);
        if (e.kind === 'closed') {
          host.lose(link, e.message);
          return false;
        }
        const at = where(host.device, tag.unitId, tag.table, tag.address, tag.count);
        if (e.kind !== 'exception') {
          host.unitFailed(
            link,
            tag.unitId,
            e.kind === 'timeout' ? host.delivery.tagsOfUnit(tag.unitId) : [tag],
            `${e.kind === 'timeout' ? 'communication lost: ' : ''}${at}: ${e.message}`,
            batch,
          );
          return false;
        }
        if (e.exceptionCode === 2) {
          anyRefused = true;
          this.rememberRefused(tag.unitId, tag.table, tag.address, tag.count);
        }
        host.addBad(batch, [tag], exceptionReason(at, e));
      }
    }
    if (!anyRefused) {
      // Every point reads alone, so the device refuses something in the gaps between them:
      // plan those gaps as refused so reads are no longer merged across them.
      const covered = new Set<number>();
      for (const p of read.points) for (let a = p.key.address; a < p.key.address + p.key.count; a++) covered.add(a);
      for (let a = read.start; a < read.start + read.count; a++)
        if (!covered.has(a)) this.rememberRefused(read.unitId, read.table, a, 1);
    }
    this.replanWanted = true;
    return true;
  }

  private rememberRefused(unitId: number, table: ModbusTable, start: number, count: number): void {
    this.host.refused.remember({ unitId, table, start, count }, this.host.connectionSeq());
    this.replanWanted = true;
  }
}

/** What a device's exception answer means, for the tag's Bad reason. */
function exceptionReason(where: string, e: ModbusRequestError): string {
  return e.exceptionCode === 2 ? `${where}: address refused by the device (${e.message})` : `${where}: ${e.message}`;
}
