/**
 * The connection to the station as the UI sees it: the contract's `ArgusApi` plus a
 * connection status, whichever front door carries it.
 */
import type { ArgusApi } from '../../preload/contract.js';

export type ConnectionPhase = 'connecting' | 'connected' | 'disconnected';

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
}
