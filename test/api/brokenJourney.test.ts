import type { JourneyDetail, JourneyList } from '../../api/schemas';
import { journeyWorkflowId } from '../../workflows/definitions';
import { startApiHarness, type ApiHarness } from './apiHarness';
import { eventually } from '../support/eventually';

/**
 * Technically stuck by a failing workflow task: the journey's own code cannot run (here: started
 * without its input), so it cannot answer queries either. The detail page still shows what
 * Temporal knows; once the server sets TemporalReportedProblems (after about five failed
 * attempts, ~1 minute), the technical list shows the case.
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
  await api.env.client.workflow.start('journeyWorkflow', {
    workflowId: journeyWorkflowId('broken-x'),
    taskQueue: api.config.temporal.taskQueue,
    args: [],
  });
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

it('shows the failing workflow task on the detail page, though the journey cannot answer', async () => {
  const detail = await eventually(async () => {
    const answer = await api.call('GET', '/journeys/broken-x');
    expect(answer.status).toBe(200);
    const body = answer.body as unknown as JourneyDetail;
    expect(body.health.workflowTaskAttempt).toBeGreaterThan(1);
    return body;
    // Each answer waits out the journey's unanswered queries (seconds each), so allow a minute.
  }, 60_000);
  expect(detail.view).toBeNull();
  expect(detail.viewUnavailable).toMatch(/^the journey did not answer: /);
  expect(detail.health).toMatchObject({ status: 'RUNNING', healthy: false });
});

it('lists the case as technically stuck once Temporal reports the problem', async () => {
  const list = await eventually(async () => {
    const answer = (await api.call('GET', '/journeys?stuck=technical')).body as unknown as JourneyList;
    expect(answer.journeys.map((j) => j.personId)).toEqual(['broken-x']);
    return answer;
  }, 150_000);
  expect(list.journeys[0]?.stuck).toEqual([
    { kind: 'technical', why: expect.stringMatching(/^Temporal reports: .*WorkflowTaskFailed/) },
  ]);
}, 160_000);
