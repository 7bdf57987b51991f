/**
 * Export of history to CSV, streamed to a file with progress:
 * - `long`: one row per stored sample: time, tag, value, quality, reason;
 * - `wide`: time-aligned for spreadsheets: one row per grid step (`intervalMs`), one
 *   value and one quality column per tag, each holding the last value at or before
 *   that time (sample-and-hold, as the plant saw it).
 * Reads in pages and yields between them, so a long export never blocks the runtime.
 */
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { TagValue } from '../../../protocols/driver.js';
import type { SeriesStore } from './series-store.js';
import { queryRaw } from './history-query.js';
import { QUALITY_CODES, decodeSampleBlock, valueAt } from './sample-block.js';
import { TIER_RAW } from './rollups.js';
import { csvCell } from '../export/csv.js';

export interface ExportProgress {
  /** 0..1 */
  readonly fraction: number;
  readonly rows: number;
}

export interface ExportOptions {
  readonly tags: readonly string[];
  readonly from: number;
  readonly to: number;
  /** Destination file (overwritten). */
  readonly file: string;
  readonly layout: 'long' | 'wide';
  /** Wide layout: the grid step, ms (default 60,000). */
  readonly intervalMs?: number;
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportResult {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly durationMs: number;
}

/** Wide exports stop at this many rows (a spreadsheet holds about a million). */
export const MAX_WIDE_ROWS = 1_048_575;
const PAGE = 20_000;

/** One cell, through the CSV module every export shares (formulas defused, quoted when needed). */
export function csvField(value: TagValue | undefined): string {
  return csvCell(value);
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** The last stored value of `tag` at or before `t` (for the first row of a wide export). */
function valueAtOrBefore(store: SeriesStore, tag: string, t: number): { v: TagValue; q: number } | null {
  const series = store.series(tag, TIER_RAW);
  let found: { v: TagValue; q: number } | null = null;
  const rows = series ? [...store.segmentsInRange(series.id, t, t)] : [];
  const recent = store.recent(tag);
  if (recent && recent.t_start <= t) rows.push(recent);
  for (const row of rows) {
    const block = decodeSampleBlock(row.data);
    for (let i = 0; i < block.n && (block.t[i] as number) <= t; i++)
      found = { v: valueAt(block, i), q: block.q[i] as number };
  }
  return found;
}

export async function exportCsv(store: SeriesStore, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const { tags, from, to } = options;
  if (!(to >= from)) throw new RangeError('export range: `to` must not be before `from`');
  const out = createWriteStream(options.file, { encoding: 'utf8' });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  let rows = 0;
  const span = Math.max(1, to - from);
  try {
    if (options.layout === 'long') {
      await write(out, 'time,tag,value,quality,reason\n');
      for (let k = 0; k < tags.length; k++) {
        const tag = tags[k] as string;
        let cursor = from;
        for (;;) {
          const page = queryRaw(store, tag, cursor, to, PAGE);
          let text = '';
          for (let i = 0; i < page.t.length; i++) {
            text += `${iso(page.t[i] as number)},${csvField(tag)},${csvField(page.v[i])},${QUALITY_CODES[page.q[i] as number]},${csvField(page.r[i])}\n`;
          }
          rows += page.t.length;
          await write(out, text);
          const last = page.t[page.t.length - 1];
          options.onProgress?.({ fraction: (k + (last === undefined ? 1 : (last - from) / span)) / tags.length, rows });
          if (!page.truncated || last === undefined) break;
          cursor = last + 1;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } else {
      const step = Math.max(1, options.intervalMs ?? 60_000);
      await write(out, ['time', ...tags.flatMap((t) => [t, `${t} quality`])].map((h) => csvField(h)).join(',') + '\n');
      const current = tags.map((tag) => valueAtOrBefore(store, tag, from));
      let gridT = from;
      while (gridT <= to && rows < MAX_WIDE_ROWS) {
        const windowEnd = Math.min(to, gridT + Math.min(step * (PAGE - 1), Math.max(step, 6 * 3_600_000)));
        const pages = tags.map((tag) => queryRaw(store, tag, gridT, windowEnd, 1_000_000));
        const cursors = tags.map(() => 0);
        let text = '';
        for (; gridT <= windowEnd && rows < MAX_WIDE_ROWS; gridT += step) {
          const fields = [iso(gridT)];
          for (let k = 0; k < tags.length; k++) {
            const page = pages[k] as (typeof pages)[number];
            let c = cursors[k] as number;
            while (c < page.t.length && (page.t[c] as number) <= gridT) {
              current[k] = { v: page.v[c] as TagValue, q: page.q[c] as number };
              c++;
            }
            cursors[k] = c;
            const cur = current[k];
            fields.push(csvField(cur?.v), cur ? (QUALITY_CODES[cur.q] as string) : '');
          }
          text += fields.join(',') + '\n';
          rows++;
        }
        await write(out, text);
        options.onProgress?.({ fraction: Math.min(1, (gridT - from) / span), rows });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    out.end();
    await closed;
  } catch (err) {
    out.destroy();
    throw new Error(`export to ${options.file} failed`, { cause: err });
  }
  options.onProgress?.({ fraction: 1, rows });
  return {
    file: options.file,
    rows,
    bytes: statSync(options.file).size,
    durationMs: Math.round(performance.now() - started),
  };
}
