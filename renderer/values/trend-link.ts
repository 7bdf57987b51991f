/**
 * Where a value's trend lives: the trend screen with its tags as pens (`#/trends?tags=A,B`),
 * built by the trend screen's own `trendHash` so the two can never disagree.
 */
import { trendHash } from '../trends/trend-route.js';

export function trendHashOf(tags: readonly string[]): string {
  return trendHash(tags);
}

/** The key that opens the trend of a focused value (documented in renderer/README.md). */
export const TREND_KEY = 't';
