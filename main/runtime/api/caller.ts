/**
 * Who is calling the contract, as each front door knows it. The runtime resolves the
 * principal from this on every call; nothing the caller sends can claim an identity.
 */
import type { Principal } from '../security/permissions.js';

/** Where a door keeps a window's session id: Electron per webContents, the station server in a cookie. */
export interface SessionBinding {
  get(): string | null;
  set(sessionId: string | null): void;
  /** False where the door cannot change the session from here (a WebSocket cannot set a cookie). */
  readonly canChange: boolean;
}

export interface DoorContext {
  /** For the audit trail: "desktop", "ws 10.0.0.7", "http 127.0.0.1". */
  readonly source: string;
  readonly session: SessionBinding;
  /** A read-only API token's principal (REST only). */
  readonly tokenPrincipal?: Principal;
  /** Narrows the live pushes to the window behind this door (doors that push: WebSocket, Electron IPC). */
  readonly watchTags?: (tags: ReadonlySet<string> | null) => void;
}

export interface Caller extends DoorContext {
  /** The signed-in user, or null for requests that need none. */
  readonly principal: Principal | null;
}

/** A binding for tests and tools that hold the session id themselves. */
export function memorySessionBinding(initial: string | null = null): SessionBinding {
  let id = initial;
  return { get: () => id, set: (next) => void (id = next), canChange: true };
}
