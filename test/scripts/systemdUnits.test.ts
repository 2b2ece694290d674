import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freshServerDatabase } from '../store/storeKit';
import { eventually } from '../support/eventually';
import { createDevServerEnv } from '../support/temporal';
import { testPayloadKeySettings } from '../support/testPayloadKeys';
import { freePort } from '../support/freePort';

/**
 * The shipped systemd units (deploy/systemd/): `systemd-analyze verify` finds nothing wrong with
 * them and `systemd-analyze security` rates their sandbox; and, since these machines run no
 * systemd, each unit's ExecStart is started here as systemd would start it: in its
 * WorkingDirectory, with systemd's bare environment, its Environment= and then its EnvironmentFile=
 * (the shipped example), and on top only what points them at this test — a temporary data
 * folder, the test's Temporal dev server, a fresh PostgreSQL database, a free port — and the
 * secrets the example leaves for the council to fill in. The worker must print its polling banner
 * and the API answer /livez, then /readyz with the worker polling; SIGTERM (what systemd sends the
 * main process with KillMode=mixed) must stop both with exit 0.
 *
 * systemd-analyze comes from Debian's systemd package (scripts/setup-systemd.mjs, run by
 * `npm run setup`); without it this test fails saying so, never skips.
 */

const root = path.resolve(__dirname, '..', '..');
const unitsDir = path.join(root, 'deploy', 'systemd');
const unitNames = ['care-journeys-api.service', 'care-journeys-worker.service'] as const;
const exampleFile = path.join(unitsDir, 'care-journeys.env.example');
/** where docs/deployment.md installs the project and its settings (the units name these) */
const installedRoot = '/opt/care-journeys';
const installedEnvFile = '/etc/care-journeys/care-journeys.env';
/** the PATH systemd gives a service (systemd.exec(5), "Environment variables in spawned processes") */
const systemdPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function systemdAnalyze(): string {
  const configured = process.env.CARE_SYSTEMD_ANALYZE;
  if (configured) return configured;
  const found = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' });
  if (found.status !== 0 || !found.stdout.trim()) {
    throw new Error(
      "systemd-analyze is not installed: run npm run setup (scripts/setup-systemd.mjs installs Debian's systemd " +
        'package as root), install it yourself (apt-get install systemd), or set CARE_SYSTEMD_ANALYZE',
    );
  }
  return found.stdout.trim();
}

/** Splits a command line or an assignment list as systemd does: by blanks, honouring quotes and backslashes. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
  if (word !== undefined) out.push(word);
  return out;
}

/** An EnvironmentFile= (systemd.exec(5)): KEY=value lines, # and ; comments, quotes as in a shell. */
function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) throw new Error(`a continued line is not read by this test: ${line}`);
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`not KEY=value: ${line}`);
    env[match[1]!] = words(match[2]!).join(' ');
  }
  return env;
}

interface Unit {
  name: string;
  service: Record<string, string[]>;
}

function readUnit(name: string): Unit {
  const service: Record<string, string[]> = {};
  let section = '';
  for (const raw of readFileSync(path.join(unitsDir, name), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const at = line.indexOf('=');
    (service[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return { name, service };
}

const one = (unit: Unit, key: string) => {
  const values = unit.service[key] ?? [];
  if (values.length !== 1) throw new Error(`${unit.name}: expected one ${key}=, found ${values.length}`);
  return values[0]!;
};

/** Environment= and then EnvironmentFile= (whose settings win), as systemd applies them. */
function environmentOf(unit: Unit): { fromUnit: Record<string, string>; fromFile: Record<string, string> } {
  const fromUnit: Record<string, string> = {};
  for (const assignment of (unit.service.Environment ?? []).flatMap(words)) {
    const at = assignment.indexOf('=');
    fromUnit[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  const fromFile: Record<string, string> = {};
  for (const file of unit.service.EnvironmentFile ?? []) {
    const installed = file.replace(/^-/, '');
    // the shipped example stands for the council's filled-in copy
    expect(installed).toBe(installedEnvFile);
    Object.assign(fromFile, parseEnvironmentFile(readFileSync(exampleFile, 'utf8')));
  }
  return { fromUnit, fromFile };
}

describe('systemd-analyze', () => {
  it('verify finds nothing wrong with the units', () => {
    const result = spawnSync(systemdAnalyze(), ['verify', ...unitNames.map((n) => path.join(unitsDir, n))], {
      encoding: 'utf8',
    });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({
      status: 0,
      output: '',
    });
  });

  it.each(unitNames)('security rates the sandbox of %s OK (exposure 2.0 or less of 10)', (name) => {
    const result = spawnSync(
      systemdAnalyze(),
      ['security', '--offline=true', '--no-pager', path.join(unitsDir, name)],
      { encoding: 'utf8' },
    );
    const exposure = /Overall exposure level for \S+: ([\d.]+)/.exec(result.stdout);
    if (!exposure) throw new Error(`no exposure level in:\n${result.stdout}${result.stderr}`);
    expect(Number(exposure[1])).toBeLessThanOrEqual(2);
  });
});

describe('the units and the example settings agree with the code', () => {
  it.each(unitNames)('%s runs as its own user, writes only its data folder, restarts on failure', (name) => {
    const unit = readUnit(name);
    const { fromUnit } = environmentOf(unit);
    expect(one(unit, 'User')).not.toMatch(/^(root|0)$/);
    expect(one(unit, 'WorkingDirectory')).toBe(installedRoot);
    expect(one(unit, 'ReadWritePaths')).toBe(fromUnit.CARE_DATA_DIR);
    expect(one(unit, 'StateDirectory')).toBe(path.basename(fromUnit.CARE_DATA_DIR!));
    expect(one(unit, 'ProtectSystem')).toBe('strict');
    expect(one(unit, 'NoNewPrivileges')).toBe('yes');
    expect(one(unit, 'Restart')).toBe('on-failure');
  });

  it('every setting the example names (set or left to fill in) is one the code reads', () => {
    const config = readFileSync(path.join(root, 'temporal.config.ts'), 'utf8');
    const named = [...readFileSync(exampleFile, 'utf8').matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map(
      (m) => m[1]!,
    );
    expect(named.length).toBeGreaterThan(20);
    // PG*: node-postgres's own (PGPASSWORD)
    const unknown = named.filter((name) => !name.startsWith('PG') && !config.includes(`  ${name}: z`));
    expect(unknown).toEqual([]);
  });
});

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a unit's ExecStart as systemd would, with `pointAt` over its settings. */
function startUnit(name: string, pointAt: Record<string, string>, home: string): Started {
  const unit = readUnit(name);
  const argv = words(one(unit, 'ExecStart'));
  // systemd's prefixes (-, @, +, !, :) would change how it runs: the units use none
  expect(argv[0]).toMatch(/^\//);
  const { fromUnit, fromFile } = environmentOf(unit);
  const settings = { ...fromUnit, ...fromFile };
  // each setting pointed at the test is one the unit or its file sets, or leaves to fill in
  const example = readFileSync(exampleFile, 'utf8');
  for (const key of Object.keys(pointAt)) {
    if (!(key in settings)) expect(example).toMatch(new RegExp(`^#${key}=`, 'm'));
  }
  const env = { PATH: systemdPath, HOME: home, LANG: 'C.UTF-8', ...settings, ...pointAt };
  const cwd = one(unit, 'WorkingDirectory').replace(installedRoot, root);
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-50_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-50_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

describe("the units' command lines, started as systemd would start them", () => {
  let temporal: TestWorkflowEnvironment | undefined;
  let database: Awaited<ReturnType<typeof freshServerDatabase>> | undefined;
  const started: Started[] = [];

  afterAll(async () => {
    for (const unit of started) {
      if (unit.child.exitCode === null && unit.child.signalCode === null) {
        unit.child.kill('SIGKILL');
        await unit.exited;
      }
    }
    await database?.drop();
    await temporal?.teardown();
  });

  it('the worker polls, the API answers /livez and /readyz, and SIGTERM stops both with exit 0', async () => {
    temporal = await createDevServerEnv();
    database = await freshServerDatabase();
    const apiPort = await freePort();
    const home = mkdtempSync(path.join(tmpdir(), 'care-journeys-systemd-'));
    const pointAt = {
      CARE_DATA_DIR: path.join(home, 'data'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: `systemd-units-${process.pid}`,
      CARE_DATABASE_URL: database.url,
      CARE_DATABASE_TLS: 'false',
      CARE_API_PORT: String(apiPort),
      CARE_API_URL: `http://127.0.0.1:${apiPort}`,
      // the secrets the example leaves for the council (the tests' own, not secret)
      ...testPayloadKeySettings,
      CARE_SESSION_SECRET: 'TEST-ONLY session secret, not secret, never for real use',
    };

    const worker = startUnit('care-journeys-worker.service', pointAt, home);
    started.push(worker);
    await eventually(() => {
      if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
      expect(worker.output()).toContain(
        `care-journeys worker polling task queue "${pointAt.TEMPORAL_TASK_QUEUE}" in namespace "${pointAt.TEMPORAL_NAMESPACE}"`,
      );
    }, 150_000);

    const api = startUnit('care-journeys-api.service', pointAt, home);
    started.push(api);
    const base = `http://127.0.0.1:${apiPort}`;
    await eventually(async () => {
      if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
      const live = await fetch(`${base}/livez`);
      expect(live.status).toBe(200);
    }, 90_000);
    // the two together: the store answers, Temporal answers, the worker's pollers are seen
    const ready = await eventually(async () => {
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(200);
      return (await response.json()) as { checks: { store: { state: string; where?: string } } };
    }, 60_000);
    expect(ready.checks.store).toMatchObject({ state: 'up', where: expect.stringContaining('care_test_') });

    for (const unit of [api, worker]) unit.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 300_000);
});
