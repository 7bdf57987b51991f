/**
 * The alarm system performance figures (EEMUA 191, ISA-18.2 §16) from a journal built by
 * hand: every expected figure below is counted from the rows, not read back from the code.
 *
 * The hour (6 periods of 10 min, 2 operators):
 *   period 0  CHAT ×4 in 50 s (low), SLOW ×2 at 5 and 7 min (medium)          →  6
 *   period 1  EDGE ×3 at 10:00, 10:30, 11:01 — 61 s apart end to end (low)    →  3
 *   period 2  F01…F11 once each, 30 s apart (F01…F10 high, F11 critical)      → 11 (flood: more than 10)
 *   period 3  F01…F10 once more                                               → 10 (not a flood: exactly 10)
 *   period 4  OOS ×5 while out of service, SHLV while shelved, SUPP while suppressed → 0
 *   period 5  SLOW re-alarmed                                                 →  1
 * Annunciated: 31. Counts: CHAT 4, EDGE 3, SLOW 3, F01…F10 2 each, F11 1.
 */
import { describe, expect, it } from 'vitest';
import { computeKpis, type KpiCurrent, type KpiRow } from '../../main/runtime/alarms/alarm-kpis.js';

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const options = { from: T0, to: T0 + HOUR, operators: 2, ackWithinMs: 5 * MIN, resolveWithinMs: 30 * MIN };

function row(at: number, alarmId: string, priority: string, kind = 'activated', state = 'unack-active'): KpiRow {
  return { at, alarmId, kind, state, priority, message: `${alarmId} message` };
}

const F = Array.from({ length: 11 }, (_, i) => `F${String(i + 1).padStart(2, '0')}`);

function journal(): KpiRow[] {
  const rows: KpiRow[] = [];
  for (const s of [0, 20, 40, 50]) rows.push(row(T0 + s * 1000, 'CHAT', 'low'));
  rows.push(row(T0 + 5 * MIN, 'SLOW', 'medium'), row(T0 + 7 * MIN, 'SLOW', 'medium'));
  for (const s of [0, 30, 61]) rows.push(row(T0 + 10 * MIN + s * 1000, 'EDGE', 'low'));
  F.forEach((id, i) => rows.push(row(T0 + 20 * MIN + i * 30_000, id, id === 'F11' ? 'critical' : 'high')));
  F.slice(0, 10).forEach((id, i) => rows.push(row(T0 + 30 * MIN + i * 30_000, id, 'high')));
  for (let i = 0; i < 5; i++) rows.push(row(T0 + 40 * MIN + i * MIN, 'OOS', 'high', 'activated', 'out-of-service'));
  rows.push(row(T0 + 46 * MIN, 'SHLV', 'high', 'activated', 'shelved'));
  rows.push(row(T0 + 47 * MIN, 'SUPP', 'high', 'realarmed', 'suppressed'));
  rows.push(row(T0 + 50 * MIN, 'SLOW', 'medium', 'realarmed'));
  return rows.sort((a, b) => a.at - b.at);
}

describe('alarm KPIs from a journal', () => {
  const now = T0 + HOUR;
  const k = computeKpis(journal(), [], now, options);

  it('counts only annunciated activations: out-of-service, shelved and suppressed ones are left out of the rates', () => {
    expect(k.activations).toBe(31);
    expect(k.operators).toBe(2);
    expect(k.perOperatorPer10Min).toBeCloseTo(31 / 2 / 6, 10);
    expect(k.perOperatorPerHour).toBeCloseTo(15.5, 10);
    expect(k.top.map((a) => a.id)).not.toContain('OOS');
    expect(k.top.map((a) => a.id)).not.toContain('SHLV');
    expect(k.chattering.map((c) => c.id)).not.toContain('OOS');
  });

  it('gives the share of 10-minute periods in flood (more than 10 new alarms; exactly 10 is not a flood)', () => {
    expect(k.periods).toBe(6);
    expect(k.floodPeriods).toBe(1);
    expect(k.floodShare).toBeCloseTo(1 / 6, 10);
    expect(k.peakPer10Min).toBe(11);
  });

  it('ranks the top 10 by count (ties by name) with their share of the load', () => {
    expect(k.top.map((a) => [a.id, a.count])).toEqual([
      ['CHAT', 4],
      ['EDGE', 3],
      ['SLOW', 3],
      ['F01', 2],
      ['F02', 2],
      ['F03', 2],
      ['F04', 2],
      ['F05', 2],
      ['F06', 2],
      ['F07', 2],
    ]);
    expect(k.top[0]!.share).toBeCloseTo(4 / 31, 10);
    expect(k.top[0]!.message).toBe('CHAT message');
    expect(k.topShare).toBeCloseTo(24 / 31, 10);
  });

  it('finds the chattering alarms (3 or more activations within a minute) and not one spread over 61 s', () => {
    expect(k.chattering).toEqual([{ id: 'CHAT', maxPerMinute: 4 }]);
  });

  it('gives the priority distribution of the annunciated activations', () => {
    expect(k.priorities.low!.count).toBe(7);
    expect(k.priorities.medium!.count).toBe(3);
    expect(k.priorities.high!.count).toBe(20);
    expect(k.priorities.critical!.count).toBe(1);
    expect(k.priorities.diagnostic!.count).toBe(0);
    expect(k.priorities.low!.share).toBeCloseTo(7 / 31, 10);
    expect(k.priorities.high!.share).toBeCloseTo(20 / 31, 10);
    expect(k.priorities.diagnostic!.share).toBe(0);
  });

  it('counts three activations exactly one minute apart end to end as chattering', () => {
    const rows = [0, 30, 60].map((s) => row(T0 + s * 1000, 'TRIO', 'low'));
    expect(computeKpis(rows, [], now, options).chattering).toEqual([{ id: 'TRIO', maxPerMinute: 3 }]);
  });

  it('lists as stale the alarms active more than 24 h, but not shelved, out-of-service or normal ones', () => {
    const current: KpiCurrent[] = [
      { id: 'OLD', state: 'unack-active', activeSince: now - 25 * HOUR },
      { id: 'OLD_ACKED', state: 'ack-active', activeSince: now - 3 * DAY },
      { id: 'EXACT', state: 'ack-active', activeSince: now - DAY },
      { id: 'YOUNG', state: 'unack-active', activeSince: now - 23 * HOUR },
      { id: 'OLD_OOS', state: 'out-of-service', activeSince: now - 30 * HOUR },
      { id: 'OLD_SHELVED', state: 'shelved', activeSince: now - 30 * HOUR },
      { id: 'CLEAR', state: 'normal', activeSince: null },
    ];
    const s = computeKpis(journal(), current, now, options);
    expect(s.stale).toEqual([
      { id: 'OLD', activeSince: now - 25 * HOUR },
      { id: 'OLD_ACKED', activeSince: now - 3 * DAY },
    ]);
    expect(s.shelvedNow).toBe(1);
    expect(s.outOfServiceNow).toBe(1);
    expect(s.suppressedNow).toBe(0);
  });
});
