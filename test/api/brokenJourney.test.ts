import type { JourneyList, JourneyUnavailable } from '../../api/schemas';
import { journeyWorkflowId } from '../../workflows/definitions';
import { startApiHarness, type ApiHarness } from './apiHarness';
import { eventually } from '../support/eventually';

/**
 * Technically stuck by a failing workflow task: the journey's own code cannot run (here: started
 * without its input), so it cannot answer queries either. Its detail page answers 503 with
 * Retry-After (never 200 without the journey's view) and shows what Temporal knows; once the
 * server sets TemporalReportedProblems (after about five failed attempts, ~1 minute), the
 * technical list shows the case. (Repairing one: repair.test.ts.)
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

it('answers 503 with Retry-After and the failing workflow task, since the journey cannot answer', async () => {
  const started = Date.now();
  const { body, retryAfter } = await eventually(async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/journeys/broken-x',
      headers: { authorization: 'Bearer practitioner-token-0001' },
    });
    expect(response.statusCode).toBe(503);
    const answer = response.json() as JourneyUnavailable;
    expect(answer.health?.workflowTaskAttempt).toBeGreaterThan(1);
    return { body: answer, retryAfter: response.headers['retry-after'] };
  }, 60_000);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(body.error).toMatch(
    /^the journey for person broken-x cannot answer yet: its workflow task is failing/,
  );
  expect(body.health).toMatchObject({ status: 'RUNNING', healthy: false });
  // A failing task is seen in the description: the answer does not wait out the queries.
  const again = Date.now();
  expect((await api.call('GET', '/journeys/broken-x')).status).toBe(503);
  expect(Date.now() - again).toBeLessThan(2_000);
  expect(again - started).toBeLessThan(60_000);
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
