/**
 * History requests (trends, raw samples, export, backup), served by the historian.
 */
import type { RequestHandlers } from './dispatch.js';
import type { ProjectConfig } from '../config/schema.js';
import type { SecurityServices } from '../security/security-services.js';

/** The historian as the API needs it (null while history is unavailable). */
export type HistorianPort = null;

export interface HistoryHandlerDeps {
  readonly historian: HistorianPort;
  readonly project: ProjectConfig;
  readonly security: SecurityServices;
}

// The history section of the contract is filled in by the historian work.
export function createHistoryHandlers(_deps: HistoryHandlerDeps): Pick<RequestHandlers, never> {
  return {};
}
