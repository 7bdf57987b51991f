/**
 * Which input signals drive a classifier's fault classes, by occlusion: each input
 * channel's window is replaced by its training mean (0 after normalization) and the drop
 * of each class probability is measured; the largest drops are the contributing signals,
 * with the direction the signal's window sat from its training mean. One batch of
 * (tags) windows through the model, run only when a fault class is at its watch level
 * (half its alarm threshold). Pure.
 */
import type { ContributionsDto } from '../../../preload/contract.js';
import type { ModelManifest, ModelOutput } from './model-manifest.js';
import { channelCount } from './feature-window.js';

/** The class that means "no fault": never explained. */
export const isNormalLabel = (label: string): boolean => /^(normal|ok|no[-_ ]?fault|healthy)$/i.test(label);

/** The probability at which a class is explained: half its alarm threshold (default alarm 0.9, as the outlook draws it). */
export function watchLevel(m: ModelManifest, o: ModelOutput): number {
  const t = m.thresholds.find((x) => x.output === o.name && x.above !== undefined);
  return (t?.above ?? 0.9) / 2;
}

/** The fault classes at or above their watch level, given each output's value. */
export function raisedClasses(m: ModelManifest, values: ReadonlyMap<string, number>): ModelOutput[] {
  if (m.kind !== 'classifier') return [];
  return m.output.values.filter(
    (o) => o.label !== undefined && !isNormalLabel(o.label) && (values.get(o.name) ?? 0) >= watchLevel(m, o),
  );
}

/** One window per input tag, laid end to end: the base window with that tag's channel at its training mean. */
export function occludedWindows(input: ModelManifest['input'], tensor: Float32Array): Float32Array {
  const channels = channelCount(input);
  const size = input.window * channels;
  const tags = input.tags.length;
  const out = new Float32Array(size * tags);
  for (let c = 0; c < tags; c++) {
    const base = c * size;
    out.set(tensor, base);
    for (let k = 0; k < input.window; k++) out[base + k * channels + c] = 0;
  }
  return out;
}

/** The output's value as the station writes it (denormalized, not rounded). */
export function outputValue(o: ModelOutput, raw: Float32Array): number {
  const v = raw[o.index]!;
  return o.denormalize ? v * o.denormalize.std + o.denormalize.mean : v;
}

/** Whether each tag's window sat above (high) or below (low) its training mean. */
function directions(input: ModelManifest['input'], tensor: Float32Array): ('high' | 'low')[] {
  const channels = channelCount(input);
  return input.tags.map((_, c) => {
    let sum = 0;
    for (let k = 0; k < input.window; k++) sum += tensor[k * channels + c]!;
    return sum >= 0 ? 'high' : 'low';
  });
}

/** The top `top` signals of each raised class by the drop of its probability (drops below `minDrop` left out). */
export function rankContributions(
  m: ModelManifest,
  raised: readonly ModelOutput[],
  base: Float32Array,
  occluded: readonly Float32Array[],
  tensor: Float32Array,
  at: number,
  costMs: number,
  top = 3,
  minDrop = 0.005,
): ContributionsDto {
  const dir = directions(m.input, tensor);
  return {
    at,
    costMs: Math.round(costMs * 100) / 100,
    classes: raised.map((o) => {
      const p = outputValue(o, base);
      const signals = m.input.tags
        .map((t, c) => ({ tag: t.tag, drop: p - outputValue(o, occluded[c]!), direction: dir[c]! }))
        .filter((s) => s.drop >= minDrop)
        .sort((a, b) => b.drop - a.drop)
        .slice(0, top)
        .map((s) => ({ ...s, drop: Math.round(s.drop * 1000) / 1000 }));
      return { output: o.name, label: o.label ?? null, probability: Math.round(p * 1000) / 1000, signals };
    }),
  };
}
