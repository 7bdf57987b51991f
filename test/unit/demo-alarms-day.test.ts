/**
 * A fault-free simulated day keeps the demo project within the EEMUA 191 steady-state
 * alarm rate: real physics, the real AlarmEngine with the demo's alarm definitions, and
 * the KPIs computed by the station's own computeKpis over the engine's records. The day
 * includes an operator's ordinary actions (duty pump rotation, pump speed and heating
 * curve changes): those must not alarm either.
 */
import { describe, expect, it } from 'vitest';
import { faultFreeDay } from '../support/alarm-plant-run.js';

describe('demo alarms: a fault-free day', () => {
  it('at --speed 60 (24 real minutes, alarm timing in real time): at most 1 alarm per 10 min, no flood, no chattering', () => {
    const run = faultFreeDay({ speed: 60 });
    expect(run.elapsedS).toBe(86_400);
    const k = run.kpis();
    expect(k.to - k.from).toBe(24 * 60_000);
    expect(k.perOperatorPer10Min, JSON.stringify(k.top)).toBeLessThanOrEqual(1);
    expect(k.perOperatorPerHour).toBeLessThanOrEqual(5);
    expect(k.floodPeriods).toBe(0);
    expect(k.chattering).toEqual([]);
    // The standby pump's alarms spent the day suppressed, not silent by accident.
    expect(run.records.some((r) => r.kind === 'suppressed' && r.alarmId === 'SS01.P2.VIB.HI')).toBe(true);
    expect(run.records.some((r) => r.kind === 'unsuppressed' && r.alarmId === 'SS01.P2.VIB.HI')).toBe(true);
  });

  it('at speed 1 (the real plant, alarm timing in plant time): at most 1 alarm per 10 min, no flood, no chattering', () => {
    const run = faultFreeDay({ speed: 1, sampleEveryS: 5, seed: 2 });
    const k = run.kpis();
    expect(k.to - k.from).toBe(86_400_000);
    expect(k.perOperatorPer10Min, JSON.stringify(k.top)).toBeLessThanOrEqual(1);
    expect(k.perOperatorPerHour).toBeLessThanOrEqual(5);
    expect(k.floodPeriods).toBe(0);
    expect(k.chattering).toEqual([]);
  });
});
