/**
 * How a value's quality is shown. A value the UI cannot vouch for never looks Good:
 * anything not fresh (per `isStale`) or seen while the station is unreachable is Stale,
 * whatever quality it last had. Pure: no DOM.
 */
import { isStale, type TagValueDto } from '../../preload/contract.js';
import { formatAge, formatDateTime } from './format-value.js';

export type DisplayQuality = 'Good' | 'Uncertain' | 'Bad' | 'Stale';

export interface QualityInputs {
  readonly value: TagValueDto | undefined;
  readonly nowMs: number;
  readonly intervalMs: number;
  /** False while the transport to the station is down. */
  readonly connected: boolean;
}

export function displayQuality({ value, nowMs, intervalMs, connected }: QualityInputs): DisplayQuality {
  if (!value || !connected) return 'Stale';
  if (isStale(value, nowMs, intervalMs)) return 'Stale';
  return value.q;
}

export interface QualityPresentation {
  /** The text marker beside the value ('' for Good): colour is never the only cue. */
  readonly marker: '' | '?' | 'BAD' | 'STALE';
  /** CSS class carrying the look (strike-through, dimming). */
  readonly className: string;
  /** Whether the last value is shown struck through. */
  readonly struck: boolean;
}

const presentations: Record<DisplayQuality, QualityPresentation> = {
  Good: { marker: '', className: 'q-good', struck: false },
  Uncertain: { marker: '?', className: 'q-uncertain', struck: false },
  Bad: { marker: 'BAD', className: 'q-bad', struck: true },
  Stale: { marker: 'STALE', className: 'q-stale', struck: false },
};

export function qualityPresentation(q: DisplayQuality): QualityPresentation {
  return presentations[q];
}

/** The tooltip explaining a value's quality: why it is not Good, and how old it is. */
export function qualityTooltip(inputs: QualityInputs, tag: string): string {
  const { value, nowMs, connected } = inputs;
  const q = displayQuality(inputs);
  const lines = [tag];
  if (!value) {
    lines.push(connected ? 'No value received yet' : 'No value received; connection to station lost');
    return lines.join('\n');
  }
  if (q === 'Stale') {
    lines.push(connected ? `STALE: no update for ${formatAge(nowMs - value.rt)}` : 'STALE: connection to station lost');
    if (value.q !== 'Good') lines.push(`Last quality: ${value.q}${value.r ? ` (${value.r})` : ''}`);
  } else if (q === 'Bad') {
    lines.push(`BAD: ${value.r ?? 'no reason given'}`);
  } else if (q === 'Uncertain') {
    lines.push(`Uncertain: ${value.r ?? 'no reason given'}`);
  } else {
    lines.push('Good');
  }
  lines.push(`Source time: ${formatDateTime(value.ts)} (${formatAge(nowMs - value.ts)} ago)`);
  return lines.join('\n');
}
