/**
 * bench:alarm-day — the demo project's alarm load over a fault-free simulated day, as
 * EEMUA 191 / ISA-18.2 KPIs: the simulator's physics at --speed 60 (a day in 24 real
 * minutes, run here at accelerated time), sampled as the station's drivers sample it,
 * the real AlarmEngine with assets/demo/plant.yaml's alarms, and the station's own
 * computeKpis. The day includes an operator's ordinary actions (duty pump rotation, pump
 * speed and heating curve changes). Also the same day at speed 1 (the real plant: alarm
 * timing in plant time). Prints one JSON line.
 *
 *   npm run bench:alarm-day [-- --seed 1]
 */
import { benchMeta } from './meta.js';
import { faultFreeDay, ordinaryDayOperations } from '../test/support/alarm-plant-run.js';
import type { AlarmKpis } from '../main/runtime/alarms/alarm-kpis.js';

const seedArg = process.argv.indexOf('--seed');
const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 1;

function figures(k: AlarmKpis) {
  return {
    window_min: Math.round((k.to - k.from) / 60_000),
    activations: k.activations,
    per_operator_per_10min: Number(k.perOperatorPer10Min.toFixed(3)),
    per_operator_per_hour: Number(k.perOperatorPerHour.toFixed(3)),
    peak_per_10min: k.peakPer10Min,
    flood_periods: k.floodPeriods,
    flood_share: k.floodShare,
    chattering: k.chattering.length,
    stale: k.stale.length,
    suppressed_now: k.suppressedNow,
    priorities: Object.fromEntries(Object.entries(k.priorities).map(([p, v]) => [p, v.count])),
    top: k.top.slice(0, 3).map((a) => ({ id: a.id, count: a.count })),
  };
}

const started = performance.now();
const fast = faultFreeDay({ speed: 60, seed });
const fastKpis = fast.kpis();
const real = faultFreeDay({ speed: 1, seed, sampleEveryS: 5 });
const realKpis = real.kpis();
const configured = fast.definitions.filter((d) => d.source === 'tag');

process.stdout.write(
  `${JSON.stringify({
    bench: 'alarm-day',
    ...benchMeta(
      `demo project SS01, fault-free simulated day (seed ${seed}, from 2025-01-10 00:00 UTC), ${ordinaryDayOperations.length} operator actions; real physics, real AlarmEngine, computeKpis`,
    ),
    alarms_configured: configured.length,
    alarms_configured_by_priority: Object.fromEntries(
      ['critical', 'high', 'medium', 'low', 'diagnostic'].map((p) => [
        p,
        configured.filter((d) => d.priority === p).length,
      ]),
    ),
    speed_60: { sample_every_s: 'PLC 15, OPC UA 30 (250/500 ms real)', ...figures(fastKpis) },
    speed_1: { sample_every_s: 5, ...figures(realKpis) },
    targets: {
      per_operator_per_10min: fastKpis.targets.per10Min,
      per_operator_per_hour: fastKpis.targets.perHour,
      flood_per_10min: fastKpis.targets.floodPer10Min,
    },
    run_ms: Math.round(performance.now() - started),
  })}\n`,
);
