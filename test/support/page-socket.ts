/// <reference lib="dom" />
/**
 * The console's own WebSocket, from an end-to-end test: every socket the page opens is kept
 * (an init script), and a request goes out over the newest open one, as a script injected
 * into the page could send it, so the test can show the station refuses what the screen hides.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** Runs in the page before its own scripts: keeps each WebSocket it opens in `window.__argusSockets`. */
const keepSockets = () => {
  const sockets: WebSocket[] = [];
  (window as unknown as { __argusSockets: WebSocket[] }).__argusSockets = sockets;
  const Original = window.WebSocket;
  class RecordedWebSocket extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  window.WebSocket = RecordedWebSocket;
};

/** Keep the sockets of every page the context opens from now on. */
export async function recordPageSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(keepSockets);
}

/** Sends `{ id, method, params }` over the page's newest open socket and resolves with the station's reply. */
export function requestOverPageSocket(page: Page, method: string, params: object, id: number): Promise<unknown> {
  return page.evaluate(
    ([m, p, requestId]) =>
      new Promise<unknown>((resolve, reject) => {
        const sockets = (window as unknown as { __argusSockets: WebSocket[] }).__argusSockets;
        const ws = [...sockets].reverse().find((s) => s.readyState === WebSocket.OPEN);
        if (!ws) return reject(new Error('the console has no open socket'));
        const seen: string[] = [];
        const timer = setTimeout(
          () => reject(new Error(`no reply to ${m} within 15 s; frames seen: ${seen.slice(-5).join(' | ')}`)),
          15_000,
        );
        ws.addEventListener('close', (e: CloseEvent) => {
          clearTimeout(timer);
          reject(new Error(`the console's socket closed (${e.code} ${e.reason}) before the reply to ${m}`));
        });
        ws.addEventListener('message', (e: MessageEvent) => {
          const frame = JSON.parse(String(e.data)) as { id?: number; reply?: unknown };
          seen.push(String(e.data).slice(0, 160));
          if (frame.id === requestId) {
            clearTimeout(timer);
            resolve(frame.reply);
          }
        });
        ws.send(JSON.stringify({ id: requestId, method: m, params: p }));
      }),
    [method, params, id] as const,
  );
}
