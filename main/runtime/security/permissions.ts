/**
 * Roles, permissions and plant areas: the one table every authorization decision in the
 * runtime reads. Pure: no I/O, no clock.
 *
 * Roles are cumulative (each role can do everything the roles below it can), so the
 * table is "the lowest role that holds this permission". The renderer may read it to hide
 * what a user cannot do, but only the runtime's check counts.
 */

export const roles = ['viewer', 'operator', 'technician', 'engineer', 'admin'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'view',
  'alarm.acknowledge',
  'alarm.comment',
  'tag.write',
  'history.export',
  'alarm.shelve',
  'alarm.outOfService',
  'device.diagnostics',
  'device.reconnect',
  'project.edit',
  'history.backup',
  'model.manage',
  'certificate.trust',
  'audit.view',
  'audit.export',
  'user.manage',
  'token.manage',
] as const;
export type Permission = (typeof permissions)[number];

/** The lowest role holding each permission. */
export const minimumRole: Readonly<Record<Permission, Role>> = {
  view: 'viewer',
  // operator: acknowledge, comment, write setpoints and commands within limits, export trends
  'alarm.acknowledge': 'operator',
  'alarm.comment': 'operator',
  'tag.write': 'operator',
  'history.export': 'operator',
  // technician: shelve, out-of-service, device diagnostics, force a reconnect
  'alarm.shelve': 'technician',
  'alarm.outOfService': 'technician',
  'device.diagnostics': 'technician',
  'device.reconnect': 'technician',
  // engineer: edit the project, models, trust OPC UA certificates; read the audit trail
  'project.edit': 'engineer',
  // a copy of the whole plant's history: plant-wide, and it fills the disk if repeated
  'history.backup': 'engineer',
  'model.manage': 'engineer',
  'certificate.trust': 'engineer',
  'audit.view': 'engineer',
  'audit.export': 'engineer',
  // admin: users and API tokens
  'user.manage': 'admin',
  'token.manage': 'admin',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

/** Whether `role` holds `permission`. Unknown roles or permissions hold nothing. */
export function can(role: Role, permission: Permission): boolean {
  if (!isRole(role) || !isPermission(permission)) return false;
  return roleRank(role) >= roleRank(minimumRole[permission]);
}

/** Every permission a role holds, in table order (for the UI to hide what is not allowed). */
export function permissionsOf(role: Role): Permission[] {
  return permissions.filter((p) => can(role, p));
}

/**
 * The plant area of a tag: its name up to the first dot (`SS01.P101.Speed` → `SS01`).
 * Project tag names always have a dot; a name without one has no area.
 */
export function areaOfTag(tagName: string): string | null {
  const dot = tagName.indexOf('.');
  return dot > 0 ? tagName.slice(0, dot) : null;
}

/** What an authorization decision needs to know about a user. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  /** Plant areas the user is limited to; empty means every area. */
  readonly areas: readonly string[];
}

/** Whether the user's areas cover this area (`null` = a tag outside any area: only unrestricted users). */
export function coversArea(areas: readonly string[], area: string | null): boolean {
  if (areas.length === 0) return true;
  return area !== null && areas.includes(area);
}

/** Whether the user holds `permission` for the tag `tagName` (role and area both allow it). */
export function canInArea(user: Principal, permission: Permission, tagName: string): boolean {
  return can(user.role, permission) && coversArea(user.areas, areaOfTag(tagName));
}
