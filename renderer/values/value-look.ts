/**
 * What a live value's rendered look depends on besides its text: its display quality, its
 * zone against the normal band and alarm limits, and why a Bad value is Bad. Two values with
 * the same look differ only in their text, which is written into the DOM without a render.
 * Pure.
 */
import type { TagValueDto } from '../../preload/contract.js';
import { liveZone, type AnalogScale } from '../format/analog-scale.js';
import { displayQuality, reasonCode } from '../format/quality.js';

export function valueLook(
  value: TagValueDto | undefined,
  nowMs: number,
  intervalMs: number,
  connected: boolean,
  scale: AnalogScale | null,
): string {
  const quality = displayQuality({ value, nowMs, intervalMs, connected });
  const zone = liveZone(value?.v, quality, scale);
  const reason = quality === 'Bad' ? reasonCode(value?.r) : null;
  return `${quality}|${zone ? zone.zone : '-'}|${reason ?? '-'}`;
}
