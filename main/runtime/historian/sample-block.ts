/**
 * The compressed block of raw samples of one tag (the unit stored as a BLOB, keyed by
 * series and first timestamp). Column by column:
 *
 *   version · n · timestamps (first absolute, then delta, then delta-of-delta, zigzag
 *   varints: a steady 1 s cadence with jitter costs one byte) · quality runs (state,
 *   reason, run length) with a reason string table · value kind · the non-null values
 *   (numbers and booleans via number-column.ts; strings and mixed values as JSON).
 *
 * Pure code, no I/O; property-tested for exact round trips.
 */
import type { QualityCode, TagValue } from '../../../protocols/driver.js';
import { ByteReader, ByteWriter } from './byte-io.js';
import { readNumberColumn, writeNumberColumn } from './number-column.js';

const BLOCK_VERSION = 1;

/** Quality as a small number: the index into this list. */
export const QUALITY_CODES: readonly QualityCode[] = ['Good', 'Uncertain', 'Bad'];
export const QUALITY_GOOD = 0;

export function qualityIndex(code: QualityCode): number {
  return code === 'Good' ? 0 : code === 'Uncertain' ? 1 : 2;
}

export type ValueKind = 'number' | 'boolean' | 'json';
const KIND_CODES: readonly ValueKind[] = ['number', 'boolean', 'json'];

/** Samples to encode, as parallel columns. */
export interface SampleColumns {
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<TagValue>;
  /** Quality index (0 Good, 1 Uncertain, 2 Bad). */
  readonly q: ArrayLike<number>;
  readonly r: ArrayLike<string | undefined>;
}

/** A decoded block: columns, with numbers unboxed for fast aggregation. */
export interface SampleBlock {
  readonly n: number;
  readonly t: Float64Array;
  readonly kind: ValueKind;
  /** Numeric value (booleans as 0/1); NaN where the value is null or not numeric. */
  readonly num: Float64Array;
  /** Values of a `json` block (strings or mixed types); null otherwise. */
  readonly other: readonly TagValue[] | null;
  readonly q: Uint8Array;
  readonly isNull: Uint8Array;
  /** 0 = no reason, k = reasons[k - 1]. */
  readonly reasonOf: Uint16Array;
  readonly reasons: readonly string[];
}

export function valueAt(block: SampleBlock, i: number): TagValue {
  if (block.isNull[i]) return null;
  if (block.kind === 'number') return block.num[i] as number;
  if (block.kind === 'boolean') return block.num[i] === 1;
  return (block.other as TagValue[])[i] as TagValue;
}

export function reasonAt(block: SampleBlock, i: number): string | undefined {
  const k = block.reasonOf[i] as number;
  return k === 0 ? undefined : block.reasons[k - 1];
}

function kindOf(values: ArrayLike<TagValue>, count: number): ValueKind {
  let numbers = 0;
  let booleans = 0;
  let others = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'boolean') booleans++;
    else others++;
  }
  if (others > 0 || (numbers > 0 && booleans > 0)) return 'json';
  return booleans > 0 ? 'boolean' : 'number';
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function writeString(w: ByteWriter, s: string): void {
  const b = utf8Encoder.encode(s);
  w.varint(b.length);
  w.bytes(b);
}

function readString(r: ByteReader): string {
  return utf8Decoder.decode(r.bytes(r.varint()));
}

export function encodeSampleBlock(cols: SampleColumns, count: number = cols.t.length): Uint8Array {
  const w = new ByteWriter(16 + count * 3);
  w.byte(BLOCK_VERSION);
  w.varint(count);
  if (count === 0) return w.finish();

  // Timestamps: first, first delta, then delta-of-delta.
  const t = cols.t;
  let prevT = t[0] as number;
  w.svarint(prevT);
  let prevDelta = 0;
  for (let i = 1; i < count; i++) {
    const ti = t[i] as number;
    const delta = ti - prevT;
    w.svarint(i === 1 ? delta : delta - prevDelta);
    prevDelta = delta;
    prevT = ti;
  }

  // Quality runs: state = quality index | null flag << 2, plus reason index.
  const reasons: string[] = [];
  const reasonIds = new Map<string, number>();
  const runs: number[] = [];
  let runState = -1;
  let runReason = -1;
  let runLength = 0;
  const values = cols.v;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    const state = (cols.q[i] as number) | (v === null || v === undefined ? 4 : 0);
    const reasonText = cols.r[i];
    let reason = 0;
    if (reasonText !== undefined) {
      let id = reasonIds.get(reasonText);
      if (id === undefined) {
        reasons.push(reasonText);
        id = reasons.length;
        reasonIds.set(reasonText, id);
      }
      reason = id;
    }
    if (state === runState && reason === runReason) {
      runLength++;
    } else {
      if (runLength > 0) runs.push(runState, runReason, runLength);
      runState = state;
      runReason = reason;
      runLength = 1;
    }
  }
  runs.push(runState, runReason, runLength);
  w.varint(reasons.length);
  for (const s of reasons) writeString(w, s);
  w.varint(runs.length / 3);
  for (const x of runs) w.varint(x);

  // Values: only the non-null ones.
  const kind = kindOf(values, count);
  w.byte(KIND_CODES.indexOf(kind));
  if (kind === 'json') {
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) writeString(w, JSON.stringify(v));
    }
  } else {
    const nums: number[] = [];
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      nums.push(kind === 'boolean' ? (v ? 1 : 0) : (v as number));
    }
    writeNumberColumn(w, nums, nums.length);
  }
  return w.finish();
}

export function decodeSampleBlock(bytes: Uint8Array): SampleBlock {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== BLOCK_VERSION) throw new RangeError(`unknown sample block version ${version}`);
  const n = r.varint();
  const t = new Float64Array(n);
  const q = new Uint8Array(n);
  const isNull = new Uint8Array(n);
  const reasonOf = new Uint16Array(n);
  const num = new Float64Array(n);
  if (n === 0) return { n, t, kind: 'number', num, other: null, q, isNull, reasonOf, reasons: [] };

  let prevT = r.svarint();
  t[0] = prevT;
  let delta = 0;
  for (let i = 1; i < n; i++) {
    delta = i === 1 ? r.svarint() : delta + r.svarint();
    prevT += delta;
    t[i] = prevT;
  }

  const reasonCount = r.varint();
  const reasons: string[] = [];
  for (let i = 0; i < reasonCount; i++) reasons.push(readString(r));
  const runCount = r.varint();
  let pos = 0;
  let nulls = 0;
  for (let k = 0; k < runCount; k++) {
    const state = r.varint();
    const reason = r.varint();
    const length = r.varint();
    if (pos + length > n || reason > reasons.length) throw new RangeError('quality runs overrun the block');
    const qi = state & 3;
    const nullFlag = state & 4 ? 1 : 0;
    q.fill(qi, pos, pos + length);
    isNull.fill(nullFlag, pos, pos + length);
    reasonOf.fill(reason, pos, pos + length);
    if (nullFlag) nulls += length;
    pos += length;
  }
  if (pos !== n) throw new RangeError('quality runs do not cover the block');

  const kind = KIND_CODES[r.byte()];
  if (!kind) throw new RangeError('unknown value kind');
  const present = n - nulls;
  let other: TagValue[] | null = null;
  if (kind === 'json') {
    other = new Array<TagValue>(n).fill(null);
    num.fill(NaN);
    for (let i = 0; i < n; i++) {
      if (isNull[i]) continue;
      const v = JSON.parse(readString(r)) as TagValue;
      other[i] = v;
      if (typeof v === 'number') num[i] = v;
    }
  } else {
    const dense = new Float64Array(present);
    readNumberColumn(r, dense, present);
    let j = 0;
    for (let i = 0; i < n; i++) num[i] = isNull[i] ? NaN : (dense[j++] as number);
  }
  return { n, t, kind, num, other, q, isNull, reasonOf, reasons };
}
