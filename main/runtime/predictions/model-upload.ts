/**
 * Packages being uploaded from the console, in memory until the import checks them. The
 * contract's messages are size-limited (a WebSocket frame is at most 256 KiB), so the two
 * files arrive in base64 chunks at known offsets; an upload belongs to the user who began
 * it, has its sizes declared up front (refused above the limit before a byte is sent),
 * takes no byte beyond them, and is forgotten when finished, cancelled, or idle too long.
 * Pure apart from the clock.
 */
import { randomBytes } from 'node:crypto';

export type UploadPart = 'manifest' | 'onnx';

export interface UploadLimits {
  /** Largest ONNX file. */
  readonly maxOnnxBytes: number;
  readonly maxManifestBytes: number;
  /** Uploads held at once (station-wide: each may hold up to maxOnnxBytes). */
  readonly maxUploads: number;
  /** An upload nobody sent to for this long is dropped. */
  readonly idleMs: number;
}

interface Upload {
  readonly owner: string;
  readonly manifestName: string;
  readonly onnxName: string;
  readonly parts: Record<UploadPart, { bytes: Uint8Array; received: number; next: number }>;
  touched: number;
}

export class UploadError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const mib = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

export class ModelUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly limits: UploadLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private sweep(): void {
    const now = this.now();
    for (const [id, u] of this.uploads) if (now - u.touched > this.limits.idleMs) this.uploads.delete(id);
  }

  begin(
    owner: string,
    files: { manifestName: string; manifestBytes: number; onnxName: string; onnxBytes: number },
  ): string {
    this.sweep();
    if (files.onnxBytes > this.limits.maxOnnxBytes)
      throw new UploadError(
        'BAD_REQUEST',
        `${files.onnxName} is ${mib(files.onnxBytes)}: a model file may be at most ${mib(this.limits.maxOnnxBytes)}`,
      );
    if (files.manifestBytes > this.limits.maxManifestBytes)
      throw new UploadError(
        'BAD_REQUEST',
        `${files.manifestName} is ${mib(files.manifestBytes)}: a manifest may be at most ${mib(this.limits.maxManifestBytes)}`,
      );
    if (files.onnxBytes < 1 || files.manifestBytes < 1)
      throw new UploadError('BAD_REQUEST', 'an empty file is not a model package');
    // One upload per user at a time: a new one replaces the user's unfinished one.
    for (const [id, u] of this.uploads) if (u.owner === owner) this.uploads.delete(id);
    if (this.uploads.size >= this.limits.maxUploads)
      throw new UploadError(
        'UNAVAILABLE',
        `${this.uploads.size} model packages are being uploaded: try again when one has finished`,
      );
    const id = randomBytes(12).toString('hex');
    this.uploads.set(id, {
      owner,
      manifestName: files.manifestName,
      onnxName: files.onnxName,
      parts: {
        manifest: { bytes: new Uint8Array(files.manifestBytes), received: 0, next: 0 },
        onnx: { bytes: new Uint8Array(files.onnxBytes), received: 0, next: 0 },
      },
      touched: this.now(),
    });
    return id;
  }

  private own(owner: string, id: string): Upload {
    this.sweep();
    const u = this.uploads.get(id);
    if (!u || u.owner !== owner)
      throw new UploadError(
        'NOT_FOUND',
        'no such upload (it finished, was cancelled, or was idle too long): start the import again',
      );
    return u;
  }

  /** One chunk, in order; returns the bytes of that part received so far. */
  chunk(owner: string, id: string, part: UploadPart, offset: number, base64: string): number {
    const u = this.own(owner, id);
    const p = u.parts[part];
    if (offset !== p.next)
      throw new UploadError('BAD_REQUEST', `chunk at byte ${offset} of the ${part}, expected ${p.next}`);
    const data = Buffer.from(base64, 'base64');
    if (offset + data.length > p.bytes.length) {
      this.uploads.delete(id);
      throw new UploadError(
        'BAD_REQUEST',
        `the ${part} is longer than the ${p.bytes.length} bytes declared: upload dropped`,
      );
    }
    p.bytes.set(data, offset);
    p.next = offset + data.length;
    p.received = p.next;
    u.touched = this.now();
    return p.received;
  }

  /** The complete files (and the upload forgotten); throws when a part is incomplete. */
  finish(
    owner: string,
    id: string,
  ): { manifestName: string; manifest: Uint8Array; onnxName: string; onnx: Uint8Array } {
    const u = this.own(owner, id);
    this.uploads.delete(id);
    for (const part of ['manifest', 'onnx'] as const) {
      const p = u.parts[part];
      if (p.received !== p.bytes.length)
        throw new UploadError(
          'BAD_REQUEST',
          `the ${part} is incomplete: ${p.received} of ${p.bytes.length} bytes arrived`,
        );
    }
    return {
      manifestName: u.manifestName,
      manifest: u.parts.manifest.bytes,
      onnxName: u.onnxName,
      onnx: u.parts.onnx.bytes,
    };
  }

  cancel(owner: string, id: string): boolean {
    const u = this.uploads.get(id);
    if (!u || u.owner !== owner) return false;
    return this.uploads.delete(id);
  }

  get size(): number {
    return this.uploads.size;
  }
}
