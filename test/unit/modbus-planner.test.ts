import { describe, expect, it } from 'vitest';
import type { ModbusTable } from '../../protocols/modbus/config.js';
import { ModbusRequestPlanner, type PlannerPoint } from '../../protocols/modbus/planner.js';

const limits = { maxRegistersPerRead: 125, maxBitsPerRead: 2000, maxGap: 16 };

function pt(
  key: string,
  address: number,
  count = 1,
  opts: { table?: ModbusTable; unitId?: number; intervalMs?: number } = {},
): PlannerPoint<string> {
  return {
    key,
    address,
    count,
    table: opts.table ?? 'holding',
    unitId: opts.unitId ?? 1,
    intervalMs: opts.intervalMs ?? 1000,
  };
}

function ranges(plan: ReturnType<ModbusRequestPlanner['plan']>): string[] {
  return plan.reads.map((r) => `${r.unitId}:${r.table}:${r.intervalMs}:${r.start}+${r.count}`).sort();
}

describe('ModbusRequestPlanner', () => {
  it('contiguous registers: 10,000 uint16 points need ceil(10000/125) = 80 reads', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => pt(`t${i}`, i));
    const plan = new ModbusRequestPlanner(limits).plan(points);
    expect(plan.reads).toHaveLength(80);
    expect(plan.reads.every((r) => r.count === 125 && r.points.length === 125)).toBe(true);
    expect(plan.unplannable).toEqual([]);
  });

  it('float32 points never split across reads: 100 floats in a row need 2 reads of 124 + 76', () => {
    const points = Array.from({ length: 100 }, (_, i) => pt(`f${i}`, i * 2, 2));
    const plan = new ModbusRequestPlanner(limits).plan(points);
    expect(plan.reads.map((r) => r.count)).toEqual([124, 76]);
    for (const r of plan.reads) for (const p of r.points) expect(p.offset + 2).toBeLessThanOrEqual(r.count);
  });

  it('merges across gaps up to maxGap, splits beyond', () => {
    const planner = new ModbusRequestPlanner({ ...limits, maxGap: 10 });
    expect(ranges(planner.plan([pt('a', 0), pt('b', 11)]))).toEqual(['1:holding:1000:0+12']); // gap of 10
    expect(ranges(planner.plan([pt('a', 0), pt('b', 12)]))).toEqual(['1:holding:1000:0+1', '1:holding:1000:12+1']); // gap of 11
    expect(
      ranges(new ModbusRequestPlanner({ ...limits, maxGap: 0 }).plan([pt('a', 0), pt('b', 1), pt('c', 3)])),
    ).toEqual(['1:holding:1000:0+2', '1:holding:1000:3+1']);
  });

  it('gapped layout: blocks of 10 registers every 100 → one read per block', () => {
    const points = [];
    for (let block = 0; block < 5; block++)
      for (let i = 0; i < 10; i++) points.push(pt(`b${block}.${i}`, block * 100 + i));
    expect(new ModbusRequestPlanner(limits).plan(points).reads).toHaveLength(5);
  });

  it('mixed layout: groups by unit, table and interval; offsets point into the answer', () => {
    const plan = new ModbusRequestPlanner(limits).plan([
      pt('h1', 10),
      pt('h2', 12, 2),
      pt('i1', 10, 1, { table: 'input' }),
      pt('fast', 11, 1, { intervalMs: 100 }),
      pt('u2', 10, 1, { unitId: 2 }),
      pt('c1', 5, 1, { table: 'coil' }),
      pt('c2', 1900, 1, { table: 'coil' }),
      pt('c3', 2100, 1, { table: 'coil' }),
      pt('d1', 0, 1, { table: 'discrete' }),
    ]);
    expect(ranges(plan)).toEqual(
      [
        '1:coil:1000:1900+1',
        '1:coil:1000:2100+1',
        '1:coil:1000:5+1',
        '1:discrete:1000:0+1',
        '1:holding:100:11+1',
        '1:holding:1000:10+4',
        '1:input:1000:10+1',
        '2:holding:1000:10+1',
      ].sort(),
    );
    const h = plan.reads.find((r) => r.table === 'holding' && r.intervalMs === 1000 && r.unitId === 1)!;
    expect(h.points).toEqual([
      { key: 'h1', offset: 0 },
      { key: 'h2', offset: 2 },
    ]);
  });

  it('bit tables use maxBitsPerRead and merge within the gap', () => {
    const points = Array.from({ length: 4000 }, (_, i) => pt(`c${i}`, i, 1, { table: 'coil' }));
    expect(new ModbusRequestPlanner(limits).plan(points).reads.map((r) => r.count)).toEqual([2000, 2000]);
  });

  it('several points on one register (bits of a status word) share it', () => {
    const plan = new ModbusRequestPlanner(limits).plan([pt('w', 7), pt('b0', 7), pt('b1', 7), pt('f', 6, 2)]);
    expect(ranges(plan)).toEqual(['1:holding:1000:6+2']);
    expect(plan.reads[0]!.points.map((p) => p.offset).sort()).toEqual([0, 1, 1, 1]);
  });

  it('honours a per-device maximum smaller than 125', () => {
    const points = Array.from({ length: 100 }, (_, i) => pt(`t${i}`, i));
    expect(
      new ModbusRequestPlanner({ ...limits, maxRegistersPerRead: 32 }).plan(points).reads.map((r) => r.count),
    ).toEqual([32, 32, 32, 4]);
  });

  it('reports points that cannot be read instead of planning a bad request', () => {
    const plan = new ModbusRequestPlanner({ ...limits, maxRegistersPerRead: 10 }).plan([
      pt('s', 0, 20),
      pt('end', 65535, 2),
      pt('ok', 100),
    ]);
    expect(plan.unplannable.map((u) => u.key).sort()).toEqual(['end', 's']);
    expect(plan.unplannable.find((u) => u.key === 's')!.reason).toMatch(
      /needs 20 registers, the device reads at most 10/,
    );
    expect(ranges(plan)).toEqual(['1:holding:1000:100+1']);
  });

  it('plans around refused addresses: never spans one, isolates a point that touches one', () => {
    const refused = new Set([5, 20]);
    const plan = new ModbusRequestPlanner(limits).plan(
      [pt('a', 0), pt('b', 4), pt('c', 6), pt('d', 20), pt('e', 21)],
      (_u, _t, address) => refused.has(address),
    );
    expect(ranges(plan)).toEqual(
      ['1:holding:1000:0+5', '1:holding:1000:20+1', '1:holding:1000:21+1', '1:holding:1000:6+1'].sort(),
    );
    expect(plan.reads.find((r) => r.start === 20)!.isolated).toBe(true);
    expect(plan.reads.filter((r) => r.isolated)).toHaveLength(1);
  });

  it('greedy plan is optimal: matches a brute-force minimum on small random layouts', () => {
    const max = 8;
    const gap = 2;
    const planner = new ModbusRequestPlanner({ maxRegistersPerRead: max, maxBitsPerRead: 2000, maxGap: gap });
    let seed = 42;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let trial = 0; trial < 200; trial++) {
      const points = Array.from({ length: 1 + rnd(7) }, (_, i) => pt(`p${i}`, rnd(30), 1 + rnd(3)));
      const sorted = [...points].sort((a, b) => a.address - b.address || b.count - a.count);
      // minimum partition into consecutive runs that fit (dynamic programming)
      const best: number[] = [0];
      for (let j = 1; j <= sorted.length; j++) {
        best[j] = Infinity;
        for (let i = j - 1; i >= 0; i--) {
          const run = sorted.slice(i, j);
          let end = run[0]!.address + run[0]!.count;
          let ok = true;
          for (const p of run.slice(1)) {
            if (p.address - end > gap) ok = false;
            end = Math.max(end, p.address + p.count);
          }
          if (ok && end - run[0]!.address <= max) best[j] = Math.min(best[j]!, best[i]! + 1);
        }
      }
      expect(planner.plan(points).reads.length).toBe(best[sorted.length]);
    }
  });
});
