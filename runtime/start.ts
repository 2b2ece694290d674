import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { bundleWorkflowCode, type NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server';
import { pageSessionSecret, registerPages } from '../pages';
import { loadConfig, temporalAddress, type CareConfig } from '../temporal.config';
import { createJourneyWorker } from '../worker/createWorker';
import { openCaseEventStore } from '../store';
import { connectClient, connectWorkerConnection } from './connection';
import { reportedProblemsGap, serverFeatures } from './serverVersion';
import { payloadCodecFor } from './dataConverter';
import { startDevServer, type DevServerExit, type DevServerHandle } from './devServer';
import { temporalCliPath } from '../scripts/temporalBinaries';
import { journeyBundleOptions } from './workflowBundle';
import { superviseWorker, type WorkerSupervision } from './workerSupervision';

/**
 * `npm start`: the embedded Temporal dev server (unless TEMPORAL_ADDRESS names a cluster), the
 * journey worker and the HTTP API, all in this one process, sharing one case-event store (the
 * embedded one is this process's alone). Ctrl-C / SIGTERM stops the API, then the worker, then the
 * dev server, and exits 0. Journeys persist in .data/temporal.sqlite.
 *
 * The worker is supervised (runtime/workerSupervision.ts): when it fails (its run() rejects), a new
 * one is made on the same connection from the same workflow bundle after 1 s, 2 s, 4 s, … at most
 * CARE_WORKER_RESTARTS times in a row, while the API and the store stay up; then the start command
 * stops everything and exits 1.
 *
 * The dev server is supervised: if it dies, it is started again on the same data file (after 1 s,
 * 2 s, 4 s, … up to 30 s), at most CARE_DEV_SERVER_RESTARTS times in a row (a server that stays up
 * a minute resets the count); after that the start command stops everything and exits 1, so an
 * outside supervisor (systemd, a container runtime) can take over. The worker and the API keep
 * their connections and carry on once it answers again; meanwhile the API answers 503.
 */

/** Forced exit if an orderly stop hangs. */
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** A dev server that stayed up this long counts as healthy: its next crash starts the count afresh. */
const STABLE_AFTER_MS = 60_000;
const restartDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Running {
  devServer?: DevServerHandle;
  workerConnection?: NativeConnection;
  clientConnection?: Connection;
  /** the journey worker, replaced when it fails */
  worker?: WorkerSupervision;
  app?: FastifyInstance;
  /** the case-event store (issue 12), shared by the worker and the API */
  store?: Awaited<ReturnType<typeof openCaseEventStore>>;
}

const running: Running = {};

async function stopAll(): Promise<void> {
  const { app, worker, clientConnection, workerConnection, devServer, store } = running;
  const step = async (what: string, action: () => Promise<unknown> | unknown) => {
    try {
      await action();
    } catch (err) {
      console.error(`while stopping the ${what}: ${(err as Error).message}`);
    }
  };
  if (app) await step('API', () => app.close());
  // the Temporal runtime may already have begun the worker's shutdown on the same signal
  if (worker) await step('worker', () => worker.stop());
  // after the worker: its last activities may still be writing the case record
  if (store) await step('case-event store', () => store.db.close());
  if (clientConnection) await step('client connection', () => clientConnection.close());
  if (workerConnection) await step('worker connection', () => workerConnection.close());
  if (devServer) await step('Temporal dev server', () => devServer.stop());
}

let stopping: Promise<void> | undefined;

function shutdown(reason: string, exitCode: number): Promise<void> {
  stopping ??= (async () => {
    console.log(
      `\n${reason}: stopping the API, the worker${running.devServer ? ' and the Temporal dev server' : ''}…`,
    );
    const force = setTimeout(() => {
      console.error(`still stopping after ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting anyway`);
      process.exit(1); // the dev server is killed by its exit hook
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await stopAll();
    clearTimeout(force);
    console.log('stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

function devServerOptions(config: CareConfig) {
  return {
    cliPath: temporalCliPath(config),
    port: config.devServer.port,
    uiPort: config.devServer.uiPort,
    // off unless CARE_TEMPORAL_UI=1: it has no sign-in (docs/securing-temporal.md)
    ui: config.devServer.ui,
    dbFile: config.devServer.dbFile,
    namespace: config.temporal.namespace,
    logFile: path.join(config.dataDir, 'temporal-server.log'),
    // the Web UI shows journeys' payloads decrypted through the API's codec server (issue 14)
    uiCodecEndpoint: `${config.api.url}/codec`,
  };
}

function describeExit(exit: DevServerExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * Watches the dev server; on a crash, starts it again (bounded, with back-off) or, when the
 * restarts are used up, stops everything and exits 1.
 */
function superviseDevServer(config: CareConfig, handle: DevServerHandle, restartsInARow = 0): void {
  const startedAt = Date.now();
  void handle.exited.then(async (exit) => {
    if (exit.stopped || stopping) return;
    const logFile = path.join(config.dataDir, 'temporal-server.log');
    console.error(
      `the Temporal dev server (pid ${handle.pid}) ${describeExit(exit)} unexpectedly (log: ${logFile})` +
        (exit.lastLines.length ? `; its last lines:\n  ${exit.lastLines.slice(-5).join('\n  ')}` : ''),
    );
    let attempt = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : restartsInARow + 1;
    const max = config.devServer.maxRestarts;
    while (!stopping) {
      if (attempt > max) {
        console.error(
          `the Temporal dev server died ${max === 0 ? '(CARE_DEV_SERVER_RESTARTS=0: no restarts)' : `and ${max} restart${max === 1 ? '' : 's'} in a row did not keep it up`}; exiting 1 so a supervisor can restart care-journeys`,
        );
        running.devServer = undefined;
        void shutdown('the Temporal dev server is down', 1);
        return;
      }
      const delay = restartDelayMs(attempt);
      console.error(
        `restarting the Temporal dev server in ${delay / 1000} s (restart ${attempt} of ${max})…`,
      );
      await sleep(delay);
      if (stopping) return;
      try {
        const restarted = await startDevServer(devServerOptions(config));
        running.devServer = restarted;
        console.log(
          `the Temporal dev server is back (pid ${restarted.pid}, restart ${attempt} of ${max}); the worker and the API reconnect by themselves`,
        );
        if (stopping) {
          await restarted.stop();
          return;
        }
        superviseDevServer(config, restarted, attempt);
        return;
      } catch (err) {
        console.error(`restart ${attempt} of the Temporal dev server failed: ${(err as Error).message}`);
        attempt += 1;
      }
    }
  });
}

/** Said at start-up whenever the embedded Web UI is on. */
const webUiWarning = (uiUrl: string) =>
  `WARNING: the Temporal Web UI is on (CARE_TEMPORAL_UI=1) at ${uiUrl}. It has no sign-in: it shows ` +
  "every journey's team, worker, stage and safeguarding flag to anyone on this machine who can reach " +
  'the port, and lets them cancel or terminate journeys. Turn it off (unset CARE_TEMPORAL_UI) on any ' +
  'machine others use.';

const plaintextWarning =
  'WARNING: CARE_PAYLOAD_ACCEPT_PLAINTEXT=true: payloads that were never encrypted are accepted, so ' +
  'anyone who can reach Temporal can record an event as any member of staff. Keep it only while ' +
  'journeys started before payload encryption still run (docs/securing-temporal.md).';

function printBanner(config: CareConfig): void {
  const rows: [string, string][] = [
    [
      'Temporal (gRPC)',
      `${temporalAddress(config)}  namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}` +
        (running.devServer ? '  (embedded dev server)' : ''),
    ],
  ];
  if (running.devServer?.uiUrl) {
    rows.push([
      'Temporal Web UI',
      `${running.devServer.uiUrl}  (payloads decoded by ${config.api.url}/codec)`,
    ]);
  } else if (running.devServer) {
    rows.push(['Temporal Web UI', 'off (CARE_TEMPORAL_UI=1 turns it on, on 127.0.0.1 only)']);
  }
  if (running.devServer) {
    rows.push([
      'Temporal data',
      `${config.devServer.dbFile} (log: ${path.join(config.dataDir, 'temporal-server.log')})`,
    ]);
  }
  if (running.store) rows.push(['Case-event store', `${running.store.db.kind}: ${running.store.db.where}`]);
  rows.push(['API', config.api.url], ['API docs', `${config.api.url}/docs`]);
  rows.push(['Operations pages', `${config.api.url}/worktray`]);
  rows.push([
    'Page sessions',
    running.store
      ? `case-event store (page_sessions, encrypted)${running.store.db.kind === 'server' ? ', shared by every API instance on it' : ''}`
      : "this process's memory",
  ]);
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('\ncare-journeys is running');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  if (!process.env.CARE_API_TOKENS) {
    console.log(
      '\nDevelopment tokens (CARE_API_TOKENS is not set; never use these beyond your own machine):',
    );
    for (const [token, { userId, role }] of Object.entries(config.api.tokens)) {
      console.log(`  Authorization: Bearer ${token.padEnd(24)} ${role} (${userId})`);
    }
  }
  if (running.devServer?.uiUrl) console.warn(`\n${webUiWarning(running.devServer.uiUrl)}`);
  if (config.plaintextPayloads === 'accept') console.warn(`\n${plaintextWarning}`);
  console.log('\nCtrl-C stops everything.');
}

async function main(): Promise<void> {
  const config = loadConfig();
  // the payload keys (issue 14) before anything starts: a council's cluster without them stops
  // here; the embedded dev server's development key is made now if there is none yet
  payloadCodecFor(config);
  // sessions on a PostgreSQL server are shared, so their cookie's secret must be too: refused now,
  // before anything starts, when CARE_SESSION_SECRET is missing (none needed on the embedded store)
  pageSessionSecret(config.api.sessionSecret, config.database.url ? 'server' : 'embedded');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  if (!config.temporal.address) {
    console.log(`starting the Temporal dev server (${config.devServer.dbFile})…`);
    running.devServer = await startDevServer(devServerOptions(config));
    console.log(`the Temporal dev server is up (pid ${running.devServer.pid})`);
    superviseDevServer(config, running.devServer);
  }
  if (stopping) return;

  running.store = await openCaseEventStore(config.database);
  console.log(
    `the case-event store is open (${running.store.db.kind}: ${running.store.db.where})` +
      (running.store.migrated.length ? `; migrations applied: ${running.store.migrated.join(', ')}` : ''),
  );
  if (stopping) return;
  running.workerConnection = await connectWorkerConnection(config);
  const { client, connection } = await connectClient(config);
  running.clientConnection = connection;
  const features = await serverFeatures(connection, config.temporal.namespace);
  if (!features.reportedProblems) console.warn(reportedProblemsGap(features.version));
  // bundled once: a worker made again after a failure starts in a second or two, not after webpack
  const { code } = await bundleWorkflowCode(journeyBundleOptions);
  if (stopping) return;
  const workerConnection = running.workerConnection;
  const store = running.store.store;
  running.worker = await superviseWorker({
    create: () =>
      createJourneyWorker({ connection: workerConnection, config, store, workflowBundle: { code } }),
    maxRestarts: config.worker.maxRestarts,
    isStopping: () => stopping !== undefined,
    onGiveUp: () => void shutdown('the journey worker is down', 1),
    // only when nobody asked (Temporal's own shutdown signals): nothing is left to run journeys
    onStopped: () => void shutdown('the worker stopped', 1),
    log: { info: (message) => console.log(message), error: (message) => console.error(message) },
  });
  const worker = running.worker;
  if (stopping) return;

  running.app = await buildApi({
    client,
    config,
    logger: true,
    // /healthz reports this process's worker from the worker itself, not only its pollers: while
    // it is being replaced after a failure, RESTARTING (the worker is down; the API answers)
    journeyClient: { inProcessWorkerState: () => worker.state() },
    store: running.store.store,
    // the operations pages (issue 13) on the same server: /worktray, /cases/…, /dashboard
    extend: registerPages(config),
  });
  await running.app.listen({ host: config.api.host, port: config.api.port });
  printBanner(config);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  void shutdown('start-up failed', 1);
});
