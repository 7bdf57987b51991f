/**
 * The station-server front door: the contract over a WebSocket to `/ws` on the page's own
 * host. Requests are `{ id, method, params }`, replies `{ id, reply }`, pushes
 * `{ event, data }`. The socket reconnects with back-off; while it is down every request
 * answers UNAVAILABLE at once (nothing hangs), and a liveness probe drops a socket that
 * has gone silent so a dead link cannot pass for a quiet plant.
 */
import type {
  EventName,
  EventPayload,
  Reply,
  RequestName,
  RequestParams,
  RequestResult,
} from '../../preload/contract.js';
import { reconnectDelayMs } from './backoff.js';
import { parseServerFrame } from './loose-validate.js';
import type { ConnectionStatus, Preflight, StationTransport } from './station-transport.js';

const REQUEST_TIMEOUT_MS = 15_000;
/** With no frame for this long, probe the link with a cheap request... */
const IDLE_PROBE_MS = 5_000;
/** ...and give up on the socket if nothing at all arrives for this long. */
const DEAD_LINK_MS = 12_000;

/**
 * Reads whose reply is the same for every part of the window: a caller asking while one is
 * under way shares its reply instead of sending another. The alarm definitions (1.5 MB at 50
 * substations) are asked for by the limits cache, the alarm list and a mimic screen as the
 * window connects.
 */
const SHARED_READS: ReadonlySet<RequestName> = new Set<RequestName>(['alarms.definitions']);

interface Pending {
  readonly resolve: (reply: Reply<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export function stationSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

function unavailable(message: string): Reply<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

export class WebSocketTransport implements StationTransport {
  readonly door = 'websocket' as const;
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly sharedReads = new Map<RequestName, Promise<Reply<unknown>>>();
  private readonly eventListeners = new Map<string, Set<(data: unknown) => void>>();
  private readonly statusListeners = new Set<() => void>();
  private current: ConnectionStatus = {
    phase: 'connecting',
    since: Date.now(),
    attempt: 0,
    nextRetryAt: null,
    everConnected: false,
  };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private lastProbeAt = 0;
  private stopped = true;
  private paused = false;
  private preflight: Preflight | null = null;
  /** Bumped by every open/pause so an outdated preflight answer is ignored. */
  private openToken = 0;

  constructor(private readonly url: string) {}

  status(): ConnectionStatus {
    return this.current;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
    this.watchdog = setInterval(() => this.checkLink(), 1000);
  }

  setPreflight(preflight: Preflight): void {
    this.preflight = preflight;
  }

  pause(): void {
    this.paused = true;
    this.openToken++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'signed out');
    this.failPending('signed out');
    this.setStatus({ phase: 'paused', nextRetryAt: null, attempt: 0 });
  }

  resume(): void {
    this.paused = false;
    if (this.stopped || this.ws) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    this.openToken++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.failPending('transport stopped');
  }

  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Reply<RequestResult<N>>> {
    if (!SHARED_READS.has(name)) return this.send(name, params);
    const under = this.sharedReads.get(name);
    if (under) return under as Promise<Reply<RequestResult<N>>>;
    const reply = this.send(name, params).finally(() => this.sharedReads.delete(name));
    this.sharedReads.set(name, reply);
    return reply;
  }

  private send<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Reply<RequestResult<N>>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(unavailable('not connected to the station'));
    const id = this.nextId++;
    return new Promise<Reply<RequestResult<N>>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable(`${name} timed out`));
      }, REQUEST_TIMEOUT_MS);
      // The reply's value is only loosely checked by the caller (the server validated it).
      this.pending.set(id, { resolve: resolve as (reply: Reply<unknown>) => void, timer });
      try {
        ws.send(JSON.stringify({ id, method: name, params }));
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(unavailable(`cannot send ${name}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    let set = this.eventListeners.get(name);
    if (!set) {
      set = new Set();
      this.eventListeners.set(name, set);
    }
    // Payloads are checked by the listener (loose-validate); the transport only routes them.
    const route = listener as (data: unknown) => void;
    set.add(route);
    return () => set.delete(route);
  }

  private setStatus(next: Partial<ConnectionStatus> & Pick<ConnectionStatus, 'phase'>): void {
    const phaseChanged = next.phase !== this.current.phase;
    this.current = { ...this.current, ...next, since: phaseChanged ? Date.now() : this.current.since };
    for (const listener of [...this.statusListeners]) listener();
  }

  private async open(): Promise<void> {
    if (this.stopped || this.paused) return;
    this.retryTimer = null;
    const token = ++this.openToken;
    this.setStatus({ phase: 'connecting', nextRetryAt: null });
    if (this.preflight) {
      let verdict: Awaited<ReturnType<Preflight>>;
      try {
        verdict = await this.preflight();
      } catch {
        verdict = 'unreachable';
      }
      if (token !== this.openToken || this.stopped || this.paused) return;
      if (verdict === 'hold') {
        this.setStatus({ phase: 'paused', nextRetryAt: null, attempt: 0 });
        return;
      }
      if (verdict === 'unreachable') {
        this.scheduleReconnect('station unreachable');
        return;
      }
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this.scheduleReconnect(err instanceof Error ? err.message : String(err));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      this.setStatus({ phase: 'connected', attempt: 0, nextRetryAt: null, everConnected: true, lastError: undefined });
    };
    ws.onmessage = (message: MessageEvent) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      this.handleFrame(message.data);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending('connection to the station lost');
      const reason = event.reason || (event.code === 1000 ? 'closed' : `socket closed (code ${event.code})`);
      this.scheduleReconnect(reason);
    };
    // An error is always followed by close, which does the work.
    ws.onerror = () => undefined;
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped || this.paused) return;
    const attempt = this.current.phase === 'connected' ? 0 : this.current.attempt;
    const delay = reconnectDelayMs(attempt);
    this.setStatus({ phase: 'disconnected', attempt: attempt + 1, nextRetryAt: Date.now() + delay, lastError: reason });
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  private handleFrame(data: unknown): void {
    const frame = parseServerFrame(data);
    if (!frame) return;
    if (frame.kind === 'reply') {
      const pending = this.pending.get(frame.id);
      if (!pending) return;
      this.pending.delete(frame.id);
      clearTimeout(pending.timer);
      pending.resolve(frame.reply);
      return;
    }
    const listeners = this.eventListeners.get(frame.event);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(frame.data);
      } catch (err) {
        // One faulty listener must not starve the others of live values.
        console.warn(`listener for ${frame.event} failed`, err);
      }
    }
  }

  private failPending(message: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.resolve(unavailable(message));
    }
  }

  private checkLink(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const silent = Date.now() - this.lastFrameAt;
    if (silent > DEAD_LINK_MS) {
      // close() may take long on a dead link: forget the socket now and reconnect.
      this.ws = null;
      ws.close();
      this.failPending('connection to the station timed out');
      this.scheduleReconnect('no answer from the station');
    } else if (silent > IDLE_PROBE_MS && Date.now() - this.lastProbeAt > IDLE_PROBE_MS) {
      this.lastProbeAt = Date.now();
      void this.request('session.info', {});
    }
  }
}
