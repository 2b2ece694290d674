import type { JourneyDetail } from '../../api/schemas';
import { journeyEventTypes, type EventOf } from '../../machines/events';
import type { Role } from '../../temporal.config';
import { journeyWorkflowId } from '../../workflows/definitions';
import { pathToActivation, referral } from '../support/journeyEvents';
import { bearer, daysAgo, startApiHarness, testTokens, type ApiHarness } from './apiHarness';
import { eventually } from '../support/eventually';

/**
 * Referrals, events and who may do what, against a real dev server and worker: the foundation
 * issue's 4xx answers and the operations issue's §4 (roles, actor from the token).
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

const referralBody = (personId: string, referralId: string) => ({
  personId,
  referralId,
  receivedDate: daysAgo(1).slice(0, 10),
  source: 'gp',
  urgency: 'routine',
  summary: 'Struggling with personal care after a fall',
});

async function timelineOf(personId: string): Promise<JourneyDetail['timeline']> {
  const answer = await api.call('GET', `/journeys/${personId}`);
  expect(answer.status).toBe(200);
  return (answer.body as unknown as JourneyDetail).timeline;
}

describe('POST /referrals', () => {
  it('opens one journey per person, and records a second referral on it (R-REF-4)', async () => {
    const first = await api.call('POST', '/referrals', {
      role: 'integration',
      body: referralBody('ref-p1', 'R1'),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'applied', eventId: 'referral-R1', journeyOpened: true });
    expect(first.body.view).toMatchObject({ personId: 'ref-p1', stage: 'triage' });
    // The answer is the journey's outline: everything the describe view has but the why-nots,
    // which stay out of the Update result that history keeps with every event.
    const detail = (await api.call('GET', '/journeys/ref-p1')).body as unknown as JourneyDetail;
    const { notAllowedNow, ...outline } = detail.view ?? { notAllowedNow: [] };
    expect(notAllowedNow.length).toBeGreaterThan(0);
    expect(first.body.view).toEqual(outline);

    const resent = await api.call('POST', '/referrals', {
      role: 'integration',
      body: referralBody('ref-p1', 'R1'),
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'duplicate', journeyOpened: false });

    const second = await api.call('POST', '/referrals', {
      role: 'integration',
      body: referralBody('ref-p1', 'R2'),
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'applied', eventId: 'referral-R2', journeyOpened: false });

    const referrals = (await timelineOf('ref-p1')).filter((t) => t.type === 'REFERRAL_RECEIVED');
    expect(referrals.map((t) => [t.eventId, t.actor.userId])).toEqual([
      ['referral-R1', testTokens.integration.userId],
      ['referral-R2', testTokens.integration.userId],
    ]);
    const runs = [];
    for await (const run of api.env.client.workflow.list({
      query: `WorkflowId = '${journeyWorkflowId('ref-p1')}'`,
    })) {
      runs.push(run.runId);
    }
    expect(runs).toHaveLength(1);
  });

  it('lists every problem with the body by path', async () => {
    const { summary: _summary, ...body } = referralBody('ref-p2', 'R1');
    const answer = await api.call('POST', '/referrals', { body: { ...body, receivedDate: '2026-02-30x' } });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      {
        field: 'receivedDate',
        message: '"2026-02-30x" is not a calendar date: write it as YYYY-MM-DD, e.g. 2026-03-02',
        accepted: 'a date as YYYY-MM-DD, e.g. 2026-03-02',
      },
      { field: 'summary', message: 'is required', accepted: 'a string' },
    ]);
    expect(answer.body.error).toMatch(
      /^invalid body: receivedDate: "2026-02-30x" is not a calendar date.*; summary: is required/,
    );
  });

  it('names the JSON problem in a malformed body', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/referrals',
      headers: { ...bearer('practitioner'), 'content-type': 'application/json' },
      payload: '{"personId": "ref-p3",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/^malformed JSON: /);
  });
});

describe('a closed journey', () => {
  it('is still shown, refuses events, and a new referral opens a new journey', async () => {
    const personId = 'closed-p1';
    await api.call('POST', '/referrals', { body: referralBody(personId, 'R1') });
    const withdrawn = await api.call('POST', `/journeys/${personId}/events`, {
      body: {
        type: 'JOURNEY_WITHDRAWN',
        eventId: 'w1',
        reason: 'Moved in with family; no longer wants support',
      },
    });
    expect(withdrawn.status).toBe(200);
    const detail = await eventually(async () => {
      const answer = (await api.call('GET', `/journeys/${personId}`)).body as unknown as JourneyDetail;
      expect(answer.health.status).toBe('COMPLETED');
      return answer;
    });
    expect(detail.view).toMatchObject({ closed: true, stage: 'closed' });
    expect(detail.stuck).toEqual([]);

    const late = await api.call('POST', `/journeys/${personId}/events`, {
      body: { type: 'CONSENT_RECORDED', eventId: 'c1', consentGiven: true },
    });
    expect(late).toEqual({
      status: 404,
      body: {
        error: `no open journey for person ${personId}: a referral opens one (POST /referrals with personId "${personId}")`,
      },
    });

    const again = await api.call('POST', '/referrals', { body: referralBody(personId, 'R2') });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ journeyOpened: true, view: { stage: 'triage' } });
  });
});

describe('POST /journeys/:personId/events', () => {
  const person = 'events-p1';
  beforeAll(async () => {
    await api.drive(person, [referral(daysAgo(2))]);
  });

  it('applies an allowed event, with the caller as actor', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'WORKER_ALLOCATED', eventId: 'alloc-1', team: 'north', workerId: 'ann' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'applied', eventId: 'alloc-1', view: { team: 'north' } });
    const entry = (await timelineOf(person)).find((t) => t.eventId === 'alloc-1');
    expect(entry?.actor).toEqual({ userId: testTokens.practitioner.userId, role: 'practitioner' });
    // occurredAt defaulted to now
    expect(Date.now() - Date.parse(entry!.occurredAt)).toBeLessThan(60_000);
  });

  it('applies a resent eventId once', async () => {
    const body = { type: 'CONSENT_RECORDED', eventId: 'consent-1', consentGiven: true };
    expect((await api.call('POST', `/journeys/${person}/events`, { body })).body.status).toBe('applied');
    expect((await api.call('POST', `/journeys/${person}/events`, { body })).body.status).toBe('duplicate');
    expect((await timelineOf(person)).filter((t) => t.eventId === 'consent-1')).toHaveLength(1);
  });

  it('R-TIM-3: answers 409 naming both when an eventId is used again for a different event', async () => {
    const occurredAt = daysAgo(1);
    const first = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'CARER_IDENTIFIED', eventId: 'e-7', occurredAt, carerId: 'carer-1' },
    });
    expect(first.body.status).toBe('applied');
    const other = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'CAPACITY_ASSESSED', eventId: 'e-7', occurredAt, decision: 'care', hasCapacity: true },
    });
    const message = `eventId e-7 was already used for CARER_IDENTIFIED at ${occurredAt}; this is a different event (CAPACITY_ASSESSED at ${occurredAt}): send it with an eventId of its own`;
    expect(other).toEqual({
      status: 409,
      body: {
        error: `event conflict: ${message}`,
        reasons: [{ ruleId: 'R-TIM-3', message }],
        conflict: {
          eventId: 'e-7',
          earlier: { type: 'CARER_IDENTIFIED', occurredAt },
          attempted: { type: 'CAPACITY_ASSESSED', occurredAt },
        },
      },
    });
    // The same event with another occurredAt the caller chose is a different event too …
    const retimed = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'CARER_IDENTIFIED', eventId: 'e-7', occurredAt: daysAgo(0.5), carerId: 'carer-1' },
    });
    expect(retimed.status).toBe(409);
    expect(retimed.body.reasons).toEqual([
      { ruleId: 'R-TIM-3', message: expect.stringContaining(`CARER_IDENTIFIED at ${occurredAt}`) },
    ]);
    // … while the same event resent is applied once, and nothing else entered history.
    const resent = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'CARER_IDENTIFIED', eventId: 'e-7', occurredAt, carerId: 'carer-1' },
    });
    expect(resent.body.status).toBe('duplicate');
    expect((await timelineOf(person)).filter((t) => t.eventId === 'e-7').map((t) => t.type)).toEqual([
      'CARER_IDENTIFIED',
    ]);
  });

  it('R-TIM-3: the OpenAPI document lists the conflict in the 409 answer', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.components.schemas.EventConflict).toMatchObject({
      properties: { eventId: {}, earlier: {}, attempted: {} },
    });
    expect(JSON.stringify(document.components.schemas.Error)).toContain('EventConflict');
    expect(document.paths['/journeys/{personId}/events'].post.description).toMatch(/R-TIM-3/);
  });

  it('answers 400 naming an unknown event type', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'TELEPORTED', eventId: 'x1' },
    });
    expect(answer.status).toBe(400);
    // the known types are listed, every one the caller may send
    const known = journeyEventTypes.filter(
      (t) => t !== 'DEADLINE_REACHED' && t !== 'INDICATIVE_BUDGET_CALCULATED',
    );
    expect(answer.body.problems).toEqual([
      {
        field: 'type',
        message:
          'unknown event type "TELEPORTED"; every type, with its fields, is in the OpenAPI document at /docs (EventBody)',
        accepted: `one of: ${known.join(', ')}`,
      },
    ]);
    expect(answer.body.error).toMatch(
      /^invalid event: type: unknown event type "TELEPORTED"; .*\(accepted: one of: REFERRAL_RECEIVED, .*, … and \d+ more\)$/,
    );
  });

  it('answers 400 naming each missing or wrong field', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'TRIAGED', eventId: 'x2', route: 'somewhere' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      {
        field: 'route',
        message: '"somewhere" is not one of the values accepted',
        accepted: 'one of: informationAndAdvice, shortTermSupport, assessment, emergencyInterimSupport',
      },
      { field: 'reason', message: 'is required', accepted: 'a string' },
    ]);
  });

  it('answers 409 with the reasons when the journey does not allow the event now; nothing enters history', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'PLAN_VALIDATED', eventId: 'too-early' },
    });
    expect(answer.status).toBe(409);
    // the rule first, then where the journey is
    expect(answer.body.reasons).toEqual([
      { ruleId: 'R-PLN-1', message: 'there is no plan to validate yet' },
      {
        message: expect.stringContaining('PLAN_VALIDATED is not allowed while the journey is at stage'),
        // issue 11: and what would be accepted instead
        field: 'type',
        accepted: expect.stringMatching(/^one of the events allowed now: .*TRIAGED/),
      },
    ]);
    expect(answer.body.error).toBe(
      `event refused: ${(answer.body.reasons as { message: string }[]).map((r) => r.message).join('; ')}`,
    );
    expect((await timelineOf(person)).map((t) => t.eventId)).not.toContain('too-early');
  });

  it('answers 404 when the person has no open journey', async () => {
    const answer = await api.call('POST', '/journeys/nobody/events', {
      body: { type: 'ASSESSMENT_STARTED', eventId: 'a1' },
    });
    expect(answer).toEqual({
      status: 404,
      body: {
        error:
          'no open journey for person nobody: a referral opens one (POST /referrals with personId "nobody")',
      },
    });
  });

  it('refuses an event naming another actor (403), and records nothing', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: {
        type: 'TRIAGED',
        eventId: 'impostor',
        route: 'assessment',
        reason: 'x',
        actor: { userId: testTokens.manager.userId, role: 'manager' },
      },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/^cannot act as bob\.manager \(manager\)/);
    expect((await timelineOf(person)).map((t) => t.eventId)).not.toContain('impostor');
  });

  it('accepts an actor that is the caller', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: {
        type: 'CARER_IDENTIFIED',
        eventId: 'carer-1',
        carerId: 'carer-of-events-p1',
        actor: { userId: testTokens.practitioner.userId, role: 'practitioner' },
      },
    });
    expect(answer.status).toBe(200);
  });

  it('refuses system-only events from every caller', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      role: 'manager',
      body: { type: 'DEADLINE_REACHED', eventId: 'd1', deadlineId: 'x' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/^DEADLINE_REACHED is raised only by the journey itself/);
  });
});

describe('who may do what', () => {
  it.each<Role>(['practitioner', 'manager', 'integration'])(
    '%s may refer, send events and read',
    async (role) => {
      const personId = `role-${role}`;
      const referred = await api.call('POST', '/referrals', { role, body: referralBody(personId, 'R1') });
      expect(referred.status).toBe(201);
      const sent = await api.call('POST', `/journeys/${personId}/events`, {
        role,
        body: { type: 'WORKER_ALLOCATED', eventId: 'w1', team: 'north', workerId: 'ann' },
      });
      expect(sent.status).toBe(200);
      for (const url of [`/journeys/${personId}`, '/journeys', '/reports/overdue']) {
        expect((await api.call('GET', url, { role })).status).toBe(200);
      }
      const actors = (await timelineOf(personId)).map((t) => t.actor);
      expect(actors).toEqual([
        { userId: testTokens[role].userId, role },
        { userId: testTokens[role].userId, role },
      ]);
    },
  );

  it('an auditor only reads', async () => {
    for (const url of ['/journeys/role-practitioner', '/journeys', '/reports/overdue']) {
      expect((await api.call('GET', url, { role: 'auditor' })).status).toBe(200);
    }
    const referred = await api.call('POST', '/referrals', {
      role: 'auditor',
      body: referralBody('role-auditor', 'R1'),
    });
    expect(referred.status).toBe(403);
    expect(referred.body.error).toBe(
      'role auditor may only read; to make referrals a caller needs role practitioner, manager, integration',
    );
    const sent = await api.call('POST', '/journeys/role-practitioner/events', {
      role: 'auditor',
      body: { type: 'CONSENT_RECORDED', eventId: 'c1', consentGiven: true },
    });
    expect(sent.status).toBe(403);
    expect(sent.body.error).toMatch(/^role auditor may only read; to send journey events/);
  });

  it('401 says what is missing', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/journeys' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json().error).toBe('missing bearer token: send the header "Authorization: Bearer <token>"');
    const unknown = await api.app.inject({
      method: 'GET',
      url: '/journeys',
      headers: { authorization: 'Bearer not-a-configured-token' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('unknown token: it is not one of the configured API tokens');
  });

  it('R-SGN-1: sign-off above the delegation limit needs a manager (the actor comes from the token)', async () => {
    const personId = 'delegation-p1';
    // A plan written for £30,000 (R-SGN-5: the plan agrees with the budget signed off).
    const events = pathToActivation(daysAgo(10)).map((e) =>
      e.type === 'PLAN_SUBMITTED' ? { ...e, plan: { ...e.plan, personalBudget: 30_000 } } : e,
    );
    const signOff = events.find((e): e is EventOf<'PLAN_SIGNED_OFF'> => e.type === 'PLAN_SIGNED_OFF')!;
    await api.drive(personId, events.slice(0, events.indexOf(signOff)));
    const { actor: _actor, ...body } = {
      ...signOff,
      eventId: 'sign-off-30k',
      finalBudget: 30_000,
      mismatchReason: 'Two carers needed for every visit',
      costing: { reasonableCost: 30_000, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
    };
    const byPractitioner = await api.call('POST', `/journeys/${personId}/events`, {
      role: 'practitioner',
      body,
    });
    expect(byPractitioner.status).toBe(409);
    // Above the delegation limit (R-SGN-1), and above the indicative budget too (R-SGN-4): both
    // are the authoriser's to decide.
    expect((byPractitioner.body.reasons as { ruleId: string }[]).map((r) => r.ruleId).sort()).toEqual([
      'R-SGN-1',
      'R-SGN-4',
    ]);
    const byManager = await api.call('POST', `/journeys/${personId}/events`, { role: 'manager', body });
    expect(byManager.status).toBe(200);
    const entry = (await timelineOf(personId)).find((t) => t.eventId === 'sign-off-30k');
    expect(entry?.actor).toEqual({ userId: testTokens.manager.userId, role: 'manager' });
    expect(entry?.ruleIds).toContain('R-SGN-1');
  });
});

describe('health and documentation (no token needed)', () => {
  it('GET /healthz: Temporal reachable and the worker polling', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ok: true,
      temporal: { reachable: true },
      worker: {
        taskQueue: api.config.temporal.taskQueue,
        polling: true,
        workflowPollers: 1,
        activityPollers: 1,
        stalePollers: 0,
        pollerWindowSeconds: 70,
      },
    });
  });

  it('serves the OpenAPI document and the UI at /docs', async () => {
    const spec = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    const document = spec.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/referrals',
        '/journeys',
        '/journeys/{personId}',
        '/journeys/{personId}/events',
        '/journeys/{personId}/repair',
        '/reports/overdue',
        '/healthz',
      ]),
    );
    expect(JSON.stringify(document.components.schemas.EventBody)).toContain(journeyEventTypes[0]);
    // every status the API can answer is documented on every operation (the fuzzer finds none undocumented);
    // a GET has no body, so no 413 or 415
    for (const [route, operations] of Object.entries(document.paths as Record<string, object>)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: object }>)) {
        const statuses = Object.keys(operation.responses);
        expect([route, method, statuses]).toEqual([
          route,
          method,
          expect.arrayContaining(['200', '400', '404', '414', '431', '500', '503']),
        ]);
        const bodyOnly = ['413', '415'].filter((s) => statuses.includes(s));
        expect([route, method, bodyOnly]).toEqual([route, method, method === 'get' ? [] : ['413', '415']]);
      }
    }
    const ui = await api.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
