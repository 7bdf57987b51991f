/**
 * When the client refuses the server's certificate (an unknown certificate after a server
 * was reinstalled, an expired one), node-opcua says only "server Certificate verification
 * failed with err BadCertificateUntrusted". This names the certificate by the thumbprint an
 * engineer compares before trusting it, so the device's reason is actionable at once.
 */
import { discoverEndpoints } from './browse.js';

const VERIFICATION_FAILED = /server Certificate verification failed with err (Bad\w+)/;

/** The status name when `error` is the client refusing the server's certificate, else null. */
export function serverCertificateRefusal(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  return VERIFICATION_FAILED.exec(message)?.[1] ?? null;
}

/** "server certificate 3f2a… is not trusted (BadCertificateUntrusted): …" — the certificate the server presents now. */
export async function describeServerCertificateRefusal(
  endpointUrl: string,
  pkiDir: string,
  status: string,
): Promise<string> {
  let thumbprint = '';
  try {
    const endpoints = await discoverEndpoints(endpointUrl, { pkiDir, timeoutMs: 5000 });
    thumbprint = endpoints.find((e) => e.serverCertificateThumbprint !== '')?.serverCertificateThumbprint ?? '';
  } catch {
    // The thumbprint is a courtesy: without it the status still says what happened.
  }
  const which = thumbprint ? `server certificate ${thumbprint}` : 'the server certificate';
  if (status === 'BadCertificateUntrusted')
    return `${which} is not trusted (${status}): compare its thumbprint with the server's and trust it in Devices`;
  return `${which} is refused (${status})`;
}
