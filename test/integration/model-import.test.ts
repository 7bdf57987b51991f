/**
 * Importing a model package through the contract, as the console does it: a real station
 * and station server, a real WebSocket (each chunk inside one 256 KiB frame), the real ONNX
 * runtime for the dry run, and the audit trail. A good package is stored as a new version
 * and does not run until activated; a wrong hash, a bad manifest (named with its line), a
 * window the model does not take, an oversize file and a non-engineer are refused, and
 * nothing is written into the models folder for a refused package.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import { MODEL_IMPORT_CHUNK_BYTES, MAX_WS_MESSAGE_BYTES } from '../../preload/contract.js';
import { startInProcessStation, type InProcessStation } from '../support/in-process-station.js';
import { signIn } from '../support/sign-in.js';
import { ContractSocket } from '../support/ws-client.js';
import { importPackage, sendImportPackage } from '../support/import-package.js';
import { windowMeanManifest } from '../support/test-model.js';

let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let engineer: ContractSocket;
let operator: ContractSocket;
const modelsDir = () => join(station.dir, 'data', 'models');

async function socketFor(role: 'engineer' | 'operator'): Promise<ContractSocket> {
  const account = runtime.demoAccounts!.find((a) => a.role === role)!;
  const { cookie } = await signIn(server.url, account.name, account.password);
  return ContractSocket.open(server.url.replace('http', 'ws') + '/ws', { Cookie: cookie });
}

/** The models folder's entries other than what a good import wrote, to prove a refusal left nothing. */
const folderEntries = () => readdirSync(modelsDir()).sort();

beforeAll(async () => {
  station = await startInProcessStation('import', { station: { modelsDir: null } });
  ({ runtime, server } = station);
  engineer = await socketFor('engineer');
  operator = await socketFor('operator');
}, 60_000);

afterAll(async () => {
  engineer?.close();
  operator?.close();
  await station?.stop();
});

describe('importing a model package', () => {
  it('stores a good package as a new version, in chunks over the WebSocket, not running until activated, audited', async () => {
    // 1 MiB of padding: six chunks, each inside one frame.
    const p = importPackage('1.0.0', { padBytes: 1024 * 1024 });
    expect(Math.ceil((MODEL_IMPORT_CHUNK_BYTES / 3) * 4) + 200).toBeLessThan(MAX_WS_MESSAGE_BYTES);
    const result = await sendImportPackage(engineer, p);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ name: 'SS01_IMPORT', version: '1.0.0' });
    expect(result.value.model.activeVersion).toBeNull();
    expect(result.value.model.versions).toEqual([
      expect.objectContaining({ version: '1.0.0', source: 'imported', error: null }),
    ]);
    const stored = join(modelsDir(), 'SS01_IMPORT-1.0.0');
    expect(readFileSync(join(stored, 'ss01_import.onnx'))).toEqual(Buffer.from(p.onnx));
    expect(readFileSync(join(stored, 'ss01_import.model.yaml'), 'utf8')).toBe(p.manifestText);
    // A rescan (or a restart) does not start a model nobody activated.
    const rescan = await engineer.request('models.rescan', {});
    expect(rescan.ok && rescan.value.find((m) => m.name === 'SS01_IMPORT')?.activeVersion).toBeNull();
    const audit = runtime.security.audit.query({ action: 'model.import' });
    expect(audit.map((e) => e.details['result'])).toEqual(['ok', 'requested']);
    expect(audit[0]!.details).toMatchObject({
      name: 'SS01_IMPORT',
      version: '1.0.0',
      manifest: 'ss01_import.model.yaml',
    });
    // Activated, it runs; a newer import leaves it running (and pinned for the next start).
    const activated = await engineer.request('models.activate', { name: 'SS01_IMPORT', version: '1.0.0' });
    expect(activated.ok && activated.value.activeVersion).toBe('1.0.0');
    const newer = await sendImportPackage(engineer, importPackage('1.1.0'));
    expect(newer.ok && newer.value.model.activeVersion).toBe('1.0.0');
    expect(newer.ok && newer.value.model.versions.map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(runtime.predictions.registry.candidates('SS01_IMPORT')[0]!.version).toBe('1.0.0');
  }, 60_000);

  it('refuses the same version twice', async () => {
    const again = await sendImportPackage(engineer, importPackage('1.0.0'));
    expect(again.ok).toBe(false);
    if (!again.ok)
      expect(again.error.message).toMatch(
        /SS01_IMPORT 1\.0\.0 is already installed \(imported, .*\): give the package a new version/,
      );
  });

  it('refuses a wrong hash, a bad manifest with its line, and a window the model does not take, writing nothing', async () => {
    const before = folderEntries();
    const wrongHash = await sendImportPackage(
      engineer,
      importPackage('2.0.0', { overrides: { sha256: '0'.repeat(64) } }),
    );
    expect(wrongHash).toMatchObject({ ok: false, stage: 'validate', error: { code: 'BAD_REQUEST' } });
    if (!wrongHash.ok)
      expect(wrongHash.error.message).toMatch(
        /ss01_import\.onnx: SHA-256 is [0-9a-f]{16}…, the manifest says 0000000000000000…/,
      );

    const bad = importPackage('2.0.1', { overrides: { kind: 'oracle' }, manifestName: 'broken.model.yaml' });
    const kindLine = bad.manifestText.split('\n').findIndex((l) => l.startsWith('kind:')) + 1;
    const badManifest = await sendImportPackage(engineer, bad);
    expect(badManifest.ok).toBe(false);
    if (!badManifest.ok) {
      expect(badManifest.error.message).toMatch(/broken\.model\.yaml: not a valid model manifest/);
      expect(badManifest.error.message).toContain(`broken.model.yaml:${kindLine}`);
      expect(badManifest.error.message).toMatch(/ kind: /);
    }

    const input = windowMeanManifest(join(import.meta.dirname, '../fixtures/models/window-mean.onnx'))[
      'input'
    ] as Record<string, unknown>;
    const shape = importPackage('2.0.2', { overrides: { input: { ...input, window: 5 } } });
    const wrongShape = await sendImportPackage(engineer, shape);
    expect(wrongShape.ok).toBe(false);
    if (!wrongShape.ok) expect(wrongShape.error.message).toMatch(/does not accept a window of \[1, 5, 2\]/);

    const traversal = await sendImportPackage(engineer, {
      ...importPackage('2.0.3'),
      manifestName: '..%2Fevil.model.yaml',
    });
    expect(traversal.ok).toBe(false);
    expect(folderEntries()).toEqual(before);
    expect(readdirSync(modelsDir()).filter((f) => f.startsWith('.import-'))).toEqual([]);
    const failed = runtime.security.audit
      .query({ action: 'model.import' })
      .filter((e) => e.details['result'] === 'failed');
    // The duplicate version of the test before, and these four.
    expect(failed.length).toBe(5);
    expect(String(failed.find((e) => e.target === 'broken.model.yaml')?.details['error'])).toContain(
      `broken.model.yaml:${kindLine}`,
    );
  }, 60_000);

  it('refuses an oversize file before a byte is sent, and more bytes than declared', async () => {
    const big = await engineer.request('models.importBegin', {
      manifestName: 'big.model.yaml',
      manifestBytes: 100,
      onnxName: 'big.onnx',
      onnxBytes: 60 * 1024 * 1024,
    });
    expect(big).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    if (!big.ok) expect(big.error.message).toBe('big.onnx is 60 MiB: a model file may be at most 50 MiB');
    const begun = await engineer.request('models.importBegin', {
      manifestName: 'x.model.yaml',
      manifestBytes: 3,
      onnxName: 'x.onnx',
      onnxBytes: 3,
    });
    if (!begun.ok) throw new Error(begun.error.message);
    const over = await engineer.request('models.importChunk', {
      uploadId: begun.value.uploadId,
      part: 'onnx',
      offset: 0,
      data: Buffer.alloc(6).toString('base64'),
    });
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'the onnx is longer than the 3 bytes declared: upload dropped' },
    });
    const after = await engineer.request('models.import', { uploadId: begun.value.uploadId });
    expect(after).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A chunk larger than one frame cannot even be sent as one request.
    const tooLong = await engineer.request('models.importChunk', {
      uploadId: begun.value.uploadId,
      part: 'onnx',
      offset: 0,
      data: 'A'.repeat(Math.ceil(MODEL_IMPORT_CHUNK_BYTES / 3) * 4 + 4),
    });
    expect(tooLong.ok).toBe(false);
  });

  it('refuses a user without model.manage', async () => {
    const p = importPackage('3.0.0');
    const begin = await operator.request('models.importBegin', {
      manifestName: p.manifestName,
      manifestBytes: p.manifest.length,
      onnxName: p.onnxName,
      onnxBytes: p.onnx.length,
    });
    expect(begin).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Nor may an operator finish (or peek at) an engineer's upload.
    const begun = await engineer.request('models.importBegin', {
      manifestName: p.manifestName,
      manifestBytes: p.manifest.length,
      onnxName: p.onnxName,
      onnxBytes: p.onnx.length,
    });
    if (!begun.ok) throw new Error(begun.error.message);
    const finish = await operator.request('models.import', { uploadId: begun.value.uploadId });
    expect(finish).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(existsSync(join(modelsDir(), 'SS01_IMPORT-3.0.0'))).toBe(false);
    await engineer.request('models.importCancel', { uploadId: begun.value.uploadId });
  });
});
