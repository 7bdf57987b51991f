/**
 * Who sees the model registry: users with `model.manage` (engineer and up). The console
 * only hides it; the runtime checks every model request. Pure.
 */
import type { AuthStatus } from '../../preload/contract.js';

export function mayManageModels(auth: AuthStatus | null): boolean {
  return auth !== null && auth.state === 'active' && auth.permissions.includes('model.manage');
}
