import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { JourneyEvent } from '../machines/events';
import { loadConfig } from '../temporal.config';
import { createTimeSkippingEnv } from '../test/support/temporal';
import { hasIndicativeBudget, isRasResult, pathToActivation } from '../test/support/journeyEvents';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  newJourneyInput,
} from '../workflows/definitions';
import { careDataConverter } from '../runtime/dataConverter';
import { createJourneyWorker } from '../worker/createWorker';
import {
  actionKinds,
  countEvent,
  emptyCounts,
  eventTimeMs,
  eventTypeCounts,
  type ActionCounts,
} from './actions';
import { COMPLETE_BEFORE_DUE_MS, completionOf, DAY_MS, nextReviewCycleDeadline } from './scenario';
import { round } from './stats';

/**
 * Part 3: the long horizon on the time-skipping test server. One journey from referral through
 * 10 years of reviews and monitoring checks, each met two days before it is due (after its
 * reminder). Then every run's history is fetched (following continue-as-new): events per run,
 * billable actions per journey-year, and the replay time of the longest run.
 *
 * On the Java test server, waiting for an Update does not skip time: the driver moves the clock
 * itself (env.sleep) to each moment something is to happen, then sends the event.
 */

export const YEAR_MS = 365.25 * DAY_MS;

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

export interface RunInfo {
  runId: string;
  historyEvents: number;
  startedAt: string;
  closedBy: string;
  eventTypes: Record<string, number>;
}

export interface LongHorizonResult {
  years: number;
  eventsSent: number;
  queriesByDriver: number;
  runs: RunInfo[];
  longestRunEvents: number;
  allRunsUnder4096: boolean;
  /** billable actions in each journey-year (year 1 = referral to its first anniversary) */
  actionsByYear: ActionCounts[];
  steadyState: {
    years: string;
    actionsPerYear: number;
    byKind: Record<string, number>;
  };
  firstYearActions: number;
  replay: { runId: string; historyEvents: number; firstMs: number; bestMs: number; attempts: number };
  activityTimeoutsOrRetries: number;
  /** activities a run scheduled and then continued-as-new without waiting for (each runs again in the next run) */
  orphanedActivities: number;
  /** test-server time-skipping locks released by hand because of those (see OrphanedActivityLocks) */
  testServerLocksReleased: number;
  wallSeconds: number;
}

async function fetchRuns(
  client: Client,
  workflowId: string,
  firstRunId: string,
): Promise<{ runId: string; history: History }[]> {
  const histories: { runId: string; history: History }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push({ runId, history });
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

function closedBy(history: History): string {
  const last = history.events?.at(-1);
  if (last?.workflowExecutionContinuedAsNewEventAttributes) return 'continuedAsNew';
  if (last?.workflowExecutionCompletedEventAttributes) return 'completed';
  return 'open';
}

/**
 * A workaround for the Java test server, not for the journey: when a run continues-as-new while
 * one of its activities is still scheduled (the journey does this, see README.md), the test server
 * never releases the time-skipping lock it took for that activity (sdk-java issue #1138), and
 * env.sleep then waits in real time. Each such orphaned activity's lock is released once, by hand.
 */
class OrphanedActivityLocks {
  released = 0;
  private lastRunId: string;
  private readonly done = new Set<string>();

  constructor(
    private readonly env: TestWorkflowEnvironment,
    private readonly workflowId: string,
    private readonly firstRunId: string,
  ) {
    this.lastRunId = firstRunId;
  }

  async release(): Promise<void> {
    const latest = (await this.env.client.workflow.getHandle(this.workflowId).describe()).runId;
    if (latest === this.lastRunId) return;
    let runId: string | undefined = this.firstRunId;
    while (runId && runId !== latest) {
      const history: History = await this.env.client.workflow
        .getHandle(this.workflowId, runId)
        .fetchHistory();
      const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (!this.done.has(runId) && next) {
        for (let i = 0; i < orphanedActivities(history); i++) {
          await this.env.connection.testService?.unlockTimeSkipping({});
          this.released++;
        }
        this.done.add(runId);
      }
      runId = next ?? undefined;
    }
    this.lastRunId = latest;
  }
}

/** Activities a closed run scheduled and never saw finish. */
export function orphanedActivities(history: History): number {
  const open = new Set<string>();
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes) open.add(String(event.eventId));
    const closed =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closed) open.delete(String(closed.scheduledEventId));
  }
  return open.size;
}

export async function runLongHorizon(options: {
  bundlePath: string;
  years?: number;
  log: (line: string) => void;
  /** every run's history and the journey's first instant, for the cost model (costModel.ts) */
  onHistories?: (histories: History[], t0: number) => void;
}): Promise<LongHorizonResult> {
  const years = options.years ?? 10;
  const wall0 = performance.now();
  const env: TestWorkflowEnvironment = await createTimeSkippingEnv();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-journeys-bench-long-'));
  try {
    const config = loadConfig({
      ...process.env,
      TEMPORAL_TASK_QUEUE: `bench-long-${Date.now().toString(36)}`,
      CARE_DATA_DIR: dataDir,
    });
    const worker = await createJourneyWorker({
      connection: env.nativeConnection,
      config,
      workflowBundle: { codePath: options.bundlePath },
    });
    const personId = 'bench-long-horizon';
    const workflowId = journeyWorkflowId(personId);
    let eventsSent = 0;
    let queries = 0;
    let firstRunId = '';
    let t0 = 0;
    let orphans: OrphanedActivityLocks | undefined = undefined as OrphanedActivityLocks | undefined;

    await worker.runUntil(async () => {
      t0 = await env.currentTimeMs();
      const handle = await env.client.workflow.start('journeyWorkflow', {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [newJourneyInput(personId, 'person', config)],
      });
      firstRunId = handle.firstExecutionRunId;
      orphans = new OrphanedActivityLocks(env, workflowId, firstRunId);
      const view = async () => {
        queries++;
        return env.client.workflow.getHandle(workflowId).query(describeQuery);
      };
      const verbose = !!process.env.BENCH_VERBOSE;
      const advanceTo = async (ms: number) => {
        const now = await env.currentTimeMs();
        if (verbose) options.log(`    sleep ${new Date(now).toISOString()} → ${new Date(ms).toISOString()}`);
        if (ms <= now) return;
        let done = false;
        const sleeping = env.sleep(ms - now).finally(() => (done = true));
        // While the clock moves, release any time-skipping lock a continued-as-new run left behind.
        while (!done) {
          await Promise.race([sleeping, new Promise((resolve) => setTimeout(resolve, 500))]);
          if (!done) await orphans?.release();
        }
        await sleeping;
      };
      const send = async (event: JourneyEvent) => {
        if (verbose) options.log(`    ${event.occurredAt} ${event.type}`);
        await env.client.workflow.getHandle(workflowId).executeUpdate(applyEventUpdate, { args: [event] });
        eventsSent++;
      };

      // Referral to activation, one day apart (the RAS activity calculates the indicative budget).
      for (const event of pathToActivation(new Date(t0).toISOString())) {
        await advanceTo(Date.parse(event.occurredAt));
        if (isRasResult(event)) {
          const until = Date.now() + 30_000;
          while (!hasIndicativeBudget(await view())) {
            if (Date.now() > until) throw new Error('the RAS activity did not calculate the budget');
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          continue;
        }
        await send(event);
      }
      options.log(`  activated; now meeting every review and check for ${years} years`);

      // Every review-cycle obligation met two days before it is due, for `years` years.
      const end = t0 + years * YEAR_MS;
      let reported = 1;
      for (;;) {
        const due = nextReviewCycleDeadline((await view()).deadlines);
        if (!due) throw new Error('no review or check is open; the journey should always have one');
        const at = Date.parse(due.dueAt) - COMPLETE_BEFORE_DUE_MS;
        if (at > end) break;
        await advanceTo(at);
        await send(completionOf(due.kind, new Date(await env.currentTimeMs()).toISOString()));
        const year = Math.floor((at - t0) / YEAR_MS) + 1;
        if (year > reported) {
          reported = year;
          options.log(`  year ${year}: ${due.kind} met`);
        }
      }
      await advanceTo(end);
      // A query makes sure the worker has caught up with everything the clock released.
      await view();
    });

    // ---- Histories ------------------------------------------------------------------------
    const fetched = await fetchRuns(env.client, workflowId, firstRunId);
    const histories = fetched.map((f) => f.history);
    options.onHistories?.(histories, t0);
    const byYear: ActionCounts[] = Array.from({ length: years }, () => emptyCounts());
    let retries = 0;
    for (const history of histories) {
      for (const event of history.events ?? []) {
        const year = Math.floor((eventTimeMs(event) - t0) / YEAR_MS);
        const bucket = byYear[Math.min(Math.max(year, 0), years - 1)] as ActionCounts;
        countEvent(bucket, event);
        if (event.activityTaskTimedOutEventAttributes) retries++;
        const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
        if (attempt > 1) retries += attempt - 1;
      }
    }
    const runs: RunInfo[] = fetched.map(({ runId, history: h }) => ({
      runId,
      historyEvents: h.events?.length ?? 0,
      startedAt: new Date(eventTimeMs(h.events?.[0] ?? {})).toISOString(),
      closedBy: closedBy(h),
      eventTypes: eventTypeCounts(h),
    }));
    const steady = byYear.slice(1);
    const byKind: Record<string, number> = {};
    for (const kind of [...actionKinds, 'continueAsNew', 'historyEvents', 'workflowTasks'] as const) {
      byKind[kind] = round(steady.reduce((a, c) => a + c[kind], 0) / steady.length, 2);
    }

    // ---- Replay of the longest run ----------------------------------------------------------
    const longestIndex = runs.reduce(
      (best, r, i) => (r.historyEvents > (runs[best]?.historyEvents ?? 0) ? i : best),
      0,
    );
    const longest = histories[longestIndex] as History;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await Worker.runReplayHistory(
        // its payloads are encrypted (issue 14): replayed through the same codec
        { workflowBundle: { codePath: options.bundlePath }, dataConverter: careDataConverter(config) },
        longest,
        workflowId,
      );
      times.push(performance.now() - t);
    }

    return {
      years,
      eventsSent,
      queriesByDriver: queries,
      runs,
      longestRunEvents: Math.max(...runs.map((r) => r.historyEvents)),
      allRunsUnder4096: runs.every((r) => r.historyEvents < 4096),
      actionsByYear: byYear,
      steadyState: {
        years: `2..${years}`,
        actionsPerYear: round(steady.reduce((a, c) => a + c.total, 0) / steady.length, 2),
        byKind,
      },
      firstYearActions: byYear[0]?.total ?? 0,
      replay: {
        runId: runs[longestIndex]?.runId ?? '',
        historyEvents: runs[longestIndex]?.historyEvents ?? 0,
        firstMs: round(times[0] ?? Number.NaN, 1),
        bestMs: round(Math.min(...times), 1),
        attempts: times.length,
      },
      activityTimeoutsOrRetries: retries,
      orphanedActivities: histories.reduce(
        (a, h) => a + (closedBy(h) === 'continuedAsNew' ? orphanedActivities(h) : 0),
        0,
      ),
      testServerLocksReleased: orphans?.released ?? 0,
      wallSeconds: round((performance.now() - wall0) / 1000, 1),
    };
  } finally {
    await env.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
