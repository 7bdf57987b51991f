/**
 * One code path for both front doors: the Electron preload's `window.argus` when present,
 * else a WebSocket to the station server that served this page (with sign-in over HTTP).
 */
import type { ArgusApi } from '../../preload/contract.js';
import { createIpcTransport } from './ipc-transport.js';
import { createHttpSessionClient, createIpcSessionClient, type SessionClient } from './session-client.js';
import type { StationTransport } from './station-transport.js';
import { WebSocketTransport, stationSocketUrl } from './ws-transport.js';

function isArgusApi(x: unknown): x is ArgusApi {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ArgusApi).request === 'function' &&
    typeof (x as ArgusApi).on === 'function'
  );
}

export interface FrontDoor {
  readonly transport: StationTransport;
  readonly session: SessionClient;
}

export function chooseFrontDoor(): FrontDoor {
  const bridged: unknown = (window as unknown as { argus?: unknown }).argus;
  if (isArgusApi(bridged)) return { transport: createIpcTransport(bridged), session: createIpcSessionClient(bridged) };
  return {
    transport: new WebSocketTransport(stationSocketUrl(window.location)),
    session: createHttpSessionClient(window.location.href),
  };
}
