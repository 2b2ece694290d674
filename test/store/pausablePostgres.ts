import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postgresBinDir } from '../support/postgresServer';
import { freePort } from '../support/freePort';

/**
 * A PostgreSQL server of a test's own (not the suite's shared one, which other test files use at
 * the same time), which the test can pause with SIGSTOP and resume with SIGCONT: a server that
 * hangs with its connections open, as one does when its host stalls or the network drops packets
 * without closing anything. Debian's `postgresql` package, as test/support/postgresServer.ts.
 */
export interface PausablePostgres {
  url: string;
  /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers */
  pause(): void;
  resume(): void;
  stop(): void;
}

function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0)
    throw new Error(
      `${path.basename(bin)} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout).slice(-2000)}`,
    );
}

/** The postmaster and its children (the backends and background workers), from /proc. */
function clusterPids(postmaster: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its ')'
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // it has gone meanwhile
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

export async function startPausablePostgres(): Promise<PausablePostgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error(
      "PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/initdb): run npm run setup, or set CARE_POSTGRES_BIN",
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'care-postgres-paused-'));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'care', '-E', 'UTF8', '--no-sync']);
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const signal = (name: NodeJS.Signals) => {
    for (const pid of clusterPids(postmaster)) {
      try {
        process.kill(pid, name);
      } catch {
        // a backend that ended meanwhile
      }
    }
  };
  return {
    url: `postgres://care@127.0.0.1:${port}/postgres`,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    stop() {
      signal('SIGCONT');
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
