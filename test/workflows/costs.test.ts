import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { journeyWorkflowId } from '../../workflows/definitions';
import { RUN_MAX_AGE_MS } from '../../workflows/journey.workflow';
import * as SA from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow, skipTo } from '../support/timeTravel';

/**
 * What a journey costs in Temporal (issue 16): one patch marker a run, and a run that continued as
 * new upserts only what changed since its predecessor.
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

/** The journey attributes an upsert event sets (Temporal's own TemporalChangeVersion left out). */
const journeyKeysUpserted = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    .flatMap((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
    )
    .filter((key) => key !== 'TemporalChangeVersion');

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
