/**
 * Loading a model package: the manifest (validated, errors with file:line:path), the
 * ONNX file it names (its SHA-256 must match the manifest's, its opset must be one this
 * runtime runs), an inference session, and a dry run with a zero window that proves the
 * input and output tensors have the shapes the manifest describes. Anything wrong throws
 * `ModelPackageError` naming the file and what to do; the caller keeps the previous model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseValidatedYaml, ProjectFileError, type LocatedMessage } from '../config/load-project.js';
import { modelManifestSchema, type ModelManifest } from './model-manifest.js';
import { channelCount } from './feature-window.js';
import { defaultOpset, readOpsetImports } from './onnx-opset.js';

/** The highest default-domain opset onnxruntime-node 1.30 runs. */
export const MAX_OPSET = 23;

export class ModelPackageError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
    this.name = 'ModelPackageError';
  }
}

export interface ModelPackage {
  readonly manifest: ModelManifest;
  readonly manifestFile: string;
  readonly onnxFile: string;
  readonly bytes: Uint8Array;
}

function manifestProblems(m: ModelManifest): LocatedMessage[] {
  const problems: LocatedMessage[] = [];
  const names = new Set<string>();
  const indexes = new Set<number>();
  m.output.values.forEach((o, i) => {
    if (names.has(o.name))
      problems.push({ path: ['output', 'values', i, 'name'], message: `duplicate output name ${o.name}` });
    if (indexes.has(o.index))
      problems.push({ path: ['output', 'values', i, 'index'], message: `output index ${o.index} is used twice` });
    names.add(o.name);
    indexes.add(o.index);
    if (m.kind === 'classifier' && o.label === undefined)
      problems.push({ path: ['output', 'values', i], message: 'a classifier output needs the "label" of its class' });
  });
  m.thresholds.forEach((t, i) => {
    if (!names.has(t.output))
      problems.push({
        path: ['thresholds', i, 'output'],
        message: `unknown output "${t.output}" (outputs: ${[...names].join(', ')})`,
      });
  });
  const tags = new Set<string>();
  m.input.tags.forEach((t, i) => {
    if (tags.has(t.tag)) problems.push({ path: ['input', 'tags', i, 'tag'], message: `${t.tag} is already an input` });
    tags.add(t.tag);
    if (t.trainingRange[0] > t.trainingRange[1])
      problems.push({ path: ['input', 'tags', i, 'trainingRange'], message: 'trainingRange must be [low, high]' });
  });
  return problems;
}

/** Read and check a package (manifest, hash, opset) without starting a session. */
export function readModelPackage(manifestFile: string): ModelPackage {
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch (err) {
    throw new ModelPackageError(
      manifestFile,
      `cannot read the manifest: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return checkModelPackage(manifestFile, text, (onnxFile) => {
    try {
      return readFileSync(onnxFile);
    } catch (err) {
      throw new ModelPackageError(
        onnxFile,
        `cannot read the model named by ${manifestFile}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  });
}

/**
 * The checks of a package (manifest, hash, opset) on its text and bytes, wherever they come
 * from: the model folders, or a package being imported that is not on disk yet. `onnxBytes`
 * gets the path the manifest names (beside `manifestFile`) and returns its bytes or throws.
 */
export function checkModelPackage(
  manifestFile: string,
  text: string,
  onnxBytes: (onnxFile: string) => Uint8Array,
): ModelPackage {
  let manifest: ModelManifest;
  try {
    manifest = parseValidatedYaml(text, manifestFile, modelManifestSchema, manifestProblems);
  } catch (err) {
    if (err instanceof ProjectFileError)
      throw new ModelPackageError(
        manifestFile,
        `not a valid model manifest\n${err.message.split('\n').slice(1).join('\n')}`,
        { cause: err },
      );
    throw err;
  }
  const onnxFile = join(dirname(manifestFile), manifest.file);
  const bytes = onnxBytes(onnxFile);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.sha256) {
    throw new ModelPackageError(
      onnxFile,
      `SHA-256 is ${sha.slice(0, 16)}…, the manifest says ${manifest.sha256.slice(0, 16)}…: this is not the model the manifest describes (re-export the package, or fix the manifest if the file is the right one)`,
    );
  }
  let opset: number | null;
  try {
    opset = defaultOpset(readOpsetImports(bytes));
  } catch (err) {
    throw new ModelPackageError(
      onnxFile,
      `not a readable ONNX model: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  if (opset === null) throw new ModelPackageError(onnxFile, 'the model imports no ONNX operator set');
  if (opset > MAX_OPSET)
    throw new ModelPackageError(
      onnxFile,
      `needs ONNX opset ${opset}; this runtime runs opsets up to ${MAX_OPSET} (export with opset_version=${MAX_OPSET} or lower)`,
    );
  if (opset > manifest.opset)
    throw new ModelPackageError(onnxFile, `uses opset ${opset} but the manifest declares ${manifest.opset}`);
  return { manifest, manifestFile, onnxFile, bytes };
}

/** A package with a live session, checked by a dry run. */
export class RunnableModel {
  private constructor(
    readonly pkg: ModelPackage,
    private readonly session: ort.InferenceSession,
    readonly outputLength: number,
  ) {}

  get manifest(): ModelManifest {
    return this.pkg.manifest;
  }

  static async open(pkg: ModelPackage): Promise<RunnableModel> {
    const m = pkg.manifest;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(pkg.bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new ModelPackageError(
        pkg.onnxFile,
        `the ONNX runtime cannot load this model: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    const fail = async (message: string): Promise<never> => {
      await session.release();
      throw new ModelPackageError(pkg.onnxFile, message);
    };
    if (!session.inputNames.includes(m.input.tensor))
      await fail(`has no input "${m.input.tensor}" (inputs: ${session.inputNames.join(', ')})`);
    if (!session.outputNames.includes(m.output.tensor))
      await fail(`has no output "${m.output.tensor}" (outputs: ${session.outputNames.join(', ')})`);
    const channels = channelCount(m.input);
    let length: number;
    try {
      const feeds = {
        [m.input.tensor]: new ort.Tensor('float32', new Float32Array(m.input.window * channels), [
          1,
          m.input.window,
          channels,
        ]),
      };
      const result = await session.run(feeds, [m.output.tensor]);
      const out = result[m.output.tensor]!;
      if (out.type !== 'float32') await fail(`output "${m.output.tensor}" is ${out.type}, expected float32`);
      length = out.data.length;
    } catch (err) {
      if (err instanceof ModelPackageError) throw err;
      return fail(
        `does not accept a window of [1, ${m.input.window}, ${channels}] (${m.input.tags.length} tags${m.input.timeFeatures ? ' + 4 time features' : ''}): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const highest = Math.max(...m.output.values.map((o) => o.index));
    if (highest >= length)
      await fail(`output "${m.output.tensor}" has ${length} values, the manifest reads index ${highest}`);
    return new RunnableModel(pkg, session, length);
  }

  /** One inference (or a batch of windows laid end to end); resolves with the flat output per window. */
  async infer(windows: Float32Array, batch = 1): Promise<Float32Array[]> {
    const m = this.manifest;
    const channels = channelCount(m.input);
    const tensor = new ort.Tensor('float32', windows, [batch, m.input.window, channels]);
    const result = await this.session.run({ [m.input.tensor]: tensor }, [m.output.tensor]);
    const data = result[m.output.tensor]!.data as Float32Array;
    const per = data.length / batch;
    return Array.from({ length: batch }, (_, b) => data.subarray(b * per, (b + 1) * per));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
