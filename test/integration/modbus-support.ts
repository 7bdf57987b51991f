/**
 * Helpers shared by the Modbus integration tests: collect samples per tag, wait for a
 * condition, and build register words independently of the codec under test (Node's Buffer).
 */
import type { Sample } from '../../protocols/driver.js';

export class SampleLog {
  readonly latest = new Map<string, Sample>();
  readonly counts = new Map<string, number>();
  readonly all: Sample[] = [];
  readonly onSamples = (samples: readonly Sample[]): void => {
    for (const s of samples) {
      this.latest.set(s.tag, s);
      this.counts.set(s.tag, (this.counts.get(s.tag) ?? 0) + 1);
      if (this.all.length < 100_000) this.all.push(s);
    }
  };
  get(tag: string): Sample | undefined {
    return this.latest.get(tag);
  }
  count(tag: string): number {
    return this.counts.get(tag) ?? 0;
  }
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Big-endian bytes → 16-bit words, as a standard (ABCD) device lays them out. */
export function wordsOf(buffer: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i < buffer.length; i += 2) words.push(buffer.readUInt16BE(i));
  return words;
}

export function float32Words(x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(x);
  return wordsOf(b);
}
export function float64Words(x: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return wordsOf(b);
}
export function int32Words(x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeInt32BE(x);
  return wordsOf(b);
}
export function uint32Words(x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(x);
  return wordsOf(b);
}
export function int64Words(x: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(x);
  return wordsOf(b);
}
export function asciiWords(text: string, registers: number): number[] {
  const b = Buffer.alloc(registers * 2);
  b.write(text, 'latin1');
  return wordsOf(b);
}

/** Place `words` at `start` in a table map. */
export function put(table: Record<number, number>, start: number, words: readonly number[]): void {
  words.forEach((w, i) => {
    table[start + i] = w;
  });
}
