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
      `| Events as the workflow handles them (judge, apply, outline, deadlines, notices, search attributes) | ${fmt(a.workflowEventSteps.perSecond, 0)}/s (${fmt(a.workflowEventSteps.microsPerEvent, 0)} µs each) |`,
      `| Persisted snapshot: new / activated / first review / year 1 / year 5 / year 10 | ${[s.new, s.activated, s.firstReview, s.year1, s.year5, s.year10].map((b) => fmt(b, 0)).join(' / ')} bytes |`,
      `| Continue-as-new input after 10 years (snapshot, timeline, ids) | ${fmt(a.carriedBytesAfterTenYears, 0)} bytes |`,
      `| Update result (the journey outline) | ${fmt(a.updateResultBytes, 0)} bytes |`,
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
  return lines.join('\n');
}
