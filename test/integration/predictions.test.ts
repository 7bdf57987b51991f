/**
 * The prediction runtime with real parts: a real ONNX model in onnxruntime-node
 * (test/fixtures/models/window-mean.onnx: the window's mean per channel and the last
 * value of channel 0), a real history file, the tag table and the alarm service. Covers
 * manifest errors, hash/opset/shape refusals that keep the old model, the quality gate,
 * outputs as tags, and predictive alarms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openHistorian, type Historian } from '../../main/runtime/historian/index.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { AlarmService } from '../../main/runtime/alarms/alarm-service.js';
import { projectSchema } from '../../main/runtime/config/schema.js';
import { ModelPackageError, readModelPackage } from '../../main/runtime/predictions/model-package.js';
import { PredictionService } from '../../main/runtime/predictions/prediction-service.js';
import type { Sample } from '../../protocols/driver.js';
import { windowMeanManifest } from '../support/test-model.js';

const fixtures = join(import.meta.dirname, '../fixtures/models');
const log = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-pred-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const manifest = windowMeanManifest;

function writePackage(dir: string, onnx = 'window-mean.onnx', overrides: Record<string, unknown> = {}): string {
  const onnxFile = join(dir, 'model.onnx');
  copyFileSync(join(fixtures, onnx), onnxFile);
  const file = join(dir, 'test.model.yaml');
  writeFileSync(file, stringify(manifest(onnxFile, overrides)));
  return file;
}

async function station() {
  const dir = tempDir();
  const tags = new TagTable(['SS01.HX.T_SEC_SUP', 'SS01.HM.POWER']);
  const historian: Historian = openHistorian({ file: join(dir, 'history.db') });
  cleanups.push(() => historian.close());
  const project = projectSchema.parse({
    schemaVersion: 1,
    name: 'p',
    devices: [{ name: 'PLC', protocol: 'modbus-tcp', host: '127.0.0.1', port: 1 }],
    tags: [],
    alarmSettings: { commLostPriority: 'off' },
  });
  const alarms = new AlarmService({
    project,
    tags,
    devices: { list: () => [], onChange: () => () => undefined },
    file: join(dir, 'alarms.db'),
    log,
  });
  alarms.start();
  cleanups.push(() => alarms.stop());
  let now = Math.floor(Date.now() / 60_000) * 60_000;
  const service = new PredictionService({ tags, history: historian, alarms, log, now: () => now });
  cleanups.push(() => service.stop());
  /** A sample per minute for the last `minutes`, into history and the tag table. */
  const feed = async (
    values: (k: number) => { t: number; p: number },
    minutes = 8,
    quality: Sample['quality'] = { code: 'Good' },
  ) => {
    const samples: Sample[] = [];
    for (let k = minutes - 1; k >= 0; k--) {
      const at = now - k * 60_000;
      const v = values(k);
      samples.push(
        { tag: 'SS01.HX.T_SEC_SUP', value: v.t, quality, sourceTime: at, receiveTime: at },
        { tag: 'SS01.HM.POWER', value: v.p, quality: { code: 'Good' }, sourceTime: at, receiveTime: at },
      );
    }
    historian.ingest(samples);
    await historian.flush();
    // The newest pair is the live value (received now: the tag table keeps the newest receive time).
    tags.apply(samples.slice(-2).map((x) => ({ ...x, receiveTime: Date.now() })));
  };
  return { dir, tags, historian, alarms, service, feed, advance: (ms: number) => (now += ms) };
}

describe('model packages', () => {
  it('refuses a manifest with errors, naming file, line and path', () => {
    const dir = tempDir();
    const file = writePackage(dir, 'window-mean.onnx', {
      kind: 'oracle',
      thresholds: [{ output: 'NOPE', above: 1, priority: 'high', message: { en: 'x' }, action: { en: 'y' } }],
    });
    expect(() => readModelPackage(file)).toThrow(ModelPackageError);
    try {
      readModelPackage(file);
    } catch (err) {
      expect((err as Error).message).toMatch(/test\.model\.yaml: not a valid model manifest/);
      expect((err as Error).message).toMatch(/test\.model\.yaml:\d+ kind: /);
    }
    const refs = writePackage(tempDir(), 'window-mean.onnx', {
      thresholds: [{ output: 'NOPE', above: 1, priority: 'high', message: { en: 'x' }, action: { en: 'y' } }],
    });
    expect(() => readModelPackage(refs)).toThrow(
      /thresholds\[0\]\.output: unknown output "NOPE" \(outputs: T_MEAN, P_MEAN, T_LAST\)/,
    );
  });

  it('refuses a file whose SHA-256 differs from the manifest, and an opset the runtime cannot run', () => {
    const dir = tempDir();
    const file = writePackage(dir);
    writeFileSync(join(dir, 'model.onnx'), Buffer.concat([readFileSync(join(dir, 'model.onnx')), Buffer.from([0])]));
    expect(() => readModelPackage(file)).toThrow(
      /SHA-256 is [0-9a-f]{16}…, the manifest says [0-9a-f]{16}…: this is not the model the manifest describes/,
    );
    const newer = writePackage(tempDir(), 'opset-99.onnx', { opset: 23 });
    expect(() => readModelPackage(newer)).toThrow(/needs ONNX opset 99; this runtime runs opsets up to 23/);
  });

  it('keeps the running model when a replacement has the wrong window shape', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    const wrong = readModelPackage(
      writePackage(tempDir(), 'window-mean.onnx', {
        version: '1.1.0',
        input: { ...(manifest(join(fixtures, 'window-mean.onnx')).input as object), window: 5 },
      }),
    );
    await expect(s.service.activate(wrong)).rejects.toThrow(/does not accept a window of \[1, 5, 2\]/);
    expect(s.service.models().map((m) => m.manifest.version)).toEqual(['1.0.0']);
    const noOutput = readModelPackage(
      writePackage(tempDir(), 'window-mean.onnx', {
        version: '1.2.0',
        output: { tensor: 'z', values: [{ name: 'A', description: { en: 'a' }, index: 0 }] },
        thresholds: [],
      }),
    );
    await expect(s.service.activate(noOutput)).rejects.toThrow(/has no output "z" \(outputs: y\)/);
    expect(s.service.models().map((m) => m.manifest.version)).toEqual(['1.0.0']);
  });
});

describe('running a model', () => {
  it('writes its outputs as tags from the history window', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    // Minutes 3..0 before now: 70, 72, 74, 76 °C → mean 73, last 76.
    await s.feed((k) => ({ t: 70 + 2 * (3 - k), p: 500 + k }), 4);
    const result = await s.service.runOnce('SS01_TEST');
    expect(result, s.service.models()[0]!.stats.lastReason ?? '').toBe('ok');
    expect(s.tags.get('SS01.TEST.T_MEAN')).toMatchObject({ value: 73, quality: { code: 'Good' } });
    expect(s.tags.get('SS01.TEST.T_LAST')).toMatchObject({ value: 76, quality: { code: 'Good' } });
    expect(s.tags.get('SS01.TEST.P_MEAN')!.value).toBeCloseTo(501.5, 1);
    expect(s.service.tagInfos().map((t) => t.name)).toEqual([
      'SS01.TEST.T_MEAN',
      'SS01.TEST.P_MEAN',
      'SS01.TEST.T_LAST',
    ]);
    const stats = s.service.models()[0]!.stats;
    expect(stats).toMatchObject({ runs: 1, refused: 0, failures: 0, lastResult: 'ok' });
  });

  it('gives no number when an input is Bad, outside its training range or missing, and says why', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    await s.feed(() => ({ t: 70, p: 500 }), 8);
    s.tags.apply([
      {
        tag: 'SS01.HX.T_SEC_SUP',
        value: null,
        quality: { code: 'Bad', reason: 'communication lost: SS01-PLC' },
        sourceTime: Date.now(),
        receiveTime: Date.now(),
      },
    ]);
    expect(await s.service.runOnce('SS01_TEST')).toBe('refused');
    expect(s.tags.get('SS01.TEST.T_MEAN')!.quality).toEqual({
      code: 'Bad',
      reason: 'no prediction: input SS01.HX.T_SEC_SUP is Bad: communication lost: SS01-PLC',
    });

    s.advance(60_000);
    await s.feed(() => ({ t: 140, p: 500 }), 2);
    expect(await s.service.runOnce('SS01_TEST')).toBe('refused');
    expect(s.tags.get('SS01.TEST.T_MEAN')!.quality.reason).toMatch(
      /input SS01.HX.T_SEC_SUP = 140 is outside the range the model was trained on \[20, 100\]/,
    );

    const empty = await station();
    await empty.service.activate(readModelPackage(writePackage(tempDir())));
    await empty.feed(() => ({ t: 70, p: 500 }), 2); // 2 of 4 steps: 50 % missing, 25 % allowed
    expect(await empty.service.runOnce('SS01_TEST')).toBe('refused');
    expect(empty.tags.get('SS01.TEST.P_MEAN')!.quality.reason).toMatch(
      /50 % of the window is missing \(the model allows 25 %\)/,
    );
  });

  it('raises a predictive alarm when a threshold holds for its runs, and clears it after', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    await s.feed(() => ({ t: 50, p: 300 }), 6);
    await s.service.runOnce('SS01_TEST');
    expect(s.alarms.get('SS01.TEST.T_MEAN.PRED')!.state).toBe('normal');
    s.advance(60_000);
    await s.feed(() => ({ t: 50, p: 300 }), 1);
    await s.service.runOnce('SS01_TEST');
    const alarm = s.alarms.get('SS01.TEST.T_MEAN.PRED')!;
    expect(alarm).toMatchObject({
      state: 'unack-active',
      source: 'predictive',
      priority: 'high',
      value: 50,
      limit: 55,
      area: 'SS01',
      tag: 'SS01.TEST.T_MEAN',
    });
    expect(alarm.message.en).toBe('Supply temperature predicted below 55 °C (in about 20 min)');
    s.advance(60_000);
    await s.feed(() => ({ t: 70, p: 300 }), 4);
    await s.service.runOnce('SS01_TEST');
    expect(s.alarms.get('SS01.TEST.T_MEAN.PRED')!.state).toBe('unack-rtn');
  });
});

describe('the model registry', () => {
  it('lists valid and broken packages, runs the newest valid version, and remembers a chosen one', async () => {
    const s = await station();
    const builtIn = tempDir();
    const data = tempDir();
    // 1.0.0 and 1.1.0 are valid; 2.0.0's file does not match its hash.
    for (const version of ['1.0.0', '1.1.0', '2.0.0']) {
      const dir = tempDir();
      const file = writePackage(dir, 'window-mean.onnx', { version, file: `test-${version}.onnx` });
      copyFileSync(join(dir, 'model.onnx'), join(builtIn, `test-${version}.onnx`));
      copyFileSync(file, join(builtIn, `test-${version}.model.yaml`));
    }
    // The manifests were hashed against model.onnx, which is the same bytes as the copies; break 2.0.0.
    writeFileSync(join(builtIn, 'test-2.0.0.onnx'), Buffer.from('not a model'));
    const { ModelRegistry } = await import('../../main/runtime/predictions/model-registry.js');
    const { StationPredictions } = await import('../../main/runtime/predictions/station-predictions.js');
    const registry = new ModelRegistry({ builtInDir: builtIn, dataDir: data });
    const predictions = new StationPredictions(registry, s.service, log);
    await predictions.start();
    const info = predictions.info('SS01_TEST')!;
    expect(info.activeVersion).toBe('1.1.0');
    expect(info.versions.map((v) => [v.version, v.error === null])).toEqual([
      ['1.0.0', true],
      ['1.1.0', true],
      ['2.0.0', false],
    ]);
    expect(info.versions[2]!.error).toMatch(/test-2\.0\.0\.onnx: SHA-256/);
    await expect(predictions.activate('SS01_TEST', '2.0.0')).rejects.toThrow(/SHA-256/);
    expect(predictions.info('SS01_TEST')!.activeVersion).toBe('1.1.0');
    await predictions.activate('SS01_TEST', '1.0.0');
    expect(registry.chosenVersion('SS01_TEST')).toBe('1.0.0');
    // A restart runs the chosen version.
    const again = new StationPredictions(
      new ModelRegistry({ builtInDir: builtIn, dataDir: data }),
      (await station()).service,
      log,
    );
    await again.start();
    expect(again.info('SS01_TEST')!.activeVersion).toBe('1.0.0');
  });
});

describe('backfill', () => {
  it('runs a model over past history in batches and stores its outputs at the times they belong to', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    // Two hours of one sample per minute: temperature 40 + 0.1·minute.
    await s.feed((k) => ({ t: 40 + 0.1 * (119 - k), p: 800 }), 120);
    const end = Date.now();
    const start = end - 119 * 60_000;
    const progress: number[] = [];
    const stepStart = Math.ceil(start / 60_000) * 60_000;
    const result = await s.service.backfill('SS01_TEST', stepStart, end, {
      stepS: 60,
      batch: 16,
      onProgress: (f) => progress.push(f),
    });
    expect(result.runs).toBeGreaterThan(100);
    // The first windows reach back before the first sample: refused as missing, stored as Bad.
    expect(result.refused).toBeGreaterThanOrEqual(1);
    expect(result.refused).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toBe(1);
    const history = s.historian.queryRaw('SS01.TEST.T_MEAN', stepStart, end + 1);
    const good = history.t.map((t, i) => ({ t, v: history.v[i], q: history.q[i] })).filter((x) => x.q === 0);
    expect(good.length).toBeGreaterThan(100);
    // Each stored mean is the mean of the 4 minutes up to its time: the value 1.5 minutes earlier on the ramp.
    for (const x of good.slice(0, 20))
      expect(x.v as number).toBeCloseTo(
        Number(s.historian.queryRaw('SS01.HX.T_SEC_SUP', x.t - 90_000 - 30_000, x.t - 90_000 + 30_000).v[0]) + 0.05,
        1,
      );
    const bad = history.q.filter((q) => q === 2).length;
    expect(bad).toBe(result.refused);
  });

  it('stops when cancelled', async () => {
    const s = await station();
    await s.service.activate(readModelPackage(writePackage(tempDir())));
    await s.feed(() => ({ t: 60, p: 800 }), 30);
    const controller = new AbortController();
    controller.abort();
    await expect(
      s.service.backfill('SS01_TEST', Date.now() - 20 * 60_000, Date.now(), { stepS: 60, signal: controller.signal }),
    ).rejects.toThrow(/cancelled/);
  });
});
