/**
 * One window's feed of alarm changes: coalesced (the latest state per alarm wins, at
 * most one push per `flushMs`, so a flood of 10,000 transitions is a few messages, not
 * 10,000) and filtered to the plant areas of the window's user.
 */
import type { AlarmDto, EventPayload } from '../../../preload/contract.js';
import type { Disposer } from '../../../protocols/driver.js';
import type { Principal } from '../security/permissions.js';
import { coversArea } from '../security/permissions.js';

export interface AlarmFeed {
  subscribe(listener: (alarms: readonly AlarmDto[], silencedAt: number) => void): Disposer;
}

export class AlarmChannel {
  private readonly pending = new Map<string, AlarmDto>();
  private silencedAt = 0;
  private silenceChanged = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly dispose: Disposer;

  constructor(
    feed: AlarmFeed,
    private readonly send: (payload: EventPayload<'alarms.changed'>) => void,
    private readonly principal: () => Principal | null,
    private readonly flushMs = 100,
  ) {
    this.dispose = feed.subscribe((alarms, silencedAt) => {
      for (const a of alarms) this.pending.set(a.id, a);
      if (silencedAt !== this.silencedAt) {
        this.silencedAt = silencedAt;
        this.silenceChanged = true;
      }
      if ((this.pending.size > 0 || this.silenceChanged) && this.timer === null) {
        this.timer = setTimeout(() => this.flush(), this.flushMs);
        this.timer.unref();
      }
    });
  }

  private flush(): void {
    this.timer = null;
    const principal = this.principal();
    const alarms: AlarmDto[] = [];
    if (principal) for (const a of this.pending.values()) if (coversArea(principal.areas, a.area)) alarms.push(a);
    this.pending.clear();
    const silence = this.silenceChanged;
    this.silenceChanged = false;
    if (principal && (alarms.length > 0 || silence)) this.send({ alarms, silencedAt: this.silencedAt });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.dispose();
  }
}
