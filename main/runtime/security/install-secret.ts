/**
 * The per-install secret that signs session cookies: 32 random bytes created on first
 * start in the data folder (mode 0600), never a constant in the code.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'session-secret';
const SECRET_BYTES = 32;

/** Read the install's secret from `dataDir`, creating it on first use. */
export function loadOrCreateSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return loadOrCreateKeyFile(join(dataDir, SECRET_FILE));
}

/** Read a 32-byte random key from `file` (hex, mode 0600), creating it on first use. */
export function loadOrCreateKeyFile(file: string): Buffer {
  try {
    // 'wx': create only if absent, so two processes starting at once cannot overwrite each other.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(SECRET_BYTES).toString('hex'));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new Error(`cannot create the session secret ${file}`, { cause: err });
  }
  // A copied data folder may have lost its permissions: tighten them rather than refuse.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (secret.length < SECRET_BYTES) throw new Error(`the key file ${file} is damaged (too short)`);
  return secret;
}

/** `value.signature`, for a cookie carrying a session id. */
export function signValue(secret: Buffer, value: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64url')}`;
}

/** The value when the signature is right, else null. */
export function unsignValue(secret: Buffer, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(value).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
