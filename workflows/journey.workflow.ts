import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { JourneyActivities } from '../activities';
import type { JourneyEvent } from '../machines';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  recordEventSignal,
  refusalFailureTypes,
  timelineQuery,
  type ApplyEventResult,
  type JourneySummary,
  type JourneyWorkflowInput,
} from './definitions';
import { RULES_VERSION, rulesEdition } from '../machines/journeyContext';
import { noticeRecipient } from '../machines/nextStep';
import { JourneyRun, type Job, type Verdict } from './journeyRun';
import { journeyRecordId } from './journeyNumber';
import { REFUSED_PAYLOAD_FAILURE_TYPE, refusedPayloadOf, type RefusedPayloadMark } from './refusedPayload';
import { changedPairs, searchAttributeValues, upsertedFrom } from './searchAttributeValues';

/**
 * One person's journey, for as long as it lasts (years). The machine decides; this workflow
 * hosts it: events arrive by Update (validated before they enter history) or Signal, statutory
 * clocks become durable timers, side effects run as idempotent activities, and the run
 * continues-as-new before its history grows large.
 */

const activities = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
  },
});

/**
 * The case record by local activity (patched 'case-record-by-local-activity'): every entry a workflow
 * task queued, written in one call inside that task. No activity task, no second workflow task,
 * and one marker instead of three history events per entry (bench/README.md). It holds the
 * workflow task, and so the Update's answer, until the case record has answered: hence the short
 * timeout, one retry after a server timer (the task completes and the Update is answered first),
 * and then the regular activity per entry, which retries for as long as it takes.
 */
const caseRecordInTask = proxyLocalActivities<Pick<JourneyActivities, 'recordCaseEvents'>>({
  startToCloseTimeout: '5 seconds',
  localRetryThreshold: '1 millisecond',
  retry: { initialInterval: '1 second', maximumAttempts: 2 },
});

/** Every run stays well under Temporal's 4,096-event suggestion point. */
export const HISTORY_EVENT_BOUND = 2_000;
/**
 * At least every two years, so the run's pinned bank holidays are refreshed: the run wakes at this
 * age by a timer of its own, whether or not anything else is due (patched 'continue-as-new-by-run-age').
 * Two years (patched 'continue-as-new-every-two-years'), not one: a run pins the holidays of three
 * years either side of the year it starts in (`bankHolidaysAround`), and the furthest a journey
 * sets a deadline is a year ahead, so a two-year run never counts days past what it pinned; each
 * continue-as-new costs a workflow start, a patch marker's upsert and the age timer.
 */
export const RUN_MAX_AGE_MS = 2 * 365 * 86_400_000;
/** The age limit of runs started before 'continue-as-new-every-two-years'. */
const RUN_MAX_AGE_BEFORE_TWO_YEARS_MS = 365 * 86_400_000;
/** After an activity has used its retries, wait this long before trying again (and say so). */
const TECHNICAL_RETRY_AFTER = '1 hour';

const nowIso = () => new Date(Date.now()).toISOString();

export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<JourneySummary> {
  // A start sent to Temporal directly, not by the API: its input was not encrypted under a listed
  // key (workflows/refusedPayload.ts). The run fails before it does anything; it is no journey.
  const refusedInput = refusedPayloadOf(input);
  if (refusedInput) throw payloadRefusal(refusedInput);
  // What this run may do is decided by the patch markers in its history (docs/safe-changes.md).
  // Every patch() a run records also costs a TemporalChangeVersion search-attribute upsert (a
  // billed action), so from 'search-attributes-seeded-from-run' on the patches are cumulative: the
  // newest is asked first and implies every one before it, so a new run records one marker, not
  // one per change. A run started before it has no such marker and asks the older patches, in the
  // order it always did, so it replays exactly as it ran.
  // 'national-scale-costs' (issue 29): an Update answers with a receipt under 1 KB, not the outline;
  // continue-as-new carries bounded state; wake-ups are spread over a window (workflows/wakeSpread.ts).
  const nationalScale = patched('national-scale-costs');
  const edition5 = nationalScale || patched('rules-edition-5');
  const everyTwoYears = edition5 || patched('continue-as-new-every-two-years');
  const caseRecordByLocalActivity = everyTwoYears || patched('case-record-by-local-activity');
  const seeded = caseRecordByLocalActivity || patched('search-attributes-seeded-from-run');
  // Runs started before rules edition 2 keep edition 1 (before edition 3, edition 2; before 4, 3)
  // until their next continue-as-new, so their histories replay as they were accepted.
  const edition = edition5
    ? RULES_VERSION
    : seeded
      ? 4
      : !patched('rules-edition-2')
        ? 1
        : !patched('rules-edition-3')
          ? 2
          : !patched('rules-edition-4')
            ? 3
            : 4;
  const run = new JourneyRun(input, nowIso(), edition, {
    boundedCarry: nationalScale,
    spreadWakeUps: nationalScale,
  });
  /** Edition 3 (issue 10): a system event the journey could not apply is recorded; the run wakes after it. */
  const edition3 = () => (run.snapshot.context.rulesVersion ?? 1) >= 3;
  const runStartedAt = Date.now();
  const inFlight = new Set<string>();
  const failing = new Map<string, string>();
  let wake = false;
  // Runs started before this patch re-armed their timer on every wake-up; they keep doing so
  // until their next continue-as-new.
  const oneTimerPerWakeTime = seeded || patched('one-timer-per-wake-time');
  // Runs started before this patch continued as new only when something else woke them (a run
  // with no timer lived as long as it slept); they keep doing so until their next continue-as-new.
  const continueByRunAge = seeded || patched('continue-as-new-by-run-age');
  // What was last upserted, so only what changed is upserted again (each upsert is a billed action).
  // Seeded from the run's own attributes: a run that continued as new has its predecessor's, and
  // need not set them all again. Runs started before this patch began from nothing (and upserted
  // everything in their first task); they keep doing so until their next continue-as-new.
  const upserted = seeded ? upsertedFrom(workflowInfo().typedSearchAttributes) : new Map<string, string>();
  // caseRecordByLocalActivity: the case-record entries of a workflow task are written by one local
  // activity (caseRecordInTask); runs started before it wrote each by an activity of its own, and
  // keep doing so until their next continue-as-new.
  // Runs started before 'continue-as-new-every-two-years' keep their yearly limit.
  const runMaxAgeMs = everyTwoYears ? RUN_MAX_AGE_MS : RUN_MAX_AGE_BEFORE_TWO_YEARS_MS;
  const runMaxAgeAt = runStartedAt + runMaxAgeMs;

  // ---- Events in ------------------------------------------------------------------------------
  // The SDK runs an Update's validator and then its handler, back to back. The handler reuses the
  // validator's verdict when nothing was applied in between; on replay no validator runs, so the
  // handler judges for itself.
  let validated: { updateId: string; eventsApplied: number; verdict: Verdict } | undefined;
  const verdictFor = (raw: unknown): Verdict => {
    const refused = refusedPayloadOf(raw);
    if (refused) throw payloadRefusal(refused);
    const known = validated;
    validated = undefined;
    const updateId = currentUpdateInfo()?.id;
    if (known && known.updateId === updateId && known.eventsApplied === run.eventsApplied) {
      return known.verdict;
    }
    return run.judge(raw, nowIso());
  };

  setHandler(
    applyEventUpdate,
    (raw): ApplyEventResult => {
      const verdict = verdictFor(raw);
      if (verdict.kind === 'duplicate')
        return nationalScale
          ? run.receipt('duplicate', verdict.eventId)
          : { status: 'duplicate', eventId: verdict.eventId, view: run.outline() };
      if (verdict.kind !== 'accept') throw refusal(verdict); // the validator already refused these
      const applied = run.tryApply(verdict.event, 'update', nowIso());
      // judge() tried the same pure transition, so this cannot fail; if it did, the caller is told.
      if (!applied.ok) throw refusal({ kind: 'refused', event: verdict.event, reasons: applied.reasons });
      wake = true;
      return nationalScale
        ? run.receipt('applied', verdict.event.eventId, applied.entry.from)
        : { status: 'applied', eventId: verdict.event.eventId, view: run.outline() };
    },
    {
      // Synchronous, so a refused or malformed event is rejected before it enters history.
      validator: (raw) => {
        // Not sent by the API (workflows/refusedPayload.ts): rejected, so it never enters history.
        const refused = refusedPayloadOf(raw);
        if (refused) throw payloadRefusal(refused);
        const verdict = run.judge(raw, nowIso());
        if (verdict.kind === 'invalid' || verdict.kind === 'refused' || verdict.kind === 'conflict')
          throw refusal(verdict);
        const updateId = currentUpdateInfo()?.id;
        if (updateId) validated = { updateId, eventsApplied: run.eventsApplied, verdict };
      },
    },
  );

  setHandler(recordEventSignal, (raw) => {
    // Not sent by the API or a journey (workflows/refusedPayload.ts): dropped. Not even put on the
    // refused trail, which would carry whatever its sender wrote into the journey and its case record.
    const refused = refusedPayloadOf(raw);
    if (refused) {
      log.warn('a signal whose payload was refused is ignored', {
        reason: refused.reason,
        why: refused.message,
      });
      return;
    }
    const verdict = run.judge(raw, nowIso());
    if (verdict.kind === 'accept') {
      if (run.apply(verdict.event, 'signal', nowIso())) wake = true;
    } else if (verdict.kind === 'invalid') {
      run.recordRefusal(
        raw,
        verdict.problems.map((message) => ({ message })),
        nowIso(),
      );
    } else if (verdict.kind === 'refused' || verdict.kind === 'conflict') {
      run.recordRefusal(raw, verdict.reasons, nowIso());
    }
    // A duplicate signal is acknowledged by doing nothing.
  });

  setHandler(describeQuery, () => run.view());
  setHandler(timelineQuery, () => ({
    timeline: run.timeline,
    refused: run.refused,
    position: {
      journeyNumber: run.journeyNumber,
      runNumber: run.runNumber,
      eventsApplied: run.eventsApplied,
    },
    ...(run.runEnds.length ? { runEnds: run.runEnds } : {}),
  }));

  // ---- Side effects out -----------------------------------------------------------------------
  function startJobs(): void {
    const records: Extract<Job, { kind: 'caseRecord' }>[] = [];
    for (const job of run.jobs) {
      if (inFlight.has(job.id)) continue;
      inFlight.add(job.id);
      if (caseRecordByLocalActivity && job.kind === 'caseRecord') records.push(job);
      else carryOutJob(job);
    }
    if (records.length) {
      void caseRecordInTask.recordCaseEvents(records.map((job) => job.record)).then(
        () => records.forEach(completed),
        (err: unknown) => {
          // A local activity that has used its retries fails with an ActivityFailure, or (after a
          // timer backoff) with the activity's own ApplicationFailure.
          if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
          // The case record is not answering: each entry goes by an activity of its own, as before
          // this patch, retried and shown on the journey's page with its attempts and last failure,
          // and as a technical issue while it keeps failing.
          records.forEach(carryOutJob);
        },
      );
    }
  }

  function carryOutJob(job: Job): void {
    void carryOut(job).then(() => completed(job));
  }

  function completed(job: Job): void {
    inFlight.delete(job.id);
    run.completeJob(job.id);
    // Only a closing journey waits for its side effects; waking otherwise re-arms the timer.
    if (run.closed) wake = true;
  }

  /** Runs a job until it succeeds; while it keeps failing, the journey shows a technical issue. */
  async function carryOut(job: Job): Promise<void> {
    for (;;) {
      try {
        await perform(job);
        if (failing.delete(job.id)) wake = true;
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('journey side effect keeps failing; retrying later', {
          job: job.id,
          error: err.cause?.message,
        });
        failing.set(job.id, jobName(job));
        wake = true;
        await sleep(TECHNICAL_RETRY_AFTER);
      }
    }
  }

  async function perform(job: Job): Promise<void> {
    if (job.kind === 'caseRecord') return activities.recordCaseEvent(job.record);
    if (job.kind === 'notice') {
      const { notice } = job;
      const { team, allocatedWorker } = run.snapshot.context;
      // Deadline ids are per journey; the person id makes the key unique everywhere.
      const common = {
        notificationId: `${input.personId}:${notice.id}`,
        personId: input.personId,
        deadline: notice.deadline,
        team,
      };
      // Edition 4 (issue 11): an unallocated case's notices go to the duty worker its profile names
      // (the owner of its next steps), not the literal "duty-team" / "duty-manager".
      const edition4 = rulesEdition(run.snapshot.context, 4);
      if (notice.kind === 'reminder') {
        return activities.notifyPractitioner({
          ...common,
          to: edition4
            ? noticeRecipient(run.snapshot.context, 'reminder')
            : (allocatedWorker ?? (team ? `team:${team}` : 'duty-team')),
        });
      }
      return activities.escalateToManager({
        ...common,
        to: edition4
          ? noticeRecipient(run.snapshot.context, 'escalation')
          : team
            ? `manager:${team}`
            : 'duty-manager',
        escalation: notice.escalation,
        resolution: notice.resolution,
      });
    }
    const { effect } = job;
    switch (effect.type) {
      case 'sendLetter':
        return activities.sendLetter(effect);
      case 'stopPayments':
        return activities.recordCaseEvent({
          // a later journey's record never takes an earlier journey's id (R-REF-4)
          ...(run.journeyNumber > 1
            ? {
                recordId: journeyRecordId(run.journeyNumber, effect.requestId),
                journeyNumber: run.journeyNumber,
              }
            : { recordId: effect.requestId }),
          personId: effect.personId,
          kind: 'paymentsStopped',
          entry: { reason: effect.reason, ruleId: effect.ruleId },
        });
      case 'instructPayments':
        // Edition 2 (R-END-5): the council's payment arrangements are told; retried, and shown as a
        // technical issue ('instructPayments') while they keep failing.
        return activities.instructPayments(effect);
      case 'calculateIndicativeBudget': {
        const budget = await activities.calculateIndicativeBudget({
          ...effect,
          ras: run.snapshot.context.profile.ras,
        });
        // Edition 4 (R-IB-3): the answer is dated by the event that asked for it (the assessment),
        // so a back-dated eligibility decision never leaves the budget dated after its sharing.
        const datedByRequest = rulesEdition(run.snapshot.context, 4) && effect.requestedAt;
        const event: JourneyEvent = {
          type: 'INDICATIVE_BUDGET_CALCULATED',
          eventId: `${effect.requestId}:result`,
          occurredAt: datedByRequest || nowIso(),
          actor: { userId: 'resource-allocation-system', role: 'system' },
          amount: budget.amount,
          basis: budget.basis,
        };
        // The journey's own RAS result: the one INDICATIVE_BUDGET_CALCULATED that is not from outside.
        const verdict = run.judge(event, nowIso(), 'system');
        if (verdict.kind === 'accept') {
          run.apply(verdict.event, 'system', nowIso());
        } else if (verdict.kind !== 'duplicate') {
          // Recorded, never dropped (issue 10): e.g. the stage moved on before the RAS answered.
          const reasons =
            verdict.kind === 'invalid' ? verdict.problems.map((message) => ({ message })) : verdict.reasons;
          if (edition3()) run.recordSystemRefusal(event, reasons, nowIso());
          else run.recordRefusal(event, reasons, nowIso(), 'system');
        }
        // Edition 3: the case record and search attributes follow at once, not at the next event.
        if (edition3()) wake = true;
        return;
      }
      case 'openCarerJourney':
        return openCarerJourney(effect.carerId, effect.caredForPersonId, effect.requestId);
    }
  }

  /** R-ASM-4 / R-CAR-1: the carer gets a journey of their own, which outlives this one. */
  async function openCarerJourney(carerId: string, caredFor: string, requestId: string): Promise<void> {
    const referralEvent: JourneyEvent = {
      type: 'REFERRAL_RECEIVED',
      eventId: `${requestId}:referral`,
      occurredAt: nowIso(),
      actor: { userId: 'care-journeys', role: 'system' },
      referralId: `carer-of-${caredFor}`,
      receivedDate: nowIso().slice(0, 10),
      source: 'professional',
      urgency: 'routine',
      summary: `Carer's assessment accepted during the assessment of ${caredFor}`,
      subject: 'carer',
    };
    try {
      await startChild(journeyWorkflow, {
        workflowId: journeyWorkflowId(carerId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ personId: carerId, subject: 'carer', profile: input.profile }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await getExternalWorkflowHandle(journeyWorkflowId(carerId)).signal(recordEventSignal, referralEvent);
  }

  function upsertChanged(): void {
    const technicalIssue = failing.size ? [...new Set(failing.values())].sort().join(',') : undefined;
    const pairs = changedPairs(
      searchAttributeValues(run.snapshot, { lastEventAt: run.lastEventAt(), technicalIssue }),
      upserted,
    );
    if (pairs.length) upsertSearchAttributes(pairs);
  }

  /**
   * The one durable timer for the next deadline, reminder or escalation. It is re-armed only when
   * that instant changes: an event that moves no clock costs no timer.
   */
  let alarm: { at: number; scope: CancellationScope } | undefined;
  function setAlarm(at: number | undefined): void {
    if (alarm?.at === at) return;
    alarm?.scope.cancel();
    alarm = undefined;
    if (at === undefined) return;
    const armed = { at, scope: new CancellationScope() };
    alarm = armed;
    armed.scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (alarm !== armed) return;
          alarm = undefined;
          wake = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  const continueAsNewDue = () => {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > HISTORY_EVENT_BOUND ||
      Date.now() - runStartedAt > runMaxAgeMs ||
      (continueByRunAge && Date.now() >= runMaxAgeAt)
    );
  };

  // ---- The run ------------------------------------------------------------------------------
  for (;;) {
    const now = nowIso();
    if (!run.closed) {
      run.reachDueDeadlines(now);
      run.queueDueNotices(now);
    }
    startJobs();
    upsertChanged();
    if (run.closed && run.jobs.length === 0) break;
    if (continueAsNewDue() && !run.closed) {
      const info = workflowInfo();
      log.info('journey continues as new', {
        suggested: info.continueAsNewSuggested,
        historyLength: info.historyLength,
        runAgeDays: Math.floor((Date.now() - runStartedAt) / 86_400_000),
      });
      // Let side effects under way finish first (one keeps failing: it is carried and retried);
      // an activity abandoned by continue-as-new would only run again in the next run.
      await condition(() => [...inFlight].every((id) => failing.has(id)));
      await condition(allHandlersFinished);
      await continueAsNew<typeof journeyWorkflow>({
        ...input,
        bankHolidays: undefined,
        carried: run.carry(nowIso()),
      });
    }
    wake = false;
    let next = run.closed ? undefined : run.nextWakeAt();
    // The run's own age limit is a wake time too, so it continues as new even with nothing due.
    if (continueByRunAge && !run.closed) next = Math.min(next ?? runMaxAgeAt, runMaxAgeAt);
    if (oneTimerPerWakeTime) {
      setAlarm(next);
      await condition(() => wake);
    } else if (next === undefined) await condition(() => wake);
    else await condition(() => wake, Math.max(1, next - Date.now()));
  }

  await condition(allHandlersFinished);
  return {
    personId: input.personId,
    subject: input.subject,
    closure: run.snapshot.context.closure,
    runs: run.runNumber,
    eventsApplied: run.eventsApplied,
    ...(run.journeyNumber > 1 ? { journeyNumber: run.journeyNumber } : {}),
  };
}

function refusal(verdict: Exclude<Verdict, { kind: 'accept' | 'duplicate' }>) {
  if (verdict.kind === 'invalid') {
    return ApplicationFailure.create({
      type: refusalFailureTypes.invalid,
      message: `invalid event: ${verdict.problems.join('; ')}`,
      details: [{ problems: verdict.problems }],
      nonRetryable: true,
    });
  }
  if (verdict.kind === 'conflict') {
    return ApplicationFailure.create({
      type: refusalFailureTypes.conflict,
      message: verdict.reasons.map((r) => r.message).join('; '),
      details: [{ reasons: verdict.reasons, conflict: verdict.conflict }],
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    type: refusalFailureTypes.refused,
    message: verdict.reasons.map((r) => r.message).join('; '),
    details: [{ reasons: verdict.reasons }],
    nonRetryable: true,
  });
}

/** An Update, or a start, whose payload the worker's codec refused. */
function payloadRefusal(mark: RefusedPayloadMark) {
  return ApplicationFailure.create({
    type: REFUSED_PAYLOAD_FAILURE_TYPE,
    message: `refused: ${mark.message}`,
    details: [{ reason: mark.reason }],
    nonRetryable: true,
  });
}

function jobName(job: Job): string {
  if (job.kind === 'effect') return job.effect.type;
  return job.kind === 'caseRecord' ? 'recordCaseEvent' : 'notify';
}
