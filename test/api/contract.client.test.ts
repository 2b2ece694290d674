import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/server';
import { createCareClient, type EventBody, type Problem } from '../../clients/typescript';
import { loadConfig } from '../../temporal.config';
import { testTokens } from './apiHarness';

/**
 * The integrators' typed client (clients/typescript/) is what the current document generates: if
 * an API schema or the event catalogue changes, this fails until `npm run client:generate` is run
 * and the result committed. And the client works: its typed calls reach the API and read its
 * answers (through the API's inject, on a lazy Temporal connection: a 400 is answered before
 * Temporal is asked).
 */

it('the committed client is what the served document generates (npm run client:generate)', () => {
  // A child process: openapi-typescript loads ES modules, which Jest on Node 20 cannot require.
  const check = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'clients/typescript/generate.ts', '--check'],
    {
      cwd: path.join(__dirname, '../..'),
      encoding: 'utf8',
    },
  );
  expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
});

describe('the client against the API', () => {
  let app: FastifyInstance;
  const tokens = JSON.stringify({
    [testTokens.practitioner.token]: { userId: 'ann', role: 'practitioner', teams: '*' },
  });
  beforeAll(async () => {
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildApi({ client, config: loadConfig({ CARE_API_TOKENS: tokens }) });
  });
  afterAll(async () => app?.close());

  /** fetch, answered by the API in this process */
  const injected: typeof fetch = async (input) => {
    const request = input as Request;
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const response = await app.inject({
      method: request.method as 'POST',
      url: url.pathname + url.search,
      headers,
      payload: request.body ? await request.text() : undefined,
    });
    return new Response(response.body, {
      status: response.statusCode,
      headers: response.headers as Record<string, string>,
    });
  };

  it('sends a typed event and reads the typed problems of a 400', async () => {
    const care = createCareClient({
      baseUrl: 'http://care.test',
      token: testTokens.practitioner.token,
      fetch: injected,
    });
    // a date-time without its offset: the types allow a string, the API says what it must be
    const body: EventBody = {
      type: 'TRIAGED',
      eventId: 'e-1',
      occurredAt: '2026-03-02T09:30:00',
      route: 'assessment',
      reason: 'Needs an assessment',
    };
    const { data, error, response } = await care.POST('/journeys/{personId}/events', {
      params: { path: { personId: 'P-100' } },
      body,
    });
    expect(response.status).toBe(400);
    expect(data).toBeUndefined();
    const problems: Problem[] = error?.problems ?? [];
    expect(problems).toEqual([
      expect.objectContaining({ field: 'occurredAt', accepted: expect.stringContaining('offset') }),
    ]);
  });

  it('sends the token it was given', async () => {
    const care = createCareClient({ baseUrl: 'http://care.test', token: 'not-a-token', fetch: injected });
    const { error, response } = await care.GET('/journeys/{personId}', {
      params: { path: { personId: 'P-100' } },
    });
    expect(response.status).toBe(401);
    expect(error?.error).toMatch(/token/i);
  });
});
