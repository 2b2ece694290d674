import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';
import { ensureSearchAttributes } from './searchAttributes';

/**
 * The embedded Temporal dev server (`temporal server start-dev`) as a child process of the start
 * command: SQLite persistence, the journey search attributes, and the Web UI only when asked for.
 *
 * The dev server has no sign-in: whoever reaches its gRPC port can signal, update, cancel or
 * terminate any workflow, and its Web UI lists every journey's team, worker, stage and
 * safeguarding flag to anyone on the machine. So it listens on 127.0.0.1 only, the codec refuses
 * what was not encrypted under the payload keys (so no event can be recorded around the API), and
 * the Web UI is off unless CARE_TEMPORAL_UI=1 (docs/securing-temporal.md).
 */

export interface DevServerOptions {
  /** the Temporal CLI binary (scripts/temporalBinaries.ts temporalCliPath, where the setup installed it) */
  cliPath: string;
  port: number;
  uiPort: number;
  /** SQLite file; its directory is created. Workflows survive restarts on the same file. */
  dbFile: string;
  namespace: string;
  /**
   * The Web UI (CARE_TEMPORAL_UI=1): off unless true. When on it listens on 127.0.0.1 whatever
   * `ip` is, since it shows every journey to whoever reaches it.
   */
  ui?: boolean;
  /** append the server's output here; otherwise only its last lines are kept, for error messages */
  logFile?: string;
  /** default 127.0.0.1 */
  ip?: string;
  /**
   * The codec server the Web UI decodes payloads with (issue 14), e.g. http://127.0.0.1:3000/codec:
   * the UI calls <it>/decode from the browser
   */
  uiCodecEndpoint?: string;
  /** how long to wait for the server to answer; default 30 s */
  readyTimeoutMs?: number;
}

export interface DevServerHandle {
  /** gRPC address, host:port */
  address: string;
  /** Web UI URL, if it is on */
  uiUrl: string | undefined;
  pid: number;
  /**
   * Settles when the server process exits, whoever ended it: how it ended, and whether stop() had
   * been called (an exit without it is a crash the start command's supervisor restarts).
   */
  exited: Promise<DevServerExit>;
  /** SIGTERM, wait for exit; SIGKILL after timeoutMs (default 10 s). Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stop() was called: an orderly stop, not a crash */
  stopped: boolean;
  /** the server's last lines of output, for the log */
  lastLines: string[];
}

/** Where the Web UI listens when it is on: this machine only. */
const UI_IP = '127.0.0.1';

/** The `start-dev` arguments (exported for tests and for the README). */
export function devServerArgs(options: DevServerOptions): string[] {
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--db-filename', options.dbFile, '--ip', ip];
  args.push('--port', String(options.port));
  if (!options.ui) args.push('--headless');
  else {
    args.push('--ui-ip', UI_IP, '--ui-port', String(options.uiPort));
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  }
  // "default" always exists; naming it again is harmless but noisy
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of journeySearchAttributes) {
    args.push('--search-attribute', `${key.name}=${searchAttributeCliType(key.type)}`);
  }
  return args;
}

/** Linux: ask the kernel to SIGTERM the server if this process dies without cleaning up (even SIGKILL). */
function deathSignalPrefix(): string[] {
  if (process.platform !== 'linux') return [];
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    try {
      accessSync(candidate, constants.X_OK);
      return [candidate, '--pdeathsig', 'SIGTERM', '--'];
    } catch {
      // not there
    }
  }
  return [];
}

/** The child inherits no TEMPORAL_* settings: they are meant for clients of a remote cluster. */
function serverEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
}

/** Whether something already listens there (another dev server would answer our readiness check). */
function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const ip = options.ip ?? '127.0.0.1';
  const address = `${ip}:${options.port}`;
  const ports: [string, string, number][] = [['TEMPORAL_DEV_PORT', ip, options.port]];
  if (options.ui) ports.push(['TEMPORAL_UI_PORT', UI_IP, options.uiPort]);
  for (const [setting, host, port] of ports) {
    if (await portInUse(host, port)) {
      throw new Error(
        `port ${port} on ${host} is already in use (another npm start or Temporal server?); stop it or set ${setting}`,
      );
    }
  }
  mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });

  let log: WriteStream | undefined;
  if (options.logFile) {
    mkdirSync(path.dirname(path.resolve(options.logFile)), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
    log.write(`\n--- ${new Date().toISOString()} temporal server start-dev on ${address}\n`);
  }
  const recent: string[] = [];
  const keep = (chunk: Buffer) => {
    log?.write(chunk);
    recent.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 40));
  };

  const [command, ...prefixArgs] = [...deathSignalPrefix(), options.cliPath];
  // Its own process group (detached): a Ctrl-C in the terminal reaches only this process, which
  // then stops the API and the worker before the server. The exit hook and, on Linux, the parent
  // death signal make sure the server never outlives this process.
  const child: ChildProcess = spawn(command as string, [...prefixArgs, ...devServerArgs(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: serverEnv(),
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited = false;
  let exitSignal: NodeJS.Signals | null = null;
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitSignal = signal;
      resolve(code ?? (signal ? -1 : null));
    });
    child.once('error', (err) => {
      exited = true;
      keep(Buffer.from(`failed to run ${options.cliPath}: ${err.message}\n`));
      resolve(-1);
    });
  });
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timedOut = await Promise.race([exit.then(() => false), sleep(timeoutMs).then(() => true)]);
        if (timedOut && !exited) {
          child.kill('SIGKILL');
          await exit;
        }
      }
      process.off('exit', killOnExit);
      await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    })();
    return stopping;
  };

  const failure = (reason: string) =>
    new Error(
      `the Temporal dev server ${reason}` +
        (options.logFile ? ` (log: ${options.logFile})` : '') +
        (recent.length ? `:\n  ${recent.slice(-15).join('\n  ')}` : ''),
    );

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let lastError: unknown;
  let connection: Connection | undefined;
  while (!connection) {
    if (exited) {
      await stop();
      throw failure(`exited before it answered on ${address} (is the port already in use?)`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw failure(
        `did not answer on ${address} within ${options.readyTimeoutMs ?? 30_000} ms: ${String(lastError)}`,
      );
    }
    let attempt: Connection | undefined;
    try {
      attempt = await Connection.connect({ address, connectTimeout: 2_000 });
      await attempt.workflowService.getSystemInfo({});
      await attempt.workflowService.describeNamespace({ namespace: options.namespace });
      if (exited) throw new Error('the server process exited');
      connection = attempt;
    } catch (err) {
      lastError = err;
      await attempt?.close().catch(() => undefined);
      await sleep(250);
    }
  }
  try {
    // start-dev registers the attributes only when it creates the namespace: add any new ones
    await ensureSearchAttributes(connection, options.namespace);
  } catch (err) {
    await stop();
    throw failure(`could not register the search attributes: ${(err as Error).message}`);
  } finally {
    await connection.close().catch(() => undefined);
  }

  const exitedInfo = exit.then(async (code): Promise<DevServerExit> => {
    const stopped = stopping !== undefined;
    if (!stopped) await stop(); // a crash: close the log and drop the exit hook
    return { code: exitSignal ? null : code, signal: exitSignal, stopped, lastLines: recent.slice(-15) };
  });
  return {
    address,
    uiUrl: options.ui ? `http://${UI_IP}:${options.uiPort}` : undefined,
    pid: child.pid as number,
    exited: exitedInfo,
    stop,
  };
}
