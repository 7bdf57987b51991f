/**
 * The overview's trend batching (renderer/overview/trend-batch.ts) and its server side
 * (main/runtime/api/history-trends.ts): requests made together go as one `history.trends`,
 * split to the contract's limits, each caller answered as `history.trend` would answer it;
 * the station serves a batch in slices, yielding to the event loop between them.
 */
import { describe, expect, it } from 'vitest';
import { splitTrendBatches, TrendBatcher, type TrendBatchLink } from '../../renderer/overview/trend-batch.js';
import { serveTrends, type TrendSeriesParams } from '../../main/runtime/api/history-trends.js';
import { HistoryRequestError } from '../../main/runtime/historian/history-requests.js';
import {
  HISTORY_TRENDS_MAX_BUCKETS,
  HISTORY_TRENDS_MAX_SERIES,
  requests,
  type HistoryTrendDto,
  type Reply,
} from '../../preload/contract.js';

const trendOf = (tag: string, from = 0, to = 1): HistoryTrendDto => ({
  tag,
  tier: 'raw',
  from,
  to,
  bucketMs: 1,
  t: [from],
  min: [1],
  max: [1],
  avg: [1],
  first: [1],
  last: [1],
  count: [1],
  q: [1],
  gaps: [],
});

/** A link answering `history.trends` from `answer`, keeping what was asked. */
function fakeLink(answer: (series: TrendSeriesParams[]) => Reply<unknown> | Promise<Reply<unknown>>) {
  const asked: { method: string; series: TrendSeriesParams[] }[] = [];
  const link: TrendBatchLink = {
    request: (async (method: string, params: { series: TrendSeriesParams[] }) => {
      asked.push({ method, series: params.series });
      // Every batch must pass the contract's own check.
      expect(requests['history.trends'].params.safeParse(params).success).toBe(true);
      return answer(params.series);
    }) as TrendBatchLink['request'],
  };
  return { link, asked };
}

/** A scheduler run by hand. */
function manualTimer() {
  const due: (() => void)[] = [];
  return {
    schedule: (run: () => void) => void due.push(run),
    fire: () => due.splice(0).forEach((run) => run()),
    count: () => due.length,
  };
}

const served = (series: TrendSeriesParams[]): Reply<unknown> => ({
  ok: true,
  value: { series: series.map((s) => ({ ok: true, value: trendOf(s.tag, s.from, s.to) })) },
});

describe('splitTrendBatches', () => {
  it('keeps the order and stays within the series and bucket limits', () => {
    const items = [5, 5, 5, 9, 1, 1, 1, 1].map((buckets, i) => ({ i, buckets }));
    const batches = splitTrendBatches(items, (x) => x.buckets, 3, 10);
    expect(batches.map((b) => b.map((x) => x.i))).toEqual([[0, 1], [2], [3, 4], [5, 6, 7]]);
    expect(batches.flat()).toEqual(items);
  });

  it('sends a series larger than the bucket limit alone rather than never', () => {
    expect(splitTrendBatches([{ b: 50 }, { b: 1 }], (x) => x.b, 10, 10)).toEqual([[{ b: 50 }], [{ b: 1 }]]);
  });

  it('fits the overview of fifty substations in one request', () => {
    // 200 hour sparklines of 72 buckets and 100 five-minute fall windows of 30.
    const overview = [...Array(200).fill(72), ...Array(100).fill(30)].map((buckets) => ({ buckets }));
    expect(splitTrendBatches(overview, (x) => x.buckets)).toHaveLength(1);
    const big = Array.from({ length: HISTORY_TRENDS_MAX_SERIES * 2 + 1 }, () => ({ buckets: 10 }));
    expect(splitTrendBatches(big, (x) => x.buckets).map((b) => b.length)).toEqual([
      HISTORY_TRENDS_MAX_SERIES,
      HISTORY_TRENDS_MAX_SERIES,
      1,
    ]);
    const wide = Array.from({ length: 9 }, () => ({ buckets: 10_000 }));
    for (const b of splitTrendBatches(wide, (x) => x.buckets))
      expect(b.reduce((n, x) => n + x.buckets, 0)).toBeLessThanOrEqual(HISTORY_TRENDS_MAX_BUCKETS);
  });
});

describe('TrendBatcher', () => {
  it('sends the trends asked for together as one request and answers each its own', async () => {
    const { link, asked } = fakeLink(served);
    const timer = manualTimer();
    const batcher = new TrendBatcher(link, 15, timer.schedule);
    const replies = ['A', 'B', 'C'].map((tag, i) => batcher.trend({ tag, from: i, to: 10 + i, buckets: 30 }));
    expect(timer.count()).toBe(1);
    expect(asked).toHaveLength(0);
    timer.fire();
    const got = await Promise.all(replies);
    expect(asked).toEqual([
      {
        method: 'history.trends',
        series: [
          { tag: 'A', from: 0, to: 10, buckets: 30 },
          { tag: 'B', from: 1, to: 11, buckets: 30 },
          { tag: 'C', from: 2, to: 12, buckets: 30 },
        ],
      },
    ]);
    expect(got).toEqual([
      { ok: true, value: trendOf('A', 0, 10) },
      { ok: true, value: trendOf('B', 1, 11) },
      { ok: true, value: trendOf('C', 2, 12) },
    ]);
    expect(batcher.requests).toBe(1);
    // Later asks make a new batch.
    const later = batcher.trend({ tag: 'D', from: 0, to: 1, buckets: 5 });
    timer.fire();
    await later;
    expect(asked).toHaveLength(2);
  });

  it('passes on a series refused on its own, and a whole refusal to every caller', async () => {
    const timer = manualTimer();
    const one = new TrendBatcher(
      fakeLink((series) => ({
        ok: true,
        value: {
          series: series.map((s) =>
            s.tag === 'X'
              ? { ok: false, error: { code: 'FORBIDDEN', message: 'outside your plant areas: X' } }
              : { ok: true, value: trendOf(s.tag) },
          ),
        },
      })).link,
      15,
      timer.schedule,
    );
    const [a, x] = [
      one.trend({ tag: 'A', from: 0, to: 1, buckets: 2 }),
      one.trend({ tag: 'X', from: 0, to: 1, buckets: 2 }),
    ];
    timer.fire();
    expect(await a).toMatchObject({ ok: true });
    expect(await x).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'outside your plant areas: X' } });

    const whole = new TrendBatcher(
      fakeLink(() => ({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'sign in first' } })).link,
      15,
      timer.schedule,
    );
    const both = [
      whole.trend({ tag: 'A', from: 0, to: 1, buckets: 2 }),
      whole.trend({ tag: 'B', from: 0, to: 1, buckets: 2 }),
    ];
    timer.fire();
    for (const r of await Promise.all(both)) expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('splits a large screen to the limits and rejects each caller when the link fails', async () => {
    const timer = manualTimer();
    const { link, asked } = fakeLink(served);
    const batcher = new TrendBatcher(link, 15, timer.schedule);
    const all = Array.from({ length: HISTORY_TRENDS_MAX_SERIES + 5 }, (_, i) =>
      batcher.trend({ tag: `T${i}`, from: 0, to: 1, buckets: 10 }),
    );
    timer.fire();
    const got = await Promise.all(all);
    expect(asked.map((a) => a.series.length)).toEqual([HISTORY_TRENDS_MAX_SERIES, 5]);
    got.forEach((r, i) => expect(r).toMatchObject({ ok: true, value: { tag: `T${i}` } }));

    const broken = new TrendBatcher(
      { request: (() => Promise.reject(new Error('socket closed'))) as TrendBatchLink['request'] },
      15,
      timer.schedule,
    );
    const lost = broken.trend({ tag: 'A', from: 0, to: 1, buckets: 2 });
    timer.fire();
    await expect(lost).rejects.toThrow('socket closed');
  });
});

describe('serveTrends', () => {
  const p = (tag: string): TrendSeriesParams => ({ tag, from: 0, to: 1, buckets: 2 });

  it('answers in order, refusing unknown and hidden tags one by one', async () => {
    const reply = await serveTrends([p('A'), p('NOPE'), p('HIDDEN'), p('B')], {
      trend: (one) => {
        if (one.tag === 'NOPE') throw new HistoryRequestError('NOT_FOUND', 'unknown tag "NOPE"');
        return trendOf(one.tag);
      },
      visible: (tag) => tag !== 'HIDDEN',
    });
    expect(reply.series).toEqual([
      { ok: true, value: trendOf('A') },
      { ok: false, error: { code: 'NOT_FOUND', message: 'unknown tag "NOPE"' } },
      { ok: false, error: { code: 'FORBIDDEN', message: 'outside your plant areas: HIDDEN' } },
      { ok: true, value: trendOf('B') },
    ]);
  });

  it('lets the event loop run between slices of work', async () => {
    let clock = 0;
    const order: string[] = [];
    const tags = Array.from({ length: 10 }, (_, i) => `T${i}`);
    setImmediate(() => order.push('event loop'));
    await serveTrends(tags.map(p), {
      // Each trend costs 3 ms: a slice of 8 ms holds three.
      trend: (one) => ((clock += 3), order.push(one.tag), trendOf(one.tag)),
      visible: () => true,
      sliceMs: 8,
      now: () => clock,
    });
    expect(order.indexOf('event loop')).toBe(3);
  });

  it('fails the request, naming the tag, on an error that is not a refusal', async () => {
    const err = await serveTrends([p('A')], {
      trend: () => {
        throw new TypeError('broken block');
      },
      visible: () => true,
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/history\.trends: the trend of A failed/);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
  });
});
