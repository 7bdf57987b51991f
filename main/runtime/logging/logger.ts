/**
 * Structured logs (pino) into `<data>/logs/argus.log`, rotated by size, plus warnings
 * and errors on stderr for whoever started the process. Rate-limited per message.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger as PinoLogger } from 'pino';
import type { DriverLogger } from '../../../protocols/driver.js';
import { LogRateLimiter } from './rate-limiter.js';

export interface Logger extends DriverLogger {
  child(bindings: Record<string, string | number>): Logger;
  flush(): void;
}

export interface LoggerOptions {
  /** Folder for log files; omit to log to stderr only (tests). */
  readonly dir?: string;
  readonly level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Echo warnings and errors to stderr as single readable lines. */
  readonly echo?: boolean;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

function wrap(base: PinoLogger, limiter: LogRateLimiter, echo: boolean, scope: string): Logger {
  const emit = (level: Level) => (obj: object, msg: string) => {
    const decision = limiter.decide(`${scope}|${level}|${msg}`, Date.now());
    if (!decision.log) return;
    const payload = decision.suppressed > 0 ? { ...obj, suppressedRepeats: decision.suppressed } : obj;
    base[level](payload, msg);
    if (echo && (level === 'warn' || level === 'error')) {
      const detail = 'err' in obj && obj.err instanceof Error ? `: ${obj.err.message}` : '';
      process.stderr.write(`${level}${scope ? ` [${scope}]` : ''}: ${msg}${detail}\n`);
    }
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (bindings) => wrap(base.child(bindings), limiter, echo, Object.values(bindings).join('/')),
    flush: () => base.flush(),
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  let base: PinoLogger;
  if (options.dir) {
    const dir = join(options.dir, 'logs');
    mkdirSync(dir, { recursive: true });
    const transport = pino.transport({
      target: 'pino-roll',
      options: { file: join(dir, 'argus'), extension: '.log', size: '10m', limit: { count: 10 }, mkdir: true },
    });
    base = pino({ level, base: { pid: process.pid } }, transport);
  } else {
    base = pino({ level: level === 'info' ? 'warn' : level }, pino.destination(2));
  }
  return wrap(base, new LogRateLimiter(), options.echo ?? false, '');
}
