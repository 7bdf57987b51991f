/**
 * REST route for predictions: the latest output of every running model, with quality
 * and time (limited to the caller's plant areas like every tag).
 */
import type { StationRuntime } from '../runtime/station.js';
import { toTagValueDto } from '../runtime/tags/tag-dto.js';
import { tagVisibleTo } from '../runtime/api/visibility.js';
import type { RestRoute } from './rest-routes.js';

export const predictionRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v1/predictions',
    summary: 'latest output of every running model: value, unit, quality (with the reason when there is no number), time, model and version',
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
];
