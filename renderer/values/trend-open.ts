/** Opening a trend from a value: the trend screen's hash route with the tags as pens. */
import { trendHashOf } from './trend-link.js';

export function trendHref(tags: readonly string[]): string {
  return trendHashOf(tags);
}

export function openTrend(tags: readonly string[]): void {
  window.location.hash = trendHashOf(tags);
}
