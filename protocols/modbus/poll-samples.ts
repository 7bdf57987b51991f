/**
 * Tags as the Modbus driver polls them (bound to their unit, table, register span and
 * format), and turning an answer into samples. Pure: no I/O, no timers.
 */
import { bad, GOOD, uncertain, type DriverTag, type Quality, type Sample, type TagValue } from '../driver.js';
import {
  clampsRaw,
  compileScale,
  scaleToEngineering,
  unclampedToEngineering,
  type CompiledScale,
  type LinearScaleSpec,
} from '../scaling.js';
import {
  compileDecoder,
  decodeCompiled,
  decodeRegisters,
  registerCount,
  type CompiledDecoder,
  type RegisterFormat,
} from './codec.js';
import type { ModbusAddress, ModbusTable, ModbusWordOrder } from './config.js';
import { span } from './link.js';
import { isBitTable, type PlannedRead } from './planner.js';

export interface ModbusPoint {
  readonly register: ModbusAddress;
  readonly scale?: LinearScaleSpec;
  /** Writes are refused unless the project marks the tag writable. */
  readonly writable?: boolean;
}

export interface Subscription {
  readonly tags: BoundTag[];
  readonly onSamples: (samples: readonly Sample[]) => void;
}

export interface BoundTag {
  readonly name: string;
  readonly point: ModbusPoint;
  readonly sub: Subscription;
  readonly unitId: number;
  readonly table: ModbusTable;
  readonly address: number;
  readonly count: number;
  readonly intervalMs: number;
  readonly format: RegisterFormat;
  /** Coil or discrete input: the answer holds booleans. */
  readonly bitTable: boolean;
  /** The format compiled for the sample loop (0: none, decodeRegisters decodes it). */
  readonly decoder: CompiledDecoder;
  /** The format's bit, −1 for none. */
  readonly bit: number;
  /** The scale's constants, null when unscaled. */
  readonly scale: CompiledScale | null;
  last: TagValue;
}

/** A planned read with its tags and offsets laid out flat for the sample loop. */
export interface PreparedRead extends PlannedRead<BoundTag> {
  readonly tags: readonly BoundTag[];
  readonly offsets: readonly number[];
  /** The one subscription every tag of the read belongs to (the usual case), else null or absent. */
  readonly sub?: Subscription | null;
}

export function prepare(read: PlannedRead<BoundTag>): PreparedRead {
  const tags = read.points.map((p) => p.key);
  const sub = tags.every((t) => t.sub === tags[0]?.sub) ? (tags[0]?.sub ?? null) : null;
  return { ...read, tags, offsets: read.points.map((p) => p.offset), sub };
}

/** Samples on their way to each subscriber. */
export type Batch = Map<Subscription, Sample[]>;

export function addSample(batch: Batch, sub: Subscription, sample: Sample): void {
  let list = batch.get(sub);
  if (!list) batch.set(sub, (list = []));
  list.push(sample);
}

/** The defaults a device gives its tags. */
export interface BindDefaults {
  readonly unitId: number;
  readonly wordOrder: ModbusWordOrder;
  readonly pollMs: number;
}

export function bindTag(tag: DriverTag<ModbusPoint>, sub: Subscription, defaults: BindDefaults): BoundTag {
  const r = tag.address.register;
  const format: RegisterFormat = {
    type: isBitTable(r.table) ? 'bool' : r.type,
    order: r.wordOrder ?? defaults.wordOrder,
    ...(r.bit !== undefined ? { bit: r.bit } : {}),
    ...(r.length !== undefined ? { length: r.length } : {}),
  };
  const bitTable = isBitTable(r.table);
  return {
    name: tag.name,
    point: tag.address,
    sub,
    unitId: r.unitId ?? defaults.unitId,
    table: r.table,
    address: r.address,
    count: bitTable ? 1 : registerCount(format),
    // The project schema keeps intervals ≥ 10 ms; here only a zero or negative one is refused.
    intervalMs: Math.max(1, tag.intervalMs || defaults.pollMs),
    format,
    bitTable,
    decoder: bitTable ? 0 : compileDecoder(format),
    bit: format.bit ?? -1,
    scale: tag.address.scale ? compileScale(tag.address.scale) : null,
    last: null,
  };
}

/** "SS01-PLC unit 1 holding 100..124" */
export function where(device: string, unitId: number, table: ModbusTable, start: number, count: number): string {
  return `${device} ${span(unitId, table, start, count)}`;
}

/** One tag's sample from an answer that starts at the tag's register `offset`. */
export function sampleFrom(
  device: string,
  tag: BoundTag,
  data: readonly number[] | readonly boolean[],
  offset: number,
  sourceTime: number,
  receiveTime: number,
): Sample {
  let value: TagValue;
  let quality: Quality = GOOD;
  if (isBitTable(tag.table)) {
    const bit = data[offset];
    if (typeof bit !== 'boolean')
      return badSample(tag, `${where(device, tag.unitId, tag.table, tag.address, 1)}: short answer`, sourceTime);
    value = bit;
  } else {
    const decoded = decodeRegisters(data as readonly number[], offset, tag.format);
    if (!decoded.ok) {
      return {
        tag: tag.name,
        value: null,
        quality: bad(`${where(device, tag.unitId, tag.table, tag.address, tag.count)}: ${decoded.reason}`),
        sourceTime,
        receiveTime,
      };
    }
    value = decoded.value;
    if (typeof value === 'number' && tag.point.scale) {
      const scaled = scaleToEngineering(value, tag.point.scale);
      value = scaled.value;
      if (scaled.quality.code !== 'Good')
        quality = uncertain(
          `${where(device, tag.unitId, tag.table, tag.address, tag.count)}: ${scaled.quality.reason ?? 'uncertain'}`,
        );
    }
  }
  tag.last = value;
  return { tag: tag.name, value, quality, sourceTime, receiveTime };
}

/** Bad with the last known value kept (a trend shows where it was when it went Bad). */
export function badSample(tag: BoundTag, reason: string, time: number): Sample {
  return { tag: tag.name, value: tag.last, quality: bad(reason), sourceTime: time, receiveTime: time };
}

/**
 * Every tag of a read answered with `data`, into the batch per subscriber. The hot path: each
 * tag's compiled decoder and scale, no allocation but the samples and their list (sized once
 * when the read's tags share one subscriber); anything unusual (a short answer, a non-finite
 * float, a clamped scale, 64-bit values, strings) takes `sampleFrom`, which says why.
 */
export function decodeRead(
  device: string,
  read: PreparedRead,
  data: readonly number[] | readonly boolean[],
  batch: Batch,
  sourceTime: number,
  receiveTime: number,
): void {
  const { tags, offsets } = read;
  const one = read.sub;
  if (one && !batch.has(one)) {
    const list = new Array<Sample>(tags.length);
    for (let i = 0; i < tags.length; i++)
      list[i] = decodeOne(device, tags[i]!, data, offsets[i]!, sourceTime, receiveTime);
    batch.set(one, list);
    return;
  }
  let sub: Subscription | undefined;
  let list: Sample[] = [];
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    if (tag.sub !== sub) {
      sub = tag.sub;
      const existing = batch.get(sub);
      if (existing) list = existing;
      else batch.set(sub, (list = []));
    }
    list.push(decodeOne(device, tag, data, offsets[i]!, sourceTime, receiveTime));
  }
}

/** One tag's sample from a read's answer: the compiled decoder and scale, or `sampleFrom` for anything unusual. */
function decodeOne(
  device: string,
  tag: BoundTag,
  data: readonly number[] | readonly boolean[],
  offset: number,
  sourceTime: number,
  receiveTime: number,
): Sample {
  let value: number | boolean | undefined;
  if (offset + tag.count <= data.length) {
    if (tag.bitTable) {
      const bit = data[offset];
      if (typeof bit === 'boolean') value = bit;
    } else if (tag.decoder !== 0) {
      const decoded = decodeCompiled(tag.decoder, data as readonly number[], offset, tag.bit);
      const scale = tag.scale;
      if (typeof decoded === 'boolean') value = decoded;
      else if (Number.isFinite(decoded) && (scale === null || !clampsRaw(decoded, scale)))
        value = scale === null ? decoded : unclampedToEngineering(decoded, scale);
    }
  }
  if (value === undefined) return sampleFrom(device, tag, data, offset, sourceTime, receiveTime);
  tag.last = value;
  return { tag: tag.name, value, quality: GOOD, sourceTime, receiveTime };
}
