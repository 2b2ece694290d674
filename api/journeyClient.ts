import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { EventOf, JourneyEvent } from '../machines/events';
import type { CareConfig } from '../temporal.config';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  newJourneyInput,
  timelineQuery,
  type ApplyEventResult,
  journeyWorkflowType,
} from '../workflows/definitions';
import { TechnicalIssue } from '../workflows/searchAttributes';
import { ApiError, EventConflictError, fromTemporalConnectionError, fromTemporalError } from './errors';
import type { Health, JourneyDetail, TechnicalHealth } from './schemas';
import { journeyRow, stuckReasons, TemporalReportedProblems, type SortableRow } from './visibility';

/**
 * Every Temporal call the API makes, in the domain's words. Routes never touch the Temporal
 * client directly, so the mapping from Temporal's errors to HTTP answers lives in one place.
 */

/** The machine's stage before a referral has been received (a journey's first event). */
const beforeReferral = 'awaitingReferral';

/** How long a caller waits for the journey to accept or refuse an event before a 503. */
const updateTimeoutMs = 30_000;
/** How long the journey's queries may take; a workflow whose task keeps failing cannot answer. */
const queryTimeoutMs = 5_000;
const healthTimeoutMs = 3_000;

/** Temporal's PendingActivityState, in words (enum values from temporal.api.enums.v1). */
const activityStates: Record<number, string> = {
  1: 'scheduled',
  2: 'started',
  3: 'cancelRequested',
  4: 'paused',
  5: 'pauseRequested',
};

const isoOf = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export type ReferralResult = ApplyEventResult & { journeyOpened: boolean };

export class JourneyClient {
  constructor(
    private readonly client: Client,
    private readonly config: CareConfig,
  ) {}

  private handle(personId: string) {
    return this.client.workflow.getHandle(journeyWorkflowId(personId));
  }

  private async temporal<T>(personId: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
    try {
      return await this.client.withDeadline(Date.now() + timeoutMs, call);
    } catch (err) {
      throw fromTemporalError(err, personId) ?? err;
    }
  }

  /**
   * R-TIM-3: an event whose occurredAt the API filled in ("now") is, when resent, the same event
   * at a later "now". If the journey says the two differ only in occurredAt, it is a resend: it is
   * sent again with the first one's occurredAt, which the journey answers as a duplicate.
   */
  private async resendable<T>(
    event: JourneyEvent,
    occurredAtDefaulted: boolean,
    send: (event: JourneyEvent) => Promise<T>,
  ): Promise<T> {
    try {
      return await send(event);
    } catch (err) {
      const earlier = err instanceof EventConflictError && err.details.conflict?.earlier;
      if (!occurredAtDefaulted || !earlier || !(err as EventConflictError).onlyOccurredAtDiffers) throw err;
      return send({ ...event, occurredAt: earlier.occurredAt });
    }
  }

  /**
   * R-REF-4: one workflow per person. Update-with-Start opens the journey if none is open and
   * delivers the referral as its first event; if one is open, the referral is recorded on it.
   */
  async refer(
    event: EventOf<'REFERRAL_RECEIVED'>,
    personId: string,
    options: { occurredAtDefaulted?: boolean } = {},
  ): Promise<ReferralResult> {
    const startOperation = () =>
      new WithStartWorkflowOperation(journeyWorkflowType, {
        workflowId: journeyWorkflowId(personId),
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [newJourneyInput(personId, event.subject, this.config)],
      });
    const startWorkflowOperation = startOperation();
    const result = await this.resendable(event, options.occurredAtDefaulted ?? false, (sent) =>
      this.temporal(personId, updateTimeoutMs, () =>
        this.client.workflow.executeUpdateWithStart(applyEventUpdate, {
          args: [sent],
          // A start operation is used once; a resend needs its own.
          startWorkflowOperation: sent === event ? startWorkflowOperation : startOperation(),
        }),
      ),
    );
    if (result.status === 'duplicate') return { ...result, journeyOpened: false };
    // The timeline says whether this referral was the journey's first event.
    const { timeline } = await this.temporal(personId, queryTimeoutMs, () =>
      this.handle(personId).query(timelineQuery),
    );
    const entry = timeline.find((e) => e.eventId === event.eventId);
    return { ...result, journeyOpened: entry?.from === beforeReferral };
  }

  /** Delivers an event through the journey's Update; a refused event never enters history. */
  async apply(
    personId: string,
    event: JourneyEvent,
    options: { occurredAtDefaulted?: boolean } = {},
  ): Promise<ApplyEventResult> {
    return this.resendable(event, options.occurredAtDefaulted ?? false, (sent) =>
      this.temporal(personId, updateTimeoutMs, () =>
        this.handle(personId).executeUpdate(applyEventUpdate, { args: [sent] }),
      ),
    );
  }

  /**
   * Everything about one journey: what the journey says (its view and timeline), and what
   * Temporal says about its technical health. If the journey cannot answer its queries (e.g. its
   * workflow task keeps failing), the Temporal part is still shown, with the reason.
   */
  async detail(personId: string, asOf: Date): Promise<JourneyDetail> {
    const handle = this.handle(personId);
    // Ask the journey first and Temporal second: a journey that cannot answer makes the queries
    // wait out their deadline, and the health shown should be as of after that wait.
    const [view, timeline] = await Promise.allSettled([
      this.temporal(personId, queryTimeoutMs, () => handle.query(describeQuery)),
      this.temporal(personId, queryTimeoutMs, () => handle.query(timelineQuery)),
    ]);
    const description = await this.temporal(personId, queryTimeoutMs, () =>
      handle.describe().catch((err) => {
        // Closed journeys are shown too, so "open" would be wrong here.
        throw err instanceof WorkflowNotFoundError
          ? new ApiError(404, `no journey for person ${personId}`)
          : err;
      }),
    );
    const failure = [view, timeline].find((r) => r.status === 'rejected');
    const raw = description.raw;
    const pendingActivities = (raw.pendingActivities ?? []).map((a) => ({
      activityType: a.activityType?.name ?? 'unknown',
      state: activityStates[a.state ?? 0] ?? 'unknown',
      attempt: a.attempt ?? 1,
      maximumAttempts: a.maximumAttempts ?? 0,
      ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
      ...(a.nextAttemptScheduleTime
        ? { nextAttemptAt: isoOf(optionalTsToMs(a.nextAttemptScheduleTime)) }
        : {}),
    }));
    const workflowTaskAttempt = raw.pendingWorkflowTask?.attempt ?? undefined;
    const reportedProblems = description.typedSearchAttributes.get(TemporalReportedProblems) ?? [];
    const technicalIssue = description.typedSearchAttributes.get(TechnicalIssue);
    const health: TechnicalHealth = {
      status: description.status.name,
      runId: description.runId,
      startedAt: description.startTime.toISOString(),
      ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
      historyLength: description.historyLength,
      pendingActivities,
      ...(workflowTaskAttempt ? { workflowTaskAttempt } : {}),
      reportedProblems,
      ...(technicalIssue ? { technicalIssue } : {}),
      healthy:
        ['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW'].includes(description.status.name) &&
        !failure &&
        pendingActivities.every((a) => a.attempt <= 1) &&
        (workflowTaskAttempt ?? 1) <= 1 &&
        reportedProblems.length === 0 &&
        !technicalIssue,
    };
    return {
      personId,
      view: view.status === 'fulfilled' ? view.value : null,
      ...(failure
        ? { viewUnavailable: `the journey did not answer: ${(failure.reason as Error).message}` }
        : {}),
      timeline: timeline.status === 'fulfilled' ? timeline.value.timeline : [],
      refused: timeline.status === 'fulfilled' ? timeline.value.refused : [],
      health,
      stuck:
        description.status.name === 'RUNNING' ? stuckReasons(description.typedSearchAttributes, asOf) : [],
    };
  }

  /**
   * Every journey matching a visibility query, as rows. The SQL visibility store cannot ORDER BY,
   * so the caller sorts; rows are small, so tens of thousands fit comfortably in memory.
   */
  async list(query: string, asOf: Date): Promise<SortableRow[]> {
    const rows: SortableRow[] = [];
    try {
      for await (const execution of this.client.workflow.list({ query, pageSize: 1000 })) {
        rows.push(journeyRow(execution, asOf));
      }
    } catch (err) {
      throw fromTemporalConnectionError(err) ?? err;
    }
    return rows;
  }

  /** Temporal reachable, and a worker polling the journeys' task queue (both kinds of task). */
  async health(): Promise<Health> {
    const { namespace, taskQueue } = this.config.temporal;
    const within = <T>(call: () => Promise<T>) =>
      this.client.withDeadline(Date.now() + healthTimeoutMs, call);
    const temporal: Health['temporal'] = await within(() =>
      this.client.workflowService.getSystemInfo({}),
    ).then(
      () => ({ reachable: true }),
      (err: Error) => ({ reachable: false, error: err.message }),
    );
    let worker: Health['worker'] = { taskQueue, polling: false, workflowPollers: 0, activityPollers: 0 };
    if (temporal.reachable) {
      try {
        // taskQueueType 1 = workflow tasks, 2 = activity tasks; pollers seen in the last few minutes.
        const [workflows, activities] = await Promise.all(
          [1, 2].map((taskQueueType) =>
            within(() =>
              this.client.workflowService.describeTaskQueue({
                namespace,
                taskQueue: { name: taskQueue, kind: 1 },
                taskQueueType,
              }),
            ),
          ),
        );
        const workflowPollers = workflows?.pollers?.length ?? 0;
        const activityPollers = activities?.pollers?.length ?? 0;
        worker = {
          taskQueue,
          polling: workflowPollers > 0 && activityPollers > 0,
          workflowPollers,
          activityPollers,
        };
        if (!worker.polling) worker.error = `no worker is polling task queue ${taskQueue}`;
      } catch (err) {
        worker = { ...worker, error: (err as Error).message };
      }
    } else {
      worker.error = 'unknown: Temporal is not reachable';
    }
    return { ok: temporal.reachable && worker.polling, temporal, worker };
  }
}
