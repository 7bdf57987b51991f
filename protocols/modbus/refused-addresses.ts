/**
 * What a Modbus device has refused (exception 02, illegal data address), and how much to
 * believe it. One refusal is not enough to stop asking: a refused point is still read alone
 * each poll until it was refused on two connections or three times in a row, and then only
 * skipped until the connection ends — every new connection re-probes it at once (a peer that
 * misbehaved on one connection is not believed on the next), and a good answer forgets it.
 * Entries are also forgotten after `reprobeMs`, so a PLC whose program changed is tried again.
 * Pure: the clock is passed in.
 */
import type { ModbusTable } from './config.js';

/** Evidence that a device refuses an address. */
interface RefusedAddress {
  /** Planned around until then (reprobeMs after the last refusal). */
  until: number;
  /** Refusals in a row (a good answer forgets the address). */
  refusals: number;
  /** Distinct connections on which it was refused. */
  connections: number;
  lastConnection: number;
}

/** An address range on one unit and table. */
export interface AddressSpan {
  readonly unitId: number;
  readonly table: ModbusTable;
  readonly start: number;
  readonly count: number;
}

const key = (unitId: number, table: ModbusTable, address: number): string => `${unitId}|${table}|${address}`;

export class RefusedAddresses {
  private readonly entries = new Map<string, RefusedAddress>();

  constructor(
    private readonly now: () => number,
    private readonly reprobeMs: number,
  ) {}

  /** Whether the planner should read this address alone (refused, not yet forgotten). */
  readonly isRefused = (unitId: number, table: ModbusTable, address: number): boolean => {
    const entry = this.entries.get(key(unitId, table, address));
    return entry !== undefined && entry.until > this.now();
  };

  /**
   * An isolated read is skipped only when every address it covers was refused with enough
   * evidence (two connections, or three times in a row) and already probed on `connection`.
   */
  skips(read: AddressSpan, connection: number): boolean {
    const now = this.now();
    for (let a = read.start; a < read.start + read.count; a++) {
      const entry = this.entries.get(key(read.unitId, read.table, a));
      if (!entry || entry.until <= now || entry.lastConnection !== connection) return false;
      if (entry.connections < 2 && entry.refusals < 3) return false;
    }
    return true;
  }

  /** A read answered: none of its addresses is refused any more. True when something was forgotten. */
  forget(read: AddressSpan): boolean {
    let forgot = false;
    for (let a = read.start; a < read.start + read.count; a++)
      forgot = this.entries.delete(key(read.unitId, read.table, a)) || forgot;
    return forgot;
  }

  /** The device refused these addresses on `connection`. */
  remember(span: AddressSpan, connection: number): void {
    const until = this.now() + this.reprobeMs;
    for (let a = span.start; a < span.start + span.count; a++) {
      const k = key(span.unitId, span.table, a);
      const entry = this.entries.get(k);
      if (!entry) this.entries.set(k, { until, refusals: 1, connections: 1, lastConnection: connection });
      else {
        entry.until = until;
        entry.refusals++;
        if (entry.lastConnection !== connection) entry.connections++;
        entry.lastConnection = connection;
      }
    }
  }

  /** Forget entries whose re-probe time has come; true when any did (the plan changes). */
  expire(): boolean {
    const now = this.now();
    let expired = false;
    for (const [k, { until }] of this.entries) {
      if (until <= now) {
        this.entries.delete(k);
        expired = true;
      }
    }
    return expired;
  }

  /** Addresses currently planned around (for diagnostics). */
  activeCount(): number {
    const now = this.now();
    let n = 0;
    for (const entry of this.entries.values()) if (entry.until > now) n++;
    return n;
  }
}
