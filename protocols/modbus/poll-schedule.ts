/**
 * When each interval group of reads is polled: one timer per group, drift-free (the next
 * due time advances by the interval, never by how long the poll took), and a device slower
 * than its poll rate is polled back to back, never queued up. The driver says whether a poll
 * may start and runs it; this module only keeps time.
 */
import type { PreparedRead } from './poll-samples.js';

export interface PollGroup {
  readonly intervalMs: number;
  readonly reads: readonly PreparedRead[];
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  /** A tick came while the previous poll was still running: poll again as soon as it ends. */
  overdue: boolean;
  nextDue: number;
  retired: boolean;
}

export interface PollHooks {
  /** The device is stopped: no more ticks. */
  stopped(): boolean;
  /** Start polling the group now if the connection allows (the hook sets `running`). */
  startPoll(group: PollGroup): void;
  /** A tick found the previous poll still running. */
  overrun(): void;
}

/** Reads grouped by their interval, one group each. */
export function groupByInterval(reads: readonly PreparedRead[]): PollGroup[] {
  const byInterval = new Map<number, PreparedRead[]>();
  for (const read of reads) {
    let list = byInterval.get(read.intervalMs);
    if (!list) byInterval.set(read.intervalMs, (list = []));
    list.push(read);
  }
  return [...byInterval].map(([intervalMs, list]) => ({
    intervalMs,
    reads: list,
    timer: undefined,
    running: false,
    overdue: false,
    nextDue: performance.now(),
    retired: false,
  }));
}

export class PollSchedule {
  groups: PollGroup[] = [];

  constructor(private readonly hooks: PollHooks) {}

  /** Replace every group (a new plan); the old ones stop ticking. */
  replace(groups: PollGroup[]): void {
    this.retireAll();
    this.groups = groups;
  }

  retireAll(): void {
    for (const group of this.groups) retire(group);
  }

  clear(): void {
    this.retireAll();
    this.groups = [];
  }

  /** Poll every group now and keep their timers going (a new connection, a new plan). */
  kickAll(): void {
    for (const group of this.groups) this.kick(group);
  }

  kick(group: PollGroup): void {
    clearTimeout(group.timer);
    group.nextDue = performance.now();
    this.tick(group);
  }

  private tick(group: PollGroup): void {
    if (group.retired || this.hooks.stopped()) return;
    if (group.running) {
      this.hooks.overrun();
      group.overdue = true;
    } else this.hooks.startPoll(group);
    const now = performance.now();
    group.nextDue += group.intervalMs;
    if (group.nextDue < now) group.nextDue = now + group.intervalMs;
    group.timer = setTimeout(() => this.tick(group), group.nextDue - now);
    group.timer.unref();
  }
}

function retire(group: PollGroup): void {
  group.retired = true;
  clearTimeout(group.timer);
  group.timer = undefined;
}
