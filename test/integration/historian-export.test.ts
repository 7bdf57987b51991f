import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openHistorian, openHistoryReader } from '../../main/runtime/historian/index.js';
import {
  createHistoryRequestHandlers,
  HistoryRequestError,
  type ExportProgressEvent,
} from '../../main/runtime/historian/history-requests.js';
import { historyRequests } from '../../preload/contract/history.js';
import type { Sample } from '../../protocols/driver.js';
import { analogSamples, tempDir } from './historian-support.js';

const T0 = Date.UTC(2026, 0, 1);
const { dir, remove } = tempDir();
afterAll(remove);

describe('export and backup', () => {
  it('exports long and wide CSV with progress, and backs up a running history file', async () => {
    const h = openHistorian({ file: join(dir, 'history.db'), flushIntervalMs: 3_600_000 });
    try {
      const tags = ['E.X.T1', 'E.X.T2'];
      for (const b of analogSamples(tags, T0, 7200)) h.ingest(b);
      const text: Sample[] = [
        { tag: 'E.X.MODE', value: 'auto, "remote"', quality: { code: 'Good' }, sourceTime: T0 + 500, receiveTime: T0 },
        {
          tag: 'E.X.MODE',
          value: 'manual',
          quality: { code: 'Bad', reason: 'operator' },
          sourceTime: T0 + 3_600_500,
          receiveTime: T0,
        },
      ];
      h.ingest(text);
      await h.flush();

      const progress: number[] = [];
      const long = await h.exportCsv({
        tags: [...tags, 'E.X.MODE'],
        from: T0,
        to: T0 + 7199_000,
        file: join(dir, 'long.csv'),
        layout: 'long',
        onProgress: (p) => progress.push(p.fraction),
      });
      expect(long.rows).toBe(2 * 7200 + 2);
      const lines = readFileSync(long.file, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('time,tag,value,quality,reason');
      expect(lines[1]).toMatch(/^2026-01-01T00:00:00\.000Z,E\.X\.T1,[\d.]+,Good,$/);
      expect(lines).toContain('2026-01-01T00:00:00.500Z,E.X.MODE,"auto, ""remote""",Good,');
      expect(lines).toContain('2026-01-01T01:00:00.500Z,E.X.MODE,manual,Bad,operator');
      expect(progress.length).toBeGreaterThan(2);
      expect(progress[progress.length - 1]).toBe(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const wide = await h.exportCsv({
        tags: [...tags, 'E.X.MODE'],
        from: T0,
        to: T0 + 7200_000,
        file: join(dir, 'wide.csv'),
        layout: 'wide',
        intervalMs: 600_000,
      });
      const rows = readFileSync(wide.file, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('time,E.X.T1,E.X.T1 quality,E.X.T2,E.X.T2 quality,E.X.MODE,E.X.MODE quality');
      expect(rows).toHaveLength(1 + 13);
      const raw1 = h.queryRaw('E.X.T1', T0 + 600_000, T0 + 600_000);
      expect(rows[2]?.split(',').slice(0, 3)).toEqual(['2026-01-01T00:10:00.000Z', String(raw1.v[0]), 'Good']);
      expect(rows[1]?.endsWith(',,')).toBe(true); // the text tag has no value yet at 00:00:00.000
      // 01:00:00.000 is before the change at 01:00:00.500: still the previous value there.
      expect(rows[7]?.endsWith(',"auto, ""remote""",Good')).toBe(true);
      expect(rows[8]?.endsWith(',manual,Bad')).toBe(true);

      const fractions: number[] = [];
      const backup = await h.backup(join(dir, 'backup.db'), (f) => fractions.push(f));
      expect(backup.bytes).toBeGreaterThan(0);
      const copy = new Database(backup.file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();
      const reader = openHistoryReader(backup.file);
      expect(reader.queryRaw('E.X.T2', T0, T0 + 7199_000, 1_000_000).t).toHaveLength(7200);
      reader.close();
    } finally {
      await h.close();
    }
  });

  it('serves the contract requests, validated by the contract schemas', async () => {
    const h = openHistorian({ file: join(dir, 'contract.db'), flushIntervalMs: 3_600_000 });
    try {
      for (const b of analogSamples(['C.R.T1'], T0, 600)) h.ingest(b);
      await h.flush();
      const events: ExportProgressEvent[] = [];
      const handlers = createHistoryRequestHandlers({
        historian: h,
        dataDir: dir,
        knownTag: (t) => t.startsWith('C.R.'),
        onExportProgress: (e) => events.push(e),
      });
      const params = historyRequests['history.trend'].params.parse({
        tag: 'C.R.T1',
        from: T0,
        to: T0 + 600_000,
        buckets: 10,
      });
      const trend = await handlers['history.trend'](params);
      expect(historyRequests['history.trend'].result.parse(trend).count.reduce((a, b) => a + b, 0)).toBe(600);
      const raw = await handlers['history.raw'](
        historyRequests['history.raw'].params.parse({ tag: 'C.R.T1', from: T0, to: T0 + 9_000, limit: 5 }),
      );
      expect(historyRequests['history.raw'].result.parse(raw)).toMatchObject({ truncated: true });
      expect(raw.t).toHaveLength(5);
      expect(historyRequests['history.status'].result.parse(await handlers['history.status']({})).level).toBe('ok');
      expect(() => handlers['history.raw']({ tag: 'NOPE.X.Y', from: T0, to: T0 + 1 })).toThrow(HistoryRequestError);
      expect(historyRequests['history.raw'].params.safeParse({ tag: 'C.R.T1', from: T0 + 5, to: T0 }).success).toBe(
        false,
      );
      expect(
        historyRequests['history.export'].params.safeParse({
          tags: ['C.R.T1'],
          from: T0,
          to: T0 + 1,
          layout: 'long',
          fileName: '../escape.csv',
        }).success,
      ).toBe(false);

      const started = await handlers['history.export']({
        tags: ['C.R.T1'],
        from: T0,
        to: T0 + 600_000,
        layout: 'long',
        fileName: 'r.csv',
      });
      expect(started.file).toBe(join(dir, 'exports', 'r.csv'));
      for (let i = 0; i < 200 && !events.some((e) => e.done); i++) await new Promise((r) => setTimeout(r, 10));
      expect(events.at(-1)).toMatchObject({
        exportId: started.exportId,
        done: true,
        fraction: 1,
        rows: 600,
        file: started.file,
      });
      const backup = await handlers['history.backup']({});
      expect(existsSync(backup.file)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
