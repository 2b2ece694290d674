import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * The cluster suite's processes as an operator starts them: `npm run worker`, `npm run api` (or the
 * crash-before-commit worker, `node scripts/with-node.mjs tsx faults/dyingWorker.ts`), each in a
 * process group of its own so that SIGKILL reaches the whole chain npm → with-node → tsx → node at
 * once, as a machine losing the process would. Their output goes to a log file and is kept (the
 * last 20,000 characters) for failure messages.
 */

export const root = path.resolve(__dirname, '..', '..');

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** resolves when the process printed `readyText`; rejects if it exits first or takes too long */
  ready: Promise<void>;
  /** the exit code (-1 for a signal) */
  exited: Promise<number | null>;
  output(): string;
  /** SIGKILL the whole process group; resolves once the process has gone */
  kill(): Promise<void>;
  /** SIGTERM (an orderly stop), SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<number | null>;
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** what the process prints once it is ready; none: ready at once (the caller checks otherwise) */
  readyText?: string | RegExp;
  logFile: string;
  readyTimeoutMs?: number;
}): RunningProcess {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n---- ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
  const child = spawn(options.command, options.args, {
    cwd: root,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group of its own
  });
  let output = '';
  let resolveReady: () => void = () => undefined;
  let rejectReady: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined); // a caller that never awaits it must not crash the run
  const readyText = options.readyText;
  const matches = () =>
    readyText === undefined ||
    (typeof readyText === 'string' ? output.includes(readyText) : readyText.test(output));
  if (readyText === undefined) resolveReady();
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    output = (output + chunk.toString()).slice(-20_000);
    if (matches()) resolveReady();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const timer = setTimeout(
    () =>
      rejectReady(
        new Error(`${options.name} was not ready after ${options.readyTimeoutMs ?? 180_000} ms:\n${output}`),
      ),
    options.readyTimeoutMs ?? 180_000,
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectReady(new Error(`${options.name} exited (${signal ?? code}) before it was ready:\n${output}`));
      log.end(`---- exited ${signal ?? code}\n`);
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  void ready.then(
    () => clearTimeout(timer),
    () => undefined,
  );
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    name: options.name,
    child,
    ready,
    exited,
    output: () => output,
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      signalGroup('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!inTime) signalGroup('SIGKILL');
      return exited;
    },
  };
}

/** `npm run <script>` as an operator types it, in the project folder. */
export function npmRun(
  script: string,
  options: Omit<Parameters<typeof startProcess>[0], 'command' | 'args'>,
): RunningProcess {
  return startProcess({ ...options, command: 'npm', args: ['run', '--silent', script] });
}
