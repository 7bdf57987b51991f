/**
 * REST route for predictions: the latest output of every running model, with quality
 * and time (limited to the caller's plant areas like every tag).
 */
import type { StationRuntime } from '../runtime/station.js';
import { toTagValueDto } from '../runtime/tags/tag-dto.js';
import { tagVisibleTo } from '../runtime/api/visibility.js';
import type { RestRoute } from './rest-routes.js';
import { outputTag } from '../runtime/predictions/prediction-service.js';
import { channelCount } from '../runtime/predictions/feature-window.js';
import { preparePredictRequest } from '../runtime/predictions/predict-request.js';

const badRequest = (message: string) => ({ status: 400, body: { error: { code: 'BAD_REQUEST', message } } });

export const predictionRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v1/predictions',
    summary:
      'latest output of every running model: value, unit, quality (with the reason when there is no number), time, model and version; for classifiers, the signals contributing to each fault class at its watch level',
    permission: 'view',
    handle: (rt: StationRuntime, { principal }) => {
      const models = rt.predictions.list().filter((m) => m.activeVersion !== null);
      return {
        status: 200,
        body: {
          models: models.map((m) => ({
            name: m.name,
            version: m.activeVersion,
            kind: m.kind,
            lastRunAt: m.stats?.lastRunAt ? new Date(m.stats.lastRunAt).toISOString() : null,
            // Classifiers: the signals behind each fault class at its watch level (occlusion), from the last run.
            contributions: m.contributions
              ? {
                  time: new Date(m.contributions.at).toISOString(),
                  classes: m.contributions.classes.map((c) => ({
                    ...c,
                    signals: c.signals.filter((s) => tagVisibleTo(principal, s.tag)),
                  })),
                }
              : null,
            outputs: m.outputs
              .filter((o) => tagVisibleTo(principal, o.tag))
              .map((o) => {
                const sample = rt.tags.get(o.tag);
                const dto = sample ? toTagValueDto(sample) : null;
                return {
                  tag: o.tag,
                  name: o.name,
                  unit: o.unit,
                  horizonMin: o.horizonMin,
                  quantile: o.quantile,
                  label: o.label,
                  value: dto?.v ?? null,
                  quality: dto?.q ?? 'Bad',
                  qualityReason: dto?.r ?? null,
                  time: dto ? new Date(dto.ts).toISOString() : null,
                };
              }),
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/models/:name/predict',
    summary:
      'run a model on windows you send: {"windows":[{"end":ISO,"inputs":{"<tag>":[oldest … newest]}}]} (1–64 windows); outputs per window, or why there is no number',
    permission: 'view',
    maxBodyBytes: 4 * 1024 * 1024,
    handle: async (rt: StationRuntime, { params, body }) => {
      const model = rt.predictions.service.get(params.name ?? '');
      if (!model)
        return {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: `no running model "${(params.name ?? '').slice(0, 64)}"` } },
        };
      const m = model.manifest;
      const prepared = preparePredictRequest(m, body, Date.now());
      if (typeof prepared === 'string') return badRequest(prepared);
      const ready = prepared.filter((w) => w.ok);
      const size = m.input.window * channelCount(m.input);
      const batch = new Float32Array(ready.length * size);
      ready.forEach((w, i) => batch.set(w.ok ? w.tensor : new Float32Array(size), i * size));
      const outputs = ready.length > 0 ? await model.infer(batch, ready.length) : [];
      let next = 0;
      return {
        status: 200,
        body: {
          model: m.name,
          version: m.version,
          windows: prepared.map((w) => {
            if (!w.ok) return { ok: false, reason: w.reason };
            const out = outputs[next++]!;
            return {
              ok: true,
              end: new Date(w.end).toISOString(),
              outputs: m.output.values.map((o) => {
                let v = out[o.index]!;
                if (o.denormalize) v = v * o.denormalize.std + o.denormalize.mean;
                return {
                  name: o.name,
                  tag: outputTag(m, o),
                  unit: o.unit,
                  value: Math.round(v * 10 ** o.decimals) / 10 ** o.decimals,
                  horizonMin: o.horizonMin ?? null,
                  quantile: o.quantile ?? null,
                  label: o.label ?? null,
                };
              }),
            };
          }),
        },
      };
    },
  },
];
