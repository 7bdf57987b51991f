/**
 * ModbusLink: one open connection to a device (TCP socket or serial port) through a
 * modbus-serial client, with every request serialised on it.
 *
 * Why the wrapping:
 *  - modbus-serial keeps one unit id and one "next expected answer" per client, so two
 *    requests in flight on one client can cross; the link runs them strictly one at a time.
 *  - A request pending when the socket closes is not failed by modbus-serial (it waits for
 *    its timeout), and after a socket error it does not even emit "close": the link watches
 *    the raw stream itself and fails the request at once.
 *  - Errors come back as plain objects with loosely typed fields; the link classifies them
 *    (exception / timeout / closed / malformed) and says what came back on the wire.
 */
import { EventEmitter } from 'node:events';
import ModbusSerial from 'modbus-serial';
import { exceptionName, hexBytes, ModbusRequestError, type ModbusFailureKind } from './exceptions.js';

// modbus-serial is CommonJS: under NodeNext its default import is module.exports, whose
// `default` property is the client class (module.exports.default = module.exports).
const ModbusRTU = ModbusSerial.default;
type ModbusClient = InstanceType<typeof ModbusRTU>;

interface RequestTarget {
  readonly unitId: number;
  readonly table: string;
  readonly start: number;
  readonly count: number;
  readonly write: boolean;
}

/** What the link reports about each request, for diagnostics. */
export interface RequestObservation {
  readonly ok: boolean;
  readonly kind?: ModbusFailureKind;
  readonly rttMs: number;
}

const TAP_LIMIT = 512;

interface ModbusSerialError {
  readonly message?: unknown;
  readonly name?: unknown;
  readonly errno?: unknown;
  readonly modbusCode?: unknown;
}

export class ModbusLink {
  private queue: Promise<unknown> = Promise.resolve();
  /** Requests queued or on the wire. */
  private queued = 0;
  private closedReason: string | undefined;
  private readonly closeListeners: ((reason: string) => void)[] = [];
  /** Fails the request on the wire at once (the connection closed under it). */
  private abortInFlight: ((error: ModbusRequestError) => void) | undefined;
  /** Bytes received since the current request was sent, to say what came back when it fails. */
  private readonly tapped: Buffer[] = [];
  private tappedBytes = 0;
  private readonly raw: EventEmitter | undefined;
  /** The request on the wire (described for people only when something goes wrong). */
  private inFlight: RequestTarget | undefined;
  private closing: Promise<void> | undefined;
  /** When the request on the wire was sent (performance.now()), for the watchdog. */
  private inFlightSince = 0;
  /**
   * modbus-serial times requests out itself; this one timer per link only catches a request it
   * would never settle, so the queue behind it can never hang (cheaper than a timer per request).
   */
  private readonly watchdog: NodeJS.Timeout;
  private readonly onRawData = (chunk: Buffer): void => {
    if (this.tappedBytes < TAP_LIMIT) this.tapped.push(chunk);
    this.tappedBytes += chunk.length;
  };

  constructor(
    private readonly client: ModbusClient,
    private readonly timeoutMs: number,
    private readonly observe: (o: RequestObservation) => void = () => {},
  ) {
    client.setTimeout(timeoutMs);
    // modbus-serial re-emits port errors; without a listener EventEmitter would throw.
    client.on('error', () => {});
    client.on('close', () => this.markClosed('connection closed by peer'));
    this.watchdog = setInterval(
      () => {
        if (this.abortInFlight && performance.now() - this.inFlightSince > this.timeoutMs + 250) {
          this.abortInFlight(new ModbusRequestError(this.timeoutText(), 'timeout'));
        }
      },
      Math.max(50, timeoutMs / 2),
    );
    this.watchdog.unref();
    this.raw = rawStreamOf(client);
    this.raw?.on('data', this.onRawData);
    this.raw?.on('error', (e: unknown) => this.markClosed(messageOf(e)));
    this.raw?.on('close', () => this.markClosed('connection closed by peer'));
  }

  get isOpen(): boolean {
    return this.closedReason === undefined;
  }

  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== undefined) listener(this.closedReason);
    else this.closeListeners.push(listener);
  }

  /**
   * Close the connection now; pending and queued requests fail with `reason`. Resolves once
   * the port is really closed (a serial port stays locked until then, so reopening sooner fails).
   */
  close(reason = 'closed by the driver'): Promise<void> {
    this.markClosed(reason);
    this.closing ??= new Promise<void>((resolve) => {
      const fallback = setTimeout(resolve, 1000);
      fallback.unref();
      const done = (): void => {
        clearTimeout(fallback);
        resolve();
      };
      const port = (this.client as unknown as { _port?: { destroy?: unknown } })._port;
      try {
        // TCP ports can be destroyed at once; the buffered RTU port only knows close().
        if (port && typeof port.destroy === 'function') this.client.destroy(done);
        else this.client.close(done);
      } catch {
        done();
      }
    });
    return this.closing;
  }

  async readRegisters(table: 'holding' | 'input', unitId: number, start: number, count: number): Promise<number[]> {
    const result = await this.request({ unitId, table, start, count, write: false }, (c) =>
      table === 'holding' ? c.readHoldingRegisters(start, count) : c.readInputRegisters(start, count),
    );
    const data = result.data;
    if (!Array.isArray(data) || data.length < count) {
      throw new ModbusRequestError(
        `short answer: asked for ${count} registers, got ${Array.isArray(data) ? data.length : 0}`,
        'malformed',
      );
    }
    return data;
  }

  async readBits(table: 'coil' | 'discrete', unitId: number, start: number, count: number): Promise<boolean[]> {
    const result = await this.request({ unitId, table, start, count, write: false }, (c) =>
      table === 'coil' ? c.readCoils(start, count) : c.readDiscreteInputs(start, count),
    );
    const data = result.data;
    if (!Array.isArray(data) || data.length < count) {
      throw new ModbusRequestError(
        `short answer: asked for ${count} bits, got ${Array.isArray(data) ? data.length : 0}`,
        'malformed',
      );
    }
    return data;
  }

  async writeCoil(unitId: number, address: number, value: boolean): Promise<void> {
    const echo = await this.request({ unitId, table: 'coil', start: address, count: 1, write: true }, (c) =>
      c.writeCoil(address, value),
    );
    if (echo.address !== address || echo.state !== value) {
      throw new ModbusRequestError(
        `answer does not echo the write (address ${echo.address}, state ${echo.state})`,
        'malformed',
      );
    }
  }

  /** FC15, for devices that refuse FC5. */
  async writeCoils(unitId: number, address: number, states: readonly boolean[]): Promise<void> {
    const echo = await this.request({ unitId, table: 'coil', start: address, count: states.length, write: true }, (c) =>
      c.writeCoils(address, [...states]),
    );
    if (echo.address !== address || echo.length !== states.length) {
      throw new ModbusRequestError(
        `answer does not echo the write (address ${echo.address}, length ${echo.length})`,
        'malformed',
      );
    }
  }

  async writeRegister(unitId: number, address: number, word: number): Promise<void> {
    const echo = await this.request({ unitId, table: 'holding', start: address, count: 1, write: true }, (c) =>
      c.writeRegister(address, word),
    );
    if (echo.address !== address || echo.value !== word) {
      throw new ModbusRequestError(
        `answer does not echo the write (address ${echo.address}, value ${echo.value})`,
        'malformed',
      );
    }
  }

  async writeRegisters(unitId: number, address: number, words: readonly number[]): Promise<void> {
    const echo = await this.request(
      { unitId, table: 'holding', start: address, count: words.length, write: true },
      (c) => c.writeRegisters(address, [...words]),
    );
    if (echo.address !== address || echo.length !== words.length) {
      throw new ModbusRequestError(
        `answer does not echo the write (address ${echo.address}, length ${echo.length})`,
        'malformed',
      );
    }
  }

  private markClosed(why: string): void {
    if (this.closedReason !== undefined) return;
    const target = this.inFlight;
    const reason = target
      ? `${span(target.unitId, target.table, target.start, target.count)}${target.write ? ' write' : ''}: ${why}${this.received()}`
      : why;
    this.closedReason = reason;
    clearInterval(this.watchdog);
    this.raw?.off('data', this.onRawData);
    this.abortInFlight?.(new ModbusRequestError(reason, 'closed'));
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  /** Queue a request behind the ones already on this link. */
  private request<T>(target: RequestTarget, send: (client: ModbusClient) => Promise<T>): Promise<T> {
    // Idle link (the common case while polling): send now rather than a tick later.
    const job = this.queued === 0 ? this.execute(target, send) : this.queue.then(() => this.execute(target, send));
    this.queued++;
    const settled = job.then(
      () => void this.queued--,
      () => void this.queued--,
    );
    this.queue = settled;
    return job;
  }

  private async execute<T>(target: RequestTarget, send: (client: ModbusClient) => Promise<T>): Promise<T> {
    if (this.closedReason !== undefined)
      throw new ModbusRequestError(this.closedReason, 'closed', undefined, { notSent: true });
    this.inFlight = target;
    this.tapped.length = 0;
    this.tappedBytes = 0;
    this.client.setID(target.unitId);
    const started = performance.now();
    this.inFlightSince = started;
    try {
      const result = await new Promise<T>((resolve, reject) => {
        this.abortInFlight = reject;
        send(this.client).then(resolve, reject);
      });
      this.observe({ ok: true, rttMs: performance.now() - started });
      return result;
    } catch (error) {
      const classified = this.classify(error);
      this.observe({ ok: false, kind: classified.kind, rttMs: performance.now() - started });
      throw classified;
    } finally {
      this.abortInFlight = undefined;
      this.inFlight = undefined;
    }
  }

  private received(): string {
    if (this.tappedBytes === 0) return '';
    const bytes = Buffer.concat(this.tapped).subarray(0, TAP_LIMIT);
    return `; received ${this.tappedBytes} byte(s): ${hexBytes(bytes)}`;
  }

  private timeoutText(): string {
    return `no answer within ${this.timeoutMs} ms${this.received()}`;
  }

  private classify(error: unknown): ModbusRequestError {
    if (error instanceof ModbusRequestError) {
      return error.kind === 'timeout' ? new ModbusRequestError(this.timeoutText(), 'timeout') : error;
    }
    const e = (typeof error === 'object' && error !== null ? error : {}) as ModbusSerialError;
    if (typeof e.modbusCode === 'number') {
      return new ModbusRequestError(`exception ${exceptionName(e.modbusCode)}`, 'exception', e.modbusCode, {
        cause: error,
      });
    }
    if (e.errno === 'ETIMEDOUT' || e.name === 'TransactionTimedOutError') {
      return new ModbusRequestError(this.timeoutText(), 'timeout', undefined, { cause: error });
    }
    if (e.name === 'PortNotOpenError') {
      // modbus-serial checks the port before writing the frame: nothing went out.
      return new ModbusRequestError(this.closedReason ?? 'connection not open', 'closed', undefined, {
        cause: error,
        notSent: true,
      });
    }
    if (this.closedReason !== undefined)
      return new ModbusRequestError(this.closedReason, 'closed', undefined, { cause: error });
    return new ModbusRequestError(`bad answer: ${messageOf(error)}${this.received()}`, 'malformed', undefined, {
      cause: error,
    });
  }
}

/** "unit 1 holding 100..124" */
export function span(unitId: number, table: string, start: number, count: number): string {
  return `unit ${unitId} ${table} ${count > 1 ? `${start}..${start + count - 1}` : start}`;
}

/** The socket or serial port under a modbus-serial client (not part of its typed API). */
function rawStreamOf(client: ModbusClient): EventEmitter | undefined {
  const port = (client as unknown as { _port?: { _client?: unknown } })._port;
  const stream = port?._client;
  return stream instanceof EventEmitter ? stream : undefined;
}

export function messageOf(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string' &&
    error.message
  )
    return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return String(error);
}

export interface TcpEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Open a Modbus TCP connection; fails with kind "connect" (refused, unreachable, or no answer in `timeoutMs`). */
export async function openTcpLink(
  endpoint: TcpEndpoint,
  timeoutMs: number,
  observe?: (o: RequestObservation) => void,
): Promise<ModbusLink> {
  const client = new ModbusRTU();
  client.on('error', () => {});
  await openWithin(
    client,
    client.connectTCP(endpoint.host, { port: endpoint.port }),
    timeoutMs,
    `${endpoint.host}:${endpoint.port}`,
  );
  return new ModbusLink(client, timeoutMs, observe);
}

/** Wait for a modbus-serial connect promise, destroying the client if it fails or takes too long. */
export async function openWithin(
  client: ModbusClient,
  opening: Promise<void>,
  timeoutMs: number,
  where: string,
): Promise<void> {
  opening.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      opening,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ModbusRequestError(`connect ${where}: no answer within ${timeoutMs} ms`, 'connect')),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    try {
      client.destroy(() => {});
    } catch {
      // already gone
    }
    if (error instanceof ModbusRequestError) throw error;
    const text = messageOf(error);
    throw new ModbusRequestError(
      text.startsWith('connect') ? text : `connect ${where}: ${text}`,
      'connect',
      undefined,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}
