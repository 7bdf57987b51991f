/**
 * History requests (trends — one or many at once —, raw samples, export, backup, status), served by the
 * historian, limited to the caller's plant areas; exports and backups are audited.
 * An export's progress goes only to the session that started it; a backup is a
 * plant-wide action (refused to area-limited users) under the limits of history-backups.ts.
 */
import type { RequestHandlers } from './dispatch.js';
import { ContractFailure } from './dispatch.js';
import type { ProjectConfig } from '../config/schema.js';
import type { SecurityServices } from '../security/security-services.js';
import type { Historian } from '../historian/index.js';
import { AuditWriteError } from '../security/audit-trail.js';
import {
  createHistoryRequestHandlers,
  HistoryRequestError,
  type ExportProgressEvent,
} from '../historian/history-requests.js';
import { tagVisibleTo } from './visibility.js';
import type { Caller } from './caller.js';
import { BackupRefusedError, HistoryBackups, type BackupPolicy } from './history-backups.js';
import { join } from 'node:path';
import { serveTrends } from './history-trends.js';

export interface HistoryHandlerDeps {
  readonly historian: Historian | null;
  readonly project: ProjectConfig;
  readonly security: SecurityServices;
  readonly dataDir: string;
  /** Progress of an export, with the session that started it (null: none). */
  readonly onExportProgress: (event: ExportProgressEvent, sessionId: string | null) => void;
  /** Backup limits (tests lower them); defaults in history-backups.ts. */
  readonly backupPolicy?: Partial<BackupPolicy>;
  /** Tags defined at run time and historized like the project's (the outputs of running models). */
  readonly runtimeTag?: (tag: string) => boolean;
}

type HistoryRequest =
  'history.raw' | 'history.trend' | 'history.trends' | 'history.export' | 'history.backup' | 'history.status';

async function run<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HistoryRequestError) throw new ContractFailure(err.code, err.message, { cause: err });
    if (err instanceof AuditWriteError)
      throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the request was refused', {
        cause: err,
      });
    if (err instanceof BackupRefusedError) throw new ContractFailure('UNAVAILABLE', err.message, { cause: err });
    throw err;
  }
}

function requireVisible(caller: Caller, tags: readonly string[]): void {
  const hidden = tags.filter((t) => !tagVisibleTo(caller.principal, t));
  if (hidden.length > 0)
    throw new ContractFailure('FORBIDDEN', `outside your plant areas: ${hidden.slice(0, 10).join(', ')}`);
}

export function createHistoryHandlers(deps: HistoryHandlerDeps): Pick<RequestHandlers, HistoryRequest> {
  const known = new Set(deps.project.tags.map((t) => t.name));
  /** exportId → the session that started it (progress events carry file names: for its window only). */
  const exportOwners = new Map<string, string | null>();
  const inner = createHistoryRequestHandlers({
    historian: deps.historian,
    dataDir: deps.dataDir,
    knownTag: (tag) => known.has(tag) || (deps.runtimeTag?.(tag) ?? false),
    onExportProgress: (event) => {
      if (!exportOwners.has(event.exportId)) return;
      deps.onExportProgress(event, exportOwners.get(event.exportId) ?? null);
      if (event.done) exportOwners.delete(event.exportId);
    },
  });
  const backups = deps.historian
    ? new HistoryBackups({
        historian: deps.historian,
        dir: join(deps.dataDir, 'backups'),
        auditCheckpointFile: deps.security.audit.checkpointFile,
        ...(deps.backupPolicy ? { policy: deps.backupPolicy } : {}),
      })
    : null;
  const audited = <T>(
    caller: Caller,
    target: string,
    details: Record<string, string | number | string[]>,
    work: () => T | Promise<T>,
  ) => {
    const principal = caller.principal!;
    return deps.security.audit.withAudit(
      { actor: principal.name, role: principal.role, source: caller.source, action: 'history.export', target, details },
      work,
    );
  };
  return {
    'history.raw': (p, caller) => run(() => (requireVisible(caller, [p.tag]), inner['history.raw'](p))),
    'history.trend': (p, caller) => run(() => (requireVisible(caller, [p.tag]), inner['history.trend'](p))),
    'history.trends': (p, caller) =>
      run(() =>
        serveTrends(p.series, {
          trend: (one) => inner['history.trend'](one),
          visible: (tag) => tagVisibleTo(caller.principal, tag),
        }),
      ),
    'history.status': (p) => run(() => inner['history.status'](p)),
    'history.export': (p, caller) =>
      run(() => {
        requireVisible(caller, p.tags);
        return audited(
          caller,
          p.tags.join(',').slice(0, 200),
          { tags: p.tags, from: p.from, to: p.to, layout: p.layout },
          () => {
            const started = inner['history.export'](p);
            // Set before the first progress event can fire (the export yields before it reports).
            const own = (r: { exportId: string; file: string }) => (
              exportOwners.set(r.exportId, caller.session.get()),
              r
            );
            return started instanceof Promise ? started.then(own) : own(started);
          },
        );
      }),
    'history.backup': (_p, caller) =>
      run(() => {
        const principal = caller.principal!;
        if (principal.areas.length > 0) {
          throw new ContractFailure(
            'FORBIDDEN',
            `a backup copies the whole plant's history; ${principal.name} is limited to ${principal.areas.join(', ')}`,
          );
        }
        if (!backups) throw new ContractFailure('UNAVAILABLE', 'history is not available in this runtime');
        // Refusals (one running, too soon, disk nearly full) are answered before anything is audited as requested.
        const refusal = backups.refusal();
        if (refusal) throw new ContractFailure('UNAVAILABLE', refusal);
        return audited(caller, 'history', { kind: 'backup' }, () => backups.run());
      }),
  };
}
