/**
 * REST routes for alarms: the active list, the journal and the KPIs (read-only, with
 * the same authentication and plant-area limits as the rest of the API). Times in the
 * query are ISO date-times; `from` defaults to 24 h before `to`, `to` to now.
 */
import type { StationRuntime } from '../runtime/station.js';
import type { Principal } from '../runtime/security/permissions.js';
import { coversArea } from '../runtime/security/permissions.js';
import { alarmJournalFilterSchema } from '../../preload/contract.js';
import type { RestResult, RestRoute } from './rest-routes.js';

const DAY = 86_400_000;

function visible(principal: Principal | null, area: string | null): boolean {
  return principal !== null && coversArea(principal.areas, area);
}

function badRequest(message: string): RestResult {
  return { status: 400, body: { error: { code: 'BAD_REQUEST', message } } };
}

/** `from`/`to` from the query: ISO date-times (or ms since epoch). */
function timeRange(query: URLSearchParams, now: number): { from: number; to: number } | string {
  const parse = (key: string): number | null | string => {
    const v = query.get(key);
    if (v === null) return null;
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isNaN(t) ? `${key} must be an ISO date-time, got "${v.slice(0, 40)}"` : t;
  };
  const to = parse('to');
  const from = parse('from');
  if (typeof to === 'string') return to;
  if (typeof from === 'string') return from;
  const end = to ?? now;
  const start = from ?? end - DAY;
  if (start > end) return '`to` must not be before `from`';
  return { from: start, to: end };
}

function areasOf(principal: Principal | null): string[] | undefined {
  return principal && principal.areas.length > 0 ? [...principal.areas] : undefined;
}

export const alarmRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v1/alarms',
    summary: 'alarms that are not plainly normal: active, unacknowledged, shelved, suppressed, out of service',
    permission: 'view',
    handle: (rt: StationRuntime, { principal }) => ({
      status: 200,
      body: { silencedAt: rt.alarms.silenced, alarms: rt.alarms.list().filter((a) => visible(principal, a.area)) },
    }),
  },
  {
    method: 'GET',
    pattern: '/api/v1/alarms/journal',
    summary:
      'alarm journal, newest first (?from=&to= ISO, alarmId, tag, area, priority, kind, user, text, limit, beforeSeq)',
    permission: 'view',
    handle: (rt: StationRuntime, { query, principal }) => {
      const range = timeRange(query, Date.now());
      if (typeof range === 'string') return badRequest(range);
      const raw: Record<string, unknown> = { ...range };
      for (const key of ['alarmId', 'tag', 'area', 'priority', 'kind', 'user', 'text'] as const) {
        const v = query.get(key);
        if (v !== null) raw[key] = v;
      }
      const parsed = alarmJournalFilterSchema.safeParse(raw);
      if (!parsed.success)
        return badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const areas = areasOf(principal);
      if (parsed.data.area && areas && !areas.includes(parsed.data.area))
        return {
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: `outside your plant areas: ${parsed.data.area}` } },
        };
      const limit = Number(query.get('limit') ?? 500);
      const beforeSeq = query.get('beforeSeq');
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        return badRequest('limit must be an integer from 1 to 10000');
      if (beforeSeq !== null && !/^\d+$/.test(beforeSeq)) return badRequest('beforeSeq must be an integer');
      return {
        status: 200,
        body: rt.alarms.queryJournal({
          ...parsed.data,
          areas,
          limit,
          beforeSeq: beforeSeq === null ? undefined : Number(beforeSeq),
        }),
      };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/alarms/kpis',
    summary:
      'alarm system performance (EEMUA 191): rates, floods, top 10, chattering, stale, priorities, response times (?from=&to= ISO)',
    permission: 'view',
    handle: (rt: StationRuntime, { query, principal }) => {
      const range = timeRange(query, Date.now());
      if (typeof range === 'string') return badRequest(range);
      if (range.to <= range.from) return badRequest('`to` must be after `from`');
      return { status: 200, body: rt.alarms.kpis(range.from, range.to, areasOf(principal)) };
    },
  },
];
