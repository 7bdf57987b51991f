/**
 * The client's PKI store in the app's data folder: own certificate (created on first use),
 * trusted/ and rejected/ server certificates. Unknown server certificates are refused and
 * land in rejected/ until an engineer trusts them; one manager per folder per process so
 * the driver and the trust API see the same store.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';

const managers = new Map<string, { manager: OPCUACertificateManager; ready: Promise<void> }>();

export async function certificateManagerFor(pkiDir: string): Promise<OPCUACertificateManager> {
  let entry = managers.get(pkiDir);
  if (!entry) {
    mkdirSync(pkiDir, { recursive: true });
    const manager = new OPCUACertificateManager({
      rootFolder: pkiDir,
      automaticallyAcceptUnknownCertificate: false,
      name: 'argus-opcua-client',
      // No fs watchers: they would keep the process alive; all trust changes go through this module.
      disableFileWatchers: true,
    });
    entry = { manager, ready: manager.initialize() };
    managers.set(pkiDir, entry);
  }
  await entry.ready;
  return entry.manager;
}

export type CertificateTrust = 'trusted' | 'rejected';

export interface ServerCertificateInfo {
  /** SHA-1 of the DER certificate, lower-case hex (what OPC UA tools show as the thumbprint). */
  readonly thumbprint: string;
  readonly trust: CertificateTrust;
  readonly subject: string;
  /** The application URI from subjectAltName, when present. */
  readonly applicationUri: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly file: string;
}

function derFromFile(text: Buffer): Buffer | null {
  const pem = text.toString('latin1');
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (match) return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
  // A DER file starts with an ASN.1 SEQUENCE.
  return text.length > 0 && text[0] === 0x30 ? text : null;
}

function describeCertificate(der: Buffer, trust: CertificateTrust, file: string): ServerCertificateInfo | null {
  try {
    const x509 = new X509Certificate(der);
    const uri = /URI:([^,\s]+)/.exec(x509.subjectAltName ?? '')?.[1] ?? '';
    return {
      thumbprint: createHash('sha1').update(der).digest('hex'),
      trust,
      subject: x509.subject.replace(/\n/g, ', '),
      applicationUri: uri,
      validFrom: new Date(x509.validFrom).toISOString(),
      validTo: new Date(x509.validTo).toISOString(),
      file,
    };
  } catch {
    return null;
  }
}

async function certificatesIn(
  folder: string,
  trust: CertificateTrust,
): Promise<{ info: ServerCertificateInfo; der: Buffer }[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const found: { info: ServerCertificateInfo; der: Buffer }[] = [];
  for (const name of names.sort()) {
    if (!/\.(pem|der|crt|cer)$/i.test(name)) continue;
    const file = join(folder, name);
    const der = derFromFile(await readFile(file));
    const info = der && describeCertificate(der, trust, file);
    if (der && info) found.push({ info, der });
  }
  return found;
}

/** Server certificates the client has met: trusted ones, and rejected ones waiting for an engineer's decision. */
export async function listServerCertificates(pkiDir: string): Promise<ServerCertificateInfo[]> {
  const manager = await certificateManagerFor(pkiDir);
  const trusted = await certificatesIn(manager.trustedFolder, 'trusted');
  const rejected = await certificatesIn(manager.rejectedFolder, 'rejected');
  return [...trusted, ...rejected].map((c) => c.info);
}

/**
 * Trust a server certificate by thumbprint (as shown to the engineer). Connections retrying
 * in the background pick it up on their next attempt. Returns what was trusted.
 */
export async function trustServerCertificate(pkiDir: string, thumbprint: string): Promise<ServerCertificateInfo> {
  const wanted = thumbprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const manager = await certificateManagerFor(pkiDir);
  const all = [
    ...(await certificatesIn(manager.rejectedFolder, 'rejected')),
    ...(await certificatesIn(manager.trustedFolder, 'trusted')),
  ];
  const match = all.find((c) => c.info.thumbprint === wanted);
  if (!match) throw new Error(`no server certificate with thumbprint ${thumbprint} in ${pkiDir}`);
  if (match.info.trust === 'trusted') return match.info;
  await manager.trustCertificate(match.der);
  const now = (await certificatesIn(manager.trustedFolder, 'trusted')).find((c) => c.info.thumbprint === wanted);
  return now?.info ?? { ...match.info, trust: 'trusted' };
}

/** Move a trusted (or newly seen) server certificate back to the rejected list. */
export async function rejectServerCertificate(pkiDir: string, thumbprint: string): Promise<void> {
  const wanted = thumbprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const manager = await certificateManagerFor(pkiDir);
  const match = (await certificatesIn(manager.trustedFolder, 'trusted')).find((c) => c.info.thumbprint === wanted);
  if (!match) throw new Error(`no trusted server certificate with thumbprint ${thumbprint} in ${pkiDir}`);
  await manager.rejectCertificate(match.der);
}
