import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './freePort';

/**
 * A real PostgreSQL server for the case-event store's tests (issue 12): Debian's `postgresql`
 * package (installed by `npm run setup`, scripts/setup-postgres.mjs), a fresh cluster made with
 * initdb in a temporary folder, listening on a free loopback port, started by the global setup and
 * stopped by the global teardown. The tests find it in CARE_TEST_DATABASE_URL; if it could not be
 * started, CARE_TEST_DATABASE_ERROR says why and the tests that need it fail with that reason.
 */

export const postgresEnv = {
  url: 'CARE_TEST_DATABASE_URL',
  error: 'CARE_TEST_DATABASE_ERROR',
  dir: 'CARE_TEST_DATABASE_DIR',
} as const;

/** The newest /usr/lib/postgresql/<version>/bin (or CARE_POSTGRES_BIN). */
export function postgresBinDir(): string | undefined {
  if (process.env.CARE_POSTGRES_BIN) return process.env.CARE_POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the package's `postgres` user. */
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(bin)} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout).slice(-2000)}`,
    );
  }
}

export async function startPostgres(): Promise<void> {
  delete process.env[postgresEnv.url];
  delete process.env[postgresEnv.error];
  delete process.env[postgresEnv.dir];
  const bin = postgresBinDir();
  if (!bin) {
    process.env[postgresEnv.error] =
      "PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/initdb): run npm run setup (it installs Debian's postgresql package), or set CARE_POSTGRES_BIN";
    console.error(`\n[globalSetup] ${process.env[postgresEnv.error]}`);
    return;
  }
  const started = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'care-postgres-'));
  try {
    if (process.getuid?.() === 0) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
    }
    const data = path.join(dir, 'data');
    run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'care', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
    process.env[postgresEnv.url] = `postgres://care@127.0.0.1:${port}/postgres`;
    process.env[postgresEnv.dir] = dir;
    console.log(`[globalSetup] PostgreSQL (${bin}) on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    process.env[postgresEnv.error] = `PostgreSQL could not be started: ${(err as Error).message}`;
    console.error(`\n[globalSetup] ${process.env[postgresEnv.error]}`);
  }
}

export function stopPostgres(): void {
  const dir = process.env[postgresEnv.dir];
  const bin = postgresBinDir();
  if (!dir) return;
  try {
    if (bin) run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
