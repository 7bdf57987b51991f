/**
 * A model package as an engineer would pick it for import: the window-mean test model
 * (test/fixtures/models/window-mean.onnx) and its manifest, as bytes. `padBytes` makes the
 * ONNX file larger without changing the model (a `doc_string`, ModelProto field 6, appended:
 * the last one wins), so an import crosses many WebSocket frames.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { windowMeanManifest } from './test-model.js';
import { sendModelPackage } from '../../renderer/predictions/model-import-client.js';

const fixture = join(import.meta.dirname, '../fixtures/models/window-mean.onnx');

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function paddedOnnx(padBytes: number): Uint8Array {
  const base = readFileSync(fixture);
  if (padBytes <= 0) return new Uint8Array(base);
  const doc = Buffer.alloc(padBytes, 'x');
  return new Uint8Array(Buffer.concat([base, Buffer.from([0x32, ...varint(padBytes)]), doc]));
}

export interface ImportPackage {
  readonly manifestName: string;
  readonly manifestText: string;
  readonly manifest: Uint8Array;
  readonly onnxName: string;
  readonly onnx: Uint8Array;
}

/** SS01_IMPORT `version` (a forecast of the window's mean); `overrides` replace top-level manifest fields. */
export function importPackage(
  version = '1.0.0',
  options: { padBytes?: number; overrides?: Record<string, unknown>; manifestName?: string } = {},
): ImportPackage {
  const onnx = paddedOnnx(options.padBytes ?? 0);
  const sha256 = createHash('sha256').update(onnx).digest('hex');
  const manifest = windowMeanManifest(fixture, {
    name: 'SS01_IMPORT',
    version,
    description: { en: 'Imported test forecast (window mean)', zh: '导入的测试预测(窗口均值)' },
    file: 'ss01_import.onnx',
    sha256,
    thresholds: [],
    ...options.overrides,
  });
  const manifestText = stringify(manifest);
  return {
    manifestName: options.manifestName ?? 'ss01_import.model.yaml',
    manifestText,
    manifest: new TextEncoder().encode(manifestText),
    onnxName: 'ss01_import.onnx',
    onnx,
  };
}

/** Sends a package through the console's own import client (WebSocket frames), without progress or cancel. */
export function sendImportPackage(socket: Parameters<typeof sendModelPackage>[0], p: ImportPackage) {
  return sendModelPackage(
    socket,
    { name: p.manifestName, bytes: p.manifest },
    { name: p.onnxName, bytes: p.onnx },
    () => undefined,
    async () => undefined,
  );
}
