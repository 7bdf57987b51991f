/**
 * What one WebSocket may ask of the server (pure, injected clock): a request rate (a token
 * bucket: `burst` at once, `perSecond` sustained) and a number of requests in flight. The
 * gateway stops reading a socket that is at its in-flight limit or whose replies are not
 * being read (back-pressure). Requests past the burst are not refused at once: up to another
 * `burst` of them wait their turn at the sustained rate (a console opening the overview of 50
 * substations asks for 300 short histories at once, and closing it for that only made it
 * reconnect and ask again); a socket that goes further over its rate is closed.
 */
export interface WsBudgetPolicy {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests allowed at once after a quiet spell. */
  readonly burst: number;
  /** Requests being handled at once; reading pauses at this many. */
  readonly maxInFlight: number;
  /** Outgoing bytes queued on the socket above which reading pauses (the client is not reading). */
  readonly pauseAboveBytes: number;
  /** Outgoing bytes queued above which the socket is closed. */
  readonly closeAboveBytes: number;
}

export const defaultWsBudget: WsBudgetPolicy = {
  perSecond: 50,
  burst: 200,
  maxInFlight: 32,
  pauseAboveBytes: 1024 * 1024,
  closeAboveBytes: 16 * 1024 * 1024,
};

/** Close code and reason when a socket goes over its budget (1008: policy violation). */
export const WS_OVER_BUDGET = {
  code: 1008,
  rate: 'too many requests: over the per-connection rate',
  buffer: 'replies are not being read',
} as const;

export class WsRequestBudget {
  private tokens: number;
  private last: number;
  private inFlight = 0;

  constructor(
    private readonly policy: WsBudgetPolicy,
    now: number,
  ) {
    this.tokens = policy.burst;
    this.last = now;
  }

  /**
   * A request arrived: how long to hold it before handling it, ms (0: now), or null when the
   * socket is over its rate (it should be closed). Requests past the burst wait until the
   * sustained rate has paid for them, at most `burst` of them at a time.
   */
  take(now: number): number | null {
    this.tokens = Math.min(this.policy.burst, this.tokens + ((now - this.last) / 1000) * this.policy.perSecond);
    this.last = now;
    if (this.tokens < 1 - this.policy.burst) return null;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.policy.perSecond) * 1000);
  }

  /** A request is being handled (after its wait, if it had one). */
  begin(): void {
    this.inFlight++;
  }

  /** A request's reply went out (or it failed). */
  done(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Whether to stop reading the socket for now. */
  shouldPause(bufferedBytes: number): boolean {
    return this.inFlight >= this.policy.maxInFlight || bufferedBytes > this.policy.pauseAboveBytes;
  }

  /** Whether reading may go on (with some slack, so it does not flap). */
  mayResume(bufferedBytes: number): boolean {
    return this.inFlight < this.policy.maxInFlight / 2 && bufferedBytes <= this.policy.pauseAboveBytes / 2;
  }

  /** Whether the queued output is past the point of waiting. */
  overflowing(bufferedBytes: number): boolean {
    return bufferedBytes > this.policy.closeAboveBytes;
  }
}
