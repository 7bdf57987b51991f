/**
 * Recent samples: what a tag has stored since its last block was written (`TagTail`, kept
 * in memory), and the compact journal row that makes a flush's samples durable
 * (`encodeRecentRow` / `RecentRowDecoder`). Pure, no I/O.
 *
 * A journal row holds the samples of one write, grouped by tag (a tag is known by the id
 * of its raw series). A group is either *absolute* (the tag had no recent samples before)
 * or continues the tag's previous sample in the journal: its timestamps as the difference
 * from the previous one minus the row's typical step (a 1 s cadence with jitter: one
 * byte), its values as the difference of scaled integers at the values' resolution (noisy
 * 0.01-resolution analog: one or two bytes). Consecutive tag ids with the same group shape
 * are stored as one run, so a flush of every tag costs a few bytes of framing in all.
 *
 *   row  := version · n · baseT · step · runs · groupShapes · reasons · quality runs · t · values
 *
 * Decoding needs the rows in order from the first row holding a group that is still
 * referred to (the writer never deletes such a row).
 */
import type { TagValue } from '../../../protocols/driver.js';
import { ByteReader, ByteWriter } from './byte-io.js';
import { encodeSampleBlock, type SampleColumns } from './sample-block.js';

const ROW_VERSION = 1;
const MAX_DECIMALS = 6;
const MAX_SCALED = 2 ** 50;
/** zigzag(delta) · 8 + code stays an exact integer below 2^53. */
const MAX_DELTA = 2 ** 48;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

// Value codes: low 3 bits 0..6 = delta at that many decimals; 7 = special, sub-code above.
const SPECIAL = 7;
const SUB_NULL = 0;
const SUB_FALSE = 1;
const SUB_TRUE = 2;
const SUB_FLOAT64 = 3;
const SUB_STRING = 4;
const SUB_SCALED = 5; // 5 + d: absolute scaled integer at d decimals follows

/** Smallest d ≤ 6 with which `v` is an exact scaled integer, or -1. */
function decimalsOf(v: number): number {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const p = POW10[d] as number;
    const r = Math.round(v * p);
    if (r / p === v && r <= MAX_SCALED && r >= -MAX_SCALED) return d;
  }
  return -1;
}

/**
 * The stored points of one tag not yet written as a block: compact columns (numbers unboxed),
 * growing as needed. `firstRow` is the journal row holding the oldest of them.
 */
export class TagTail {
  n = 0;
  t = new Float64Array(8);
  num = new Float64Array(8);
  q = new Uint8Array(8);
  /** Values, once a value is not a number (then `num` is unused). */
  other: TagValue[] | null = null;
  /** Reasons, once a point has one. */
  reasons: (string | undefined)[] | null = null;
  firstRow = 0;
  /** When the first point arrived (the writer's clock), for writing out tags that went quiet. */
  firstAt = 0;

  get lastT(): number {
    return this.t[this.n - 1] as number;
  }

  value(i: number): TagValue {
    return this.other ? (this.other[i] as TagValue) : (this.num[i] as number);
  }

  reason(i: number): string | undefined {
    return this.reasons ? this.reasons[i] : undefined;
  }

  push(t: number, v: TagValue, q: number, r: string | undefined): void {
    const i = this.n;
    if (i === this.t.length) this.grow();
    this.t[i] = t;
    this.q[i] = q;
    if (this.other === null && (typeof v !== 'number' || Number.isNaN(v))) {
      this.other = Array.from(this.num.subarray(0, i));
    }
    if (this.other) this.other.push(v);
    else this.num[i] = v as number;
    if (r !== undefined && this.reasons === null) this.reasons = new Array<string | undefined>(i).fill(undefined);
    if (this.reasons) this.reasons.push(r);
    this.n = i + 1;
  }

  private grow(): void {
    const size = this.t.length * 2;
    const t = new Float64Array(size);
    t.set(this.t);
    this.t = t;
    const num = new Float64Array(size);
    num.set(this.num);
    this.num = num;
    const q = new Uint8Array(size);
    q.set(this.q);
    this.q = q;
  }

  /** Forget every point (they were written as a block); the memory goes back to a small size. */
  clear(): void {
    this.n = 0;
    if (this.t.length > 64) {
      this.t = new Float64Array(8);
      this.num = new Float64Array(8);
      this.q = new Uint8Array(8);
    }
    this.other = null;
    this.reasons = null;
    this.firstRow = 0;
    this.firstAt = 0;
  }

  columns(): SampleColumns {
    const n = this.n;
    return {
      t: this.t.subarray(0, n),
      v: this.other ?? this.num.subarray(0, n),
      q: this.q.subarray(0, n),
      r: this.reasons ?? ({ length: n } as ArrayLike<string | undefined>),
    };
  }

  /** The points as a sample block (what queries read), or null when empty. */
  encode(): Uint8Array | null {
    return this.n === 0 ? null : encodeSampleBlock(this.columns(), this.n);
  }
}

/** The points of one tag in one journal row. */
export interface RecentGroup {
  /** The tag's raw series id. */
  readonly id: number;
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<TagValue>;
  readonly q: ArrayLike<number>;
  readonly r: ArrayLike<string | undefined>;
  readonly count: number;
  /** The tag's previous point in the journal (its tail's last point), or null: the group is absolute. */
  readonly previous: { readonly t: number; readonly v: TagValue } | null;
}

function writeValue(w: ByteWriter, v: TagValue, prev: TagValue | undefined): void {
  if (typeof v === 'number') {
    const dv = decimalsOf(v);
    if (dv >= 0) {
      if (typeof prev === 'number') {
        const dp = decimalsOf(prev);
        if (dp >= 0) {
          const d = Math.max(dv, dp);
          const p = POW10[d] as number;
          const base = Math.round(prev * p);
          const delta = Math.round(v * p) - base;
          if ((base + delta) / p === v && Math.abs(delta) <= MAX_DELTA) {
            w.varint((delta >= 0 ? delta * 2 : -delta * 2 - 1) * 8 + d);
            return;
          }
        }
      }
      w.varint((SUB_SCALED + dv) * 8 + SPECIAL);
      w.svarint(Math.round(v * (POW10[dv] as number)));
      return;
    }
    w.varint(SUB_FLOAT64 * 8 + SPECIAL);
    w.float64(v);
    return;
  }
  if (v === null) w.varint(SUB_NULL * 8 + SPECIAL);
  else if (typeof v === 'boolean') w.varint((v ? SUB_TRUE : SUB_FALSE) * 8 + SPECIAL);
  else {
    const bytes = Buffer.from(v, 'utf8');
    w.varint(SUB_STRING * 8 + SPECIAL);
    w.varint(bytes.length);
    w.bytes(bytes);
  }
}

function readValue(r: ByteReader, prev: TagValue | undefined, skipping: boolean): TagValue {
  const h = r.varint();
  const mode = h % 8;
  const rest = Math.floor(h / 8);
  if (mode !== SPECIAL) {
    if (skipping) return null;
    if (typeof prev !== 'number') throw new RangeError('recent row: a value delta without a previous number');
    const p = POW10[mode] as number;
    const delta = rest % 2 === 0 ? rest / 2 : -(rest + 1) / 2;
    return (Math.round(prev * p) + delta) / p;
  }
  if (rest === SUB_NULL) return null;
  if (rest === SUB_FALSE) return false;
  if (rest === SUB_TRUE) return true;
  if (rest === SUB_FLOAT64) return r.float64();
  if (rest === SUB_STRING) return Buffer.from(r.bytes(r.varint())).toString('utf8');
  const d = rest - SUB_SCALED;
  if (d < 0 || d > MAX_DECIMALS) throw new RangeError(`recent row: unknown value code ${h}`);
  return r.svarint() / (POW10[d] as number);
}

/** Encode the groups of one write (each tag at most once, in any order). */
export function encodeRecentRow(groups: readonly RecentGroup[]): Uint8Array {
  let n = 0;
  let baseT = Infinity;
  let step = 0;
  for (const g of groups) {
    n += g.count;
    if (g.count > 0 && (g.t[0] as number) < baseT) baseT = g.t[0] as number;
    if (step === 0 && g.previous && g.count > 0) step = Math.max(0, Math.round((g.t[0] as number) - g.previous.t));
  }
  if (!Number.isFinite(baseT)) baseT = 0;
  const w = new ByteWriter(64 + n * 4);
  w.byte(ROW_VERSION);
  w.varint(n);
  w.varint(baseT);
  w.varint(step);
  // Group shapes as runs: (id delta from the previous id + 1, count, absolute, run length).
  const active = groups.filter((g) => g.count > 0);
  const runs: Array<[number, number, number, number]> = [];
  let prevId = -1;
  for (const g of active) {
    const abs = g.previous ? 0 : 1;
    const last = runs[runs.length - 1];
    if (last && g.id === prevId + 1 && last[1] === g.count && last[2] === abs) last[3]++;
    else runs.push([g.id - (prevId + 1), g.count, abs, 1]);
    prevId = g.id;
  }
  w.varint(runs.length);
  for (const [idDelta, count, abs, length] of runs) {
    w.svarint(idDelta);
    w.varint(count * 2 + abs);
    w.varint(length);
  }
  // Quality and reasons as runs over the samples in row order.
  const reasonIndex = new Map<string, number>();
  const qRuns: number[] = [];
  let runQ = -1;
  let runR = -1;
  let runLength = 0;
  for (const g of active) {
    for (let i = 0; i < g.count; i++) {
      const q = g.q[i] as number;
      const reason = g.r[i];
      let ri = 0;
      if (reason !== undefined) {
        ri = reasonIndex.get(reason) ?? 0;
        if (ri === 0) reasonIndex.set(reason, (ri = reasonIndex.size + 1));
      }
      if (q === runQ && ri === runR) runLength++;
      else {
        if (runLength > 0) qRuns.push(runLength, runQ, runR);
        runQ = q;
        runR = ri;
        runLength = 1;
      }
    }
  }
  if (runLength > 0) qRuns.push(runLength, runQ, runR);
  w.varint(reasonIndex.size);
  for (const reason of reasonIndex.keys()) {
    const bytes = Buffer.from(reason, 'utf8');
    w.varint(bytes.length);
    w.bytes(bytes);
  }
  w.varint(qRuns.length / 3);
  for (let k = 0; k < qRuns.length; k++) w.varint(qRuns[k] as number);
  // Timestamps, then values.
  for (const g of active) {
    let prevT = g.previous ? g.previous.t : NaN;
    for (let i = 0; i < g.count; i++) {
      const t = g.t[i] as number;
      if (Number.isNaN(prevT)) w.svarint(t - baseT);
      else w.svarint(t - prevT - step);
      prevT = t;
    }
  }
  for (const g of active) {
    let prev: TagValue | undefined = g.previous ? g.previous.v : undefined;
    for (let i = 0; i < g.count; i++) {
      const v = g.v[i] as TagValue;
      writeValue(w, v, prev);
      prev = v;
    }
  }
  return w.finish();
}

/** Receives the decoded points of a row, tag by tag, in order. */
export type RecentSink = (id: number, t: number, v: TagValue, q: number, r: string | undefined) => void;

/**
 * Decodes journal rows in order, keeping each tag's previous point (what the next row's
 * deltas continue from). A group continuing a point in a row already deleted is skipped:
 * the writer deletes a row only once every tag's points in it were written as blocks, so
 * such a group's points are all in blocks.
 */
export class RecentRowDecoder {
  private readonly previous = new Map<number, { t: number; v: TagValue }>();

  decode(bytes: Uint8Array, sink: RecentSink): number {
    const r = new ByteReader(bytes);
    const version = r.byte();
    if (version !== ROW_VERSION) throw new RangeError(`recent row: unknown version ${version}`);
    const n = r.varint();
    const baseT = r.varint();
    const step = r.varint();
    const groups: Array<{ id: number; count: number; abs: boolean }> = [];
    let prevId = -1;
    const runCount = r.varint();
    for (let k = 0; k < runCount; k++) {
      const idDelta = r.svarint();
      const shape = r.varint();
      const length = r.varint();
      const count = Math.floor(shape / 2);
      const abs = shape % 2 === 1;
      for (let j = 0; j < length; j++) {
        const id = j === 0 ? prevId + 1 + idDelta : prevId + 1;
        groups.push({ id, count, abs });
        prevId = id;
      }
    }
    const reasons: string[] = [];
    const reasonCount = r.varint();
    for (let k = 0; k < reasonCount; k++) reasons.push(Buffer.from(r.bytes(r.varint())).toString('utf8'));
    const q = new Uint8Array(n);
    const reasonOf = new Uint16Array(n);
    const qRunCount = r.varint();
    let at = 0;
    for (let k = 0; k < qRunCount; k++) {
      const length = r.varint();
      const qv = r.varint();
      const ri = r.varint();
      if (at + length > n) throw new RangeError('recent row: quality runs longer than the row');
      q.fill(qv, at, at + length);
      reasonOf.fill(ri, at, at + length);
      at += length;
    }
    const t = new Float64Array(n);
    at = 0;
    const skip = groups.map((g) => !g.abs && !this.previous.has(g.id));
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k] as (typeof groups)[number];
      const prev = g.abs ? undefined : this.previous.get(g.id);
      let prevT = prev ? prev.t : NaN;
      for (let i = 0; i < g.count; i++) {
        const d = r.svarint();
        const ti = Number.isNaN(prevT) ? baseT + d : prevT + step + d;
        t[at++] = ti;
        prevT = ti;
      }
    }
    if (at !== n) throw new RangeError('recent row: group counts do not add up');
    at = 0;
    for (let j = 0; j < groups.length; j++) {
      const g = groups[j] as (typeof groups)[number];
      const skipping = skip[j] as boolean;
      let prev: TagValue | undefined = g.abs ? undefined : this.previous.get(g.id)?.v;
      for (let i = 0; i < g.count; i++) {
        const v = readValue(r, prev, skipping);
        const k = at++;
        const ri = reasonOf[k] as number;
        if (!skipping) sink(g.id, t[k] as number, v, q[k] as number, ri === 0 ? undefined : reasons[ri - 1]);
        prev = v;
      }
      if (g.count > 0 && !skipping) this.previous.set(g.id, { t: t[at - 1] as number, v: prev as TagValue });
    }
    return n;
  }
}
