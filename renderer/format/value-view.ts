/**
 * Everything a live value element needs to draw itself, from the value, its tag
 * definition, the clock and the connection. Pure: the React component only renders this.
 */
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { langTag, type Lang } from '../i18n/i18n.js';
import { formatValue } from './format-value.js';
import {
  displayQuality,
  qualityPresentation,
  qualityTooltip,
  reasonCode,
  type DisplayQuality,
  type QualityPresentation,
  type ReasonCode,
} from './quality.js';

/** Expected update interval when the tag definition is not (yet) known. */
export const DEFAULT_INTERVAL_MS = 1000;

export interface ValueView {
  readonly tag: string;
  /** Value and unit, e.g. `63.2 °C` (the last value even when Bad or Stale: the look says it is not current). */
  readonly text: string;
  /** The number (or state label) alone, and the unit alone ('' for states): for tables with a unit column. */
  readonly value: string;
  readonly unit: string;
  readonly quality: DisplayQuality;
  readonly presentation: QualityPresentation;
  readonly tooltip: string;
  /** Why a Bad value is Bad, in short (shown beside the marker); null otherwise. */
  readonly reason: ReasonCode | null;
}

export function valueView(
  tag: string,
  value: TagValueDto | undefined,
  info: TagInfo | undefined,
  nowMs: number,
  connected: boolean,
  lang: Lang = 'en',
): ValueView {
  const inputs = { value, nowMs, intervalMs: info?.intervalMs ?? DEFAULT_INTERVAL_MS, connected };
  const quality = displayQuality(inputs);
  const description = info
    ? `${tag} — ${(lang === 'zh' ? info.description.zh : undefined) ?? info.description.en}`
    : tag;
  const formatted = formatValue(value?.v, info, langTag(lang));
  return {
    tag,
    text: formatted.text,
    value: formatted.value,
    unit: formatted.unit,
    quality,
    presentation: qualityPresentation(quality),
    tooltip: qualityTooltip(inputs, description, lang),
    reason: quality === 'Bad' ? reasonCode(value?.r) : null,
  };
}
