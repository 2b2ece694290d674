import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { JourneyEvent } from '../machines/events';
import { loadConfig } from '../temporal.config';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  newJourneyInput,
  refusalFailureTypes,
} from '../workflows/definitions';
import { actionKinds, countHistory, type ActionCounts } from './actions';
import { floorCountQuery, floorDoneUpdate, floorEventUpdate } from './floor/definitions';
import { ownCpuMs, processCpuMs } from './processCpu';
import { isRasResult } from '../test/support/journeyEvents';
import { journeyToFirstReview } from './scenario';
import { MB, round, summarise, type LatencySummary } from './stats';
import type { FromWorker, ToWorker, WorkerProcessSpec, WorkerSample } from './workerProcess';

/**
 * Part 2: end to end on the dev server. N journeys driven concurrently, each sending its events
 * one after another through the Update API (the first by Update-with-Start, as the API does), and
 * in the same run, on the same server and with the same worker settings, the floor: a bare
 * workflow receiving the same Updates with the same payloads. Each side's worker runs in a child
 * process of its own (so its memory is its own); the client stays in this process.
 */

export type Side = 'ours' | 'floor';

export interface EndToEndOptions {
  client: Client;
  address: string;
  namespace: string;
  journeys: number;
  /** journeys driven (untimed) before each measured batch, to warm the worker */
  warmup: number;
  /** how many journeys are driven at once (default: all) */
  concurrency: number;
  /** measured batches per side, in ABBA order (ours, floor, floor, ours, …) */
  rounds: number;
  bundles: Record<Side, string>;
  /** the dev server's pid, to read its CPU time (Linux) */
  serverPid?: number;
  log: (line: string) => void;
  /** how many journeys' histories to fetch after each batch (untimed), for events and actions per journey */
  historySample?: number;
  /** journeys driven one at a time after each batch, for the round trip without queueing (0: none) */
  lightJourneys: number;
}

export interface SideRound {
  side: Side;
  round: number;
  journeys: number;
  updates: number;
  elapsedMs: number;
  journeysPerSecond: number;
  updatesPerSecond: number;
  latency: LatencySummary;
  /** the first Update of each journey (Update-with-Start) */
  withStartLatency: LatencySummary;
  /** every later Update (the journey's events once it runs) */
  eventLatency: LatencySummary;
  /** the driver's INDICATIVE_BUDGET_CALCULATED refused because the RAS activity got there first */
  refusedRaces: number;
  worker: {
    baselineRssMB: number;
    afterRssMB: number;
    rssPerJourneyKB: number;
    cpuMsPerJourney: number;
  };
  /** CPU per journey of the dev server and of the driving client (this process), where measurable */
  serverCpuMsPerJourney: number | undefined;
  clientCpuMsPerJourney: number;
  /** a few journeys driven one at a time after the batch, on the same worker: no queueing */
  lightLoad: { journeys: number; latency: LatencySummary };
  /** from a sample of the batch's histories: per journey, means */
  history: {
    sampled: number;
    eventsPerJourney: number;
    workflowTasksPerJourney: number;
    actionsPerJourney: Record<string, number>;
    workflowTaskFailuresOrTimeouts: number;
  };
}

export interface SideSummary {
  side: Side;
  rounds: number;
  journeys: number;
  journeysPerSecond: number;
  updatesPerSecond: number;
  latency: LatencySummary;
  eventLatency: LatencySummary;
  /** Updates of journeys driven one at a time (no queueing) */
  lightLoadLatency: LatencySummary;
  rssPerJourneyKB: number;
  cpuMsPerJourney: number;
  serverCpuMsPerJourney: number | undefined;
  clientCpuMsPerJourney: number;
  historyEventsPerJourney: number;
  actionsPerJourney: number;
}

export interface EndToEndResult {
  journeysPerRound: number;
  updatesPerJourney: number;
  concurrency: number;
  warmup: number;
  order: string[];
  tuning: WorkerProcessSpec['tuning'];
  runs: SideRound[];
  ours: SideSummary;
  floor: SideSummary;
  ratios: {
    throughputOursOverFloor: number;
    p99OursOverFloor: number;
    p50OursOverFloor: number;
    p95OursOverFloor: number;
    /** p99 of the Updates after the first (the Update-with-Start burst left out) */
    eventP99OursOverFloor: number;
    lightLoadP50OursOverFloor: number;
    lightLoadP99OursOverFloor: number;
    rssPerJourneyAboveFloorKB: number;
  };
}

// ---- The worker process --------------------------------------------------------------------

class WorkerChild {
  private readonly waiting: ((message: FromWorker) => void)[] = [];
  private exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromWorker) => {
      if (message.type === 'failed') console.error(`[bench worker] ${message.message}`);
      this.waiting.shift()?.(message);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(spec: WorkerProcessSpec): Promise<{ worker: WorkerChild; ready: WorkerSample }> {
    const child = fork(path.join(__dirname, 'workerProcess.ts'), [JSON.stringify(spec)], {
      cwd: path.resolve(__dirname, '..'),
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        // BENCH_WORKER_CPU_PROFILE=<dir>: V8 CPU profiles of the worker processes (every thread), for diagnosis
        ...(process.env.BENCH_WORKER_CPU_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROFILE}`]
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new WorkerChild(child);
    const ready = await worker.next('ready');
    return { worker, ready: (ready as Extract<FromWorker, { type: 'ready' }>).sample };
  }

  private next(type: FromWorker['type']): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`the bench worker exited while waiting for '${type}'`));
      this.child.once('exit', onExit);
      this.waiting.push((message) => {
        this.child.off('exit', onExit);
        if (message.type === 'failed') reject(new Error(`bench worker failed: ${message.message}`));
        else if (message.type !== type)
          reject(new Error(`bench worker said '${message.type}', not '${type}'`));
        else resolve(message);
      });
    });
  }

  async measure(): Promise<WorkerSample> {
    const answer = this.next('memory');
    this.child.send({ type: 'measure' } satisfies ToWorker);
    return ((await answer) as Extract<FromWorker, { type: 'memory' }>).sample;
  }

  async stop(): Promise<void> {
    const stopped = this.next('stopped').catch(() => undefined);
    this.child.send({ type: 'stop' } satisfies ToWorker);
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

// ---- Driving journeys -----------------------------------------------------------------------

interface Driven {
  latencies: number[];
  withStart: number[];
  events: number[];
  refusedRaces: number;
  /** the event after the RAS result sent again because the journey's RAS answer had not landed */
  rasWaits: number;
}

const config = loadConfig();

/** All the journeys' events, one list each; the floor gets the very same lists. */
function eventLists(count: number): JourneyEvent[][] {
  const now = Date.now();
  return Array.from({ length: count }, () => journeyToFirstReview(now));
}

async function timedCall<T>(latencies: number[], call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await call();
  } finally {
    latencies.push(performance.now() - t0);
  }
}

function isRefusal(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === refusalFailureTypes.refused
  );
}

async function driveOne(
  side: Side,
  client: Client,
  taskQueue: string,
  personId: string,
  events: JourneyEvent[],
  driven: Driven,
): Promise<void> {
  const workflowId = side === 'ours' ? journeyWorkflowId(personId) : `floor-${personId}`;
  const input = newJourneyInput(personId, 'person', config);
  const [first, ...rest] = events as [JourneyEvent, ...JourneyEvent[]];
  const start = new WithStartWorkflowOperation(side === 'ours' ? 'journeyWorkflow' : 'floorWorkflow', {
    workflowId,
    taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [input],
  });
  const update = (side === 'ours' ? applyEventUpdate : floorEventUpdate) as UpdateDefinition<
    unknown,
    [unknown]
  >;
  const firstLatency: number[] = [];
  await timedCall(firstLatency, () =>
    client.workflow.executeUpdateWithStart(update, { args: [first], startWorkflowOperation: start }),
  );
  driven.withStart.push(...firstLatency);
  driven.latencies.push(...firstLatency);
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  let afterRas = false;
  for (const event of rest) {
    const took: number[] = [];
    const waitingForRas = afterRas;
    afterRas = side === 'ours' && isRasResult(event);
    try {
      await timedCall(took, async () => {
        // The event after the RAS result needs the journey's own RAS answer, which its activity
        // brings; on a slow worker it can come after the driver's next event, which is then refused
        // for the stage. Sent again until it lands (the round trip includes the wait), and counted.
        for (let attempt = 0; ; attempt++) {
          try {
            return await handle.executeUpdate(update, { args: [event] });
          } catch (err) {
            if (!(waitingForRas && isRefusal(err) && attempt < 200)) throw err;
            driven.rasWaits++;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }
      });
    } catch (err) {
      // The end-to-end driver sends the RAS result as pathToActivation has it (isRasResult), unlike
      // the tests: the workflow's own RAS activity may get there first, and then the journey refuses
      // the driver's copy in the Update validator. Either way it is one Update round trip; the
      // refusal is counted and reported.
      if (!(side === 'ours' && isRasResult(event) && isRefusal(err))) throw err;
      driven.refusedRaces++;
    } finally {
      driven.events.push(...took);
      driven.latencies.push(...took);
    }
  }
}

async function drive(
  side: Side,
  client: Client,
  taskQueue: string,
  tag: string,
  lists: JourneyEvent[][],
  concurrency: number,
): Promise<Driven & { elapsedMs: number; personIds: string[] }> {
  const driven: Driven = { latencies: [], withStart: [], events: [], refusedRaces: 0, rasWaits: 0 };
  const personIds = lists.map((_, i) => `bench-${tag}-${i}`);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, lists.length) }, async () => {
      for (let i = next++; i < lists.length; i = next++) {
        await driveOne(side, client, taskQueue, personIds[i] as string, lists[i] as JourneyEvent[], driven);
      }
    }),
  );
  return { ...driven, elapsedMs: performance.now() - t0, personIds };
}

/** Bounded parallel map (for checks and clean-up, untimed). */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i] as T);
    }),
  );
}

/** Every journey reached live support with its first review recorded; every floor got every Update. */
async function check(side: Side, client: Client, personIds: string[], updatesEach: number): Promise<void> {
  const problems: string[] = [];
  await eachLimited(personIds, 20, async (personId) => {
    if (side === 'ours') {
      const view = await client.workflow.getHandle(journeyWorkflowId(personId)).query(describeQuery);
      const met = view.deadlines.some((d) => d.kind === 'firstReview' && d.status === 'met');
      if (view.stage !== 'liveSupport' || !met) problems.push(`${personId}: ${view.stage}`);
    } else {
      const count = await client.workflow.getHandle(`floor-${personId}`).query(floorCountQuery);
      if (count !== updatesEach) problems.push(`${personId}: ${count} updates`);
    }
  });
  if (problems.length) throw new Error(`${side}: ${problems.length} journeys wrong, e.g. ${problems[0]}`);
}

/** Events, workflow tasks and billable actions per journey, from a sample of the batch's histories. */
async function sampleHistories(
  side: Side,
  client: Client,
  personIds: string[],
  sample: number,
): Promise<SideRound['history']> {
  const chosen = personIds.slice(0, sample);
  const totals: ActionCounts[] = [];
  let failures = 0;
  await eachLimited(chosen, 10, async (personId) => {
    const workflowId = side === 'ours' ? journeyWorkflowId(personId) : `floor-${personId}`;
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    totals.push(countHistory(history));
    failures += (history.events ?? []).filter(
      (e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes,
    ).length;
  });
  const mean = (f: (c: ActionCounts) => number) =>
    round3(totals.reduce((a, c) => a + f(c), 0) / Math.max(1, totals.length));
  const actionsPerJourney: Record<string, number> = { total: mean((c) => c.total) };
  for (const kind of actionKinds) actionsPerJourney[kind] = mean((c) => c[kind]);
  return {
    sampled: totals.length,
    eventsPerJourney: mean((c) => c.historyEvents),
    workflowTasksPerJourney: mean((c) => c.workflowTasks),
    actionsPerJourney,
    workflowTaskFailuresOrTimeouts: failures,
  };
}

async function finishFloors(client: Client, personIds: string[]): Promise<void> {
  await eachLimited(personIds, 50, async (personId) => {
    await client.workflow.getHandle(`floor-${personId}`).executeUpdate(floorDoneUpdate);
  });
}

async function runSide(
  options: EndToEndOptions,
  side: Side,
  round: number,
  tuning: WorkerProcessSpec['tuning'],
): Promise<RunWithSamples> {
  const { client, journeys } = options;
  const tag = `${side}-r${round}-${Date.now().toString(36)}`;
  const taskQueue = `bench-${tag}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-journeys-bench-'));
  const { worker } = await WorkerChild.start({
    kind: side,
    address: options.address,
    namespace: options.namespace,
    taskQueue,
    bundlePath: options.bundles[side],
    dataDir,
    tuning,
  });
  try {
    if (options.warmup > 0) {
      const warm = await drive(
        side,
        client,
        taskQueue,
        `${tag}-warm`,
        eventLists(options.warmup),
        options.warmup,
      );
      if (side === 'floor') await finishFloors(client, warm.personIds);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const baseline = await worker.measure();
    const lists = eventLists(journeys);
    const serverBefore = processCpuMs(options.serverPid);
    const clientBefore = ownCpuMs();
    const driven = await drive(side, client, taskQueue, tag, lists, options.concurrency);
    const clientAfter = ownCpuMs();
    // Let the journeys' side effects (activities) finish before measuring the worker.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const serverAfter = processCpuMs(options.serverPid);
    const after = await worker.measure();
    await check(side, client, driven.personIds, lists[0]?.length ?? 0);
    const history = await sampleHistories(side, client, driven.personIds, options.historySample ?? 20);
    const light = await drive(side, client, taskQueue, `${tag}-light`, eventLists(options.lightJourneys), 1);
    if (side === 'floor') await finishFloors(client, light.personIds);
    if (side === 'floor') await finishFloors(client, driven.personIds);
    const updates = driven.latencies.length;
    const result: SideRound = {
      side,
      round,
      journeys,
      updates,
      elapsedMs: round3(driven.elapsedMs),
      journeysPerSecond: round3((journeys * 1000) / driven.elapsedMs),
      updatesPerSecond: round3((updates * 1000) / driven.elapsedMs),
      latency: summarise(driven.latencies),
      withStartLatency: summarise(driven.withStart),
      eventLatency: summarise(driven.events),
      refusedRaces: driven.refusedRaces,
      worker: {
        baselineRssMB: round3(baseline.rss / MB),
        afterRssMB: round3(after.rss / MB),
        rssPerJourneyKB: round3((after.rss - baseline.rss) / 1024 / journeys),
        cpuMsPerJourney: round3((after.cpuMs - baseline.cpuMs) / journeys),
      },
      serverCpuMsPerJourney:
        serverBefore !== undefined && serverAfter !== undefined
          ? round3((serverAfter - serverBefore) / journeys)
          : undefined,
      clientCpuMsPerJourney: round3((clientAfter - clientBefore) / journeys),
      lightLoad: { journeys: options.lightJourneys, latency: summarise(light.latencies) },
      history,
    };
    options.log(
      `  ${side} round ${round}: ${result.journeysPerSecond} journeys/s, ${result.updatesPerSecond} updates/s, ` +
        `p50 ${result.latency.p50Ms} ms, p99 ${result.latency.p99Ms} ms, ` +
        `RSS +${result.worker.rssPerJourneyKB} KB/journey, CPU ms/journey worker ${result.worker.cpuMsPerJourney} ` +
        `server ${result.serverCpuMsPerJourney ?? 'n/a'} client ${result.clientCpuMsPerJourney}, ` +
        `${history.eventsPerJourney} history events and ${history.actionsPerJourney.total} actions per journey` +
        (side === 'ours'
          ? `, RAS raced the driver ${result.refusedRaces}×, waited for the RAS ${driven.rasWaits}×`
          : ''),
    );
    return Object.assign(result, {
      _latencies: driven.latencies,
      _events: driven.events,
      _light: light.latencies,
    });
  } finally {
    await worker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round3 = (n: number) => round(n, 3);

type RunWithSamples = SideRound & { _latencies?: number[]; _events?: number[]; _light?: number[] };

function summariseSide(side: Side, runs: RunWithSamples[]): SideSummary {
  const mine = runs.filter((r) => r.side === side);
  const all = mine.flatMap((r) => r._latencies ?? []);
  const events = mine.flatMap((r) => r._events ?? []);
  const totalJourneys = mine.reduce((a, r) => a + r.journeys, 0);
  const totalMs = mine.reduce((a, r) => a + r.elapsedMs, 0);
  const totalUpdates = mine.reduce((a, r) => a + r.updates, 0);
  const mean = (f: (r: SideRound) => number) => round3(mine.reduce((a, r) => a + f(r), 0) / mine.length);
  return {
    side,
    rounds: mine.length,
    journeys: totalJourneys,
    journeysPerSecond: round3((totalJourneys * 1000) / totalMs),
    updatesPerSecond: round3((totalUpdates * 1000) / totalMs),
    latency: summarise(all),
    eventLatency: summarise(events),
    lightLoadLatency: summarise(mine.flatMap((r) => r._light ?? [])),
    rssPerJourneyKB: mean((r) => r.worker.rssPerJourneyKB),
    cpuMsPerJourney: mean((r) => r.worker.cpuMsPerJourney),
    serverCpuMsPerJourney: mine.every((r) => r.serverCpuMsPerJourney !== undefined)
      ? mean((r) => r.serverCpuMsPerJourney as number)
      : undefined,
    clientCpuMsPerJourney: mean((r) => r.clientCpuMsPerJourney),
    historyEventsPerJourney: mean((r) => r.history.eventsPerJourney),
    actionsPerJourney: mean((r) => r.history.actionsPerJourney.total ?? 0),
  };
}

export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndResult> {
  const tuning: WorkerProcessSpec['tuning'] = {
    // every measured journey stays cached, so memory per cached journey can be read off
    maxCachedWorkflows: options.journeys + options.warmup + 50,
    maxConcurrentWorkflowTaskExecutions: 40,
    maxConcurrentActivityTaskExecutions: 100,
  };
  const order: Side[] = [];
  for (let r = 0; r < options.rounds; r++)
    order.push(...((r % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours']) as Side[]));
  const runs: RunWithSamples[] = [];
  const roundOf: Record<Side, number> = { ours: 0, floor: 0 };
  for (const side of order) runs.push(await runSide(options, side, ++roundOf[side], tuning));
  const ours = summariseSide('ours', runs);
  const floor = summariseSide('floor', runs);
  return {
    journeysPerRound: options.journeys,
    updatesPerJourney: runs[0] ? runs[0].updates / runs[0].journeys : 0,
    concurrency: options.concurrency,
    warmup: options.warmup,
    order,
    tuning,
    runs: runs.map(({ _latencies: _l, _events: _e, _light: _g, ...rest }) => rest),
    ours,
    floor,
    ratios: {
      throughputOursOverFloor: round3(ours.journeysPerSecond / floor.journeysPerSecond),
      p50OursOverFloor: round3(ours.latency.p50Ms / floor.latency.p50Ms),
      p95OursOverFloor: round3(ours.latency.p95Ms / floor.latency.p95Ms),
      p99OursOverFloor: round3(ours.latency.p99Ms / floor.latency.p99Ms),
      eventP99OursOverFloor: round3(ours.eventLatency.p99Ms / floor.eventLatency.p99Ms),
      lightLoadP50OursOverFloor: round3(ours.lightLoadLatency.p50Ms / floor.lightLoadLatency.p50Ms),
      lightLoadP99OursOverFloor: round3(ours.lightLoadLatency.p99Ms / floor.lightLoadLatency.p99Ms),
      rssPerJourneyAboveFloorKB: round3(ours.rssPerJourneyKB - floor.rssPerJourneyKB),
    },
  };
}
