import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { catalogForSubstation, tagDefinition } from '../../simulator/catalog.js';
import { Substation } from '../../simulator/physics/substation.js';
import { FORECAST_HORIZONS_H, Weather, defaultWeather } from '../../simulator/physics/weather.js';
import { parseProject } from '../../main/runtime/config/load-project.js';
import { demoProjectFile } from '../../scripts/generate-demo-project.js';

const forecastSignals = [...FORECAST_HORIZONS_H.map((h) => `OUT.T_FC_${h}H`), 'OUT.T_FC_MEAN24H'];
const HOUR_MS = 3_600_000;

/** Read the forecast tags through the catalog every simulated minute for `minutes`. */
function record(seed: number, startTime: number, minutes: number) {
  const s = new Substation({ seed, startTime });
  const defs = [...forecastSignals, 'OUT.FC_AGE', 'OUT.T'].map((signal) => tagDefinition(signal)!);
  const rows: { time: number; values: number[] }[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < 60; i++) s.step(1);
    rows.push({ time: s.simTimeMs, values: defs.map((d) => d.read(s) as number) });
  }
  return rows;
}

describe('weather service forecast tags', () => {
  it('the catalog publishes them as input registers with units and both languages, and the demo project carries them on the PLC', () => {
    const project = parseProject(readFileSync(demoProjectFile, 'utf8'), demoProjectFile);
    const byName = new Map(project.tags.map((t) => [t.name, t]));
    const addresses = new Set<number>();
    for (const signal of [...forecastSignals, 'OUT.FC_AGE']) {
      const def = tagDefinition(signal);
      expect(def, signal).toBeDefined();
      expect(def!.unit).toBe(signal === 'OUT.FC_AGE' ? 'min' : '°C');
      expect(def!.modbus).toMatchObject({ table: 'input', type: 'float32' });
      expect(def!.writable).toBe(false);
      expect(def!.description.zh).toMatch(/预报/);
      addresses.add(def!.modbus.address);
      const tag = byName.get(`SS01.${signal}`);
      expect(tag, signal).toBeDefined();
      expect(tag!.device).toBe('SS01-PLC');
      expect(tag!.modbus).toMatchObject({ table: 'input', address: def!.modbus.address });
    }
    expect(addresses.size).toBe(forecastSignals.length + 1);
    // No other tag shares a register with them.
    const clash = catalogForSubstation(1).filter(
      (t) =>
        t.definition.modbus.table === 'input' &&
        !t.definition.signal.startsWith('OUT.') &&
        [...addresses].some(
          (a) => Math.abs(a - t.definition.modbus.address) < 2 && t.definition.modbus.type !== 'bool',
        ),
    );
    expect(clash.map((t) => t.name)).toEqual([]);
  });

  it('is issued at start and then on every hour, and holds between issues', () => {
    // Start at 00:17: the first forecast is the one at start, the next ones come at 01:00, 02:00, …
    const start = Date.UTC(2025, 0, 6, 0, 17);
    const rows = record(7, start, 24 * 60);
    let changes = 0;
    for (let i = 1; i < rows.length; i++) {
      const changed = rows[i]!.values.slice(0, forecastSignals.length).some((v, c) => v !== rows[i - 1]!.values[c]);
      const onTheHour = rows[i]!.time % HOUR_MS === 0;
      if (changed) {
        changes++;
        expect(onTheHour, new Date(rows[i]!.time).toISOString()).toBe(true);
      }
      // Age: minutes since the last issue, 0 on the hour.
      const age = rows[i]!.values[forecastSignals.length]!;
      const expected =
        rows[i]!.time < start - (start % HOUR_MS) + HOUR_MS
          ? (rows[i]!.time - start) / 60_000
          : (rows[i]!.time % HOUR_MS) / 60_000;
      expect(age).toBeCloseTo(expected, 6);
    }
    // 24 h from 00:18 to 00:17 the next day: 24 issues on the hour; each one moves at least one value.
    expect(changes).toBe(24);
  });

  it('carries information: its error against the realized outdoor temperature is below persistence at 1 h and at 24 h', () => {
    // Two simulated days: the first day's issues, checked against the outdoor temperature measured 1 h and 24 h later.
    for (const seed of [3, 11]) {
      const rows = record(seed, Date.UTC(2025, 0, 20, 0, 0), 2 * 24 * 60);
      const at = new Map(rows.map((r) => [r.time, r.values]));
      const out = forecastSignals.length + 1;
      const err = { fc1: [] as number[], p1: [] as number[], fc24: [] as number[], p24: [] as number[] };
      for (const r of rows) {
        if (r.time % HOUR_MS !== 0) continue;
        const in1 = at.get(r.time + HOUR_MS);
        const in24 = at.get(r.time + 24 * HOUR_MS);
        if (in1) {
          err.fc1.push(Math.abs(r.values[0]! - in1[out]!));
          err.p1.push(Math.abs(r.values[out]! - in1[out]!));
        }
        if (in24) {
          err.fc24.push(Math.abs(r.values[FORECAST_HORIZONS_H.indexOf(24)]! - in24[out]!));
          err.p24.push(Math.abs(r.values[out]! - in24[out]!));
        }
      }
      const mae = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      expect(err.fc24.length).toBeGreaterThanOrEqual(23);
      expect(mae(err.fc1), `seed ${seed}: 1 h`).toBeLessThan(mae(err.p1));
      expect(mae(err.fc24), `seed ${seed}: 24 h`).toBeLessThan(mae(err.p24));
      // The error grows with the horizon, and is not nil (a forecast, not the future itself).
      expect(mae(err.fc1)).toBeLessThan(mae(err.fc24));
      expect(mae(err.fc1)).toBeGreaterThan(0.1);
    }
  });

  it('the weather, and so its forecast, does not depend on the step size', () => {
    const start = Date.UTC(2025, 0, 6, 5, 30);
    const coarse = new Weather(defaultWeather, 42, start);
    const fine = new Weather(defaultWeather, 42, start);
    for (let s = 1; s <= 3 * 3600; s++) {
      coarse.step(1);
      for (let k = 0; k < 4; k++) fine.step(0.25);
      if (s % 600 === 0) expect(fine.outdoorC(start + s * 1000)).toBeCloseTo(coarse.outdoorC(start + s * 1000), 9);
    }
    expect(fine.forecast).toEqual(coarse.forecast);
    expect(fine.forecast.issuedMs).toBe(Date.UTC(2025, 0, 6, 8, 0));
  });
});
