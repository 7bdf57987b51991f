/**
 * Alarm requests: the list, commands (acknowledge, comment, shelve, out of service,
 * silence, limits), the journal, its export and the KPIs. The permission is checked by
 * dispatch; here each alarm is checked against the caller's plant areas, and every
 * command is written to the audit trail before it takes effect.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AlarmDto, AlarmJournalFilter } from '../../../preload/contract.js';
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { AuditAction, AuditDetails } from '../security/audit-entry.js';
import { coversArea } from '../security/permissions.js';
import { AlarmCommandError, type AlarmService } from '../alarms/alarm-service.js';
import type { AlarmConfig } from '../alarms/alarm-config.js';
import { alarmIdOf } from '../alarms/alarm-definitions.js';
import { alarmTable } from '../alarms/alarm-table.js';
import { updateProjectFile } from '../config/project-writer.js';
import type { Caller } from './caller.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';
import { projectWrite } from './engineering-handlers.js';

type AlarmRequest =
  | 'alarms.list'
  | 'alarms.table'
  | 'alarms.definitions'
  | 'alarms.acknowledge'
  | 'alarms.comment'
  | 'alarms.shelve'
  | 'alarms.unshelve'
  | 'alarms.setOutOfService'
  | 'alarms.silence'
  | 'alarms.setLimits'
  | 'alarms.journal'
  | 'alarms.exportCsv'
  | 'alarms.kpis';

export interface AlarmHandlerDeps {
  readonly alarms: AlarmService;
  readonly security: SecurityServices;
  readonly projectFile: string;
  readonly dataDir: string;
  readonly onExportProgress: (
    event: { exportId: string; fraction: number; rows: number; done: boolean; file?: string; error?: string },
    caller: Caller,
  ) => void;
}

function areasOf(caller: Caller): readonly string[] {
  return caller.principal?.areas ?? [];
}

/** Whether the caller may see (and act on) an alarm: alarms outside any area are for unrestricted users only. */
export function alarmVisibleTo(caller: Caller, alarm: { area: string | null }): boolean {
  return caller.principal !== null && coversArea(areasOf(caller), alarm.area);
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace(/[:.]/g, '-');
}

export function createAlarmHandlers(deps: AlarmHandlerDeps): Pick<RequestHandlers, AlarmRequest> {
  const { alarms, security } = deps;
  let exports = 0;

  const audited = async <T>(
    caller: Caller,
    action: AuditAction,
    target: string,
    details: AuditDetails,
    work: () => T | Promise<T>,
  ): Promise<T> => {
    const p = caller.principal!;
    try {
      return await security.audit.withAudit(
        { actor: p.name, role: p.role, source: caller.source, action, target, details },
        work,
      );
    } catch (err) {
      if (err instanceof AuditWriteError)
        throw new ContractFailure('UNAVAILABLE', `the audit trail cannot be written, so ${action} was refused`, {
          cause: err,
        });
      if (err instanceof AlarmCommandError) throw new ContractFailure(err.code, err.message, { cause: err });
      throw err;
    }
  };

  /** The alarm, if it exists and the caller may see it (an alarm in another area is "unknown"). */
  const visible = (caller: Caller, id: string): AlarmDto => {
    const alarm = alarms.get(id);
    if (!alarm || !alarmVisibleTo(caller, alarm)) throw new ContractFailure('NOT_FOUND', `unknown alarm ${id}`);
    return alarm;
  };

  const journalFilter = (caller: Caller, f: AlarmJournalFilter) => {
    const areas = areasOf(caller);
    if (f.area && areas.length > 0 && !areas.includes(f.area))
      throw new ContractFailure('FORBIDDEN', `outside your plant areas: ${f.area}`);
    if (f.to < f.from) throw new ContractFailure('BAD_REQUEST', '`to` must not be before `from`');
    return { ...f, areas: areas.length > 0 ? areas : undefined };
  };

  return {
    'alarms.list': (_p, caller) => ({
      alarms: alarms.list().filter((a) => alarmVisibleTo(caller, a)),
      silencedAt: alarms.silenced,
      serverTime: Date.now(),
    }),
    'alarms.table': (_p, caller) =>
      alarmTable(
        alarms.list().filter((a) => alarmVisibleTo(caller, a)),
        alarms.silenced,
        Date.now(),
      ),
    'alarms.definitions': (_p, caller) => alarms.definitions().filter((d) => alarmVisibleTo(caller, d)),

    'alarms.acknowledge': async (p, caller) => {
      const ids = [...new Set(p.ids)];
      const hidden = ids.filter((id) => {
        const a = alarms.get(id);
        return !a || !alarmVisibleTo(caller, a);
      });
      const mine = ids.filter((id) => !hidden.includes(id));
      const user = caller.principal!.name;
      const result =
        mine.length === 0
          ? { acknowledged: [], refused: [] }
          : await audited(
              caller,
              'alarm.acknowledge',
              mine.length === 1 ? mine[0]! : `${mine.length} alarms`,
              { alarms: mine.slice(0, 1000), ...(p.comment ? { comment: p.comment } : {}) },
              () => alarms.acknowledge(mine, user, p.comment ?? null),
            );
      return {
        acknowledged: result.acknowledged,
        refused: [...result.refused, ...hidden.map((id) => ({ id, reason: 'unknown alarm' }))],
      };
    },

    'alarms.comment': (p, caller) => {
      visible(caller, p.id);
      return audited(caller, 'alarm.comment', p.id, { comment: p.comment }, () => {
        alarms.comment(p.id, caller.principal!.name, p.comment);
        return { id: p.id };
      });
    },

    'alarms.shelve': (p, caller) => {
      visible(caller, p.id);
      return audited(caller, 'alarm.shelve', p.id, { reason: p.reason, minutes: p.minutes ?? 'one-shot' }, () =>
        alarms.shelve(p.id, caller.principal!.name, p.reason, p.minutes ?? null),
      );
    },

    'alarms.unshelve': (p, caller) => {
      visible(caller, p.id);
      return audited(caller, 'alarm.unshelve', p.id, {}, () => alarms.unshelve(p.id, caller.principal!.name));
    },

    'alarms.setOutOfService': (p, caller) => {
      visible(caller, p.id);
      if (p.outOfService && !p.reason)
        throw new ContractFailure('BAD_REQUEST', 'taking an alarm out of service needs a reason');
      const action: AuditAction = p.outOfService ? 'alarm.outOfService' : 'alarm.returnToService';
      return audited(caller, action, p.id, p.reason ? { reason: p.reason } : {}, () =>
        alarms.setOutOfService(p.id, caller.principal!.name, p.outOfService, p.reason ?? null),
      );
    },

    'alarms.silence': (_p, caller) => {
      const sounding = alarms
        .list()
        .filter((a) => alarmVisibleTo(caller, a) && (a.state === 'unack-active' || a.state === 'unack-rtn')).length;
      return { silencedAt: alarms.silence(caller.principal!.name, sounding) };
    },

    'alarms.setLimits': (p, caller) => {
      visible(caller, p.id);
      const def = alarms.definition(p.id);
      const config = def?.config;
      if (!def || !config || !def.tag)
        throw new ContractFailure('BAD_REQUEST', `${p.id} is not configured in the project file`);
      const tagName = def.tag;
      const changes: Record<string, number | string> = {};
      if (p.limit !== undefined) {
        if (!('limit' in config)) throw new ContractFailure('BAD_REQUEST', `a ${config.kind} alarm has no limit`);
        changes.limit = p.limit;
      }
      if (p.deadband !== undefined) {
        if (!('deadband' in config)) throw new ContractFailure('BAD_REQUEST', `a ${config.kind} alarm has no deadband`);
        changes.deadband = p.deadband;
      }
      if (p.onDelayS !== undefined) changes.onDelayS = p.onDelayS;
      if (p.offDelayS !== undefined) changes.offDelayS = p.offDelayS;
      if (p.priority !== undefined) changes.priority = p.priority;
      if (Object.keys(changes).length === 0)
        throw new ContractFailure(
          'BAD_REQUEST',
          'nothing to change: give limit, deadband, onDelayS, offDelayS or priority',
        );
      const old: Record<string, unknown> = {};
      for (const key of Object.keys(changes)) old[key] = (config as Record<string, unknown>)[key];
      return audited(
        caller,
        'config.change',
        p.id,
        { change: 'alarm-limits', old: JSON.stringify(old), new: JSON.stringify(changes) },
        () => {
          let updated: AlarmConfig | undefined;
          projectWrite(() =>
            updateProjectFile(
              deps.projectFile,
              (doc) => {
                const tags = doc.get('tags') as { items: { get(k: string): unknown }[] } | undefined;
                const index = tags?.items.findIndex((t) => t.get('name') === tagName) ?? -1;
                if (index < 0) throw new ContractFailure('BAD_REQUEST', `tag ${tagName} is not in ${deps.projectFile}`);
                const list = doc.getIn(['tags', index, 'alarms']) as { items: unknown[] } | undefined;
                const count = list?.items.length ?? 0;
                let alarmIndex = -1;
                for (let a = 0; a < count; a++) {
                  const raw = (doc.getIn(['tags', index, 'alarms', a]) as { toJSON(): AlarmConfig }).toJSON();
                  if (alarmIdOf(tagName, { ...config, ...raw }) === p.id) alarmIndex = a;
                }
                if (alarmIndex < 0)
                  throw new ContractFailure('BAD_REQUEST', `alarm ${p.id} is not in ${deps.projectFile}`);
                for (const [key, value] of Object.entries(changes))
                  doc.setIn(['tags', index, 'alarms', alarmIndex, key], value);
              },
              (reparsed) => {
                updated = reparsed.tags
                  .find((t) => t.name === tagName)
                  ?.alarms?.find((a) => alarmIdOf(tagName, a) === p.id);
                if (!updated) throw new Error('the changed alarm did not land in the project');
              },
            ),
          );
          alarms.reconfigure(
            p.id,
            updated!,
            caller.principal!.name,
            `${JSON.stringify(old)} → ${JSON.stringify(changes)}`,
          );
          return { id: p.id, old, new: changes, projectFile: deps.projectFile };
        },
      );
    },

    'alarms.journal': (p, caller) => {
      const { limit, beforeSeq, ...filter } = p;
      return alarms.queryJournal({ ...journalFilter(caller, filter), beforeSeq, limit });
    },

    'alarms.exportCsv': (p, caller) => {
      const filter = journalFilter(caller, p);
      const dir = join(deps.dataDir, 'exports');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `alarm-journal-${stamp(Date.now())}-${++exports}.csv`);
      const exportId = `alarm-export-${Date.now()}-${exports}`;
      return audited(
        caller,
        'history.export',
        'alarm journal',
        { kind: 'alarm-journal', from: p.from, to: p.to },
        () => {
          let last = 0;
          alarms.journal
            .exportCsv(filter, file, (fraction, rows) => {
              const t = Date.now();
              if (t - last < 250) return;
              last = t;
              deps.onExportProgress({ exportId, fraction, rows, done: false }, caller);
            })
            .then(
              (rows) => deps.onExportProgress({ exportId, fraction: 1, rows, done: true, file }, caller),
              (err: unknown) =>
                deps.onExportProgress(
                  {
                    exportId,
                    fraction: 0,
                    rows: 0,
                    done: true,
                    error: err instanceof Error ? err.message : String(err),
                  },
                  caller,
                ),
            );
          return { exportId, file };
        },
      );
    },

    'alarms.kpis': (p, caller) => {
      if (p.to <= p.from) throw new ContractFailure('BAD_REQUEST', '`to` must be after `from`');
      const areas = areasOf(caller);
      return alarms.kpis(p.from, p.to, areas.length > 0 ? areas : undefined);
    },
  };
}
