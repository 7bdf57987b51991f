/**
 * Engineering permissions as the runtime grants them in `auth.status.permissions`:
 * certificates are listed with `device.diagnostics` (technician and up), trusted with
 * `certificate.trust`, and browsing / adding tags needs `project.edit` (engineer and up).
 * The console only hides what is not allowed; the runtime checks every call. Pure.
 */
import type { AuthStatus } from '../../preload/contract.js';

export type EngineeringPermission = 'device.diagnostics' | 'certificate.trust' | 'project.edit';

export function mayEngineer(auth: AuthStatus | null, permission: EngineeringPermission): boolean {
  return auth !== null && auth.state === 'active' && auth.permissions.includes(permission);
}
