/**
 * Prediction requests of the contract: the model registry (packages, cards, run
 * statistics), activating a version, importing a package, running a model now, and the
 * latest outputs.
 * Merged into `requests` in preload/contract.ts. Imports only zod.
 */
import { z } from 'zod';

const text = z.object({ en: z.string(), zh: z.string().optional() });

export const modelOutputInfoSchema = z.object({
  tag: z.string(),
  name: z.string(),
  description: text,
  unit: z.string(),
  horizonMin: z.number().nullable(),
  quantile: z.number().nullable(),
  label: z.string().nullable(),
});

export const modelVersionSchema = z.object({
  version: z.string(),
  source: z.enum(['built-in', 'imported']),
  manifestFile: z.string(),
  /** Why the package cannot run (bad manifest, hash, opset, shape); null when it validated. */
  error: z.string().nullable(),
  card: z
    .object({
      trainingData: z.string(),
      metrics: z.record(z.string(), z.number()),
      date: z.string(),
      codeRevision: z.string(),
      notes: z.string().optional(),
    })
    .nullable(),
});

export const modelStatsSchema = z.object({
  runs: z.number(),
  refused: z.number(),
  failures: z.number(),
  lastRunAt: z.number().nullable(),
  lastLatencyMs: z.number().nullable(),
  latencyP50Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
  lastResult: z.enum(['ok', 'refused', 'failed']).nullable(),
  lastReason: z.string().nullable(),
});

export const contributingSignalSchema = z.object({
  tag: z.string(),
  /** How much the class probability fell with this signal replaced by its training mean (0..1). */
  drop: z.number(),
  /** Whether the signal's window sat above or below its training mean. */
  direction: z.enum(['high', 'low']),
});

export const classContributionsSchema = z.object({
  output: z.string(),
  label: z.string().nullable(),
  probability: z.number(),
  /** At most three, largest drop first. */
  signals: z.array(contributingSignalSchema),
});

export const contributionsSchema = z.object({
  /** When the run they come from ended (ms since epoch). */
  at: z.number(),
  classes: z.array(classContributionsSchema),
  /** What computing them cost (ms), for the registry's statistics. */
  costMs: z.number(),
});
export type ContributionsDto = z.infer<typeof contributionsSchema>;

export const modelInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['forecast', 'classifier', 'anomaly']).nullable(),
  description: text.nullable(),
  /** The version running now, or null (none valid, or every one failed to load). */
  activeVersion: z.string().nullable(),
  everyS: z.number().nullable(),
  inputs: z.array(z.string()),
  outputs: z.array(modelOutputInfoSchema),
  versions: z.array(modelVersionSchema),
  stats: modelStatsSchema.nullable(),
  /** The last activation that failed (the previous version kept running). */
  loadError: z.string().nullable(),
  /** Forecasts: realized error over the last 24 h against the card's (degraded above 1.5 ×). */
  forecastChecks: z
    .array(
      z.object({
        output: z.string(),
        target: z.string(),
        horizonMin: z.number(),
        samples: z.number(),
        realizedMae: z.number().nullable(),
        cardMae: z.number().nullable(),
        degraded: z.boolean(),
      }),
    )
    .optional(),
  /** Predictive alarms this model raised in the last 24 h. */
  warnings24h: z.number().optional(),
  /** Of those, the ones a conventional alarm in the same area followed within the lead horizon. */
  warningsConfirmed24h: z.number().optional(),
  /**
   * Classifiers: the input signals that contributed most to each fault class above its
   * watch level, from the last run that computed them (occlusion: each input's window
   * replaced by its training mean, and the drop of the class probability measured).
   */
  contributions: contributionsSchema.nullable().optional(),
});
export type ModelInfoDto = z.infer<typeof modelInfoSchema>;

const modelName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/)
  .max(64);

/** Largest ONNX file a package import takes. */
export const MODEL_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Largest manifest a package import takes. */
export const MODEL_IMPORT_MANIFEST_MAX_BYTES = 1024 * 1024;
/** Bytes per import chunk: in base64 (245,760 characters) it stays inside one 256 KiB WebSocket frame. */
export const MODEL_IMPORT_CHUNK_BYTES = 180 * 1024;
const uploadId = z.string().regex(/^[0-9a-f]{24}$/);
const fileName = z.string().min(1).max(200);
const byteCount = z
  .number()
  .int()
  .min(0)
  .max(2 ** 40);

export const predictionRequests = {
  'models.list': { params: z.object({}).strict(), result: z.array(modelInfoSchema) },
  /** Run this version of a model; refused (and the running version kept) when it does not load. */
  'models.activate': {
    params: z.object({ name: modelName, version: z.string().regex(/^\d+\.\d+\.\d+$/) }).strict(),
    result: modelInfoSchema,
  },
  /** Re-read the model folders (after a package was copied into `<data>/models`). */
  'models.rescan': { params: z.object({}).strict(), result: z.array(modelInfoSchema) },
  /** Run a model now (outside its schedule). */
  'models.run': {
    params: z.object({ name: modelName }).strict(),
    result: z.object({ result: z.enum(['ok', 'refused', 'failed']).nullable(), stats: modelStatsSchema }),
  },
  /** Run a model over past history (outputs stored as history); progress as `models.backfillProgress`. */
  'models.backfill': {
    params: z
      .object({
        name: modelName,
        from: z.number().finite(),
        to: z.number().finite(),
        stepS: z.number().int().min(1).max(86_400).optional(),
      })
      .strict()
      .refine((p) => p.to > p.from && p.to - p.from <= 400 * 86_400_000, {
        message: '`to` must be after `from`, at most 400 days',
        path: ['to'],
      }),
    result: z.object({ jobId: z.string() }),
  },
  'models.cancelBackfill': {
    params: z.object({ jobId: z.string().max(100) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  /**
   * Import a package from files the engineer picked: declare the two files (sizes checked
   * here: at most MODEL_IMPORT_MAX_BYTES for the model), send each in order in chunks of
   * MODEL_IMPORT_CHUNK_BYTES (base64), then `models.import` checks it as at load and stores
   * it as a new version, not running until activated.
   */
  'models.importBegin': {
    params: z
      .object({ manifestName: fileName, manifestBytes: byteCount, onnxName: fileName, onnxBytes: byteCount })
      .strict(),
    result: z.object({ uploadId: z.string(), chunkBytes: z.number() }),
  },
  'models.importChunk': {
    params: z
      .object({
        uploadId,
        part: z.enum(['manifest', 'onnx']),
        offset: byteCount,
        data: z
          .string()
          .max(Math.ceil(MODEL_IMPORT_CHUNK_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      })
      .strict(),
    result: z.object({ received: z.number() }),
  },
  'models.import': {
    params: z.object({ uploadId }).strict(),
    result: z.object({ name: z.string(), version: z.string(), model: modelInfoSchema }),
  },
  'models.importCancel': { params: z.object({ uploadId }).strict(), result: z.object({ cancelled: z.boolean() }) },
} as const;

export const predictionEvents = {
  'models.backfillProgress': z.object({
    jobId: z.string(),
    model: z.string(),
    fraction: z.number().min(0).max(1),
    runs: z.number(),
    done: z.boolean(),
    refused: z.number().optional(),
    error: z.string().optional(),
  }),
} as const;
