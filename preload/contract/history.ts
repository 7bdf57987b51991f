/**
 * History requests of the contract (historian queries, export, backup, status).
 * Merged into `requests` in preload/contract.ts; `historyEvents` is for `events`.
 * Trends and raw samples cross the wire as columns (ARCHITECTURE.md, principle 16).
 * Times are ms since epoch. Imports only zod (contract.ts imports this file).
 */
import { z } from 'zod';

const time = z.number().finite();
const tagName = z.string().min(1).max(200);
const range = { tag: tagName, from: time, to: time };
const toNotBeforeFrom = (p: { from: number; to: number }) => p.to >= p.from;
const rangeMessage = { message: '`to` must not be before `from`', path: ['to'] };

export const historyGapSchema = z.object({
  from: z.number(),
  to: z.number(),
  samples: z.number(),
  reason: z.string(),
});

/** Raw samples: q is 0 Good, 1 Uncertain, 2 Bad; r the reason where the quality is not Good. */
export const historyRawSchema = z.object({
  tag: z.string(),
  from: z.number(),
  to: z.number(),
  t: z.array(z.number()),
  v: z.array(z.union([z.number(), z.boolean(), z.string(), z.null()])),
  q: z.array(z.number()),
  r: z.array(z.string().nullable()),
  /** The limit cut the range short: ask again from the last t + 1. */
  truncated: z.boolean(),
  gaps: z.array(historyGapSchema),
});
export type HistoryRawDto = z.infer<typeof historyRawSchema>;

/** A downsampled trend: one entry per non-empty pixel bucket (M4: first, last, min, max survive). */
export const historyTrendSchema = z.object({
  tag: z.string(),
  tier: z.enum(['raw', '1m', '1h']),
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  t: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
  avg: z.array(z.number()),
  first: z.array(z.number()),
  last: z.array(z.number()),
  count: z.array(z.number()),
  /** Share of Good quality in the bucket, 0..1. */
  q: z.array(z.number()),
  gaps: z.array(historyGapSchema),
});
export type HistoryTrendDto = z.infer<typeof historyTrendSchema>;

export const historyStatusSchema = z.object({
  level: z.enum(['ok', 'degraded', 'unavailable']),
  message: z.string(),
  file: z.string(),
  bufferedSamples: z.number(),
  storedSamples: z.number(),
  droppedSamples: z.number(),
  gapsRecorded: z.number(),
  outOfOrderSamples: z.number(),
  lastWriteAt: z.number().nullable(),
  /** The longest single write slice since start, ms. */
  slowestWriteMs: z.number(),
  lastError: z.string().nullable(),
  recovered: z.object({ problem: z.string(), movedTo: z.string() }).nullable(),
});
export type HistoryStatusDto = z.infer<typeof historyStatusSchema>;

/** What one request of `history.trends` may ask for: its series, and their buckets together. */
export const HISTORY_TRENDS_MAX_SERIES = 400;
export const HISTORY_TRENDS_MAX_BUCKETS = 40_000;

const trendParams = z
  .object({ ...range, buckets: z.number().int().min(1).max(10_000) })
  .strict()
  .refine(toNotBeforeFrom, rangeMessage);

/** One series' answer in `history.trends`: its trend, or why not (the others are still served). */
export const historyTrendReplySchema = z.union([
  z.object({ ok: z.literal(true), value: historyTrendSchema }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE']), message: z.string() }),
  }),
]);
export type HistoryTrendReplyDto = z.infer<typeof historyTrendReplySchema>;

/** A file name inside the data folder's exports/backups folder: no paths. */
const fileName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name (letters, digits, . _ -)');

export const historyRequests = {
  'history.raw': {
    params: z
      .object({ ...range, limit: z.number().int().min(1).max(1_000_000).optional() })
      .strict()
      .refine(toNotBeforeFrom, rangeMessage),
    result: historyRawSchema,
  },
  /** Downsampled for a trend of `buckets` pixels; the runtime picks the stored tier. */
  'history.trend': {
    params: z
      .object({ ...range, buckets: z.number().int().min(1).max(10_000) })
      .strict()
      .refine(toNotBeforeFrom, rangeMessage),
    result: historyTrendSchema,
  },
  /**
   * Many trends in one request (a screen of sparklines opening): each series as `history.trend`
   * would answer it, in the order asked, or its own error (unknown tag, outside the caller's
   * areas) without failing the others. At most HISTORY_TRENDS_MAX_SERIES series and
   * HISTORY_TRENDS_MAX_BUCKETS buckets in all: a larger screen asks in several requests.
   */
  'history.trends': {
    params: z
      .object({
        series: z
          .array(trendParams)
          .min(1)
          .max(
            HISTORY_TRENDS_MAX_SERIES,
            `at most ${HISTORY_TRENDS_MAX_SERIES} series in one request: ask in several requests`,
          ),
      })
      .strict()
      .refine((p) => p.series.reduce((n, s) => n + s.buckets, 0) <= HISTORY_TRENDS_MAX_BUCKETS, {
        message: `at most ${HISTORY_TRENDS_MAX_BUCKETS} buckets in all series of one request: ask in several requests`,
        path: ['series'],
      }),
    result: z.object({ series: z.array(historyTrendReplySchema) }),
  },
  /** Start a CSV export into the data folder's exports; progress arrives as `history.exportProgress` events. */
  'history.export': {
    params: z
      .object({
        tags: z.array(tagName).min(1).max(500),
        from: time,
        to: time,
        layout: z.enum(['long', 'wide']),
        /** Wide layout: grid step, ms. */
        intervalMs: z.number().int().min(1000).max(86_400_000).optional(),
        fileName: fileName.optional(),
      })
      .strict()
      .refine(toNotBeforeFrom, rangeMessage),
    result: z.object({ exportId: z.string(), file: z.string() }),
  },
  /**
   * Online backup of the history file into the data folder's backups, under a name the
   * runtime makes (never the caller's: an old backup cannot be overwritten); one at a time,
   * rate-limited, refused when the disk would be nearly full, oldest removed beyond a count.
   */
  'history.backup': {
    params: z.object({}).strict(),
    result: z.object({ file: z.string(), bytes: z.number(), durationMs: z.number() }),
  },
  'history.status': { params: z.object({}).strict(), result: historyStatusSchema },
} as const;

export const historyEvents = {
  /** Progress of a running export; `done` with `file`, or `error`. */
  'history.exportProgress': z.object({
    exportId: z.string(),
    fraction: z.number().min(0).max(1),
    rows: z.number(),
    done: z.boolean(),
    file: z.string().optional(),
    error: z.string().optional(),
  }),
  'history.status': historyStatusSchema,
} as const;
