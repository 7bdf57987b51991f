/**
 * A backup: SQLite's online backup of the file (in steps, with progress), then the recent
 * points (in the journal files, not in blocks) go into the copy as one row of its journal
 * table, which the copy reads back when it is opened, so the copy is one self-contained
 * file. The caller holds block write-outs back meanwhile: what is not in the copied blocks
 * is in the tails copied after.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BackupResult } from './historian-api.js';
import { SeriesStore } from './series-store.js';
import { encodeRecentRow, type RecentGroup } from './recent-samples.js';
import { TIER_RAW } from './rollups.js';
import type { TagState } from './write-batch.js';

export async function backupTo(
  db: Database.Database,
  toFile: string,
  tags: () => Iterable<TagState>,
  now: () => number,
  onProgress?: (fraction: number) => void,
): Promise<BackupResult> {
  const started = performance.now();
  await db.backup(toFile, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress?.(totalPages > 0 ? (totalPages - remainingPages) / totalPages : 1);
      return 200;
    },
  });
  copyTailsInto(toFile, tags(), now());
  return { file: toFile, bytes: statSync(toFile).size, durationMs: Math.round(performance.now() - started) };
}

export function copyTailsInto(toFile: string, tags: Iterable<TagState>, now: number): void {
  const copy = new Database(toFile);
  try {
    const store = new SeriesStore(copy);
    copy.transaction(() => {
      const groups: RecentGroup[] = [];
      let stored = 0;
      for (const st of tags) {
        const tail = st.tail;
        if (tail.n === 0) continue;
        const c = tail.columns();
        groups.push({
          id: store.ensureSeries(st.name, TIER_RAW).id,
          t: c.t,
          v: c.v,
          q: c.q,
          r: c.r,
          count: tail.n,
          previous: null,
        });
        stored += tail.n;
      }
      groups.sort((a, b) => a.id - b.id);
      if (groups.length > 0) store.insertRecent(now, stored, encodeRecentRow(groups));
    })();
  } finally {
    copy.close();
  }
}
