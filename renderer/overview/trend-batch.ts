/**
 * Trends asked for together go to the station as one `history.trends` request: a screen
 * of sparklines opening (the plant overview: four figures on each of fifty tiles, each an
 * hour's sparkline, and the five-minute fall windows) asks for every one within the same
 * moment, and sending them as a few requests instead of hundreds spares the station the
 * per-request work and the console the replies' bookkeeping. Requests made within
 * `windowMs` of the first are sent together, split to the contract's limits; each caller
 * gets the reply `history.trend` would have given it. DOM-free: link and timer injected.
 */
import {
  HISTORY_TRENDS_MAX_BUCKETS,
  HISTORY_TRENDS_MAX_SERIES,
  type ArgusApi,
  type HistoryTrendDto,
  type Reply,
  type RequestParams,
} from '../../preload/contract.js';

export type TrendParams = RequestParams<'history.trend'>;
export type TrendRequest = (params: TrendParams) => Promise<Reply<HistoryTrendDto>>;

export interface TrendBatchLink {
  request: ArgusApi['request'];
}

interface Pending {
  readonly params: TrendParams;
  readonly resolve: (reply: Reply<HistoryTrendDto>) => void;
  readonly reject: (err: unknown) => void;
}

/** Splits series into requests within the contract's limits (count and buckets in all), in order. */
export function splitTrendBatches<T>(
  series: readonly T[],
  bucketsOf: (item: T) => number,
  maxSeries = HISTORY_TRENDS_MAX_SERIES,
  maxBuckets = HISTORY_TRENDS_MAX_BUCKETS,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let buckets = 0;
  for (const s of series) {
    const n = bucketsOf(s);
    if (current.length > 0 && (current.length >= maxSeries || buckets + n > maxBuckets)) {
      out.push(current);
      current = [];
      buckets = 0;
    }
    current.push(s);
    buckets += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class TrendBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  /** Requests sent (`history.trends`), for tests. */
  requests = 0;

  constructor(
    private readonly link: TrendBatchLink,
    private readonly windowMs = 15,
    private readonly schedule: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms),
  ) {}

  /** One trend, answered with the next batch. */
  readonly trend: TrendRequest = (params) =>
    new Promise<Reply<HistoryTrendDto>>((resolve, reject) => {
      this.pending.push({ params, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      this.schedule(() => this.flush(), this.windowMs);
    });

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const batch of splitTrendBatches(all, (p) => p.params.buckets)) {
      this.requests++;
      const series = batch.map(({ params: { tag, from, to, buckets } }) => ({ tag, from, to, buckets }));
      this.link.request('history.trends', { series }).then(
        (reply) => {
          batch.forEach((p, i) => {
            if (!reply.ok) return p.resolve(reply);
            const one = reply.value.series[i];
            p.resolve(
              one ?? { ok: false, error: { code: 'INTERNAL', message: `history.trends answered no series ${i}` } },
            );
          });
        },
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      );
    }
  }
}
