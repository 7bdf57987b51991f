/**
 * Setpoint and command writes: checked (role, area, writable, type, limits, a reason for
 * critical tags), recorded in the audit trail before anything reaches the PLC, then
 * written without queueing or retry, and read back.
 */
import type { RequestHandlers } from './dispatch.js';
import { ContractFailure } from './dispatch.js';
import type { ProjectConfig } from '../config/schema.js';
import type { TagTable } from '../tags/tag-table.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { AuditTrail } from '../security/audit-trail.js';
import { AuditWriteError } from '../security/audit-trail.js';
import { checkTagWrite } from '../security/authorize.js';

export interface WriteHandlerDeps {
  readonly project: ProjectConfig;
  readonly tags: TagTable;
  readonly devices: DeviceRegistry;
  readonly audit: AuditTrail;
}

export function createWriteHandler(deps: WriteHandlerDeps): Pick<RequestHandlers, 'tags.write'> {
  const configs = new Map(deps.project.tags.map((t) => [t.name, t]));
  return {
    'tags.write': async ({ tag, value, reason }, caller) => {
      const config = configs.get(tag);
      if (!config) throw new ContractFailure('NOT_FOUND', `unknown tag "${tag}"`);
      const verdict = checkTagWrite(caller.principal, config, value);
      if (!verdict.ok) throw new ContractFailure(verdict.code, verdict.reason);
      const why = reason?.trim() ?? '';
      if (config.critical && why === '')
        throw new ContractFailure('WRITE_REJECTED', `${tag} is critical: a write needs a reason`);
      const device = deps.devices.get(config.device);
      if (device?.state !== 'connected') {
        throw new ContractFailure(
          'DEVICE_OFFLINE',
          `${config.device} is ${device?.state ?? 'unknown'}: the write was not sent`,
        );
      }
      const principal = caller.principal!;
      const old = deps.tags.get(tag)?.value ?? null;
      let outcome;
      try {
        outcome = await deps.audit.withAudit(
          {
            actor: principal.name,
            role: principal.role,
            source: caller.source,
            action: 'tag.write',
            target: tag,
            details: { tag, old, new: value, unit: config.unit, ...(why ? { reason: why } : {}) },
          },
          () => deps.devices.write(tag, value),
          (o) =>
            o.ok
              ? { result: 'ok', confirmed: o.confirmed, readBack: o.readBack ?? null }
              : { result: 'failed', error: o.reason },
        );
      } catch (err) {
        if (err instanceof AuditWriteError) {
          throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the write was refused', {
            cause: err,
          });
        }
        throw err;
      }
      if (!outcome.ok) throw new ContractFailure('WRITE_REJECTED', `${tag}: ${outcome.reason}`);
      return { tag, old, value, confirmed: outcome.confirmed, readBack: outcome.readBack ?? null };
    },
  };
}
