/**
 * Prediction requests: the model registry for everyone who may view, activating a
 * version and running a model now for engineers (`model.manage`), audited before they
 * take effect.
 */
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { StationPredictions } from '../predictions/station-predictions.js';
import type { Caller } from './caller.js';
import type { EventPayload } from '../../../preload/contract.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

type PredictionRequest = 'models.list' | 'models.activate' | 'models.rescan' | 'models.run' | 'models.backfill' | 'models.cancelBackfill';

export type BackfillProgress = EventPayload<'models.backfillProgress'>;

export function createPredictionHandlers(
  predictions: StationPredictions,
  security: SecurityServices,
  onBackfillProgress: (event: BackfillProgress, caller: Caller) => void = () => undefined,
): Pick<RequestHandlers, PredictionRequest> {
  const jobs = new Map<string, AbortController>();
  let serial = 0;
  const audited = async <T>(caller: Caller, target: string, details: Record<string, string>, work: () => Promise<T>): Promise<T> => {
    const p = caller.principal!;
    try {
      return await security.audit.withAudit({ actor: p.name, role: p.role, source: caller.source, action: 'model.change', target, details }, work);
    } catch (err) {
      if (err instanceof AuditWriteError) throw new ContractFailure('UNAVAILABLE', 'the audit trail cannot be written, so the model change was refused', { cause: err });
      if (err instanceof ContractFailure) throw err;
      throw new ContractFailure('BAD_REQUEST', err instanceof Error ? err.message : String(err), { cause: err });
    }
  };
  return {
    'models.list': () => predictions.list(),
    'models.activate': (p, caller) => audited(caller, p.name, { change: 'activate', version: p.version }, () => predictions.activate(p.name, p.version)),
    'models.rescan': (_p, caller) => audited(caller, 'models', { change: 'rescan' }, () => predictions.rescan()),
    'models.run': async (p) => {
      if (!predictions.service.get(p.name)) throw new ContractFailure('NOT_FOUND', `model ${p.name} is not running`);
      const result = await predictions.service.runOnce(p.name);
      return { result, stats: predictions.info(p.name)!.stats! };
    },
    'models.backfill': (p, caller) => {
      if (!predictions.service.get(p.name)) throw new ContractFailure('NOT_FOUND', `model ${p.name} is not running`);
      if (jobs.size >= 2) throw new ContractFailure('UNAVAILABLE', 'two backfills are running: wait for one to finish or cancel it');
      const jobId = `backfill-${Date.now()}-${++serial}`;
      return audited(caller, p.name, { change: 'backfill', from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString() }, async () => {
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
            (r) => onBackfillProgress({ jobId, model: p.name, fraction: 1, runs: r.runs, refused: r.refused, done: true }, caller),
            (err: unknown) => onBackfillProgress({ jobId, model: p.name, fraction: 0, runs: 0, done: true, error: err instanceof Error ? err.message : String(err) }, caller),
          )
          .finally(() => jobs.delete(jobId));
        return { jobId };
      });
    },
    'models.cancelBackfill': (p) => {
      const job = jobs.get(p.jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },
  };
}
