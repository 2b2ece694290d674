import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { applyEventUpdate, journeyWorkflowId, recordEventSignal } from '../../workflows/definitions';
import { HISTORY_EVENT_BOUND } from '../../workflows/journey.workflow';
import { eventually } from '../support/eventually';
import { ev, pathToActivation, referral, review } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow, skipTo } from '../support/timeTravel';

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
  await kit.sendAll('dup', pathToActivation(await past(10)));
  const request = ev('UNSCHEDULED_REVIEW_REQUESTED', await serverNow(env), { trigger: 'providerAlert' });
  const applied = await kit.send('dup', request);
  expect(applied.status).toBe('applied');
  // The Update result (kept in history with every event) is the outline: no why-nots.
  expect(applied.view).not.toHaveProperty('notAllowedNow');
  expect(applied.view.allowedEvents).toContain('REVIEW_COMPLETED');
  const again = await kit.send('dup', { ...request });
  expect(again.status).toBe('duplicate');
  // and by signal too
  await kit.handle('dup').signal(recordEventSignal, request);
  const view = await kit.view('dup');
  expect(view.deadlines.filter((d) => d.kind === 'unscheduledReview')).toHaveLength(1);
  const { timeline } = await kit.timeline('dup');
  expect(timeline.filter((e) => e.eventId === request.eventId)).toHaveLength(1);
});

it('an event that moves no clock costs no timer: the one timer is re-armed only when the wake time changes', async () => {
  await kit.startJourney('one-timer');
  await kit.sendAll('one-timer', pathToActivation(await past(10)));
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

it('a 10-year journey with annual reviews continues as new and keeps every run under the bound', async () => {
  const events = pathToActivation(await past(10));
  await kit.startJourney('ten-years');
  const first = await kit.handle('ten-years').describe();
  await kit.sendAll('ten-years', events);
  await kit.send('ten-years', ev('INFORMAL_REVIEW_COMPLETED', await serverNow(env), {}));
  let reviewAt = Date.parse(events.at(-1)!.occurredAt) + 6 * 7 * DAY;
  for (let year = 0; year < 10; year++) {
    await skipTo(env, reviewAt);
    const now = await serverNow(env);
    await kit.send('ten-years', review(now));
    const check = (await kit.view('ten-years')).deadlines.find(
      (d) => d.kind === 'monitoringCheck' && d.status === 'due',
    );
    if (check) {
      await skipTo(env, Date.parse(check.dueAt) - DAY);
      await kit.send(
        'ten-years',
        ev('MONITORING_CHECK_COMPLETED', await serverNow(env), { concerns: false }),
      );
    }
    const next = (await kit.view('ten-years')).deadlines.find(
      (d) => d.kind === 'annualReview' && d.status === 'due',
    )!;
    reviewAt = Date.parse(next.dueAt) - 2 * DAY;
  }
  const final = await kit.view('ten-years');
  expect(final.deadlines.filter((d) => d.kind === 'annualReview' && d.status === 'met')).toHaveLength(9);
  expect(final.deadlines.filter((d) => d.status === 'overdue')).toHaveLength(0);

  // follow the chain of runs from the first
  const lengths: number[] = [];
  let runId: string | undefined = first.runId;
  while (runId) {
    const history = await historyOf('ten-years', runId);
    lengths.push(history.length);
    const continued = history.find((e) => e.workflowExecutionContinuedAsNewEventAttributes);
    runId = continued?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  expect(lengths.length).toBeGreaterThanOrEqual(9); // at least yearly, so bank holidays are re-pinned
  for (const length of lengths) expect(length).toBeLessThan(HISTORY_EVENT_BOUND);
  // every event survived the runs: the audit trail carries the recent ones
  const { timeline } = await kit.timeline('ten-years');
  expect(timeline.filter((e) => e.type === 'REVIEW_COMPLETED')).toHaveLength(10);
});
