/**
 * The runtime's log file: `<dir>/argus.log`, rotated by size (`argus.1.log` … `argus.<keep>.log`),
 * written synchronously in this process. A log line must never take the station down: when
 * a write fails (disk full, folder removed, I/O error) the line is dropped and counted, the
 * file is closed, and opening it again is tried at most every `retryMs`. Lines are short and
 * rate-limited per call site (see rate-limiter.ts), so a synchronous write costs little.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LogFileOptions {
  readonly dir: string;
  /** Rotate when the file would pass this size. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Rotated files kept. Default 10. */
  readonly keep?: number;
  /** Least time between attempts to reopen after a failure. Default 5 s. */
  readonly retryMs?: number;
  readonly now?: () => number;
}

export interface LogFileHealth {
  /** Lines lost because they could not be written, since start. */
  readonly droppedLines: number;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

export class LogFile {
  private fd: number | null = null;
  private size = 0;
  private dropped = 0;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private nextAttemptAt = 0;
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LogFileOptions) {
    this.file = join(options.dir, 'argus.log');
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 10);
    this.retryMs = options.retryMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** pino's destination interface: one line (or several) of text. Never throws. */
  write(text: string): void {
    try {
      if (this.fd === null && !this.open()) return this.drop(text);
      const bytes = Buffer.byteLength(text);
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      if (this.fd === null) return this.drop(text);
      writeSync(this.fd, text);
      this.size += bytes;
    } catch (err) {
      this.fail(err);
      this.drop(text);
    }
  }

  health(): LogFileHealth {
    return { droppedLines: this.dropped, lastError: this.lastError, lastErrorAt: this.lastErrorAt };
  }

  close(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // nothing more to do
      }
      this.fd = null;
    }
  }

  private open(): boolean {
    if (this.now() < this.nextAttemptAt) return false;
    try {
      mkdirSync(this.options.dir, { recursive: true });
      this.fd = openSync(this.file, 'a');
      this.size = fstatSync(this.fd).size;
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  private rotate(): void {
    this.close();
    rmSync(join(this.options.dir, `argus.${this.keep}.log`), { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = join(this.options.dir, `argus.${i}.log`);
      if (existsSync(from)) renameSync(from, join(this.options.dir, `argus.${i + 1}.log`));
    }
    renameSync(this.file, join(this.options.dir, 'argus.1.log'));
    this.open();
  }

  private fail(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.lastErrorAt = this.now();
    this.nextAttemptAt = this.now() + this.retryMs;
    this.close();
  }

  private drop(text: string): void {
    let lines = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    this.dropped += Math.max(1, lines);
  }
}
