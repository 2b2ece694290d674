import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { root, startProcess, type RunningProcess } from './processes';

/**
 * A real Temporal server for the cluster suite: the binary built from the Go module proxy
 * (scripts/cluster/build-temporal-server.mjs), on PostgreSQL persistence and SQL visibility
 * (postgres12 plugin), its schemas made by the server's own schema tool (temporal-sql-tool), its
 * configuration rendered from scripts/cluster/temporal-server.yaml onto free loopback ports. It
 * can be killed with SIGKILL and started again on the same databases and ports.
 */

export interface BuiltServer {
  version: string;
  server: string;
  sqlTool: string;
  dir: string;
  reused: boolean;
  build: { buildSeconds: number; builtAt: string; go: string };
}

export const temporalDatabases = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

/** Creates Temporal's two databases and their schemas with temporal-sql-tool; returns the seconds taken. */
export function setUpTemporalSchemas(built: BuiltServer, postgresUrl: string): number {
  const started = Date.now();
  const url = new URL(postgresUrl);
  const common = [
    '--plugin',
    'postgres12',
    '--endpoint',
    url.hostname,
    '--port',
    url.port,
    '--user',
    decodeURIComponent(url.username),
    ...(url.password ? ['--password', decodeURIComponent(url.password)] : []),
  ];
  const tool = (db: string, args: string[]) => {
    const result = spawnSync(built.sqlTool, [...common, '--db', db, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) {
      throw new Error(
        `temporal-sql-tool --db ${db} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${(result.stderr || result.stdout).slice(-3000)}`,
      );
    }
  };
  for (const [db, schema] of [
    [temporalDatabases.persistence, 'postgresql/v12/temporal'],
    [temporalDatabases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    tool(db, ['create-database']);
    tool(db, ['setup-schema', '--version', '0.0']);
    tool(db, ['update-schema', '--schema-name', schema]);
  }
  return Math.round((Date.now() - started) / 100) / 10;
}

/** What the schema tool left: each database's schema version (from its schema_version table). */
export async function schemaVersions(postgresUrl: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const db of Object.values(temporalDatabases)) {
    const url = new URL(postgresUrl);
    url.pathname = `/${db}`;
    const client = new PgClient({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ curr_version: string }>(
        'SELECT curr_version FROM schema_version',
      );
      versions[db] = rows[0]?.curr_version ?? '(none)';
    } finally {
      await client.end();
    }
  }
  return versions;
}

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** scripts/cluster/temporal-server.yaml with its ${…} fields filled in; refuses a field it has no value for. */
export function renderServerConfig(
  postgresUrl: string,
  ports: ServerPorts,
  logFile: string,
  template = path.join(root, 'scripts', 'cluster', 'temporal-server.yaml'),
): string {
  const url = new URL(postgresUrl);
  const fields: Record<string, string | number> = {
    LOG_FILE: logFile,
    PERSISTENCE_DB: temporalDatabases.persistence,
    VISIBILITY_DB: temporalDatabases.visibility,
    PG_HOST: url.hostname,
    PG_PORT: url.port,
    PG_USER: decodeURIComponent(url.username),
    PG_PASSWORD: decodeURIComponent(url.password),
    FRONTEND_PORT: ports.frontend,
    FRONTEND_HTTP_PORT: ports.frontendHttp,
    FRONTEND_MEMBERSHIP_PORT: ports.frontendMembership,
    HISTORY_PORT: ports.history,
    HISTORY_MEMBERSHIP_PORT: ports.historyMembership,
    MATCHING_PORT: ports.matching,
    MATCHING_MEMBERSHIP_PORT: ports.matchingMembership,
    WORKER_PORT: ports.worker,
    WORKER_MEMBERSHIP_PORT: ports.workerMembership,
  };
  const text = readFileSync(template, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (_all, name: string) => {
    if (!(name in fields)) throw new Error(`${template}: no value for \${${name}}`);
    return String(fields[name]);
  });
  return text;
}

export interface TemporalServer {
  address: string;
  process(): RunningProcess | undefined;
  /** starts the server and resolves once its frontend answers GetSystemInfo; the seconds it took */
  start(): Promise<number>;
  /** SIGKILL, no goodbye */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** GetSystemInfo's serverVersion */
  version(): Promise<string>;
}

export function temporalServer(options: {
  built: BuiltServer;
  configFile: string;
  config: string;
  ports: ServerPorts;
  logFile: string;
  log: (line: string) => void;
}): TemporalServer {
  writeFileSync(options.configFile, options.config);
  const address = `127.0.0.1:${options.ports.frontend}`;
  let running: RunningProcess | undefined;
  let starts = 0;
  const systemInfo = async () => {
    const connection = await Connection.connect({ address, connectTimeout: 2_000 });
    try {
      return await connection.workflowService.getSystemInfo({});
    } finally {
      await connection.close();
    }
  };
  return {
    address,
    process: () => running,
    async start() {
      const started = Date.now();
      starts++;
      running = startProcess({
        name: `temporal-server (start ${starts})`,
        command: options.built.server,
        args: ['--config-file', options.configFile, '--allow-no-auth', 'start'],
        env: { ...process.env },
        logFile: `${options.logFile}.stdout`,
      });
      const limit = Date.now() + 120_000;
      for (;;) {
        if (running.child.exitCode !== null || running.child.signalCode !== null) {
          throw new Error(
            `the Temporal server exited (${running.child.exitCode ?? running.child.signalCode}) while starting:\n${running.output()}\n${tailOf(options.logFile)}`,
          );
        }
        try {
          await systemInfo();
          break;
        } catch (err) {
          if (Date.now() > limit) {
            await running.kill();
            throw new Error(
              `the Temporal server did not answer on ${address} within 120 s (${(err as Error).message}):\n${tailOf(options.logFile)}`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      options.log(`Temporal server up on ${address} (pid ${running.child.pid}) in ${seconds.toFixed(1)} s`);
      return seconds;
    },
    async kill() {
      const pid = running?.child.pid;
      await running?.kill();
      running = undefined;
      options.log(`Temporal server killed (kill -9 ${pid})`);
    },
    async stop() {
      await running?.stop(20_000);
      running = undefined;
    },
    async version() {
      return (await systemInfo()).serverVersion ?? '';
    },
  };
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
