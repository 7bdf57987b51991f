/**
 * Per-device counters for the device status panel and GET /api/v1/health: requests,
 * errors by kind, round-trip times (last, p50, p95 over a sliding window). Pure.
 */
import type { ModbusFailureKind } from './exceptions.js';

const WINDOW = 256;

export class ModbusDiagnostics {
  requests = 0;
  errors = 0;
  private readonly byKind: Record<ModbusFailureKind, number> = {
    exception: 0,
    timeout: 0,
    closed: 0,
    malformed: 0,
    connect: 0,
  };
  private readonly rtts = new Float64Array(WINDOW);
  private rttCount = 0;
  /** The window sorted (in place, no garbage: status is read for every panel push), for `rttCount` requests. */
  private readonly sorted = new Float64Array(WINDOW);
  private sortedFor = 0;
  private lastRtt: number | undefined;
  connects = 0;
  polls = 0;
  overruns = 0;
  requestsPerPoll = 0;
  refusedAddresses = 0;

  recordRequest(ok: boolean, rttMs: number, kind?: ModbusFailureKind): void {
    this.requests++;
    if (ok) {
      this.rtts[this.rttCount % WINDOW] = rttMs;
      this.rttCount++;
      this.lastRtt = rttMs;
    } else {
      this.recordError(kind ?? 'malformed');
    }
  }

  recordError(kind: ModbusFailureKind): void {
    this.errors++;
    this.byKind[kind]++;
  }

  errorsOf(kind: ModbusFailureKind): number {
    return this.byKind[kind];
  }

  /** Round-trip percentile over the last successful requests, ms; undefined before any. */
  rttPercentile(p: number): number | undefined {
    const n = Math.min(this.rttCount, WINDOW);
    if (n === 0) return undefined;
    if (this.sortedFor !== this.rttCount) {
      this.sorted.set(this.rtts.subarray(0, n));
      this.sorted.subarray(0, n).sort(); // a typed array sorts numerically
      this.sortedFor = this.rttCount;
    }
    return this.sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  }

  snapshot(): Record<string, number | string> {
    const out: Record<string, number | string> = {
      requests: this.requests,
      errors: this.errors,
      timeouts: this.byKind.timeout,
      exceptions: this.byKind.exception,
      malformedAnswers: this.byKind.malformed,
      connectionsLost: this.byKind.closed,
      connectFailures: this.byKind.connect,
      connects: this.connects,
      polls: this.polls,
      pollOverruns: this.overruns,
      requestsPerPoll: this.requestsPerPoll,
      refusedAddresses: this.refusedAddresses,
    };
    const round = (x: number): number => Math.round(x * 100) / 100;
    if (this.lastRtt !== undefined) out.lastRttMs = round(this.lastRtt);
    const p50 = this.rttPercentile(50);
    const p95 = this.rttPercentile(95);
    if (p50 !== undefined) out.rttP50Ms = round(p50);
    if (p95 !== undefined) out.rttP95Ms = round(p95);
    return out;
  }
}
