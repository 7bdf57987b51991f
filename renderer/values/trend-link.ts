/** The key that opens the trend of a focused value (documented in renderer/README.md). */
export const TREND_KEY = 't';
