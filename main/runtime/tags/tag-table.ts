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

/** One tag's place in the table: found once per sample, updated in place (one map lookup per sample). */
interface Slot {
  sample: Sample;
}

export class TagTable {
  private readonly latest = new Map<string, Slot>();
  private readonly listeners = new Set<TagListener>();

  /** Every known tag starts Bad until its first value arrives: nothing downstream invents a value. */
  constructor(tagNames: Iterable<string>, now: number = Date.now()) {
    for (const tag of tagNames) {
      this.latest.set(tag, {
        sample: {
          tag,
          value: null,
          quality: { code: 'Bad', reason: 'no value received yet' },
          sourceTime: now,
          receiveTime: now,
        },
      });
    }
  }

  /** Add tags that appear at run time (a model's outputs); each starts Bad until its first value. */
  define(tagNames: Iterable<string>, now: number = Date.now()): void {
    for (const tag of tagNames) {
      if (!this.latest.has(tag))
        this.latest.set(tag, {
          sample: {
            tag,
            value: null,
            quality: { code: 'Bad', reason: 'no value received yet' },
            sourceTime: now,
            receiveTime: now,
          },
        });
    }
  }

  has(tag: string): boolean {
    return this.latest.has(tag);
  }

  get(tag: string): Sample | undefined {
    return this.latest.get(tag)?.sample;
  }

  names(): IterableIterator<string> {
    return this.latest.keys();
  }

  *all(): IterableIterator<Sample> {
    for (const slot of this.latest.values()) yield slot.sample;
  }

  get size(): number {
    return this.latest.size;
  }

  /**
   * Store samples (ignoring tags the project does not know) and notify listeners once per batch.
   * Returns how the number of tags whose quality is not Good moved (+1 for each tag that turned
   * Bad or Uncertain, −1 for each that turned Good), so a caller can keep a count without
   * walking every tag.
   */
  apply(samples: readonly Sample[]): number {
    // Sized once (nearly every sample is an update) rather than grown push by push.
    const updates = new Array<TagUpdate>(samples.length);
    let n = 0;
    let notGood = 0;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i]!;
      const slot = this.latest.get(sample.tag);
      if (slot === undefined) continue;
      const previous = slot.sample;
      // A late-arriving older sample must not overwrite a newer one.
      if (sample.receiveTime < previous.receiveTime && sample.sourceTime < previous.sourceTime) continue;
      const changed =
        !sameValue(previous.value, sample.value) ||
        (previous.quality !== sample.quality && !sameQuality(previous.quality, sample.quality));
      const wasGood = previous.quality.code === 'Good';
      if (wasGood !== (sample.quality.code === 'Good')) notGood += wasGood ? 1 : -1;
      slot.sample = sample;
      updates[n++] = { sample, changed };
    }
    if (n === 0) return 0;
    if (n < updates.length) updates.length = n;
    for (const listener of this.listeners) listener(updates);
    return notGood;
  }

  subscribe(listener: TagListener): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
