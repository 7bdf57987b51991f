/**
 * Prediction requests of the contract: the model registry (packages, cards, run
 * statistics), activating a version, running a model now, and the latest outputs.
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
    .object({ trainingData: z.string(), metrics: z.record(z.string(), z.number()), date: z.string(), codeRevision: z.string(), notes: z.string().optional() })
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
});
export type ModelInfoDto = z.infer<typeof modelInfoSchema>;

const modelName = z.string().regex(/^[A-Z][A-Z0-9_]*$/).max(64);

export const predictionRequests = {
  'models.list': { params: z.object({}).strict(), result: z.array(modelInfoSchema) },
  /** Run this version of a model; refused (and the running version kept) when it does not load. */
  'models.activate': { params: z.object({ name: modelName, version: z.string().regex(/^\d+\.\d+\.\d+$/) }).strict(), result: modelInfoSchema },
  /** Re-read the model folders (after a package was copied into `<data>/models`). */
  'models.rescan': { params: z.object({}).strict(), result: z.array(modelInfoSchema) },
  /** Run a model now (outside its schedule). */
  'models.run': { params: z.object({ name: modelName }).strict(), result: z.object({ result: z.enum(['ok', 'refused', 'failed']).nullable(), stats: modelStatsSchema }) },
  /** Run a model over past history (outputs stored as history); progress as `models.backfillProgress`. */
  'models.backfill': {
    params: z
      .object({ name: modelName, from: z.number().finite(), to: z.number().finite(), stepS: z.number().int().min(1).max(86_400).optional() })
      .strict()
      .refine((p) => p.to > p.from && p.to - p.from <= 400 * 86_400_000, { message: '`to` must be after `from`, at most 400 days', path: ['to'] }),
    result: z.object({ jobId: z.string() }),
  },
  'models.cancelBackfill': { params: z.object({ jobId: z.string().max(100) }).strict(), result: z.object({ cancelled: z.boolean() }) },
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
