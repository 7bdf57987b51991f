/**
 * One district-heating substation, stepped by dt. No I/O: the servers read its fields and
 * write its settings. Physics in order each step: weather → heating curve → PID → valve
 * actuator → primary flow → pumps → plate heat exchanger → supply/return lags → building
 * → water inventory, expansion tank and make-up → meters and alarms.
 */
import { createRandom, gaussian, ouStep } from './prng.js';
import { Weather, defaultWeather, type WeatherForecast } from './weather.js';
import { defaultHeatingCurve, supplySetpointC, type HeatingCurve } from './heating-curve.js';
import { Pid } from './pid.js';
import { actuatorStep, defaultValve, valveFlow } from './valve.js';
import { capacityRate, heatExchanger } from './heat-exchanger.js';
import { circulationPump, pumpOperatingPoint, rampSpeed } from './pumps.js';
import { levelOf, type ActiveFault } from './faults.js';

/** Design figures of the station. */
export const design = {
  heatLoadKw: 1500,
  /** Outdoor temperature the heat load is designed for, °C. */
  outdoorDesignC: -10,
  indoorC: 20,
  /** Clean heat-exchanger conductance, kW/K (≈12 % margin over the design duty). */
  uaCleanKwK: 100,
  /** Differential pressure the primary network offers across the valve, bar. */
  primaryDpBar: 1.2,
  primarySupplyPressureBar: 6.0,
  secondaryVolumeM3: 20,
  tankVolumeM3: 1.0,
  tankPrechargeBarG: 1.0,
  reliefBarG: 3.0,
  makeupFlowM3h: 1.2,
  makeupPumpKw: 0.75,
  baseLossM3h: 0.002,
  /** Leak flow at full severity and 2 bar, m³/h: more than the make-up pump can replace. */
  leakAtFullSeverityM3h: 2.5,
  auxiliaryKw: 0.4,
  vibrationTripMmS: 11.2,
  vibrationTripDelayS: 10,
} as const;

const ATM_BAR = 1.013;
const EXPANSION_PER_K = 0.0004;
/** Radiator exponent: heat output ∝ (mean water − room)^n. */
const RADIATOR_EXPONENT = 1.3;
const HEAT_LOSS_KW_K = design.heatLoadKw / (design.indoorC - design.outdoorDesignC);
const RADIATOR_K = design.heatLoadKw / Math.pow(60 - design.indoorC, RADIATOR_EXPONENT);
/** Building thermal mass: a 40 h time constant. */
const BUILDING_CAPACITY_KJ_K = HEAT_LOSS_KW_K * 40 * 3600;

export interface SubstationSettings {
  curve: HeatingCurve;
  valveAuto: boolean;
  valveManualPct: number;
  pidKp: number;
  pidTiS: number;
  pumpSpeedSetpointPct: number;
  dutyPump: 1 | 2;
  makeupPressureSetpointBar: number;
  makeupHysteresisBar: number;
}

export class PumpState {
  auto = true;
  running = false;
  fault = false;
  speedPct = 0;
  flowM3h = 0;
  headM = 0;
  powerKw = 0;
  currentA = 0;
  frequencyHz = 0;
  vibrationMmS = 0;
  motorTempC = 30;
  bearingTempC = 30;
  runHours = 0;
  starts = 0;
  energyKwh = 0;
  private overVibrationS = 0;
  constructor(readonly name: 'P1' | 'P2') {}

  get ready(): boolean {
    return this.auto && !this.fault;
  }

  resetFault(): void {
    this.fault = false;
    this.overVibrationS = 0;
  }

  /** Returns true when the pump trips on vibration during this step. */
  step(
    command: boolean,
    speedSetpointPct: number,
    wear: number,
    ambientC: number,
    dtS: number,
    noise: () => number,
  ): boolean {
    const shouldRun = command && this.ready;
    if (shouldRun && !this.running) this.starts++;
    this.running = shouldRun;
    this.speedPct = rampSpeed(this.speedPct, this.running ? speedSetpointPct : 0, dtS, circulationPump);
    const op = pumpOperatingPoint(circulationPump, this.speedPct, wear);
    this.flowM3h = op.flowM3h;
    this.headM = op.headM;
    this.powerKw = op.powerKw;
    this.currentA = op.currentA;
    this.frequencyHz = op.frequencyHz;
    this.vibrationMmS = Math.max(0, op.vibrationMmS * (1 + 0.03 * noise()));
    // Winding and bearing temperatures settle over ~20 min towards load- and wear-driven rises.
    const k = 1 - Math.exp(-dtS / 1200);
    const motorTarget = ambientC + 45 * Math.pow(op.currentA / circulationPump.ratedCurrentA, 2);
    const bearingTarget = ambientC + (this.speedPct / 100) * (18 + 40 * wear);
    this.motorTempC += (motorTarget - this.motorTempC) * k;
    this.bearingTempC += (bearingTarget - this.bearingTempC) * k;
    if (this.running) this.runHours += dtS / 3600;
    this.energyKwh += (this.powerKw * dtS) / 3600;
    if (this.running && this.vibrationMmS > design.vibrationTripMmS) this.overVibrationS += dtS;
    else this.overVibrationS = 0;
    if (this.overVibrationS >= design.vibrationTripDelayS) {
      this.fault = true;
      this.running = false;
      return true;
    }
    return false;
  }
}

/** Measured temperatures by sensor (the tag signal names); sensor drift offsets one of them. */
export type TemperatureSensor =
  'OUT.T' | 'HX.T_PRI_SUP' | 'HX.T_PRI_RET' | 'HX.T_SEC_SUP' | 'HX.T_SEC_RET' | 'HM.T_SUP' | 'HM.T_RET' | 'BLDG.T_IN';
export const temperatureSensors: readonly TemperatureSensor[] = [
  'OUT.T',
  'HX.T_PRI_SUP',
  'HX.T_PRI_RET',
  'HX.T_SEC_SUP',
  'HX.T_SEC_RET',
  'HM.T_SUP',
  'HM.T_RET',
  'BLDG.T_IN',
];
/** Drift at full severity, K (reads high). */
export const SENSOR_DRIFT_FULL_K = 8;

export interface SubstationOptions {
  readonly seed: number;
  readonly startTime: number;
}

export class Substation {
  simTimeMs: number;
  readonly settings: SubstationSettings = {
    curve: { ...defaultHeatingCurve },
    valveAuto: true,
    valveManualPct: 30,
    pidKp: 2.5,
    pidTiS: 90,
    pumpSpeedSetpointPct: 80,
    dutyPump: 1,
    makeupPressureSetpointBar: 1.8,
    makeupHysteresisBar: 0.3,
  };
  faults: ActiveFault[] = [];

  // True process values.
  outdoorC = 0;
  supplySetpointC = 60;
  primarySupplyC = 100;
  primaryReturnC = 50;
  primaryFlowM3h = 0;
  primaryDpBar: number = design.primaryDpBar;
  secondarySupplyC = 60;
  secondaryReturnC = 45;
  secondaryFlowM3h = 0;
  hxOutletSecondaryC = 60;
  dutyKw = 0;
  uaKwK: number = design.uaCleanKwK;
  effectiveness = 0;
  indoorC: number = design.indoorC;
  buildingHeatKw = 0;
  /** What the building loses to outdoors at the current indoor temperature, kW. */
  buildingLossKw = 0;
  valveCommandPct = 30;
  valvePositionPct = 30;
  readonly pid: Pid;
  readonly pumps: [PumpState, PumpState] = [new PumpState('P1'), new PumpState('P2')];
  staticPressureBar = 2;
  supplyPressureBar = 4;
  hxSecondaryDropBar = 0;
  waterInventoryM3 = 0;
  tankLevelPct = 35;
  makeupRunning = false;
  makeupFlowM3h = 0;
  makeupStarts = 0;
  makeupTotalM3 = 0;
  makeupRunS = 0;
  leakFlowM3h = 0;
  reliefFlowM3h = 0;
  heatMeterPowerKw = 0;
  heatMeterEnergyMWh = 0;
  heatMeterVolumeM3 = 0;
  heatMeterFlowM3h = 0;
  electricPowerKw = 0;
  electricEnergyKwh = 0;
  phaseVoltages: [number, number, number] = [400, 400, 400];
  electricCurrentA = 0;
  powerFactor = 0.9;
  gridHz = 50;
  cabinetC = 24;
  uptimeS = 0;
  watchdog = 0;
  /** Measured temperatures (true value + noise + drift). */
  readonly measured: Record<TemperatureSensor, number> = {
    'OUT.T': 0,
    'HX.T_PRI_SUP': 0,
    'HX.T_PRI_RET': 0,
    'HX.T_SEC_SUP': 0,
    'HX.T_SEC_RET': 0,
    'HM.T_SUP': 0,
    'HM.T_RET': 0,
    'BLDG.T_IN': 0,
  };
  measuredSecondaryFlowM3h = 0;
  measuredPrimaryFlowM3h = 0;
  /** Seconds the valve position has disagreed with its command by more than 10 %. */
  valveDeviationS = 0;

  private readonly weather: Weather;
  private readonly noise: () => number;
  private readonly sensorWander: Record<TemperatureSensor, number>;
  private watchdogAccumulatorS = 0;
  private dpWander = 0;

  constructor(options: SubstationOptions) {
    this.simTimeMs = options.startTime;
    const noiseRandom = createRandom(options.seed * 104729 + 2);
    this.noise = () => gaussian(noiseRandom);
    this.weather = new Weather(defaultWeather, options.seed * 7919 + 1, options.startTime);
    this.sensorWander = Object.fromEntries(temperatureSensors.map((s) => [s, 0])) as Record<TemperatureSensor, number>;
    this.pid = new Pid({ kp: this.settings.pidKp, tiS: this.settings.pidTiS, tdS: 0, outMin: 0, outMax: 100 });
    // Start filled so the tank sits at about a third at the initial temperatures.
    this.outdoorC = this.weather.outdoorC(this.simTimeMs);
    this.supplySetpointC = supplySetpointC(this.settings.curve, this.outdoorC);
    this.secondarySupplyC = this.supplySetpointC;
    this.secondaryReturnC = this.supplySetpointC - 15;
    const meanC = (this.secondarySupplyC + this.secondaryReturnC) / 2;
    this.waterInventoryM3 =
      (design.secondaryVolumeM3 + 0.35 * design.tankVolumeM3) / (1 + EXPANSION_PER_K * (meanC - 10));
    this.pid.track(this.valveCommandPct, this.secondarySupplyC, this.supplySetpointC);
    // Let the plant settle (an hour at frozen time) so the first values are already steady.
    for (let i = 0; i < 3600; i++) this.advance(1, false);
    this.heatMeterEnergyMWh = 1000 + (options.seed % 97) * 13.7;
    this.electricEnergyKwh = 20000 + (options.seed % 89) * 211;
    this.pumps[0].runHours = 8000 + (options.seed % 13) * 310;
    this.pumps[1].runHours = 7000 + (options.seed % 11) * 290;
    this.pumps[0].starts = 400 + (options.seed % 17);
    this.pumps[1].starts = 380 + (options.seed % 19);
  }

  /** The weather service's latest outdoor temperature forecast (issued hourly). */
  get weatherForecast(): WeatherForecast {
    return this.weather.forecast;
  }

  /** Advance simulated time by dt seconds, in sub-steps of at most maxStepS for stability. */
  step(dtS: number, maxStepS = 1): void {
    const n = Math.max(1, Math.ceil(dtS / maxStepS));
    const h = dtS / n;
    for (let i = 0; i < n; i++) this.advance(h, true);
  }

  private level(kind: ActiveFault['kind'], target?: string): number {
    return this.faults.length === 0 ? 0 : levelOf(this.faults, kind, this.simTimeMs, target);
  }

  private advance(dtS: number, moveClock: boolean): void {
    const s = this.settings;
    if (moveClock) {
      this.simTimeMs += dtS * 1000;
      this.weather.step(dtS);
      this.uptimeS += dtS;
      this.watchdogAccumulatorS += dtS;
      while (this.watchdogAccumulatorS >= 1) {
        this.watchdogAccumulatorS -= 1;
        this.watchdog = (this.watchdog + 1) & 0xffff;
      }
    }
    this.outdoorC = this.weather.outdoorC(this.simTimeMs);

    // Primary network: supply follows the utility's own outdoor curve (110 °C at −10, 75 °C at +15).
    const networkSupply = Math.min(115, Math.max(75, 110 - ((this.outdoorC + 10) * 35) / 25));
    this.primarySupplyC += (networkSupply - this.primarySupplyC) * (1 - Math.exp(-dtS / 1800));
    this.dpWander = ouStep(this.dpWander, dtS, 600, 0.05, this.noise);
    this.primaryDpBar = Math.max(0.4, design.primaryDpBar + this.dpWander - 0.0);

    // Sensors read before the controller acts on them.
    this.readSensors(dtS);

    // Control: heating curve → PID on the measured supply temperature → valve command.
    this.supplySetpointC = supplySetpointC(s.curve, this.outdoorC);
    this.pid.params.kp = s.pidKp;
    this.pid.params.tiS = s.pidTiS;
    const measuredSupply = this.measured['HX.T_SEC_SUP'];
    if (s.valveAuto) this.valveCommandPct = this.pid.step(this.supplySetpointC, measuredSupply, dtS);
    else {
      this.valveCommandPct = Math.min(100, Math.max(0, s.valveManualPct));
      this.pid.track(this.valveCommandPct, measuredSupply, this.supplySetpointC);
    }

    // Valve actuator; a sticking stem moves slower and only past a dead band, a stuck one not at all.
    const stuck = this.level('stuck-valve');
    const error = this.valveCommandPct - this.valvePositionPct;
    if (stuck < 1 && Math.abs(error) > stuck * 20) {
      const moved = actuatorStep(this.valvePositionPct, this.valveCommandPct, dtS, defaultValve);
      this.valvePositionPct += (moved - this.valvePositionPct) * (1 - stuck);
    }
    this.valveDeviationS = Math.abs(this.valveCommandPct - this.valvePositionPct) > 10 ? this.valveDeviationS + dtS : 0;
    this.primaryFlowM3h = valveFlow(this.valvePositionPct, this.primaryDpBar, defaultValve);

    // Circulation pumps: duty runs if ready, otherwise the standby takes over.
    const duty = this.pumps[s.dutyPump - 1]!;
    const standby = this.pumps[2 - s.dutyPump]!;
    const runDuty = duty.ready;
    const ambient = this.cabinetC;
    for (const pump of this.pumps) {
      const command = pump === duty ? runDuty : !runDuty && pump.ready;
      pump.step(command, s.pumpSpeedSetpointPct, this.level('pump-bearing-wear', pump.name), ambient, dtS, this.noise);
    }
    void standby;
    this.secondaryFlowM3h = this.pumps[0].flowM3h + this.pumps[1].flowM3h;
    const pumpHeadM = Math.max(this.pumps[0].headM, this.pumps[1].headM);

    // Heat exchanger, fouling lowering UA.
    this.uaKwK = design.uaCleanKwK * (1 - 0.6 * this.level('hx-fouling'));
    const cPrimary = capacityRate(this.primaryFlowM3h);
    const cSecondary = capacityRate(this.secondaryFlowM3h);
    const hx = heatExchanger({
      primaryInC: this.primarySupplyC,
      secondaryInC: this.secondaryReturnC,
      primaryCapacity: cPrimary,
      secondaryCapacity: cSecondary,
      ua: this.uaKwK,
    });
    this.dutyKw = hx.dutyKw;
    this.effectiveness = hx.effectiveness;
    this.primaryReturnC =
      cPrimary > 1e-6
        ? hx.primaryOutC
        : this.primaryReturnC + (this.secondaryReturnC - this.primaryReturnC) * (1 - Math.exp(-dtS / 600));
    this.hxOutletSecondaryC = hx.secondaryOutC;

    // Supply pipe and sensor pocket: a 20 s lag (only while water moves).
    if (cSecondary > 1e-6)
      this.secondarySupplyC += (this.hxOutletSecondaryC - this.secondarySupplyC) * (1 - Math.exp(-dtS / 20));
    else this.secondarySupplyC += (this.indoorC + 5 - this.secondarySupplyC) * (1 - Math.exp(-dtS / 3600));

    // Building: radiators give heat by the mean water temperature; the return comes back after ~90 s.
    let heat = 0;
    if (cSecondary > 1e-6) {
      const excess = this.secondarySupplyC - this.indoorC;
      for (let i = 0; i < 6; i++) {
        const mean = this.secondarySupplyC - heat / (2 * cSecondary);
        heat = RADIATOR_K * Math.pow(Math.max(0, mean - this.indoorC), RADIATOR_EXPONENT);
        heat = Math.min(heat, Math.max(0, excess) * cSecondary);
      }
      const returnTarget = this.secondarySupplyC - heat / cSecondary;
      this.secondaryReturnC += (returnTarget - this.secondaryReturnC) * (1 - Math.exp(-dtS / 90));
    } else {
      this.secondaryReturnC += (this.indoorC + 3 - this.secondaryReturnC) * (1 - Math.exp(-dtS / 3600));
    }
    this.buildingHeatKw = heat;
    this.buildingLossKw = HEAT_LOSS_KW_K * (this.indoorC - this.outdoorC);
    const internalGainsKw = 0.05 * design.heatLoadKw;
    this.indoorC += ((heat + internalGainsKw - this.buildingLossKw) * dtS) / BUILDING_CAPACITY_KJ_K;

    this.stepWaterInventory(dtS, pumpHeadM);
    this.stepMeters(dtS);
  }

  private stepWaterInventory(dtS: number, pumpHeadM: number): void {
    const s = this.settings;
    const meanC = (this.secondarySupplyC + this.secondaryReturnC) / 2;
    const waterVolume = this.waterInventoryM3 * (1 + EXPANSION_PER_K * (meanC - 10));
    const inTank = waterVolume - design.secondaryVolumeM3;
    const prechargeAbs = design.tankPrechargeBarG + ATM_BAR;
    let pressure: number;
    if (inTank >= 0) {
      const gas = Math.max(0.02 * design.tankVolumeM3, design.tankVolumeM3 - inTank);
      pressure = (prechargeAbs * design.tankVolumeM3) / gas - ATM_BAR;
    } else {
      // Tank empty: the rigid system loses pressure fast as water goes.
      pressure = design.tankPrechargeBarG + inTank * 20;
    }
    this.staticPressureBar = Math.max(0, pressure);
    this.tankLevelPct = Math.min(100, Math.max(0, (inTank / design.tankVolumeM3) * 100));

    // Make-up pump: pressure-controlled with hysteresis.
    const startBelow = s.makeupPressureSetpointBar - s.makeupHysteresisBar / 2;
    const stopAbove = s.makeupPressureSetpointBar + s.makeupHysteresisBar / 2;
    if (!this.makeupRunning && this.staticPressureBar < startBelow) {
      this.makeupRunning = true;
      this.makeupStarts++;
    } else if (this.makeupRunning && this.staticPressureBar > stopAbove) this.makeupRunning = false;
    this.makeupRunS = this.makeupRunning ? this.makeupRunS + dtS : 0;
    this.makeupFlowM3h = this.makeupRunning
      ? design.makeupFlowM3h * (1 - 0.1 * Math.min(1, this.staticPressureBar / 4))
      : 0;

    const leak = this.level('secondary-leak');
    this.leakFlowM3h = design.baseLossM3h + leak * design.leakAtFullSeverityM3h * Math.sqrt(this.staticPressureBar / 2);
    this.reliefFlowM3h = Math.max(0, this.staticPressureBar - design.reliefBarG) * 5;
    this.waterInventoryM3 += ((this.makeupFlowM3h - this.leakFlowM3h - this.reliefFlowM3h) * dtS) / 3600;
    this.makeupTotalM3 += (this.makeupFlowM3h * dtS) / 3600;

    this.hxSecondaryDropBar = 0.3 * Math.pow(this.secondaryFlowM3h / circulationPump.flowM3h, 2);
    this.supplyPressureBar = this.staticPressureBar + pumpHeadM * 0.0957 - this.hxSecondaryDropBar;
  }

  private readSensors(dtS: number): void {
    const drift = this.faults.length === 0 ? null : this.faults.find((f) => f.kind === 'sensor-drift');
    const driftTarget = (drift?.target ?? 'HX.T_SEC_SUP') as TemperatureSensor;
    const truth: Record<TemperatureSensor, number> = {
      'OUT.T': this.outdoorC,
      'HX.T_PRI_SUP': this.primarySupplyC,
      'HX.T_PRI_RET': this.primaryReturnC,
      'HX.T_SEC_SUP': this.secondarySupplyC,
      'HX.T_SEC_RET': this.secondaryReturnC,
      'HM.T_SUP': this.primarySupplyC,
      'HM.T_RET': this.primaryReturnC,
      'BLDG.T_IN': this.indoorC,
    };
    for (const sensor of temperatureSensors) {
      // Each sensor wanders by a few hundredths of a kelvin and has white noise on top.
      this.sensorWander[sensor] = ouStep(this.sensorWander[sensor], dtS, 300, 0.05, this.noise);
      let value = truth[sensor] + this.sensorWander[sensor] + 0.03 * this.noise();
      if (drift && sensor === driftTarget) value += SENSOR_DRIFT_FULL_K * this.level('sensor-drift', driftTarget);
      this.measured[sensor] = value;
    }
    this.measuredPrimaryFlowM3h = Math.max(0, this.primaryFlowM3h * (1 + 0.003 * this.noise()));
    this.measuredSecondaryFlowM3h = Math.max(0, this.secondaryFlowM3h * (1 + 0.003 * this.noise()));
  }

  private stepMeters(dtS: number): void {
    // Heat meter on the primary side, from its own sensors.
    this.heatMeterFlowM3h = this.measuredPrimaryFlowM3h;
    this.heatMeterPowerKw = Math.max(
      0,
      capacityRate(this.heatMeterFlowM3h) * (this.measured['HM.T_SUP'] - this.measured['HM.T_RET']),
    );
    this.heatMeterEnergyMWh += (this.heatMeterPowerKw * dtS) / 3600 / 1000;
    this.heatMeterVolumeM3 += (this.heatMeterFlowM3h * dtS) / 3600;

    const hour = (((this.simTimeMs / 3_600_000) % 24) + 24) % 24;
    const gridSag = 4 * Math.cos((2 * Math.PI * (hour - 19)) / 24);
    for (let i = 0; i < 3; i++) this.phaseVoltages[i] = 400 - gridSag + (i - 1) * 0.8 + 0.4 * this.noise();
    this.gridHz = 50 + 0.015 * this.noise();
    this.electricPowerKw =
      this.pumps[0].powerKw +
      this.pumps[1].powerKw +
      (this.makeupRunning ? design.makeupPumpKw : 0) +
      design.auxiliaryKw;
    this.powerFactor = 0.95 - 0.1 * Math.exp(-this.electricPowerKw / 3);
    const voltage = this.averageVoltage;
    this.electricCurrentA = (this.electricPowerKw * 1000) / (Math.sqrt(3) * voltage * this.powerFactor);
    this.electricEnergyKwh += (this.electricPowerKw * dtS) / 3600;
    const cabinetTarget = 22 + 0.25 * this.outdoorC + 0.4 * this.electricPowerKw;
    this.cabinetC += (cabinetTarget - this.cabinetC) * (1 - Math.exp(-dtS / 1800));
  }

  get averageVoltage(): number {
    return (this.phaseVoltages[0] + this.phaseVoltages[1] + this.phaseVoltages[2]) / 3;
  }

  /** Heat taken up by the secondary side from its own sensors, kW (for energy-balance checks). */
  get secondaryHeatFromSensorsKw(): number {
    return (
      capacityRate(this.measuredSecondaryFlowM3h) * (this.measured['HX.T_SEC_SUP'] - this.measured['HX.T_SEC_RET'])
    );
  }

  get approachK(): number {
    return this.primaryReturnC - this.secondaryReturnC;
  }

  /** Alarm conditions as the PLC would compute them. */
  get alarms() {
    return {
      supplyDeviation: Math.abs(this.measured['HX.T_SEC_SUP'] - this.supplySetpointC) > 5,
      staticPressureLow: this.staticPressureBar < 1.2,
      staticPressureHigh: this.staticPressureBar > 2.8,
      tankLevelLow: this.tankLevelPct < 10,
      p1VibrationHigh: this.pumps[0].vibrationMmS > 7.1,
      p2VibrationHigh: this.pumps[1].vibrationMmS > 7.1,
      valveDeviation: this.valveDeviationS > 120,
      makeupLongRun: this.makeupRunS > 1800,
      approachHigh: this.approachK > 15,
      noCirculation: this.secondaryFlowM3h < 5,
      pumpFault: this.pumps[0].fault || this.pumps[1].fault,
      indoorLow: this.indoorC < 18,
    };
  }

  resetPumpFault(pump: 1 | 2): void {
    this.pumps[pump - 1]!.resetFault();
  }
}
