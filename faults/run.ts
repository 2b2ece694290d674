import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import * as prettier from 'prettier';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { runBurst, type BurstResult } from './burst';
import { runFuzz, type FuzzResult } from './fuzz';
import { runPortDown, type PortDownResult } from './portDown';
import { runServerRestart, type ServerRestartResult } from './serverRestart';
import { startStack } from './stack';
import { DIE_AFTER, runCommitBurst, type CommitBurstResult } from './commitBurst';
import { openCaseEventStore } from '../store';
import { postgresEnv, startPostgres, stopPostgres } from '../test/support/postgresServer';
import { freshServerDatabase } from '../test/store/storeKit';
import { journeyBundleOptions } from '../runtime/workflowBundle';
import { createTimeSkippingEnv } from '../test/support/temporal';
import { bundleEnv } from '../test/support/workflowBundle';

/**
 * `npm run faults`: the fault suite. Load held, faults survived, inputs tried, nothing lost:
 *   1. kill -9 the worker process twice during a 1,000-event burst over HTTP;
 *  1b. the worker dying between the case record's write and Temporal's commit, and the server
 *      killed, mid-burst, with and without resends: the store must equal every journey's history;
 *   2. kill -9 the dev server and restart it on the same SQLite file, timers due meanwhile;
 *   3. a letters port down for an hour on the time-skipping server;
 *   4. the schemathesis fuzzer against the served OpenAPI document.
 * Prints a table and writes faults/results/latest.json. Exits 1 if anything was lost or wrong.
 *
 * Settings: FAULTS_EVENTS (1000, a multiple of 20), FAULTS_TIMER_JOURNEYS (10),
 * FAULTS_FUZZ_EXAMPLES (50 per operation), FAULTS_COMMIT_EVENTS (200, a multiple of 20),
 * FAULTS_PARTS (burst,restart,commit,port,fuzz).
 *
 * On a cluster: TEMPORAL_ADDRESS (with TEMPORAL_NAMESPACE, TEMPORAL_TLS*, TEMPORAL_API_KEY as
 * `npm start` reads them) runs parts 1 and 4 against it instead of a dev server of the suite's own
 * (faults/stack.ts); part 2 is skipped (it kills the server); part 3 always runs on the
 * time-skipping server, since it moves the clock.
 */

const log = (line: string) => console.log(`[faults] ${line}`);
const int = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};
const parts = new Set(
  (process.env.FAULTS_PARTS ?? 'burst,restart,commit,port,fuzz').split(',').map((p) => p.trim()),
);
const resultsDir = path.join(__dirname, 'results');

interface Row {
  fault: string;
  cells: [string, string | number][];
  ok: boolean;
}

async function main(): Promise<void> {
  const started = Date.now();
  // the in-process worker of part 3: warnings (a failing side effect) and errors only
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const events = int('FAULTS_EVENTS', 1000);
  const results: {
    startedAt: string;
    commit: string;
    machine: string;
    burst?: BurstResult;
    restart?: ServerRestartResult;
    storeEqualsHistory?: CommitBurstResult[];
    portDown?: PortDownResult;
    fuzz?: FuzzResult;
    rows: Row[];
    ok: boolean;
    seconds: number;
  } = {
    startedAt: new Date().toISOString(),
    commit: commitOf(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()}`,
    rows: [],
    ok: true,
    seconds: 0,
  };
  const rows = results.rows;

  if (parts.has('burst') || parts.has('restart') || parts.has('fuzz')) {
    const stack = await startStack({ label: 'run', log });
    try {
      let people: string[] = [];
      if (parts.has('burst')) {
        log(`1. ${events} events over HTTP, the worker killed with SIGKILL at 30% and 65%`);
        const b = await runBurst(stack, { events, killAt: [0.3, 0.65], concurrency: 10, label: 'run', log });
        results.burst = b;
        people = Array.from({ length: b.journeys }, (_, i) => `F-run-${i + 1}`);
        rows.push({
          fault: `worker kill -9 ×${b.workerKills} during a ${events.toLocaleString('en-GB')}-event burst`,
          cells: [
            ['journeys', b.journeys],
            ['accepted', b.accepted],
            ['present', b.present],
            ['lost', b.lost],
            ['doubled', b.doubled],
            ['case record missing', b.caseRecordMissing],
            ['letters', b.lettersExpected - b.lettersMissing],
            ['letters missing', b.lettersMissing],
            ['letters doubled', b.lettersDoubled],
            ['resent', b.resends],
            ['seconds', b.seconds],
          ],
          ok:
            b.accepted === events &&
            b.present === b.accepted &&
            b.doubled + b.lost + b.unexpected + b.caseRecordMissing + b.lettersMissing + b.lettersDoubled ===
              0 &&
            b.refused.length === 0,
        });
      }
      if (parts.has('restart') && stack.onCluster) {
        log('2. skipped: against a cluster (TEMPORAL_ADDRESS) the suite does not kill the server');
      } else if (parts.has('restart')) {
        log('2. the dev server killed with SIGKILL and restarted on the same SQLite file');
        const r = await runServerRestart(stack, {
          existing: people,
          timerJourneys: int('FAULTS_TIMER_JOURNEYS', 10),
          label: 'run',
          log,
        });
        results.restart = r;
        rows.push({
          fault: 'dev server kill -9 and restart',
          cells: [
            ['journeys', r.journeys],
            ['intact', r.intact],
            ['deadlines', r.deadlinesBefore],
            ['deadlines intact', r.deadlinesIntact],
            ['timers due while down', r.timersDueInOutage],
            ['timers resumed', r.timersResumed],
            ['down s', r.downSeconds],
            ['fired within s', r.resumedWithinSeconds],
          ],
          ok:
            r.problems.length === 0 &&
            r.intact === r.journeys &&
            r.deadlinesIntact === r.deadlinesBefore &&
            r.timersResumed === r.timersDueInOutage,
        });
        for (const problem of r.problems) log(`   ${problem}`);
      }
      if (parts.has('fuzz')) {
        const maxExamples = int('FAULTS_FUZZ_EXAMPLES', 50);
        log(`4. schemathesis against ${stack.apiUrl}/docs/json, ${maxExamples} examples per operation`);
        const reportDir = path.join(os.tmpdir(), `care-faults-fuzz-${process.pid}`);
        const f = await runFuzz({ apiUrl: stack.apiUrl, token: stack.token, maxExamples, reportDir, log });
        results.fuzz = f;
        fuzzRow = {
          fault: `fuzzer (schemathesis, ${maxExamples} examples per operation)`,
          cells: f.unavailable
            ? [['not run', f.unavailable.slice(0, 120)]]
            : [
                ['operations', f.operations],
                ['cases', f.cases],
                ['server errors', f.serverErrors],
                ['undocumented statuses', f.undocumentedStatuses],
                [
                  'statuses',
                  Object.entries(f.statuses)
                    .map(([code, n]) => `${code}×${n}`)
                    .join(' '),
                ],
                ['seconds', f.seconds],
              ],
          ok:
            !f.unavailable &&
            f.serverErrors === 0 &&
            f.undocumentedStatuses === 0 &&
            f.otherFailures.length === 0,
        };
        for (const failure of f.otherFailures) log(`   ${failure}`);
      }
    } finally {
      await stack.stop();
    }
  }

  if (parts.has('commit') && process.env.TEMPORAL_ADDRESS) {
    log('1b. skipped: against a cluster (TEMPORAL_ADDRESS) the suite does not kill the server');
  } else if (parts.has('commit')) {
    await runCommitPart(int('FAULTS_COMMIT_EVENTS', 200), rows, results);
  }

  if (parts.has('port')) {
    log('3. a letters port down for an hour of server time (time-skipping server)');
    await ensureBundle();
    const env = await createTimeSkippingEnv();
    try {
      const p = await runPortDown(env);
      results.portDown = p;
      rows.push({
        fault: 'a letters port down for an hour (time-skipping)',
        cells: [
          ['retried', p.failedAttempts],
          ['technical stuck shown', p.technicalIssueShown ?? 'no'],
          ['down minutes', p.downMinutes],
          ['recovered', p.recovered ? 'yes' : 'no'],
          ['letters', p.lettersSent],
          ['duplicates', p.duplicates],
        ],
        ok:
          p.failedAttempts >= 5 &&
          p.technicalIssueShown === 'sendLetter' &&
          p.technicalIssueAfter === undefined &&
          p.recovered &&
          p.lettersSent === 1 &&
          p.duplicates === 0,
      });
    } finally {
      await env.teardown();
    }
  }
  if (fuzzRow) rows.push(fuzzRow);

  results.ok = rows.every((r) => r.ok);
  results.seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\n${table(rows)}\n`);
  console.log(`${results.ok ? 'nothing lost, nothing wrong' : 'FAILED'} (${results.seconds} s)`);
  mkdirSync(resultsDir, { recursive: true });
  const file = parts.size === 5 ? 'latest.json' : 'latest-partial.json';
  const target = path.join(resultsDir, file);
  const style = (await prettier.resolveConfig(target)) ?? {};
  writeFileSync(target, await prettier.format(JSON.stringify(results), { ...style, parser: 'json' }));
  log(`results: ${path.relative(process.cwd(), target)}`);
  process.exitCode = results.ok ? 0 : 1;
}

let fuzzRow: Row | undefined;

/**
 * 1b: with and without resends, the worker dying between the case record's write and Temporal's
 * commit and the server killed mid-burst; afterwards the store must equal every journey's history.
 * The store is on a PostgreSQL server (CARE_DATABASE_URL, else one of the suite's own, as the
 * tests start it) so the suite reads it while the workers come and go.
 */
async function runCommitPart(
  events: number,
  rows: Row[],
  results: { storeEqualsHistory?: CommitBurstResult[] },
): Promise<void> {
  let stopOwn = () => undefined as void;
  if (!process.env.CARE_DATABASE_URL && !process.env[postgresEnv.url]) {
    await startPostgres();
    stopOwn = stopPostgres;
  }
  const outcomes: CommitBurstResult[] = [];
  try {
    for (const resend of [true, false]) {
      const label = resend ? 'resent' : 'dropped';
      const fresh = process.env.CARE_DATABASE_URL
        ? { url: process.env.CARE_DATABASE_URL, drop: async () => undefined }
        : await freshServerDatabase();
      log(
        `1b. ${events} events, the worker dying before its task is committed, the server killed, ${resend ? 'with' : 'without'} resends`,
      );
      const stack = await startStack({
        label: `commit-${label}`,
        log,
        databaseUrl: fresh.url,
        workerEntry: 'faults/dyingWorker.ts',
        workerEnv: { CARE_FAULT_DIE_AFTER_RECORDING: DIE_AFTER },
      });
      const { store, db } = await openCaseEventStore({
        url: fresh.url,
        poolSize: 2,
        embeddedDir: '',
        tls: undefined,
      });
      try {
        const c = await runCommitBurst(stack, store, { events, resend, label, log });
        outcomes.push(c);
        for (const problem of c.compared.problems) log(`   ${problem}`);
        rows.push({
          fault: `worker dies before the commit ×${c.workerDeaths}, server kill -9 ×${c.serverKills}, ${resend ? 'resent' : 'not resent'}`,
          cells: [
            ['journeys', c.journeys],
            ['accepted', c.accepted],
            ['given up', c.givenUp],
            ['removed by rebuild', c.removedByRebuild],
            ['store = history', c.compared.equal],
            ['uncommitted', c.compared.uncommitted],
            ['missing', c.compared.missing],
            ['other attempt', c.compared.otherAttempt],
            ['seconds', c.seconds],
          ],
          ok: c.workerDeaths >= 3 && c.serverKills >= 1 && c.compared.equal === c.journeys,
        });
      } finally {
        await db.close();
        await stack.stop();
        await fresh.drop();
      }
    }
  } finally {
    stopOwn();
  }
  results.storeEqualsHistory = outcomes;
}

function table(rows: Row[]): string {
  const lines = rows.map(
    (r) => `| ${r.ok ? 'ok  ' : 'FAIL'} | ${r.fault} | ${r.cells.map(([k, v]) => `${k} ${v}`).join(' | ')} |`,
  );
  return ['| ok   | fault | results |', '| ---- | ----- | ------- |', ...lines].join('\n');
}

function commitOf(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The time-skipping part runs the journey worker in this process: it needs the workflow bundle. */
async function ensureBundle(): Promise<void> {
  if (process.env[bundleEnv.path]) return;
  const { code } = await bundleWorkflowCode({
    ...journeyBundleOptions,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message: string) => console.error(`[bundler] ${message}`),
    },
  });
  const file = path.join(os.tmpdir(), `care-faults-bundle-${process.pid}.js`);
  writeFileSync(file, code);
  process.on('exit', () => rmSync(file, { force: true }));
  process.env[bundleEnv.path] = file;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
