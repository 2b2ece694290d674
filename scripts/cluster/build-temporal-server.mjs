#!/usr/bin/env node
// Builds a real Temporal server (the cluster suite's, `npm run test:cluster`) from source, through
// the Go module proxy only: `go install go.temporal.io/server/cmd/server@<version>` and the SQL
// schema tool `go.temporal.io/server/cmd/tools/sql@<version>` (temporal-sql-tool, which creates the
// PostgreSQL schemas; the schemas are embedded in it). Nothing is fetched from anywhere else: GOPROXY
// names the proxy alone (no `direct`, so no version-control host is ever asked).
//
// The binaries are kept in a cache outside the work tree, reused while they are there:
//   <CARE_CLUSTER_CACHE or ~/.cache/care-journeys/temporal-server>/v<version>/bin/temporal-server
//                                                                       /bin/temporal-sql-tool
//                                                                       /build.json (what, how long)
// Plain Node, no dependencies. Prints the paths and how long the build took; exits 1 with the go
// command's output when it fails.
//
//   CARE_CLUSTER_TEMPORAL_VERSION  the server release (default below)
//   CARE_CLUSTER_CACHE             the cache folder
//   GOTOOLCHAIN                    the Go the build runs on (default go1.27.3: the server's go.mod
//                                  asks for a newer Go than 1.26; the go command takes that release
//                                  from the Go module proxy like a module)

import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest release the Go module proxy served when the suite was written (December 2026). */
export const DEFAULT_SERVER_VERSION = '1.32.2';
/** The Go the server's go.mod needs (go 1.26.10) is newer than the machine's 1.26.8. */
const DEFAULT_TOOLCHAIN = 'go1.27.3';
const PROXY = 'https://proxy.golang.org';

export function serverVersionWanted(env = process.env) {
  const wanted = (env.CARE_CLUSTER_TEMPORAL_VERSION ?? DEFAULT_SERVER_VERSION).trim().replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(wanted)) {
    throw new Error(
      `CARE_CLUSTER_TEMPORAL_VERSION=${env.CARE_CLUSTER_TEMPORAL_VERSION} is not a release: give one like ${DEFAULT_SERVER_VERSION}`,
    );
  }
  return wanted;
}

export function serverCacheDir(version, env = process.env) {
  const base =
    env.CARE_CLUSTER_CACHE || path.join(os.homedir(), '.cache', 'care-journeys', 'temporal-server');
  return path.join(path.resolve(base), `v${version}`);
}

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The cached build of `version`, if complete: { version, dir, server, sqlTool, build }. */
export function cachedServer(version, env = process.env) {
  const dir = serverCacheDir(version, env);
  const server = path.join(dir, 'bin', 'temporal-server');
  const sqlTool = path.join(dir, 'bin', 'temporal-sql-tool');
  const stampFile = path.join(dir, 'build.json');
  if (!isExecutable(server) || !isExecutable(sqlTool) || !existsSync(stampFile)) return undefined;
  try {
    const build = JSON.parse(readFileSync(stampFile, 'utf8'));
    return build.version === version ? { version, dir, server, sqlTool, build } : undefined;
  } catch {
    return undefined;
  }
}

function findGo() {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    const found = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (found.status === 0) return candidate;
  }
  return undefined;
}

/** Runs the go command at low priority (the machine is shared), its output to ours and kept. */
function runGo(go, args, env) {
  return new Promise((resolve) => {
    const child = spawn('nice', ['-n', '15', go, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      process.stdout.write(text.replace(/^(?=.)/gm, '  '));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => resolve({ ok: false, output: `${go}: ${err.message}` }));
    child.on('exit', (code) => resolve({ ok: code === 0, output }));
  });
}

export async function ensureTemporalServer(
  env = process.env,
  log = (line) => console.log(`cluster: ${line}`),
) {
  const version = serverVersionWanted(env);
  const cached = cachedServer(version, env);
  if (cached) {
    log(
      `reusing Temporal server ${version} built ${cached.build.builtAt} in ${cached.build.buildSeconds} s (${cached.dir})`,
    );
    return { ...cached, reused: true };
  }
  const go = findGo();
  if (!go) {
    throw new Error(
      'the cluster suite builds the Temporal server with Go, and no go command was found (on the PATH or /usr/local/go/bin): ' +
        "install Go 1.22 or later (Debian's golang-go will do: the build fetches the Go release it needs from the Go module proxy)",
    );
  }
  const dir = serverCacheDir(version, env);
  const staging = path.join(dir, `bin-building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const goEnv = {
    ...env,
    GOTOOLCHAIN: env.GOTOOLCHAIN || DEFAULT_TOOLCHAIN,
    GOPROXY: PROXY,
    GOBIN: staging,
    CGO_ENABLED: '0',
    GOFLAGS: `${env.GOFLAGS ?? ''} -trimpath`.trim(),
  };
  const packages = [
    `go.temporal.io/server/cmd/server@v${version}`,
    `go.temporal.io/server/cmd/tools/sql@v${version}`,
  ];
  log(
    `building Temporal server ${version} from the Go module proxy (go install ${packages.join(' ')}, ` +
      `GOTOOLCHAIN=${goEnv.GOTOOLCHAIN}, nice -n 15): a first build takes a while…`,
  );
  const started = Date.now();
  const result = await runGo(go, ['install', ...packages], goEnv);
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  if (!result.ok || !isExecutable(path.join(staging, 'server')) || !isExecutable(path.join(staging, 'sql'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `building Temporal server ${version} failed after ${buildSeconds} s:\n${result.output.split('\n').slice(-25).join('\n')}`,
    );
  }
  const bin = path.join(dir, 'bin');
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin, { recursive: true });
  renameSync(path.join(staging, 'server'), path.join(bin, 'temporal-server'));
  renameSync(path.join(staging, 'sql'), path.join(bin, 'temporal-sql-tool'));
  rmSync(staging, { recursive: true, force: true });
  const goVersion = spawnSync(go, ['version'], { env: goEnv, encoding: 'utf8' }).stdout.trim();
  const build = {
    version,
    builtAt: new Date().toISOString(),
    buildSeconds,
    go: goVersion,
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
    from: packages.map((p) => `${PROXY} ${p}`),
  };
  writeFileSync(path.join(dir, 'build.json'), `${JSON.stringify(build, null, 2)}\n`);
  log(`built Temporal server ${version} in ${buildSeconds} s (${goVersion}) into ${bin}`);
  return { ...cachedServer(version, env), reused: false };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // CARE_CLUSTER_BUILD_OUT: where to write what was built or reused, as JSON (for the suite's setup)
  ensureTemporalServer().then(
    (built) => {
      if (process.env.CARE_CLUSTER_BUILD_OUT)
        writeFileSync(process.env.CARE_CLUSTER_BUILD_OUT, JSON.stringify(built));
    },
    (err) => {
      console.error(`cluster: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
