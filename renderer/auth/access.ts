/**
 * What the signed-in user may do, as the runtime told us in `auth.status.permissions`.
 * The console only hides what is not allowed; the runtime checks every call anyway. Pure.
 */
import type { AuthStatus } from '../../preload/contract.js';

export type UiPermission = 'tag.write' | 'audit.view' | 'audit.export' | 'user.manage' | 'token.manage';

export function mayDo(auth: AuthStatus | null, permission: UiPermission): boolean {
  return auth !== null && auth.state === 'active' && auth.permissions.includes(permission);
}
