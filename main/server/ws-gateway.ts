/**
 * Carries the contract over WebSocket: `{ id, method, params }` in, `{ id, reply }`
 * and `{ event, data }` out. Every incoming frame is size-limited, parsed and
 * validated; a bad one gets an error reply and the connection stays up.
 */
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  MAX_WS_MESSAGE_BYTES,
  errorReply,
  wsClientMessageSchema,
  type WsServerMessage,
  type EventName,
  type EventPayload,
} from '../../preload/contract.js';
import { dispatch } from '../runtime/api/dispatch.js';
import { ClientChannel } from '../runtime/api/client-channel.js';
import type { StationRuntime } from '../runtime/station.js';
import { channelAccessFor } from '../runtime/api/channel-access.js';
import type { DoorContext } from '../runtime/api/caller.js';
import { sessionIdFromRequest } from './session-cookie.js';
import { defaultWsBudget, WS_OVER_BUDGET, WsRequestBudget, type WsBudgetPolicy } from './ws-budget.js';

/** Stop pushing events to a client that cannot keep up rather than buffer without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface WsGatewayOptions {
  /** The server's Host allow-list (DNS rebinding); the upgrade is refused with 421 otherwise. */
  readonly hostAllowed: (host: string | undefined) => boolean;
  /** Per-socket request budget; defaults in ws-budget.ts. */
  readonly budget?: Partial<WsBudgetPolicy>;
}

export interface WsGateway {
  readonly clients: () => number;
  close(): Promise<void>;
}

/** The browser must come from this server's own origin (the socket carries plant control). */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser (tools, tests); no ambient credentials to abuse
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}

export function attachWsGateway(server: Server, runtime: StationRuntime, options: WsGatewayOptions): WsGateway {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false });
  const budgetPolicy: WsBudgetPolicy = { ...defaultWsBudget, ...options.budget };

  const { security } = runtime;
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (!options.hostAllowed(req.headers.host)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws' || !originAllowed(req.headers.origin, req.headers.host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    // A socket belongs to a session (a locked one too: it still needs to hear that it is locked).
    const sessionId = sessionIdFromRequest(req, security.secret);
    const check = sessionId ? security.auth.peek(sessionId) : null;
    if (!sessionId || !check || (!check.ok && check.reason !== 'LOCKED')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, sessionId));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage, sessionId: string) => {
    // The socket cannot set cookies: sign-in changes go over HTTP and the window reconnects.
    const door: DoorContext = {
      source: `ws ${req.socket.remoteAddress ?? 'unknown'}`,
      session: { get: () => sessionId, set: () => undefined, canChange: false },
      watchTags: (tags) => channel.watch(tags),
    };
    const budget = new WsRequestBudget(budgetPolicy, Date.now());
    let resumeTimer: NodeJS.Timeout | null = null;
    const overBudget = (reason: string): void => {
      runtime.log.warn({ source: door.source, reason }, 'websocket closed: over its budget');
      ws.close(WS_OVER_BUDGET.code, reason);
      // A client that does not read will not read the close frame either.
      setTimeout(() => ws.terminate(), 2000).unref();
    };
    const send = (message: WsServerMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(message));
      if (budget.overflowing(ws.bufferedAmount)) overBudget(WS_OVER_BUDGET.buffer);
    };
    /** Back-pressure: stop reading while at the in-flight limit or while replies pile up unread. */
    const pauseIfNeeded = (): void => {
      if (ws.isPaused || !budget.shouldPause(ws.bufferedAmount)) return;
      ws.pause();
      resumeTimer ??= setInterval(() => {
        if (ws.readyState !== ws.OPEN) return stopResumeTimer();
        if (budget.overflowing(ws.bufferedAmount)) return overBudget(WS_OVER_BUDGET.buffer);
        if (budget.mayResume(ws.bufferedAmount)) {
          stopResumeTimer();
          ws.resume();
        }
      }, 50);
    };
    const stopResumeTimer = (): void => {
      if (resumeTimer) clearInterval(resumeTimer);
      resumeTimer = null;
    };
    const channel = new ClientChannel(
      runtime.tags,
      runtime.devices,
      <N extends EventName>(event: N, data: EventPayload<N>) => {
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
        send({ event, data });
        // The session behind this socket has ended (signed out, switched, expired): close it, the
        // window reconnects with its new cookie or shows the sign-in screen.
        if (event === 'auth.changed' && (data as { state: string }).state === 'signed-out')
          ws.close(4401, 'session ended');
      },
      channelAccessFor(security, door.session),
      { events: runtime.events, alarms: runtime.alarms, congested: () => ws.bufferedAmount > MAX_BUFFERED_BYTES },
    );
    const handle = (raw: RawData, isBinary: boolean): void => {
      if (ws.readyState !== ws.OPEN) return;
      budget.begin();
      pauseIfNeeded();
      void handleMessage(raw, isBinary, door)
        .then(send, (err: unknown) => runtime.log.error({ err }, 'websocket message failed'))
        .finally(() => {
          budget.done();
          pauseIfNeeded();
        });
    };
    /** Requests past the burst, waiting for the sustained rate. */
    const held = new Set<NodeJS.Timeout>();
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (ws.readyState !== ws.OPEN) return;
      const waitMs = budget.take(Date.now());
      if (waitMs === null) return overBudget(WS_OVER_BUDGET.rate);
      if (waitMs === 0) return handle(raw, isBinary);
      const timer = setTimeout(() => {
        held.delete(timer);
        handle(raw, isBinary);
      }, waitMs);
      held.add(timer);
    });
    const closed = (): void => {
      stopResumeTimer();
      for (const timer of held) clearTimeout(timer);
      held.clear();
      channel.close();
    };
    ws.on('close', closed);
    ws.on('error', (err) => {
      runtime.log.warn({ err }, 'websocket error');
      closed();
    });
  });

  async function handleMessage(raw: RawData, isBinary: boolean, door: DoorContext): Promise<WsServerMessage> {
    if (isBinary) return { id: -1, reply: errorReply('BAD_REQUEST', 'binary frames are not accepted') };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString());
    } catch {
      return { id: -1, reply: errorReply('BAD_REQUEST', 'message is not JSON') };
    }
    const envelope = wsClientMessageSchema.safeParse(parsed);
    if (!envelope.success) {
      const id = typeof (parsed as { id?: unknown })?.id === 'number' ? (parsed as { id: number }).id : -1;
      return { id, reply: errorReply('BAD_REQUEST', 'message must be { id, method, params }') };
    }
    const { id, method, params } = envelope.data;
    return { id, reply: await dispatch(runtime.dispatchTarget, method, params, door) };
  }

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
