/**
 * The running plant: N substations on one simulated clock, stepped from a real-time timer
 * (simulated time = real time × speed, in sub-steps of at most one simulated second), with
 * the Modbus register images refreshed in bulk after every step. No sockets here.
 */
import { Substation } from './physics/substation.js';
import { defaultRampMs, faultKinds, type ActiveFault, type FaultKind } from './physics/faults.js';
import { temperatureSensors, type TemperatureSensor } from './physics/substation.js';
import { catalog, parseTagName, tagDefinition, type TagValue } from './catalog.js';
import { PlantRegisterMap } from './modbus/register-image.js';

export interface FaultSpec {
  kind: FaultKind;
  /** 1-based; default 1. */
  substation?: number;
  /** Simulated ms since the epoch; default: now. */
  startsAt?: number;
  /** 0..1 */
  severity: number;
  /** Pump 'P1'/'P2' for bearing wear (default P1), temperature tag for sensor drift (default HX.T_SEC_SUP). */
  target?: string;
  /** Simulated ms to reach full severity; default per kind (hours for fouling and wear). */
  rampMs?: number;
}

export interface PlantOptions {
  readonly substations: number;
  readonly seed: number;
  readonly startTime: number;
}

export class Plant {
  readonly substations: Substation[];
  readonly registers: PlantRegisterMap;
  speed = 1;
  private timer: NodeJS.Timeout | null = null;
  private lastWallMs = 0;
  /** Wall-clock time of the last step, for timestamps. */
  lastStepWallMs = Date.now();
  private readonly listeners = new Set<() => void>();

  constructor(options: PlantOptions) {
    this.substations = Array.from(
      { length: options.substations },
      (_, i) => new Substation({ seed: options.seed + i * 1009, startTime: options.startTime }),
    );
    this.registers = new PlantRegisterMap(this.substations);
  }

  simTime(): number {
    return this.substations[0]!.simTimeMs;
  }

  /** Step every `stepMs` of real time. The timer does not keep the process alive by itself. */
  start(stepMs: number, speed: number): void {
    this.speed = speed;
    this.stop();
    this.lastWallMs = performance.now();
    this.timer = setInterval(() => this.tick(), stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Advance by the real time elapsed since the last tick × speed. */
  tick(): void {
    const now = performance.now();
    // A paused process (debugger, suspend) must not make the plant jump by hours.
    const elapsedS = Math.min(5, (now - this.lastWallMs) / 1000);
    this.lastWallMs = now;
    this.advance(elapsedS * this.speed);
  }

  /** Advance simulated time by dt seconds (also used by tests to run the plant fast). */
  advance(dtS: number): void {
    if (dtS <= 0) return;
    for (const s of this.substations) s.step(dtS);
    this.registers.refreshAll();
    this.lastStepWallMs = Date.now();
    for (const listener of this.listeners) listener();
  }

  onStep(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private locate(tag: string): { substation: Substation; signal: string } | null {
    const parsed = parseTagName(tag);
    if (!parsed) return null;
    const substation = this.substations[parsed.substation - 1];
    return substation ? { substation, signal: parsed.signal } : null;
  }

  read(tag: string): TagValue | undefined {
    const at = this.locate(tag);
    if (!at) return undefined;
    return tagDefinition(at.signal)!.read(at.substation);
  }

  /** Write a setpoint by tag name; throws a RangeError naming the tag when refused. */
  write(tag: string, value: TagValue): void {
    const at = this.locate(tag);
    if (!at) throw new RangeError(`unknown tag ${tag}`);
    const def = tagDefinition(at.signal)!;
    if (!def.write) throw new RangeError(`${tag} is read-only`);
    if (typeof value === 'number') {
      const [lo, hi] = def.range;
      if (!Number.isFinite(value) || value < lo || value > hi)
        throw new RangeError(`${tag}: ${value} is outside ${lo}…${hi}`);
    }
    def.write(
      at.substation,
      def.kind === 'digital' ? (typeof value === 'boolean' ? value : value !== 0) : Number(value),
    );
    this.registers.refreshAll();
  }

  injectFault(spec: FaultSpec): ActiveFault {
    if (!faultKinds.includes(spec.kind))
      throw new RangeError(`unknown fault kind ${String(spec.kind)} (one of ${faultKinds.join(', ')})`);
    const index = spec.substation ?? 1;
    const substation = this.substations[index - 1];
    if (!substation) throw new RangeError(`substation ${index} does not exist (1…${this.substations.length})`);
    if (!Number.isFinite(spec.severity) || spec.severity < 0 || spec.severity > 1)
      throw new RangeError(`severity must be 0..1, got ${spec.severity}`);
    const target = normaliseTarget(spec.kind, spec.target);
    const fault: ActiveFault = {
      kind: spec.kind,
      startsAt: spec.startsAt ?? substation.simTimeMs,
      severity: spec.severity,
      rampMs: spec.rampMs ?? defaultRampMs[spec.kind],
      ...(target ? { target } : {}),
    };
    substation.faults = [...substation.faults, fault];
    return fault;
  }

  clearFaults(substation?: number): void {
    this.substations.forEach((s, i) => {
      if (substation === undefined || substation === i + 1) s.faults = [];
    });
  }

  get tagCount(): number {
    return catalog.length * this.substations.length;
  }
}

function normaliseTarget(kind: FaultKind, target: string | undefined): string | undefined {
  // Accept full tag names ("SS01.HX.T_SEC_SUP") as well as signals ("HX.T_SEC_SUP").
  const bare = target?.replace(/^SS\d{2,3}\./, '');
  if (kind === 'pump-bearing-wear') {
    const pump = (bare ?? 'P1').split('.')[0]!.toUpperCase();
    if (pump !== 'P1' && pump !== 'P2')
      throw new RangeError(`pump-bearing-wear target must be P1 or P2, got ${target}`);
    return pump;
  }
  if (kind === 'sensor-drift') {
    const sensor = bare ?? 'HX.T_SEC_SUP';
    if (!temperatureSensors.includes(sensor as TemperatureSensor)) {
      throw new RangeError(`sensor-drift target must be one of ${temperatureSensors.join(', ')}, got ${target}`);
    }
    return sensor;
  }
  return undefined;
}
