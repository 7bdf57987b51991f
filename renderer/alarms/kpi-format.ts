/**
 * The KPI view's rows: each figure beside its target (EEMUA 191 / ISA-18.2) and whether it
 * meets it, in words as well as by mark. Pure.
 */
import type { AlarmKpisDto } from '../../preload/contract.js';
import { defineMessages, translator, type Lang } from '../i18n/i18n.js';

export const kpiRowText = defineMessages(
  {
    per10: 'Alarms per operator per 10 min',
    perHour: 'Alarms per operator per hour',
    flood: '10-minute periods in flood (> {n} new alarms)',
    floodValue: '{share} ({periods} of {total})',
    peak: 'Peak alarms in 10 minutes',
    top: 'Share of the load from the top 10 alarms',
    chattering: 'Chattering alarms (3+ activations in a minute)',
    stale: 'Stale alarms (active more than 24 h)',
    shelved: 'Shelved now',
    shelvedTarget: 'few, each with a reason',
    oos: 'Out of service now',
    oosTarget: 'few, each with a work order',
    suppressed: 'Suppressed by design now',
    prio: 'Priority {p} share of activations',
    ack: 'Acknowledged within {d}',
    resolve: 'Resolved within {d}',
    spread: '{share} (median {median}, 90 % {p90}, n = {n})',
    low: 'low',
    medium: 'medium',
    high: 'high',
  },
  {
    per10: '每名操作员每 10 分钟报警数',
    perHour: '每名操作员每小时报警数',
    flood: '处于报警泛滥的 10 分钟时段(新报警 > {n})',
    floodValue: '{share}({total} 个中 {periods} 个)',
    peak: '10 分钟内报警峰值',
    top: '前 10 个报警占总量的比例',
    chattering: '振荡报警(1 分钟内激活 3 次以上)',
    stale: '陈旧报警(持续激活超过 24 小时)',
    shelved: '当前搁置',
    shelvedTarget: '少量,每个都有原因',
    oos: '当前退出服务',
    oosTarget: '少量,每个都有工单',
    suppressed: '当前按设计抑制',
    prio: '优先级“{p}”占激活的比例',
    ack: '{d} 内确认',
    resolve: '{d} 内恢复',
    spread: '{share}(中位数 {median},90 % {p90},n = {n})',
    low: '低',
    medium: '中',
    high: '高',
  },
);

export type Verdict = 'ok' | 'over' | 'none';

export interface KpiRowView {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: Verdict;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)} %`);
const rate = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(2));

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(0)} s`;
  const min = s / 60;
  if (min < 120) return `${min.toFixed(min < 10 ? 1 : 0)} min`;
  return `${(min / 60).toFixed(1)} h`;
}

/** Below this many activations, shares (top 10, priority distribution) say nothing yet. */
export const MIN_ACTIVATIONS_FOR_SHARES = 20;

export function kpiRows(k: AlarmKpisDto, lang: Lang = 'en'): KpiRowView[] {
  const t = translator(kpiRowText, lang);
  const v = (ok: boolean, has = true): Verdict => (!has ? 'none' : ok ? 'ok' : 'over');
  const enough = k.activations >= MIN_ACTIVATIONS_FOR_SHARES;
  const shares = (['low', 'medium', 'high'] as const).map((p) => ({
    p,
    share: k.priorities[p]?.share ?? 0,
    target: k.targets.priorityShare[p],
  }));
  const rows: KpiRowView[] = [
    {
      id: 'per10',
      label: t('per10'),
      value: rate(k.perOperatorPer10Min),
      target: `≤ ${k.targets.per10Min}`,
      verdict: v(k.perOperatorPer10Min <= k.targets.per10Min),
    },
    {
      id: 'perHour',
      label: t('perHour'),
      value: rate(k.perOperatorPerHour),
      target: `≤ ${k.targets.perHour}`,
      verdict: v(k.perOperatorPerHour <= k.targets.perHour),
    },
    {
      id: 'flood',
      label: t('flood', { n: k.targets.floodPer10Min }),
      value: t('floodValue', { share: pct(k.floodShare), periods: k.floodPeriods, total: k.periods }),
      target: '< 1 %',
      verdict: v(k.floodShare < 0.01),
    },
    {
      id: 'peak',
      label: t('peak'),
      value: String(k.peakPer10Min),
      target: `≤ ${k.targets.floodPer10Min}`,
      verdict: v(k.peakPer10Min <= k.targets.floodPer10Min),
    },
    { id: 'top', label: t('top'), value: pct(k.topShare), target: '< 5 %', verdict: v(k.topShare < 0.05, enough) },
    {
      id: 'chattering',
      label: t('chattering'),
      value: String(k.chattering.length),
      target: '0',
      verdict: v(k.chattering.length === 0),
    },
    {
      id: 'stale',
      label: t('stale'),
      value: String(k.stale.length),
      target: '0 (≤ 5)',
      verdict: v(k.stale.length === 0),
    },
    { id: 'shelved', label: t('shelved'), value: String(k.shelvedNow), target: t('shelvedTarget'), verdict: 'none' },
    { id: 'oos', label: t('oos'), value: String(k.outOfServiceNow), target: t('oosTarget'), verdict: 'none' },
    { id: 'suppressed', label: t('suppressed'), value: String(k.suppressedNow), target: '—', verdict: 'none' },
    ...shares.map(({ p, share, target }) => ({
      id: `prio-${p}`,
      label: t('prio', { p: t(p) }),
      value: `${pct(share)} (${k.priorities[p]?.count ?? 0})`,
      target: `≈ ${pct(target)}`,
      verdict: v(p === 'low' ? share >= target - 0.15 : share <= target + 0.1, enough),
    })),
    {
      id: 'ack',
      label: t('ack', { d: formatDuration(k.acknowledge.ruleMs) }),
      value: t('spread', {
        share: pct(k.acknowledge.withinRule),
        median: formatDuration(k.acknowledge.medianMs),
        p90: formatDuration(k.acknowledge.p90Ms),
        n: k.acknowledge.count,
      }),
      target: '100 %',
      verdict: v(k.acknowledge.withinRule === 1, k.acknowledge.withinRule !== null),
    },
    {
      id: 'resolve',
      label: t('resolve', { d: formatDuration(k.resolve.ruleMs) }),
      value: t('spread', {
        share: pct(k.resolve.withinRule),
        median: formatDuration(k.resolve.medianMs),
        p90: formatDuration(k.resolve.p90Ms),
        n: k.resolve.count,
      }),
      target: '100 %',
      verdict: v(k.resolve.withinRule === 1, k.resolve.withinRule !== null),
    },
  ];
  return rows;
}
