import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as prettier from 'prettier';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { workflowBundleDataConverter } from '../runtime/dataConverter';
import { journeyBundleOptions } from '../runtime/workflowBundle';
import { createDevServerEnv } from '../test/support/temporal';
import { connectClient } from '../runtime/connection';
import { temporalTarget, type TemporalTarget } from '../runtime/temporalTarget';
import { loadConfig } from '../temporal.config';
import { runCldExportBench } from './cldExport';
import { runImportBench } from './importRate';
import { runStoreListsBench } from './storeLists';
import { runPersonSearchBench } from './personSearch';
import { runEndToEnd } from './endToEnd';
import { runLongHorizon } from './longHorizon';
import { endToEndInputs, runCostModel } from './costModel';
import { runWakeStorm } from './wakeStorm';
import { careDataConverter } from '../runtime/dataConverter';
import { runMachineAlone } from './machineAlone';
import { createHash, randomBytes } from 'node:crypto';
import { machineInfo, sourceInfo } from './machineInfo';
import { measureModuleFootprint } from './moduleFootprint';
import { findProcess } from './processCpu';
import { costLines, evaluateTargets, markdown, type BenchResults } from './report';

/**
 * `npm run bench`: what a journey costs, against the floor Temporal itself sets on this machine.
 *   1. the machine alone; 2. end to end on the dev server, ours and the floor alternately;
 *   3. one journey over 10 years on the time-skipping server.
 * Writes bench/results/<timestamp>.json and latest.json, and the tables in bench/README.md.
 *
 * Settings (environment): BENCH_JOURNEYS (200), BENCH_ROUNDS (2 batches per side, ABBA order),
 * BENCH_WARMUP (20), BENCH_CONCURRENCY (= journeys), BENCH_YEARS (10), BENCH_LIGHT_JOURNEYS (10),
 * BENCH_RETENTION_DAYS (30, the namespace's retention for the cost model),
 * BENCH_PARTS (machine,e2e,long,cost; and storm, the wake-ups of a 10,000-person import; and cld, the CLD export of a year of 10,000 journeys, only when named;
 * people, search among 50,000 person records, likewise).
 *
 * BENCH_RENDER_ONLY=1 rewrites the README tables from results/latest.json and runs nothing.
 *
 * An experiment, off by default: BENCH_JOURNEY_BUNDLE=plain bundles the journey as before issue 16's
 * lever (c): no modules preloaded (every cached journey instantiates its own), xstate's development
 * build. The standard run bundles it as the worker does (runtime/workflowBundle.ts).
 */

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(__dirname, 'results');
const readmePath = path.join(__dirname, 'README.md');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

const log = (line: string) => console.log(`[bench] ${line}`);

async function bundle(
  options: Pick<BundleOptions, 'workflowsPath'> & Partial<BundleOptions>,
  label: string,
): Promise<string> {
  const t = performance.now();
  const quiet = {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => console.warn(`[bundler] ${message}`),
    error: (message: string) => console.error(`[bundler] ${message}`),
  };
  const { code } = await bundleWorkflowCode({ ...options, logger: quiet });
  const file = path.join(os.tmpdir(), `care-journeys-bench-${label}-${process.pid}.js`);
  writeFileSync(file, code);
  process.on('exit', () => rmSync(file, { force: true }));
  const preloaded = options.preloadModules?.length ?? 0;
  log(
    `bundled ${label} workflows in ${Math.round(performance.now() - t)} ms` +
      (preloaded ? ` (${preloaded} modules preloaded, shared by every journey)` : ''),
  );
  return file;
}

/** Writes the tables into README.md, formatted as `npm run lint` expects. */
async function writeReadme(results: BenchResults): Promise<void> {
  const table = `${START}\n\n${markdown(results)}\n${END}`;
  const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    at >= 0 && end > at
      ? current.slice(0, at) + table + current.slice(end + END.length)
      : `${current}${current ? '\n' : '# Benchmark\n\n'}## Results\n\n${table}\n`;
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  writeFileSync(readmePath, await prettier.format(next, { ...options, filepath: readmePath }));
}

async function main(): Promise<void> {
  if (process.env.BENCH_RENDER_ONLY) {
    // Rewrites the tables in README.md from results/latest.json, running nothing.
    await writeReadme(JSON.parse(readFileSync(path.join(resultsDir, 'latest.json'), 'utf8')) as BenchResults);
    log('README.md tables rewritten from results/latest.json');
    return;
  }
  // Payloads are encrypted as in production (issue 14), both sides alike: the client here and the
  // worker processes (which inherit this environment) share one key of the run's own.
  if (!process.env.CARE_PAYLOAD_KEYS) {
    process.env.CARE_PAYLOAD_KEYS = `bench:${randomBytes(32).toString('base64')}`;
    // Named, not left unset: test/support's clients fall back to the test key's settings for
    // whatever the environment leaves out, and its current-key id is not one of these keys.
    process.env.CARE_PAYLOAD_KEY_CURRENT = 'bench';
  }
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const journeys = intSetting('BENCH_JOURNEYS', 200);
  const settings = {
    journeys,
    rounds: Math.max(1, intSetting('BENCH_ROUNDS', 2)),
    warmup: intSetting('BENCH_WARMUP', Math.min(20, journeys)),
    concurrency: Math.max(1, intSetting('BENCH_CONCURRENCY', journeys)),
    years: Math.max(2, intSetting('BENCH_YEARS', 10)),
    lightJourneys: intSetting('BENCH_LIGHT_JOURNEYS', 10),
    /** experiment: the journey bundled as before issue 16's lever (c), nothing shared, xstate's development build */
    plainBundle: process.env.BENCH_JOURNEY_BUNDLE === 'plain',
  };
  const parts = new Set((process.env.BENCH_PARTS ?? 'machine,e2e,long,cost').split(',').map((p) => p.trim()));
  const machine = machineInfo();
  log(
    `${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemoryGB} GB, Node ${machine.node}, load ${machine.loadAverage.start}`,
  );
  const partial: Omit<BenchResults, 'targets' | 'finishedAt' | 'wallSeconds'> = {
    startedAt,
    settings,
    machine,
    source: sourceInfo(),
  };

  if (parts.has('machine')) {
    log('1. the machine alone');
    partial.machineAlone = runMachineAlone();
    log(
      `  ${partial.machineAlone.pureTransitions.perSecond} transitions/s; ` +
        `${partial.machineAlone.workflowEventSteps.perSecond} workflow event steps/s; ` +
        `snapshot ${partial.machineAlone.persistedSnapshotBytes.firstReview} bytes at the first review`,
    );
  }

  const needsBundle = parts.has('e2e') || parts.has('long') || parts.has('cost');
  const journeyBundle = settings.plainBundle
    ? { workflowsPath: journeyBundleOptions.workflowsPath, ...workflowBundleDataConverter }
    : journeyBundleOptions;
  const ours = needsBundle ? await bundle(journeyBundle, 'journey') : '';
  if (ours) {
    partial.source.journeyBundleSha256 = createHash('sha256')
      .update(readFileSync(ours))
      .digest('hex')
      .slice(0, 16);
  }

  if (parts.has('e2e')) {
    partial.moduleFootprint = measureModuleFootprint(ours);
    log(
      `  each cached journey instantiates ${partial.moduleFootprint.allModulesKB} KB of module state ` +
        `(project ${partial.moduleFootprint.projectModulesKB} KB, zod ${partial.moduleFootprint.byPackageKB.zod} KB)`,
    );
    const floor = await bundle(
      { workflowsPath: path.join(__dirname, 'floor', 'index.ts'), ...workflowBundleDataConverter },
      'floor',
    );
    log(
      `2. end to end on the dev server: ${journeys} journeys per batch, ${settings.rounds} batch(es) per side`,
    );
    // TEMPORAL_ADDRESS: the given cluster (its namespace, TLS and API key as `npm start` reads
    // them; each batch on a task queue of its own); unset: a dev server of the bench's own
    const target = temporalTarget(process.env);
    const env =
      target.kind === 'cluster'
        ? await clusterEnv(target)
        : await createDevServerEnv().then((dev) => ({
            client: dev.client,
            address: dev.address,
            namespace: dev.namespace ?? 'default',
            serverPid: findProcess(['start-dev', dev.address.split(':').at(-1) ?? '']),
            teardown: () => dev.teardown(),
          }));
    try {
      partial.endToEnd = await runEndToEnd({
        client: env.client,
        address: env.address,
        namespace: env.namespace,
        journeys,
        warmup: settings.warmup,
        concurrency: settings.concurrency,
        rounds: settings.rounds,
        lightJourneys: settings.lightJourneys,
        bundles: { ours, floor },
        serverPid: env.serverPid,
        log,
      });
    } finally {
      await env.teardown();
    }
    const e = partial.endToEnd;
    log(
      `  ours ÷ floor: throughput ${e.ratios.throughputOursOverFloor}, p99 ${e.ratios.p99OursOverFloor}, ` +
        `memory +${e.ratios.rssPerJourneyAboveFloorKB} KB per cached journey`,
    );
  }

  // Issue 29: the cost model reads every run's history of the long horizon (run for it if `long` is not).
  let longHistories: { histories: Parameters<typeof runCostModel>[0]['histories']; t0: number } | undefined;
  if (parts.has('long') || parts.has('cost')) {
    log(`3. the long horizon: one journey, ${settings.years} years, on the time-skipping server`);
    const longHorizon = await runLongHorizon({
      bundlePath: ours,
      years: settings.years,
      log,
      onHistories: (histories, t0) => (longHistories = { histories, t0 }),
    });
    if (parts.has('long')) partial.longHorizon = longHorizon;
    const l = longHorizon;
    log(
      `  ${l.steadyState.actionsPerYear} actions per journey-year (years ${l.steadyState.years}); ` +
        `${l.runs.length} runs, longest ${l.longestRunEvents} events; replay ${l.replay.firstMs} ms`,
    );
  }

  if (parts.has('cost') && longHistories) {
    log(
      '4. the cost model: history bytes, carried state and actions by journey-year; Temporal Cloud and workers',
    );
    // Worker memory and CPU per event from this run's end-to-end part, or else the reference run's.
    const reference = path.join(resultsDir, 'latest.json');
    const e2e = partial.endToEnd
      ? endToEndInputs(partial.endToEnd, 'this run')
      : existsSync(reference)
        ? endToEndInputs(
            (JSON.parse(readFileSync(reference, 'utf8')) as BenchResults).endToEnd!,
            `results/latest.json (${(JSON.parse(readFileSync(reference, 'utf8')) as BenchResults).startedAt})`,
          )
        : undefined;
    if (!e2e)
      throw new Error('the cost model needs the end-to-end part, in this run or in results/latest.json');
    partial.costModel = await runCostModel({
      ...longHistories,
      years: settings.years,
      bundlePath: ours,
      dataConverter: careDataConverter(loadConfig(process.env)),
      endToEnd: e2e,
      retentionDays: intSetting('BENCH_RETENTION_DAYS', 30),
      log,
    });
    for (const line of costLines(partial.costModel)) log(`  ${line}`);
  }

  // Issue 15: not a default part (no Temporal; about a minute for 10,000 journeys on 2 cores), so
  // only its log line reports it: BENCH_PARTS=cld npm run bench (bench/cldExport.ts).
  if (parts.has('cld')) {
    log('4. the CLD export and the timeliness report: a year of journeys in the case-event store');
    await runCldExportBench({ log });
  }

  // Issues 12, 13 and 17: opt-in parts whose numbers go only into the partial result (not the
  // tables): BENCH_PARTS=store (or worktray: the same run), BENCH_PARTS=import.
  const optIn: Record<string, unknown> = {};
  if (parts.has('store') || parts.has('worktray')) {
    log('5. the case-event store lists and the worktray at 10,000 and 50,000 journeys, against visibility');
    optIn.storeLists = await runStoreListsBench({ log });
  }
  if (parts.has('import')) {
    log('6. care import on the dev server');
    optIn.import = await runImportBench({ log });
  }
  // Issue 29: BENCH_PARTS=storm, the wake-ups of a 10,000-person import (bench/wakeStorm.ts).
  if (parts.has('storm')) {
    log('8. no timer storms: when a 10,000-person import whose annual reviews share a day wakes');
    optIn.wakeStorm = runWakeStorm({ log });
  }
  // Issue 26: BENCH_PARTS=people, search among 50,000 person records (bench/personSearch.ts).
  if (parts.has('people')) {
    log('7. finding a person among 50,000 in the case-event store');
    optIn.personSearch = await runPersonSearchBench({ log });
  }

  machine.loadAverage.end = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  const finished = {
    ...partial,
    finishedAt: new Date().toISOString(),
    wallSeconds: Math.round((performance.now() - t0) / 1000),
  };
  const results: BenchResults = { ...finished, targets: evaluateTargets(finished) };
  mkdirSync(resultsDir, { recursive: true });
  const json = `${JSON.stringify({ ...results, ...optIn }, null, 2)}\n`;
  // A partial run or an experiment is kept beside the standard results, never in place of them.
  const kind = settings.plainBundle
    ? 'experiment'
    : ['machine', 'e2e', 'long', 'cost'].every((p) => parts.has(p))
      ? undefined
      : 'partial';
  const file = path.join(resultsDir, `${startedAt.replace(/[:.]/g, '-')}${kind ? `-${kind}` : ''}.json`);
  writeFileSync(file, json);
  if (kind) {
    log(`results: ${path.relative(root, file)} (${kind}: latest.json and README.md left as they were)`);
  } else {
    writeFileSync(path.join(resultsDir, 'latest.json'), json);
    await writeReadme(results);
    log(`results: ${path.relative(root, file)} (and latest.json); tables in bench/README.md`);
  }
  for (const t of results.targets) {
    log(
      `  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured} (target ${t.target})${t.miss ? ` — ${t.miss}` : ''}`,
    );
  }
  log(`done in ${results.wallSeconds} s`);
  // The Temporal native runtime keeps the event loop alive for a while after the servers are gone.
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/** The cluster named by TEMPORAL_ADDRESS, for the end-to-end part: no server process of ours to measure. */
async function clusterEnv(target: Extract<TemporalTarget, { kind: 'cluster' }>) {
  const { client, connection } = await connectClient(loadConfig());
  log(`  against the cluster at ${target.address}, namespace ${target.namespace}`);
  return {
    client,
    address: target.address,
    namespace: target.namespace,
    serverPid: undefined,
    teardown: () => connection.close(),
  };
}
