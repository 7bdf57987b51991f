/** Helpers for the historian integration tests: temp folders and sample generators. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../../protocols/driver.js';

export function tempDir(prefix = 'argus-historian-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` samples per tag at `stepMs`, values changing at every step. */
export function analogSamples(tags: readonly string[], start: number, count: number, stepMs = 1000): Sample[][] {
  const batches: Sample[][] = [];
  for (let i = 0; i < count; i++) {
    const t = start + i * stepMs;
    batches.push(
      tags.map((tag, k) => ({
        tag,
        // 0.01-quantized, plus 0.005 on odd steps so consecutive values always differ.
        value:
          (Math.round((50 + k + 10 * Math.sin(i / 50) + ((i * 7919 + k * 104729) % 13) / 10) * 100) + (i % 2) / 2) /
          100,
        quality: { code: 'Good' as const },
        sourceTime: t,
        receiveTime: t + 3,
      })),
    );
  }
  return batches;
}
