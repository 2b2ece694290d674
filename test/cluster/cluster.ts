import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { freePort } from '../../faults/stack';
import { connectClient } from '../../runtime/connection';
import { temporalCliPath } from '../../scripts/temporalBinaries';
import { openCaseEventStore, type CaseEventStore } from '../../store';
import type { StoreDatabase } from '../../store/database';
import { loadConfig, type CareConfig } from '../../temporal.config';
import { journeySearchAttributes } from '../../workflows/searchAttributes';
import { npmRun, startProcess, type RunningProcess } from './processes';
import {
  renderServerConfig,
  schemaVersions,
  setUpTemporalSchemas,
  temporalServer,
  type BuiltServer,
  type TemporalServer,
} from './temporalServer';

/**
 * The whole installation the cluster suite runs, as docs/deployment.md describes it: a Temporal
 * server (built from the Go module proxy) on PostgreSQL persistence and SQL visibility, a namespace
 * of the journeys' own made with the Temporal CLI and given its search attributes by
 * `npm run setup:cluster`, two `npm run worker` and two `npm run api` processes sharing one
 * case-event store database, one set of payload keys, one session secret and one set of API tokens.
 * Everything on 127.0.0.1, on free ports; the logs in one folder.
 */

export const namespace = 'care-journeys';

export const roles = ['practitioner', 'manager', 'auditor'] as const;
export type Role = (typeof roles)[number];

export interface ApiInstance {
  name: string;
  url: string;
  port: number;
  process: RunningProcess;
}

export interface Cluster {
  built: BuiltServer;
  server: TemporalServer;
  serverVersion: string;
  schemaVersions: Record<string, string>;
  logDir: string;
  /** the settings every worker and API process is given */
  env: NodeJS.ProcessEnv;
  config: CareConfig;
  tokens: Record<Role, { token: string; userId: string }>;
  workers: (RunningProcess | undefined)[];
  apis: ApiInstance[];
  client: Client;
  connection: Connection;
  store: CaseEventStore;
  storeDb: StoreDatabase;
  /** what `npm run setup:cluster` printed */
  setupClusterOutput: string;
  timings: Record<string, number>;
  startWorker(index: number): Promise<RunningProcess>;
  /** SIGKILL worker `index`'s whole process group */
  killWorker(index: number): Promise<void>;
  /** SIGTERM both workers (an orderly stop) */
  stopWorkers(): Promise<void>;
  /** a worker process of another entry point on the same settings (the crash-before-commit worker) */
  startOtherWorker(entry: string, env: NodeJS.ProcessEnv, name: string): RunningProcess;
  stop(): Promise<void>;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export async function startCluster(options: {
  built: BuiltServer;
  /** the PostgreSQL server (its admin connection string) */
  postgresUrl: string;
  log: (line: string) => void;
}): Promise<Cluster> {
  const { built, postgresUrl, log } = options;
  const timings: Record<string, number> = {};
  const logDir = mkdtempSync(path.join(tmpdir(), 'care-cluster-'));
  log(`logs in ${logDir}`);
  const stoppers: (() => Promise<unknown>)[] = [];

  // Temporal's databases and schemas, with the server's own schema tool
  let t = Date.now();
  timings.schemaSetup = setUpTemporalSchemas(built, postgresUrl);
  const versions = await schemaVersions(postgresUrl);
  log(`Temporal schemas set up in ${timings.schemaSetup.toFixed(1)} s: ${JSON.stringify(versions)}`);

  // The server, on free loopback ports below 32768: Temporal keeps each service's port in its
  // cluster_membership table as a smallint, and a server on a higher port (the kernel's ephemeral
  // range) exits at once ("unable to initialize membership heartbeats")
  const taken = new Set<number>();
  const serverPort = async () => {
    const port = await freePortBelow(32_768, taken);
    taken.add(port);
    return port;
  };
  const ports = {
    frontend: await serverPort(),
    frontendHttp: await serverPort(),
    frontendMembership: await serverPort(),
    history: await serverPort(),
    historyMembership: await serverPort(),
    matching: await serverPort(),
    matchingMembership: await serverPort(),
    worker: await serverPort(),
    workerMembership: await serverPort(),
  };
  const serverLog = path.join(logDir, 'temporal-server.log');
  const server = temporalServer({
    built,
    configFile: path.join(logDir, 'temporal-server.yaml'),
    config: renderServerConfig(postgresUrl, ports, serverLog),
    ports,
    logFile: serverLog,
    log,
  });
  stoppers.push(() => server.stop());
  try {
    timings.serverStart = await server.start();
    const serverVersion = await server.version();

    // The settings every process of the installation shares
    const dataDir = path.join(logDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const storeUrl = await createDatabase(postgresUrl, 'care_journeys');
    const tokens = Object.fromEntries(
      roles.map((role) => [
        role,
        { token: `cluster-${role}-${randomBytes(12).toString('hex')}`, userId: `cluster.${role}` },
      ]),
    ) as Cluster['tokens'];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: 'care-journeys',
      CARE_DATABASE_URL: storeUrl,
      CARE_DATABASE_POOL_SIZE: '5',
      CARE_PAYLOAD_KEYS: `cluster-1:${randomBytes(32).toString('base64')}`,
      CARE_SESSION_SECRET: randomBytes(36).toString('base64'),
      CARE_API_TOKENS: JSON.stringify(
        Object.fromEntries(
          roles.map((role) => [tokens[role].token, { userId: tokens[role].userId, role, teams: '*' }]),
        ),
      ),
      CARE_DATA_DIR: dataDir,
      CARE_API_HOST: '127.0.0.1',
    };
    for (const name of [
      'CARE_PAYLOAD_KEY_CURRENT',
      'CARE_PAYLOAD_ACCEPT_PLAINTEXT',
      'CARE_API_PORT',
      'CARE_API_URL',
    ])
      delete env[name];
    const config = loadConfig(env);

    // A namespace of the journeys' own, with the project's Temporal CLI
    t = Date.now();
    createNamespace(temporalCliPath(config), server.address, log);
    timings.namespaceCreate = seconds(t);

    // Its search attributes, as an operator registers them: only the address and the namespace
    t = Date.now();
    const setupEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
    };
    for (const name of Object.keys(setupEnv)) if (name.startsWith('CARE_')) delete setupEnv[name];
    const setup = npmRun('setup:cluster', {
      name: 'setup:cluster',
      env: setupEnv,
      logFile: path.join(logDir, 'setup-cluster.log'),
    });
    const setupExit = await setup.exited;
    if (setupExit !== 0) throw new Error(`npm run setup:cluster exited ${setupExit}:\n${setup.output()}`);
    timings.setupCluster = seconds(t);
    log(`npm run setup:cluster in ${timings.setupCluster} s`);

    // The test's own client (the payload keys of the installation) and store connection
    const { client, connection } = await connectClient(config);
    stoppers.push(() => connection.close());
    t = Date.now();
    await searchAttributesQueryable(client, log);
    timings.searchAttributesQueryable = seconds(t);
    const opened = await openCaseEventStore({ url: storeUrl, embeddedDir: '', poolSize: 3, tls: undefined });
    stoppers.push(() => opened.db.close());

    const workers: (RunningProcess | undefined)[] = [undefined, undefined];
    const startWorker = async (index: number) => {
      const started = Date.now();
      const worker = npmRun('worker', {
        name: `worker ${index + 1}`,
        env,
        readyText: 'worker polling task queue',
        logFile: path.join(logDir, `worker-${index + 1}.log`),
      });
      workers[index] = worker;
      await worker.ready;
      log(`worker ${index + 1} polling (pid ${worker.child.pid}) after ${seconds(started)} s`);
      return worker;
    };
    stoppers.push(async () => Promise.all(workers.map((w) => w?.stop())));
    t = Date.now();
    await Promise.all([startWorker(0), startWorker(1)]);
    timings.workersStart = seconds(t);

    const apis: ApiInstance[] = [];
    stoppers.push(async () => Promise.all(apis.map((a) => a.process.stop())));
    t = Date.now();
    await Promise.all(
      ['A', 'B'].map(async (name) => {
        const port = await freePort();
        const apiProcess = npmRun('api', {
          name: `API ${name}`,
          env: { ...env, CARE_API_PORT: String(port), CARE_API_URL: `http://127.0.0.1:${port}` },
          readyText: 'care-journeys API listening on',
          logFile: path.join(logDir, `api-${name}.log`),
        });
        apis.push({ name, url: `http://127.0.0.1:${port}`, port, process: apiProcess });
        await apiProcess.ready;
      }),
    );
    apis.sort((a, b) => a.name.localeCompare(b.name));
    timings.apisStart = seconds(t);
    log(`API A ${apis[0]!.url}, API B ${apis[1]!.url}, up in ${timings.apisStart} s`);

    return {
      built,
      server,
      serverVersion,
      schemaVersions: versions,
      logDir,
      env,
      config,
      tokens,
      workers,
      apis,
      client,
      connection,
      store: opened.store,
      storeDb: opened.db,
      setupClusterOutput: setup.output(),
      timings,
      startWorker,
      async killWorker(index) {
        const worker = workers[index];
        await worker?.kill();
        workers[index] = undefined;
        log(`worker ${index + 1} killed (kill -9 of its process group ${worker?.child.pid})`);
      },
      async stopWorkers() {
        await Promise.all(workers.map((w) => w?.stop()));
        workers.fill(undefined);
      },
      startOtherWorker(entry, extraEnv, name) {
        return startProcess({
          name,
          command: process.execPath,
          args: ['scripts/with-node.mjs', 'tsx', entry],
          env: { ...env, ...extraEnv },
          readyText: 'worker polling task queue',
          logFile: path.join(logDir, `${name.replace(/\W+/g, '-')}.log`),
        });
      },
      async stop() {
        for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/** A port between 20000 and `below` that nothing listens on now (tried at random). */
async function freePortBelow(below: number, taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (below - 20_000));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port found between 20000 and ${below}`);
}

/** A database of its own on the PostgreSQL server; its connection string. */
async function createDatabase(postgresUrl: string, name: string): Promise<string> {
  const admin = new PgClient({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * `temporal operator namespace create`, tried again while the fresh server is still settling
 * (its namespace registry and history shards come up a moment after the frontend answers).
 */
function createNamespace(cli: string, address: string, log: (line: string) => void): void {
  const until = Date.now() + 90_000;
  for (;;) {
    const result = spawnSync(
      cli,
      [
        'operator',
        'namespace',
        'create',
        '--namespace',
        namespace,
        '--retention',
        '72h',
        '--address',
        address,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.status === 0) {
      log(`namespace ${namespace} created: ${output}`);
      return;
    }
    if (/already exists|already registered/i.test(output)) return;
    if (Date.now() > until) throw new Error(`temporal operator namespace create failed: ${output}`);
    spawnSync('sleep', ['1']);
  }
}

/**
 * Until the server answers a visibility query naming every journey search attribute: a freshly
 * created namespace and freshly registered attributes reach the frontend's namespace registry only
 * at its next refresh (every 10 s by default).
 */
async function searchAttributesQueryable(client: Client, log: (line: string) => void): Promise<void> {
  const query = journeySearchAttributes.map((key) => `${key.name} IS NOT NULL`).join(' OR ');
  const until = Date.now() + 90_000;
  for (;;) {
    try {
      await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
      log("the journeys' search attributes are queryable");
      return;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`the search attributes never became queryable: ${(err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
