/**
 * Sending a model package to the station (`models.importBegin`, `models.importChunk`…,
 * `models.import`): the two files in base64 chunks that each fit in one WebSocket frame,
 * one at a time and paced below the connection's request budget (50 a second sustained),
 * with progress. Sizes are checked here first so an oversize file is refused before any
 * byte is sent (the station checks again). No DOM, no Node: the console and the tests use it.
 */
import {
  MODEL_IMPORT_CHUNK_BYTES,
  MODEL_IMPORT_MANIFEST_MAX_BYTES,
  MODEL_IMPORT_MAX_BYTES,
  type ArgusApi,
  type ContractError,
  type RequestResult,
} from '../../preload/contract.js';

export interface PickedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type ImportOutcome =
  | { readonly ok: true; readonly value: RequestResult<'models.import'> }
  | { readonly ok: false; readonly stage: 'check' | 'upload' | 'validate'; readonly error: ContractError };

/** Chunks sent per second at most: under the WebSocket budget's 50/s, leaving room for the console's own requests. */
export const IMPORT_CHUNKS_PER_SECOND = 30;

/** Base64 of a byte range (no Buffer in a browser; btoa over a binary string, in slices). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Which picked file is the manifest and which the model, or why the pick is not a package. */
export function sortPicked(
  files: readonly PickedFile[],
): { manifest: PickedFile; onnx: PickedFile } | 'need-two' | 'need-manifest' | 'need-onnx' {
  if (files.length !== 2) return 'need-two';
  const manifest = files.find((f) => /\.model\.ya?ml$/i.test(f.name));
  const onnx = files.find((f) => /\.onnx$/i.test(f.name));
  if (!manifest) return 'need-manifest';
  if (!onnx) return 'need-onnx';
  return { manifest, onnx };
}

const mib = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** A refusal before sending, in the station's words. */
export function sizeProblem(manifest: PickedFile, onnx: PickedFile): string | null {
  if (onnx.bytes.length > MODEL_IMPORT_MAX_BYTES)
    return `${onnx.name} is ${mib(onnx.bytes.length)}: a model file may be at most ${mib(MODEL_IMPORT_MAX_BYTES)}`;
  if (manifest.bytes.length > MODEL_IMPORT_MANIFEST_MAX_BYTES)
    return `${manifest.name} is ${mib(manifest.bytes.length)}: a manifest may be at most ${mib(MODEL_IMPORT_MANIFEST_MAX_BYTES)}`;
  if (onnx.bytes.length === 0 || manifest.bytes.length === 0) return 'an empty file is not a model package';
  return null;
}

export async function sendModelPackage(
  api: Pick<ArgusApi, 'request'>,
  manifest: PickedFile,
  onnx: PickedFile,
  onProgress: (fraction: number) => void = () => undefined,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<ImportOutcome> {
  const problem = sizeProblem(manifest, onnx);
  if (problem) return { ok: false, stage: 'check', error: { code: 'BAD_REQUEST', message: problem } };
  const begun = await api.request('models.importBegin', {
    manifestName: manifest.name,
    manifestBytes: manifest.bytes.length,
    onnxName: onnx.name,
    onnxBytes: onnx.bytes.length,
  });
  if (!begun.ok) return { ok: false, stage: 'upload', error: begun.error };
  const { uploadId } = begun.value;
  const chunk = Math.min(begun.value.chunkBytes, MODEL_IMPORT_CHUNK_BYTES);
  const total = manifest.bytes.length + onnx.bytes.length;
  let sent = 0;
  let started = Date.now();
  let count = 0;
  for (const [part, file] of [
    ['manifest', manifest],
    ['onnx', onnx],
  ] as const) {
    for (let offset = 0; offset < file.bytes.length; offset += chunk) {
      // Pace: never more than IMPORT_CHUNKS_PER_SECOND, however fast the replies come.
      const due = started + (count * 1000) / IMPORT_CHUNKS_PER_SECOND;
      if (Date.now() < due) await sleep(due - Date.now());
      if (count >= IMPORT_CHUNKS_PER_SECOND * 10) {
        started = Date.now();
        count = 0;
      }
      count++;
      const data = toBase64(file.bytes.subarray(offset, offset + chunk));
      const reply = await api.request('models.importChunk', { uploadId, part, offset, data });
      if (!reply.ok) {
        void api.request('models.importCancel', { uploadId });
        return { ok: false, stage: 'upload', error: reply.error };
      }
      sent += Math.min(chunk, file.bytes.length - offset);
      onProgress(sent / total);
    }
  }
  const done = await api.request('models.import', { uploadId });
  if (!done.ok) return { ok: false, stage: 'validate', error: done.error };
  return { ok: true, value: done.value };
}
