/**
 * Child processes for integration tests and benchmarks: started with pipes, waited on
 * for a line of output, and always killed at the end (never left running).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface RunningChild {
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (past or future). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  send(line: string): void;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningChild {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
  running.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
    for (const check of waiters) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      for (const check of waiters) check();
      resolve(code);
    }),
  );

  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = output.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          } else if (child.exitCode !== null) {
            cleanup();
            reject(
              new Error(`${command} exited (${child.exitCode}) before printing ${pattern}:\n${output.slice(-4000)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${pattern} from ${command}:\n${output.slice(-4000)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
