/**
 * The tags table's filter: every space-separated term must appear (case-insensitively) in
 * the tag's name, device, unit or either description. Pure: no DOM.
 */
import type { TagInfo } from '../../preload/contract.js';

export function filterTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

export function tagMatches(info: TagInfo, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = [info.name, info.device, info.unit, info.description.en, info.description.zh ?? '']
    .join('\n')
    .toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

export function filterTags(tags: readonly TagInfo[], query: string): TagInfo[] {
  const terms = filterTerms(query);
  return tags.filter((t) => tagMatches(t, terms));
}
