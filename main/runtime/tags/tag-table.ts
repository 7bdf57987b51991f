/**
 * The tag table holds the latest sample of every tag and tells listeners what
 * arrived. Every sample is passed on (consumers such as the historian and client
 * channels need the receive-time refresh too); `changed` marks the ones whose
 * value or quality differ from what was there before.
 */
import type { Sample, TagValue, Quality } from '../../../protocols/driver.js';
import type { Disposer } from '../../../protocols/driver.js';

export interface TagUpdate {
  readonly sample: Sample;
  /** Value or quality differs from the previous sample. */
  readonly changed: boolean;
}

export type TagListener = (updates: readonly TagUpdate[]) => void;

function sameValue(a: TagValue, b: TagValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function sameQuality(a: Quality, b: Quality): boolean {
  return a.code === b.code && a.reason === b.reason;
}

export class TagTable {
  private readonly latest = new Map<string, Sample>();
  private readonly listeners = new Set<TagListener>();

  /** Every known tag starts Bad until its first value arrives: nothing downstream invents a value. */
  constructor(tagNames: Iterable<string>, now: number = Date.now()) {
    for (const tag of tagNames) {
      this.latest.set(tag, { tag, value: null, quality: { code: 'Bad', reason: 'no value received yet' }, sourceTime: now, receiveTime: now });
    }
  }

  /** Add tags that appear at run time (a model's outputs); each starts Bad until its first value. */
  define(tagNames: Iterable<string>, now: number = Date.now()): void {
    for (const tag of tagNames) {
      if (!this.latest.has(tag)) this.latest.set(tag, { tag, value: null, quality: { code: 'Bad', reason: 'no value received yet' }, sourceTime: now, receiveTime: now });
    }
  }

  has(tag: string): boolean {
    return this.latest.has(tag);
  }

  get(tag: string): Sample | undefined {
    return this.latest.get(tag);
  }

  names(): IterableIterator<string> {
    return this.latest.keys();
  }

  all(): IterableIterator<Sample> {
    return this.latest.values();
  }

  get size(): number {
    return this.latest.size;
  }

  /** Store samples (ignoring tags the project does not know) and notify listeners once per batch. */
  apply(samples: readonly Sample[]): void {
    const updates: TagUpdate[] = [];
    for (const sample of samples) {
      const previous = this.latest.get(sample.tag);
      if (!previous) continue;
      // A late-arriving older sample must not overwrite a newer one.
      if (sample.receiveTime < previous.receiveTime && sample.sourceTime < previous.sourceTime) continue;
      const changed = !sameValue(previous.value, sample.value) || !sameQuality(previous.quality, sample.quality);
      this.latest.set(sample.tag, sample);
      updates.push({ sample, changed });
    }
    if (updates.length === 0) return;
    for (const listener of this.listeners) listener(updates);
  }

  subscribe(listener: TagListener): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
