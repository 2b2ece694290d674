import type { AddressInfo } from 'node:net';
import { startApiHarness, testTokens, type ApiHarness } from './apiHarness';

/**
 * A person from referral to the end of services using only what the served OpenAPI document says
 * (issue 11, "done when"). The harness only starts the API (a real worker on a dev server); the
 * walk itself is a plain HTTP client (fetch) that knows the document and nothing else: each
 * request body is the document's own example for that event type, with its ids and dates changed
 * as the document's formats allow (every `date` and `date-time` field moved by the same number of
 * days) and, where the walk needs another value, one of the values the document lists.
 *
 * The walk is back-dated (it starts 60 days before now, so the end date that the service-end letter
 * sets, 10 working days after posting, has already passed and the journey closes at once); every
 * date in it is relative to now, so it asserts the same on any day.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let harness: ApiHarness;
let base: string;
let document: Json;
const token = testTokens.practitioner.token;

beforeAll(async () => {
  harness = await startApiHarness();
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  const served = await fetch(`${base}/docs/json`);
  expect(served.status).toBe(200);
  document = (await served.json()) as Json;
});
afterAll(async () => harness?.stop());

// ---- the client: fetch and the document ----

async function http(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const componentOf = (ref: string): Json => document.components.schemas[ref.split('/').pop()!];
const eventsOperation = () => document.paths['/journeys/{personId}/events'].post;

/** The event's own schema, found through the body's discriminator. */
function eventSchema(type: string): Json {
  const body = componentOf(eventsOperation().requestBody.content['application/json'].schema.$ref);
  expect(body.discriminator.propertyName).toBe('type');
  const ref = body.discriminator.mapping[type];
  expect([type, typeof ref]).toEqual([type, 'string']);
  return componentOf(ref);
}

const day = 86_400_000;
const dateOf = (instant: string) => instant.slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${dateOf(to)}T00:00:00Z`) - Date.parse(`${dateOf(from)}T00:00:00Z`)) / day);

/** Every `date` and `date-time` field in a value (by its schema) moved by whole days. */
function shiftDates(value: unknown, schema: Json, days: number): unknown {
  if (schema.$ref) return shiftDates(value, componentOf(schema.$ref), days);
  if (typeof value === 'string' && schema.format === 'date-time')
    return new Date(Date.parse(value) + days * day).toISOString();
  if (typeof value === 'string' && schema.format === 'date')
    return dateOf(new Date(Date.parse(`${value}T00:00:00Z`) + days * day).toISOString());
  if (Array.isArray(value)) return value.map((item) => shiftDates(item, schema.items ?? {}, days));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        shiftDates(inner, schema.properties?.[key] ?? {}, days),
      ]),
    );
  return value;
}

/** A value the document allows for a field: one of its enum's values. */
function allowed(schema: Json, field: string, value: string): string {
  expect([field, schema.properties[field].enum]).toEqual([field, expect.arrayContaining([value])]);
  return value;
}

/**
 * The document's example for an event type, as the walk sends it at `occurredAt`: its own eventId,
 * every date moved with occurredAt, and any values the walk changes.
 */
function fromExample(type: string, occurredAt: string, eventId: string, values: Json = {}) {
  const schema = eventSchema(type);
  const example = eventsOperation().requestBody.content['application/json'].examples[type].value as Json;
  expect(example).toEqual(schema.example);
  const moved = shiftDates(example, schema, daysBetween(example.occurredAt, occurredAt)) as Json;
  for (const field of Object.keys(values))
    expect([type, field, field in schema.properties]).toEqual([type, field, true]);
  return { ...moved, ...values, eventId, occurredAt };
}

// ---- the walk ----

const personId = 'P-WALK-1';
const start = Date.now() - 60 * day;
let step = 0;
/** The walk's moment for day n: one minute later for each step, so every event follows the one before. */
const at = (n: number) => new Date(start + n * day + ++step * 60_000).toISOString();

async function view() {
  const detail = await http('GET', `/journeys/${personId}`);
  expect(detail.status).toBe(200);
  return detail.body.view as Json;
}

async function send(type: string, dayNumber: number, values: Json = {}) {
  expect([type, (await view()).allowedEvents]).toEqual([type, expect.arrayContaining([type])]);
  const body = fromExample(type, at(dayNumber), `walk-${step}`, values);
  const answer = await http('POST', `/journeys/${personId}/events`, body);
  expect([type, answer.status, answer.body.error]).toEqual([type, 200, undefined]);
  expect(answer.body.status).toBe('applied');
  return answer.body.view as Json;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('walks a person from referral to the end of services with the document alone', async () => {
  // The referral: POST /referrals with the document's example, for this person.
  const referrals = document.paths['/referrals'].post;
  const referralSchema = componentOf(referrals.requestBody.content['application/json'].schema.$ref);
  const example = referrals.requestBody.content['application/json'].example as Json;
  const occurredAt = at(0);
  const referral = {
    ...(shiftDates(example, referralSchema, daysBetween(example.occurredAt, occurredAt)) as Json),
    personId,
    referralId: 'R-WALK-1',
    occurredAt,
  };
  const opened = await http('POST', '/referrals', referral);
  expect([opened.status, opened.body.error]).toEqual([201, undefined]);
  expect(opened.body).toMatchObject({ journeyOpened: true, view: { personId, closed: false } });

  await send('UNIVERSAL_OFFER_GIVEN', 0);
  await send('TRIAGED', 1);
  await send('WORKER_ALLOCATED', 1);
  await send('ASSESSMENT_STARTED', 2);
  await send('CONSENT_RECORDED', 2);
  await send('ORDINARY_RESIDENCE_ESTABLISHED', 2);
  await send('ASSESSMENT_COMPLETED', 3);
  // The journey asks the RAS itself; sharing the budget is allowed once it has answered.
  await until(view, (v) => v.allowedEvents.includes('INDICATIVE_BUDGET_SHARED'), 'the indicative budget');
  await send('INDICATIVE_BUDGET_SHARED', 4);
  await send('PLANNING_STARTED', 5);
  await send('PLAN_SUBMITTED', 6);
  await send('PLAN_SIGNED_OFF', 7);
  const live = await send('SERVICES_ACTIVATED', 9);
  expect(live.closed).toBe(false);

  // A review decides services are to end; the reassessment ends them; the letter gives the date.
  await send('REVIEW_COMPLETED', 10, {
    outcome: allowed(eventSchema('REVIEW_COMPLETED'), 'outcome', 'servicesToEnd'),
  });
  await send('REASSESSMENT_COMPLETED', 10, {
    outcome: allowed(eventSchema('REASSESSMENT_COMPLETED'), 'outcome', 'endServices'),
  });
  await send('REASSESSMENT_COPY_PROVIDED', 10);
  await send('SERVICE_END_LETTER_POSTED', 11);

  // The end date (at least 10 working days after posting) is past: services end, the journey closes.
  const ended = await until(view, (v) => v.closed === true, 'the end of services');
  expect(ended.closure).toMatchObject({ reason: 'servicesEnded' });
  const detail = await http('GET', `/journeys/${personId}`);
  const types = (detail.body.timeline as Json[]).map((entry) => entry.type);
  expect(types).toEqual(
    expect.arrayContaining([
      'REFERRAL_RECEIVED',
      'ASSESSMENT_COMPLETED',
      'INDICATIVE_BUDGET_CALCULATED',
      'PLAN_SIGNED_OFF',
      'SERVICES_ACTIVATED',
      'SERVICE_END_LETTER_POSTED',
    ]),
  );
  // every event the walk sent is in the timeline, once, as the caller
  const sent = (detail.body.timeline as Json[]).filter((entry) => String(entry.eventId).startsWith('walk-'));
  expect(sent).toHaveLength(16);
  expect(new Set(sent.map((entry) => entry.actor.userId))).toEqual(new Set([testTokens.practitioner.userId]));
});
