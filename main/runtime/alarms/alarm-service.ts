/**
 * The alarm service: the engine wired to the plant. It feeds the engine tag samples and
 * device states, drives its clock, stores every transition in the journal (batched),
 * restores states at start, and tells listeners (client windows) which alarms changed.
 * Operator commands arrive here already authorized (see api/alarm-handlers.ts).
 *
 * Argus's own problems are alarms too (`raiseSystem`): the historian, the audit trail,
 * the journal itself, a clock that jumped. Models and OPC UA servers register their
 * alarms with `defineExternal` and drive them with `setExternal`.
 */
import type { AlarmDto, AlarmDefinitionDto } from '../../../preload/contract.js';
import type { Disposer } from '../../../protocols/driver.js';
import type { ProjectConfig } from '../config/schema.js';
import type { TagTable } from '../tags/tag-table.js';
import type { Logger } from '../logging/logger.js';
import { alarmSettingsSchema, type AlarmConfig, type AlarmPriority, type AlarmSettings } from './alarm-config.js';
import {
  externalDefinition,
  projectAlarmDefinitions,
  type AlarmDefinition,
  type LocalText,
} from './alarm-definitions.js';
import { AlarmEngine, type AlarmRecord, type AlarmValue } from './alarm-engine.js';
import { AlarmJournal, type JournalFilter } from './alarm-journal.js';
import type { AlarmEvent, AlarmState } from './alarm-state-machine.js';
import { isListed, toAlarmDto, toDefinitionDto, type ResponseRules } from './alarm-dto.js';
import { computeKpis, type AlarmKpis } from './alarm-kpis.js';

/** What the service needs of the device registry. */
export interface DeviceStates {
  list(): readonly { readonly device: string; readonly state: string }[];
  onChange(listener: () => void): Disposer;
}

/** Acknowledging an alarm that a server owns (an OPC UA condition) goes to that server. */
export type ExternalAcknowledger = (id: string, user: string, comment: string | null) => Promise<void>;

export type AlarmListener = (alarms: readonly AlarmDto[], silencedAt: number) => void;

export interface AlarmServiceOptions {
  readonly project: ProjectConfig;
  readonly tags: TagTable;
  readonly devices: DeviceStates;
  /** `alarms.db` path. */
  readonly file: string;
  readonly log: Logger;
  readonly now?: () => number;
  /** How often time-driven work runs (delays, shelve expiry, frozen sensors), ms. */
  readonly tickMs?: number;
  /** How long transitions may wait before they are written, ms. */
  readonly flushMs?: number;
}

export class AlarmCommandError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'AlarmCommandError';
  }
}

export const SYSTEM_ALARM_PREFIX = 'STATION.ARGUS.';
const CLOCK_JUMP_MS = 5000;

/** The wait before the next journal write after `failures` failed ones in a row: 2, 4, 8, then every 10 s. */
export function flushRetryDelayMs(failures: number): number {
  return Math.min(10_000, 2000 * 2 ** Math.max(0, failures - 1));
}

const HORN_ID = `${SYSTEM_ALARM_PREFIX}HORN`;
/** The horn is not an alarm; its silencing is journaled under this name. */
const hornDefinition = externalDefinition({
  id: HORN_ID,
  source: 'system',
  kind: 'horn',
  priority: 'diagnostic',
  message: { en: 'Horn silenced', zh: '消音' },
});

export class AlarmService {
  readonly engine: AlarmEngine;
  readonly journal: AlarmJournal;
  readonly settings: AlarmSettings;
  private readonly now: () => number;
  private readonly rules: ResponseRules;
  private silencedAt = 0;
  private readonly listeners = new Set<AlarmListener>();
  private readonly acknowledgers = new Map<string, ExternalAcknowledger>();
  private readonly disposers: Disposer[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** Failed journal writes in a row, and when (performance.now()) the next may try. */
  private flushFailures = 0;
  private flushRetryAt = 0;
  private tickTimer: NodeJS.Timeout | null = null;
  private lastTick: { wall: number; mono: number } | null = null;
  private stopped = false;
  private definitionDtos: { version: number; list: readonly AlarmDefinitionDto[] } | null = null;

  constructor(private readonly options: AlarmServiceOptions) {
    this.now = options.now ?? Date.now;
    this.settings = options.project.alarmSettings ?? alarmSettingsSchema.parse({});
    this.rules = {
      ackWithinMs: this.settings.ackWithinMin * 60_000,
      resolveWithinMs: this.settings.resolveWithinMin * 60_000,
    };
    this.engine = new AlarmEngine(projectAlarmDefinitions(options.project), {
      now: this.now,
      sampleOf: (tag) => options.tags.get(tag),
    });
    this.journal = new AlarmJournal({
      file: options.file,
      onHealth: (problem) => {
        if (problem) options.log.error({ problem }, 'alarm journal write failed');
        else options.log.info({}, 'alarm journal writes again');
        this.raiseSystem('JOURNAL', problem !== null, {
          priority: 'high',
          message: {
            en: 'Alarm journal cannot be written: transitions are held in memory',
            zh: '报警日志无法写入:状态变化暂存于内存',
          },
          action: {
            en: 'Free disk space in the data folder or release the locked file.',
            zh: '释放数据目录的磁盘空间或解除文件锁定。',
          },
        });
      },
    });
  }

  /** Restore saved states, then follow the plant. */
  start(): void {
    const saved = this.journal.loadStates();
    const silenced = this.journal.getMeta('silencedAt');
    this.silencedAt = silenced === null ? 0 : Number(silenced) || 0;
    this.engine.restore(saved);
    // The latest values are already in the tag table; device states as they are now.
    this.engine.applySamples([...this.options.tags.all()]);
    this.onDevices();
    this.disposers.push(
      this.options.tags.subscribe((updates) => {
        const samples = [];
        for (const u of updates) if (u.changed || this.engine.needsEverySample(u.sample.tag)) samples.push(u.sample);
        if (samples.length === 0) return;
        this.engine.applySamples(samples);
        this.publish();
      }),
    );
    this.disposers.push(this.options.devices.onChange(() => this.onDevices()));
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
    this.tickTimer.unref();
    this.publish();
    this.options.log.info({ alarms: this.engine.size, restored: saved.size }, 'alarm engine started');
  }

  private onDevices(): void {
    for (const d of this.options.devices.list()) this.engine.deviceConnected(d.device, d.state === 'connected');
    this.publish();
  }

  private tick(): void {
    const wall = this.now();
    const mono = performance.now();
    if (this.lastTick) {
      const drift = wall - this.lastTick.wall - (mono - this.lastTick.mono);
      if (Math.abs(drift) > CLOCK_JUMP_MS) {
        this.options.log.warn({ driftMs: Math.round(drift) }, 'the system clock jumped');
        const text = {
          en: `System clock jumped by ${Math.round(drift / 1000)} s: times around it may be out of order`,
          zh: `系统时钟跳变 ${Math.round(drift / 1000)} 秒:前后时间可能错乱`,
        };
        this.raiseSystem('CLOCK', true, {
          priority: 'low',
          message: text,
          latch: true,
          value: Math.round(drift / 1000),
        });
        // Latched: the list keeps showing the jump as the alarm's value after the condition clears.
        this.raiseSystem('CLOCK', false, {
          priority: 'low',
          message: text,
          latch: true,
          value: Math.round(drift / 1000),
        });
      }
    }
    this.lastTick = { wall, mono };
    this.engine.tick();
    this.publish();
  }

  /** Hand the engine's transitions to the journal and the listeners. */
  private publish(): void {
    const { records, changed } = this.engine.drain();
    if (records.length === 0 && changed.length === 0) return;
    const states = new Map<string, AlarmState>();
    const dtos: AlarmDto[] = [];
    for (const id of changed) {
      const snap = this.engine.get(id);
      if (!snap) continue;
      states.set(id, snap.state);
      dtos.push(toAlarmDto(snap, this.rules));
    }
    this.journal.append(
      records.map((record) => ({ record, def: this.engine.get(record.alarmId)!.def })),
      states,
    );
    this.scheduleFlush();
    for (const listener of this.listeners) listener(dtos, this.silencedAt);
  }

  private scheduleFlush(delay = this.options.flushMs ?? 50): void {
    if (this.flushTimer || this.stopped) return;
    // After a failed write the next try waits its turn even when new transitions come: each
    // try may hold the event loop for the journal's busy timeout.
    const wait = Math.max(delay, this.flushRetryAt - performance.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.journal.flush().then(
        () => {
          this.flushFailures = 0;
          this.flushRetryAt = 0;
        },
        () => {
          this.flushFailures++;
          this.flushRetryAt = performance.now() + flushRetryDelayMs(this.flushFailures);
          this.scheduleFlush();
        },
      );
    }, wait);
  }

  /** Store what is queued now (tests, shutdown). */
  flush(): Promise<void> {
    return this.journal.flush();
  }

  subscribe(listener: AlarmListener): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get silenced(): number {
    return this.silencedAt;
  }

  list(): AlarmDto[] {
    const out: AlarmDto[] = [];
    for (const s of this.engine.all()) if (isListed(s)) out.push(toAlarmDto(s, this.rules));
    return out;
  }

  get(id: string): AlarmDto | undefined {
    const s = this.engine.get(id);
    return s && toAlarmDto(s, this.rules);
  }

  definition(id: string): AlarmDefinition | undefined {
    return this.engine.get(id)?.def;
  }

  /**
   * Every definition as the contract carries it. Built again only after a definition changed
   * (a limit set, an alarm defined at run time): at 50 substations the list is 5,000
   * definitions, asked for by every window on every connection.
   */
  definitions(): readonly AlarmDefinitionDto[] {
    const version = this.engine.definitionsVersion;
    if (this.definitionDtos?.version !== version)
      this.definitionDtos = { version, list: [...this.engine.all()].map((s) => toDefinitionDto(s.def)) };
    return this.definitionDtos.list;
  }

  private require(id: string): AlarmDefinition {
    const def = this.engine.get(id)?.def;
    if (!def) throw new AlarmCommandError('NOT_FOUND', `unknown alarm ${id}`);
    return def;
  }

  private run(id: string, event: AlarmEvent, user: string, comment: string | null): AlarmDto {
    this.require(id);
    const result = this.engine.command(id, event, user, comment)!;
    this.publish();
    if (result.refused) throw new AlarmCommandError('BAD_REQUEST', `${id}: ${result.refused}`);
    return this.get(id)!;
  }

  /** Acknowledge each of `ids`; server-owned alarms (OPC UA) are acknowledged at their server first. */
  async acknowledge(
    ids: readonly string[],
    user: string,
    comment: string | null,
  ): Promise<{ acknowledged: string[]; refused: { id: string; reason: string }[] }> {
    const acknowledged: string[] = [];
    const refused: { id: string; reason: string }[] = [];
    const at = this.now();
    for (const id of ids) {
      if (!this.engine.has(id)) {
        refused.push({ id, reason: 'unknown alarm' });
        continue;
      }
      const external = this.acknowledgers.get(id);
      if (external) {
        try {
          await external(id, user, comment);
        } catch (err) {
          refused.push({
            id,
            reason: `the server refused the acknowledgement: ${err instanceof Error ? err.message : String(err)}`,
          });
          continue;
        }
      }
      const result = this.engine.command(id, { type: 'acknowledge', at, user }, user, comment)!;
      if (result.refused) refused.push({ id, reason: result.refused });
      else acknowledged.push(id);
    }
    this.publish();
    return { acknowledged, refused };
  }

  comment(id: string, user: string, text: string): void {
    this.require(id);
    this.engine.note(id, 'commented', user, text);
    this.publish();
  }

  shelve(id: string, user: string, reason: string, minutes: number | null): AlarmDto {
    const at = this.now();
    return this.run(
      id,
      { type: 'shelve', at, user, reason, until: minutes === null ? null : at + minutes * 60_000 },
      user,
      reason,
    );
  }

  unshelve(id: string, user: string): AlarmDto {
    return this.run(id, { type: 'unshelve', at: this.now() }, user, null);
  }

  setOutOfService(id: string, user: string, outOfService: boolean, reason: string | null): AlarmDto {
    const at = this.now();
    if (outOfService) {
      if (!reason) throw new AlarmCommandError('BAD_REQUEST', 'taking an alarm out of service needs a reason');
      return this.run(id, { type: 'remove-from-service', at, user, reason }, user, reason);
    }
    return this.run(id, { type: 'return-to-service', at }, user, reason);
  }

  /**
   * Silence the horn for everything annunciated so far; alarms stay unacknowledged. One
   * journal row (`STATION.ARGUS.HORN silenced`, with the user and how many were sounding).
   */
  silence(user: string, soundingCount: number): number {
    this.silencedAt = this.now();
    this.journal.setMeta('silencedAt', String(this.silencedAt));
    const record: AlarmRecord = {
      at: this.silencedAt,
      alarmId: HORN_ID,
      kind: 'silenced',
      state: 'normal',
      condition: false,
      value: soundingCount,
      limit: null,
      user,
      comment: null,
    };
    this.journal.append([{ record, def: hornDefinition }], new Map());
    this.scheduleFlush();
    for (const listener of this.listeners) listener([], this.silencedAt);
    return this.silencedAt;
  }

  /** New settings for a configured alarm (already validated and written to the project file). */
  reconfigure(id: string, config: AlarmConfig, user: string, change: string): void {
    if (!this.engine.reconfigure(id, config))
      throw new AlarmCommandError('BAD_REQUEST', `${id} has no configurable limit`);
    this.engine.note(id, 'limit-changed', user, change);
    this.publish();
  }

  /** Register an alarm raised by code (predictive, OPC UA condition); `acknowledge` routes acks to its owner. */
  defineExternal(def: AlarmDefinition, acknowledge?: ExternalAcknowledger): void {
    this.engine.define(def);
    if (acknowledge) this.acknowledgers.set(def.id, acknowledge);
    else this.acknowledgers.delete(def.id);
  }

  setExternal(id: string, active: boolean, value: AlarmValue = null): void {
    if (!this.engine.setExternal(id, active, value))
      throw new AlarmCommandError('NOT_FOUND', `no external alarm ${id}`);
    this.publish();
  }

  /** An alarm about Argus itself: `STATION.ARGUS.<what>`, defined on first use. */
  raiseSystem(
    what: string,
    active: boolean,
    info: { priority: AlarmPriority; message: LocalText; action?: LocalText; latch?: boolean; value?: AlarmValue },
  ): void {
    if (this.stopped) return;
    const id = `${SYSTEM_ALARM_PREFIX}${what}`;
    const existing = this.engine.get(id)?.def;
    if (!existing || existing.message.en !== info.message.en) {
      this.engine.define(
        externalDefinition({
          id,
          source: 'system',
          kind: 'system',
          priority: info.priority,
          message: info.message,
          action: info.action ?? null,
          equipment: 'Argus',
          latch: info.latch ?? false,
          screen: 'devices',
        }),
      );
    }
    this.engine.setExternal(id, active, info.value ?? null);
    this.publish();
  }

  queryJournal(filter: JournalFilter): { entries: ReturnType<AlarmJournal['query']>; more: boolean } {
    const limit = filter.limit ?? 500;
    const entries = this.journal.query({ ...filter, limit: limit + 1 });
    return { entries: entries.slice(0, limit), more: entries.length > limit };
  }

  kpis(from: number, to: number, areas?: readonly string[]): AlarmKpis {
    const now = this.now();
    const current = [...this.engine.all()]
      .filter((s) => !areas || areas.length === 0 || (s.def.area !== null && areas.includes(s.def.area)))
      .map((s) => ({ id: s.def.id, state: toAlarmDto(s).state, activeSince: s.state.activeSince }));
    return computeKpis(this.journal.iterate({ from, to, areas }), current, now, {
      from,
      to,
      operators: this.settings.operators,
      ackWithinMs: this.settings.ackWithinMin * 60_000,
      resolveWithinMs: this.settings.resolveWithinMin * 60_000,
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const d of this.disposers.splice(0)) d();
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.publish();
    await this.journal.close();
  }
}
