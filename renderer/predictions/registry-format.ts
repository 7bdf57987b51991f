/**
 * The model registry's words and numbers: run statistics, card metrics, the backfill
 * range an engineer typed, backfill progress, and what an activation did. Pure.
 */
import type { EventPayload, ModelInfoDto } from '../../preload/contract.js';
import { formatAge, formatDateTime } from '../format/format-value.js';

export type ModelStatsDto = NonNullable<ModelInfoDto['stats']>;
export type BackfillProgressDto = EventPayload<'models.backfillProgress'>;

export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export interface StatLine {
  readonly key: string;
  readonly label: string;
  readonly value: string;
  /** Not the normal case (failures, refusals, a last run that gave no number): said in words too. */
  readonly abnormal?: boolean;
}

export function statLines(stats: ModelStatsDto | null, nowMs: number): StatLine[] {
  if (!stats) return [{ key: 'runs', label: 'Runs', value: 'not running' }];
  return [
    { key: 'runs', label: 'Runs', value: String(stats.runs) },
    { key: 'refused', label: 'Refused by the quality gate', value: String(stats.refused), abnormal: stats.refused > 0 },
    { key: 'failures', label: 'Failures', value: String(stats.failures), abnormal: stats.failures > 0 },
    { key: 'last-run', label: 'Last run', value: stats.lastRunAt === null ? 'never' : `${formatDateTime(stats.lastRunAt)} (${formatAge(nowMs - stats.lastRunAt)} ago)` },
    { key: 'last-result', label: 'Last result', value: stats.lastResult === null ? '—' : stats.lastResult === 'ok' ? 'ok' : stats.lastResult.toUpperCase(), abnormal: stats.lastResult === 'refused' || stats.lastResult === 'failed' },
    { key: 'latency', label: 'Latency p50 / p99', value: `${formatLatency(stats.latencyP50Ms)} / ${formatLatency(stats.latencyP99Ms)}` },
    ...(stats.lastReason ? [{ key: 'last-reason', label: 'Last reason', value: stats.lastReason, abnormal: true }] : []),
  ];
}

/** A card metric's value: counts as integers, shares and errors with up to 4 significant decimals. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  const decimals = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return String(Number(v.toFixed(decimals)));
}

/** `lead_time_median_min` → `lead time median min`. */
export function metricLabel(key: string): string {
  return key.replace(/_/g, ' ');
}

export function metricRows(metrics: Readonly<Record<string, number>>): { key: string; label: string; value: string }[] {
  return Object.entries(metrics).map(([key, v]) => ({ key, label: metricLabel(key), value: formatMetric(v) }));
}

export const MAX_BACKFILL_DAYS = 400;

/** The backfill range from two `datetime-local` fields; a sentence when it cannot be run. */
export function backfillRange(fromText: string, toText: string, parse: (text: string) => number, nowMs: number): { from: number; to: number } | string {
  const from = fromText ? parse(fromText) : Number.NaN;
  const to = toText ? parse(toText) : Number.NaN;
  if (!Number.isFinite(from)) return 'Give the start of the range.';
  if (!Number.isFinite(to)) return 'Give the end of the range.';
  if (to <= from) return 'The end must be after the start.';
  if (from > nowMs) return 'The range is in the future: there is no history to run the model on.';
  if (to - from > MAX_BACKFILL_DAYS * 86_400_000) return `At most ${MAX_BACKFILL_DAYS} days at a time.`;
  return { from, to: Math.min(to, nowMs) };
}

export interface BackfillState {
  readonly jobId: string;
  readonly model: string;
  readonly fraction: number;
  readonly runs: number;
  readonly done: boolean;
  readonly refused?: number;
  readonly error?: string;
}

/** Applies a progress event to the job it belongs to (events of other jobs are ignored). */
export function nextBackfillState(state: BackfillState | null, event: BackfillProgressDto): BackfillState | null {
  if (!state || state.jobId !== event.jobId || state.done) return state;
  return {
    jobId: state.jobId,
    model: event.model,
    fraction: event.done && !event.error ? 1 : Math.max(state.fraction, event.fraction),
    runs: event.runs,
    done: event.done,
    ...(event.refused !== undefined ? { refused: event.refused } : {}),
    ...(event.error !== undefined ? { error: event.error } : {}),
  };
}

export function backfillText(state: BackfillState): string {
  const pct = `${Math.round(state.fraction * 100)} %`;
  if (!state.done) return `Running: ${pct}, ${state.runs} windows`;
  if (state.error) return /cancel/i.test(state.error) ? `Cancelled after ${state.runs} windows` : `Failed: ${state.error}`;
  return `Done: ${state.runs} windows${state.refused ? `, ${state.refused} refused by the quality gate (stored as Bad with the reason)` : ''}; the outputs are in history.`;
}

/** The engineer's answer after asking to activate a version. */
export function activationText(requested: string, reply: { ok: true; model: ModelInfoDto } | { ok: false; message: string }, previous: string | null): { kind: 'ok' | 'refused'; text: string } {
  if (reply.ok) {
    if (reply.model.activeVersion === requested) return { kind: 'ok', text: `Version ${requested} is running${previous && previous !== requested ? ` (was ${previous})` : ''}.` };
    return { kind: 'refused', text: `Version ${requested} did not start; ${reply.model.activeVersion ? `version ${reply.model.activeVersion} keeps running` : 'no version is running'}.` };
  }
  return { kind: 'refused', text: `Refused: ${reply.message}${previous ? ` — version ${previous} keeps running.` : ''}` };
}

export const kindLabel: Readonly<Record<NonNullable<ModelInfoDto['kind']>, string>> = {
  forecast: 'Forecast',
  classifier: 'Fault classifier',
  anomaly: 'Anomaly detector',
};
