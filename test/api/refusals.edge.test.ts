import { journeyWorkflowId } from '../../workflows/definitions';
import { eventually } from '../support/eventually';
import { bearer, daysAgo, startApiHarness, type ApiHarness } from './apiHarness';

/**
 * Every refusal at the edge names the field and the fix (issue 11 point 2): each kind of mistake an
 * integrator makes, sent over the API, answered with the field's path and what would be accepted.
 * And a referral the journey refuses starts nothing: no workflow, nothing listed.
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
  const opened = await api.call('POST', '/referrals', { body: referral('edge-p1', 'R1') });
  expect(opened.status).toBe(201);
});
afterAll(async () => api?.stop());

const person = 'edge-p1';
function referral(personId: string, referralId: string, overrides: Record<string, unknown> = {}) {
  return {
    personId,
    referralId,
    receivedDate: daysAgo(1).slice(0, 10),
    source: 'gp',
    urgency: 'routine',
    summary: 'Struggling with personal care after a fall',
    occurredAt: daysAgo(1),
    ...overrides,
  };
}
const send = (body: unknown) => api.call('POST', `/journeys/${person}/events`, { body });
type Problems = { field: string; message: string; accepted?: string }[];
const problemsOf = (answer: { body: Record<string, unknown> }) => answer.body.problems as Problems;

describe('each kind of mistake, answered with the field and the fix', () => {
  it('an unknown event type lists the known ones, and says where they are described', async () => {
    const answer = await send({ type: 'ASSESMENT_STARTED', eventId: 'x1' });
    expect(answer.status).toBe(400);
    const [problem] = problemsOf(answer);
    expect(problem).toMatchObject({ field: 'type', message: expect.stringContaining('/docs (EventBody)') });
    expect(problem!.message).toMatch(/^unknown event type "ASSESMENT_STARTED"/);
    expect(problem!.accepted).toContain('ASSESSMENT_STARTED');
    expect(problem!.accepted).not.toContain('DEADLINE_REACHED');
  });

  it('a missing type says every event names one', async () => {
    const answer = await send({ eventId: 'x2' });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer)[0]).toMatchObject({
      field: 'type',
      message: expect.stringMatching(/^is missing/),
    });
  });

  it('an instant without its offset says to write it with its offset, with an example', async () => {
    const answer = await send({
      type: 'ASSESSMENT_STARTED',
      eventId: 'x3',
      occurredAt: '2026-03-02T09:30:00',
    });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer)).toEqual([
      {
        field: 'occurredAt',
        message:
          '"2026-03-02T09:30:00" has no offset: write the instant with its offset, e.g. 2026-03-02T09:30:00Z',
        accepted:
          'an ISO 8601 date and time with its offset, e.g. 2026-03-02T09:30:00Z or 2026-03-02T10:30:00+01:00',
      },
    ]);
    expect(answer.body.error).toMatch(
      /^invalid event: occurredAt: .*with its offset, e\.g\. 2026-03-02T09:30:00Z/,
    );
  });

  it('a date in another form says YYYY-MM-DD, with an example', async () => {
    const answer = await send({
      type: 'HOSPITAL_ADMITTED',
      eventId: 'x4',
      admittedOn: '02/03/2026',
      hospital: 'Royal Derby Hospital',
    });
    expect(problemsOf(answer)).toEqual([
      {
        field: 'admittedOn',
        message: '"02/03/2026" is not a calendar date: write it as YYYY-MM-DD, e.g. 2026-03-02',
        accepted: 'a date as YYYY-MM-DD, e.g. 2026-03-02',
      },
    ]);
  });

  it('a value outside an enum lists the values accepted; a missing field says it is required', async () => {
    const answer = await send({ type: 'TRIAGED', eventId: 'x5', route: 'assesment' });
    expect(problemsOf(answer)).toEqual([
      {
        field: 'route',
        message: '"assesment" is not one of the values accepted',
        accepted: 'one of: informationAndAdvice, shortTermSupport, assessment, emergencyInterimSupport',
      },
      { field: 'reason', message: 'is required', accepted: 'a string' },
    ]);
  });

  it('a nested field is named by its path; a text over its limit says the limit', async () => {
    const answer = await send({
      type: 'PLAN_SUBMITTED',
      eventId: 'x6',
      plan: {
        budgetManagement: ['councilManaged'],
        risks: 'x'.repeat(10_001),
        optionsConsidered: [{ option: 'Home care', chosen: 'yes', reason: 'Keeps her at home' }],
      },
    });
    expect(problemsOf(answer)).toEqual([
      {
        field: 'plan.risks',
        message: 'is 10001 characters, over the limit of 10000',
        accepted: 'at most 10000 characters',
      },
      {
        field: 'plan.optionsConsidered[0].chosen',
        message: 'must be a boolean, not a string',
        accepted: 'a boolean',
      },
    ]);
  });

  it("a field the event does not have is named, with the event's fields", async () => {
    const answer = await send({
      type: 'WORKER_ALLOCATED',
      eventId: 'x7',
      team: 'north',
      workerId: 'ann',
      worker: 'ann',
    });
    expect(problemsOf(answer)).toEqual([
      {
        field: 'worker',
        message: 'is not a field of a WORKER_ALLOCATED event: leave it out',
        accepted: 'the fields type, eventId, occurredAt, team, workerId',
      },
    ]);
  });

  it('a refusal by the rules names its rule, its field and what would be accepted', async () => {
    // R-REF-1: triage routes onward only after the universal offer
    const answer = await send({
      type: 'TRIAGED',
      eventId: 'x8',
      route: 'assessment',
      reason: 'Needs an assessment',
    });
    expect(answer.status).toBe(409);
    expect(answer.body.reasons).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'R-REF-1',
          message: expect.stringContaining('universal offer'),
          field: 'route',
          accepted: "UNIVERSAL_OFFER_GIVEN first, or route 'emergencyInterimSupport'",
        },
      ]),
    );
  });

  it('404 for a person without a journey points to POST /referrals', async () => {
    const sent = await api.call('POST', '/journeys/nobody-yet/events', {
      body: { type: 'ASSESSMENT_STARTED', eventId: 'x9' },
    });
    expect(sent).toEqual({
      status: 404,
      body: {
        error:
          'no open journey for person nobody-yet: a referral opens one (POST /referrals with personId "nobody-yet")',
      },
    });
    const read = await api.call('GET', '/journeys/nobody-yet');
    expect(read.status).toBe(404);
    expect(read.body.error).toContain('POST /referrals');
  });

  it('413 states the limit in bytes and KB', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: `/journeys/${person}/events`,
      headers: { ...bearer('practitioner'), 'content-type': 'application/json' },
      payload: JSON.stringify({ type: 'ASSESSMENT_PAUSED', eventId: 'x10', reason: 'x'.repeat(1_100_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe(
      'the body is over the limit of 1,048,576 bytes (1,024 KB): send less; every text field and list has its own maximum (see /docs)',
    );
  });

  it.each([
    ['application/xml', '<event type="ASSESSMENT_STARTED"/>'],
    ['text/plain', 'type=ASSESSMENT_STARTED'],
  ])('415 for %s says to send JSON', async (contentType, payload) => {
    const response = await api.app.inject({
      method: 'POST',
      url: `/journeys/${person}/events`,
      headers: { ...bearer('practitioner'), 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatch(/send the body as JSON with "content-type: application\/json"$/);
  });
});

describe('a refused referral starts nothing', () => {
  const workflowsOf = async (personId: string) => {
    const runs: string[] = [];
    for await (const run of api.env.client.workflow.list({
      query: `WorkflowId = '${journeyWorkflowId(personId)}'`,
    }))
      runs.push(run.status.name);
    return runs;
  };

  it('refused by the rules (an occurredAt in the future, R-TIM-1): 409, no workflow, not listed', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const answer = await api.call('POST', '/referrals', {
      body: referral('edge-future', 'R1', { occurredAt: future }),
    });
    expect(answer.status).toBe(409);
    expect(answer.body.reasons).toEqual([expect.objectContaining({ ruleId: 'R-TIM-1' })]);
    expect(answer.body.error).toMatch(
      /^event refused: occurredAt .* is later than the moment it is recorded/,
    );

    // a journey the same moment opens (and is listed), so the listing below has had time to show one
    const opened = await api.call('POST', '/referrals', { body: referral('edge-witness', 'R1') });
    expect(opened.status).toBe(201);
    await eventually(async () => {
      const listed = await api.call('GET', '/journeys?limit=500');
      expect((listed.body.journeys as { personId: string }[]).map((j) => j.personId)).toContain(
        'edge-witness',
      );
    });
    const listed = await api.call('GET', '/journeys?limit=500');
    expect((listed.body.journeys as { personId: string }[]).map((j) => j.personId)).not.toContain(
      'edge-future',
    );
    expect(await workflowsOf('edge-future')).toEqual([]);
    expect((await api.call('GET', '/journeys/edge-future')).status).toBe(404);
  });

  it('refused as malformed (a referral id over its limit): 400, no workflow', async () => {
    const answer = await api.call('POST', '/referrals', { body: referral('edge-long', 'R'.repeat(201)) });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer)).toEqual([
      {
        field: 'referralId',
        message: 'is 201 characters, over the limit of 200',
        accepted: 'at most 200 characters',
      },
    ]);
    expect(await workflowsOf('edge-long')).toEqual([]);
  });

  it('the same person referred properly afterwards gets a journey', async () => {
    const answer = await api.call('POST', '/referrals', { body: referral('edge-future', 'R2') });
    expect(answer.status).toBe(201);
    expect(await workflowsOf('edge-future')).toEqual(['RUNNING']);
  });
});
