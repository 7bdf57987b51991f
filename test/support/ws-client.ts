/** A minimal contract client over WebSocket, for tests and benchmarks (the renderer has its own). */
import WebSocket from 'ws';
import type {
  EventName,
  EventPayload,
  Reply,
  RequestName,
  RequestParams,
  RequestResult,
} from '../../preload/contract.js';

export class ContractSocket {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply<unknown>) => void>();
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as {
        id?: number;
        reply?: Reply<unknown>;
        event?: string;
        data?: unknown;
      };
      if (message.event !== undefined) for (const l of this.listeners) l(message.event, message.data);
      else if (message.id !== undefined && message.reply) {
        this.pending.get(message.id)?.(message.reply);
        this.pending.delete(message.id);
        this.lastReply = message as { id: number; reply: Reply<unknown> };
      }
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code })));
  }

  /** The last reply received, including ones to raw frames (id -1). */
  lastReply: { id: number; reply: Reply<unknown> } | null = null;

  static open(url: string, headers: Record<string, string> = {}): Promise<ContractSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new ContractSocket(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  request<N extends RequestName>(method: N, params: RequestParams<N>): Promise<Reply<RequestResult<N>>> {
    return this.raw({ id: this.nextId++, method, params }) as Promise<Reply<RequestResult<N>>>;
  }

  /** Send any JSON-able frame with an id and wait for the reply to that id. */
  raw(frame: { id: number } & Record<string, unknown>): Promise<Reply<unknown>> {
    return new Promise((resolve) => {
      this.pending.set(frame.id, resolve);
      this.ws.send(JSON.stringify(frame));
    });
  }

  /** Send raw text; resolves with the reply to `expectId` (-1: the server could not read an id). */
  sendText(text: string, expectId = -1): Promise<Reply<unknown>> {
    return new Promise((resolve) => {
      this.pending.set(expectId, resolve);
      this.ws.send(text);
    });
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const wrapped = (event: string, data: unknown): void => {
      if (event === name) listener(data as EventPayload<N>);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  close(): void {
    this.ws.close();
  }
}
