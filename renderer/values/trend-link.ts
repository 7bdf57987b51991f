/**
 * Where a value's trend lives: the trend screen with its tags as pens (`#/trends?tags=A,B`).
 * Pure. Tag names are URL-encoded one by one, so a comma can only ever separate tags.
 */
export function trendHashOf(tags: readonly string[]): string {
  return `#/trends?tags=${tags.map(encodeURIComponent).join(',')}`;
}

/** The key that opens the trend of a focused value (documented in renderer/README.md). */
export const TREND_KEY = 't';
