import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { outboxCaseRecord, type CaseRecord } from '../../activities/caseRecord';
import { Outbox } from '../../activities/outbox';
import { journeyWorkflowId } from '../../workflows/definitions';
import { RUN_MAX_AGE_MS } from '../../workflows/journey.workflow';
import * as SA from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { ev, pathToActivation, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow, skipTo } from '../support/timeTravel';

/**
 * What a journey costs in Temporal (issue 16): one patch marker a run; the case record written by
 * one local activity per workflow task, not an activity per event, without holding the
 * practitioner's Update while it fails; and a run that continued as new upserts only what changed
 * since its predecessor.
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
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function historyOf(testEnv: TestWorkflowEnvironment, personId: string, runId?: string) {
  return (
    (await testEnv.client.workflow.getHandle(journeyWorkflowId(personId), runId).fetchHistory()).events ?? []
  );
}

const scheduledActivities = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
const localActivityMarkers = (events: HistoryEvent[]) =>
  events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');

/** The journey attributes an upsert event sets (Temporal's own TemporalChangeVersion left out). */
const journeyKeysUpserted = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    .flatMap((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
    )
    .filter((key) => key !== 'TemporalChangeVersion');

// First, while no other journey of this server has a clock: the test skips a year, and a journey
// whose deadlines pass during a skip runs local activities (its case record) that the test server's
// time skipping does not wait for.
it('a run that continued as new keeps its search attributes and upserts none it already has', async () => {
  const startedAt = await serverNow(env);
  await kit.startJourney('seeded');
  const first = await kit.handle('seeded').describe();
  await kit.send('seeded', referral(startedAt));
  await kit.send(
    'seeded',
    ev('WORKER_ALLOCATED', await serverNow(env), { team: 'north', workerId: 'worker.bo' }),
  );
  // Left in triage, which has no clock: nothing changes until the run's own age limit wakes it.
  await skipTo(env, Date.parse(startedAt) + RUN_MAX_AGE_MS + DAY);
  const firstRun = await historyOf(env, 'seeded', first.runId);
  const continued = firstRun.find((e) => e.workflowExecutionContinuedAsNewEventAttributes);
  const secondRunId = continued?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  expect(secondRunId).toBeTruthy();
  expect(journeyKeysUpserted(firstRun)).toEqual(expect.arrayContaining(['JourneyStage', 'Team', 'PersonId']));
  await eventually(async () => {
    const second = await historyOf(env, 'seeded', secondRunId!);
    expect(second.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(true);
    expect(journeyKeysUpserted(second)).toEqual([]);
  });
  // the new run has them all the same: Temporal carried them over
  const attributes = (await kit.handle('seeded').describe()).typedSearchAttributes;
  expect(attributes.get(SA.JourneyStage)).toBe('triage');
  expect(attributes.get(SA.Team)).toBe('north');
  expect(attributes.get(SA.AllocatedWorker)).toBe('worker.bo');
  expect(attributes.get(SA.PersonId)).toBe('seeded');

  // and what changes after is upserted, only that
  await kit.send(
    'seeded',
    ev('WORKER_ALLOCATED', await serverNow(env), { team: 'north', workerId: 'worker.cy' }),
  );
  const second = await historyOf(env, 'seeded', secondRunId!);
  expect(journeyKeysUpserted(second).sort()).toEqual(['AllocatedWorker', 'LastEventAt']);
  await kit.handle('seeded').terminate('test over');
});

it('a new run records one patch marker, so one TemporalChangeVersion upsert, however many patches are in force', async () => {
  await kit.startJourney('one-marker');
  await kit.send('one-marker', referral(await serverNow(env)));
  const history = await historyOf(env, 'one-marker');
  const patches = history.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
  expect(patches).toHaveLength(1);
  const changeVersionUpserts = history.filter((e) =>
    Object.keys(
      e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
    ).includes('TemporalChangeVersion'),
  );
  expect(changeVersionUpserts).toHaveLength(1);
  // (Left running: a journey ended while its case-record activity is in flight would keep the test
  // server's time-skipping lock, and the next test skips a year.)
});

it('every accepted event is on the case record, written by local activities: no activity task for it', async () => {
  await kit.startJourney('local-record');
  await kit.sendOnTime('local-record', pathToActivation(await serverNow(env)));
  const { timeline } = await kit.timeline('local-record');
  // every entry on the case record, under its event's id
  await eventually(async () => {
    const written = kit.outbox('case-record/local-record').map((item) => item.text);
    for (const entry of timeline)
      expect([
        entry.eventId,
        written.some((text) => text.includes(`"recordId": "${entry.eventId}"`)),
      ]).toEqual([entry.eventId, true]);
  });
  const history = await historyOf(env, 'local-record');
  expect(scheduledActivities(history)).not.toContain('recordCaseEvent');
  // the letters and the RAS are still activities of their own: they may take their time
  expect(scheduledActivities(history)).toContain('sendLetter');
  expect(scheduledActivities(history)).toContain('calculateIndicativeBudget');
  // at most one local activity per workflow task (the task's entries together), at least one per Update
  const markers = localActivityMarkers(history).length;
  const updates = history.filter(
    (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  ).length;
  const tasks = history.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
  expect(markers).toBeGreaterThanOrEqual(updates);
  expect(markers).toBeLessThanOrEqual(tasks);
});

describe('a case record that fails', () => {
  let failingKit: JourneyKit;
  let failuresLeft = 0;
  let attempts = 0;
  beforeAll(async () => {
    failingKit = await journeyKit(env);
    const real = outboxCaseRecord(new Outbox(failingKit.outboxDir));
    const flaky: CaseRecord = {
      async recordCaseEvent(record) {
        attempts++;
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('case-management system unavailable');
        }
        await real.recordCaseEvent(record);
      },
    };
    await failingKit.startWorker({ caseRecord: flaky });
  });
  afterAll(async () => {
    await failingKit?.teardown();
  });

  it('does not hold the Update: it is answered before the retries, which wait on a timer, write the entry', async () => {
    await failingKit.startJourney('flaky-record');
    failuresLeft = 1;
    attempts = 0;
    const sent = referral(await serverNow(env));
    const answer = await failingKit.send('flaky-record', sent);
    expect(answer.status).toBe('applied');
    // Answered after the first attempt failed: the second waits a second on a timer.
    expect(attempts).toBe(1);
    expect(failingKit.outbox('case-record/flaky-record')).toHaveLength(0);
    await eventually(async () => {
      expect(failingKit.outbox('case-record/flaky-record').map((i) => i.name)).toEqual([
        expect.stringContaining(sent.eventId),
      ]);
    }, 30_000);
    expect(attempts).toBe(2);
    const history = await historyOf(env, 'flaky-record');
    expect(scheduledActivities(history)).not.toContain('recordCaseEvent');
    // the backoffs were server timers, so the task (and the Update) did not wait inside the worker
    expect(history.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED).length).toBeGreaterThan(
      0,
    );
  }, 60_000);

  it('that keeps failing shows as a technical issue, and the entry is written when it answers again', async () => {
    await failingKit.startJourney('down-record');
    failuresLeft = 1_000;
    const sent = referral(await serverNow(env));
    expect((await failingKit.send('down-record', sent)).status).toBe('applied');
    // the local activity's two attempts, then the entry's own activity (shown as pending with its
    // attempts and last failure) and its five (1 + 2 + 4 + 8 seconds of backoff); then the journey
    // says what keeps failing
    await eventually(async () => {
      const attributes = (await failingKit.handle('down-record').describe()).typedSearchAttributes;
      expect(attributes.get(SA.TechnicalIssue)).toBe('recordCaseEvent');
    }, 60_000);
    expect(scheduledActivities(await historyOf(env, 'down-record'))).toContain('recordCaseEvent');
    failuresLeft = 0;
    // it tries again an hour later
    await skipTo(env, Date.parse(await serverNow(env)) + 61 * 60_000);
    await eventually(async () => {
      expect(failingKit.outbox('case-record/down-record')).toHaveLength(1);
      const attributes = (await failingKit.handle('down-record').describe()).typedSearchAttributes;
      expect(attributes.get(SA.TechnicalIssue)).toBeUndefined();
    });
    expect((await failingKit.handle('down-record').describe()).status.name).toBe('RUNNING');
  }, 120_000);
});
