/**
 * `history.trends`: many series in one request (a screen of sparklines opening asks for
 * all of them at once instead of one request each). Each series is answered as
 * `history.trend` answers it, in the order asked; a series the caller may not see, or an
 * unknown tag, gets its own error and the others are still served. The work is done in
 * slices of about `sliceMs`, yielding to the event loop between them, so a large request
 * does not hold up the live values meanwhile.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { HistoryTrendDto, HistoryTrendReplyDto } from '../../../preload/contract/history.js';
import { HistoryRequestError } from '../historian/history-requests.js';

export interface TrendSeriesParams {
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  readonly buckets: number;
}

export interface TrendBatchDeps {
  /** One series, as `history.trend` serves it (throws HistoryRequestError for unknown tags, no history). */
  readonly trend: (p: TrendSeriesParams) => HistoryTrendDto | Promise<HistoryTrendDto>;
  /** May the caller see this tag? */
  readonly visible: (tag: string) => boolean;
  /** Work per slice before yielding, ms (default 8). */
  readonly sliceMs?: number;
  readonly now?: () => number;
}

export async function serveTrends(
  series: readonly TrendSeriesParams[],
  deps: TrendBatchDeps,
): Promise<{ series: HistoryTrendReplyDto[] }> {
  const sliceMs = deps.sliceMs ?? 8;
  const now = deps.now ?? performance.now.bind(performance);
  const out: HistoryTrendReplyDto[] = [];
  let sliceStart = now();
  for (const p of series) {
    if (now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = now();
    }
    out.push(await serveOne(p, deps));
  }
  return { series: out };
}

async function serveOne(p: TrendSeriesParams, deps: TrendBatchDeps): Promise<HistoryTrendReplyDto> {
  if (!deps.visible(p.tag))
    return { ok: false, error: { code: 'FORBIDDEN', message: `outside your plant areas: ${p.tag.slice(0, 200)}` } };
  try {
    return { ok: true, value: await deps.trend(p) };
  } catch (err) {
    if (err instanceof HistoryRequestError) return { ok: false, error: { code: err.code, message: err.message } };
    throw new Error(`history.trends: the trend of ${p.tag.slice(0, 200)} failed`, { cause: err });
  }
}
