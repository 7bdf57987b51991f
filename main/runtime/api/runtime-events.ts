/**
 * Events the runtime pushes to every signed-in window besides tag values and device
 * status (history export progress, historian status). Each names the permission a
 * window needs to receive it.
 */
import type { EventName, EventPayload } from '../../../preload/contract.js';
import type { Disposer } from '../../../protocols/driver.js';
import type { Permission } from '../security/permissions.js';

export interface RuntimeEvent {
  readonly name: EventName;
  readonly data: unknown;
  readonly permission: Permission;
  /** Only for the window of this session (an export's progress goes to whoever started it). */
  readonly sessionId?: string;
}

export class RuntimeEvents {
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  emit<N extends EventName>(name: N, data: EventPayload<N>, permission: Permission, onlySession?: string): void {
    const event: RuntimeEvent =
      onlySession === undefined ? { name, data, permission } : { name, data, permission, sessionId: onlySession };
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: RuntimeEvent) => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
