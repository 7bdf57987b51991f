/**
 * The Electron front door: the preload exposes exactly `ArgusApi` as `window.argus`.
 * IPC to the local runtime has no network to lose, so the status is always connected.
 */
import type { ArgusApi } from '../../preload/contract.js';
import type { ConnectionStatus, StationTransport } from './station-transport.js';

export function createIpcTransport(api: ArgusApi): StationTransport {
  const status: ConnectionStatus = {
    phase: 'connected',
    since: Date.now(),
    attempt: 0,
    nextRetryAt: null,
    everConnected: true,
  };
  return {
    door: 'ipc',
    request: (name, params) => api.request(name, params),
    on: (name, listener) => api.on(name, listener),
    status: () => status,
    onStatus: () => () => undefined,
    start: () => undefined,
    stop: () => undefined,
    // The runtime authorizes every IPC request by the window's session: nothing to gate here.
    setPreflight: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
  };
}
