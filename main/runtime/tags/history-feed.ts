/**
 * What of the tag bus goes to the historian: every sample whose source time moved on.
 * A re-confirmation (the same reading passed on again with a newer receive time, as OPC UA
 * subscriptions do for quiet values) adds nothing to history and would read as out of order.
 */
import type { Sample } from '../../../protocols/driver.js';
import type { TagUpdate } from './tag-table.js';

export class HistoryFeed {
  private readonly lastSourceTime = new Map<string, number>();

  select(updates: readonly TagUpdate[]): Sample[] {
    const fresh: Sample[] = [];
    for (const { sample } of updates) {
      const previous = this.lastSourceTime.get(sample.tag);
      if (previous !== undefined && sample.sourceTime <= previous) continue;
      this.lastSourceTime.set(sample.tag, sample.sourceTime);
      fresh.push(sample);
    }
    return fresh;
  }
}
