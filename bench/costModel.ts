import { performance } from 'node:perf_hooks';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { countEvent, emptyCounts, eventTimeMs, eventTypeNames } from './actions';
import type { EndToEndResult } from './endToEnd';
import { round } from './stats';

/**
 * Part `cost` (issue 29): what a caseload costs a year, measured, not estimated. Its inputs come
 * from one journey driven for ten years on the time-skipping server (the long horizon's, every run
 * fetched): the bytes of history each journey-year adds, as Temporal stores them (each event
 * encoded as the server's protobuf, payloads encrypted as in production); what each continue-as-new
 * carries, by the journey's age; the Update results kept in history; the billable actions; and the
 * worker's CPU to replay a run. Worker memory and CPU per event come from the end-to-end part (this
 * run's, or the last reference run's, named). From them: the yearly bill of 10,000 and 860,000
 * journeys on Temporal Cloud's published prices (PRICES, with their source and date), and what a
 * self-hosted council's workers need per 10,000 journeys.
 *
 * Storage: Temporal Cloud bills open workflows' histories as active storage and closed ones', for
 * the namespace's retention period, as retained storage, by the GB-hour. A journey's open run is
 * its active storage; each run it closes by continuing as new is retained for the retention period.
 * The history bytes measured here are the events as the server's protobuf encodes them: what the
 * server keeps besides (mutable state, visibility rows, indexes) is not in the history and not
 * measured, so the storage lines are a floor.
 */

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const HOUR_MS = 3_600_000;
const YEAR_MS = 365.25 * 86_400_000;
const GB = 1e9;

/**
 * Temporal Cloud's published prices (pay-as-you-go), from docs.temporal.io/cloud/pricing (the
 * documentation's source, temporalio/documentation docs/evaluate/cloud/pricing.mdx at commit
 * 0217b71), read on 2026-12-07, and what counts as an action from docs.temporal.io/cloud/actions
 * (a Query and an Update each an action; the TemporalChangeVersion upsert exempt). Beyond 200
 * million actions a month the page says "contact Sales": priced here at the last published tier.
 */
export const PRICES = {
  source:
    'https://docs.temporal.io/cloud/pricing (temporalio/documentation@0217b71, docs/evaluate/cloud/pricing.mdx)',
  readOn: '2026-12-07',
  /** $ per million actions, by monthly volume (Business, Enterprise and Mission Critical plans) */
  actionTiers: [
    { upToMillions: 5, dollarsPerMillion: 50 },
    { upToMillions: 10, dollarsPerMillion: 45 },
    { upToMillions: 20, dollarsPerMillion: 40 },
    { upToMillions: 50, dollarsPerMillion: 35 },
    { upToMillions: 100, dollarsPerMillion: 30 },
    { upToMillions: 200, dollarsPerMillion: 25 },
    { upToMillions: Infinity, dollarsPerMillion: 25 },
  ],
  activeStorageDollarsPerGBh: 0.042,
  retainedStorageDollarsPerGBh: 0.00105,
  /** the Business plan: the greater of $500 a month or 10% of usage */
  businessPlan: { minimumDollarsPerMonth: 500, shareOfUsage: 0.1 },
} as const;

export interface CostModelResult {
  years: number;
  retentionDays: number;
  prices: typeof PRICES;
  measured: {
    historyBytesPerJourneyYear: { firstYear: number; steadyState: number; byYear: number[] };
    historyEventsPerJourneyYear: { firstYear: number; steadyState: number };
    /** each run's input as history keeps it (encoded, encrypted): run 1 is the new journey's */
    continueAsNewInputBytes: { run: number; ageYears: number; bytes: number }[];
    updateResultBytes: { count: number; mean: number; max: number };
    actionsPerJourneyYear: { firstYear: number; steadyState: number };
    /** the API's describe query after each Update it sends (api/journeyClient.ts withOutline): one action each */
    apiQueriesPerJourneyYear: { firstYear: number; steadyState: number };
    workflowTasksPerJourneyYear: { firstYear: number; steadyState: number };
    /** GB-hours a journey-year: its open run's history (active), its closed runs' for the retention period */
    activeGBhPerJourneyYear: { firstYear: number; steadyState: number };
    retainedGBhPerJourneyYear: { firstYear: number; steadyState: number };
    /** the history length when a workflow task starts, averaged over the steady years' tasks */
    meanHistoryEventsAtTask: number;
    /** the worker's CPU to replay a run from its history (an evicted journey waking), per history event */
    replay: { runs: number; events: number; cpuMs: number; cpuMsPerEvent: number; wallMs: number };
    endToEnd: {
      from: string;
      cpuMsPerWorkflowTask: number;
      rssPerCachedJourneyKB: number;
      baselineRssMB: number;
    };
  };
  temporalCloud: CloudBill[];
  selfHosted: SelfHosted;
}

export interface CloudBill {
  journeys: number;
  /** 'steadyState': a caseload in its second year or later; 'firstYear': journeys in their first year */
  year: 'steadyState' | 'firstYear';
  actionsPerMonth: number;
  dollars: {
    actions: number;
    activeStorage: number;
    retainedStorage: number;
    usage: number;
    businessPlan: number;
    total: number;
  };
}

export interface SelfHosted {
  journeys: number;
  /** every journey evicted between events (each wake replays its run): the worst case for CPU */
  cpuSecondsPerYear: number;
  averageCores: number;
  /** the caseload's annual reviews on one day, overdue flags spread over the window: cores for that hour */
  coresInSpreadHour: number;
  /** the same without the spread: the worker's backlog when every journey wakes at once */
  backlogSecondsWithoutSpread: { cores: number; seconds: number };
  memoryMB: { allCached: number; defaultCache: { journeys: number; mb: number } };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

const eventBytes = (event: HistoryEvent) =>
  temporal.api.history.v1.HistoryEvent.encode(event as temporal.api.history.v1.HistoryEvent).finish().length;

const payloadBytes = (payload: Payload | null | undefined) =>
  payload
    ? temporal.api.common.v1.Payload.encode(payload as temporal.api.common.v1.Payload).finish().length
    : 0;

function typeOf(event: HistoryEvent): string {
  const t = event.eventType as unknown;
  return (typeof t === 'number' ? (eventTypeNames[t] ?? String(t)) : String(t)).replace(/^EVENT_TYPE_/, '');
}

/** Monthly actions priced on the tiers, for one month. */
export function actionDollars(actionsPerMonth: number): number {
  let left = actionsPerMonth / 1e6;
  let from = 0;
  let dollars = 0;
  for (const tier of PRICES.actionTiers) {
    const inTier = Math.min(left, tier.upToMillions - from);
    if (inTier <= 0) break;
    dollars += inTier * tier.dollarsPerMillion;
    left -= inTier;
    from = tier.upToMillions;
  }
  return dollars;
}

function cloudBill(
  journeys: number,
  year: CloudBill['year'],
  perJourney: { actions: number; activeGBh: number; retainedGBh: number },
): CloudBill {
  const actionsPerMonth = (journeys * perJourney.actions) / 12;
  const actions = 12 * actionDollars(actionsPerMonth);
  const activeStorage = journeys * perJourney.activeGBh * PRICES.activeStorageDollarsPerGBh;
  const retainedStorage = journeys * perJourney.retainedGBh * PRICES.retainedStorageDollarsPerGBh;
  const usage = actions + activeStorage + retainedStorage;
  const businessPlan =
    12 *
    Math.max(PRICES.businessPlan.minimumDollarsPerMonth, (PRICES.businessPlan.shareOfUsage * usage) / 12);
  const r = (n: number) => round(n, 0);
  return {
    journeys,
    year,
    actionsPerMonth: Math.round(actionsPerMonth),
    dollars: {
      actions: r(actions),
      activeStorage: r(activeStorage),
      retainedStorage: r(retainedStorage),
      usage: r(usage),
      businessPlan: r(businessPlan),
      total: r(usage + businessPlan),
    },
  };
}

/** The end-to-end inputs: this run's, or the reference run's (named). */
export function endToEndInputs(e: EndToEndResult, from: string): CostModelResult['measured']['endToEnd'] {
  const ours = e.runs.filter((run) => run.side === 'ours');
  const tasks = mean(ours.map((run) => run.history.workflowTasksPerJourney));
  return {
    from,
    cpuMsPerWorkflowTask: round(e.ours.cpuMsPerJourney / tasks, 2),
    rssPerCachedJourneyKB: e.ours.rssPerJourneyKB,
    baselineRssMB: round(mean(ours.map((run) => run.worker.baselineRssMB)), 0),
  };
}

export async function runCostModel(options: {
  histories: History[];
  /** the journey's first instant (its referral), ms */
  t0: number;
  years: number;
  bundlePath: string;
  dataConverter: DataConverter;
  endToEnd: CostModelResult['measured']['endToEnd'];
  retentionDays?: number;
  log: (line: string) => void;
}): Promise<CostModelResult> {
  const { histories, t0, years } = options;
  const retentionDays = options.retentionDays ?? 30;
  const retentionHours = retentionDays * 24;
  const yearOf = (ms: number) => Math.min(Math.max(Math.floor((ms - t0) / YEAR_MS), 0), years - 1);
  const perYear = () => Array.from({ length: years }, () => 0);
  const bytes = perYear();
  const events = perYear();
  const active = perYear();
  const retained = perYear();
  const updates = perYear();
  const counts = Array.from({ length: years }, () => emptyCounts());
  const inputs: CostModelResult['measured']['continueAsNewInputBytes'] = [];
  const results: number[] = [];
  const lengthsAtTask: number[] = [];
  const end = t0 + years * YEAR_MS;

  histories.forEach((history, runIndex) => {
    const list = history.events ?? [];
    const started = list[0];
    const startMs = eventTimeMs(started ?? {});
    inputs.push({
      run: runIndex + 1,
      ageYears: round((startMs - t0) / YEAR_MS, 2),
      bytes: payloadBytes(started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0] as Payload),
    });
    const last = list.at(-1);
    const closedAt = last?.workflowExecutionContinuedAsNewEventAttributes ? eventTimeMs(last) : end;
    let size = 0;
    let since = startMs;
    // the run's stored size is a step function of time: integrate it into each journey-year
    const integrate = (until: number) => {
      let from = since;
      while (from < until) {
        const year = yearOf(from);
        const yearEnd = Math.min(until, t0 + (year + 1) * YEAR_MS);
        const to = year === years - 1 ? until : yearEnd;
        active[year]! += ((size / GB) * (to - from)) / HOUR_MS;
        from = to;
      }
      since = until;
    };
    list.forEach((event, index) => {
      const at = eventTimeMs(event);
      integrate(Math.min(at, end));
      const b = eventBytes(event);
      size += b;
      const year = yearOf(at);
      bytes[year]! += b;
      events[year]! += 1;
      countEvent(counts[year]!, event);
      const type = typeOf(event);
      if (type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED') updates[year]! += 1;
      if (type === 'WORKFLOW_TASK_STARTED' && year > 0) lengthsAtTask.push(index + 1);
      const result = event.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0];
      if (result) results.push(payloadBytes(result as Payload));
    });
    integrate(Math.min(closedAt, end));
    if (last?.workflowExecutionContinuedAsNewEventAttributes)
      retained[yearOf(closedAt)]! += (size / GB) * retentionHours;
  });

  const steady = <T>(xs: T[], f: (x: T) => number) => mean(xs.slice(1).map(f));
  const measuredYear = (xs: number[], digits = 1) => ({
    firstYear: round(xs[0] ?? Number.NaN, digits),
    steadyState: round(
      steady(xs, (x) => x),
      digits,
    ),
  });

  // Replay: every run, as an evicted journey's wake-up replays it, on one replay worker (made
  // before the clock starts: a worker replays many journeys), timed by this process's CPU.
  const replayOnce = async (label: string) => {
    const outcomes = Worker.runReplayHistories(
      { workflowBundle: { codePath: options.bundlePath }, dataConverter: options.dataConverter },
      histories.map((history, i) => ({ workflowId: `cost-replay-${label}-${i}`, history })),
    );
    for await (const outcome of outcomes) if (outcome.error) throw outcome.error;
  };
  await replayOnce('warm-up');
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await replayOnce('timed');
  const replayed = histories.reduce((n, h) => n + (h.events?.length ?? 0), 0);
  const cpu = process.cpuUsage(cpu0);
  const replayCpuMs = (cpu.user + cpu.system) / 1000;
  const replay = {
    runs: histories.length,
    events: replayed,
    cpuMs: round(replayCpuMs, 0),
    cpuMsPerEvent: round(replayCpuMs / replayed, 3),
    wallMs: round(performance.now() - wall0, 0),
  };

  const actionsPerYear = counts.map((c) => c.total);
  const tasksPerYear = counts.map((c) => c.workflowTasks);
  const activeGBh = measuredYear(active, 8);
  const retainedGBh = measuredYear(retained, 8);
  const actions = measuredYear(actionsPerYear, 2);
  const queries = measuredYear(updates, 2);
  const tasks = measuredYear(tasksPerYear, 2);
  const measured: CostModelResult['measured'] = {
    historyBytesPerJourneyYear: { ...measuredYear(bytes, 0), byYear: bytes },
    historyEventsPerJourneyYear: measuredYear(events, 1),
    continueAsNewInputBytes: inputs,
    updateResultBytes: { count: results.length, mean: round(mean(results), 0), max: Math.max(0, ...results) },
    actionsPerJourneyYear: actions,
    apiQueriesPerJourneyYear: queries,
    workflowTasksPerJourneyYear: tasks,
    activeGBhPerJourneyYear: activeGBh,
    retainedGBhPerJourneyYear: retainedGBh,
    meanHistoryEventsAtTask: round(mean(lengthsAtTask), 1),
    replay,
    endToEnd: options.endToEnd,
  };

  const temporalCloud: CloudBill[] = [];
  for (const journeys of [10_000, 860_000]) {
    for (const year of ['steadyState', 'firstYear'] as const) {
      temporalCloud.push(
        cloudBill(journeys, year, {
          actions: actions[year] + queries[year],
          activeGBh: activeGBh[year],
          retainedGBh: retainedGBh[year],
        }),
      );
    }
  }

  // A self-hosted council's workers, per 10,000 journeys in steady state.
  const journeys = 10_000;
  const perTaskMs = options.endToEnd.cpuMsPerWorkflowTask;
  const replayPerWakeMs = measured.meanHistoryEventsAtTask * replay.cpuMsPerEvent;
  const cpuSecondsPerYear = (journeys * tasks.steadyState * (perTaskMs + replayPerWakeMs)) / 1000;
  const perWakeSeconds = (perTaskMs + replayPerWakeMs) / 1000;
  const cachedDefault = 972; // worker/createWorker.ts defaultCachedJourneys on a 4 GB heap (bench/README.md)
  const selfHosted: SelfHosted = {
    journeys,
    cpuSecondsPerYear: round(cpuSecondsPerYear, 0),
    averageCores: round(cpuSecondsPerYear / (YEAR_MS / 1000), 4),
    coresInSpreadHour: round((journeys * perWakeSeconds) / 3600, 2),
    backlogSecondsWithoutSpread: { cores: 2, seconds: round((journeys * perWakeSeconds) / 2, 0) },
    memoryMB: {
      allCached: round(
        options.endToEnd.baselineRssMB + (journeys * options.endToEnd.rssPerCachedJourneyKB) / 1024,
        0,
      ),
      defaultCache: {
        journeys: cachedDefault,
        mb: round(
          options.endToEnd.baselineRssMB + (cachedDefault * options.endToEnd.rssPerCachedJourneyKB) / 1024,
          0,
        ),
      },
    },
  };
  options.log(
    `  history ${measured.historyBytesPerJourneyYear.firstYear} bytes in year 1, ${measured.historyBytesPerJourneyYear.steadyState} a year after; ` +
      `continue-as-new input ${inputs.map((i) => `${i.bytes} B at ${i.ageYears} y`).join(', ')}; ` +
      `Update results mean ${measured.updateResultBytes.mean} B, max ${measured.updateResultBytes.max} B`,
  );
  return { years, retentionDays, prices: PRICES, measured, temporalCloud, selfHosted };
}

/** The journey's first instant: its first run's start. */
export function firstInstant(histories: History[]): number {
  return eventTimeMs(histories[0]?.events?.[0] ?? {});
}
