import {
  ApplicationFailure,
  Client,
  Connection,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { createAuthenticator } from '../../api/auth';
import { ApiError, fromTemporalError, grpcStatus } from '../../api/errors';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../temporal.config';

/** What callers are told when something is refused or missing; no Temporal server needed. */

describe('authentication', () => {
  const auth = createAuthenticator({
    tokens: { 'a-token-of-sixteen-chars': { userId: 'ann', role: 'practitioner', teams: ['north'] } },
  });

  it('finds the caller behind a bearer token, with its teams', async () => {
    const ann = { userId: 'ann', role: 'practitioner', teams: ['north'], via: 'token' };
    expect(await auth.authenticate('Bearer a-token-of-sixteen-chars')).toEqual(ann);
    expect(await auth.authenticate('bearer   a-token-of-sixteen-chars ')).toEqual(ann);
  });

  it.each([
    [undefined, 'missing bearer token: send the header "Authorization: Bearer <token>"'],
    ['Basic abc', 'missing bearer token: send the header "Authorization: Bearer <token>"'],
    ['Bearer someone-elses-token', 'unknown token: it is not one of the configured API tokens'],
    [
      'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2ln',
      'unknown token: it is not one of the configured API tokens, and this API has no identity provider to check a JWT against (CARE_OIDC_ISSUER)',
    ],
  ])('refuses %p with 401', async (header, message) => {
    await expect(auth.authenticate(header)).rejects.toThrow(new ApiError(401, message));
  });
});

describe('Temporal errors, in the API terms', () => {
  const updateFailed = (type: string, details: unknown[]) =>
    new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ type, message: 'refused', details, nonRetryable: true }),
    );

  it('InvalidEvent → 400 with every problem', () => {
    const err = fromTemporalError(
      updateFailed('InvalidEvent', [{ problems: ['plan.risks: expected string'] }]),
      'P1',
    );
    expect(err?.statusCode).toBe(400);
    expect(err?.body()).toEqual({
      error: 'invalid event: plan.risks: expected string',
      problems: [{ field: 'plan.risks', message: 'expected string' }],
    });
  });

  it('EventRefused → 409 with the reasons and their rules', () => {
    const reasons = [
      { ruleId: 'R-SGN-1', message: 'it needs sign-off by a manager' },
      { message: 'a second reason' },
    ];
    const err = fromTemporalError(updateFailed('EventRefused', [{ reasons }]), 'P1');
    expect(err?.statusCode).toBe(409);
    expect(err?.body()).toEqual({
      error: 'event refused: it needs sign-off by a manager; a second reason',
      reasons,
    });
  });

  it('R-TIM-3: EventConflict → 409 naming both events', () => {
    const reasons = [{ ruleId: 'R-TIM-3', message: 'eventId e-7 was already used for TRIAGED at …' }];
    const conflict = {
      eventId: 'e-7',
      earlier: { type: 'TRIAGED', occurredAt: '2026-03-02T10:00:00.000Z' },
      attempted: { type: 'ASSESSMENT_STARTED', occurredAt: '2026-03-03T10:00:00.000Z' },
    };
    const err = fromTemporalError(
      updateFailed('EventConflict', [{ reasons, conflict: { ...conflict, onlyOccurredAtDiffers: false } }]),
      'P1',
    );
    expect(err?.statusCode).toBe(409);
    expect(err?.body()).toEqual({ error: `event conflict: ${reasons[0]!.message}`, reasons, conflict });
  });

  it('no workflow → 404 naming the person; anything else is not mapped', () => {
    const err = fromTemporalError(new WorkflowNotFoundError('not found', 'journey-P1', undefined), 'P1');
    expect(err?.body()).toEqual({
      error: 'no open journey for person P1: a referral opens one (POST /referrals with personId "P1")',
    });
    expect(err?.statusCode).toBe(404);
    expect(fromTemporalError(new Error('boom'), 'P1')).toBeUndefined();
  });
});

describe('gRPC statuses from Temporal, in the API terms (README: what the API answers)', () => {
  const failed = (code: number) =>
    new ServiceError('the call failed', { cause: Object.assign(new Error('details'), { code }) });
  it.each<[keyof typeof grpcStatus, number, RegExp]>([
    ['UNAVAILABLE', 503, /^Temporal is not answering/],
    ['DEADLINE_EXCEEDED', 503, /^Temporal is not answering/],
    ['CANCELLED', 503, /^Temporal is not answering/],
    ['RESOURCE_EXHAUSTED', 503, /^Temporal is busy/],
    ['FAILED_PRECONDITION', 503, /^the journey for person P1 cannot answer yet .*care repair/],
    ['PERMISSION_DENIED', 503, /refuses the API's own credentials/],
    ['UNAUTHENTICATED', 503, /refuses the API's own credentials/],
    ['ABORTED', 503, /send it again/],
    ['ALREADY_EXISTS', 503, /send it again/],
    ['INVALID_ARGUMENT', 400, /^Temporal refused the request/],
    ['OUT_OF_RANGE', 400, /^Temporal refused the request/],
    ['NOT_FOUND', 404, /^not found/],
  ])('%s → %i', (name, status, message) => {
    const err = fromTemporalError(failed(grpcStatus[name]), 'P1');
    expect(err?.statusCode).toBe(status);
    expect(err?.message).toMatch(message);
    if (status === 503) expect(Number(err?.headers['retry-after'])).toBeGreaterThan(0);
  });
  it.each(['INTERNAL', 'UNKNOWN', 'UNIMPLEMENTED', 'DATA_LOSS'] as const)(
    '%s is not mapped (500)',
    (name) => {
      expect(fromTemporalError(failed(grpcStatus[name]), 'P1')).toBeUndefined();
    },
  );
});

describe('with Temporal unreachable', () => {
  it('answers 503 with Retry-After at once, not after the client has retried for 20 s', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const app = await buildApi({ client: new Client({ connection }), config: loadConfig({}) });
    const auth = { authorization: 'Bearer dev-practitioner-token' };
    try {
      for (const [method, url, payload] of [
        ['GET', '/journeys/P1', undefined],
        ['GET', '/journeys/P1', undefined],
        ['GET', '/journeys?stuck=overdue', undefined],
        ['GET', '/reports/overdue', undefined],
        [
          'POST',
          '/journeys/P1/events',
          { type: 'UNIVERSAL_OFFER_GIVEN', eventId: 'e1', informationAndAdvice: ['falls prevention'] },
        ],
      ] as const) {
        const started = Date.now();
        const response = await app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
        expect([url, response.statusCode]).toEqual([url, 503]);
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.json().error).toMatch(/^Temporal is not reachable/);
      }
    } finally {
      await app.close();
      await connection.close();
    }
  });

  it('GET /healthz answers 503 and says which part is down', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const app = await buildApi({ client: new Client({ connection }), config: loadConfig({}) });
    try {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        ok: false,
        temporal: { reachable: false, error: expect.any(String) },
        worker: { polling: false, stalePollers: 0, error: 'unknown: Temporal is not reachable' },
      });
    } finally {
      await app.close();
      await connection.close();
    }
  });
});
