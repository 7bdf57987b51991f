/**
 * The history part of the contract, implemented on a Historian: the lead's
 * api/history-handlers.ts maps these one to one (and turns `HistoryRequestError`
 * into a ContractFailure with the same code). Exports and backups go into the data
 * folder (`exports/`, `backups/`) under plain file names; an export runs in the
 * background and reports progress through `onExportProgress`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { historyEvents, historyRequests } from '../../../preload/contract/history.js';
import { HistoryUnavailableError, type Historian } from './historian.js';

/** `history.trends` (many series at once) is served by api/history-trends.ts over `history.trend`. */
type HistoryRequestName = Exclude<keyof typeof historyRequests, 'history.trends'>;
type Params<N extends HistoryRequestName> = z.output<(typeof historyRequests)[N]['params']>;
type Result<N extends HistoryRequestName> = z.infer<(typeof historyRequests)[N]['result']>;
export type ExportProgressEvent = z.infer<(typeof historyEvents)['history.exportProgress']>;

export type HistoryRequestHandlers = {
  [N in HistoryRequestName]: (params: Params<N>) => Result<N> | Promise<Result<N>>;
};

export class HistoryRequestError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'HistoryRequestError';
  }
}

export interface HistoryRequestDeps {
  /** Null while the runtime has no historian. */
  readonly historian: Historian | null;
  readonly dataDir: string;
  /** Is this a tag of the project? Unknown tags get NOT_FOUND. */
  readonly knownTag: (tag: string) => boolean;
  readonly onExportProgress?: (event: ExportProgressEvent) => void;
  readonly now?: () => number;
}

const stamp = (t: number) => new Date(t).toISOString().replace(/[:.]/g, '-');

export function createHistoryRequestHandlers(deps: HistoryRequestDeps): HistoryRequestHandlers {
  const now = deps.now ?? Date.now;
  let exports = 0;
  const historian = (): Historian => {
    if (!deps.historian) throw new HistoryRequestError('UNAVAILABLE', 'history is not available in this runtime');
    return deps.historian;
  };
  const checkTag = (tag: string) => {
    if (!deps.knownTag(tag)) throw new HistoryRequestError('NOT_FOUND', `unknown tag "${tag.slice(0, 200)}"`);
  };
  const guard = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      if (err instanceof HistoryUnavailableError) throw new HistoryRequestError('UNAVAILABLE', err.message);
      throw err;
    }
  };
  return {
    'history.raw': (p) => {
      checkTag(p.tag);
      return guard(() => historian().queryRaw(p.tag, p.from, p.to, p.limit));
    },
    'history.trend': (p) => {
      checkTag(p.tag);
      return guard(() => historian().queryTrend(p.tag, p.from, p.to, p.buckets));
    },
    'history.status': () => historian().status(),
    'history.export': (p) => {
      p.tags.forEach(checkTag);
      const h = historian();
      const dir = join(deps.dataDir, 'exports');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, p.fileName ?? `history-${stamp(now())}.csv`);
      const exportId = `export-${now()}-${++exports}`;
      let lastReport = 0;
      const report = (e: Omit<ExportProgressEvent, 'exportId'>) => deps.onExportProgress?.({ exportId, ...e });
      guard(() =>
        h.exportCsv({
          tags: p.tags,
          from: p.from,
          to: p.to,
          file,
          layout: p.layout,
          intervalMs: p.intervalMs,
          onProgress: ({ fraction, rows }) => {
            const t = now();
            if (t - lastReport < 250) return;
            lastReport = t;
            report({ fraction, rows, done: false });
          },
        }),
      ).then(
        (r) => report({ fraction: 1, rows: r.rows, done: true, file: r.file }),
        (err: unknown) =>
          report({ fraction: 0, rows: 0, done: true, error: err instanceof Error ? err.message : String(err) }),
      );
      return { exportId, file };
    },
    'history.backup': async (p) => {
      const dir = join(deps.dataDir, 'backups');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, p.fileName ?? `history-${stamp(now())}.db`);
      try {
        return await historian().backup(file);
      } catch (err) {
        if (err instanceof HistoryUnavailableError) throw new HistoryRequestError('UNAVAILABLE', err.message);
        throw err;
      }
    },
  };
}
