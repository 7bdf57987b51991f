/**
 * Keeps an AlarmStore in step with the station: the full list (`alarms.table`) on every connection
 * and every `resyncMs` (events can be dropped for a slow socket), `alarms.changed` events
 * in between. Events that arrive while a list is in flight are held and applied after it
 * (the store ignores the ones the list already covers). Definitions (rationalization)
 * load once per connection. DOM-free; the transport and the timers are injected.
 */
import type { ArgusApi } from '../../preload/contract.js';
import type { ConnectionPhase } from '../transport/station-transport.js';
import type { AlarmStore } from './alarm-store.js';
import { asAlarmPayload, asDefinitions } from './alarm-validate.js';
import { readAlarmTable } from './alarm-table-read.js';

export interface AlarmLink {
  request: ArgusApi['request'];
  on: ArgusApi['on'];
  status(): { readonly phase: ConnectionPhase };
  onStatus(listener: () => void): () => void;
}

export interface AlarmSyncOptions {
  readonly resyncMs?: number;
  readonly now?: () => number;
  readonly setInterval?: (fn: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
}

export const RESYNC_MS = 30_000;

export class AlarmSync {
  private readonly disposers: (() => void)[] = [];
  private held: { alarms: unknown; silencedAt: unknown }[] | null = null;
  private generation = 0;
  private phase: ConnectionPhase | null = null;
  private definitionsLoaded = false;
  private timer: unknown = null;
  /** The last list's error, if it failed (shown in the summary). */
  lastError: string | null = null;

  constructor(
    private readonly link: AlarmLink,
    private readonly store: AlarmStore,
    private readonly options: AlarmSyncOptions = {},
  ) {}

  start(): void {
    this.disposers.push(
      this.link.on('alarms.changed', (payload) => {
        if (this.held) {
          this.held.push(payload);
          return;
        }
        const p = asAlarmPayload(payload);
        if (p) this.store.apply(p.alarms, p.silencedAt);
      }),
      this.link.onStatus(() => this.onStatus()),
    );
    const every = this.options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
    this.timer = every(() => {
      if (this.link.status().phase === 'connected' && !this.held) void this.load();
    }, this.options.resyncMs ?? RESYNC_MS);
    this.onStatus();
  }

  stop(): void {
    for (const d of this.disposers.splice(0)) d();
    if (this.timer !== null)
      (this.options.clearInterval ?? ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>)))(this.timer);
    this.timer = null;
    this.generation++;
  }

  private onStatus(): void {
    const phase = this.link.status().phase;
    if (phase === this.phase) return;
    this.phase = phase;
    this.generation++;
    this.held = null;
    if (phase === 'connected') {
      this.definitionsLoaded = false;
      void this.load();
    }
  }

  /** Fetch the full list now (connection, periodic resync, or after a command). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.held = [];
    const asked = (this.options.now ?? Date.now)();
    // The compact table: a flood's list in a third of the bytes of `alarms.list`.
    const reply = await this.link.request('alarms.table', {});
    if (generation !== this.generation) return;
    const held = this.held;
    this.held = null;
    if (!reply.ok) {
      this.lastError = `${reply.error.code}: ${reply.error.message}`;
      return;
    }
    const p = readAlarmTable(reply.value);
    if (!p) {
      this.lastError = 'the station sent an alarm list in a layout this console does not read';
      return;
    }
    this.lastError = null;
    const answered = (this.options.now ?? Date.now)();
    this.store.replaceAll(p.alarms, p.silencedAt, p.serverTime ?? undefined, (asked + answered) / 2);
    for (const event of held) {
      const e = asAlarmPayload(event);
      if (e) this.store.apply(e.alarms, e.silencedAt);
    }
    if (!this.definitionsLoaded) {
      this.definitionsLoaded = true;
      const defs = await this.link.request('alarms.definitions', {});
      if (defs.ok) this.store.setDefinitions(asDefinitions(defs.value));
      else this.definitionsLoaded = false;
    }
  }
}
