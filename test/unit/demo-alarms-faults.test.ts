/**
 * Every simulator fault raises an alarm of the demo project before it does damage: the
 * real physics (simulator/physics) at accelerated time, sampled as the station samples
 * it, through the real AlarmEngine with the alarm definitions of assets/demo/plant.yaml.
 * The plant runs at speed 1 semantics (alarm delays in plant time, as in a real station);
 * each test states its damage point and checks the plant really reaches it.
 */
import { describe, expect, it } from 'vitest';
import { AlarmPlantRun } from '../support/alarm-plant-run.js';
import type { FaultSpec } from '../../simulator/plant.js';
import { design, type Substation } from '../../simulator/physics/substation.js';
import { capacityRate, heatExchanger } from '../../simulator/physics/heat-exchanger.js';
import { defaultValve, valveFlow } from '../../simulator/physics/valve.js';

const MIN = 60;
const HOUR = 3600;

interface Outcome {
  readonly run: AlarmPlantRun;
  /** Annunciated activations after the fault began (up to the damage point), seconds after the fault. */
  readonly alarms: { id: string; atS: number }[];
  /** When the damage point was reached, seconds after the fault; null if it never was. */
  readonly damageAtS: number | null;
}

function faultScenario(o: {
  fault: Omit<FaultSpec, 'substation' | 'startsAt'>;
  damage: (s: Substation) => boolean;
  maxS: number;
  sampleEveryS?: number;
  /** Keep running after the damage point (to see what follows). */
  runOnS?: number;
}): Outcome {
  const run = new AlarmPlantRun({ sampleEveryS: o.sampleEveryS ?? 2 });
  run.run(10 * MIN);
  expect(
    run.activations().map((a) => a.alarmId),
    'no alarm before the fault',
  ).toEqual([]);
  run.injectFault(o.fault);
  const startSim = run.plant.simTime();
  let damageAtS: number | null = null;
  run.run(o.maxS, (r) => {
    if (damageAtS === null && o.damage(r.substation)) damageAtS = (r.plant.simTime() - startSim) / 1000;
    return damageAtS !== null;
  });
  if (o.runOnS) run.run(o.runOnS);
  const alarms = run.activations().map((a) => ({ id: a.alarmId, atS: (a.simAt - startSim) / 1000 }));
  return { run, alarms, damageAtS };
}

function expectAlarmBeforeDamage(out: Outcome, firstId: string, minLeadS: number): void {
  expect(out.damageAtS, 'the fault reaches its damage point within the run').not.toBeNull();
  const first = out.alarms[0];
  expect(first?.id, 'the first alarm').toBe(firstId);
  expect(
    first!.atS + minLeadS,
    `alarm at ${Math.round(first!.atS / 60)} min, damage at ${Math.round(out.damageAtS! / 60)} min`,
  ).toBeLessThanOrEqual(out.damageAtS!);
}

/** Heat the exchanger can pass on the design day (−10 °C outdoor, 110 °C primary supply, valve wide open) at a conductance. */
function designDayCapacityKw(uaKwK: number): number {
  const secondary = capacityRate(60); // 80 % pump speed
  const secondaryReturnC = 70 - design.heatLoadKw / secondary; // 70 °C supply on the heating curve at −10 °C
  const primary = capacityRate(valveFlow(100, design.primaryDpBar, defaultValve));
  return heatExchanger({
    primaryInC: 110,
    secondaryInC: secondaryReturnC,
    primaryCapacity: primary,
    secondaryCapacity: secondary,
    ua: uaKwK,
  }).dutyKw;
}

describe('demo alarms: each simulator fault is annunciated before it does damage', () => {
  it('hx-fouling → HX.UA.LO before the exchanger loses its design reserve (design load +10 % on the design day, valve wide open)', () => {
    const out = faultScenario({
      fault: { kind: 'hx-fouling', severity: 1 },
      damage: (s) => designDayCapacityKw(s.uaKwK) < 1.1 * design.heatLoadKw,
      maxS: 8 * HOUR,
    });
    expectAlarmBeforeDamage(out, 'SS01.HX.UA.LO', 30 * MIN);
    expect(designDayCapacityKw(design.uaCleanKwK)).toBeGreaterThan(1.1 * design.heatLoadKw); // a clean exchanger has the reserve
  });

  it('pump-bearing-wear → P1.VIB.HI before the bearing vibrates in ISO 10816 zone D (7.1 mm/s); the trip is annunciated and pump 1 suppressed, pump 2 watched', () => {
    const out = faultScenario({
      fault: { kind: 'pump-bearing-wear', severity: 1, target: 'P1' },
      damage: (s) => s.pumps[0].vibrationMmS >= 7.1,
      maxS: 8 * HOUR,
      runOnS: 3 * HOUR,
    });
    expectAlarmBeforeDamage(out, 'SS01.P1.VIB.HI', 30 * MIN);
    const ids = out.alarms.map((a) => a.id);
    expect(ids).toContain('SS01.P1.FAULT.STATE'); // tripped at 11.2 mm/s; pump 2 took over
    const s = out.run.substation;
    expect(s.pumps[0].fault && s.pumps[1].running).toBe(true);
    // The tripped pump's running alarms are suppressed by design; the pump now on duty is watched again.
    expect(out.run.engine.get('SS01.P1.VIB.HH')!.state.suppressed).toBe(true);
    expect(out.run.engine.get('SS01.P2.VIB.HI')!.state.suppressed).toBe(false);
    expect(ids.filter((id) => id.startsWith('SS01.P2.'))).toEqual([]);
  });

  it('secondary-leak (burst) → EXP.LEVEL.LO before the expansion tank is empty (static pressure below the 1.0 bar pre-charge), polled as the PLC driver polls', () => {
    const out = faultScenario({
      fault: { kind: 'secondary-leak', severity: 1 },
      damage: (s) => s.tankLevelPct <= 0,
      maxS: 2 * HOUR,
      sampleEveryS: 0.25,
    });
    expectAlarmBeforeDamage(out, 'SS01.EXP.LEVEL.LO', 10 * MIN);
    expect(out.alarms.map((a) => a.id)).toContain('SS01.SEC.P_RET.LL');
  });

  it('secondary-leak the make-up pump keeps up with → MU.TOTAL.ROC within the hour, and nothing louder', () => {
    const out = faultScenario({
      fault: { kind: 'secondary-leak', severity: 0.3 },
      damage: (s) => s.tankLevelPct <= 0,
      maxS: 3 * HOUR,
    });
    expect(out.damageAtS).toBeNull();
    expect(out.alarms[0]).toMatchObject({ id: 'SS01.MU.TOTAL.ROC' });
    expect(out.alarms[0]!.atS).toBeLessThan(HOUR);
    expect(new Set(out.alarms.map((a) => a.id))).toEqual(new Set(['SS01.MU.TOTAL.ROC']));
  });

  it('sensor-drift on the supply sensor → HX.Q_SEC.DEV (heat balance) before the true supply is 5 K below the heating curve', () => {
    // The drifting sensor reads high, so the controller holds the water too cold while the screen shows it on the curve.
    const out = faultScenario({
      fault: { kind: 'sensor-drift', severity: 1, target: 'HX.T_SEC_SUP' },
      damage: (s) => s.secondarySupplyC < s.supplySetpointC - 5,
      maxS: 4 * HOUR,
    });
    expectAlarmBeforeDamage(out, 'SS01.HX.Q_SEC.DEV', 30 * MIN);
  });

  it('stuck-valve → CV.POS.DEV before the supply temperature is 5 K off the heating curve', () => {
    const out = faultScenario({
      fault: { kind: 'stuck-valve', severity: 1 },
      damage: (s) => Math.abs(s.secondarySupplyC - s.supplySetpointC) > 5,
      maxS: 12 * HOUR,
    });
    expectAlarmBeforeDamage(out, 'SS01.CV.POS.DEV', HOUR);
  });
});

describe('demo alarms: suppression by design and communication', () => {
  it('switching duty to pump 2 moves the watch to it without a sound; both pumps off is the PLC no-circulation alarm, not low flow', () => {
    const run = new AlarmPlantRun({ sampleEveryS: 1 });
    run.run(10 * MIN);
    expect(run.engine.get('SS01.P2.FLOW.LO')!.state.suppressed).toBe(true);
    expect(run.engine.get('SS01.P1.FLOW.LO')!.state.suppressed).toBe(false);
    run.plant.write('SS01.SEC.DUTY_SEL', 2);
    run.run(10 * MIN);
    expect(run.engine.get('SS01.P1.FLOW.LO')!.state.suppressed).toBe(true);
    expect(run.engine.get('SS01.P1.VIB.HI')!.state.suppressed).toBe(true);
    expect(run.engine.get('SS01.P2.FLOW.LO')!.state.suppressed).toBe(false);
    expect(run.activations()).toEqual([]);

    run.plant.write('SS01.P1.AUTO', false);
    run.plant.write('SS01.P2.AUTO', false);
    run.run(5 * MIN);
    expect(run.substation.secondaryFlowM3h).toBe(0);
    expect(run.activations().map((a) => a.alarmId)).toEqual(['SS01.ALM.NO_FLOW.STATE']);
    expect(run.engine.get('SS01.P2.FLOW.LO')!.state).toMatchObject({ suppressed: true, condition: true });
  });

  it('a PLC that stops answering is one communication alarm, not a frozen sensor on each of its tags', () => {
    const run = new AlarmPlantRun({ sampleEveryS: 1 });
    run.run(10 * MIN);
    run.deviceOffline('SS01-PLC');
    run.run(30 * MIN);
    expect(run.activations().map((a) => a.alarmId)).toEqual(['SS01.SS01_PLC.COMM']);
    expect(run.definition('SS01.SS01_PLC.COMM').priority).toBe('high');
  });
});
