/**
 * Alarm system performance (EEMUA 191, ISA-18.2 §16) from the journal: rates per
 * operator, floods, the most frequent and the chattering alarms, priority distribution,
 * and how fast alarms were acknowledged and resolved against the plant's rules. Pure:
 * journal rows in, figures out.
 *
 * Only annunciated activations count: an activation while shelved, suppressed or out of
 * service was never shown to anyone (out-of-service alarms do not count toward rates).
 */
import type { AlarmKpisDto } from '../../../preload/contract.js';

export interface KpiRow {
  readonly at: number;
  readonly alarmId: string;
  readonly kind: string;
  readonly state: string;
  readonly priority: string;
  readonly message: string;
}

export interface KpiCurrent {
  readonly id: string;
  readonly state: string;
  readonly activeSince: number | null;
}

export interface KpiOptions {
  readonly from: number;
  readonly to: number;
  readonly operators: number;
  readonly ackWithinMs: number;
  readonly resolveWithinMs: number;
}

export type AlarmKpis = AlarmKpisDto;
type ResponseFigures = AlarmKpisDto['acknowledge'];

const TEN_MIN = 600_000;
const DAY = 86_400_000;
const hiddenStates = new Set(['shelved', 'suppressed', 'out-of-service']);

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function response(durations: number[], ruleMs: number): ResponseFigures {
  durations.sort((a, b) => a - b);
  return {
    count: durations.length,
    medianMs: quantile(durations, 0.5),
    p90Ms: quantile(durations, 0.9),
    withinRule: durations.length === 0 ? null : durations.filter((d) => d <= ruleMs).length / durations.length,
    ruleMs,
  };
}

export function computeKpis(
  rows: Iterable<KpiRow>,
  current: readonly KpiCurrent[],
  now: number,
  o: KpiOptions,
): AlarmKpis {
  const span = Math.max(1, o.to - o.from);
  const periods = Math.max(1, Math.ceil(span / TEN_MIN));
  const perPeriod = new Array<number>(periods).fill(0);
  const perAlarm = new Map<string, { message: string; times: number[] }>();
  const perPriority = new Map<string, number>();
  const openSince = new Map<string, number>();
  const ackDurations: number[] = [];
  const resolveDurations: number[] = [];
  const acked = new Set<string>();
  let activations = 0;

  for (const r of rows) {
    const annunciated = (r.kind === 'activated' || r.kind === 'realarmed') && !hiddenStates.has(r.state);
    if (annunciated) {
      activations++;
      const bucket = Math.min(periods - 1, Math.max(0, Math.floor((r.at - o.from) / TEN_MIN)));
      perPeriod[bucket]!++;
      const a = perAlarm.get(r.alarmId) ?? { message: r.message, times: [] };
      a.times.push(r.at);
      perAlarm.set(r.alarmId, a);
      perPriority.set(r.priority, (perPriority.get(r.priority) ?? 0) + 1);
      if (r.kind === 'activated') {
        openSince.set(r.alarmId, r.at);
        acked.delete(r.alarmId);
      }
    } else if (r.kind === 'acknowledged') {
      const since = openSince.get(r.alarmId);
      if (since !== undefined && !acked.has(r.alarmId)) {
        ackDurations.push(r.at - since);
        acked.add(r.alarmId);
      }
    } else if (r.kind === 'returned') {
      const since = openSince.get(r.alarmId);
      if (since !== undefined) {
        resolveDurations.push(r.at - since);
        openSince.delete(r.alarmId);
      }
    }
  }

  const ranked = [...perAlarm.entries()]
    .map(([id, a]) => ({ id, message: a.message, count: a.times.length }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  const top = ranked.slice(0, 10).map((a) => ({ ...a, share: activations === 0 ? 0 : a.count / activations }));
  const chattering: { id: string; maxPerMinute: number }[] = [];
  for (const [id, a] of perAlarm) {
    let max = 0;
    let start = 0;
    for (let end = 0; end < a.times.length; end++) {
      while (a.times[end]! - a.times[start]! > 60_000) start++;
      max = Math.max(max, end - start + 1);
    }
    if (max >= 3) chattering.push({ id, maxPerMinute: max });
  }
  chattering.sort((a, b) => b.maxPerMinute - a.maxPerMinute);

  const priorities: Record<string, { count: number; share: number }> = {};
  for (const p of ['critical', 'high', 'medium', 'low', 'diagnostic']) {
    const count = perPriority.get(p) ?? 0;
    priorities[p] = { count, share: activations === 0 ? 0 : count / activations };
  }
  const floodPeriods = perPeriod.filter((n) => n > 10).length;
  const operators = Math.max(1, o.operators);
  return {
    from: o.from,
    to: o.to,
    operators,
    activations,
    perOperatorPer10Min: activations / operators / (span / TEN_MIN),
    perOperatorPerHour: activations / operators / (span / 3_600_000),
    targets: { per10Min: 1, perHour: 5, floodPer10Min: 10, priorityShare: { low: 0.8, medium: 0.15, high: 0.05 } },
    floodShare: floodPeriods / periods,
    floodPeriods,
    periods,
    peakPer10Min: Math.max(0, ...perPeriod),
    top,
    topShare: top.reduce((s, a) => s + a.share, 0),
    chattering,
    stale: current
      .filter(
        (c) =>
          c.activeSince !== null && !hiddenStates.has(c.state) && c.state !== 'normal' && now - c.activeSince > DAY,
      )
      .map((c) => ({ id: c.id, activeSince: c.activeSince! })),
    shelvedNow: current.filter((c) => c.state === 'shelved').length,
    outOfServiceNow: current.filter((c) => c.state === 'out-of-service').length,
    suppressedNow: current.filter((c) => c.state === 'suppressed').length,
    priorities,
    acknowledge: response(ackDurations, o.ackWithinMs),
    resolve: response(resolveDurations, o.resolveWithinMs),
  };
}
