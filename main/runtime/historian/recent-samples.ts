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
 * The stored points of one tag not yet written as a block, kept encoded (an hour of a 1 s
 * tag is ~3,600 points: as typed arrays 17 bytes each, encoded about 3): timestamps as
 * delta-of-delta zigzag varints (a steady cadence with jitter: one byte), values with the
 * journal's value code (scaled-integer deltas: one or two bytes for noisy analog),
 * quality and reason as runs. The last point is kept decoded (the filter, the journal and
 * the window check need it). `firstRow` is the journal record holding the oldest point.
 */
export class TagTail {
  n = 0;
  firstRow = 0;
  /** When the first point arrived (the writer's clock), for writing out tags that went quiet. */
  firstAt = 0;
  private first = 0;
  private last = 0;
  private lastDelta = 0;
  private lastValue: TagValue = null;
  private lastQuality = 0;
  private lastReasonText: string | undefined = undefined;
  private times = new ByteWriter(16);
  private values = new ByteWriter(16);
  /** Quality runs: (index of the run's first point, quality, reason index + 1 or 0). */
  private qualityRuns: number[] = [];
  private reasonTexts: string[] = [];
  private allNumbers = true;

  get firstT(): number {
    return this.first;
  }

  get lastT(): number {
    return this.last;
  }

  get lastV(): TagValue {
    return this.lastValue;
  }

  get lastQ(): number {
    return this.lastQuality;
  }

  get lastR(): string | undefined {
    return this.lastReasonText;
  }

  /** Bytes held for the encoded points. */
  get bytes(): number {
    return this.times.capacity + this.values.capacity;
  }

  push(t: number, v: TagValue, q: number, r: string | undefined): void {
    const i = this.n;
    if (i === 0) {
      this.first = t;
      this.times.svarint(t);
      this.lastDelta = 0;
    } else {
      const delta = t - this.last;
      this.times.svarint(delta - this.lastDelta);
      this.lastDelta = delta;
    }
    writeValue(this.values, v, i === 0 ? undefined : this.lastValue);
    if (typeof v !== 'number' || Number.isNaN(v)) this.allNumbers = false;
    if (i === 0 || q !== this.lastQuality || r !== this.lastReasonText) {
      let ri = 0;
      if (r !== undefined) {
        ri = this.reasonTexts.indexOf(r) + 1;
        if (ri === 0) ri = this.reasonTexts.push(r);
      }
      this.qualityRuns.push(i, q, ri);
    }
    this.last = t;
    this.lastValue = v;
    this.lastQuality = q;
    this.lastReasonText = r;
    this.n = i + 1;
  }

  /** Forget every point (they were written as a block). */
  clear(): void {
    this.n = 0;
    this.times = new ByteWriter(16);
    this.values = new ByteWriter(16);
    this.qualityRuns = [];
    this.reasonTexts = [];
    this.allNumbers = true;
    this.lastValue = null;
    this.lastReasonText = undefined;
    this.firstRow = 0;
    this.firstAt = 0;
  }

  /** The points decoded as columns (numbers unboxed while every value is a number). */
  columns(): SampleColumns {
    const n = this.n;
    const t = new Float64Array(n);
    const tr = new ByteReader(this.times.view());
    let prev = 0;
    let delta = 0;
    for (let i = 0; i < n; i++) {
      if (i === 0) prev = tr.svarint();
      else {
        delta += tr.svarint();
        prev += delta;
      }
      t[i] = prev;
    }
    const vr = new ByteReader(this.values.view());
    const v: TagValue[] | Float64Array = this.allNumbers ? new Float64Array(n) : new Array<TagValue>(n);
    let pv: TagValue | undefined;
    for (let i = 0; i < n; i++) {
      pv = readValue(vr, pv, false);
      v[i] = pv as number;
    }
    const q = new Uint8Array(n);
    const runs = this.qualityRuns;
    let reasons: (string | undefined)[] | null = null;
    for (let k = 0; k < runs.length; k += 3) {
      const start = runs[k] as number;
      const end = k + 3 < runs.length ? (runs[k + 3] as number) : n;
      q.fill(runs[k + 1] as number, start, end);
      const ri = runs[k + 2] as number;
      if (ri > 0) {
        reasons ??= new Array<string | undefined>(n).fill(undefined);
        reasons.fill(this.reasonTexts[ri - 1], start, end);
      }
    }
    return { t, v, q, r: reasons ?? ({ length: n } as ArrayLike<string | undefined>) };
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
