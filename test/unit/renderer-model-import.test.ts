/**
 * The console's side of a package import (pure): which picked file is which, sizes refused
 * before any byte is sent, and the files cut into chunks that fit a WebSocket frame, sent in
 * order at known offsets and paced under the socket's request budget.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_WS_MESSAGE_BYTES,
  MODEL_IMPORT_CHUNK_BYTES,
  MODEL_IMPORT_MAX_BYTES,
  type RequestName,
} from '../../preload/contract.js';
import {
  IMPORT_CHUNKS_PER_SECOND,
  sendModelPackage,
  sizeProblem,
  sortPicked,
  toBase64,
} from '../../renderer/predictions/model-import-client.js';

const file = (name: string, size: number) => ({
  name,
  bytes: Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff),
});

describe('package import, console side', () => {
  it('tells the manifest from the model, and says what is missing', () => {
    expect(sortPicked([file('a.onnx', 1), file('a.model.yaml', 1)])).toEqual({
      manifest: file('a.model.yaml', 1),
      onnx: file('a.onnx', 1),
    });
    expect(sortPicked([file('a.onnx', 1)])).toBe('need-two');
    expect(sortPicked([file('a.onnx', 1), file('b.onnx', 1)])).toBe('need-manifest');
    expect(sortPicked([file('a.model.yaml', 1), file('notes.txt', 1)])).toBe('need-onnx');
  });

  it('refuses an oversize or empty file before sending anything', async () => {
    const sent: string[] = [];
    const api = { request: async (name: RequestName) => (sent.push(name), { ok: true as const, value: {} as never }) };
    const huge = { name: 'big.onnx', bytes: { length: MODEL_IMPORT_MAX_BYTES + 1 } as Uint8Array };
    expect(sizeProblem(file('m.model.yaml', 10), huge)).toMatch(
      /^big\.onnx is 50 MiB: a model file may be at most 50 MiB$/,
    );
    const outcome = await sendModelPackage(api, file('m.model.yaml', 10), huge);
    expect(outcome).toMatchObject({ ok: false, stage: 'check' });
    expect(sizeProblem(file('m.model.yaml', 0), file('m.onnx', 3))).toMatch(/empty/);
    expect(sent).toEqual([]);
  });

  it('sends both files in order, in chunks that fit one frame, paced, then asks for the import', async () => {
    const calls: { name: RequestName; params: Record<string, unknown> }[] = [];
    const api = {
      request: async (name: RequestName, params: unknown) => {
        calls.push({ name, params: params as Record<string, unknown> });
        if (name === 'models.importBegin')
          return {
            ok: true as const,
            value: { uploadId: 'a'.repeat(24), chunkBytes: MODEL_IMPORT_CHUNK_BYTES } as never,
          };
        if (name === 'models.import') return { ok: true as const, value: { name: 'X', version: '1.0.0' } as never };
        return { ok: true as const, value: { received: 0 } as never };
      },
    };
    const manifest = file('x.model.yaml', 1000);
    const onnx = file('x.onnx', 2 * MODEL_IMPORT_CHUNK_BYTES + 5);
    const sleeps: number[] = [];
    const progress: number[] = [];
    const outcome = await sendModelPackage(
      api,
      manifest,
      onnx,
      (f) => progress.push(f),
      async (ms) => void sleeps.push(ms),
    );
    expect(outcome.ok).toBe(true);
    expect(calls.map((c) => c.name)).toEqual([
      'models.importBegin',
      'models.importChunk',
      'models.importChunk',
      'models.importChunk',
      'models.importChunk',
      'models.import',
    ]);
    const chunks = calls.filter((c) => c.name === 'models.importChunk');
    expect(chunks.map((c) => [c.params['part'], c.params['offset']])).toEqual([
      ['manifest', 0],
      ['onnx', 0],
      ['onnx', MODEL_IMPORT_CHUNK_BYTES],
      ['onnx', 2 * MODEL_IMPORT_CHUNK_BYTES],
    ]);
    const rebuilt = Buffer.concat(
      chunks.filter((c) => c.params['part'] === 'onnx').map((c) => Buffer.from(c.params['data'] as string, 'base64')),
    );
    expect(rebuilt.equals(Buffer.from(onnx.bytes))).toBe(true);
    for (const c of chunks)
      expect(JSON.stringify({ id: 1, method: c.name, params: c.params }).length).toBeLessThan(MAX_WS_MESSAGE_BYTES);
    expect(progress.at(-1)).toBe(1);
    // Four chunks at once would be faster than IMPORT_CHUNKS_PER_SECOND: the later ones wait.
    expect(sleeps.length).toBeGreaterThan(0);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual((4 * 1000) / IMPORT_CHUNKS_PER_SECOND);
  });

  it('encodes base64 as Node does', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31 + 7) & 0xff);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
