/**
 * History requests (trends, raw samples, export, backup, status), served by the
 * historian, limited to the caller's plant areas; exports and backups are audited.
 */
import type { RequestHandlers } from './dispatch.js';
import { ContractFailure } from './dispatch.js';
import type { ProjectConfig } from '../config/schema.js';
import type { SecurityServices } from '../security/security-services.js';
import type { Historian } from '../historian/index.js';
import { AuditWriteError } from '../security/audit-trail.js';
import { createHistoryRequestHandlers, HistoryRequestError, type ExportProgressEvent } from '../historian/history-requests.js';
import { tagVisibleTo } from './visibility.js';
import type { Caller } from './caller.js';

export interface HistoryHandlerDeps {
  readonly historian: Historian | null;
  readonly project: ProjectConfig;
  readonly security: SecurityServices;
  readonly dataDir: string;
  readonly onExportProgress: (event: ExportProgressEvent) => void;
}

type HistoryRequest = 'history.raw' | 'history.trend' | 'history.export' | 'history.backup' | 'history.status';

async function run<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HistoryRequestError) throw new ContractFailure(err.code, err.message, { cause: err });
    if (err instanceof AuditWriteError) throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the request was refused', { cause: err });
    throw err;
  }
}

function requireVisible(caller: Caller, tags: readonly string[]): void {
  const hidden = tags.filter((t) => !tagVisibleTo(caller.principal, t));
  if (hidden.length > 0) throw new ContractFailure('FORBIDDEN', `outside your plant areas: ${hidden.slice(0, 10).join(', ')}`);
}

export function createHistoryHandlers(deps: HistoryHandlerDeps): Pick<RequestHandlers, HistoryRequest> {
  const known = new Set(deps.project.tags.map((t) => t.name));
  const inner = createHistoryRequestHandlers({
    historian: deps.historian,
    dataDir: deps.dataDir,
    knownTag: (tag) => known.has(tag),
    onExportProgress: deps.onExportProgress,
  });
  const audited = <T>(caller: Caller, target: string, details: Record<string, string | number | string[]>, work: () => T | Promise<T>) => {
    const principal = caller.principal!;
    return deps.security.audit.withAudit({ actor: principal.name, role: principal.role, source: caller.source, action: 'history.export', target, details }, work);
  };
  return {
    'history.raw': (p, caller) => run(() => (requireVisible(caller, [p.tag]), inner['history.raw'](p))),
    'history.trend': (p, caller) => run(() => (requireVisible(caller, [p.tag]), inner['history.trend'](p))),
    'history.status': (p) => run(() => inner['history.status'](p)),
    'history.export': (p, caller) =>
      run(() => {
        requireVisible(caller, p.tags);
        return audited(caller, p.tags.join(',').slice(0, 200), { tags: p.tags, from: p.from, to: p.to, layout: p.layout }, () => inner['history.export'](p));
      }),
    'history.backup': (p, caller) => run(() => audited(caller, 'history', { kind: 'backup' }, () => inner['history.backup'](p))),
  };
}
