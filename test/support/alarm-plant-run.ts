/**
 * The demo project's alarms on the simulated plant, at accelerated time: the real physics
 * (simulator Plant) stepped directly, sampled as the station's drivers would sample it,
 * and fed to the real AlarmEngine with the definitions of assets/demo/plant.yaml.
 *
 * `speed` is the simulator's --speed: the station's clock (alarm delays, rate windows,
 * frozen times, the KPI periods) runs in real time while the plant runs `speed` times
 * faster, and the drivers poll every `pollMs` of real time — so at --speed 60 a PLC tag
 * polled every 250 ms is sampled every 15 simulated seconds. Speed 1 is the real plant.
 * Values pass through the encoding of their Modbus register (int16 ×100 keeps hundredths,
 * float32 a float's precision) as the driver would read them.
 */
import { readFileSync } from 'node:fs';
import type { Sample } from '../../protocols/driver.js';
import { parseProject } from '../../main/runtime/config/load-project.js';
import type { ProjectConfig, TagConfig } from '../../main/runtime/config/schema.js';
import { projectAlarmDefinitions, type AlarmDefinition } from '../../main/runtime/alarms/alarm-definitions.js';
import { AlarmEngine, type AlarmRecord } from '../../main/runtime/alarms/alarm-engine.js';
import { computeKpis, type AlarmKpis } from '../../main/runtime/alarms/alarm-kpis.js';
import { alarmSettingsSchema } from '../../main/runtime/alarms/alarm-config.js';
import { displayState } from '../../main/runtime/alarms/alarm-state-machine.js';
import { Plant, type FaultSpec } from '../../simulator/plant.js';
import { catalogForSubstation, type SubstationTag } from '../../simulator/catalog.js';
import type { Substation } from '../../simulator/physics/substation.js';

export const demoProjectFile = new URL('../../assets/demo/plant.yaml', import.meta.url).pathname;

let cachedProject: ProjectConfig | null = null;
/** The demo project as the station loads it (validated, cross references checked). */
export function loadDemoProject(): ProjectConfig {
  return (cachedProject ??= parseProject(readFileSync(demoProjectFile, 'utf8'), demoProjectFile));
}

export interface AlarmPlantRunOptions {
  /** Simulator seed (weather and noise). Default 1. */
  readonly seed?: number;
  /** Simulated start, ms since the epoch. Default 2025-01-10 00:00 UTC (mid-winter). */
  readonly startTime?: number;
  /** Simulated seconds per real second (the simulator's --speed). Default 1. */
  readonly speed?: number;
  /**
   * Seconds of simulated time between two samples of a tag. Default: each device's own
   * interval (pollMs / samplingMs) × speed. A coarser step runs faster; alarm delays are
   * still honoured to the step.
   */
  readonly sampleEveryS?: number;
  readonly project?: ProjectConfig;
}

interface Feed {
  readonly tag: TagConfig;
  readonly source: SubstationTag;
  readonly encode: (v: number) => number;
}

/** What a driver reads back from the register the tag lives in. */
function encoderOf(tag: TagConfig): (v: number) => number {
  const m = tag.modbus;
  if (!m) return (v) => v;
  if (m.type === 'float32') return (v) => Math.fround(v);
  const scale = tag.scale;
  if (scale && 'raw' in scale && scale.raw && scale.eng) {
    const step = (scale.eng[1] - scale.eng[0]) / (scale.raw[1] - scale.raw[0]);
    return (v) => Math.round(v / step) * step;
  }
  return (v) => Math.round(v);
}

export interface ActivationRecord extends AlarmRecord {
  /** Simulated time of the record, ms since the epoch. */
  readonly simAt: number;
}

export class AlarmPlantRun {
  readonly plant: Plant;
  readonly engine: AlarmEngine;
  readonly project: ProjectConfig;
  readonly definitions: readonly AlarmDefinition[];
  readonly speed: number;
  /** Every record the engine produced, with the simulated time it happened at. */
  readonly records: ActivationRecord[] = [];
  private readonly startSim: number;
  private readonly startClock: number;
  private readonly groups: { everyS: number; nextAt: number; feeds: Feed[] }[];
  private readonly latest = new Map<string, Sample>();
  private readonly offline = new Set<string>();

  constructor(options: AlarmPlantRunOptions = {}) {
    this.project = options.project ?? loadDemoProject();
    this.speed = options.speed ?? 1;
    const startTime = options.startTime ?? Date.UTC(2025, 0, 10);
    this.plant = new Plant({ substations: 1, seed: options.seed ?? 1, startTime });
    this.startSim = this.plant.simTime();
    this.startClock = this.startSim;
    this.definitions = projectAlarmDefinitions(this.project);
    this.engine = new AlarmEngine(this.definitions, { now: () => this.now(), sampleOf: (tag) => this.latest.get(tag) });

    const sources = new Map(catalogForSubstation(1).map((t) => [t.name, t]));
    const byInterval = new Map<number, Feed[]>();
    for (const tag of this.project.tags) {
      const source = sources.get(tag.name);
      if (!source) throw new Error(`${tag.name} is in the demo project but not in the simulator catalog`);
      const device = this.project.devices.find((d) => d.name === tag.device)!;
      const intervalMs =
        tag.intervalMs ??
        ('pollMs' in device && device.pollMs
          ? device.pollMs
          : 'samplingMs' in device && device.samplingMs
            ? device.samplingMs
            : 1000);
      const everyS = options.sampleEveryS ?? (intervalMs / 1000) * this.speed;
      const list = byInterval.get(everyS) ?? [];
      list.push({ tag, source, encode: encoderOf(tag) });
      byInterval.set(everyS, list);
    }
    this.groups = [...byInterval.entries()].map(([everyS, feeds]) => ({ everyS, nextAt: 0, feeds }));
    for (const device of this.project.devices) this.engine.deviceConnected(device.name, true);
    this.sampleDue(true);
    this.collect();
  }

  /** The station's clock: real time, which passes `speed` times slower than the plant's. */
  now(): number {
    return this.startClock + (this.plant.simTime() - this.startSim) / this.speed;
  }

  /** Simulated seconds since the start. */
  get elapsedS(): number {
    return (this.plant.simTime() - this.startSim) / 1000;
  }

  get substation(): Substation {
    return this.plant.substations[0]!;
  }

  injectFault(spec: Omit<FaultSpec, 'substation' | 'startsAt'>): void {
    this.plant.injectFault({ ...spec, substation: 1, startsAt: this.plant.simTime() });
  }

  /** A device stops answering: its tags turn Bad (as the driver reports them) and it is reported disconnected. */
  deviceOffline(device: string): void {
    this.offline.add(device);
    const now = this.now();
    const samples: Sample[] = [];
    for (const tag of this.project.tags) {
      if (tag.device !== device) continue;
      const last = this.latest.get(tag.name);
      const sample: Sample = {
        tag: tag.name,
        value: last?.value ?? null,
        quality: { code: 'Bad', reason: `communication lost: ${device}` },
        sourceTime: last?.sourceTime ?? now,
        receiveTime: now,
      };
      this.latest.set(tag.name, sample);
      samples.push(sample);
    }
    this.engine.applySamples(samples);
    this.engine.deviceConnected(device, false);
    this.collect();
  }

  /**
   * Run the plant for `seconds` of simulated time, sampling and evaluating as it goes.
   * `until` is asked after every sampling step; returning true stops the run early.
   */
  run(seconds: number, until?: (run: this) => boolean): void {
    const end = this.elapsedS + seconds;
    const step = Math.min(...this.groups.map((g) => g.everyS));
    while (this.elapsedS < end - 1e-9) {
      this.plant.advance(Math.min(step, end - this.elapsedS));
      this.sampleDue(false);
      this.engine.tick();
      this.collect();
      if (until?.(this)) return;
    }
  }

  private sampleDue(all: boolean): void {
    const t = this.elapsedS;
    const now = this.now();
    const samples: Sample[] = [];
    for (const g of this.groups) {
      if (!all && t + 1e-9 < g.nextAt) continue;
      g.nextAt = t + g.everyS;
      for (const f of g.feeds) {
        if (this.offline.has(f.tag.device)) continue;
        const raw = f.source.definition.read(this.substation);
        const value = typeof raw === 'boolean' ? raw : f.encode(raw);
        const sample: Sample = { tag: f.tag.name, value, quality: { code: 'Good' }, sourceTime: now, receiveTime: now };
        this.latest.set(f.tag.name, sample);
        samples.push(sample);
      }
    }
    if (samples.length > 0) this.engine.applySamples(samples);
  }

  private collect(): void {
    const simAt = this.plant.simTime();
    for (const r of this.engine.drain().records) this.records.push({ ...r, simAt });
  }

  /** Annunciated activations (what an operator hears), optionally for some alarm ids only. */
  activations(ids?: readonly string[]): ActivationRecord[] {
    return this.records.filter(
      (r) =>
        (r.kind === 'activated' || r.kind === 'realarmed') &&
        (!ids || ids.includes(r.alarmId)) &&
        !['shelved', 'suppressed', 'out-of-service'].includes(r.state),
    );
  }

  definition(id: string): AlarmDefinition {
    const def = this.definitions.find((d) => d.id === id);
    if (!def) throw new Error(`no alarm ${id} in the demo project`);
    return def;
  }

  /** EEMUA 191 figures over the run, on the station's clock, from the engine's records. */
  kpis(): AlarmKpis {
    const settings = this.project.alarmSettings ?? alarmSettingsSchema.parse({});
    const byId = new Map(this.definitions.map((d) => [d.id, d]));
    const rows = this.records.map((r) => ({
      at: r.at,
      alarmId: r.alarmId,
      kind: r.kind,
      state: r.state,
      priority: byId.get(r.alarmId)!.priority,
      message: byId.get(r.alarmId)!.message.en,
    }));
    const current = [...this.engine.all()].map((s) => ({
      id: s.def.id,
      state: displayState(s.state),
      activeSince: s.state.activeSince,
    }));
    return computeKpis(rows, current, this.now(), {
      from: this.startClock,
      to: this.now(),
      operators: settings.operators,
      ackWithinMs: settings.ackWithinMin * 60_000,
      resolveWithinMs: settings.resolveWithinMin * 60_000,
    });
  }
}

/** What an operator does on an ordinary day: rotate the duty pump, change pump speed and the heating curve. */
export const ordinaryDayOperations: readonly { readonly atH: number; readonly tag: string; readonly value: number }[] =
  [
    { atH: 6, tag: 'SS01.SEC.DUTY_SEL', value: 2 },
    { atH: 9, tag: 'SS01.SEC.SPEED_SP', value: 100 },
    { atH: 12, tag: 'SS01.HC.OFFSET', value: 5 },
    { atH: 15, tag: 'SS01.SEC.SPEED_SP', value: 40 },
    { atH: 16, tag: 'SS01.HC.OFFSET', value: -5 },
    { atH: 18, tag: 'SS01.HC.OFFSET', value: 0 },
    { atH: 19, tag: 'SS01.SEC.SPEED_SP', value: 80 },
    { atH: 20, tag: 'SS01.SEC.DUTY_SEL', value: 1 },
  ];

/** A fault-free simulated day with the ordinary operations, alarms evaluated as the station would. */
export function faultFreeDay(options: AlarmPlantRunOptions = {}): AlarmPlantRun {
  const run = new AlarmPlantRun(options);
  let hour = 0;
  for (const op of ordinaryDayOperations) {
    run.run((op.atH - hour) * 3600);
    hour = op.atH;
    run.plant.write(op.tag, op.value);
  }
  run.run((24 - hour) * 3600);
  return run;
}
