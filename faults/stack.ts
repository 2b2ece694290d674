import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server';
import { careDataConverter } from '../runtime/dataConverter';
import { connectClient } from '../runtime/connection';
import { startDevServer, type DevServerHandle } from '../runtime/devServer';
import { temporalTarget } from '../runtime/temporalTarget';
import { temporalCliPath } from '../scripts/temporalBinaries';
import { loadConfig, type CareConfig } from '../temporal.config';
import { freePort } from '../test/support/freePort';

/**
 * The system as the start command runs it, but in pieces the fault suite can kill one at a time:
 * a Temporal dev server on a SQLite file (scripts/devServer.ts), the journey worker as a process of
 * its own (`node --import tsx worker/main.ts`, what `npm run worker` runs), and the HTTP API
 * (api/server.ts) listening on 127.0.0.1 with the development tokens. Everything on 127.0.0.1.
 *
 * With TEMPORAL_ADDRESS set, the stack uses that cluster instead of a dev server of its own:
 * TEMPORAL_NAMESPACE, TEMPORAL_TLS*, TEMPORAL_API_KEY and CARE_PAYLOAD_KEYS as the start command
 * reads them, its journeys on a task queue of the run's own. The server restart (faults/run.ts
 * part 2) is left out there: the suite never kills a server it did not start.
 */

const root = path.resolve(__dirname, '..');

export { freePort };

export interface WorkerProcess {
  child: ChildProcess;
  /** the worker polls (it printed its banner) */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
}

export interface Stack {
  config: CareConfig;
  dataDir: string;
  dbFile: string;
  /** the cluster named by TEMPORAL_ADDRESS, or the stack's own dev server */
  onCluster: boolean;
  apiUrl: string;
  token: string;
  client: Client;
  devServer(): DevServerHandle | undefined;
  worker(): WorkerProcess | undefined;
  /** Starts (or restarts) the dev server on the same port and SQLite file. */
  startServer(): Promise<void>;
  /** kill -9 the dev server; resolves once it has gone. */
  killServer(): Promise<void>;
  startWorker(): Promise<WorkerProcess>;
  /** kill -9 the worker process; resolves once it has gone. */
  killWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: {
  label: string;
  log?: (line: string) => void;
  /** the case-event store on this PostgreSQL server (so the suite can read it while the worker runs); else embedded */
  databaseUrl?: string;
  /** the worker's entry point (default worker/main.ts, what `npm run worker` runs) */
  workerEntry?: string;
  /** more environment for the worker only */
  workerEnv?: NodeJS.ProcessEnv;
}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(path.join(tmpdir(), `care-faults-${options.label}-`));
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  // TEMPORAL_ADDRESS set: the given cluster (namespace, TLS, API key as the rest of the project
  // reads them), a task queue of the run's own on it; unset: a dev server of the stack's own
  const target = temporalTarget(process.env);
  const temporalPort = target.kind === 'devServer' ? await freePort() : 0;
  const apiPort = await freePort();
  const taskQueue = `faults-${options.label}-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(target.kind === 'devServer'
      ? { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_NAMESPACE: 'default' }
      : {}),
    TEMPORAL_TASK_QUEUE: taskQueue,
    CARE_DATA_DIR: dataDir,
    CARE_API_HOST: '127.0.0.1',
    CARE_API_PORT: String(apiPort),
    // Payloads are encrypted (issue 14); against a cluster address every process needs the keys:
    // one key of the stack's own unless the caller gave some.
    CARE_PAYLOAD_KEYS: process.env.CARE_PAYLOAD_KEYS ?? `faults:${randomBytes(32).toString('base64')}`,
    ...(options.databaseUrl ? { CARE_DATABASE_URL: options.databaseUrl } : {}),
  };
  delete env.CARE_API_TOKENS;
  const config = loadConfig(env);
  mkdirSync(config.outboxDir, { recursive: true });

  let server: DevServerHandle | undefined;
  let worker: WorkerProcess | undefined;
  const killOnExit = () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const onCluster = () =>
    new Error(
      `the stack runs against the cluster at ${target.kind === 'cluster' ? target.address : ''} (TEMPORAL_ADDRESS): it does not kill or start that server`,
    );
  const startServer = async () => {
    if (target.kind === 'cluster') throw onCluster();
    const t = Date.now();
    server = await startDevServer({
      cliPath: temporalCliPath(config),
      port: temporalPort,
      uiPort: 0, // no Web UI: it is off unless asked for
      dbFile,
      namespace: 'default',
      logFile: path.join(dataDir, 'temporal-server.log'),
      readyTimeoutMs: 60_000,
    });
    log(`dev server up on 127.0.0.1:${temporalPort} (pid ${server.pid}) in ${Date.now() - t} ms`);
  };
  const killServer = async () => {
    if (target.kind === 'cluster') throw onCluster();
    const pid = server?.pid;
    if (!server || pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    await server.stop(); // the process has gone: this only waits for its exit and closes the log
    server = undefined;
    log(`dev server killed (kill -9 ${pid})`);
  };

  const startWorker = async (): Promise<WorkerProcess> => {
    const t = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', options.workerEntry ?? 'worker/main.ts'], {
      cwd: root,
      env: { ...env, ...options.workerEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let resolveReady: () => void = () => undefined;
    let rejectReady: (err: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('worker polling task queue')) resolveReady();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code, signal) => {
        rejectReady(new Error(`the worker exited (${signal ?? code}) before it polled:\n${output}`));
        resolve(code ?? (signal ? -1 : null));
      }),
    );
    worker = { child, ready, exited, output: () => output };
    await ready;
    log(`worker up (pid ${child.pid}) in ${Date.now() - t} ms`);
    return worker;
  };
  const killWorker = async () => {
    if (!worker) return;
    const { child, exited } = worker;
    child.kill('SIGKILL');
    await exited;
    log(`worker killed (kill -9 ${child.pid})`);
    worker = undefined;
  };

  let connection: Connection;
  let client: Client;
  if (target.kind === 'devServer') {
    await startServer();
    connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    // the API's client encrypts and decrypts as the worker does
    client = new Client({ connection, namespace: 'default', dataConverter: careDataConverter(config) });
  } else {
    // the cluster's own TLS / API key, and the start-up check of its version (runtime/connection.ts)
    ({ client, connection } = await connectClient(config));
    log(`against the cluster at ${target.address}, namespace ${target.namespace}, task queue ${taskQueue}`);
  }
  let app: FastifyInstance | undefined;
  try {
    await startWorker();
    app = await buildApi({ client, config });
    await app.listen({ host: '127.0.0.1', port: apiPort });
  } catch (err) {
    await app?.close();
    await killWorker();
    await server?.stop();
    throw err;
  }

  return {
    config,
    dataDir,
    dbFile,
    onCluster: target.kind === 'cluster',
    apiUrl: `http://127.0.0.1:${apiPort}`,
    token: 'dev-practitioner-token',
    client,
    devServer: () => server,
    worker: () => worker,
    startServer,
    killServer,
    startWorker,
    killWorker,
    async stop() {
      await app?.close();
      if (worker && worker.child.exitCode === null) {
        worker.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([worker.exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
        clearTimeout(timer);
        if (worker.child.exitCode === null) await killWorker();
      }
      await connection.close().catch(() => undefined);
      await server?.stop();
      process.off('exit', killOnExit);
    },
  };
}
