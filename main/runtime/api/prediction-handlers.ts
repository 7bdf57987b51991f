/**
 * Prediction requests: the model registry for everyone who may view, activating a
 * version, importing a package and running a model now for engineers (`model.manage`),
 * audited before they take effect. An import's files arrive in chunks (a WebSocket frame
 * is size-limited) and are checked completely before anything is written.
 */
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { StationPredictions } from '../predictions/station-predictions.js';
import type { Caller } from './caller.js';
import {
  MODEL_IMPORT_CHUNK_BYTES,
  MODEL_IMPORT_MANIFEST_MAX_BYTES,
  MODEL_IMPORT_MAX_BYTES,
  type EventPayload,
} from '../../../preload/contract.js';
import { ModelUploads, UploadError } from '../predictions/model-upload.js';
import { ModelPackageError } from '../predictions/model-package.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

type PredictionRequest =
  | 'models.list'
  | 'models.activate'
  | 'models.rescan'
  | 'models.run'
  | 'models.backfill'
  | 'models.cancelBackfill'
  | 'models.importBegin'
  | 'models.importChunk'
  | 'models.import'
  | 'models.importCancel';

export type BackfillProgress = EventPayload<'models.backfillProgress'>;

export function createPredictionHandlers(
  predictions: StationPredictions,
  security: SecurityServices,
  onBackfillProgress: (event: BackfillProgress, caller: Caller) => void = () => undefined,
): Pick<RequestHandlers, PredictionRequest> {
  const jobs = new Map<string, AbortController>();
  const uploads = new ModelUploads({
    maxOnnxBytes: MODEL_IMPORT_MAX_BYTES,
    maxManifestBytes: MODEL_IMPORT_MANIFEST_MAX_BYTES,
    maxUploads: 2,
    idleMs: 10 * 60_000,
  });
  const uploadFailure = (err: unknown): never => {
    if (err instanceof UploadError) throw new ContractFailure(err.code, err.message, { cause: err });
    throw err;
  };
  let serial = 0;
  const audited = async <T>(
    caller: Caller,
    target: string,
    details: Record<string, string>,
    work: () => Promise<T>,
  ): Promise<T> => {
    const p = caller.principal!;
    try {
      return await security.audit.withAudit(
        { actor: p.name, role: p.role, source: caller.source, action: 'model.change', target, details },
        work,
      );
    } catch (err) {
      if (err instanceof AuditWriteError)
        throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the model change was refused', {
          cause: err,
        });
      if (err instanceof ContractFailure) throw err;
      throw new ContractFailure('BAD_REQUEST', err instanceof Error ? err.message : String(err), { cause: err });
    }
  };
  return {
    'models.list': () => predictions.list(),
    'models.activate': (p, caller) =>
      audited(caller, p.name, { change: 'activate', version: p.version }, () =>
        predictions.activate(p.name, p.version),
      ),
    'models.rescan': (_p, caller) => audited(caller, 'models', { change: 'rescan' }, () => predictions.rescan()),
    'models.run': async (p) => {
      if (!predictions.service.get(p.name)) throw new ContractFailure('NOT_FOUND', `model ${p.name} is not running`);
      const result = await predictions.service.runOnce(p.name);
      return { result, stats: predictions.info(p.name)!.stats! };
    },
    'models.backfill': (p, caller) => {
      if (!predictions.service.get(p.name)) throw new ContractFailure('NOT_FOUND', `model ${p.name} is not running`);
      if (jobs.size >= 2)
        throw new ContractFailure('UNAVAILABLE', 'two backfills are running: wait for one to finish or cancel it');
      const jobId = `backfill-${Date.now()}-${++serial}`;
      return audited(
        caller,
        p.name,
        { change: 'backfill', from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString() },
        async () => {
          const controller = new AbortController();
          jobs.set(jobId, controller);
          let last = 0;
          predictions.service
            .backfill(p.name, p.from, p.to, {
              ...(p.stepS !== undefined ? { stepS: p.stepS } : {}),
              signal: controller.signal,
              onProgress: (fraction, runs) => {
                if (Date.now() - last < 250) return;
                last = Date.now();
                onBackfillProgress({ jobId, model: p.name, fraction, runs, done: false }, caller);
              },
            })
            .then(
              (r) =>
                onBackfillProgress(
                  { jobId, model: p.name, fraction: 1, runs: r.runs, refused: r.refused, done: true },
                  caller,
                ),
              (err: unknown) =>
                onBackfillProgress(
                  {
                    jobId,
                    model: p.name,
                    fraction: 0,
                    runs: 0,
                    done: true,
                    error: err instanceof Error ? err.message : String(err),
                  },
                  caller,
                ),
            )
            .finally(() => jobs.delete(jobId));
          return { jobId };
        },
      );
    },
    'models.cancelBackfill': (p) => {
      const job = jobs.get(p.jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },
    'models.importBegin': (p, caller) => {
      try {
        return { uploadId: uploads.begin(caller.principal!.name, p), chunkBytes: MODEL_IMPORT_CHUNK_BYTES };
      } catch (err) {
        return uploadFailure(err);
      }
    },
    'models.importChunk': (p, caller) => {
      try {
        return { received: uploads.chunk(caller.principal!.name, p.uploadId, p.part, p.offset, p.data) };
      } catch (err) {
        return uploadFailure(err);
      }
    },
    'models.import': async (p, caller) => {
      let files: ReturnType<ModelUploads['finish']>;
      try {
        files = uploads.finish(caller.principal!.name, p.uploadId);
      } catch (err) {
        return uploadFailure(err);
      }
      const principal = caller.principal!;
      const details = { manifest: files.manifestName, model: files.onnxName, bytes: String(files.onnx.length) };
      try {
        const imported = await security.audit.withAudit(
          {
            actor: principal.name,
            role: principal.role,
            source: caller.source,
            action: 'model.import',
            target: files.manifestName,
            details,
          },
          () => predictions.importPackage(files),
          (r) => ({ name: r.name, version: r.version, stored: r.dir }),
        );
        return { name: imported.name, version: imported.version, model: imported.model };
      } catch (err) {
        if (err instanceof AuditWriteError)
          throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the import was refused', {
            cause: err,
          });
        if (err instanceof ModelPackageError) throw new ContractFailure('BAD_REQUEST', err.message, { cause: err });
        throw new ContractFailure('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
      }
    },
    'models.importCancel': (p, caller) => ({ cancelled: uploads.cancel(caller.principal!.name, p.uploadId) }),
  };
}
