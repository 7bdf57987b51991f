/**
 * A model package's manifest (`<name>.model.yaml` beside its `.onnx` file): what the model
 * reads (tags, resampling period, window, normalization, how gaps are filled and how many
 * may be missing, the range it was trained on), what it produces (outputs with units,
 * horizons or class labels), when it runs, which outputs raise predictive alarms, and its
 * model card. Validated like the project file; the ONNX file's SHA-256 is recorded here
 * and checked at load. Imports only zod.
 */
import { z } from 'zod';

const text = z.object({ en: z.string().min(1), zh: z.string().optional() }).strict();
const tagName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/, 'tag names look like AREA.EQUIPMENT.SIGNAL');

export const modelInputSchema = z
  .object({
    tag: tagName,
    /** Normalization: the model sees (value − mean) / std. */
    mean: z.number(),
    std: z.number().positive(),
    /** The range seen in training: outside it the model gives no number. */
    trainingRange: z.tuple([z.number(), z.number()]),
  })
  .strict();

export const modelOutputSchema = z
  .object({
    /** Output tag suffix: the tag is `PRED.<model name>.<name>` (e.g. PRED.SS01_FORECAST.HM_POWER_60M_P50). */
    name: z.string().regex(/^[A-Z0-9_]+$/, 'output names are UPPER_CASE'),
    description: text,
    unit: z.string().default(''),
    /** Index into the flattened ONNX output tensor `tensor`. */
    index: z.number().int().min(0),
    /** Forecasts: minutes ahead; quantile (0.1, 0.5, 0.9) where the output is a band edge. */
    horizonMin: z.number().positive().optional(),
    quantile: z.number().gt(0).lt(1).optional(),
    /** Classifiers: the class this probability belongs to. */
    label: z.string().optional(),
    decimals: z.number().int().min(0).max(6).default(2),
    /** Forecasts: the tag this output forecasts, so its realized error can be measured against what happened. */
    target: tagName.optional(),
    /** The card's metric (a key of card.metrics) holding this output's held-out mean absolute error. */
    cardMetric: z.string().optional(),
    /** The model gives this output normalized: the value is raw × std + mean. */
    denormalize: z.object({ mean: z.number(), std: z.number().positive() }).strict().optional(),
  })
  .strict();

export const modelThresholdSchema = z
  .object({
    /** The output (by name) that raises the alarm. */
    output: z.string(),
    above: z.number().optional(),
    below: z.number().optional(),
    /** The condition must hold for this many consecutive runs. */
    forRuns: z.number().int().min(1).default(1),
    priority: z.enum(['critical', 'high', 'medium', 'low', 'diagnostic']),
    message: text,
    action: text,
    /** Plant area of the alarm (default: the area of the first input tag). */
    area: z.string().optional(),
    equipment: z.string().optional(),
  })
  .strict()
  .refine((t) => (t.above === undefined) !== (t.below === undefined), {
    message: 'a threshold needs exactly one of above, below',
  });

export const modelManifestSchema = z
  .object({
    manifestVersion: z.literal(1),
    /** UPPER_CASE name, used in output tags and alarm ids. */
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'model names are UPPER_CASE (letters, digits, _)'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'versions look like 1.2.0'),
    kind: z.enum(['forecast', 'classifier', 'anomaly']),
    description: text,
    /** The ONNX file, relative to the manifest, and its SHA-256 (hex). */
    file: z.string().regex(/^[A-Za-z0-9._-]+\.onnx$/, 'a plain .onnx file name beside the manifest'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits'),
    /** Highest ONNX opset the model uses. */
    opset: z.number().int().min(7).max(23),
    input: z
      .object({
        /** ONNX input name; the tensor is float32 [batch, window, channels]. */
        tensor: z.string().min(1),
        periodS: z.number().int().positive(),
        window: z.number().int().min(1).max(10_000),
        /** Channels in order. */
        tags: z.array(modelInputSchema).min(1),
        /** Extra channels from each step's time in UTC: sin, cos of hour-of-day, then sin, cos of day-of-week (Sunday 0; 4 channels after the tags). */
        timeFeatures: z.boolean().default(false),
        /** Gaps: carry the previous value forward, or interpolate; at most this share of a channel may be filled. */
        fill: z.enum(['previous', 'linear']).default('previous'),
        maxMissingShare: z.number().min(0).max(1).default(0.1),
        /** A channel that did not move beyond this (normalized units) over the whole window is frozen: no number. */
        frozenBelow: z.number().min(0).default(0),
      })
      .strict(),
    output: z
      .object({
        tensor: z.string().min(1),
        values: z.array(modelOutputSchema).min(1),
      })
      .strict(),
    schedule: z.object({ everyS: z.number().int().min(1).max(86_400) }).strict(),
    thresholds: z.array(modelThresholdSchema).default([]),
    card: z
      .object({
        trainingData: z.string(),
        metrics: z.record(z.string(), z.number()),
        date: z.string(),
        codeRevision: z.string(),
        notes: z.string().optional(),
      })
      .strict(),
  })
  .strict();

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelOutput = z.infer<typeof modelOutputSchema>;
