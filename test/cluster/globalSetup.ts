import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresEnv, startPostgres } from '../support/postgresServer';
import { resultsFile } from './results';

/**
 * The cluster suite's global setup: the Temporal server built from the Go module proxy, or reused
 * from the cache (scripts/cluster/build-temporal-server.mjs, its progress printed as it goes), and a
 * PostgreSQL server of the run's own (test/support/postgresServer.ts) for Temporal's persistence and
 * visibility and the case-event store. What was built is handed on in CARE_CLUSTER_SERVER; what is
 * measured goes to CARE_CLUSTER_RESULTS.
 */
const root = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  process.env.CARE_CLUSTER_RESULTS ??= path.join(root, '.data', 'cluster', 'latest.json');
  mkdirSync(path.dirname(resultsFile()), { recursive: true });
  writeFileSync(
    resultsFile(),
    `${JSON.stringify({
      startedAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()}`,
      timings: {},
      rows: [],
    })}\n`,
  );

  const out = path.join(os.tmpdir(), `care-cluster-build-${process.pid}.json`);
  console.log('');
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'cluster', 'build-temporal-server.mjs')],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CARE_CLUSTER_BUILD_OUT: out },
    },
  );
  if (build.status !== 0) throw new Error('the Temporal server could not be built (see above)');
  process.env.CARE_CLUSTER_SERVER = readFileSync(out, 'utf8');
  rmSync(out, { force: true });

  await startPostgres();
  if (process.env[postgresEnv.error]) throw new Error(process.env[postgresEnv.error]);
}
