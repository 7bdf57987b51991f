/**
 * What `ingest()` hands over, waiting for the writer: the queue of sample arrays (taken
 * in slices, without copying them), and the record of what a full buffer had to drop
 * (per tag: from, to, count), which becomes gap records once samples are accepted again.
 * No I/O.
 */
import type { Sample } from '../../../protocols/driver.js';
import type { GapRecord } from './series-store.js';

export class IngestQueue {
  private readonly chunks: (readonly Sample[])[] = [];
  private head = 0;
  private offset = 0;
  /** Samples waiting. */
  queued = 0;

  push(samples: readonly Sample[]): void {
    this.chunks.push(samples);
    this.queued += samples.length;
  }

  /** Hand up to `maxSamples` waiting samples to `each`, in order; returns how many. */
  take(maxSamples: number, each: (s: Sample) => void): number {
    let taken = 0;
    while (taken < maxSamples && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head] as readonly Sample[];
      const end = Math.min(chunk.length, this.offset + (maxSamples - taken));
      for (let i = this.offset; i < end; i++) each(chunk[i] as Sample);
      taken += end - this.offset;
      if (end === chunk.length) {
        this.chunks[this.head] = [];
        this.head++;
        this.offset = 0;
      } else {
        this.offset = end;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
    this.queued -= taken;
    return taken;
  }
}

/** One episode of dropping (the buffer stayed full): per tag, what was dropped. */
export class DropEpisode {
  private readonly spans = new Map<string, { from: number; to: number; samples: number }>();

  constructor(readonly reason: string) {}

  /** Count dropped samples; returns how many tags were new to this episode (new gap records). */
  add(samples: readonly Sample[]): number {
    let newTags = 0;
    for (const s of samples) {
      const span = this.spans.get(s.tag);
      if (span) {
        if (s.sourceTime < span.from) span.from = s.sourceTime;
        if (s.sourceTime > span.to) span.to = s.sourceTime;
        span.samples++;
      } else {
        this.spans.set(s.tag, { from: s.sourceTime, to: s.sourceTime, samples: 1 });
        newTags++;
      }
    }
    return newTags;
  }

  gaps(): GapRecord[] {
    return [...this.spans].map(([tag, span]) => ({ tag, ...span, reason: this.reason }));
  }
}
