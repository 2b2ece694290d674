import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import {
  applyEventUpdate,
  journeyWorkflowId,
  recordEventSignal,
  type EventReceipt,
} from '../../workflows/definitions';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { JourneyEvent } from '../../machines/events';
import { HISTORY_EVENT_BOUND, RUN_MAX_AGE_MS } from '../../workflows/journey.workflow';
import { eventually } from '../support/eventually';
import { ev, pathToActivation, referral, review } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, MINUTE, serverNow, skipTo } from '../support/timeTravel';
import type { CaseRecordEntry } from '../../activities/caseRecord';
import type { TimelineEntry } from '../../machines/types';
import { LastEventAt } from '../../workflows/searchAttributes';

/**
 * A journey keeps every accepted event and applies it once, whatever happens to workers, and
 * refuses what it must without a trace; it lasts years in runs of bounded history.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

const EventType = temporal.api.enums.v1.EventType;

async function historyOf(personId: string, runId?: string) {
  return (
    (await env.client.workflow.getHandle(journeyWorkflowId(personId), runId).fetchHistory()).events ?? []
  );
}

const past = async (days: number) => new Date(Date.parse(await serverNow(env)) - days * DAY).toISOString();

it('the same eventId sent twice is applied once (a retrying case system books one review)', async () => {
  await kit.startJourney('dup');
  await kit.sendOnTime('dup', pathToActivation(await serverNow(env)));
  const request = ev('UNSCHEDULED_REVIEW_REQUESTED', await serverNow(env), { trigger: 'providerAlert' });
  const applied = await kit.send('dup', request);
  expect(applied.status).toBe('applied');
  // The Update result (kept in history with every event) is a receipt, not the outline: where the
  // journey is, its version and its next steps in brief (the unscheduled review it has just opened).
  expect(applied).not.toHaveProperty('view');
  expect(applied).toMatchObject({
    eventId: request.eventId,
    stage: 'liveSupport',
    from: 'liveSupport',
    closed: false,
    version: { journeyNumber: 1, runNumber: 1 },
  });
  expect(JSON.stringify(applied).length).toBeLessThan(1_024);
  expect((applied as EventReceipt).nextSteps.map((s) => s.event)).toContain('REVIEW_COMPLETED');
  const again = await kit.send('dup', { ...request });
  expect(again).toMatchObject({
    status: 'duplicate',
    eventId: request.eventId,
    version: (applied as EventReceipt).version,
  });
  // and by signal too
  await kit.handle('dup').signal(recordEventSignal, request);
  const view = await kit.view('dup');
  expect(view.deadlines.filter((d) => d.kind === 'unscheduledReview')).toHaveLength(1);
  const { timeline } = await kit.timeline('dup');
  expect(timeline.filter((e) => e.eventId === request.eventId)).toHaveLength(1);
});

it('an event that moves no clock costs no timer: the one timer is re-armed only when the wake time changes', async () => {
  await kit.startJourney('one-timer');
  await kit.sendOnTime('one-timer', pathToActivation(await serverNow(env)));
  const timersStarted = async () =>
    (await historyOf('one-timer')).filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED).length;
  const before = await timersStarted();
  expect(before).toBeGreaterThan(0); // the informal review (R-REV-1) is on the clock
  // a change of worker moves no deadline, reminder or escalation
  await kit.send(
    'one-timer',
    ev('WORKER_ALLOCATED', await serverNow(env), { team: 'north', workerId: 'worker.bo' }),
  );
  expect((await kit.view('one-timer')).allocatedWorker).toBe('worker.bo');
  expect(await timersStarted()).toBe(before);
  // an event that meets the deadline on the clock moves the wake time: one new timer
  await kit.send('one-timer', ev('INFORMAL_REVIEW_COMPLETED', await serverNow(env), {}));
  expect(await timersStarted()).toBe(before + 1);
});

it('a malformed or refused Update is rejected by the validator and leaves no trace in history', async () => {
  await kit.startJourney('no-trace');
  await kit.send('no-trace', referral(await past(1)));
  const before = await historyOf('no-trace');

  const malformed = {
    type: 'TRIAGED',
    eventId: 'bad-1',
    occurredAt: 'yesterday',
    actor: { userId: 'a', role: 'practitioner' },
  };
  await expect(kit.handle('no-trace').executeUpdate(applyEventUpdate, { args: [malformed] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  // triage without the universal offer is refused (R-REF-1), with the rule's reason
  const refused = ev('TRIAGED', await past(0.5), { route: 'assessment', reason: 'needs assessment' });
  const failure = await kit
    .handle('no-trace')
    .executeUpdate(applyEventUpdate, { args: [refused] })
    .catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(String((failure as WorkflowUpdateFailedError).cause?.message)).toContain('universal offer');

  const after = await historyOf('no-trace');
  const updates = (events: typeof after) =>
    events.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    ).length;
  expect(updates(after)).toBe(updates(before));
  expect(JSON.stringify(after)).not.toContain(refused.eventId);
  expect((await kit.view('no-trace')).stage).toBe('triage');
});

it('a refused Signal is recorded in the audit trail and does not fail the workflow', async () => {
  await kit.startJourney('bad-signal');
  await kit.send('bad-signal', referral(await past(1)));
  await kit.handle('bad-signal').signal(recordEventSignal, { type: 'NOT_AN_EVENT' });
  await kit
    .handle('bad-signal')
    .signal(recordEventSignal, ev('PLAN_SIGNED_OFF' as never, await past(0.5), {} as never));
  const valid = ev('UNIVERSAL_OFFER_GIVEN', await past(0.4), {
    informationAndAdvice: ['leaflet'],
    signposting: [],
    prevention: [],
  });
  await kit.handle('bad-signal').signal(recordEventSignal, valid);
  await eventually(async () => {
    const { refused, timeline } = await kit.timeline('bad-signal');
    expect(refused.map((r) => r.type)).toEqual(['NOT_AN_EVENT', 'PLAN_SIGNED_OFF']);
    expect(refused[0]!.reasons[0]!.message).toContain('unknown event type');
    expect(timeline.map((e) => e.type)).toContain('UNIVERSAL_OFFER_GIVEN');
  });
  expect((await kit.handle('bad-signal').describe()).status.name).toBe('RUNNING');
  const failedTasks = (await historyOf('bad-signal')).filter(
    (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  );
  expect(failedTasks).toHaveLength(0);
});

it('R-CAR-1 / R-ASM-4: a carer who accepts an assessment gets a journey of their own (subject carer)', async () => {
  const at = await past(2);
  await kit.startJourney('cared-for');
  await kit.sendAll('cared-for', [
    referral(at),
    ev('UNIVERSAL_OFFER_GIVEN', at, { informationAndAdvice: ['leaflet'], signposting: [], prevention: [] }),
    ev('TRIAGED', at, { route: 'assessment', reason: 'needs assessment' }),
    ev('ASSESSMENT_STARTED', at, {}),
    ev('CARER_IDENTIFIED', at, { carerId: 'carer-of-cared-for' }),
    ev('CARER_ASSESSMENT_OFFERED', at, { carerId: 'carer-of-cared-for', accepted: true }),
  ]);
  const carer = await eventually(async () => {
    const view = await kit.view('carer-of-cared-for');
    expect(view.stage).toBe('triage');
    return view;
  });
  expect(carer.subject).toBe('carer');
  // the carer's journey is its own workflow, which outlives the cared-for person's
  expect((await kit.handle('carer-of-cared-for').describe()).status.name).toBe('RUNNING');
});

/** A year, for the journeys' lengths (a run's age limit, RUN_MAX_AGE_MS, is two). */
const YEAR_MS = 365 * DAY;

/** How much past its age limit a run may continue as new: the wake-up and its workflow task. */
const RUN_AGE_MARGIN_MS = 60 * MINUTE;

interface RunSpan {
  runId: string;
  startedAt: number;
  /** when it continued as new; undefined for the run still going */
  continuedAt: number | undefined;
  historyLength: number;
}

/** The chain of runs from the first, each with when it started and when it continued as new. */
async function runChain(testEnv: TestWorkflowEnvironment, personId: string, firstRunId: string) {
  const runs: RunSpan[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistoryEvent[] =
      (await testEnv.client.workflow.getHandle(journeyWorkflowId(personId), runId).fetchHistory()).events ??
      [];
    const continued = history.find((e) => e.workflowExecutionContinuedAsNewEventAttributes);
    runs.push({
      runId,
      startedAt: optionalTsToMs(history[0]?.eventTime) ?? Number.NaN,
      continuedAt: continued ? optionalTsToMs(continued.eventTime) : undefined,
      historyLength: history.length,
    });
    runId = continued?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/**
 * Every run continued as new within RUN_MAX_AGE_MS of its start (the one still going is younger),
 * so a journey of `elapsed` has had at least floor(elapsed / a year) continue-as-new, whatever
 * the day the test runs; and every run stayed under the history bound.
 */
async function expectRunsBounded(testEnv: TestWorkflowEnvironment, personId: string, firstRunId: string) {
  const runs = await runChain(testEnv, personId, firstRunId);
  const now = await testEnv.currentTimeMs();
  const ages = runs.map((r) => (r.continuedAt ?? now) - r.startedAt);
  for (const age of ages) expect(age).toBeLessThanOrEqual(RUN_MAX_AGE_MS + RUN_AGE_MARGIN_MS);
  for (const run of runs) expect(run.historyLength).toBeLessThan(HISTORY_EVENT_BOUND);
  const elapsed = now - runs[0]!.startedAt;
  expect(runs.length - 1).toBeGreaterThanOrEqual(Math.floor(elapsed / (RUN_MAX_AGE_MS + RUN_AGE_MARGIN_MS)));
  return { runs, ages, elapsed };
}

/** A case-record entry as the outbox keeps it: its `Id:` line, then the entry as JSON. */
const recordOf = (text: string) => JSON.parse(text.slice(text.indexOf('\n') + 1)) as CaseRecordEntry;

/**
 * A journey with services that is reviewed `reviews` times: the first review six weeks after
 * services start, then each annual review two days before it is due, with every monitoring check
 * in between met the day before. Then the journey's view and audit trail are checked.
 */
async function reviewYearly(
  testEnv: TestWorkflowEnvironment,
  testKit: JourneyKit,
  personId: string,
  servicesStartedAt: string,
  reviews: number,
) {
  const send = async (event: JourneyEvent) => testKit.send(personId, event);
  const now = async () => serverNow(testEnv);
  await send(ev('INFORMAL_REVIEW_COMPLETED', await now(), {}));
  let reviewAt = Date.parse(servicesStartedAt) + 6 * 7 * DAY;
  for (let year = 0; year < reviews; year++) {
    await skipTo(testEnv, reviewAt);
    await send(review(await now()));
    const check = (await testKit.view(personId)).deadlines.find(
      (d) => d.kind === 'monitoringCheck' && d.status === 'due',
    );
    if (check) {
      await skipTo(testEnv, Date.parse(check.dueAt) - DAY);
      await send(ev('MONITORING_CHECK_COMPLETED', await now(), { concerns: false }));
    }
    const next = (await testKit.view(personId)).deadlines.find(
      (d) => d.kind === 'annualReview' && d.status === 'due',
    )!;
    reviewAt = Date.parse(next.dueAt) - 2 * DAY;
  }
  // What the journey decides by: nothing overdue, the next annual review open.
  const final = await testKit.view(personId);
  expect(final.deadlines.filter((d) => d.status === 'overdue')).toHaveLength(0);
  expect(final.deadlines.filter((d) => d.kind === 'annualReview' && d.status === 'due')).toHaveLength(1);
  // Every event survived the runs, in the case record, written as the journey went: its history
  // for people, which continue-as-new does not carry (workflows/carriedState.ts). Every review is
  // there, and every annual review met by its date.
  await eventually(() => {
    const entries = testKit.outbox(`case-record/${personId}`).map((item) => recordOf(item.text));
    const reviewed = entries.filter(
      (e) => e.kind === 'event' && (e.entry as TimelineEntry).type === 'REVIEW_COMPLETED',
    );
    expect(reviewed).toHaveLength(reviews);
    const met = entries
      .flatMap((e) => e.state?.deadlines ?? [])
      .filter((d) => d.kind === 'annualReview' && d.status === 'met');
    expect(new Set(met.map((d) => d.id)).size).toBe(reviews - 1);
  });
}

it('a 10-year journey with annual reviews continues as new and keeps every run under the bound', async () => {
  const events = pathToActivation(await serverNow(env));
  await kit.startJourney('ten-years');
  const first = await kit.handle('ten-years').describe();
  await kit.sendOnTime('ten-years', events);
  await reviewYearly(env, kit, 'ten-years', events.at(-1)!.occurredAt, 10);
  // at least every two years, so bank holidays are re-pinned: the reviews span over nine years, so
  // at least four continue-as-new (expectRunsBounded holds the count to the elapsed time exactly)
  const { runs, elapsed } = await expectRunsBounded(env, 'ten-years', first.runId);
  expect(elapsed).toBeGreaterThan(9 * YEAR_MS);
  expect(runs.length).toBeGreaterThanOrEqual(5);
});

/**
 * Continue-as-new by the run's own age, on a server of its own: each case skips it to a calendar
 * feature after the server's now (which is the real current time when it starts), so every run
 * of the suite crosses the same features whatever the day.
 */
describe('every run continues as new within its age limit (two years), by its own timer', () => {
  let ageEnv: TestWorkflowEnvironment;
  let ageKit: JourneyKit;
  beforeAll(async () => {
    ageEnv = await createTimeSkippingEnv();
    ageKit = await journeyKit(ageEnv);
    await ageKit.startWorker();
  });
  afterAll(async () => {
    await ageKit?.teardown();
    await ageEnv?.teardown();
  });

  it('a journey with no deadline at all for four years continues as new within two years of each run start', async () => {
    const startedAt = await serverNow(ageEnv);
    await ageKit.startJourney('no-clock');
    const first = await ageKit.handle('no-clock').describe();
    await ageKit.send('no-clock', referral(startedAt));
    // left in triage, which has no clock: nothing would wake the run
    const view = await ageKit.view('no-clock');
    expect(view.stage).toBe('triage');
    expect(view.deadlines.filter((d) => d.status === 'due')).toEqual([]);

    await skipTo(ageEnv, Date.parse(startedAt) + RUN_MAX_AGE_MS + DAY);
    const { runs, ages } = await expectRunsBounded(ageEnv, 'no-clock', first.runId);
    expect(runs).toHaveLength(2);
    expect(ages[0]).toBeGreaterThanOrEqual(RUN_MAX_AGE_MS); // not before the limit either

    await skipTo(ageEnv, Date.parse(startedAt) + 2 * RUN_MAX_AGE_MS + DAY);
    expect((await expectRunsBounded(ageEnv, 'no-clock', first.runId)).runs).toHaveLength(3);
    // the carried journey is the same journey: where it is, and when it last heard of the person
    expect((await ageKit.view('no-clock')).stage).toBe('triage');
    const { typedSearchAttributes } = await ageKit.handle('no-clock').describe();
    expect(typedSearchAttributes.get(LastEventAt)?.toISOString()).toBe(new Date(startedAt).toISOString());
    // its timeline is not carried (the case record has it): this run has applied nothing yet
    expect((await ageKit.timeline('no-clock')).timeline).toEqual([]);
    expect(ageKit.outbox('case-record/no-clock').map((item) => recordOf(item.text).entry.type)).toEqual([
      'REFERRAL_RECEIVED',
    ]);
    await ageKit.handle('no-clock').terminate('test over');
  });

  /** The next instant after `now` that `at(year)` gives (undefined: not that year). */
  const nextAfter = (now: number, at: (year: number) => string | undefined): string => {
    for (let year = new Date(now).getUTCFullYear(); ; year++) {
      const instant = at(year);
      if (instant && Date.parse(instant) > now + DAY) return instant;
    }
  };
  const lastSundayOfMarch = (year: number) => 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay();
  const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const features: [string, (year: number) => string | undefined][] = [
    ['Christmas Eve', (year) => `${year}-12-24T10:00:00.000Z`],
    // 00:30 UTC, half an hour before London's clocks go forward
    [
      'the last Sunday of March (clocks go forward)',
      (year) => `${year}-03-${lastSundayOfMarch(year)}T00:30:00.000Z`,
    ],
    ['29 February', (year) => (isLeap(year) ? `${year}-02-29T10:00:00.000Z` : undefined)],
  ];

  it.each(features)(
    'a journey referred on %s, reviewed for three years, continues as new at least every two years',
    async (_feature, at) => {
      const start = nextAfter(await ageEnv.currentTimeMs(), at);
      const personId = `from-${start.slice(0, 10)}`;
      await skipTo(ageEnv, start);
      await ageKit.startJourney(personId);
      const first = await ageKit.handle(personId).describe();
      // each event sent on its day, as a case system would, so the first run starts on the feature
      const events = pathToActivation(start);
      await ageKit.sendOnTime(personId, events);
      await reviewYearly(ageEnv, ageKit, personId, events.at(-1)!.occurredAt, 4);
      const { runs, elapsed } = await expectRunsBounded(ageEnv, personId, first.runId);
      expect(elapsed).toBeGreaterThan(3 * YEAR_MS);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      // the first run began on the feature
      expect(runs[0]!.startedAt).toBeLessThan(Date.parse(start) + DAY);
      await ageKit.handle(personId).terminate('test over');
    },
  );
});
