/**
 * `GET /api/v1/history?tag=NAME&from=ISO&to=ISO[&buckets=N][&limit=N]`: raw samples, or
 * with `buckets` a downsampled trend. Pure function of the historian and the query
 * string; the station server mounts it. Bad parameters get a 400 naming the parameter.
 */
import type { Historian } from './historian.js';
import { HistoryUnavailableError } from './historian.js';
import { MAX_BUCKETS, MAX_RAW_LIMIT } from './history-query.js';

export interface HistoryRestResult {
  readonly status: number;
  readonly body: unknown;
}

const badRequest = (message: string): HistoryRestResult => ({
  status: 400,
  body: { error: { code: 'BAD_REQUEST', message } },
});

function parseTime(params: URLSearchParams, name: 'from' | 'to'): number | string {
  const raw = params.get(name);
  if (raw === null || raw === '') return `missing parameter "${name}" (an ISO 8601 time, e.g. 2026-01-31T12:00:00Z)`;
  const t = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(t)) return `parameter "${name}" is not an ISO 8601 time: "${raw.slice(0, 60)}"`;
  return t;
}

function parseCount(params: URLSearchParams, name: 'buckets' | 'limit', max: number): number | string | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    return `parameter "${name}" must be a whole number from 1 to ${max}, got "${raw.slice(0, 30)}"`;
  return Number(raw);
}

export function historyRestHandler(historian: Historian, params: URLSearchParams): HistoryRestResult {
  const tag = params.get('tag');
  if (!tag) return badRequest('missing parameter "tag" (a tag name, e.g. SS01.HX.T_SEC_SUP)');
  if (tag.length > 200) return badRequest('parameter "tag" is too long');
  const from = parseTime(params, 'from');
  if (typeof from === 'string') return badRequest(from);
  const to = parseTime(params, 'to');
  if (typeof to === 'string') return badRequest(to);
  if (to < from) return badRequest('parameter "to" is before "from"');
  const buckets = parseCount(params, 'buckets', MAX_BUCKETS);
  if (typeof buckets === 'string') return badRequest(buckets);
  const limit = parseCount(params, 'limit', MAX_RAW_LIMIT);
  if (typeof limit === 'string') return badRequest(limit);
  try {
    if (buckets !== undefined) return { status: 200, body: historian.queryTrend(tag, from, to, buckets) };
    return { status: 200, body: historian.queryRaw(tag, from, to, limit) };
  } catch (err) {
    if (err instanceof HistoryUnavailableError)
      return { status: 503, body: { error: { code: 'UNAVAILABLE', message: err.message } } };
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'history query failed' } } };
  }
}
