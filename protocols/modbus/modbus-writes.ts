/**
 * Writing one tag to a Modbus device: the checks before anything is sent, encoding (scaling
 * back to raw, word order), the function code, the read-back that confirms it, and what the
 * outcome says. A write is sent only on a live connection and never resent: when the frame
 * went out but no valid answer came back, the driver resynchronises the connection (its
 * `WriteConnection`) and the value is read back on the fresh one.
 */
import type { DriverLogger, Sample, TagValue, WriteOutcome } from '../driver.js';
import { scaleToRaw } from '../scaling.js';
import { encodeRegisters } from './codec.js';
import { span, type ModbusLink } from './link.js';
import { sampleFrom, where, type Batch, type BoundTag } from './poll-samples.js';
import { ModbusRequestError } from './exceptions.js';

/** What a write needs from the driver's connection. */
export interface WriteConnection {
  readonly timeoutMs: number;
  /** The open connection, or undefined. */
  currentLink(): ModbusLink | undefined;
  /** The connection closed under the write: everything Bad, reconnect later. */
  lose(link: ModbusLink, what: string): void;
  /** The byte stream cannot be trusted after the write: drop the connection and open a fresh one. */
  resync(link: ModbusLink, reason: string): void;
  /** The open connection once there is one, or undefined after `withinMs`. */
  waitConnected(withinMs: number): Promise<ModbusLink | undefined>;
  /** Hand the runtime a read-back sample. */
  deliver(batch: Batch): void;
}

export type Encoded = { ok: true; words: number[] } | { ok: false; reason: string };

/** The words a value becomes on the wire; pure. */
export function encodeForWrite(tag: BoundTag, value: TagValue): Encoded {
  if (tag.table === 'coil') {
    const state = value === true || value === 1 ? true : value === false || value === 0 ? false : undefined;
    if (state === undefined) return { ok: false, reason: `a coil takes true or false, got ${JSON.stringify(value)}` };
    return { ok: true, words: [state ? 1 : 0] };
  }
  let raw: unknown = value;
  if (typeof value === 'number' && tag.point.scale) {
    const scaled = scaleToRaw(value, tag.point.scale);
    if (!scaled.ok) return scaled;
    // Scaled integers are quantised by nature: land on the nearest raw step.
    raw = tag.format.type.includes('int') ? Math.round(scaled.raw) : scaled.raw;
  }
  return encodeRegisters(raw, tag.format);
}

export class ModbusWriter {
  /** Unit ids that answered FC5/FC6 with exception 01: written with FC15/FC16 instead. */
  private readonly singleWritesRefused = new Set<number>();

  constructor(
    private readonly device: string,
    private readonly log: DriverLogger,
    private readonly now: () => number,
    private readonly connection: WriteConnection,
  ) {}

  /** Write `value` to the tag and read it back: refused before sending, sent and confirmed, or sent and unconfirmed. */
  async write(tag: BoundTag, value: TagValue): Promise<WriteOutcome> {
    const at = where(this.device, tag.unitId, tag.table, tag.address, tag.count);
    if (tag.point.writable !== true)
      return { ok: false, reason: `${tag.name} is read-only (not marked writable in the project)` };
    if (tag.table !== 'holding' && tag.table !== 'coil')
      return { ok: false, reason: `${at}: ${tag.table} table cannot be written` };
    const encoded = encodeForWrite(tag, value);
    if (!encoded.ok) return { ok: false, reason: `${at}: ${encoded.reason}; nothing sent` };
    const connection = this.connection;
    const link = connection.currentLink();
    if (!link || !link.isOpen) return { ok: false, reason: `${this.device} is not connected: write not sent` };

    try {
      await this.send(link, tag, encoded.words);
    } catch (error) {
      const e = asRequestError(error);
      if (e.kind === 'exception') return { ok: false, reason: `${at}: ${e.message}` };
      if (e.notSent)
        return {
          ok: false,
          reason: `${this.device} connection lost before the write was sent (${e.message}): write not sent`,
        };
      // The frame went out but no valid answer came back: the write may or may not have
      // happened. Never resend; resynchronise the connection (see the failure policy), read it back.
      const what = `${span(tag.unitId, tag.table, tag.address, tag.count)}: write ${e.message}`;
      if (e.kind === 'closed') connection.lose(link, e.message);
      else connection.resync(link, `communication lost: ${this.device} ${what}`);
      const again = await connection.waitConnected(connection.timeoutMs * 2);
      const readBack = again ? await this.readBackAndDeliver(again, tag).catch(() => undefined) : undefined;
      return readBack ? { ok: true, confirmed: false, readBack: readBack.value } : { ok: true, confirmed: false };
    }
    try {
      const readBack = await this.readBackAndDeliver(link, tag);
      const confirmed =
        readBack.words.length === encoded.words.length && readBack.words.every((w, i) => w === encoded.words[i]);
      return { ok: true, confirmed, readBack: readBack.value };
    } catch {
      return { ok: true, confirmed: false };
    }
  }

  /** Read a written tag back and hand the runtime the value it now has. */
  private async readBackAndDeliver(link: ModbusLink, tag: BoundTag): Promise<{ words: number[]; value: TagValue }> {
    const { words, sample } = await this.readBack(link, tag);
    this.connection.deliver(new Map([[tag.sub, [sample]]]));
    return { words, value: sample.value };
  }

  /**
   * FC5 for a coil, FC6 for one register, FC16 for several. A device that answers FC5/FC6 with
   * exception 01 (Illegal Function) wrote nothing, so the same write is sent once more with
   * FC15/FC16 — which many PLCs accept for single values — and that choice is remembered.
   */
  async send(link: ModbusLink, tag: BoundTag, words: readonly number[]): Promise<void> {
    const single = words.length === 1;
    const useMultiple = this.singleWritesRefused.has(tag.unitId);
    try {
      if (tag.table === 'coil') {
        if (useMultiple) await link.writeCoils(tag.unitId, tag.address, [words[0] === 1]);
        else await link.writeCoil(tag.unitId, tag.address, words[0] === 1);
      } else if (single && !useMultiple) await link.writeRegister(tag.unitId, tag.address, words[0]!);
      else await link.writeRegisters(tag.unitId, tag.address, words);
    } catch (error) {
      const e = asRequestError(error);
      const triedSingle = !useMultiple && (tag.table === 'coil' || single);
      if (!triedSingle || e.kind !== 'exception' || e.exceptionCode !== 1) throw e;
      this.singleWritesRefused.add(tag.unitId);
      this.log.info(
        { device: this.device, unitId: tag.unitId },
        'device refuses single writes (FC5/FC6): using FC15/FC16',
      );
      return this.send(link, tag, words);
    }
  }

  /** Read the written span back: its raw words (to compare) and the sample the runtime should see. */
  async readBack(link: ModbusLink, tag: BoundTag): Promise<{ words: number[]; sample: Sample }> {
    const t = this.now();
    if (tag.table === 'coil') {
      const bits = await link.readBits('coil', tag.unitId, tag.address, 1);
      return { words: [bits[0] ? 1 : 0], sample: sampleFrom(this.device, tag, bits, 0, t, this.now()) };
    }
    const words = await link.readRegisters('holding', tag.unitId, tag.address, tag.count);
    return { words: words.slice(0, tag.count), sample: sampleFrom(this.device, tag, words, 0, t, this.now()) };
  }
}

export function asRequestError(error: unknown): ModbusRequestError {
  if (error instanceof ModbusRequestError) return error;
  return new ModbusRequestError(error instanceof Error ? error.message : String(error), 'malformed', undefined, {
    cause: error,
  });
}
