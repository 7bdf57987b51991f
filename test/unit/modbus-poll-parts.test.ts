import { describe, expect, it } from 'vitest';
import { RefusedAddresses } from '../../protocols/modbus/refused-addresses.js';
import { UnitHealth } from '../../protocols/modbus/unit-health.js';
import { groupByInterval } from '../../protocols/modbus/poll-schedule.js';
import type { PreparedRead } from '../../protocols/modbus/poll-samples.js';

const span = { unitId: 1, table: 'holding' as const, start: 10, count: 2 };

describe('refused addresses', () => {
  it('keeps reading a once-refused address alone, and skips it only with evidence from two connections', () => {
    let now = 0;
    const refused = new RefusedAddresses(() => now, 60_000);
    refused.remember(span, 1);
    expect(refused.isRefused(1, 'holding', 10)).toBe(true);
    expect(refused.isRefused(1, 'holding', 12)).toBe(false);
    expect(refused.skips(span, 1)).toBe(false); // one refusal on one connection: still asked
    refused.remember(span, 2);
    expect(refused.skips(span, 2)).toBe(true); // refused on two connections, probed on this one
    expect(refused.skips(span, 3)).toBe(false); // a new connection re-probes at once
    now = 61_000;
    expect(refused.isRefused(1, 'holding', 10)).toBe(false);
    expect(refused.expire()).toBe(true);
    expect(refused.activeCount()).toBe(0);
  });
  it('three refusals in a row on one connection are evidence too; a good answer forgets', () => {
    const refused = new RefusedAddresses(() => 0, 60_000);
    for (let i = 0; i < 3; i++) refused.remember(span, 7);
    expect(refused.skips(span, 7)).toBe(true);
    expect(refused.forget(span)).toBe(true);
    expect(refused.forget(span)).toBe(false);
    expect(refused.isRefused(1, 'holding', 11)).toBe(false);
  });
});

describe('unit health', () => {
  it('demotes a unit that fails for a growing back-off and restores it on any answer', () => {
    let now = 0;
    const units = new UnitHealth(
      () => now,
      () => 0.5,
      1000,
    );
    expect(units.isDemoted(2)).toBe(false);
    units.failed(2);
    expect(units.isDemoted(2)).toBe(true);
    expect(units.allDemoted([2])).toBe(true);
    expect(units.allDemoted([2, 3])).toBe(false);
    expect(units.allDemoted([])).toBe(false);
    now = 100_000;
    expect(units.isDemoted(2)).toBe(false); // the back-off is capped at a minute
    units.failed(2);
    units.answered(2);
    expect(units.isDemoted(2)).toBe(false);
  });
});

describe('poll groups', () => {
  it('groups reads by their interval', () => {
    const read = (intervalMs: number) => ({ intervalMs }) as unknown as PreparedRead;
    const groups = groupByInterval([read(1000), read(100), read(1000)]);
    expect(groups.map((g) => [g.intervalMs, g.reads.length])).toEqual([
      [1000, 2],
      [100, 1],
    ]);
  });
});
