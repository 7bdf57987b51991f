/**
 * The client's PKI store in the app's data folder: own certificate (created on first use),
 * trusted/ and rejected/ server certificates. Unknown server certificates are refused and
 * land in rejected/ until an engineer trusts them; one manager per folder per process so
 * the driver and the trust API see the same store.
 */
import { mkdirSync } from 'node:fs';
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
