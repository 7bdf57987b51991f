/**
 * Engineering requests: OPC UA server certificates, browsing a server, and adding a
 * browsed node to the project file. Trust decisions and project changes are audited
 * before they happen.
 */
import { listServerCertificates, trustServerCertificate } from '../../../protocols/opcua/index.js';
import type { ProjectConfig } from '../config/schema.js';
import { ProjectFileError } from '../config/load-project.js';
import { assertEditableProject, ProjectWriteError, updateProjectFile } from '../config/project-writer.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { AuditAction, AuditDetails } from '../security/audit-entry.js';
import type { Caller } from './caller.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

type EngineeringRequest = 'opcua.certificates' | 'opcua.trustCertificate' | 'opcua.browse' | 'project.addTag';

export interface EngineeringHandlerDeps {
  readonly project: ProjectConfig;
  readonly projectFile: string;
  readonly devices: DeviceRegistry;
  readonly security: SecurityServices;
  /** The OPC UA client's certificate folder (shared by every OPC UA device). */
  readonly pkiDir: string;
}

const publicInfo = ({
  thumbprint,
  trust,
  subject,
  applicationUri,
  validFrom,
  validTo,
}: Awaited<ReturnType<typeof listServerCertificates>>[number]) => ({
  thumbprint,
  trust,
  subject,
  applicationUri,
  validFrom,
  validTo,
});

async function audited<T>(
  security: SecurityServices,
  caller: Caller,
  action: AuditAction,
  target: string,
  details: AuditDetails,
  work: () => Promise<T>,
): Promise<T> {
  const principal = caller.principal!;
  try {
    return await security.audit.withAudit(
      { actor: principal.name, role: principal.role, source: caller.source, action, target, details },
      work,
    );
  } catch (err) {
    if (err instanceof AuditWriteError)
      throw new ContractFailure('UNAVAILABLE', `the audit trail cannot be written, so ${action} was refused`, {
        cause: err,
      });
    throw err;
  }
}

/** Project file problems as contract refusals: invalid result → BAD_REQUEST, demo/IO → their code. */
export function projectWrite<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof ProjectFileError) throw new ContractFailure('BAD_REQUEST', err.message, { cause: err });
    if (err instanceof ProjectWriteError) throw new ContractFailure(err.code, err.message, { cause: err });
    throw err;
  }
}

export function createEngineeringHandlers(deps: EngineeringHandlerDeps): Pick<RequestHandlers, EngineeringRequest> {
  const { security } = deps;
  const opcuaDevice = (name: string) => {
    const device = deps.project.devices.find((d) => d.name === name);
    if (!device) throw new ContractFailure('NOT_FOUND', `no device named "${name}"`);
    if (device.protocol !== 'opcua')
      throw new ContractFailure(
        'BAD_REQUEST',
        `${name} is a ${device.protocol} device; only OPC UA servers can be browsed`,
      );
    return device;
  };

  return {
    'opcua.certificates': async () => (await listServerCertificates(deps.pkiDir)).map(publicInfo),

    'opcua.trustCertificate': ({ thumbprint }, caller) => {
      const normalised = thumbprint.replace(/[\s:]/g, '').toLowerCase();
      return audited(security, caller, 'certificate.trust', normalised, { change: 'trust' }, async () => {
        try {
          return publicInfo(await trustServerCertificate(deps.pkiDir, normalised));
        } catch (err) {
          throw new ContractFailure('NOT_FOUND', `no server certificate with thumbprint ${normalised}`, { cause: err });
        }
      });
    },

    'opcua.browse': async ({ device, nodeId }) => {
      opcuaDevice(device);
      try {
        return await deps.devices.browse(device, nodeId);
      } catch (err) {
        throw new ContractFailure('DEVICE_OFFLINE', err instanceof Error ? err.message : String(err), { cause: err });
      }
    },

    'project.addTag': (params, caller) => {
      opcuaDevice(params.device);
      projectWrite(() => assertEditableProject(deps.projectFile));
      if (deps.project.tags.some((t) => t.name === params.name))
        throw new ContractFailure('BAD_REQUEST', `a tag named ${params.name} already exists`);
      const tag: Record<string, unknown> = {
        name: params.name,
        device: params.device,
        description: params.description,
        unit: params.unit,
        kind: params.kind,
        opcua: { nodeId: params.nodeId },
        decimals: params.decimals,
        ...(params.range ? { range: params.range } : {}),
        ...(params.writable ? { writable: true } : {}),
      };
      return audited(
        security,
        caller,
        'config.change',
        deps.projectFile,
        { change: 'add-tag', tag: params.name, device: params.device, nodeId: params.nodeId },
        async () => {
          projectWrite(() =>
            updateProjectFile(
              deps.projectFile,
              (doc) => doc.addIn(['tags'], doc.createNode(tag)),
              (reparsed) => {
                if (reparsed.tags.filter((t) => t.name === params.name).length !== 1)
                  throw new Error('the tag did not land in the project');
              },
            ),
          );
          return { name: params.name, projectFile: deps.projectFile, appliesAfterRestart: true };
        },
      );
    },
  };
}
