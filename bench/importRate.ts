/**
 * Bench (issue 17): `care import` of a file of people into a listening API on a Temporal dev server
 * with a real worker (the test harness), with the CLI's default concurrency and batch size. Not a
 * default part: `BENCH_PARTS=import npm run bench`, or alone with `npx tsx bench/importRate.ts`.
 *
 * A probe file (BENCH_IMPORT_PROBE, default 200 people) warms the servers and measures the rate on a
 * small file; then the measured file, BENCH_IMPORT_PEOPLE (default 10,000: the whole
 * council, target within 10 minutes), is imported whole and timed. Every person is imported at the assessment stage (team,
 * assessment started five working days ago); the CLI runs as a child process, as a council would
 * run it, and its wall time from spawn to exit is what is timed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { englandAndWalesCalendar } from '../machines/calendar';
import { startApiHarness, testTokens, workingDaysAgo } from '../test/api/apiHarness';
import { prepareApiHarness } from './harnessSetup';

const carePath = path.resolve(__dirname, '..', 'cli', 'care.ts');

export interface ImportRun {
  people: number;
  seconds: number;
  peoplePerSecond: number;
  exitCode: number | null;
  summary: string;
}

export interface ImportBench {
  concurrency: 'default (8)';
  probe: ImportRun;
  measured: ImportRun;
  /** the measured file's whole time in minutes (the target: 10,000 people within 10) */
  measuredMinutes: number;
}

function care(
  args: string[],
  apiUrl: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', carePath, ...args], {
      env: { ...process.env, CARE_API_URL: apiUrl, CARE_API_TOKEN: testTokens.manager.token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runImportBench(options: { log?: (line: string) => void } = {}): Promise<ImportBench> {
  const log = options.log ?? ((line: string) => console.log(line));
  const probePeople = Number(process.env.BENCH_IMPORT_PROBE ?? 200);
  const people = Number(process.env.BENCH_IMPORT_PEOPLE ?? 10_000);
  await prepareApiHarness();
  const dir = mkdtempSync(path.join(tmpdir(), 'care-bench-import-'));
  const api = await startApiHarness();
  try {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const startedOn = englandAndWalesCalendar().londonDateOf(workingDaysAgo(5));
    const teams = ['north', 'south', 'east', 'west'];
    const importFile = async (label: string, people: number): Promise<ImportRun> => {
      const file = path.join(dir, `${label}.csv`);
      const rows = Array.from(
        { length: people },
        (_, i) => `bench-${label}-${i},assessment,${teams[i % 4]},${startedOn}`,
      );
      writeFileSync(file, ['personId,stage,team,assessmentStartedOn', ...rows].join('\n') + '\n');
      const t = performance.now();
      const run = await care(['import', file, '--system', 'bench'], apiUrl);
      const s = (performance.now() - t) / 1000;
      const summary = run.stdout.trim().split('\n').slice(0, 6).join(' | ');
      if (run.code !== 0)
        throw new Error(`care import ${label} exited ${run.code}: ${run.stderr.slice(-2000)}`);
      const result = {
        people,
        seconds: Math.round(s * 10) / 10,
        peoplePerSecond: Math.round((people / s) * 10) / 10,
        exitCode: run.code,
        summary,
      };
      log(
        `  care import of ${people} people: ${result.seconds} s, ${result.peoplePerSecond} people/s (${summary})`,
      );
      return result;
    };
    const probe = await importFile('probe', probePeople);
    const measured = await importFile('measured', people);
    return {
      concurrency: 'default (8)',
      probe,
      measured,
      measuredMinutes: Math.round((measured.seconds / 60) * 10) / 10,
    };
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runImportBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
