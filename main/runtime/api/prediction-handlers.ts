/**
 * Prediction requests: the model registry for everyone who may view, activating a
 * version and running a model now for engineers (`model.manage`), audited before they
 * take effect.
 */
import type { SecurityServices } from '../security/security-services.js';
import { AuditWriteError } from '../security/audit-trail.js';
import type { StationPredictions } from '../predictions/station-predictions.js';
import type { Caller } from './caller.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';

type PredictionRequest = 'models.list' | 'models.activate' | 'models.rescan' | 'models.run';

export function createPredictionHandlers(predictions: StationPredictions, security: SecurityServices): Pick<RequestHandlers, PredictionRequest> {
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
  };
}
