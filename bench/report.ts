import type { CostModelResult } from './costModel';
import type { EndToEndResult } from './endToEnd';
import type { LongHorizonResult } from './longHorizon';
import type { MachineAloneResult } from './machineAlone';
import type { MachineInfo, SourceInfo } from './machineInfo';
import type { ModuleFootprint } from './moduleFootprint';

/** The results as JSON (bench/results/) and as the Markdown tables of bench/README.md. */

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  settings: {
    journeys: number;
    rounds: number;
    warmup: number;
    concurrency: number;
    years: number;
    lightJourneys: number;
    /** the experiment BENCH_JOURNEY_BUNDLE=plain (nothing shared, xstate's development build) */
    plainBundle?: boolean;
  };
  machine: MachineInfo;
  source: SourceInfo;
  machineAlone?: MachineAloneResult;
  endToEnd?: EndToEndResult;
  moduleFootprint?: ModuleFootprint;
  longHorizon?: LongHorizonResult;
  costModel?: CostModelResult;
  targets: Target[];
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean | undefined;
  /** how far off, in words, when missed */
  miss?: string;
}

const fmt = (n: number | undefined, digits = 2) =>
  n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n.toLocaleString('en-GB', { maximumFractionDigits: digits });

export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  const e = r.endToEnd;
  if (e) {
    const t = e.ratios.throughputOursOverFloor;
    targets.push({
      name: 'Throughput, ours ÷ floor',
      target: '≥ 0.85',
      measured: fmt(t, 3),
      met: t >= 0.85,
      miss:
        t >= 0.85 ? undefined : `${fmt((0.85 - t) * 100, 1)} points short (${fmt(t * 100, 1)}% of the floor)`,
    });
    const p = e.ratios.p99OursOverFloor;
    targets.push({
      name: 'p99 Update latency, ours ÷ floor',
      target: '≤ 1.5',
      measured: `${fmt(p, 2)} (${fmt(e.ours.latency.p99Ms, 1)} ms vs ${fmt(e.floor.latency.p99Ms, 1)} ms)`,
      met: p <= 1.5,
      miss:
        p <= 1.5
          ? undefined
          : `${fmt(p / 1.5, 2)}× the allowance (${fmt(e.ours.latency.p99Ms - 1.5 * e.floor.latency.p99Ms, 1)} ms over)`,
    });
    const m = e.ratios.rssPerJourneyAboveFloorKB;
    targets.push({
      name: 'Worker memory per cached journey above the floor',
      target: '≤ 1 MB (1,024 KB)',
      measured: `${fmt(m, 1)} KB (${fmt(e.ours.rssPerJourneyKB, 1)} KB vs ${fmt(e.floor.rssPerJourneyKB, 1)} KB)`,
      met: m <= 1024,
      miss: m <= 1024 ? undefined : `${fmt(m - 1024, 1)} KB over`,
    });
    const f = e.ours.actionsPerJourney;
    targets.push({
      name: 'Temporal actions from referral to the first review',
      target: '≤ 30',
      measured: fmt(f, 1),
      met: f <= 30,
      miss: f <= 30 ? undefined : `${fmt(f - 30, 1)} actions over`,
    });
  }
  const l = r.longHorizon;
  if (l) {
    const a = l.steadyState.actionsPerYear;
    targets.push({
      name: 'Temporal actions per journey-year (steady state)',
      target: '≤ 10',
      measured: `${fmt(a, 2)} (years ${l.steadyState.years})`,
      met: a <= 10,
      miss: a <= 10 ? undefined : `${fmt(a - 10, 2)} actions a year over (${fmt((a / 10 - 1) * 100, 0)}%)`,
    });
    targets.push({
      name: 'History events, longest run',
      target: '< 4,096',
      measured: fmt(l.longestRunEvents, 0),
      met: l.allRunsUnder4096,
      miss: l.allRunsUnder4096 ? undefined : `${fmt(l.longestRunEvents - 4095, 0)} events over`,
    });
    // The first of the three replays includes creating the replay worker; the best is the replay.
    const ms = l.replay.bestMs;
    targets.push({
      name: 'Replay of the longest run',
      target: '≤ 0.2 s',
      measured: `${fmt(ms, 0)} ms best of ${l.replay.attempts} (first, with the replay worker's creation: ${fmt(l.replay.firstMs, 0)} ms)`,
      met: ms <= 200,
      miss: ms <= 200 ? undefined : `${fmt(ms - 200, 0)} ms over`,
    });
  }
  return targets;
}

export function markdown(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(
    `Run ${r.startedAt} (${fmt(r.wallSeconds, 0)} s): ${r.settings.journeys} journeys per batch, ` +
      `${r.settings.rounds} batch(es) per side, concurrency ${r.settings.concurrency}, ${r.settings.years} years.` +
      (r.settings.plainBundle
        ? ' **Experiment**: the journey bundled plain (no modules shared, xstate development build).'
        : ''),
    '',
    '| Machine | |',
    '| --- | --- |',
    `| CPU | ${m.cpus} × ${m.cpuModel} |`,
    `| Memory | ${fmt(m.totalMemoryGB, 1)} GB |`,
    `| OS | ${m.platform} |`,
    `| Node | ${m.node} |`,
    `| Temporal CLI (dev server) | ${m.temporalCli.replace(/\n/g, ' ')} |`,
    `| Temporal test server | ${m.temporalTestServer} |`,
    `| Temporal TypeScript SDK | ${m.temporalSdk} |`,
    `| XState | ${m.xstate} |`,
    `| Load average (1 min) at start / end | ${fmt(m.loadAverage.start)} / ${fmt(m.loadAverage.end)} |`,
    `| Code measured | commit ${r.source.commit}, ${r.source.changedFiles} changed files outside bench/, journey bundle ${r.source.journeyBundleSha256 ?? 'n/a'} |`,
    '',
  );
  if (r.targets.length) {
    lines.push('### Targets', '', '| | Target | Measured | |', '| --- | --- | --- | --- |');
    for (const t of r.targets) {
      lines.push(`| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'met' : `**missed**: ${t.miss}`} |`);
    }
    lines.push('');
  }
  const a = r.machineAlone;
  if (a) {
    const s = a.persistedSnapshotBytes;
    lines.push(
      '### 1. The machine alone',
      '',
      '| | |',
      '| --- | --- |',
      `| Pure transitions (xstate \`transition\`) | ${fmt(a.pureTransitions.perSecond, 0)}/s (${fmt(a.pureTransitions.microsPerTransition, 0)} µs each) |`,
      `| Events as the workflow handles them (judge, apply, the Update's result, deadlines, notices, search attributes) | ${fmt(a.workflowEventSteps.perSecond, 0)}/s (${fmt(a.workflowEventSteps.microsPerEvent, 0)} µs each) |`,
      `| Persisted snapshot: new / activated / first review / year 1 / year 5 / year 10 | ${[s.new, s.activated, s.firstReview, s.year1, s.year5, s.year10].map((b) => fmt(b, 0)).join(' / ')} bytes |`,
      `| Continue-as-new carries after 10 years (bounded: snapshot without closed deadlines, newest ids) | ${fmt(a.carriedBytesAfterTenYears, 0)} bytes${a.carriedBytesAfterTenYearsUnbounded ? ` (as runs before 'national-scale-costs' carry it: ${fmt(a.carriedBytesAfterTenYearsUnbounded, 0)})` : ''} |`,
      `| Update result (a receipt since 'national-scale-costs') | ${fmt(a.updateResultBytes, 0)} bytes${a.outlineBytes ? ` (the outline it replaced: ${fmt(a.outlineBytes, 0)})` : ''} |`,
      `| Deadlines kept in context after 10 years | ${a.deadlinesInContextAfterTenYears} |`,
      '',
    );
  }
  const e = r.endToEnd;
  if (e) {
    lines.push(
      '### 2. End to end on the dev server (ours vs the floor, same server, same worker settings)',
      '',
      `${e.journeysPerRound} journeys per batch, ${e.updatesPerJourney} Updates each (first by Update-with-Start), ` +
        `concurrency ${e.concurrency}, ${e.warmup} warm-up journeys per batch, order ${e.order.join(', ')}; ` +
        `maxCachedWorkflows ${e.tuning.maxCachedWorkflows}, maxConcurrentWorkflowTaskExecutions ` +
        `${e.tuning.maxConcurrentWorkflowTaskExecutions}, maxConcurrentActivityTaskExecutions ` +
        `${e.tuning.maxConcurrentActivityTaskExecutions}.`,
      '',
      '| | Ours | Floor | Ours ÷ floor |',
      '| --- | --- | --- | --- |',
      `| Journeys/s | ${fmt(e.ours.journeysPerSecond)} | ${fmt(e.floor.journeysPerSecond)} | ${fmt(e.ratios.throughputOursOverFloor, 3)} |`,
      `| Updates/s | ${fmt(e.ours.updatesPerSecond)} | ${fmt(e.floor.updatesPerSecond)} | ${fmt(e.ours.updatesPerSecond / e.floor.updatesPerSecond, 3)} |`,
      `| Update round trip p50 (all Updates, under load) | ${fmt(e.ours.latency.p50Ms, 1)} ms | ${fmt(e.floor.latency.p50Ms, 1)} ms | ${fmt(e.ratios.p50OursOverFloor)} |`,
      `| Update round trip p95 | ${fmt(e.ours.latency.p95Ms, 1)} ms | ${fmt(e.floor.latency.p95Ms, 1)} ms | ${fmt(e.ratios.p95OursOverFloor)} |`,
      `| Update round trip p99 | ${fmt(e.ours.latency.p99Ms, 1)} ms | ${fmt(e.floor.latency.p99Ms, 1)} ms | ${fmt(e.ratios.p99OursOverFloor)} |`,
      `| Under load, the events after the first: p50 / p99 | ${fmt(e.ours.eventLatency.p50Ms, 1)} / ${fmt(e.ours.eventLatency.p99Ms, 1)} ms | ${fmt(e.floor.eventLatency.p50Ms, 1)} / ${fmt(e.floor.eventLatency.p99Ms, 1)} ms | p99 ${fmt(e.ratios.eventP99OursOverFloor)} |`,
      `| Light load (${e.runs[0]?.lightLoad.journeys ?? 0} journeys one at a time per batch): p50 / p99 | ${fmt(e.ours.lightLoadLatency.p50Ms, 1)} / ${fmt(e.ours.lightLoadLatency.p99Ms, 1)} ms | ${fmt(e.floor.lightLoadLatency.p50Ms, 1)} / ${fmt(e.floor.lightLoadLatency.p99Ms, 1)} ms | ${fmt(e.ratios.lightLoadP50OursOverFloor)} / ${fmt(e.ratios.lightLoadP99OursOverFloor)} |`,
      `| Worker RSS per cached journey | ${fmt(e.ours.rssPerJourneyKB, 1)} KB | ${fmt(e.floor.rssPerJourneyKB, 1)} KB | +${fmt(e.ratios.rssPerJourneyAboveFloorKB, 1)} KB |`,
      `| CPU per journey: worker | ${fmt(e.ours.cpuMsPerJourney, 1)} ms | ${fmt(e.floor.cpuMsPerJourney, 1)} ms | ${fmt(e.ours.cpuMsPerJourney / e.floor.cpuMsPerJourney)} |`,
      `| CPU per journey: dev server | ${fmt(e.ours.serverCpuMsPerJourney, 1)} ms | ${fmt(e.floor.serverCpuMsPerJourney, 1)} ms | ${fmt((e.ours.serverCpuMsPerJourney ?? NaN) / (e.floor.serverCpuMsPerJourney ?? NaN))} |`,
      `| CPU per journey: client (bench process) | ${fmt(e.ours.clientCpuMsPerJourney, 1)} ms | ${fmt(e.floor.clientCpuMsPerJourney, 1)} ms | ${fmt(e.ours.clientCpuMsPerJourney / e.floor.clientCpuMsPerJourney)} |`,
      `| History events per journey | ${fmt(e.ours.historyEventsPerJourney, 1)} | ${fmt(e.floor.historyEventsPerJourney, 1)} | ${fmt(e.ours.historyEventsPerJourney / e.floor.historyEventsPerJourney)} |`,
      `| Billable actions per journey, referral to first review | ${fmt(e.ours.actionsPerJourney, 1)} | ${fmt(e.floor.actionsPerJourney, 1)} | ${fmt(e.ours.actionsPerJourney / e.floor.actionsPerJourney)} |`,
      '',
      'Each batch:',
      '',
      '| Side | Batch | Journeys/s | p50 | p95 | p99 | Update-with-Start p50 | Worker RSS before → after | RSS/journey | CPU/journey worker · server · client | History events · actions per journey | WFT failures | RAS raced driver |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const b of e.runs) {
      lines.push(
        `| ${b.side} | ${b.round} | ${fmt(b.journeysPerSecond)} | ${fmt(b.latency.p50Ms, 1)} ms | ${fmt(b.latency.p95Ms, 1)} ms | ` +
          `${fmt(b.latency.p99Ms, 1)} ms | ${fmt(b.withStartLatency.p50Ms, 0)} ms | ${fmt(b.worker.baselineRssMB, 0)} → ${fmt(b.worker.afterRssMB, 0)} MB | ` +
          `${fmt(b.worker.rssPerJourneyKB, 1)} KB | ${fmt(b.worker.cpuMsPerJourney, 0)} · ${fmt(b.serverCpuMsPerJourney, 0)} · ${fmt(b.clientCpuMsPerJourney, 0)} ms | ` +
          `${fmt(b.history.eventsPerJourney, 1)} · ${fmt(b.history.actionsPerJourney.total, 1)} | ${b.history.workflowTaskFailuresOrTimeouts} | ${b.side === 'ours' ? b.refusedRaces : '–'} |`,
      );
    }
    lines.push('');
  }
  const f = r.moduleFootprint;
  if (f) {
    lines.push(
      `Module state each cached journey instantiates for itself (the SDK's reusable V8 context gives every workflow its own module cache, but for the modules the bundle preloads; measured by instantiating the journey bundle's modules ${f.instancesPerMeasure} times in a bare V8 context): ` +
        `**${fmt(f.allModulesKB, 0)} KB** in all — this project's modules ${fmt(f.projectModulesKB, 0)} KB, plus ` +
        Object.entries(f.byPackageKB)
          .map(([p, kb]) => `${p} ${kb < 10 ? 'under 10' : fmt(kb, 0)} KB`)
          .join(', ') +
        '.' +
        (f.instantiateMs
          ? ` Instantiating them takes ${fmt(f.instantiateMs.all, 1)} ms of CPU for each new or rebuilt workflow (this project's modules alone ${fmt(f.instantiateMs.project, 1)} ms).`
          : '') +
        (f.sharedModulesByPackage && Object.keys(f.sharedModulesByPackage).length
          ? ` Not counted, as the worker instantiates them once for every journey (preloaded, runtime/workflowBundle.ts): ` +
            Object.entries(f.sharedModulesByPackage)
              .map(([p, n]) => `${p} (${n} modules)`)
              .join(', ') +
            '.'
          : ''),
      '',
    );
  }
  const l = r.longHorizon;
  if (l) {
    const k = l.steadyState.byKind;
    lines.push(
      `### 3. The long horizon (time-skipping server, one journey, ${l.years} years)`,
      '',
      `${l.eventsSent} events sent; ${l.runs.length} runs; longest run ${fmt(l.longestRunEvents, 0)} history events ` +
        `(every run under 4,096: ${l.allRunsUnder4096 ? 'yes' : 'no'}); replay of the longest run ` +
        `${fmt(l.replay.firstMs, 0)} ms (best of ${l.replay.attempts}: ${fmt(l.replay.bestMs, 0)} ms); ` +
        `activity timeouts or retries: ${l.activityTimeoutsOrRetries}; activities left behind by continue-as-new: ` +
        `${l.orphanedActivities}; describe queries by the driver (not counted): ${l.queriesByDriver}.`,
      '',
      `| Actions per journey-year | Starts | Updates | Signals | Timers | Activities | Local activities (tasks) | SA upserts | Children | **Total** | (continue-as-new) | (history events) |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| Steady state (mean of years ${l.steadyState.years}) | ${k.workflowStarts} | ${k.updates} | ${k.signals} | ${k.timers} | ${k.activities} | ${k.localActivities ?? 0} | ${k.searchAttributeUpserts} | ${k.childWorkflowStarts} | **${fmt(l.steadyState.actionsPerYear)}** | ${k.continueAsNew} | ${k.historyEvents} |`,
    );
    l.actionsByYear.forEach((y, i) => {
      lines.push(
        `| Year ${i + 1} | ${y.workflowStarts} | ${y.updates} | ${y.signals} | ${y.timers} | ${y.activities} | ${y.localActivities ?? 0} | ${y.searchAttributeUpserts} | ${y.childWorkflowStarts} | **${y.total}** | ${y.continueAsNew} | ${y.historyEvents} |`,
      );
    });
    lines.push('', '| Run | Started | History events | Ended by |', '| --- | --- | --- | --- |');
    l.runs.forEach((run, i) =>
      lines.push(`| ${i + 1} | ${run.startedAt.slice(0, 10)} | ${run.historyEvents} | ${run.closedBy} |`),
    );
    lines.push('');
  }
  if (r.costModel) lines.push(...costMarkdown(r.costModel));
  return lines.join('\n');
}

const dollars = (n: number) => `$${fmt(n, 0)}`;

/** The cost model in a few lines, as `npm run bench` prints it. */
export function costLines(c: CostModelResult): string[] {
  const m = c.measured;
  const lines = [
    `history per journey-year: ${fmt(m.historyBytesPerJourneyYear.firstYear, 0)} bytes in the first year, ` +
      `${fmt(m.historyBytesPerJourneyYear.steadyState, 0)} a year after (${fmt(m.historyEventsPerJourneyYear.steadyState, 1)} events)`,
    `continue-as-new input by age: ${m.continueAsNewInputBytes.map((i) => `${fmt(i.bytes, 0)} B at ${fmt(i.ageYears, 1)} y`).join(', ')}`,
    `Update results in history: mean ${fmt(m.updateResultBytes.mean, 0)} B, largest ${fmt(m.updateResultBytes.max, 0)} B (${m.updateResultBytes.count})`,
    `actions per journey-year: ${fmt(m.actionsPerJourneyYear.firstYear)} in the first year, ${fmt(m.actionsPerJourneyYear.steadyState)} after, ` +
      `plus the API's outline query per Update (${fmt(m.apiQueriesPerJourneyYear.firstYear)} / ${fmt(m.apiQueriesPerJourneyYear.steadyState)})`,
    `storage per journey-year: active ${fmt(m.activeGBhPerJourneyYear.steadyState, 4)} GBh, retained ${fmt(m.retainedGBhPerJourneyYear.steadyState, 4)} GBh (retention ${c.retentionDays} days)`,
  ];
  for (const b of c.temporalCloud) {
    lines.push(
      `Temporal Cloud, ${fmt(b.journeys, 0)} journeys (${b.year === 'steadyState' ? 'steady state' : 'first year'}): ` +
        `${dollars(b.dollars.total)} a year — actions ${dollars(b.dollars.actions)}, active storage ${dollars(b.dollars.activeStorage)}, ` +
        `retained ${dollars(b.dollars.retainedStorage)}, Business plan ${dollars(b.dollars.businessPlan)}`,
    );
  }
  const h = c.selfHosted;
  lines.push(
    `self-hosted, per ${fmt(h.journeys, 0)} journeys: ${fmt(h.cpuSecondsPerYear, 0)} CPU-seconds a year (${fmt(h.averageCores, 4)} of a core on average, every wake a replay), ` +
      `${fmt(h.coresInSpreadHour, 2)} cores through the hour a shared review day's flags are spread over ` +
      `(without the spread ${fmt(h.backlogSecondsWithoutSpread.seconds, 0)} s of backlog on ${h.backlogSecondsWithoutSpread.cores} cores); ` +
      `memory ${fmt(h.memoryMB.defaultCache.mb, 0)} MB with the default cache of ${h.memoryMB.defaultCache.journeys} journeys, ` +
      `${fmt(h.memoryMB.allCached, 0)} MB to hold all cached`,
  );
  return lines;
}

function costMarkdown(c: CostModelResult): string[] {
  const m = c.measured;
  const lines = [
    `### 4. The cost model (from the long horizon's ${c.years} years; prices of ${c.prices.readOn})`,
    '',
    '| Measured | First year | Steady state (years 2..) |',
    '| --- | --- | --- |',
    `| History bytes per journey-year (events as the server encodes them, payloads encrypted) | ${fmt(m.historyBytesPerJourneyYear.firstYear, 0)} | ${fmt(m.historyBytesPerJourneyYear.steadyState, 0)} |`,
    `| History events per journey-year | ${fmt(m.historyEventsPerJourneyYear.firstYear, 1)} | ${fmt(m.historyEventsPerJourneyYear.steadyState, 1)} |`,
    `| Billable actions per journey-year (from history) | ${fmt(m.actionsPerJourneyYear.firstYear)} | ${fmt(m.actionsPerJourneyYear.steadyState)} |`,
    `| The API's outline query per Update (an action each) | ${fmt(m.apiQueriesPerJourneyYear.firstYear)} | ${fmt(m.apiQueriesPerJourneyYear.steadyState)} |`,
    `| Workflow tasks per journey-year | ${fmt(m.workflowTasksPerJourneyYear.firstYear)} | ${fmt(m.workflowTasksPerJourneyYear.steadyState)} |`,
    `| Active storage, GB-hours per journey-year (the open run's history) | ${fmt(m.activeGBhPerJourneyYear.firstYear, 4)} | ${fmt(m.activeGBhPerJourneyYear.steadyState, 4)} |`,
    `| Retained storage, GB-hours per journey-year (closed runs, ${c.retentionDays} days) | ${fmt(m.retainedGBhPerJourneyYear.firstYear, 4)} | ${fmt(m.retainedGBhPerJourneyYear.steadyState, 4)} |`,
    '',
    `Continue-as-new input (each run's start input as history keeps it): ${m.continueAsNewInputBytes.map((i) => `run ${i.run} at ${fmt(i.ageYears, 1)} years ${fmt(i.bytes, 0)} B`).join('; ')}. ` +
      `Update results in history: ${m.updateResultBytes.count}, mean ${fmt(m.updateResultBytes.mean, 0)} B, largest ${fmt(m.updateResultBytes.max, 0)} B. ` +
      `Replay: ${m.replay.events} events of ${m.replay.runs} runs in ${fmt(m.replay.cpuMs, 0)} ms of CPU (${fmt(m.replay.cpuMsPerEvent, 3)} ms an event); ` +
      `a workflow task starts at ${fmt(m.meanHistoryEventsAtTask, 1)} history events on average. ` +
      `Worker CPU per workflow task ${fmt(m.endToEnd.cpuMsPerWorkflowTask, 1)} ms and RSS per cached journey ${fmt(m.endToEnd.rssPerCachedJourneyKB, 0)} KB from ${m.endToEnd.from}.`,
    '',
    '| Temporal Cloud, a year | Actions a month | Actions | Active storage | Retained storage | Business plan | **Total** |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const b of c.temporalCloud) {
    lines.push(
      `| ${fmt(b.journeys, 0)} journeys, ${b.year === 'steadyState' ? 'steady state' : 'first year'} | ${fmt(b.actionsPerMonth, 0)} | ${dollars(b.dollars.actions)} | ${dollars(b.dollars.activeStorage)} | ${dollars(b.dollars.retainedStorage)} | ${dollars(b.dollars.businessPlan)} | **${dollars(b.dollars.total)}** |`,
    );
  }
  const h = c.selfHosted;
  lines.push(
    '',
    `Self-hosted, per ${fmt(h.journeys, 0)} journeys in steady state: ${fmt(h.cpuSecondsPerYear, 0)} CPU-seconds a year (${fmt(h.averageCores, 4)} of a core on average, every wake-up replaying its run); ` +
      `${fmt(h.coresInSpreadHour, 2)} cores through the hour over which a shared review day's overdue flags are spread (all at once, ${fmt(h.backlogSecondsWithoutSpread.seconds, 0)} s of backlog on ${h.backlogSecondsWithoutSpread.cores} cores); ` +
      `worker memory ${fmt(h.memoryMB.defaultCache.mb, 0)} MB with the default cache (${h.memoryMB.defaultCache.journeys} journeys), ${fmt(h.memoryMB.allCached, 0)} MB to keep all ${fmt(h.journeys, 0)} cached.`,
    '',
  );
  return lines;
}
