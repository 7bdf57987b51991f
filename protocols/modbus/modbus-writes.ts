/**
 * Writing one tag to a Modbus device: encoding (scaling back to raw, word order), the
 * function code, and the read-back that confirms it. The driver decides what a failure
 * means for the connection; this module only talks to the link it is given.
 */
import type { DriverLogger, Sample, TagValue } from '../driver.js';
import { scaleToRaw } from '../scaling.js';
import { encodeRegisters } from './codec.js';
import type { ModbusLink } from './link.js';
import { sampleFrom, type BoundTag } from './poll-samples.js';
import { ModbusRequestError } from './exceptions.js';

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
  ) {}

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
