/**
 * The alarm limits of every tag, for analog indicators and deviation cues: one
 * `alarms.definitions` request per connection (and again every `refreshMs`, so a limit an
 * engineer changed reaches the bars), shared by every indicator on every screen. DOM-free:
 * the link and the timers are injected.
 */
import type { AlarmDefinitionDto, ArgusApi } from '../../preload/contract.js';
import { limitsOf, type TagLimits } from '../format/analog-scale.js';

export interface LimitsLink {
  request: ArgusApi['request'];
  status(): { readonly phase: string };
  onStatus(listener: () => void): () => void;
}

export const LIMITS_REFRESH_MS = 5 * 60_000;
/**
 * After a failed request (a timeout, a refusal), how long before asking again. Without it
 * the next render of any indicator asked again at once, and a window could ask for the list
 * (1.5 MB at 50 substations) back to back for as long as the station was slow to answer.
 */
export const LIMITS_RETRY_MS = 15_000;
const NONE: TagLimits = Object.freeze({});

export class LimitsCache {
  private byTag = new Map<string, TagLimits>();
  private definitions: readonly AlarmDefinitionDto[] = [];
  private readonly listeners = new Set<() => void>();
  private loadedAt = -Infinity;
  private inFlight = false;
  private version = 0;
  private stopStatus: (() => void) | null = null;
  private wasConnected = false;

  constructor(
    private readonly link: LimitsLink,
    private readonly now: () => number = Date.now,
    private readonly refreshMs = LIMITS_REFRESH_MS,
    private readonly retryMs = LIMITS_RETRY_MS,
  ) {}

  /** The limits of a tag (an empty object when it has none or they are not loaded yet). */
  get(tag: string): TagLimits {
    this.ensure();
    return this.byTag.get(tag) ?? NONE;
  }

  /** Bumped whenever a new set of definitions arrived. */
  get loadedVersion(): number {
    return this.version;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.stopStatus ??= this.link.onStatus(() => {
      const connected = this.link.status().phase === 'connected';
      if (connected && !this.wasConnected) this.loadedAt = -Infinity;
      this.wasConnected = connected;
      this.ensure();
    });
    this.ensure();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.stopStatus) {
        this.stopStatus();
        this.stopStatus = null;
      }
    };
  };

  /** Loads the definitions when they are missing or older than `refreshMs` (and the link is up); after a failure, not before `retryMs`. */
  ensure(): void {
    if (this.inFlight || this.link.status().phase !== 'connected') return;
    if (this.now() - this.loadedAt < this.refreshMs) return;
    this.inFlight = true;
    this.loadedAt = this.now();
    void this.link
      .request('alarms.definitions', {})
      .then((reply) => {
        if (reply.ok) this.set(reply.value);
        else this.retryLater();
      })
      .catch(() => this.retryLater())
      .finally(() => {
        this.inFlight = false;
      });
  }

  /** Asks again `retryMs` from now (or at once after a reconnection). */
  private retryLater(): void {
    this.loadedAt = this.now() - this.refreshMs + this.retryMs;
  }

  /** Replaces the definitions (also used by tests). */
  set(definitions: readonly AlarmDefinitionDto[]): void {
    this.definitions = definitions;
    const tags = new Set(definitions.map((d) => d.tag).filter((t): t is string => t !== null));
    const next = new Map<string, TagLimits>();
    for (const tag of tags) next.set(tag, limitsOf(tag, definitions));
    this.byTag = next;
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  get size(): number {
    return this.definitions.length;
  }
}
