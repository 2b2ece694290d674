import type { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server';
import { pageSessionSecret, registerPages } from '../pages';
import { openCaseEventStore } from '../store';
import { ConfigError, loadConfig, temporalAddress, type CareConfig } from '../temporal.config';
import { connectClient } from './connection';
import { payloadCodecFor } from './dataConverter';
import { reportedProblemsGap, serverFeatures } from './serverVersion';

/**
 * The HTTP API and the operations pages as a process of their own (`npm run api`;
 * deploy/systemd/care-journeys-api.service), so that a council runs as many API instances as it
 * needs beside as many workers (`npm run worker`) as it needs, against its Temporal cluster and a
 * PostgreSQL server (docs/deployment.md). `npm start` runs the same API in one process with a
 * worker and, without TEMPORAL_ADDRESS, the embedded dev server.
 *
 * Ctrl-C / SIGTERM stops taking requests, lets those under way finish, closes the store and the
 * connection, and exits 0; a failure to start exits 1 with the reason.
 */

/** Forced exit if an orderly stop hangs (systemd's TimeoutStopSec is longer). */
const SHUTDOWN_TIMEOUT_MS = 30_000;

/** What this process needs that `npm start` does not, refused before anything starts. */
function refuseForOwnProcess(config: CareConfig): void {
  if (!config.database.url) {
    throw new ConfigError(
      'CARE_DATABASE_URL is not set: the API as a process of its own needs the case-event store on a PostgreSQL ' +
        'server (postgres://user:password@host:5432/database), which the workers share. The embedded store is one ' +
        "process's alone: to run the API with it, run the API and the worker together with npm start",
    );
  }
  if (config.api.tokenSource === 'development') {
    throw new ConfigError(
      'CARE_API_TOKENS is not set, so the development tokens printed in the README would be accepted (a proxy in ' +
        "front of this API would pass them on): set CARE_API_TOKENS to your integrations' tokens, or to '{}' " +
        'for none when staff sign in through the identity provider (CARE_OIDC_*)',
    );
  }
}

interface Running {
  app?: FastifyInstance;
  connection?: Connection;
  store?: Awaited<ReturnType<typeof openCaseEventStore>>;
}
const running: Running = {};
let stopping: Promise<void> | undefined;

function shutdown(reason: string, exitCode: number): Promise<void> {
  stopping ??= (async () => {
    console.log(`${reason}: stopping the API…`);
    const force = setTimeout(() => {
      console.error(`still stopping after ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    const step = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (err) {
        console.error(`while stopping the ${what}: ${(err as Error).message}`);
      }
    };
    const { app, connection, store } = running;
    if (app) await step('API', () => app.close());
    if (store) await step('case-event store', () => store.db.close());
    if (connection) await step('Temporal connection', () => connection.close());
    clearTimeout(force);
    console.log('stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

async function main(): Promise<void> {
  const config = loadConfig();
  refuseForOwnProcess(config);
  // the payload keys and the session secret, before anything starts (as npm start checks them)
  payloadCodecFor(config);
  pageSessionSecret(config.api.sessionSecret, 'server');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  running.store = await openCaseEventStore(config.database);
  console.log(
    `the case-event store is open (${running.store.db.kind}: ${running.store.db.where})` +
      (running.store.migrated.length ? `; migrations applied: ${running.store.migrated.join(', ')}` : ''),
  );
  if (stopping) return;
  const { client, connection } = await connectClient(config);
  running.connection = connection;
  const features = await serverFeatures(connection, config.temporal.namespace);
  if (!features.reportedProblems) console.warn(reportedProblemsGap(features.version));
  if (stopping) return;
  running.app = await buildApi({
    client,
    config,
    logger: true,
    store: running.store.store,
    extend: registerPages(config),
  });
  await running.app.listen({ host: config.api.host, port: config.api.port });
  console.log(
    `care-journeys API listening on ${config.api.url} (Temporal ${temporalAddress(config)}, ` +
      `${features.version ? `Temporal server ${features.version}` : 'a Temporal server that reports no version'}, namespace ` +
      `${config.temporal.namespace}, task queue ${config.temporal.taskQueue}; case-event store ${running.store.db.where}); ` +
      'health: /livez, /readyz, /healthz',
  );
}

main().catch((err: unknown) => {
  console.error(
    `api: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  void shutdown('start-up failed', 1);
});
