import { describe, expect, it } from 'vitest';
import { parseConsoleCommand } from '../../simulator/cli-args.js';
import { Plant } from '../../simulator/plant.js';

describe('simulator console: fault injection', () => {
  it('reads kind, severity, substation, target and an optional ramp', () => {
    expect(parseConsoleCommand('fault pump-bearing-wear 1 1 P1 ramp=0s')).toEqual({
      kind: 'fault',
      spec: { kind: 'pump-bearing-wear', severity: 1, substation: 1, target: 'P1', rampMs: 0 },
    });
    expect(parseConsoleCommand('fault secondary-leak 0.5 ramp=2m')).toEqual({
      kind: 'fault',
      spec: { kind: 'secondary-leak', severity: 0.5, rampMs: 120_000 },
    });
    expect(parseConsoleCommand('fault hx-fouling 0.3')).toEqual({
      kind: 'fault',
      spec: { kind: 'hx-fouling', severity: 0.3 },
    });
    expect(() => parseConsoleCommand('fault hx-fouling 0.3 ramp=soon')).toThrow(/ramp=<n>s\|m\|h\|d/);
  });

  it('a full bearing fault at once trips the duty pump on vibration; the standby takes over; reset clears the trip', () => {
    const plant = new Plant({ substations: 1, seed: 3, startTime: Date.parse('2026-01-15T06:00:00Z') });
    plant.advance(120);
    expect(plant.read('SS01.P1.RUN')).toBe(true);
    const command = parseConsoleCommand('fault pump-bearing-wear 1 1 P1 ramp=0s');
    if (command.kind !== 'fault') throw new Error('not a fault');
    plant.injectFault(command.spec);
    for (let i = 0; i < 30; i++) plant.advance(1);
    expect(plant.read('SS01.P1.FAULT')).toBe(true);
    expect(plant.read('SS01.P1.RUN')).toBe(false);
    expect(plant.read('SS01.P2.RUN')).toBe(true);
    // The operator makes pump 2 the duty pump, then resets pump 1: stopped and ready as standby.
    plant.write('SS01.SEC.DUTY_SEL', 2);
    plant.write('SS01.P1.RESET', true);
    plant.advance(5);
    expect(plant.read('SS01.P1.FAULT')).toBe(false);
    expect(plant.read('SS01.P1.READY')).toBe(true);
    expect(plant.read('SS01.P1.RUN')).toBe(false);
  });
});
