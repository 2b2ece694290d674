import type { JourneyDetail, JourneyUnavailable, RepairResultBody } from '../../api/schemas';
import { payloadCodecFor } from '../../runtime/dataConverter';
import { journeyWorkflowId, recordEventSignal } from '../../workflows/definitions';
import { referral } from '../support/journeyEvents';
import { eventually } from '../support/eventually';
import { daysAgo, startApiHarness, type ApiHarness } from './apiHarness';

/**
 * A wedged journey and its repair, against a real dev server and worker. The journey works, then
 * receives a poison signal (a payload that is not JSON, as a broken integration might send): every
 * workflow task after it fails while decoding it. The journey cannot answer (503, Retry-After,
 * with what Temporal knows), and `POST /journeys/{id}/repair` (managers; `care repair`) resets it
 * to its last good workflow task: the journey answers again with everything before the poison.
 */

let api: ApiHarness;
const personId = 'wedged-1';
let timelineBefore: string[];
beforeAll(async () => {
  api = await startApiHarness();
  await api.drive(personId, [referral(daysAgo(2), 'R-W1')]);
  const before = await api.call('GET', `/journeys/${personId}`);
  timelineBefore = (before.body as unknown as JourneyDetail).timeline.map((e) => e.eventId);
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

/**
 * A signal whose payload the workflow cannot decode: its workflow task then fails on every attempt.
 * Encrypted under the council's key, as only a holder of the keys could send it (the codec refuses
 * anything else before it reaches the journey), but not JSON inside.
 */
async function sendPoisonSignal(): Promise<void> {
  const [poison] = await payloadCodecFor(api.config).encode([
    {
      metadata: { encoding: new TextEncoder().encode('json/plain') },
      data: new TextEncoder().encode('{not json'),
    },
  ]);
  await api.env.client.workflowService.signalWorkflowExecution({
    namespace: api.config.temporal.namespace,
    workflowExecution: { workflowId: journeyWorkflowId(personId) },
    signalName: recordEventSignal.name,
    input: { payloads: [poison!] },
    identity: 'a broken integration',
    requestId: 'poison-1',
  });
}

it('refuses to repair a journey that is not wedged (409)', async () => {
  const answer = await api.call('POST', `/journeys/${personId}/repair`, {
    role: 'manager',
    body: { reason: 'just checking' },
  });
  expect(answer.status).toBe(409);
  expect(answer.body.error).toMatch(/is not wedged/);
});

it('a wedged journey answers 503 with Retry-After and its health; a manager repairs it', async () => {
  await sendPoisonSignal();

  const wedged = await eventually(async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/journeys/${personId}`,
      headers: { authorization: 'Bearer practitioner-token-0001' },
    });
    expect(response.statusCode).toBe(503);
    const body = response.json() as JourneyUnavailable;
    expect(body.health?.workflowTaskAttempt).toBeGreaterThan(1);
    return { body, retryAfter: response.headers['retry-after'] };
  }, 60_000);
  expect(Number(wedged.retryAfter)).toBeGreaterThan(0);
  expect(wedged.body.error).toMatch(/cannot answer yet: its workflow task is failing .*care repair wedged-1/);
  expect(wedged.body.health).toMatchObject({ status: 'RUNNING', healthy: false });

  // only managers may repair
  const practitioner = await api.call('POST', `/journeys/${personId}/repair`, {
    role: 'practitioner',
    body: { reason: 'poison signal' },
  });
  expect(practitioner.status).toBe(403);
  const noReason = await api.call('POST', `/journeys/${personId}/repair`, { role: 'manager', body: {} });
  expect(noReason.status).toBe(400);

  const repaired = await api.call('POST', `/journeys/${personId}/repair`, {
    role: 'manager',
    body: { reason: 'a broken integration sent a payload that is not JSON' },
  });
  expect(repaired.status).toBe(200);
  const result = repaired.body as unknown as RepairResultBody;
  expect(result).toMatchObject({
    personId,
    repaired: 'reset',
    failedWorkflowTaskAttempt: expect.any(Number),
  });
  expect(result.runId).not.toBe(result.previousRunId);
  expect(result.droppedSignals).toEqual([
    expect.objectContaining({ signalName: 'recordEvent', input: '{not json' }),
  ]);

  // the journey answers again, with everything before the poison, and takes events
  const detail = await eventually(async () => {
    const answer = await api.call('GET', `/journeys/${personId}`);
    expect(answer.status).toBe(200);
    return answer.body as unknown as JourneyDetail;
  }, 30_000);
  expect(detail.view.stage).toBe('triage');
  expect(detail.timeline.map((e) => e.eventId)).toEqual(timelineBefore);
  expect(timelineBefore).toHaveLength(1);
  expect(detail.health).toMatchObject({ status: 'RUNNING', runId: result.runId });
  const offer = await api.call('POST', `/journeys/${personId}/events`, {
    body: {
      type: 'UNIVERSAL_OFFER_GIVEN',
      eventId: 'after-repair',
      occurredAt: daysAgo(1),
      informationAndAdvice: ['falls prevention'],
    },
  });
  expect(offer.status).toBe(200);

  // the reset is Temporal's own record of who repaired it and why
  const reason = await api.env.client.workflow
    .getHandle(journeyWorkflowId(personId), result.previousRunId)
    .describe();
  expect(reason.status.name).toBe('TERMINATED');
}, 120_000);
