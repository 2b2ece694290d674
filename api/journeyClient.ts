import type { Payload, ProtoFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  type Client,
  type Connection,
} from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { EventOf, JourneyEvent } from '../machines/events';
import type { CareConfig } from '../temporal.config';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  newJourneyInput,
  timelineQuery,
  isOutlineResult,
  type ApplyEventResult,
  type OutlineResult,
  journeyWorkflowType,
} from '../workflows/definitions';
import { conflictVerdict, JourneyRun } from '../workflows/journeyRun';
import { fingerprintOf } from '../workflows/eventDigest';
import { journeyNumberOf, journeyOfDeadlineId, journeyRecordId } from '../workflows/journeyNumber';
import type { Deadline, RefusedEntry, TimelineEntry } from '../machines/types';
import { JourneyStage, TechnicalIssue } from '../workflows/searchAttributes';
import {
  ApiError,
  EventConflictError,
  fromTemporalConnectionError,
  fromTemporalError,
  invalidRequest,
  noJourneyMessage,
  refusedByJourney,
  retryAfterSeconds,
  unavailable,
} from './errors';
import { problemFromText } from './problems';
import type { Health, JourneyDetail, TechnicalHealth } from './schemas';
import type { JourneyOutline } from '../machines/types';
import { TemporalGate, type TemporalGateOptions } from './temporalGate';
import type { CaseEventStore } from '../store/caseEventStore';
import { detailFromStore } from './caseStore';
import { journeyRow, stuckReasons, TemporalReportedProblems, type SortableRow } from './visibility';
import { listQueryRefusal, queryForServer } from './serverGaps';
import { serverFeatures, type ServerFeatures } from '../runtime/serverVersion';
import { closedJourneyOf, nextJourney, refusalAfterDeath, type JourneyOpening } from './laterJourney';

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
const healthTimeoutMs = 1_500;
/** How long a referral waits for a closed journey's run to finish its side effects (R-REF-4). */
const closingWaitMs = 10_000;
/**
 * A poller Temporal has not seen for this long belongs to a worker that is gone: a live worker's
 * long poll lasts at most a minute before it polls again (seen: every ~60 s when idle), while
 * Temporal lists a dead worker's pollers for minutes.
 */
export const defaultPollerWindowMs = 70_000;

export interface JourneyClientOptions {
  /** fail-fast settings while Temporal is unreachable */
  gate?: TemporalGateOptions;
  /** see defaultPollerWindowMs */
  pollerWindowMs?: number;
  /** the state of a worker in this process (the start command's), reported by /healthz */
  inProcessWorkerState?: () => string;
  /** the case-event store: a journey Temporal no longer has is read from it (issue 12) */
  store?: CaseEventStore;
}

/** Temporal's PendingActivityState, in words (enum values from temporal.api.enums.v1). */
const activityStates: Record<number, string> = {
  1: 'scheduled',
  2: 'started',
  3: 'cancelRequested',
  4: 'paused',
  5: 'pauseRequested',
};

/** Temporal's EventType values this file reads (temporal.api.enums.v1.EventType). */
const eventTypes = {
  workflowTaskCompleted: 7,
  workflowTaskTimedOut: 8,
  workflowTaskFailed: 9,
  signaled: 26,
} as const;
/**
 * temporal.api.enums.v1.ResetReapplyExcludeType: signals after the reset point are not replayed (one
 * may be the poison); Updates are (1 = signal only). An Update after the reset point was accepted and
 * answered: the last good workflow task is often the very one that accepted it (its case record is
 * written inside that task), so leaving it out would lose an accepted event.
 */
const resetExcludeSignals = [1];

export interface RepairResult {
  personId: string;
  repaired: 'reset';
  previousRunId: string;
  runId: string;
  resetToEventId: number;
  failedWorkflowTaskAttempt: number;
  droppedSignals: { eventId: number; signalName: string; receivedAt?: string; input?: string }[];
}

const isoOf = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A new journey's outline after its first event, as its JourneyRun works it out (no Temporal). */
function outlineAfter(judged: {
  run: JourneyRun;
  accepted: JourneyEvent;
  now: string;
}): JourneyOutline | undefined {
  const applied = judged.run.tryApply(judged.accepted, 'update', judged.now);
  return applied.ok ? judged.run.outline() : undefined;
}

/**
 * What the API answers to an event: whether it was applied, and the journey's outline after it.
 * The journey itself answers with a receipt (workflows/eventReceipt.ts) since 'national-scale-costs';
 * the outline is then its describe query's, asked once the Update has answered (see `withOutline`).
 */
export type AppliedEvent = OutlineResult;

type Position = { journeyNumber: number; runNumber: number; eventsApplied: number };
export type ReferralResult = AppliedEvent & { journeyOpened: boolean };

export class JourneyClient {
  private readonly gate: TemporalGate;

  constructor(
    private readonly client: Client,
    private readonly config: CareConfig,
    private readonly options: JourneyClientOptions = {},
  ) {
    this.gate = new TemporalGate(client, options.gate);
  }

  /** The council's policy profile: list rows built elsewhere (the case-event store) name its duty worker too. */
  get policyProfile(): CareConfig['policyProfile'] {
    return this.config.policyProfile;
  }

  /**
   * An activity's last failure in words. Failures' messages are encrypted with the payloads
   * (issue 14), so Temporal holds only "Encoded failure": decode it with this client's codecs.
   */
  private async lastFailureOf(failure: ProtoFailure): Promise<{ lastFailure?: string }> {
    const error = await decodeOptionalFailureToOptionalError(
      this.client.options.loadedDataConverter,
      failure,
    ).catch(() => undefined);
    const message = error?.message || failure.message;
    return message ? { lastFailure: message } : {};
  }

  private handle(personId: string) {
    return this.client.workflow.getHandle(journeyWorkflowId(personId));
  }

  private async temporal<T>(personId: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(() => this.client.withDeadline(Date.now() + timeoutMs, call));
    } catch (err) {
      if (err instanceof ApiError) throw err;
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
    // A person whose journey closed gets a new one, numbered after it (R-REF-4); none after death.
    const opening = await this.opening(personId);
    const journeyNumber = opening.open ? 1 : opening.journeyNumber;
    if (!opening.open) this.judgeAsNewJourney(event, personId, opening);
    else {
      const earlier = await this.earlierUse(personId, event, options.occurredAtDefaulted ?? false);
      if (earlier) return { ...earlier, journeyOpened: false };
    }
    const startOperation = () =>
      new WithStartWorkflowOperation(journeyWorkflowType, {
        workflowId: journeyWorkflowId(personId),
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [newJourneyInput(personId, event.subject, this.config, new Date(), journeyNumber)],
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
    const answer = await this.withOutline(personId, result);
    if (result.status === 'duplicate') return { ...answer, journeyOpened: false };
    // The receipt says where the referral found the journey: before any event, it opened it.
    if (!isOutlineResult(result)) return { ...answer, journeyOpened: result.from === beforeReferral };
    // A run started before receipts: its timeline says whether this referral was its first event.
    const { timeline } = await this.temporal(personId, queryTimeoutMs, () =>
      this.handle(personId).query(timelineQuery),
    );
    const entry = timeline.find((e) => e.eventId === event.eventId);
    return { ...answer, journeyOpened: entry?.from === beforeReferral };
  }

  /**
   * The API's answer to an event keeps its shape (status, eventId and the journey's outline), read
   * with the journey's describe query once the Update has answered: a receipt in history costs
   * under 1 KB of storage for every event for as long as the run is open, the outline 8.7 KB; the
   * query is one billed action on Temporal Cloud ($0.00005), the outline kept for two years of
   * active storage about $0.006 (bench/README.md, the cost model). The query is answered by the
   * journey itself after the Update's workflow task, so it includes the event; the case-event store
   * could lag (its write may be retried) and holds no allowed events or next steps. A run started
   * before receipts answers with the outline itself, which is passed on as it is.
   */
  private async withOutline(personId: string, result: ApplyEventResult): Promise<AppliedEvent> {
    if (isOutlineResult(result)) return result;
    const view = await this.temporal(personId, queryTimeoutMs, () =>
      this.handle(personId).query(describeQuery),
    );
    const { notAllowedNow, ...outline } = view;
    void notAllowedNow;
    return { status: result.status, eventId: result.eventId, view: outline };
  }

  /**
   * R-TIM-3 for an eventId older than the journey remembers. Since 'national-scale-costs' a run
   * carries only its newest event ids (machines/limits.ts CARRIED_IDS_CHARS); every event a run
   * committed is in the case-event store, with the event itself, so an id sent again is answered
   * from there: the same event is a duplicate, a different one a conflict naming both, as the
   * journey would answer. Only an entry the journey is known to have committed counts: one written
   * by an earlier run of the current journey at a place that run applied (the journey's
   * `runEnds`). An entry of the current run is left to the journey, which remembers all of its own;
   * one a crashed workflow task wrote beyond what its run committed (docs/case-event-store.md) is
   * not an event the journey took, and the event goes to the journey to judge.
   */
  private async earlierUse(
    personId: string,
    event: JourneyEvent,
    occurredAtDefaulted: boolean,
  ): Promise<AppliedEvent | undefined> {
    const store = this.options.store;
    if (!store) return undefined;
    const row = await store.journey(personId);
    if (!row || row.closed) return undefined;
    const { rows } = await store.db.query<{
      entry: { event?: JourneyEvent };
      run_number: number | null;
      events_applied: number | null;
    }>(
      "SELECT entry, run_number, events_applied FROM case_records WHERE person_id = $1 AND record_id = $2 AND kind = 'event'",
      [personId, journeyRecordId(row.journeyNumber, event.eventId)],
    );
    const stored = rows[0];
    const earlier = stored?.entry.event;
    if (!stored || !earlier || stored.run_number === null || stored.events_applied === null) return undefined;
    const { position, runEnds } = await this.temporal(personId, queryTimeoutMs, () =>
      this.handle(personId).query(timelineQuery),
    );
    const run = Number(stored.run_number);
    const end = runEnds?.find(([r]) => r === run)?.[1];
    const committed =
      position !== undefined &&
      position.journeyNumber === row.journeyNumber &&
      run < position.runNumber &&
      end !== undefined &&
      Number(stored.events_applied) <= end;
    if (!committed) return undefined;
    const before = fingerprintOf(earlier);
    if (before !== fingerprintOf(event)) {
      const verdict = conflictVerdict(event, before);
      if (verdict.kind !== 'conflict') return undefined;
      if (!(occurredAtDefaulted && verdict.conflict.onlyOccurredAtDiffers)) {
        throw new EventConflictError(
          `event conflict: ${verdict.reasons.map((r) => r.message).join('; ')}`,
          { reasons: verdict.reasons, conflict: verdict.conflict },
          verdict.conflict.onlyOccurredAtDiffers,
        );
      }
    }
    return this.withOutline(personId, {
      status: 'duplicate',
      eventId: event.eventId,
      version: { ...position, journeyNumber: row.journeyNumber },
      stage: row.stage,
      closed: row.closed,
      nextSteps: [],
    });
  }

  /** Issue 17: whether the person has a running journey here (an import's "already there"). */
  hasOpenJourney(personId: string): Promise<boolean> {
    return this.isOpen(personId);
  }

  /**
   * R-REF-4: whether the person has a running journey; if not, the number a new one takes (one after
   * the last journey Temporal or the case-event store knows of) and how that one closed.
   */
  private async opening(personId: string): Promise<JourneyOpening> {
    const handle = this.handle(personId);
    const describe = () =>
      this.temporal(personId, queryTimeoutMs, () =>
        handle.describe().catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return undefined;
          throw err;
        }),
      );
    let description = await describe();
    if (
      description?.status.name === 'RUNNING' &&
      description.typedSearchAttributes.get(JourneyStage) === 'closed'
    ) {
      // Closed, and its run finishing its last side effects (letters, records): the new journey
      // takes the same workflow id, so it waits a little for the run to complete, then says so.
      await this.client
        .withDeadline(Date.now() + closingWaitMs, () => handle.result())
        .catch(() => undefined);
      description = await describe();
      if (description?.status.name === 'RUNNING')
        throw unavailable(
          `person ${personId}'s journey has closed and is still sending its last letters and records; ` +
            'a referral opens a new journey once it has finished: send it again shortly',
          retryAfterSeconds.journeyBusy,
        );
    }
    if (description?.status.name === 'RUNNING') return { open: true };
    const fromTemporal =
      description &&
      (await this.temporal(personId, queryTimeoutMs, () =>
        closedJourneyOf(handle, description, this.client.options.loadedDataConverter),
      ));
    const row = await this.options.store?.journey(personId);
    return nextJourney(fromTemporal, row);
  }

  /** Whether the person has a running journey (a closed one is not open: a referral starts a new one). */
  private async isOpen(personId: string): Promise<boolean> {
    return this.temporal(personId, queryTimeoutMs, () =>
      this.handle(personId)
        .describe()
        .then(
          (description) => description.status.name === 'RUNNING',
          (err: unknown) => {
            if (err instanceof WorkflowNotFoundError) return false;
            throw err;
          },
        ),
    );
  }

  /**
   * A refused referral starts nothing (issue 11): Update-with-Start starts the workflow before its
   * validator can refuse the referral, which would leave an empty journey "awaiting referral"
   * behind, listed with the open ones. So a referral for a person with no open journey is first
   * judged as the new journey would judge it, by the workflow's own JourneyRun (the same rules
   * edition, profile and calendar its input gives it), and only one it accepts starts the
   * workflow. What is refused is answered as the journey would answer it (400 or 409).
   */
  private judgeAsNewJourney(
    event: EventOf<'REFERRAL_RECEIVED'> | EventOf<'JOURNEY_IMPORTED'>,
    personId: string,
    opening?: Extract<JourneyOpening, { open: false }>,
  ): { run: JourneyRun; accepted: JourneyEvent; now: string } {
    const afterDeath = refusalAfterDeath(personId, opening?.earlier);
    if (afterDeath) throw refusedByJourney([afterDeath]);
    const now = new Date();
    const run = new JourneyRun(
      newJourneyInput(personId, event.subject, this.config, now, opening?.journeyNumber),
      now.toISOString(),
    );
    const verdict = run.judge(event, now.toISOString());
    if (verdict.kind === 'invalid')
      throw invalidRequest(
        event.type === 'JOURNEY_IMPORTED' ? 'import' : 'referral',
        verdict.problems.map((p) => problemFromText(p)),
      );
    if (verdict.kind === 'refused' || verdict.kind === 'conflict') throw refusedByJourney(verdict.reasons);
    if (verdict.kind === 'duplicate') throw new Error('a new journey has seen no event yet');
    return { run, accepted: verdict.event, now: now.toISOString() };
  }

  /**
   * Issue 17: the journey an import would start, worked out purely by the workflow's own JourneyRun
   * (the same edition, profile and calendar a new journey's input gives it): its stage and clocks.
   * Nothing is started. Refused as the journey would refuse it (400 or 409).
   */
  previewImport(event: EventOf<'JOURNEY_IMPORTED'>, personId: string): JourneyOutline {
    const { run, accepted, now } = this.judgeAsNewJourney(event, personId);
    const applied = run.tryApply(accepted, 'update', now);
    if (!applied.ok) throw refusedByJourney(applied.reasons);
    return run.outline();
  }

  /**
   * Issue 17: starts the person's journey with their import, by the referral's road: the workflow id
   * from the person id, judged first so a refused import starts nothing, then Update-with-Start. A
   * person whose journey is already open here is "already there" and nothing is sent: a second run
   * of the same file starts nothing twice (and the same row's event id is applied once anyway).
   */
  async importJourney(
    event: EventOf<'JOURNEY_IMPORTED'>,
    personId: string,
  ): Promise<{ outcome: 'started' | 'alreadyThere'; view?: JourneyOutline }> {
    const opening = await this.opening(personId);
    if (opening.open) return { outcome: 'alreadyThere' };
    const judged = this.judgeAsNewJourney(event, personId, opening);
    try {
      const result = await this.temporal(personId, updateTimeoutMs, () =>
        this.client.workflow.executeUpdateWithStart(applyEventUpdate, {
          args: [event],
          startWorkflowOperation: new WithStartWorkflowOperation(journeyWorkflowType, {
            workflowId: journeyWorkflowId(personId),
            taskQueue: this.config.temporal.taskQueue,
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [newJourneyInput(personId, event.subject, this.config, new Date(), opening.journeyNumber)],
          }),
        }),
      );
      if (result.status === 'duplicate') return { outcome: 'alreadyThere' };
      // A receipt carries no outline: the journey's clocks are those the same JourneyRun, with the
      // same input, worked out for it before it started (no query: an import starts thousands).
      return { outcome: 'started', view: isOutlineResult(result) ? result.view : outlineAfter(judged) };
    } catch (err) {
      // Another import (or a referral) opened the journey meanwhile: it is there, and this one is not.
      if ((err instanceof ApiError && err.statusCode === 409) || err instanceof EventConflictError) {
        if (await this.isOpen(personId)) return { outcome: 'alreadyThere' };
      }
      throw err;
    }
  }

  /** Delivers an event through the journey's Update; a refused event never enters history. */
  async apply(
    personId: string,
    event: JourneyEvent,
    options: { occurredAtDefaulted?: boolean } = {},
  ): Promise<AppliedEvent> {
    const earlier = await this.earlierUse(personId, event, options.occurredAtDefaulted ?? false);
    if (earlier) return earlier;
    const result = await this.resendable(event, options.occurredAtDefaulted ?? false, (sent) =>
      this.temporal(personId, updateTimeoutMs, () =>
        this.handle(personId).executeUpdate(applyEventUpdate, { args: [sent] }),
      ),
    );
    return this.withOutline(personId, result);
  }

  /**
   * What Temporal committed for a journey, as its own timeline query says: whether it is running,
   * where it is (journey, run, events applied) and the ids of the events it accepted. The store
   * check compares the case record with it. undefined when Temporal has no such journey.
   */
  async committed(personId: string): Promise<
    | {
        running: boolean;
        position: { journeyNumber: number; runNumber: number; eventsApplied: number } | undefined;
        eventIds: string[];
      }
    | undefined
  > {
    const handle = this.handle(personId);
    const description = await this.temporal(personId, queryTimeoutMs, () =>
      handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }),
    );
    if (!description) return undefined;
    const { timeline, position } = await this.temporal(personId, queryTimeoutMs, () =>
      handle.query(timelineQuery),
    );
    return {
      running: description.status.name === 'RUNNING',
      position,
      eventIds: timeline.map((entry) => entry.eventId),
    };
  }

  /**
   * Everything about one journey: what the journey says (its view and timeline), and what
   * Temporal says about its technical health. A journey that cannot answer yet (its workflow task
   * is failing, or a worker is still replaying it after a restart) is answered 503 with
   * Retry-After and the technical part, never a detail without the journey's view.
   */
  async detail(personId: string, asOf: Date): Promise<JourneyDetail> {
    const handle = this.handle(personId);
    const description = await this.temporal(personId, queryTimeoutMs, () =>
      handle.describe().catch((err) => {
        // Closed journeys are shown too, so "open" would be wrong here.
        throw err instanceof WorkflowNotFoundError
          ? new ApiError(404, noJourneyMessage(personId, false))
          : err;
      }),
    ).catch(async (err: unknown) => {
      // Issue 12: a journey Temporal has forgotten (closed, past retention) is told from the store.
      const stored =
        err instanceof ApiError && err.statusCode === 404 && this.options.store
          ? await this.options.store.personRecord(personId)
          : undefined;
      if (stored?.journey) return detailFromStore(personId, stored);
      throw err;
    });
    if (!('raw' in description)) return description;
    const raw = description.raw;
    const pendingActivities = await Promise.all(
      (raw.pendingActivities ?? []).map(async (a) => ({
        activityType: a.activityType?.name ?? 'unknown',
        state: activityStates[a.state ?? 0] ?? 'unknown',
        attempt: a.attempt ?? 1,
        maximumAttempts: a.maximumAttempts ?? 0,
        ...(a.lastFailure ? await this.lastFailureOf(a.lastFailure) : {}),
        ...(a.nextAttemptScheduleTime
          ? { nextAttemptAt: isoOf(optionalTsToMs(a.nextAttemptScheduleTime)) }
          : {}),
      })),
    );
    const workflowTaskAttempt = raw.pendingWorkflowTask?.attempt ?? undefined;
    const reportedProblems = description.typedSearchAttributes.get(TemporalReportedProblems) ?? [];
    const technicalIssue = description.typedSearchAttributes.get(TechnicalIssue);
    const health = (answered: boolean): TechnicalHealth => ({
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
        answered &&
        pendingActivities.every((a) => a.attempt <= 1) &&
        (workflowTaskAttempt ?? 1) <= 1 &&
        reportedProblems.length === 0 &&
        !technicalIssue,
    });
    const stuck =
      description.status.name === 'RUNNING' ? stuckReasons(description.typedSearchAttributes, asOf) : [];
    const cannotAnswer = (why: string) =>
      unavailable(
        `the journey for person ${personId} cannot answer yet: ${why}`,
        retryAfterSeconds.journeyBusy,
        {
          health: health(false),
          stuck,
        },
      );
    // A failing workflow task cannot run queries either: say so now instead of waiting them out.
    if (description.status.name === 'RUNNING' && (workflowTaskAttempt ?? 1) > 1) {
      throw cannotAnswer(
        `its workflow task is failing (attempt ${workflowTaskAttempt}); if this lasts, a manager can repair it (care repair ${personId})`,
      );
    }
    // Both queries are awaited (allSettled), so none is left running after the answer.
    const [view, timeline] = await Promise.allSettled([
      this.temporal(personId, queryTimeoutMs, () => handle.query(describeQuery)),
      this.temporal(personId, queryTimeoutMs, () => handle.query(timelineQuery)),
    ]);
    if (view.status === 'rejected' || timeline.status === 'rejected') {
      const err = (
        view.status === 'rejected' ? view.reason : (timeline as PromiseRejectedResult).reason
      ) as Error;
      if (err instanceof ApiError && err.statusCode === 404) throw err;
      throw cannotAnswer(`it did not answer its queries (${err.message})`);
    }
    const told = await this.withStoredHistory(personId, view.value, timeline.value);
    return { personId, ...told, health: health(true), stuck };
  }

  /**
   * The journey's history for people, whole: since 'national-scale-costs' a run carries no timeline,
   * refused trail or closed deadlines (workflows/carriedState.ts), so with a case-event store the
   * timeline, the refusals and the deadlines that have closed are read from it, the journey's own
   * answer added for what the store does not hold yet. Entries a crashed workflow task wrote beyond
   * what its run committed are left out (the run's position, and each earlier run's end). Without a
   * store, what the journey's queries say.
   */
  private async withStoredHistory(
    personId: string,
    view: JourneyDetail['view'],
    said: {
      timeline: TimelineEntry[];
      refused: RefusedEntry[];
      position?: Position;
      runEnds?: [number, number][];
    },
  ): Promise<Pick<JourneyDetail, 'view' | 'timeline' | 'refused'>> {
    const store = this.options.store;
    if (!store || !said.position) return { view, timeline: said.timeline, refused: said.refused };
    const { journeyNumber, runNumber, eventsApplied } = said.position;
    const record = await store.personRecord(personId);
    const ends = new Map(said.runEnds ?? []);
    const committed = (state: { runNumber?: number; eventsApplied?: number } | undefined) => {
      if (state?.runNumber === undefined || state.eventsApplied === undefined) return true;
      if (state.runNumber === runNumber) return state.eventsApplied <= eventsApplied;
      if (state.runNumber > runNumber) return false;
      const end = ends.get(state.runNumber);
      return end === undefined || state.eventsApplied <= end;
    };
    const stored = record.entries
      .filter((e) => e.kind === 'event' && journeyNumberOf(e) === journeyNumber && committed(e.state))
      .map((e) => e.entry as TimelineEntry);
    const storedIds = new Set(stored.map((e) => e.eventId));
    const timeline = [...stored, ...said.timeline.filter((e) => !storedIds.has(e.eventId))];
    // refusals carry no journey: those since the current journey began
    const began = journeyNumber > 1 ? timeline[0]?.recordedAt : undefined;
    const storedRefused = began
      ? record.refused.filter((r) => Date.parse(r.recordedAt) >= Date.parse(began))
      : record.refused;
    const refusalKey = (r: RefusedEntry) => `${r.eventId ?? ''}@${r.recordedAt}`;
    const storedRefusals = new Set(storedRefused.map(refusalKey));
    const refused = [
      ...storedRefused,
      ...said.refused.filter((r) => !storedRefusals.has(refusalKey(r))),
    ].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
    // Closed ones only: what is open is the journey's to say (a store row it does not have may be
    // one a crashed workflow task wrote).
    const open = (d: Deadline) => d.status === 'due' || d.status === 'overdue';
    const known = new Set(view.deadlines.map((d) => d.id));
    const closedBefore = record.deadlines.filter(
      (d: Deadline) => journeyOfDeadlineId(d.id) === journeyNumber && !known.has(d.id) && !open(d),
    );
    // as the view orders them: open first, then by due date
    const deadlines = [...view.deadlines, ...closedBefore].sort(
      (a, b) => Number(open(b)) - Number(open(a)) || Date.parse(a.dueAt) - Date.parse(b.dueAt),
    );
    return { view: { ...view, deadlines }, timeline, refused };
  }

  /**
   * `care repair`: a journey whose workflow task keeps failing is reset (Temporal's
   * ResetWorkflowExecution) to its last good workflow task, the last WorkflowTaskCompleted before
   * the failures. What happened before that point is kept (every accepted event, every timer); the
   * signals received since are not replayed (one of them may be what makes the task fail) and are
   * returned, so whoever sent them can send them again. Refused (409) if the journey is not
   * running, is not failing, or never completed a workflow task in this run (there is no good
   * point to go back to: its input itself fails).
   */
  async repair(personId: string, reason: string, by: { userId: string }): Promise<RepairResult> {
    const workflowId = journeyWorkflowId(personId);
    const description = await this.temporal(personId, queryTimeoutMs, () => this.handle(personId).describe());
    if (description.status.name !== 'RUNNING') {
      throw new ApiError(
        409,
        `the journey for person ${personId} is ${description.status.name}: only a running journey can be repaired`,
      );
    }
    const runId = description.runId;
    const history = await this.temporal(personId, updateTimeoutMs, () =>
      this.client.workflow.getHandle(workflowId, runId).fetchHistory(),
    );
    const events = history.events ?? [];
    const idOf = (e: (typeof events)[number]) => Number(e.eventId ?? 0);
    const lastGood = [...events].reverse().find((e) => e.eventType === eventTypes.workflowTaskCompleted);
    const lastGoodId = lastGood ? idOf(lastGood) : 0;
    const failedSince = events.some(
      (e) =>
        idOf(e) > lastGoodId &&
        (e.eventType === eventTypes.workflowTaskFailed || e.eventType === eventTypes.workflowTaskTimedOut),
    );
    const attempt = description.raw.pendingWorkflowTask?.attempt ?? 1;
    if (!failedSince && attempt <= 1) {
      throw new ApiError(
        409,
        `the journey for person ${personId} is not wedged: its workflow tasks complete, so there is nothing to repair`,
      );
    }
    if (!lastGood) {
      throw new ApiError(
        409,
        `the journey for person ${personId} cannot be reset: this run never completed a workflow task, so its input itself fails ` +
          '(see its technical health); it needs a code fix or to be terminated and referred again',
      );
    }
    const decoder = new TextDecoder();
    // A dropped signal's input as its sender wrote it: decrypted where the council's keys open it
    // (the manager repairing may see it), else as it arrived.
    const codecs = [...this.client.options.loadedDataConverter.payloadCodecs].reverse();
    const inputOf = async (payload: Payload | undefined): Promise<string | undefined> => {
      if (!payload?.data) return undefined;
      let decoded = [payload];
      try {
        for (const codec of codecs) decoded = await codec.decode(decoded);
      } catch {
        decoded = [payload];
      }
      return decoder.decode(decoded[0]?.data ?? new Uint8Array()).slice(0, 2_000);
    };
    const droppedSignals = await Promise.all(
      events
        .filter((e) => idOf(e) > lastGoodId && e.eventType === eventTypes.signaled)
        .map(async (e) => {
          const attributes = e.workflowExecutionSignaledEventAttributes;
          const input = await inputOf(attributes?.input?.payloads?.[0] as Payload | undefined);
          return {
            eventId: idOf(e),
            signalName: attributes?.signalName ?? 'unknown',
            ...(e.eventTime ? { receivedAt: isoOf(optionalTsToMs(e.eventTime)) } : {}),
            ...(input !== undefined ? { input } : {}),
          };
        }),
    );
    type ResetRequest = Parameters<typeof this.client.workflowService.resetWorkflowExecution>[0];
    const { runId: newRunId } = await this.temporal(personId, updateTimeoutMs, () =>
      this.client.workflowService.resetWorkflowExecution({
        namespace: this.config.temporal.namespace,
        workflowExecution: { workflowId, runId },
        reason: `care repair by ${by.userId}: ${reason}`,
        // an int64 field: protobufjs takes a number (the Long type is not a dependency of ours)
        workflowTaskFinishEventId: lastGoodId as unknown as ResetRequest['workflowTaskFinishEventId'],
        requestId: randomUUID(),
        resetReapplyExcludeTypes: resetExcludeSignals,
        identity: `care-api (${by.userId})`,
      }),
    );
    return {
      personId,
      repaired: 'reset',
      previousRunId: runId,
      runId: newRunId ?? '',
      resetToEventId: lastGoodId,
      failedWorkflowTaskAttempt: attempt,
      droppedSignals,
    };
  }

  /**
   * Every journey matching a visibility query, as rows. The SQL visibility store cannot ORDER BY,
   * so the caller sorts; rows are small, so tens of thousands fit comfortably in memory.
   */
  async list(query: string, asOf: Date): Promise<SortableRow[]> {
    const rows: SortableRow[] = [];
    await this.gate.check();
    try {
      // a server without TemporalReportedProblems (before 1.30) refuses a query naming it
      const features = await this.serverFeatures();
      const forServer = queryForServer(query, features);
      for await (const execution of this.client.workflow.list({ query: forServer, pageSize: 1000 })) {
        rows.push(journeyRow(execution, asOf, this.config.policyProfile));
      }
    } catch (err) {
      this.gate.observe(err);
      throw listQueryRefusal(err) ?? fromTemporalConnectionError(err) ?? err;
    }
    return rows;
  }

  private features: Promise<ServerFeatures> | undefined;

  /** What the server offers the lists, asked once (asked again after a failure to ask). */
  private serverFeatures(): Promise<ServerFeatures> {
    this.features ??= serverFeatures(
      {
        workflowService: this.client.workflowService,
        operatorService: (this.client.connection as Partial<Connection>).operatorService,
      },
      this.client.options.namespace,
    ).catch((err: unknown) => {
      this.features = undefined;
      throw err;
    });
    return this.features;
  }

  /**
   * Temporal reachable, and a live worker polling the journeys' task queue (both kinds of task):
   * pollers Temporal has seen within the poller window (not the dead workers' pollers it still
   * lists), and the in-process worker's own state when there is one.
   */
  async health(): Promise<Health> {
    const { namespace, taskQueue } = this.config.temporal;
    const windowMs = this.options.pollerWindowMs ?? defaultPollerWindowMs;
    const within = <T>(call: () => Promise<T>) =>
      this.client.withDeadline(Date.now() + healthTimeoutMs, call);
    const temporal: Health['temporal'] = await within(() =>
      this.client.workflowService.getSystemInfo({}),
    ).then(
      () => ({ reachable: true }),
      (err: Error) => ({ reachable: false, error: err.message }),
    );
    const inProcessState = this.options.inProcessWorkerState?.();
    let worker: Health['worker'] = {
      taskQueue,
      polling: false,
      workflowPollers: 0,
      activityPollers: 0,
      stalePollers: 0,
      pollerWindowSeconds: windowMs / 1000,
      ...(inProcessState ? { inProcess: { state: inProcessState } } : {}),
    };
    if (temporal.reachable) {
      try {
        // taskQueueType 1 = workflow tasks, 2 = activity tasks
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
        const now = Date.now();
        const live = (
          pollers: { lastAccessTime?: Parameters<typeof optionalTsToMs>[0] }[] | null | undefined,
        ) =>
          (pollers ?? []).filter((p) => {
            const seen = optionalTsToMs(p.lastAccessTime);
            return seen !== undefined && now - seen <= windowMs;
          }).length;
        const workflowPollers = live(workflows?.pollers);
        const activityPollers = live(activities?.pollers);
        const listed = (workflows?.pollers?.length ?? 0) + (activities?.pollers?.length ?? 0);
        const inProcessRunning = inProcessState === undefined || inProcessState === 'RUNNING';
        worker = {
          ...worker,
          polling: workflowPollers > 0 && activityPollers > 0 && inProcessRunning,
          workflowPollers,
          activityPollers,
          stalePollers: listed - workflowPollers - activityPollers,
        };
        if (!inProcessRunning) {
          worker.error = `the in-process worker is ${inProcessState}`;
        } else if (!worker.polling) {
          worker.error =
            `no live worker is polling task queue ${taskQueue}` +
            (worker.stalePollers
              ? ` (${worker.stalePollers} poller(s) not seen for over ${windowMs / 1000} s)`
              : '');
        }
      } catch (err) {
        worker = { ...worker, error: (err as Error).message };
      }
    } else {
      worker.error = 'unknown: Temporal is not reachable';
    }
    return { ok: temporal.reachable && worker.polling, temporal, worker };
  }
}
