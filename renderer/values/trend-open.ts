/** Opening a trend from a value: the trend screen's own route (`trendHash`) with the tags as pens. */
import { trendHash } from '../trends/trend-route.js';

export function openTrend(tags: readonly string[]): void {
  window.location.hash = trendHash(tags);
}
