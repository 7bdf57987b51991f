/**
 * ModbusRequestPlanner: which reads to send so every point is covered with as few
 * requests as the device's limits allow. Pure: no I/O.
 *
 * Points are grouped by unit id, table and poll interval (a read serves one interval so a
 * fast group never drags a slow one along). Inside a group, points sorted by address are
 * merged greedily: a read grows while the next point keeps it within `maxRegistersPerRead`
 * (or `maxBitsPerRead` for coils/discrete inputs) and leaves at most `maxGap` unused
 * addresses before it. A point is never split across reads. Growing each read as far as it
 * can go is optimal here: any valid plan's first read covers a prefix of the sorted points,
 * and the greedy prefix is the longest valid one (the usual exchange argument).
 *
 * Addresses the device refused (exception 02, "illegal data address") are never spanned by a
 * merged read: a point touching one is read alone, so its failure cannot poison its
 * neighbours, and the driver can re-probe it now and then.
 */
import type { ModbusTable } from './config.js';

export interface PlannerPoint<K> {
  readonly key: K;
  readonly unitId: number;
  readonly table: ModbusTable;
  /** 0-based first register or bit. */
  readonly address: number;
  /** Registers (holding/input) or bits (coil/discrete) the point occupies. */
  readonly count: number;
  readonly intervalMs: number;
}

export interface PlannerLimits {
  readonly maxRegistersPerRead: number;
  readonly maxBitsPerRead: number;
  readonly maxGap: number;
}

export interface PlannedRead<K> {
  readonly unitId: number;
  readonly table: ModbusTable;
  readonly intervalMs: number;
  readonly start: number;
  readonly count: number;
  /** The points this read serves, with where each starts inside the answer. */
  readonly points: readonly { readonly key: K; readonly offset: number }[];
  /** True when the read was isolated because it touches an address the device refused. */
  readonly isolated: boolean;
}

export interface UnplannablePoint<K> {
  readonly key: K;
  readonly reason: string;
}

export interface ReadPlan<K> {
  readonly reads: readonly PlannedRead<K>[];
  readonly unplannable: readonly UnplannablePoint<K>[];
}

/** Answers whether the device refused this address before (exception 02). */
export type RefusedAddresses = (unitId: number, table: ModbusTable, address: number) => boolean;

export function isBitTable(table: ModbusTable): boolean {
  return table === 'coil' || table === 'discrete';
}

const MODBUS_ADDRESS_SPACE = 65536;

export class ModbusRequestPlanner {
  constructor(private readonly limits: PlannerLimits) {}

  plan<K>(points: readonly PlannerPoint<K>[], refused: RefusedAddresses = () => false): ReadPlan<K> {
    const unplannable: UnplannablePoint<K>[] = [];
    const groups = new Map<string, PlannerPoint<K>[]>();
    for (const point of points) {
      const max = this.maxFor(point.table);
      if (point.count < 1) {
        unplannable.push({ key: point.key, reason: `occupies ${point.count} addresses` });
      } else if (point.count > max) {
        unplannable.push({
          key: point.key,
          reason: `needs ${point.count} ${isBitTable(point.table) ? 'bits' : 'registers'}, the device reads at most ${max} per request`,
        });
      } else if (point.address + point.count > MODBUS_ADDRESS_SPACE) {
        unplannable.push({
          key: point.key,
          reason: `address ${point.address}+${point.count} runs past the end of the table (65535)`,
        });
      } else {
        const id = `${point.unitId}|${point.table}|${point.intervalMs}`;
        let group = groups.get(id);
        if (!group) groups.set(id, (group = []));
        group.push(point);
      }
    }
    const reads: PlannedRead<K>[] = [];
    for (const group of groups.values()) this.planGroup(group, refused, reads);
    return { reads, unplannable };
  }

  private maxFor(table: ModbusTable): number {
    return isBitTable(table) ? this.limits.maxBitsPerRead : this.limits.maxRegistersPerRead;
  }

  private planGroup<K>(group: PlannerPoint<K>[], refused: RefusedAddresses, out: PlannedRead<K>[]): void {
    group.sort((a, b) => a.address - b.address || b.count - a.count);
    const first = group[0]!;
    const { unitId, table, intervalMs } = first;
    const max = this.maxFor(table);
    const touchesRefused = (p: PlannerPoint<K>): boolean => {
      for (let a = p.address; a < p.address + p.count; a++) if (refused(unitId, table, a)) return true;
      return false;
    };
    const gapIsClean = (from: number, to: number): boolean => {
      for (let a = from; a < to; a++) if (refused(unitId, table, a)) return false;
      return true;
    };

    let current: { start: number; end: number; points: { key: K; offset: number }[] } | undefined;
    const flush = (): void => {
      if (current)
        out.push({
          unitId,
          table,
          intervalMs,
          start: current.start,
          count: current.end - current.start,
          points: current.points,
          isolated: false,
        });
      current = undefined;
    };
    for (const point of group) {
      const end = point.address + point.count;
      if (touchesRefused(point)) {
        out.push({
          unitId,
          table,
          intervalMs,
          start: point.address,
          count: point.count,
          points: [{ key: point.key, offset: 0 }],
          isolated: true,
        });
        continue;
      }
      if (current) {
        const gap = point.address - current.end;
        const newEnd = Math.max(current.end, end);
        if (
          gap <= this.limits.maxGap &&
          newEnd - current.start <= max &&
          (gap <= 0 || gapIsClean(current.end, point.address))
        ) {
          current.end = newEnd;
          current.points.push({ key: point.key, offset: point.address - current.start });
          continue;
        }
        flush();
      }
      current = { start: point.address, end, points: [{ key: point.key, offset: 0 }] };
    }
    flush();
  }
}
