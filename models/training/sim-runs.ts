/**
 * Simulated runs for training and checking the built-in models: the substation physics
 * stepped directly (one-second sub-steps, as the running simulator does) in accelerated
 * simulated time, with faults injected at chosen times and severities. Every minute the
 * recorded signals are read through the simulator's own tag catalog; optionally the demo
 * project's conventional alarms run over the same run (the real alarm engine fed every
 * few seconds) to find when the plant's limit alarms would have fired.
 */
import { Substation } from '../../simulator/physics/substation.js';
import {
  defaultRampMs,
  faultKinds,
  faultLevel,
  type ActiveFault,
  type FaultKind,
} from '../../simulator/physics/faults.js';
import { tagDefinition } from '../../simulator/catalog.js';
import { AlarmEngine } from '../../main/runtime/alarms/alarm-engine.js';
import { projectAlarmDefinitions } from '../../main/runtime/alarms/alarm-definitions.js';
import type { ProjectConfig } from '../../main/runtime/config/schema.js';
import { GOOD, type Sample } from '../../protocols/driver.js';

/** Signals recorded every minute (tag names without the SS01 prefix). */
export const recordedSignals = [
  'OUT.T',
  'HC.T_SP',
  'HX.T_SEC_SUP',
  'HX.T_SEC_RET',
  'HX.T_PRI_SUP',
  'HX.T_PRI_RET',
  'HM.T_SUP',
  'HM.T_RET',
  'HM.POWER',
  'HM.FLOW',
  'HX.Q_SEC',
  'HX.UA',
  'HX.APPROACH',
  'HX.F_PRI',
  'CV.OUT',
  'CV.POS',
  'SEC.FLOW',
  'SEC.P_RET',
  'SEC.P_SUP',
  'EXP.LEVEL',
  'MU.FLOW',
  'P1.VIB',
  'P1.CURRENT',
  'P1.T_BEARING',
  'P1.T_MOTOR',
  'BLDG.T_IN',
  'HX.DP_PRI',
  'OUT.T_FC_1H',
  'OUT.T_FC_2H',
  'OUT.T_FC_3H',
  'OUT.T_FC_6H',
  'OUT.T_FC_12H',
  'OUT.T_FC_24H',
  'OUT.T_FC_MEAN24H',
  'OUT.FC_AGE',
] as const;

export const SUBSTATION_PREFIX = 'SS01';
export const PERIOD_S = 60;

export interface FaultPlan {
  readonly kind: FaultKind;
  /** Minutes after the run's start. */
  readonly startMin: number;
  readonly severity: number;
  readonly target?: string;
  readonly rampMin?: number;
}

export interface RunPlan {
  readonly id: string;
  readonly seed: number;
  /** Simulated start, ms since the epoch. */
  readonly startTime: number;
  readonly minutes: number;
  readonly faults: readonly FaultPlan[];
  /** Run the demo project's alarms over this run. */
  readonly alarms: boolean;
}

export interface AlarmActivation {
  readonly id: string;
  /** Minutes after the run's start. */
  readonly atMin: number;
}

export interface RunResult {
  readonly plan: RunPlan;
  /** Channel names: the recorded signals, then LEVEL.<fault kind> (how far each fault has developed, 0..1). */
  readonly channels: string[];
  /** [minutes, channels] row-major; row i is the plant at startTime + (i + 1) minutes. */
  readonly values: Float32Array;
  /** Times of the rows, ms since the epoch. */
  readonly times: Float64Array;
  readonly alarms: AlarmActivation[];
}

/** The controller's heartbeat watches communication, not the process. */
const isProcessAlarmTag = (tag: string): boolean => !tag.endsWith('.SYS.WATCHDOG');

function toValue(v: number | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export function simulateRun(plan: RunPlan, project: ProjectConfig | null): RunResult {
  const substation = new Substation({ seed: plan.seed, startTime: plan.startTime });
  const faults: ActiveFault[] = plan.faults.map((f) => ({
    kind: f.kind,
    startsAt: plan.startTime + f.startMin * 60_000,
    severity: f.severity,
    rampMs: f.rampMin !== undefined ? f.rampMin * 60_000 : defaultRampMs[f.kind],
    ...(f.target ? { target: f.target } : {}),
  }));
  substation.faults = faults;

  const readers = recordedSignals.map((signal) => {
    const def = tagDefinition(signal);
    if (!def) throw new Error(`sim-runs: ${signal} is not in the simulator's tag catalog`);
    return def;
  });
  const channels = [...recordedSignals, ...faultKinds.map((k) => `LEVEL.${k}`)];
  const width = channels.length;
  const values = new Float32Array(plan.minutes * width);
  const times = new Float64Array(plan.minutes);

  // Conventional alarms: the demo project's process alarms, fed every few seconds.
  const alarmEverySecond = 5;
  let engine: AlarmEngine | null = null;
  const latest = new Map<string, Sample>();
  let alarmTags: { tag: string; read: () => number | boolean }[] = [];
  const activations: AlarmActivation[] = [];
  if (plan.alarms && project) {
    const definitions = projectAlarmDefinitions(project).filter(
      (d) => d.source === 'tag' && d.tag !== null && isProcessAlarmTag(d.tag),
    );
    engine = new AlarmEngine(definitions, { now: () => substation.simTimeMs, sampleOf: (tag) => latest.get(tag) });
    const watched = new Set<string>();
    for (const d of definitions) {
      if (d.tag) watched.add(d.tag);
      if (d.config?.kind === 'deviation') watched.add(d.config.reference);
      if (d.suppressWhen) watched.add(d.suppressWhen.tag);
    }
    alarmTags = [...watched].flatMap((tag) => {
      const signal = tag.replace(/^SS\d{2,3}\./, '');
      const def = tagDefinition(signal);
      return def ? [{ tag, read: () => def.read(substation) }] : [];
    });
  }

  const feedAlarms = () => {
    if (!engine) return;
    const now = substation.simTimeMs;
    const samples: Sample[] = alarmTags.map(({ tag, read }) => ({
      tag,
      value: read(),
      quality: GOOD,
      sourceTime: now,
      receiveTime: now,
    }));
    for (const s of samples) latest.set(s.tag, s);
    engine.applySamples(samples);
    engine.tick();
    for (const r of engine.drain().records) {
      if (r.kind === 'activated') activations.push({ id: r.alarmId, atMin: (r.at - plan.startTime) / 60_000 });
    }
  };

  for (let minute = 0; minute < plan.minutes; minute++) {
    for (let s = 0; s < PERIOD_S; s++) {
      substation.step(1);
      if (engine && (s + 1) % alarmEverySecond === 0) feedAlarms();
    }
    const row = minute * width;
    for (let c = 0; c < readers.length; c++) values[row + c] = toValue(readers[c]!.read(substation));
    for (let k = 0; k < faultKinds.length; k++) {
      let level = 0;
      for (const f of faults)
        if (f.kind === faultKinds[k]) level = Math.max(level, faultLevel(f, substation.simTimeMs));
      values[row + readers.length + k] = level;
    }
    times[minute] = substation.simTimeMs;
  }
  return { plan, channels, values, times, alarms: activations };
}
