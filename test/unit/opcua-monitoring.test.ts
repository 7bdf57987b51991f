import { describe, expect, it } from 'vitest';
import { DataChangeFilter, DeadbandType } from 'node-opcua';
import type { DriverTag } from '../../protocols/driver.js';
import type { OpcuaAddress } from '../../protocols/opcua/config.js';
import {
  defaultQueueSize,
  monitoringParameters,
  planMonitoredItems,
  publishSilenceLimitMs,
  subscriptionTiming,
} from '../../protocols/opcua/monitoring.js';

function tag(i: number, address: Partial<OpcuaAddress> = {}): DriverTag<OpcuaAddress> {
  return { name: `T${i}`, address: { nodeId: `ns=1;i=${i}`, ...address }, intervalMs: 1000 };
}

describe('monitored item planning', () => {
  it('puts 10,000 items with the same settings into few calls, within the per-call limit', () => {
    const tags = Array.from({ length: 10_000 }, (_, i) => tag(i));
    const plans = planMonitoredItems(tags, 1000, 0, 1000);
    expect(plans.length).toBe(2);
    expect(plans.reduce((n, p) => n + p.tags.length, 0)).toBe(10_000);
    expect(planMonitoredItems(tags, 1000, 1000, 1000).length).toBe(10);
    expect(planMonitoredItems(tags, 1000, 100_000, 1000).length).toBe(2);
  });
  it('separates sampling rates, queue sizes and deadbands', () => {
    const plans = planMonitoredItems(
      [
        tag(1),
        tag(2, { samplingMs: 100 }),
        tag(3, { queueSize: 5 }),
        tag(4, { deadband: { kind: 'percent', value: 2 } }),
        tag(5),
      ],
      500,
      0,
      500,
    );
    expect(
      plans.map((p) => [p.samplingMs, p.queueSize, p.deadband?.kind ?? '-', p.tags.map((t) => t.name).join(',')]),
    ).toEqual([
      [500, 3, '-', 'T1,T5'],
      [100, 11, '-', 'T2'],
      [500, 5, '-', 'T3'],
      [500, 3, 'percent', 'T4'],
    ]);
  });
  it('builds data-change filters for deadbands', () => {
    const [abs] = planMonitoredItems([tag(1, { deadband: { kind: 'absolute', value: 0.5 } })], 1000, 0, 1000);
    const params = monitoringParameters(abs!);
    expect(params.filter).toBeInstanceOf(DataChangeFilter);
    expect((params.filter as DataChangeFilter).deadbandType).toBe(DeadbandType.Absolute);
    expect((params.filter as DataChangeFilter).deadbandValue).toBe(0.5);
    const [none] = planMonitoredItems([tag(1)], 1000, 0, 1000);
    expect(monitoringParameters(none!)).toEqual({ samplingInterval: 1000, queueSize: 3, discardOldest: true });
  });
  it('asks by default for a queue that holds two publishing intervals of samples and one more', () => {
    // Equal intervals: a publish that comes late, or a publishing cycle the server skips, loses nothing.
    expect(defaultQueueSize(1000, 1000)).toBe(3);
    // Sampling slower than publishing: the same room.
    expect(defaultQueueSize(1000, 250)).toBe(3);
    expect(defaultQueueSize(100, 1000)).toBe(21);
    expect(defaultQueueSize(300, 1000)).toBe(9);
    // The server's fastest rate (0) and very fast sampling stop at the largest default.
    expect(defaultQueueSize(0, 1000)).toBe(100);
    expect(defaultQueueSize(1, 60_000)).toBe(100);
  });
  it("keeps a tag's own queue size, even 1 (the latest value only)", () => {
    const plans = planMonitoredItems([tag(1, { queueSize: 1 }), tag(2, { queueSize: 500 }), tag(3)], 100, 0, 1000);
    expect(plans.map((p) => [p.queueSize, p.tags.map((t) => t.name).join(',')])).toEqual([
      [1, 'T1'],
      [500, 'T2'],
      [21, 'T3'],
    ]);
  });
});

describe('subscription timing', () => {
  it('keeps keep-alive near the fastest sampling period', () => {
    expect(subscriptionTiming(250, 1000)).toMatchObject({ maxKeepAliveCount: 4 });
    expect(subscriptionTiming(250, 100)).toMatchObject({ maxKeepAliveCount: 1 });
    const t = subscriptionTiming(100, 60_000);
    expect(t.maxKeepAliveCount).toBe(100);
    expect(t.lifetimeCount).toBeGreaterThanOrEqual(3 * t.maxKeepAliveCount);
  });
  it('declares silence after two keep-alive periods', () => {
    expect(publishSilenceLimitMs(250, 4)).toBe(2000);
    expect(publishSilenceLimitMs(100, 1)).toBe(600);
  });
});
