/**
 * Tags as the Modbus driver polls them (bound to their unit, table, register span and
 * format), and turning an answer into samples. Pure: no I/O, no timers.
 */
import { bad, GOOD, uncertain, type DriverTag, type Quality, type Sample, type TagValue } from '../driver.js';
import { scaleToEngineering, type LinearScaleSpec } from '../scaling.js';
import { decodeRegisters, registerCount, type RegisterFormat } from './codec.js';
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
  /** Hot path for plain 16-bit registers (most of a plant): 0 none, 1 uint16, 2 int16; 4 = bytes swapped. */
  readonly fast16: number;
  last: TagValue;
}

/** A planned read with its tags and offsets laid out flat for the sample loop. */
export interface PreparedRead extends PlannedRead<BoundTag> {
  readonly tags: readonly BoundTag[];
  readonly offsets: readonly number[];
}

export function prepare(read: PlannedRead<BoundTag>): PreparedRead {
  return { ...read, tags: read.points.map((p) => p.key), offsets: read.points.map((p) => p.offset) };
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
  return {
    name: tag.name,
    point: tag.address,
    sub,
    unitId: r.unitId ?? defaults.unitId,
    table: r.table,
    address: r.address,
    count: isBitTable(r.table) ? 1 : registerCount(format),
    // The project schema keeps intervals ≥ 10 ms; here only a zero or negative one is refused.
    intervalMs: Math.max(1, tag.intervalMs || defaults.pollMs),
    format,
    fast16: fast16Of(r.table, format, tag.address.scale !== undefined),
    last: null,
  };
}

function fast16Of(table: ModbusTable, format: RegisterFormat, scaled: boolean): number {
  if (scaled || isBitTable(table) || (format.type !== 'uint16' && format.type !== 'int16')) return 0;
  return (format.type === 'uint16' ? 1 : 2) | (format.order === 'BADC' || format.order === 'DCBA' ? 4 : 0);
}

/** "SS01-PLC unit 1 holding 100..124" */
export function where(device: string, unitId: number, table: ModbusTable, start: number, count: number): string {
  return `${device} ${span(unitId, table, start, count)}`;
}

/** One tag's sample from an answer that starts at the tag's register `offset`. */
export function sampleFrom(device: string, tag: BoundTag, data: readonly number[] | readonly boolean[], offset: number, sourceTime: number, receiveTime: number): Sample {
  let value: TagValue;
  let quality: Quality = GOOD;
  if (isBitTable(tag.table)) {
    const bit = data[offset];
    if (typeof bit !== 'boolean') return badSample(tag, `${where(device, tag.unitId, tag.table, tag.address, 1)}: short answer`, sourceTime);
    value = bit;
  } else {
    const decoded = decodeRegisters(data as readonly number[], offset, tag.format);
    if (!decoded.ok) {
      return { tag: tag.name, value: null, quality: bad(`${where(device, tag.unitId, tag.table, tag.address, tag.count)}: ${decoded.reason}`), sourceTime, receiveTime };
    }
    value = decoded.value;
    if (typeof value === 'number' && tag.point.scale) {
      const scaled = scaleToEngineering(value, tag.point.scale);
      value = scaled.value;
      if (scaled.quality.code !== 'Good') quality = uncertain(`${where(device, tag.unitId, tag.table, tag.address, tag.count)}: ${scaled.quality.reason ?? 'uncertain'}`);
    }
  }
  tag.last = value;
  return { tag: tag.name, value, quality, sourceTime, receiveTime };
}

/** Bad with the last known value kept (a trend shows where it was when it went Bad). */
export function badSample(tag: BoundTag, reason: string, time: number): Sample {
  return { tag: tag.name, value: tag.last, quality: bad(reason), sourceTime: time, receiveTime: time };
}

/** Every tag of a read answered with `data`, into the batch per subscriber. */
export function decodeRead(device: string, read: PreparedRead, data: readonly number[] | readonly boolean[], batch: Batch, sourceTime: number, receiveTime: number): void {
  let sub: Subscription | undefined;
  let list: Sample[] = [];
  const { tags, offsets } = read;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    const offset = offsets[i]!;
    if (tag.sub !== sub) {
      sub = tag.sub;
      const existing = batch.get(sub);
      if (existing) list = existing;
      else batch.set(sub, (list = []));
    }
    const fast = tag.fast16;
    if (fast !== 0 && offset < data.length) {
      // Hot path, inlined: a plain 16-bit register (most tags of a plant).
      let word = (data[offset] as number) & 0xffff;
      if (fast & 4) word = ((word & 0xff) << 8) | (word >> 8);
      const value = (fast & 3) === 2 && word >= 0x8000 ? word - 0x10000 : word;
      tag.last = value;
      list.push({ tag: tag.name, value, quality: GOOD, sourceTime, receiveTime });
    } else {
      list.push(sampleFrom(device, tag, data, offset, sourceTime, receiveTime));
    }
  }
}
