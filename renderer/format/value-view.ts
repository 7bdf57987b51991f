/**
 * Everything a live value element needs to draw itself, from the value, its tag
 * definition, the clock and the connection. Pure: the React component only renders this.
 */
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { formatValue } from './format-value.js';
import { displayQuality, qualityPresentation, qualityTooltip, type DisplayQuality, type QualityPresentation } from './quality.js';

/** Expected update interval when the tag definition is not (yet) known. */
export const DEFAULT_INTERVAL_MS = 1000;

export interface ValueView {
  readonly tag: string;
  /** Value and unit, e.g. `63.2 °C` (the last value even when Bad or Stale: the look says it is not current). */
  readonly text: string;
  readonly quality: DisplayQuality;
  readonly presentation: QualityPresentation;
  readonly tooltip: string;
}

export function valueView(
  tag: string,
  value: TagValueDto | undefined,
  info: TagInfo | undefined,
  nowMs: number,
  connected: boolean,
): ValueView {
  const inputs = { value, nowMs, intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS, connected };
  const quality = displayQuality(inputs);
  const description = info ? `${tag} — ${info.description.en}` : tag;
  return {
    tag,
    text: formatValue(value?.v, info).text,
    quality,
    presentation: qualityPresentation(quality),
    tooltip: qualityTooltip(inputs, description),
  };
}
