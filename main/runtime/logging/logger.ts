/**
 * Structured logs (pino) into `<data>/logs/argus.log`, rotated by size, plus warnings
 * and errors on stderr for whoever started the process. Rate-limited per message.
 * Logging never takes the process down: a full disk drops lines and counts them
 * (`health()`), see log-file.ts.
 */
import { join } from 'node:path';
import pino, { type Logger as PinoLogger } from 'pino';
import type { DriverLogger } from '../../../protocols/driver.js';
import { LogRateLimiter } from './rate-limiter.js';
import { LogFile, type LogFileHealth } from './log-file.js';

export interface Logger extends DriverLogger {
  child(bindings: Record<string, string | number>): Logger;
  flush(): void;
  /** Lines the log file could not take (disk full …) since start. */
  health(): LogFileHealth;
}

export interface LoggerOptions {
  /** Folder for log files; omit to log to stderr only (tests). */
  readonly dir?: string;
  readonly level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Echo warnings and errors to stderr as single readable lines. */
  readonly echo?: boolean;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

const noFile: LogFileHealth = { droppedLines: 0, lastError: null, lastErrorAt: null };

/** Write to stderr without ever throwing (a closed pipe must not end the station). */
function toStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere left to say it
  }
}

function wrap(
  base: PinoLogger,
  limiter: LogRateLimiter,
  echo: boolean,
  scope: string,
  health: () => LogFileHealth,
): Logger {
  const emit = (level: Level) => (obj: object, msg: string) => {
    const decision = limiter.decide(`${scope}|${level}|${msg}`, Date.now());
    if (!decision.log) return;
    const payload = decision.suppressed > 0 ? { ...obj, suppressedRepeats: decision.suppressed } : obj;
    try {
      base[level](payload, msg);
    } catch {
      // a payload pino cannot serialise: the message is lost, never the process
    }
    if (echo && (level === 'warn' || level === 'error')) {
      const detail = 'err' in obj && obj.err instanceof Error ? `: ${obj.err.message}` : '';
      toStderr(`${level}${scope ? ` [${scope}]` : ''}: ${msg}${detail}\n`);
    }
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (bindings) => wrap(base.child(bindings), limiter, echo, Object.values(bindings).join('/'), health),
    flush: () => {
      try {
        base.flush();
      } catch {
        // see LogFile: failures are counted there
      }
    },
    health,
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  let base: PinoLogger;
  let health = (): LogFileHealth => noFile;
  if (options.dir) {
    const file = new LogFile({ dir: join(options.dir, 'logs') });
    health = () => file.health();
    base = pino({ level, base: { pid: process.pid } }, file);
  } else {
    base = pino({ level: level === 'info' ? 'warn' : level }, { write: toStderr });
  }
  return wrap(base, new LogRateLimiter(), options.echo ?? false, '', health);
}
