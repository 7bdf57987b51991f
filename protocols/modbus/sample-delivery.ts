/**
 * The subscribers of one Modbus driver and the tags each asked for: which tags exist (all,
 * per unit, by name), Bad samples for any of them, and handing each subscriber its samples.
 * A consumer that throws is logged and does not stop the others; nothing is delivered once
 * the driver is stopped.
 */
import type { DriverLogger } from '../driver.js';
import { addSample, badSample, type Batch, type BoundTag, type Subscription } from './poll-samples.js';

export class SampleDelivery {
  private readonly subscriptions = new Set<Subscription>();
  private stopped = false;

  constructor(
    private readonly device: string,
    private readonly log: DriverLogger,
  ) {}

  add(sub: Subscription): void {
    this.subscriptions.add(sub);
  }

  /** False when the subscription was already gone. */
  remove(sub: Subscription): boolean {
    return this.subscriptions.delete(sub);
  }

  /** No more deliveries (the driver is stopping). */
  stop(): void {
    this.stopped = true;
  }

  allTags(): BoundTag[] {
    const tags: BoundTag[] = [];
    for (const sub of this.subscriptions) tags.push(...sub.tags);
    return tags;
  }

  tagsOfUnit(unitId: number): BoundTag[] {
    const tags: BoundTag[] = [];
    for (const sub of this.subscriptions) for (const tag of sub.tags) if (tag.unitId === unitId) tags.push(tag);
    return tags;
  }

  unitIds(): Set<number> {
    const unitIds = new Set<number>();
    for (const sub of this.subscriptions) for (const tag of sub.tags) unitIds.add(tag.unitId);
    return unitIds;
  }

  find(name: string): BoundTag | undefined {
    for (const sub of this.subscriptions) for (const tag of sub.tags) if (tag.name === name) return tag;
    return undefined;
  }

  /** Bad samples (each keeping its tag's last value) into the batch. */
  addBad(batch: Batch, tags: readonly BoundTag[], reason: string, time: number): void {
    for (const tag of tags) addSample(batch, tag.sub, badSample(tag, reason, time));
  }

  deliver(batch: Batch): void {
    if (this.stopped) return;
    for (const [sub, samples] of batch) {
      if (samples.length === 0 || !this.subscriptions.has(sub)) continue;
      try {
        sub.onSamples(samples);
      } catch (error) {
        this.log.error({ device: this.device, err: String(error) }, 'sample consumer threw');
      }
    }
  }
}
