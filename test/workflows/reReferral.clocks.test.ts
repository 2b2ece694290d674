import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Deadline } from '../../machines/types';
import { listJourneys, overdueCounts } from '../../store/lists';
import { journeyWorkflowId, newJourneyInput } from '../../workflows/definitions';
import { eventually } from '../support/eventually';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { emergencyReReferral, roadToClosure } from '../support/reReferralRoads';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, MINUTE, serverNow, skipTo } from '../support/timeTravel';
import { wakeSpreadOf } from '../../workflows/wakeSpread';
import { openTestStore, type TestStore } from '../store/storeKit';

/**
 * R-REF-4 on the time-skipping server: the second journey of a person whose first journey closed
 * runs under the same workflow id from run 1 again, and its clocks are its own. Its emergency
 * assessment clock (R-EMG-1) falls overdue when its instant passes — not before — and its
 * escalation goes out under its own id, while the case-event store lists it and counts it overdue
 * and keeps the first journey's rows as they were.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
let store: TestStore;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  store = await openTestStore('embedded');
  await kit.startWorker({ caseRecord: store.store });
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
  await store?.close();
});

const personId = 'reref-clock';
const escalationsFor = (deadlineId: string) =>
  kit.outbox('escalations').filter((item) => item.name.startsWith(`${personId}_${deadlineId}_`));

it("R-REF-4 / R-EMG-1: the second journey's emergency clock falls overdue when it passes, escalates, and is listed", async () => {
  // The first journey: referred, then withdrawn; its run completes.
  const start = new Date(Date.parse(await serverNow(env)) + DAY).toISOString();
  await skipTo(env, start);
  await kit.startJourney(personId);
  const first = roadToClosure('withdrawn', start);
  await kit.sendOnTime(personId, first);
  // (not result() yet: while a client waits on it the time-skipping server's clock runs on)
  await eventually(async () => expect((await kit.handle(personId).describe()).status.name).toBe('COMPLETED'));
  const firstRunId = (await kit.handle(personId).describe()).runId;
  await eventually(async () =>
    expect(await store.store.journey(personId)).toMatchObject({ closed: true, journeyNumber: 1 }),
  );
  const firstRecord = await store.store.personRecord(personId);

  // The second: the same workflow id, numbered 2 (as the API numbers it), an emergency.
  const referredAt = new Date(Date.parse(start) + 30 * DAY).toISOString();
  await skipTo(env, referredAt);
  await kit.client.workflow.start('journeyWorkflow', {
    workflowId: journeyWorkflowId(personId),
    taskQueue: kit.config.temporal.taskQueue,
    args: [newJourneyInput(personId, 'person', kit.config, new Date(referredAt), 2)],
  });
  const interimAt = new Date(Date.parse(referredAt) + 2 * 3_600_000).toISOString();
  const second = emergencyReReferral(referredAt, interimAt);
  await kit.sendOnTime(personId, second);
  const clockOf = async (): Promise<Deadline> =>
    (await kit.view(personId)).deadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
  const clock = await clockOf();
  expect(clock.id).toMatch(/^j2-emergencyAssessmentStart-\d+$/);
  expect(firstRecord.deadlines.map((d) => d.id)).not.toContain(clock.id);

  // Due until its instant; overdue, escalated and listed after it, when this person's wake-up comes
  // (the person's own offset within the window: workflows/wakeSpread.ts), flagged as of the instant.
  await skipTo(env, Date.parse(clock.overdueAt) - MINUTE);
  expect((await clockOf()).status).toBe('due');
  expect(escalationsFor(clock.id)).toHaveLength(0);
  await skipTo(env, Date.parse(clock.overdueAt) + wakeSpreadOf(personId).afterMs + MINUTE);
  await eventually(async () =>
    expect(await clockOf()).toMatchObject({ status: 'overdue', flaggedOverdueAt: clock.overdueAt }),
  );
  await eventually(() => expect(escalationsFor(clock.id)).toHaveLength(1));
  await eventually(async () =>
    expect((await store.store.personRecord(personId)).notices).toContainEqual(
      expect.objectContaining({ notificationId: `${personId}:${clock.id}:escalation-1`, kind: 'escalation' }),
    ),
  );
  await eventually(async () =>
    expect(await store.store.journey(personId)).toMatchObject({
      closed: false,
      journeyNumber: 2,
      overdueKinds: ['emergencyAssessmentStart'],
    }),
  );
  const page = await listJourneys(store.db, { overdue: true }, { asOf: new Date(), limit: 10 });
  expect(page.rows.map((r) => r.personId)).toEqual([personId]);
  expect((await overdueCounts(store.db)).totalOverdue).toBe(1);

  // The first journey's rows are as they were: every entry, deadline and notice, under its own id.
  const record = await store.store.personRecord(personId);
  const ids = record.entries.map((e) => e.recordId);
  expect(ids.slice(0, firstRecord.entries.length)).toEqual(firstRecord.entries.map((e) => e.recordId));
  expect(ids.slice(firstRecord.entries.length).every((id) => id.startsWith('j2:'))).toBe(true);
  for (const d of firstRecord.deadlines) expect(record.deadlines).toContainEqual(d);
  for (const n of firstRecord.notices) expect(record.notices).toContainEqual(n);
  // the current run is the second journey's first
  const described = await kit.handle(personId).describe();
  expect(described.status.name).toBe('RUNNING');
  expect((await kit.timeline(personId)).timeline.map((e) => e.eventId)).toEqual(
    expect.arrayContaining(second.map((e) => e.eventId)),
  );
  expect((await kit.timeline(personId)).timeline.map((e) => e.eventId)).not.toContain(first[0]!.eventId);
  // the first journey's run said how it closed, and is a first journey
  const firstSummary = await kit.client.workflow.getHandle(journeyWorkflowId(personId), firstRunId).result();
  expect(firstSummary.closure?.reason).toBe('withdrawn');
  expect(firstSummary).not.toHaveProperty('journeyNumber');
}, 120_000);
