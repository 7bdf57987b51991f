/**
 * The read-only REST API for other systems. Every route is declared in one table
 * (method, pattern, handler), so tools and tests can enumerate them.
 */
import type { StationRuntime } from '../runtime/station.js';
import { toTagValueDto } from '../runtime/tags/tag-dto.js';
import { tagInfoList } from '../runtime/api/request-handlers.js';
import { tagVisibleTo } from '../runtime/api/visibility.js';
import { historyRestHandler } from '../runtime/historian/index.js';
import type { Permission, Principal } from '../runtime/security/permissions.js';
import { auditFilterSchema } from '../../preload/contract.js';
import { alarmRoutes } from './alarm-routes.js';
import { predictionRoutes } from './prediction-routes.js';

export interface RestResult {
  readonly status: number;
  readonly body: unknown;
}

export interface RestRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The session's user or the API token's principal; null only on public routes. */
  readonly principal: Principal | null;
  /** POST routes: the parsed JSON body. */
  readonly body?: unknown;
}

export interface RestRoute {
  /** GET reads; POST computes (never changes the plant: no POST route writes to a device). */
  readonly method: 'GET' | 'POST';
  /** POST routes: the largest body accepted, bytes (default 16 KiB). */
  readonly maxBodyBytes?: number;
  /** Path with `:name` placeholders, e.g. /api/v1/tags/:name */
  readonly pattern: string;
  readonly summary: string;
  /** 'public' routes answer without a session (and say less). */
  readonly permission: 'public' | Permission;
  handle(runtime: StationRuntime, request: RestRequest): RestResult | Promise<RestResult>;
}

export const restRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v1/health',
    summary: 'liveness for anyone; runtime and per-device status with a session or token',
    permission: 'public',
    handle: (rt, { principal }) => {
      if (!principal) return { status: 200, body: { status: 'up', version: rt.version } };
      const devices = rt.devices.list();
      const connected = devices.filter((d) => d.state === 'connected').length;
      return {
        status: 200,
        body: {
          status: connected === devices.length ? 'ok' : connected === 0 ? 'down' : 'degraded',
          version: rt.version,
          mode: rt.mode,
          project: rt.project.name,
          simulated: rt.simulator !== null,
          uptimeS: Math.round((Date.now() - rt.startedAt) / 1000),
          tags: rt.tags.size,
          history: rt.historian.status(),
          // read-only (and why), the audit trail against its checkpoint, log lines lost to a full disk
          storage: rt.storage,
          audit: rt.security.audit.integrity(),
          logging: rt.log.health(),
          devices,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/tags',
    summary: 'every tag with its current value, unit, quality and timestamps',
    permission: 'view',
    handle: (rt, { principal }) => {
      const infos = tagInfoList(rt.project, rt.intervalOf).filter((info) => tagVisibleTo(principal, info.name));
      return {
        status: 200,
        body: infos.map((info) => tagResource(rt, info.name, info.unit, info.description.en)),
      };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/tags/:name',
    summary: 'one tag with its current value, unit, quality and timestamps',
    permission: 'view',
    handle: (rt, { params, principal }) => {
      const name = params.name ?? '';
      const tag = rt.project.tags.find((t) => t.name === name);
      if (!tag || !tagVisibleTo(principal, tag.name))
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: `unknown tag "${name.slice(0, 200)}"` } } };
      return { status: 200, body: tagResource(rt, tag.name, tag.unit, tag.description.en) };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/history',
    summary: 'history of one tag: ?tag=NAME&from=ISO&to=ISO[&buckets=N] (raw samples, or min/max per bucket)',
    permission: 'view',
    handle: (rt, { query, principal }) => {
      const tag = query.get('tag');
      if (tag && rt.tags.has(tag) && !tagVisibleTo(principal, tag))
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: `unknown tag "${tag}"` } } };
      if (tag && !rt.tags.has(tag))
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: `unknown tag "${tag.slice(0, 200)}"` } } };
      return historyRestHandler(rt.historian, query);
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/audit',
    summary: 'the audit trail, newest first (?from=&to= ISO, actor, action, target, limit, offset)',
    permission: 'audit.view',
    handle: (rt, { query }) => {
      const filter = auditFilterFromQuery(query);
      if (typeof filter === 'string') return { status: 400, body: { error: { code: 'BAD_REQUEST', message: filter } } };
      const { limit, offset, ...rest } = filter;
      return {
        status: 200,
        body: {
          total: rt.security.audit.count(rest),
          entries: rt.security.audit.query({ ...rest, limit, offset, order: 'desc' }),
        },
      };
    },
  },
  ...alarmRoutes,
  ...predictionRoutes,
];

function auditFilterFromQuery(query: URLSearchParams): ReturnType<typeof auditFilterSchema.parse> | string {
  const raw: Record<string, unknown> = {};
  for (const key of ['actor', 'action', 'target'] as const) {
    const v = query.get(key);
    if (v !== null) raw[key] = v;
  }
  for (const key of ['from', 'to'] as const) {
    const v = query.get(key);
    if (v === null) continue;
    const t = Date.parse(v);
    if (Number.isNaN(t)) return `${key} must be an ISO date-time, got "${v.slice(0, 40)}"`;
    raw[key] = t;
  }
  for (const key of ['limit', 'offset'] as const) {
    const v = query.get(key);
    if (v !== null) raw[key] = Number(v);
  }
  const parsed = auditFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

function tagResource(rt: StationRuntime, name: string, unit: string, description: string): Record<string, unknown> {
  const sample = rt.tags.get(name);
  const dto = sample ? toTagValueDto(sample) : null;
  return {
    name,
    description,
    unit,
    value: dto?.v ?? null,
    quality: dto?.q ?? 'Bad',
    qualityReason: dto?.r ?? null,
    sourceTime: dto ? new Date(dto.ts).toISOString() : null,
    receiveTime: dto ? new Date(dto.rt).toISOString() : null,
  };
}

/** Match a path against the route table; returns the route and its decoded placeholders. */
export function matchRoute(
  method: string,
  pathname: string,
): { route: RestRoute; params: Record<string, string> } | 'method-not-allowed' | null {
  const parts = pathname.split('/');
  let pathMatched = false;
  for (const route of restRoutes) {
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i]!;
      const actual = parts[i]!;
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(actual);
        } catch {
          ok = false;
        }
        if (actual === '') ok = false;
      } else if (p !== actual) ok = false;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method-not-allowed' : null;
}
