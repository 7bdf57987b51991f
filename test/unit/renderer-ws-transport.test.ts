/** The WebSocket transport's shared reads, over a fake socket in place of the browser's WebSocket. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketTransport } from '../../renderer/transport/ws-transport.js';

class FakeSocket {
  static readonly OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  readonly sent: { id: number; method: string }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as { id: number; method: string });
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  reply(id: number, value: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ id, reply: { ok: true, value } }) });
  }
}

const original = (globalThis as { WebSocket?: unknown }).WebSocket;
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
});

async function connected(): Promise<{ transport: WebSocketTransport; socket: FakeSocket }> {
  (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
  const transport = new WebSocketTransport('ws://station/ws');
  transport.start();
  await new Promise((r) => setTimeout(r, 0));
  const socket = FakeSocket.last!;
  socket.open();
  return { transport, socket };
}

describe('WebSocket transport', () => {
  it('sends one alarms.definitions request for every part of the window asking while it is under way', async () => {
    const { transport, socket } = await connected();
    try {
      const asked = [1, 2, 3].map(() => transport.request('alarms.definitions', {}));
      const list = transport.request('alarms.list', {});
      const other = transport.request('alarms.list', {});
      expect(socket.sent.map((m) => m.method)).toEqual(['alarms.definitions', 'alarms.list', 'alarms.list']);
      socket.reply(socket.sent[0]!.id, [{ id: 'A' }]);
      const replies = await Promise.all(asked);
      expect(replies.every((r) => r.ok && (r.value as unknown[]).length === 1)).toBe(true);
      socket.reply(socket.sent[1]!.id, { alarms: [] });
      socket.reply(socket.sent[2]!.id, { alarms: [] });
      await Promise.all([list, other]);
      await new Promise((r) => setTimeout(r, 0));
      // Once answered, the next one asks the station again.
      void transport.request('alarms.definitions', {});
      expect(socket.sent.map((m) => m.method)).toEqual([
        'alarms.definitions',
        'alarms.list',
        'alarms.list',
        'alarms.definitions',
      ]);
    } finally {
      transport.stop();
    }
  });
});
