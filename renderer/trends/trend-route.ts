/**
 * Opening a trend from elsewhere: `#/trends?tags=A,B` lists the pens. Other screens'
 * click-to-trend calls `trendHash([...tags])` and sets it as the location hash. Pure.
 */

/** The hash that opens the Trends screen with these tags as pens (`#/trends` with none). */
export function trendHash(tags: readonly string[]): string {
  const names = tags.map((t) => t.trim()).filter((t) => t.length > 0);
  if (names.length === 0) return '#/trends';
  return `#/trends?tags=${names.map((t) => encodeURIComponent(t)).join(',')}`;
}

/** The pens a trend hash asks for, in order, without repeats; null when the hash is not a trend link with tags. */
export function trendTagsFromHash(hash: string): string[] | null {
  const m = /^#?\/?trends\?(.*)$/.exec(hash);
  if (!m) return null;
  // Split the raw value on commas before decoding: an encoded comma (%2C) stays inside its tag name.
  const raw = (m[1] ?? '').split('&').find((part) => part.startsWith('tags='));
  if (raw === undefined) return null;
  const tags: string[] = [];
  for (const part of raw.slice(5).split(',')) {
    let name: string;
    try {
      name = decodeURIComponent(part).trim();
    } catch {
      continue; // a broken escape: not a tag name
    }
    if (name && !tags.includes(name)) tags.push(name);
  }
  return tags;
}
