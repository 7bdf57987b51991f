/**
 * Pure planning of monitored items and subscription timing: tags with the same sampling,
 * queue and deadband settings share one CreateMonitoredItems call (chunked to the server's
 * per-call limit), so 10,000 items take a handful of service calls.
 *
 * Queue size: a server samples each item on its own timer and keeps what it sampled in the
 * item's queue until the subscription's next publish. With a queue of one, a second sample
 * taken before that publish overwrites the first, so an item sampled every 1,000 ms on a
 * subscription publishing every 1,000 ms loses a value whenever the two timers drift past
 * each other (a late publish under load sees two samples, the next one none). Unless a tag
 * asks for its own queue, the driver asks for room for every sample of two publishing
 * intervals plus one (OPC UA Part 4, 5.12.1.5: a queue large enough to hold all notifications
 * generated between two consecutive publishing cycles; twice that, because a busy server
 * skips cycles: node-opcua takes nothing from the items' queues until it has sent all it took
 * last time, at most 1,000 notifications per publish response), oldest discarded first.
 */
import { DataChangeFilter, DataChangeTrigger, DeadbandType, type MonitoringParametersOptions } from 'node-opcua';
import type { DriverTag } from '../driver.js';
import type { OpcuaAddress } from './config.js';

export interface MonitoredItemPlan {
  readonly tags: readonly DriverTag<OpcuaAddress>[];
  readonly samplingMs: number;
  readonly queueSize: number;
  readonly deadband?: OpcuaAddress['deadband'];
}

/** Upper bound per call even when the server states no limit: keeps one request well below message limits. */
export const MAX_ITEMS_PER_CALL = 5000;

/** Largest queue the driver asks for by itself (a tag's own `queueSize` may ask for more). */
export const MAX_DEFAULT_QUEUE_SIZE = 100;

/**
 * The queue an item needs so that no sample is overwritten before the publish that carries
 * it: the samples of two publishing intervals (one publishing cycle missed), plus one for the
 * timers' jitter. At least 3, so equal sampling and publishing intervals do not alias;
 * sampling 0 (the server's fastest rate, or on change) counts as 1 ms and so gets the
 * largest default.
 */
export function defaultQueueSize(samplingMs: number, publishingMs: number): number {
  const perPublish = Math.max(1, Math.ceil(Math.max(1, publishingMs) / Math.max(1, samplingMs)));
  return Math.min(MAX_DEFAULT_QUEUE_SIZE, 2 * perPublish + 1);
}

/** `publishingMs`: the subscription's (revised) publishing interval, which sizes the default queue. */
export function planMonitoredItems(
  tags: readonly DriverTag<OpcuaAddress>[],
  defaultSamplingMs: number,
  maxPerCall: number,
  publishingMs: number,
): MonitoredItemPlan[] {
  const perCall = Math.max(1, Math.min(maxPerCall > 0 ? maxPerCall : MAX_ITEMS_PER_CALL, MAX_ITEMS_PER_CALL));
  const groups = new Map<
    string,
    { samplingMs: number; queueSize: number; deadband?: OpcuaAddress['deadband']; tags: DriverTag<OpcuaAddress>[] }
  >();
  for (const tag of tags) {
    const samplingMs = tag.address.samplingMs ?? defaultSamplingMs;
    const queueSize = tag.address.queueSize ?? defaultQueueSize(samplingMs, publishingMs);
    const deadband = tag.address.deadband;
    const key = `${samplingMs}|${queueSize}|${deadband ? `${deadband.kind}:${deadband.value}` : '-'}`;
    let group = groups.get(key);
    if (!group) {
      group = { samplingMs, queueSize, ...(deadband ? { deadband } : {}), tags: [] };
      groups.set(key, group);
    }
    group.tags.push(tag);
  }
  const plans: MonitoredItemPlan[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.tags.length; i += perCall) {
      plans.push({ ...group, tags: group.tags.slice(i, i + perCall) });
    }
  }
  return plans;
}

export function monitoringParameters(plan: MonitoredItemPlan): MonitoringParametersOptions {
  const params: MonitoringParametersOptions = {
    samplingInterval: plan.samplingMs,
    queueSize: plan.queueSize,
    discardOldest: true,
  };
  if (plan.deadband && plan.deadband.value > 0) {
    params.filter = new DataChangeFilter({
      trigger: DataChangeTrigger.StatusValue,
      deadbandType: plan.deadband.kind === 'percent' ? DeadbandType.Percent : DeadbandType.Absolute,
      deadbandValue: plan.deadband.value,
    });
  }
  return params;
}

export interface SubscriptionTiming {
  readonly publishingMs: number;
  readonly maxKeepAliveCount: number;
  readonly lifetimeCount: number;
}

/**
 * Keep-alive close to the fastest sampling interval: a quiet server still answers a publish
 * about once per sampling period, so a silent one is noticed within two periods.
 */
export function subscriptionTiming(publishingMs: number, fastestSamplingMs: number): SubscriptionTiming {
  const maxKeepAliveCount = Math.max(
    1,
    Math.min(100, Math.ceil(Math.max(fastestSamplingMs, publishingMs) / publishingMs)),
  );
  // Lifetime must be at least three keep-alives (OPC UA Part 4); a minute of publish gaps before the server drops it.
  const lifetimeCount = Math.max(3 * maxKeepAliveCount, Math.ceil(60_000 / publishingMs));
  return { publishingMs, maxKeepAliveCount, lifetimeCount };
}

/** How long without any publish response (data or keep-alive) before the connection is declared lost. */
export function publishSilenceLimitMs(revisedPublishingMs: number, revisedKeepAliveCount: number): number {
  const keepAliveMs = revisedPublishingMs * Math.max(1, revisedKeepAliveCount);
  return Math.max(2 * keepAliveMs, keepAliveMs + 500);
}
