/**
 * The connection to the station as the UI sees it: the contract's `ArgusApi` plus a
 * connection status, whichever front door carries it.
 */
import type { ArgusApi } from '../../preload/contract.js';

/** `paused`: deliberately not connected (nobody signed in), as opposed to a lost link. */
export type ConnectionPhase = 'connecting' | 'connected' | 'disconnected' | 'paused';

/**
 * Asked before every (re)connection: `open` the link, `hold` it closed until `resume()`
 * (nobody is signed in), or treat the station as `unreachable` and retry with back-off.
 */
export type Preflight = () => Promise<'open' | 'hold' | 'unreachable'>;

export interface ConnectionStatus {
  readonly phase: ConnectionPhase;
  /** When the phase began, ms since epoch. */
  readonly since: number;
  /** Reconnect attempts since the last successful connection. */
  readonly attempt: number;
  /** When the next reconnect attempt is due (while disconnected). */
  readonly nextRetryAt: number | null;
  /** Whether this window was ever connected (first load vs. lost connection). */
  readonly everConnected: boolean;
  readonly lastError?: string;
}

export interface StationTransport extends ArgusApi {
  /** Which front door: the Electron preload bridge or a WebSocket to the station server. */
  readonly door: 'ipc' | 'websocket';
  status(): ConnectionStatus;
  /** Listens to status changes; returns the unsubscribe function. */
  onStatus(listener: () => void): () => void;
  start(): void;
  stop(): void;
  /** Sets the check run before each connection attempt (the station server needs a session first). */
  setPreflight(preflight: Preflight): void;
  /** Closes the link and keeps it closed (sign-out). */
  pause(): void;
  /** Connects again after `pause()` or a held preflight (sign-in). */
  resume(): void;
}
