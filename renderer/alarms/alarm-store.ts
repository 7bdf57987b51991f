/**
 * The console's copy of the station's alarm list. Events may be dropped for a slow
 * socket, so the store is rebuilt from `alarms.list` on every (re)connection and every
 * ~30 s, and follows `alarms.changed` in between. A change older than what the store
 * holds never overwrites it (an event that crossed a list reply in flight); an alarm
 * back to plain normal is removed. Framework-free and DOM-free; React reads it through
 * `useSyncExternalStore`.
 */
import type { AlarmDefinitionDto, AlarmDto } from '../../preload/contract.js';
import { equipmentKeyOfAlarm, isAnnunciated, worse } from './alarm-view.js';

export interface AlarmStoreSnapshot {
  /** Bumped on every change. */
  readonly version: number;
  readonly alarms: readonly AlarmDto[];
  /** When the horn was last silenced (station time). */
  readonly silencedAt: number;
  /** A full list has arrived on this connection. */
  readonly loaded: boolean;
  /** Station time minus this console's time at the last list, ms. */
  readonly clockOffsetMs: number;
}

type Listener = () => void;

export class AlarmStore {
  private readonly byId = new Map<string, AlarmDto>();
  /** Alarms removed (back to normal) since the last full list, with the time they went. */
  private readonly gone = new Map<string, number>();
  private silencedAt = 0;
  private loaded = false;
  private clockOffsetMs = 0;
  private version = 0;
  private snapshot: AlarmStoreSnapshot | null = null;
  private byTag: Map<string, AlarmDto> | null = null;
  private byEquipment: Map<string, AlarmDto> | null = null;
  private definitions = new Map<string, AlarmDefinitionDto>();
  private readonly listeners = new Set<Listener>();
  /** Selected alarm (banner and summary share it). */
  private selected: string | null = null;

  /** A full list replaces everything (after a reconnect, or the periodic resync). */
  replaceAll(alarms: readonly AlarmDto[], silencedAt: number, serverTime?: number, localTime?: number): void {
    this.byId.clear();
    this.gone.clear();
    for (const a of alarms) if (a.state !== 'normal') this.byId.set(a.id, a);
    this.silencedAt = silencedAt;
    this.loaded = true;
    if (serverTime !== undefined && localTime !== undefined) this.clockOffsetMs = serverTime - localTime;
    this.changed();
  }

  /** Changed alarms from an event (or buffered while a list was in flight). */
  apply(alarms: readonly AlarmDto[], silencedAt: number): void {
    let touched = silencedAt > this.silencedAt;
    if (touched) this.silencedAt = silencedAt;
    for (const a of alarms) {
      const held = this.byId.get(a.id);
      const heldAt = held?.changedAt ?? this.gone.get(a.id);
      if (heldAt !== undefined && a.changedAt < heldAt) continue;
      if (a.state === 'normal') {
        if (held) this.byId.delete(a.id);
        this.gone.set(a.id, a.changedAt);
      } else {
        this.byId.set(a.id, a);
        this.gone.delete(a.id);
      }
      touched = true;
    }
    if (touched) this.changed();
  }

  /** Nothing is known (signed out, another user). */
  clear(): void {
    this.byId.clear();
    this.gone.clear();
    this.definitions = new Map();
    this.loaded = false;
    this.silencedAt = 0;
    this.selected = null;
    this.changed();
  }

  setDefinitions(list: readonly AlarmDefinitionDto[]): void {
    this.definitions = new Map(list.map((d) => [d.id, d]));
    this.changed();
  }

  definition(id: string): AlarmDefinitionDto | undefined {
    return this.definitions.get(id);
  }

  get(id: string): AlarmDto | undefined {
    return this.byId.get(id);
  }

  get selectedId(): string | null {
    return this.selected !== null && this.byId.has(this.selected) ? this.selected : null;
  }

  select(id: string | null): void {
    if (id === this.selected) return;
    this.selected = id;
    this.changed();
  }

  getSnapshot = (): AlarmStoreSnapshot => {
    this.snapshot ??= {
      version: this.version,
      alarms: [...this.byId.values()],
      silencedAt: this.silencedAt,
      loaded: this.loaded,
      clockOffsetMs: this.clockOffsetMs,
    };
    return this.snapshot;
  };

  /** The most urgent annunciated alarm of a tag (for its value on a mimic). */
  worstForTag(tag: string): AlarmDto | undefined {
    this.index();
    return this.byTag!.get(tag);
  }

  /** The most urgent annunciated alarm of a piece of equipment (`SS01.P1`). */
  worstForEquipment(key: string): AlarmDto | undefined {
    this.index();
    return this.byEquipment!.get(key);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private index(): void {
    if (this.byTag && this.byEquipment) return;
    const byTag = new Map<string, AlarmDto>();
    const byEquipment = new Map<string, AlarmDto>();
    for (const a of this.byId.values()) {
      if (!isAnnunciated(a)) continue;
      if (a.tag) byTag.set(a.tag, worse(byTag.get(a.tag), a));
      const key = equipmentKeyOfAlarm(a);
      if (key) byEquipment.set(key, worse(byEquipment.get(key), a));
    }
    this.byTag = byTag;
    this.byEquipment = byEquipment;
  }

  private changed(): void {
    this.version++;
    this.snapshot = null;
    this.byTag = null;
    this.byEquipment = null;
    for (const listener of [...this.listeners]) listener();
  }
}
