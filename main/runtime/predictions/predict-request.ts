/**
 * `POST /api/v1/models/{name}/predict`: windows sent by another system, checked against
 * the model's manifest and through the same quality gate as the station's own runs.
 * Pure: parse and check here, the route runs the model.
 *
 * Body: { "windows": [ { "end": "2026-11-30T06:00:00Z", "inputs": { "<tag>": [oldest … newest] } } ] }
 * (one to 64 windows; each input exactly `window` values, null where a value is missing).
 */
import { z } from 'zod';
import type { ModelManifest } from './model-manifest.js';
import { stepTimes, windowFromChannels } from './feature-window.js';

export const MAX_PREDICT_WINDOWS = 64;

const windowSchema = z
  .object({
    end: z.string().datetime({ offset: true }).optional(),
    inputs: z.record(z.string(), z.array(z.number().finite().nullable()).max(100_000)),
  })
  .strict();
const bodySchema = z.object({ windows: z.array(windowSchema).min(1).max(MAX_PREDICT_WINDOWS) }).strict();

export type PreparedWindow =
  | { readonly ok: true; readonly tensor: Float32Array; readonly end: number }
  | { readonly ok: false; readonly reason: string };

/** The windows as tensors (or why each has no number), or a message for a malformed body. */
export function preparePredictRequest(manifest: ModelManifest, body: unknown, now: number): PreparedWindow[] | string {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success)
    return parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      .join('; ');
  const { input } = manifest;
  const problems: string[] = [];
  const windows = parsed.data.windows.map((w, i): PreparedWindow | null => {
    const names = input.tags.map((t) => t.tag);
    const unknown = Object.keys(w.inputs).filter((k) => !names.includes(k));
    if (unknown.length > 0)
      problems.push(
        `windows.${i}.inputs: unknown input ${unknown.slice(0, 3).join(', ')} (inputs: ${names.join(', ')})`,
      );
    for (const name of names) {
      const values = w.inputs[name];
      if (!values) problems.push(`windows.${i}.inputs: missing ${name}`);
      else if (values.length !== input.window)
        problems.push(
          `windows.${i}.inputs.${name}: ${values.length} values, the model takes ${input.window} (one per ${input.periodS} s, oldest first)`,
        );
    }
    if (problems.length > 0) return null;
    const end = w.end === undefined ? now : Date.parse(w.end);
    const steps = stepTimes(input, end);
    const channels = names.map((n) => Float64Array.from(w.inputs[n]!, (v) => (v === null ? Number.NaN : v)));
    const window = windowFromChannels(input, channels, steps);
    return window.ok ? { ok: true, tensor: window.tensor, end: window.end } : { ok: false, reason: window.reason };
  });
  if (problems.length > 0) return problems.slice(0, 5).join('; ');
  return windows as PreparedWindow[];
}
