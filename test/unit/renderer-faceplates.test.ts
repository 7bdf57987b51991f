import { describe, expect, it } from 'vitest';
import { catalogForSubstation } from '../../simulator/catalog.js';
import { supplySetpointC, defaultHeatingCurve, type HeatingCurve } from '../../simulator/physics/heating-curve.js';
import { Plant } from '../../simulator/plant.js';
import {
  equipmentFaceplate,
  equipmentKeyForTag,
  parseEquipmentKey,
  relatedFaceplates,
} from '../../renderer/faceplates/equipment.js';
import {
  curveFieldOfTag,
  curveFromValues,
  curveGeometry,
  curveSetpointC,
  previewSetpoint,
} from '../../renderer/faceplates/heating-curve.js';
import { pumpCondition, tripCauses } from '../../renderer/faceplates/trip-cause.js';
import type { AlarmDto } from '../../preload/contract.js';

const names = (k: number) => new Set(catalogForSubstation(k).map((t) => t.name));

describe('equipment → faceplate tags', () => {
  const ss01 = names(1);

  it('maps a pump to its own signals and the shared duty selection', () => {
    const spec = equipmentFaceplate('SS01.P2', ss01)!;
    expect(spec.kind).toBe('pump');
    expect(spec.tags).toMatchObject({
      run: 'SS01.P2.RUN',
      fault: 'SS01.P2.FAULT',
      auto: 'SS01.P2.AUTO',
      reset: 'SS01.P2.RESET',
      vib: 'SS01.P2.VIB',
      dutySel: 'SS01.SEC.DUTY_SEL',
      vibAlarm: 'SS01.ALM.P2_VIB',
    });
    expect(spec.shown[0]).toBe('SS01.P2.RUN');
    expect(spec.related).toContain('SS01.P2.T_MOTOR');
    expect(spec.related).not.toContain('SS01.P1.RUN');
  });

  it('maps the controller to the loop: PV, SP, output, auto/manual and the curve', () => {
    const spec = equipmentFaceplate('SS01.HC', ss01)!;
    expect(spec.kind).toBe('controller');
    expect(spec.tags).toMatchObject({
      pv: 'SS01.HX.T_SEC_SUP',
      sp: 'SS01.HC.T_SP',
      out: 'SS01.CV.OUT',
      auto: 'SS01.CV.AUTO',
      manOut: 'SS01.CV.MAN_OUT',
      outdoor: 'SS01.OUT.T',
      curveOut1: 'SS01.HC.T_OUT_1',
      curveSup2: 'SS01.HC.T_SUP_2',
      offset: 'SS01.HC.OFFSET',
    });
  });

  it('maps the valve, and works for any substation of the plant', () => {
    const spec = equipmentFaceplate('SS03.CV', names(3))!;
    expect(spec.kind).toBe('valve');
    expect(spec.tags).toEqual({
      out: 'SS03.CV.OUT',
      pos: 'SS03.CV.POS',
      auto: 'SS03.CV.AUTO',
      manOut: 'SS03.CV.MAN_OUT',
      devAlarm: 'SS03.ALM.CV_DEV',
    });
  });

  it('keeps only tags the station serves, falls back to a generic list, refuses nonsense', () => {
    const partial = new Set(['SS01.P1.RUN', 'SS01.P1.FAULT']);
    expect(equipmentFaceplate('SS01.P1', partial)!.tags).toEqual({ run: 'SS01.P1.RUN', fault: 'SS01.P1.FAULT' });
    const hx = equipmentFaceplate('SS01.HX', ss01)!;
    expect(hx.kind).toBe('generic');
    expect(hx.shown).toContain('SS01.HX.T_PRI_SUP');
    expect(equipmentFaceplate('SS01.NOPE', ss01)).toBeNull();
    expect(equipmentFaceplate('not a key', ss01)).toBeNull();
    expect(parseEquipmentKey('SS01.P1')).toEqual({ area: 'SS01', equipment: 'P1' });
  });

  it('links the loop and its valve, and the two pumps of a pair', () => {
    expect(relatedFaceplates(equipmentFaceplate('SS01.HC', ss01)!, ss01)).toEqual(['SS01.CV']);
    expect(relatedFaceplates(equipmentFaceplate('SS01.CV', ss01)!, ss01)).toEqual(['SS01.HC']);
    expect(relatedFaceplates(equipmentFaceplate('SS01.P1', ss01)!, ss01)).toEqual(['SS01.P2']);
    expect(relatedFaceplates(equipmentFaceplate('SS01.P1', ss01)!, new Set(['SS01.P1.RUN']))).toEqual([]);
  });

  it('finds the faceplate a value opens', () => {
    expect(equipmentKeyForTag('SS01.HC.T_SP')).toBe('SS01.HC');
    expect(equipmentKeyForTag('SS02.HX.T_SEC_SUP')).toBe('SS02.HC');
    expect(equipmentKeyForTag('SS01.P1.SPEED')).toBe('SS01.P1');
    expect(equipmentKeyForTag('SS01.CV.POS')).toBe('SS01.CV');
    expect(equipmentKeyForTag('lonely')).toBeNull();
  });
});

describe('resulting setpoint (the same formula as the station controller)', () => {
  const curves: HeatingCurve[] = [
    defaultHeatingCurve,
    { ...defaultHeatingCurve, offsetK: 3.5 },
    { ...defaultHeatingCurve, offsetK: -10 },
    { outdoorColdC: -25, supplyColdC: 90, outdoorMildC: 20, supplyMildC: 30, offsetK: 1.2 },
    // Points given the other way round, and a degenerate curve.
    { outdoorColdC: 15, supplyColdC: 40, outdoorMildC: -10, supplyMildC: 70, offsetK: 0 },
    { outdoorColdC: 5, supplyColdC: 50, outdoorMildC: 5, supplyMildC: 60, offsetK: -2 },
  ];
  const outdoors = [-35, -25, -10, -3.7, 0, 4.25, 15, 22, 40];

  it('equals the simulator for every curve and outdoor temperature', () => {
    for (const c of curves)
      for (const o of outdoors) expect(curveSetpointC(c, o)).toBeCloseTo(supplySetpointC(c, o), 10);
  });

  it('predicts what the running plant shows after an offset write', () => {
    const plant = new Plant({ substations: 1, seed: 7, startTime: Date.parse('2026-01-15T06:00:00Z') });
    plant.advance(60);
    const s = plant.substations[0]!;
    const curve = curveFromValues({
      outdoorColdC: plant.read('SS01.HC.T_OUT_1'),
      supplyColdC: plant.read('SS01.HC.T_SUP_1'),
      outdoorMildC: plant.read('SS01.HC.T_OUT_2'),
      supplyMildC: plant.read('SS01.HC.T_SUP_2'),
      offsetK: plant.read('SS01.HC.OFFSET'),
    })!;
    const preview = previewSetpoint(curve, s.outdoorC, 'offsetK', 4);
    expect(preview.now).toBeCloseTo(plant.read('SS01.HC.T_SP') as number, 6);
    plant.write('SS01.HC.OFFSET', 4);
    expect(preview.delta).toBeCloseTo(4, 10);
    expect(plant.read('SS01.HC.T_SP') as number).toBeCloseTo(preview.next, 6);
    // A curve point: the cold point's supply temperature.
    const curve2 = { ...curve, offsetK: 4 };
    const p2 = previewSetpoint(curve2, s.outdoorC, 'supplyColdC', 80);
    plant.write('SS01.HC.T_SUP_1', 80);
    expect(plant.read('SS01.HC.T_SP') as number).toBeCloseTo(p2.next, 6);
  });

  it('reads curve values only when all five are numbers, and names the field of a tag', () => {
    expect(
      curveFromValues({ outdoorColdC: -10, supplyColdC: 70, outdoorMildC: 15, supplyMildC: null, offsetK: 0 }),
    ).toBeNull();
    expect(curveFieldOfTag('SS01.HC.OFFSET')).toBe('offsetK');
    expect(curveFieldOfTag('SS02.HC.T_SUP_2')).toBe('supplyMildC');
    expect(curveFieldOfTag('SS01.CV.KP')).toBeNull();
  });

  it('draws the curve flat beyond its points and marks the outdoor temperature on it', () => {
    const g = curveGeometry(defaultHeatingCurve, 0, 300, 160);
    expect(g.points).toHaveLength(4);
    expect(g.points[0]![1]).toBeCloseTo(g.points[1]![1]); // flat left of −10 °C
    expect(g.points[2]![1]).toBeCloseTo(g.points[3]![1]); // flat right of +15 °C
    expect(g.marker![0]).toBeCloseTo(g.x(0));
    expect(g.marker![1]).toBeCloseTo(g.y(supplySetpointC(defaultHeatingCurve, 0)));
    expect(curveGeometry(defaultHeatingCurve, null, 300, 160).marker).toBeNull();
  });
});

const alarm = (over: Partial<AlarmDto>): AlarmDto => ({
  id: 'SS01.P1.VIB.HI',
  source: 'tag',
  kind: 'high',
  priority: 'medium',
  tag: 'SS01.P1.VIB',
  device: null,
  area: 'SS01',
  equipment: 'P1',
  screen: null,
  unit: 'mm/s',
  message: { en: 'Pump 1 vibration high' },
  state: 'unack-rtn',
  active: false,
  latched: false,
  activeSince: 1,
  changedAt: 2,
  ackedBy: null,
  ackedAt: null,
  shelved: null,
  outOfService: null,
  value: 12.5,
  limit: 4.5,
  ...over,
});

describe('pump trip cause', () => {
  const signals = {
    vibration: 'SS01.P1.VIB',
    'motor-temperature': 'SS01.P1.T_MOTOR',
    'bearing-temperature': 'SS01.P1.T_BEARING',
  } as const;
  const base = {
    tripped: true,
    signals,
    signalAlarmTags: { vibration: 'SS01.ALM.P1_VIB' },
    peaks: {},
    limits: {},
    alarms: [],
    faultTag: 'SS01.P1.FAULT',
  };

  it('says nothing for a healthy pump', () => {
    expect(tripCauses({ ...base, tripped: false, alarms: [alarm({})] })).toEqual([]);
  });

  it('names vibration from the pump alarm (cleared but unacknowledged) with the peak before the trip', () => {
    const causes = tripCauses({
      ...base,
      peaks: { 'SS01.P1.VIB': 12.9 },
      limits: { 'SS01.P1.VIB': 11.2 },
      alarms: [alarm({})],
    });
    expect(causes).toEqual([
      { kind: 'signal', signal: 'vibration', tag: 'SS01.P1.VIB', peak: 12.9, limit: 11.2, alarmId: 'SS01.P1.VIB.HI' },
    ]);
  });

  it('names a signal from its peak alone when no alarm is left, and other alarms by message', () => {
    const causes = tripCauses({
      ...base,
      peaks: { 'SS01.P1.T_MOTOR': 121 },
      limits: { 'SS01.P1.T_MOTOR': 110 },
      alarms: [
        alarm({ id: 'SS01.P1.FAULT.ST', tag: 'SS01.P1.FAULT', message: { en: 'Circulation pump 1 tripped' } }),
        alarm({ id: 'X', tag: 'SS01.SEC.FLOW', message: { en: 'Pump 1 running without circulation flow' } }),
      ],
    });
    expect(causes.map((c) => (c.kind === 'signal' ? c.signal : c.kind === 'alarm' ? c.alarmId : c.kind))).toEqual([
      'motor-temperature',
      'X',
    ]);
  });

  it('an alarm suppressed by design because the pump stopped tells nothing unless its condition holds', () => {
    const suppressed = alarm({
      id: 'SS01.P1.T_MOTOR.HI',
      tag: 'SS01.P1.T_MOTOR',
      state: 'suppressed',
      active: false,
      limit: 110,
    });
    const causes = tripCauses({
      ...base,
      peaks: { 'SS01.P1.VIB': 13.6, 'SS01.P1.T_MOTOR': 33.6 },
      limits: { 'SS01.P1.VIB': 7.1, 'SS01.P1.T_MOTOR': 110 },
      alarms: [suppressed],
    });
    expect(causes).toEqual([
      { kind: 'signal', signal: 'vibration', tag: 'SS01.P1.VIB', peak: 13.6, limit: 7.1, alarmId: null },
    ]);
    expect(tripCauses({ ...base, alarms: [{ ...suppressed, active: true }] })[0]).toMatchObject({
      kind: 'signal',
      signal: 'motor-temperature',
    });
  });

  it('admits when nothing explains the trip', () => {
    expect(tripCauses({ ...base, peaks: { 'SS01.P1.VIB': 3 }, limits: { 'SS01.P1.VIB': 11.2 } })).toEqual([
      { kind: 'unknown' },
    ]);
  });

  it('gives the pump one word: tripped, running, ready or off', () => {
    expect(pumpCondition({ run: false, fault: true, ready: false, auto: true })).toBe('tripped');
    expect(pumpCondition({ run: true, fault: false, ready: true, auto: true })).toBe('running');
    expect(pumpCondition({ run: false, fault: false, ready: true, auto: true })).toBe('ready');
    expect(pumpCondition({ run: false, fault: false, ready: false, auto: false })).toBe('off');
    expect(pumpCondition({ run: undefined, fault: undefined, ready: undefined, auto: undefined })).toBe('unknown');
  });
});
