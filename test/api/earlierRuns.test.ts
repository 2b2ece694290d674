import type { CaseRecordEntry } from '../../activities/caseRecord';
import type { JourneyEvent } from '../../machines/events';
import { RULES_VERSION } from '../../machines/journeyContext';
import type { Deadline, TimelineEntry } from '../../machines/types';
import { journeyWorkflowId, newJourneyInput, timelineQuery } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';
import { eventually } from '../support/eventually';
import { ev, isRasResult, pathToActivation } from '../support/journeyEvents';
import { openTestStore, type TestStore } from '../store/storeKit';
import { daysAgo, startApiHarness, type ApiHarness } from './apiHarness';

/**
 * A journey in its second run (patched 'national-scale-costs') carries only its newest event ids,
 * no timeline and no closed deadlines: the case-event store has them. Through the API:
 *
 * - R-TIM-3 for an id the journey no longer carries: the store holds the event its first run
 *   committed, so the same event sent again is a duplicate and a different one under the id a
 *   conflict naming both, as the journey would have answered;
 * - an entry a crashed workflow task wrote beyond what its run committed does not count: the event
 *   goes to the journey, which applies it;
 * - the journey's page reads the timeline and the closed deadlines whole from the store.
 *
 * The first run is played purely (the workflow's own JourneyRun) and its case record written by the
 * store's own write path; the second run is started in Temporal with what the first carried.
 */

let store: TestStore;
let api: ApiHarness;
const personId = 'EARLIER-RUNS-1';
const start = daysAgo(30);
let road: JourneyEvent[];
let forgotten: JourneyEvent;
let firstRunEvents = 0;
/** an id a crashed task of the first run wrote, beyond what that run committed */
const uncommittedId = 'ghost-of-run-1';

beforeAll(async () => {
  store = await openTestStore('embedded');
  api = await startApiHarness({ store: store.store });
  const input = newJourneyInput(personId, 'person', api.config, new Date(start));
  const first = new JourneyRun(input, start, RULES_VERSION, { boundedCarry: true, spreadWakeUps: true });
  road = [
    ...pathToActivation(start),
    ev('INFORMAL_REVIEW_COMPLETED', new Date(Date.parse(start) + 11 * 86_400_000).toISOString(), {}),
  ];
  for (const event of road) {
    const verdict = first.judge(event, event.occurredAt, isRasResult(event) ? 'system' : 'outside');
    if (verdict.kind !== 'accept') throw new Error(`${event.type}: ${verdict.kind}`);
    first.apply(verdict.event, 'update', event.occurredAt);
  }
  firstRunEvents = first.eventsApplied;
  // what the first run wrote to the case record, by the store's own write path
  const records = first.jobs.flatMap((job) => (job.kind === 'caseRecord' ? [job.record] : []));
  for (const record of records) await store.store.record(record);
  // and one entry Temporal never committed: a task that crashed after writing it, one place on
  const ghost: CaseRecordEntry = {
    recordId: uncommittedId,
    personId,
    kind: 'event',
    entry: {
      eventId: uncommittedId,
      type: 'UNSCHEDULED_REVIEW_REQUESTED',
      actor: { userId: 'ann.practitioner', role: 'practitioner' },
      occurredAt: daysAgo(2),
      recordedAt: daysAgo(2),
      ruleIds: [],
      from: 'liveSupport',
      to: 'liveSupport',
      via: 'update',
    },
    state: { ...records.at(-1)!.state!, eventsApplied: firstRunEvents + 1 },
    event: ev('MONITORING_CHECK_COMPLETED', daysAgo(2), { concerns: true }, { eventId: uncommittedId }),
  };
  await store.store.record(ghost);
  first.jobs = [];
  // the first run has continued as new: it carries its newest ids, but here not the referral's
  forgotten = road[0]!;
  const carried = first.carry(daysAgo(1));
  carried.seenEventIds = carried.seenEventIds.filter((id) => id !== forgotten.eventId);
  carried.seenEventDigests = carried.seenEventDigests?.filter(([id]) => id !== forgotten.eventId);
  expect(carried.runEnds).toEqual([[1, firstRunEvents]]);
  await api.env.client.workflow.start('journeyWorkflow', {
    workflowId: journeyWorkflowId(personId),
    taskQueue: api.config.temporal.taskQueue,
    args: [{ ...input, bankHolidays: undefined, carried }],
  });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await store?.close();
});

const send = (body: Record<string, unknown>) =>
  api.call('POST', `/journeys/${personId}/events`, { role: 'practitioner', body });

const withoutActor = ({ actor: _actor, ...body }: JourneyEvent) => body;

it('an event its first run committed, sent again, is a duplicate, though the journey no longer carries its id', async () => {
  const { type: _type, ...referral } = withoutActor(forgotten) as Record<string, unknown>;
  // a referral on the open journey goes by POST /referrals
  const answer = await api.call('POST', '/referrals', {
    role: 'integration',
    body: { ...referral, personId },
  });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({
    status: 'duplicate',
    eventId: forgotten.eventId,
    journeyOpened: false,
  });
  expect(answer.body.view).toMatchObject({ personId, stage: 'liveSupport' });
  // nothing was applied in the second run
  const { position } = await api.env.client.workflow
    .getHandle(journeyWorkflowId(personId))
    .query(timelineQuery);
  expect(position).toEqual({ journeyNumber: 1, runNumber: 2, eventsApplied: 0 });
});

it('a different event under that id is a conflict naming both (R-TIM-3)', async () => {
  const { type: _type, ...referral } = withoutActor(forgotten) as Record<string, unknown>;
  const answer = await api.call('POST', '/referrals', {
    role: 'integration',
    body: { ...referral, personId, summary: 'another referral altogether' },
  });
  expect(answer.status).toBe(409);
  expect(answer.body).toMatchObject({
    conflict: {
      eventId: forgotten.eventId,
      earlier: { type: 'REFERRAL_RECEIVED', occurredAt: forgotten.occurredAt },
    },
    reasons: [{ ruleId: 'R-TIM-3' }],
  });
});

it('an entry beyond what its run committed does not count: the event goes to the journey, which applies it', async () => {
  const answer = await send({
    type: 'UNSCHEDULED_REVIEW_REQUESTED',
    eventId: uncommittedId,
    occurredAt: daysAgo(0.5),
    trigger: 'providerAlert',
  });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ status: 'applied', eventId: uncommittedId });
  expect(
    (answer.body.view as { deadlines: Deadline[] }).deadlines.some((d) => d.kind === 'unscheduledReview'),
  ).toBe(true);
});

it("the journey's page reads its whole timeline and its closed deadlines from the store", async () => {
  await eventually(async () => {
    const detail = await api.call('GET', `/journeys/${personId}`, { role: 'manager' });
    expect(detail.status).toBe(200);
    const timeline = detail.body.timeline as TimelineEntry[];
    // every event of the first run (the RAS's answer among them), then the second run's, once each
    expect(timeline.map((e) => e.eventId)).toEqual([...road.map((e) => e.eventId), uncommittedId]);
    expect(timeline.at(-1)).toMatchObject({ type: 'UNSCHEDULED_REVIEW_REQUESTED' });
    // the informal review met in the first run is not carried, but the page shows it
    const deadlines = (detail.body.view as { deadlines: Deadline[] }).deadlines;
    expect(deadlines.find((d) => d.kind === 'informalReview')).toMatchObject({ status: 'met' });
    expect(deadlines.filter((d) => d.status === 'due').map((d) => d.kind)).toEqual(
      expect.arrayContaining(['firstReview', 'unscheduledReview']),
    );
  });
});
