/** Reconnect delays: exponential from 0.5 s, capped at 10 s, with jitter so many windows don't retry in step. Pure. */
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 10_000;

/** Delay before reconnect attempt `attempt` (0 = first retry); `random` in [0, 1) spreads it by ±20 %. */
export function reconnectDelayMs(attempt: number, random: number = Math.random()): number {
  const n = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 0));
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(n, 20));
  const jitter = 0.8 + 0.4 * Math.min(Math.max(random, 0), 1);
  return Math.round(Math.min(RECONNECT_MAX_MS, base * jitter));
}
