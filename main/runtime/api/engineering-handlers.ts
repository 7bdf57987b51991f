/**
 * Engineering requests: OPC UA server certificates, browsing a server, and adding a
 * browsed node to the project file. Trust decisions and project changes are audited
 * before they happen.
 */
import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { listServerCertificates, trustServerCertificate } from '../../../protocols/opcua/index.js';
import type { ProjectConfig } from '../config/schema.js';
import { parseProject, ProjectFileError } from '../config/load-project.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { AuditAction, AuditDetails } from '../security/audit-entry.js';
import { demoProjectFile } from '../app-paths.js';
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

const publicInfo = ({ thumbprint, trust, subject, applicationUri, validFrom, validTo }: Awaited<ReturnType<typeof listServerCertificates>>[number]) => ({
  thumbprint,
  trust,
  subject,
  applicationUri,
  validFrom,
  validTo,
});

async function audited<T>(security: SecurityServices, caller: Caller, action: AuditAction, target: string, details: AuditDetails, work: () => Promise<T>): Promise<T> {
  const principal = caller.principal!;
  try {
    return await security.audit.withAudit({ actor: principal.name, role: principal.role, source: caller.source, action, target, details }, work);
  } catch (err) {
    if (err instanceof AuditWriteError) throw new ContractFailure('UNAVAILABLE', `the audit trail cannot be written, so ${action} was refused`, { cause: err });
    throw err;
  }
}

export function createEngineeringHandlers(deps: EngineeringHandlerDeps): Pick<RequestHandlers, EngineeringRequest> {
  const { security } = deps;
  const opcuaDevice = (name: string) => {
    const device = deps.project.devices.find((d) => d.name === name);
    if (!device) throw new ContractFailure('NOT_FOUND', `no device named "${name}"`);
    if (device.protocol !== 'opcua') throw new ContractFailure('BAD_REQUEST', `${name} is a ${device.protocol} device; only OPC UA servers can be browsed`);
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
      if (resolve(deps.projectFile) === resolve(demoProjectFile())) {
        throw new ContractFailure('FORBIDDEN', 'the built-in demo project is read-only: start the station with --project on a copy to edit it');
      }
      if (deps.project.tags.some((t) => t.name === params.name)) throw new ContractFailure('BAD_REQUEST', `a tag named ${params.name} already exists`);
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
      return audited(security, caller, 'config.change', deps.projectFile, { change: 'add-tag', tag: params.name, device: params.device, nodeId: params.nodeId }, async () => {
        let text: string;
        try {
          text = readFileSync(deps.projectFile, 'utf8');
        } catch (err) {
          throw new ContractFailure('UNAVAILABLE', `cannot read the project file ${deps.projectFile}`, { cause: err });
        }
        const doc = parseDocument(text);
        doc.addIn(['tags'], doc.createNode(tag));
        const updated = doc.toString();
        try {
          // The whole file must still be a valid project before it replaces the old one.
          const reparsed = parseProject(updated, deps.projectFile);
          if (reparsed.tags.filter((t) => t.name === params.name).length !== 1) throw new Error('the tag did not land in the project');
        } catch (err) {
          if (err instanceof ProjectFileError) throw new ContractFailure('BAD_REQUEST', err.message, { cause: err });
          throw err;
        }
        try {
          const temp = `${deps.projectFile}.${process.pid}.tmp`;
          writeFileSync(temp, updated);
          renameSync(temp, deps.projectFile);
        } catch (err) {
          throw new ContractFailure('UNAVAILABLE', `cannot write the project file ${deps.projectFile}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        return { name: params.name, projectFile: deps.projectFile, appliesAfterRestart: true };
      });
    },
  };
}
