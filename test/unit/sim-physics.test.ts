import { describe, expect, it } from 'vitest';
import { defaultHeatingCurve, supplySetpointC } from '../../simulator/physics/heating-curve.js';
import { Pid } from '../../simulator/physics/pid.js';
import { capacityRate, counterFlowEffectiveness, heatExchanger } from '../../simulator/physics/heat-exchanger.js';
import { circulationPump, pumpOperatingPoint, rampSpeed } from '../../simulator/physics/pumps.js';
import { actuatorStep, defaultValve, valveFlow } from '../../simulator/physics/valve.js';
import { faultLevel } from '../../simulator/physics/faults.js';
import { createRandom } from '../../simulator/physics/prng.js';
import { Substation } from '../../simulator/physics/substation.js';

describe('heating curve', () => {
  it.each([
    [-20, 70],
    [-10, 70],
    [0, 58],
    [2.5, 55],
    [15, 40],
    [25, 40],
  ])('at %d °C outdoor gives %d °C supply', (outdoor, supply) => {
    expect(supplySetpointC(defaultHeatingCurve, outdoor)).toBeCloseTo(supply, 6);
  });

  it('shifts in parallel with the offset', () => {
    expect(supplySetpointC({ ...defaultHeatingCurve, offsetK: 3 }, 0)).toBeCloseTo(61, 6);
  });
});

describe('PID', () => {
  it('a first-order process reaches the setpoint without steady-state error', () => {
    const pid = new Pid({ kp: 2, tiS: 30, tdS: 0, outMin: 0, outMax: 100 });
    let y = 20;
    for (let t = 0; t < 600; t++) {
      const u = pid.step(50, y, 1);
      y += ((20 + 0.5 * u - y) * 1) / 20; // gain 0.5 K/%, time constant 20 s
    }
    expect(y).toBeCloseTo(50, 1);
  });

  it('anti-windup: after a long saturation the output leaves the limit as soon as the error turns', () => {
    const pid = new Pid({ kp: 1, tiS: 10, tdS: 0, outMin: 0, outMax: 100 });
    for (let t = 0; t < 1000; t++) pid.step(100, 0, 1); // unreachable setpoint
    expect(pid.output).toBe(100);
    expect(pid.integralTerm).toBeLessThanOrEqual(100);
    pid.step(0, 10, 1); // measurement now above setpoint
    expect(pid.output).toBeLessThan(100);
  });

  it('clamps output to the span', () => {
    const pid = new Pid({ kp: 50, tiS: 0, tdS: 0, outMin: 0, outMax: 100 });
    expect(pid.step(100, 0, 1)).toBe(100);
    expect(pid.step(0, 100, 1)).toBe(0);
  });
});

describe('plate heat exchanger', () => {
  it.each([
    { p: 20, s: 60, ua: 100, tp: 110, ts: 45 },
    { p: 5, s: 60, ua: 100, tp: 110, ts: 45 },
    { p: 60, s: 60, ua: 40, tp: 90, ts: 40 },
    { p: 30, s: 10, ua: 150, tp: 100, ts: 30 },
  ])('primary heat equals secondary heat (%o)', ({ p, s, ua, tp, ts }) => {
    const cp = capacityRate(p);
    const cs = capacityRate(s);
    const r = heatExchanger({ primaryInC: tp, secondaryInC: ts, primaryCapacity: cp, secondaryCapacity: cs, ua });
    const primaryHeat = cp * (tp - r.primaryOutC);
    const secondaryHeat = cs * (r.secondaryOutC - ts);
    expect(primaryHeat).toBeCloseTo(secondaryHeat, 6);
    expect(r.dutyKw).toBeCloseTo(primaryHeat, 6);
    // Second law: nothing leaves hotter than the primary inlet or colder than the secondary inlet.
    expect(r.secondaryOutC).toBeLessThanOrEqual(tp);
    expect(r.primaryOutC).toBeGreaterThanOrEqual(ts);
  });

  it('fouling (lower UA) lowers the duty and raises the primary return', () => {
    const base = {
      primaryInC: 110,
      secondaryInC: 45,
      primaryCapacity: capacityRate(20),
      secondaryCapacity: capacityRate(60),
    };
    const clean = heatExchanger({ ...base, ua: 100 });
    const fouled = heatExchanger({ ...base, ua: 50 });
    expect(fouled.dutyKw).toBeLessThan(clean.dutyKw);
    expect(fouled.primaryOutC).toBeGreaterThan(clean.primaryOutC);
  });

  it('effectiveness matches the balanced-flow limit', () => {
    expect(counterFlowEffectiveness(2, 1)).toBeCloseTo(2 / 3, 9);
    expect(counterFlowEffectiveness(2, 0.999999)).toBeCloseTo(2 / 3, 4);
    expect(counterFlowEffectiveness(0, 0.5)).toBe(0);
  });
});

describe('pumps (affinity laws)', () => {
  it.each([25, 50, 80, 100])('at %d %% speed flow ∝ n, head ∝ n², hydraulic power ∝ n³', (speed) => {
    const n = speed / 100;
    const op = pumpOperatingPoint(circulationPump, speed);
    expect(op.flowM3h).toBeCloseTo(circulationPump.flowM3h * n, 9);
    expect(op.headM).toBeCloseTo(circulationPump.headM * n * n, 9);
    expect(op.powerKw).toBeCloseTo(circulationPump.powerKw * n ** 3, 9);
    expect(op.frequencyHz).toBeCloseTo(50 * n, 9);
  });

  it('bearing wear raises vibration and current at the same speed', () => {
    const healthy = pumpOperatingPoint(circulationPump, 80, 0);
    const worn = pumpOperatingPoint(circulationPump, 80, 0.8);
    expect(worn.vibrationMmS).toBeGreaterThan(healthy.vibrationMmS * 3);
    expect(worn.currentA).toBeGreaterThan(healthy.currentA);
  });

  it('a stopped pump draws nothing', () => {
    expect(pumpOperatingPoint(circulationPump, 0)).toMatchObject({ flowM3h: 0, currentA: 0, vibrationMmS: 0 });
  });

  it('the drive ramps at its rate', () => {
    expect(rampSpeed(0, 80, 1, circulationPump)).toBe(circulationPump.rampPctPerS);
    expect(rampSpeed(79, 80, 1, circulationPump)).toBe(80);
  });
});

describe('control valve', () => {
  it('travels at most 100 % per stroke time', () => {
    expect(actuatorStep(0, 100, 6, defaultValve)).toBeCloseTo(10, 9);
    expect(actuatorStep(50, 52, 6, defaultValve)).toBe(52);
  });

  it('flow rises monotonically with position and is zero shut', () => {
    expect(valveFlow(0, 1, defaultValve)).toBe(0);
    let last = 0;
    for (let p = 1; p <= 100; p++) {
      const f = valveFlow(p, 1, defaultValve);
      expect(f).toBeGreaterThan(last);
      last = f;
    }
    expect(last).toBeCloseTo(defaultValve.kvs, 6);
  });
});

describe('faults', () => {
  it('ramps from start to severity', () => {
    const f = { kind: 'hx-fouling' as const, startsAt: 1000, severity: 0.6, rampMs: 1000 };
    expect(faultLevel(f, 999)).toBe(0);
    expect(faultLevel(f, 1500)).toBeCloseTo(0.3, 9);
    expect(faultLevel(f, 5000)).toBeCloseTo(0.6, 9);
  });
});

describe('seeded randomness', () => {
  it('the same seed gives the same sequence', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('substation', () => {
  const start = Date.UTC(2026, 0, 15, 6, 0, 0);

  it('holds the supply temperature near the heating-curve setpoint', () => {
    const s = new Substation({ seed: 3, startTime: start });
    for (let i = 0; i < 2 * 3600; i++) s.step(1);
    expect(s.secondarySupplyC).toBeGreaterThan(35);
    expect(s.secondarySupplyC).toBeLessThan(80);
    expect(Math.abs(s.secondarySupplyC - s.supplySetpointC)).toBeLessThan(3);
    expect(s.secondaryReturnC).toBeLessThan(s.secondarySupplyC);
    expect(s.primaryReturnC).toBeLessThan(s.primarySupplyC);
    expect(s.indoorC).toBeGreaterThan(17);
    expect(s.indoorC).toBeLessThan(24);
  });

  it('is reproducible for a seed', () => {
    const a = new Substation({ seed: 9, startTime: start });
    const b = new Substation({ seed: 9, startTime: start });
    a.step(600);
    b.step(600);
    expect(a.measured).toEqual(b.measured);
  });

  it('heat meter power agrees with the exchanger duty (energy balance)', () => {
    const s = new Substation({ seed: 4, startTime: start });
    s.step(1800);
    expect(Math.abs(s.heatMeterPowerKw - s.dutyKw) / s.dutyKw).toBeLessThan(0.05);
    expect(Math.abs(s.secondaryHeatFromSensorsKw - s.dutyKw) / s.dutyKw).toBeLessThan(0.08);
  });

  it('a raised curve opens the valve and raises the supply temperature', () => {
    const s = new Substation({ seed: 5, startTime: start });
    s.step(600);
    const before = { supply: s.secondarySupplyC, valve: s.valvePositionPct };
    s.settings.curve = { ...s.settings.curve, offsetK: 5 };
    s.step(1800);
    expect(s.secondarySupplyC).toBeGreaterThan(before.supply + 3);
    expect(s.valvePositionPct).toBeGreaterThan(before.valve);
  });

  it('fouling lowers UA, widens the approach and opens the valve for the same duty', () => {
    const clean = new Substation({ seed: 6, startTime: start });
    const fouled = new Substation({ seed: 6, startTime: start });
    fouled.faults = [{ kind: 'hx-fouling', startsAt: start, severity: 0.6, rampMs: 0 }];
    clean.step(3600);
    fouled.step(3600);
    expect(fouled.uaKwK).toBeLessThan(clean.uaKwK * 0.7);
    expect(fouled.approachK).toBeGreaterThan(clean.approachK + 1);
    expect(fouled.valvePositionPct).toBeGreaterThan(clean.valvePositionPct);
  });

  it('a leak drops pressure and runs the make-up pump', () => {
    const s = new Substation({ seed: 7, startTime: start });
    s.step(600);
    const pressure = s.staticPressureBar;
    const starts = s.makeupStarts;
    s.faults = [{ kind: 'secondary-leak', startsAt: s.simTimeMs, severity: 1, rampMs: 0 }];
    s.step(3600);
    expect(s.staticPressureBar).toBeLessThan(pressure - 0.5);
    expect(s.makeupRunning).toBe(true);
    expect(s.makeupFlowM3h).toBeGreaterThan(0.5);
    expect(s.makeupStarts).toBeGreaterThan(starts);
  });

  it('bearing wear raises the vibration and current of the worn pump only', () => {
    const s = new Substation({ seed: 8, startTime: start });
    s.step(60);
    const before = { vib: s.pumps[0].vibrationMmS, current: s.pumps[0].currentA };
    s.faults = [{ kind: 'pump-bearing-wear', startsAt: s.simTimeMs, severity: 0.7, rampMs: 0, target: 'P1' }];
    s.step(60);
    expect(s.pumps[0].vibrationMmS).toBeGreaterThan(before.vib * 2);
    expect(s.pumps[0].currentA).toBeGreaterThan(before.current);
  });

  it('severe wear trips the duty pump and the standby takes over', () => {
    const s = new Substation({ seed: 8, startTime: start });
    s.faults = [{ kind: 'pump-bearing-wear', startsAt: s.simTimeMs, severity: 1, rampMs: 0, target: 'P1' }];
    const starts = s.pumps[1].starts;
    s.step(120);
    expect(s.pumps[0].fault).toBe(true);
    expect(s.pumps[1].running).toBe(true);
    expect(s.pumps[1].starts).toBe(starts + 1);
  });

  it('sensor drift makes the measured supply disagree with the truth', () => {
    const s = new Substation({ seed: 10, startTime: start });
    s.faults = [{ kind: 'sensor-drift', startsAt: s.simTimeMs, severity: 0.5, rampMs: 0, target: 'HX.T_SEC_SUP' }];
    s.step(1800);
    expect(s.measured['HX.T_SEC_SUP'] - s.secondarySupplyC).toBeGreaterThan(3);
    // The controller holds the drifted reading, so the real supply sits below the setpoint.
    expect(s.secondarySupplyC).toBeLessThan(s.supplySetpointC - 2);
    // Secondary heat from the drifted sensor no longer matches the primary heat meter.
    expect(s.secondaryHeatFromSensorsKw).toBeGreaterThan(s.heatMeterPowerKw * 1.1);
  });

  it('a stuck valve stops following the controller output', () => {
    const s = new Substation({ seed: 11, startTime: start });
    s.step(60);
    s.faults = [{ kind: 'stuck-valve', startsAt: s.simTimeMs, severity: 1, rampMs: 0 }];
    const position = s.valvePositionPct;
    s.settings.curve = { ...s.settings.curve, offsetK: 10 };
    s.step(900);
    expect(s.valvePositionPct).toBe(position);
    expect(s.valveCommandPct).toBeGreaterThan(position + 10);
  });
});
