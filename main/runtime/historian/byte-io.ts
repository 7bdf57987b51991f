/**
 * Growable byte writer and reader with unsigned LEB128 varints and zigzag signed
 * varints. Numbers up to 2^53 are supported (timestamps in ms need ~41 bits), with a
 * fast path for values that fit 31 bits, which is nearly every delta.
 */

const TWO_POW_31 = 2 ** 31;

/** Map a signed integer to an unsigned one so small magnitudes stay small: 0,-1,1,-2 → 0,1,2,3. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint, 0 ≤ n ≤ 2^53. */
  varint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    let pos = this.pos;
    if (n < TWO_POW_31) {
      while (n >= 0x80) {
        buf[pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[pos++] = n;
    } else {
      while (n >= 0x80) {
        buf[pos++] = (n % 128) | 0x80;
        n = Math.floor(n / 128);
      }
      buf[pos++] = n;
    }
    this.pos = pos;
  }

  /** Signed integer as zigzag varint, |n| ≤ 2^52. */
  svarint(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  float64(x: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes held (written or not). */
  get capacity(): number {
    return this.buf.length;
  }

  /** The written bytes, not copied (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the written bytes, sized exactly. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class ByteReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('block truncated');
    return this.buf[this.pos++] as number;
  }

  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    // Fast paths: nearly every varint here is one or two bytes. (Past the end, buf[pos] is
    // undefined, the comparisons are false, and the general path reports the truncation.)
    const b0 = buf[pos] as number;
    if (b0 < 0x80) {
      this.pos = pos + 1;
      return b0;
    }
    const b1 = buf[pos + 1] as number;
    if (b1 < 0x80) {
      this.pos = pos + 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new RangeError('block truncated in a varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 128;
      if (mul > 2 ** 56) throw new RangeError('varint too long');
    }
    this.pos = pos;
    return result;
  }

  svarint(): number {
    const z = this.varint();
    if (z < 0x80000000) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /**
   * The hot loop of every query: `count` zigzag deltas, accumulated and divided by
   * `divisor`, into `out`. Inlined one- and two-byte cases; the rest via svarint().
   */
  deltasInto(out: Float64Array, count: number, divisor: number): void {
    const buf = this.buf;
    let acc = 0;
    for (let i = 0; i < count; i++) {
      const pos = this.pos;
      const b0 = buf[pos] as number;
      let z: number;
      if (b0 < 0x80) {
        z = b0;
        this.pos = pos + 1;
      } else {
        const b1 = buf[pos + 1] as number;
        if (b1 < 0x80) {
          z = (b0 & 0x7f) | (b1 << 7);
          this.pos = pos + 2;
        } else {
          acc += this.svarint();
          out[i] = acc / divisor;
          continue;
        }
      }
      acc += (z >>> 1) ^ -(z & 1);
      out[i] = acc / divisor;
    }
  }

  float64(): number {
    if (this.pos + 8 > this.buf.length) throw new RangeError('block truncated in a float');
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RangeError('block truncated in a byte string');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
