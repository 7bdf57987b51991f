/**
 * The KPI view's rows: each figure beside its target (EEMUA 191 / ISA-18.2) and whether it
 * meets it, in words as well as by mark. Pure.
 */
import type { AlarmKpisDto } from '../../preload/contract.js';

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

export function kpiRows(k: AlarmKpisDto): KpiRowView[] {
  const v = (ok: boolean, has = true): Verdict => (!has ? 'none' : ok ? 'ok' : 'over');
  const enough = k.activations >= MIN_ACTIVATIONS_FOR_SHARES;
  const shares = (['low', 'medium', 'high'] as const).map((p) => ({ p, share: k.priorities[p]?.share ?? 0, target: k.targets.priorityShare[p] }));
  const rows: KpiRowView[] = [
    { id: 'per10', label: 'Alarms per operator per 10 min', value: rate(k.perOperatorPer10Min), target: `≤ ${k.targets.per10Min}`, verdict: v(k.perOperatorPer10Min <= k.targets.per10Min) },
    { id: 'perHour', label: 'Alarms per operator per hour', value: rate(k.perOperatorPerHour), target: `≤ ${k.targets.perHour}`, verdict: v(k.perOperatorPerHour <= k.targets.perHour) },
    {
      id: 'flood',
      label: `10-minute periods in flood (> ${k.targets.floodPer10Min} new alarms)`,
      value: `${pct(k.floodShare)} (${k.floodPeriods} of ${k.periods})`,
      target: '< 1 %',
      verdict: v(k.floodShare < 0.01),
    },
    { id: 'peak', label: 'Peak alarms in 10 minutes', value: String(k.peakPer10Min), target: `≤ ${k.targets.floodPer10Min}`, verdict: v(k.peakPer10Min <= k.targets.floodPer10Min) },
    { id: 'top', label: 'Share of the load from the top 10 alarms', value: pct(k.topShare), target: '< 5 %', verdict: v(k.topShare < 0.05, enough) },
    { id: 'chattering', label: 'Chattering alarms (3+ activations in a minute)', value: String(k.chattering.length), target: '0', verdict: v(k.chattering.length === 0) },
    { id: 'stale', label: 'Stale alarms (active more than 24 h)', value: String(k.stale.length), target: '0 (≤ 5)', verdict: v(k.stale.length === 0) },
    { id: 'shelved', label: 'Shelved now', value: String(k.shelvedNow), target: 'few, each with a reason', verdict: 'none' },
    { id: 'oos', label: 'Out of service now', value: String(k.outOfServiceNow), target: 'few, each with a work order', verdict: 'none' },
    { id: 'suppressed', label: 'Suppressed by design now', value: String(k.suppressedNow), target: '—', verdict: 'none' },
    ...shares.map(({ p, share, target }) => ({
      id: `prio-${p}`,
      label: `Priority ${p} share of activations`,
      value: `${pct(share)} (${k.priorities[p]?.count ?? 0})`,
      target: `≈ ${pct(target)}`,
      verdict: v(p === 'low' ? share >= target - 0.15 : share <= target + 0.1, enough),
    })),
    {
      id: 'ack',
      label: `Acknowledged within ${formatDuration(k.acknowledge.ruleMs)}`,
      value: `${pct(k.acknowledge.withinRule)} (median ${formatDuration(k.acknowledge.medianMs)}, 90 % ${formatDuration(k.acknowledge.p90Ms)}, n = ${k.acknowledge.count})`,
      target: '100 %',
      verdict: v(k.acknowledge.withinRule === 1, k.acknowledge.withinRule !== null),
    },
    {
      id: 'resolve',
      label: `Resolved within ${formatDuration(k.resolve.ruleMs)}`,
      value: `${pct(k.resolve.withinRule)} (median ${formatDuration(k.resolve.medianMs)}, 90 % ${formatDuration(k.resolve.p90Ms)}, n = ${k.resolve.count})`,
      target: '100 %',
      verdict: v(k.resolve.withinRule === 1, k.resolve.withinRule !== null),
    },
  ];
  return rows;
}
