/**
 * The model registry's words and numbers: run statistics, card metrics, the backfill
 * range an engineer typed, backfill progress, and what an activation did. Pure.
 */
import type { EventPayload, ModelInfoDto } from '../../preload/contract.js';
import { formatAge, formatDateTime } from '../format/format-value.js';
import { translator, type Lang } from '../i18n/i18n.js';
import { outlookText, registryText } from './registry-text.js';

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

export function statLines(stats: ModelStatsDto | null, nowMs: number, lang: Lang = 'en'): StatLine[] {
  const t = translator(registryText, lang);
  if (!stats) return [{ key: 'runs', label: t('stat_runs'), value: t('statNotRunning') }];
  return [
    { key: 'runs', label: t('stat_runs'), value: String(stats.runs) },
    { key: 'refused', label: t('stat_refused'), value: String(stats.refused), abnormal: stats.refused > 0 },
    { key: 'failures', label: t('stat_failures'), value: String(stats.failures), abnormal: stats.failures > 0 },
    {
      key: 'last-run',
      label: t('stat_last-run'),
      value:
        stats.lastRunAt === null
          ? t('statNever')
          : t('statAgo', { time: formatDateTime(stats.lastRunAt), age: formatAge(nowMs - stats.lastRunAt, lang) }),
    },
    {
      key: 'last-result',
      label: t('stat_last-result'),
      value: stats.lastResult === null ? '—' : resultWord(stats.lastResult, lang),
      abnormal: stats.lastResult === 'refused' || stats.lastResult === 'failed',
    },
    {
      key: 'latency',
      label: t('stat_latency'),
      value: `${formatLatency(stats.latencyP50Ms)} / ${formatLatency(stats.latencyP99Ms)}`,
    },
    ...(stats.lastReason
      ? [{ key: 'last-reason', label: t('stat_last-reason'), value: stats.lastReason, abnormal: true }]
      : []),
  ];
}

/** A run's result in words: `ok`, `REFUSED`, `FAILED` (`成功`, `被拒绝`, `失败`); another code as it came, upper case. */
export function resultWord(result: string, lang: Lang = 'en'): string {
  const t = translator(registryText, lang);
  return result === 'ok' || result === 'refused' || result === 'failed' ? t(`result_${result}`) : result.toUpperCase();
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
export function backfillRange(
  fromText: string,
  toText: string,
  parse: (text: string) => number,
  nowMs: number,
  lang: Lang = 'en',
): { from: number; to: number } | string {
  const t = translator(registryText, lang);
  const from = fromText ? parse(fromText) : Number.NaN;
  const to = toText ? parse(toText) : Number.NaN;
  if (!Number.isFinite(from)) return t('giveStart');
  if (!Number.isFinite(to)) return t('giveEnd');
  if (to <= from) return t('endAfterStart');
  if (from > nowMs) return t('inFuture');
  if (to - from > MAX_BACKFILL_DAYS * 86_400_000) return t('atMostDays', { days: MAX_BACKFILL_DAYS });
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

export function backfillText(state: BackfillState, lang: Lang = 'en'): string {
  const t = translator(registryText, lang);
  const pct = `${Math.round(state.fraction * 100)} %`;
  if (!state.done) return t('bfRunning', { pct, runs: state.runs });
  if (state.error)
    return /cancel/i.test(state.error) ? t('bfCancelled', { runs: state.runs }) : t('bfFailed', { error: state.error });
  return t('bfDone', { runs: state.runs, refused: state.refused ? t('bfRefused', { n: state.refused }) : '' });
}

/** The engineer's answer after asking to activate a version. */
export function activationText(
  requested: string,
  reply: { ok: true; model: ModelInfoDto } | { ok: false; message: string },
  previous: string | null,
  lang: Lang = 'en',
): { kind: 'ok' | 'refused'; text: string } {
  const t = translator(registryText, lang);
  if (reply.ok) {
    if (reply.model.activeVersion === requested)
      return {
        kind: 'ok',
        text: t('actRunning', {
          v: requested,
          was: previous && previous !== requested ? t('actWas', { v: previous }) : '',
        }),
      };
    return {
      kind: 'refused',
      text: t('actNotStarted', {
        v: requested,
        rest: reply.model.activeVersion ? t('keepsRunning', { v: reply.model.activeVersion }) : t('actNoneRunning'),
      }),
    };
  }
  return {
    kind: 'refused',
    text: t('actRefused', { message: reply.message, rest: previous ? t('actRefusedKeeps', { v: previous }) : '' }),
  };
}

/** A model kind in words. */
export function kindWord(kind: NonNullable<ModelInfoDto['kind']>, lang: Lang = 'en'): string {
  return translator(outlookText, lang)(`kind_${kind}`);
}

export const kindLabel: Readonly<Record<NonNullable<ModelInfoDto['kind']>, string>> = {
  forecast: kindWord('forecast'),
  classifier: kindWord('classifier'),
  anomaly: kindWord('anomaly'),
};
