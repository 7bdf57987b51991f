import { areaOfTag, coversArea, type Principal } from '../security/permissions.js';

/** Whether a user (limited to some plant areas, or to none) may see a tag. */
export function tagVisibleTo(principal: Principal | null, tag: string): boolean {
  return principal !== null && coversArea(principal.areas, areaOfTag(tag));
}
