import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  eventBodySchemas,
  referralBodySchema,
  schemaNameOf,
  sendableEventTypes,
} from '../../api/openapi/eventBodies';
import { buildApi } from '../../api/server';
import { eventDocs, describeField, type SendableEventType } from '../../machines/eventExamples';
import { journeyEventSchemas, journeyEventTypes, systemOnlyEvents } from '../../machines/events';
import { loadConfig } from '../../temporal.config';

/**
 * The served OpenAPI document is the contract (issue 11): it passes a standard validator, names
 * every event type with its own schema (a discriminated union), its fields' descriptions, formats
 * and limits, and a real example that its own event schema accepts; and the bodies it describes
 * validate exactly as the event catalogue does. Nothing here needs Temporal: the API is built on a
 * lazy connection that is never used.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: FastifyInstance;
let document: Json;

beforeAll(async () => {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApi({ client, config: loadConfig({}) });
  document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => app?.close());

const schemas = () => document.components.schemas as Record<string, Json>;
const actor = { userId: 'worker.ann', role: 'practitioner' } as const;
const catalogue = (type: string) => journeyEventSchemas().find((s) => s.shape.type.value === type)!;
const bodySchema = (type: string) =>
  eventBodySchemas.find((s) => (s.shape as { type: z.ZodLiteral<string> }).type.value === type)!;

it('passes a standard OpenAPI validator', async () => {
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  expect(result).toMatchObject({ valid: true, warnings: [] });
});

it('has one schema per event a caller may send, keyed by type (oneOf + discriminator)', () => {
  const body = schemas().EventBody!;
  const expected = journeyEventTypes.filter((t) => !systemOnlyEvents.includes(t));
  expect(sendableEventTypes).toEqual(expected);
  expect(body.oneOf).toHaveLength(expected.length);
  expect(body.discriminator).toEqual({
    propertyName: 'type',
    mapping: Object.fromEntries(expected.map((t) => [t, `#/components/schemas/${schemaNameOf(t)}Event`])),
  });
  for (const type of expected) {
    const schema = schemas()[`${schemaNameOf(type)}Event`]!;
    expect([type, schema.properties.type.enum]).toEqual([type, [type]]);
    expect([type, schema.additionalProperties]).toEqual([type, false]);
    // the caller sends no actor; occurredAt is optional (default: now)
    expect([type, Object.keys(schema.properties)]).not.toContainEqual('actor');
    expect([type, schema.required]).toEqual([type, expect.arrayContaining(['type', 'eventId'])]);
    expect([type, schema.required]).not.toContainEqual('occurredAt');
  }
  // the events only the journey raises are not offered
  for (const type of systemOnlyEvents) expect(body.discriminator.mapping[type]).toBeUndefined();
  const operation = document.paths['/journeys/{personId}/events'].post;
  expect(operation.requestBody.content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/EventBody',
  });
  expect(Object.keys(operation.requestBody.content['application/json'].examples)).toEqual(expected);
});

it.each(sendableEventTypes)('%s: its example is accepted by its own event schema and by its body', (type) => {
  const schema = schemas()[`${schemaNameOf(type)}Event`]!;
  expect(schema.example).toEqual(eventDocs[type].example);
  expect(schema.description).toBe(eventDocs[type].summary);
  const example = structuredClone(schema.example);
  expect(bodySchema(type).safeParse(example).error?.issues).toBeUndefined();
  // the journey's own schema (the catalogue's), with the actor the API adds
  expect(catalogue(type).safeParse({ ...example, actor }).error?.issues).toBeUndefined();
  const media = document.paths['/journeys/{personId}/events'].post.requestBody.content['application/json'];
  expect(media.examples[type].value).toEqual(example);
});

it('the referral body is the REFERRAL_RECEIVED event with the person, and its example is accepted', () => {
  const operation = document.paths['/referrals'].post;
  const media = operation.requestBody.content['application/json'];
  expect(media.schema).toEqual({ $ref: '#/components/schemas/Referral' });
  const { personId, ...referral } = media.example;
  expect(personId).toBe('P-100');
  expect(referralBodySchema.safeParse(media.example).error?.issues).toBeUndefined();
  expect(
    catalogue('REFERRAL_RECEIVED').safeParse({
      ...referral,
      type: 'REFERRAL_RECEIVED',
      eventId: 'r-1',
      actor,
    }).error?.issues,
  ).toBeUndefined();
  const fields = Object.keys(schemas().Referral!.properties);
  const eventFields = Object.keys(catalogue('REFERRAL_RECEIVED').shape).filter(
    (f) => !['type', 'actor'].includes(f),
  );
  // besides the event's fields: whose journey, and the person's record (kept in the store, not the event)
  expect(fields.sort()).toEqual([...eventFields, 'personId', 'person'].sort());
});

/** Every field path of a JSON schema object, with its schema (arrays as `field[]`). */
function fieldsOf(schema: Json, at = ''): [string, Json][] {
  const found: [string, Json][] = [];
  for (const [name, field] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const path = at ? `${at}.${name}` : name;
    found.push([path, field], ...fieldsOf(field, path));
    if (field.items) found.push(...fieldsOf(field.items, `${path}[]`));
  }
  return found;
}

it('every field of every event has a description, its format and its limits', () => {
  const undescribed: string[] = [];
  for (const type of sendableEventTypes) {
    const schema = schemas()[`${schemaNameOf(type)}Event`]!;
    for (const [path, field] of fieldsOf(schema)) {
      if (!field.description) undescribed.push(`${type}.${path}`);
      if (field.type === 'string' && !field.enum && !field.pattern && !field.format)
        expect([type, path, field.maxLength]).toEqual([type, path, expect.any(Number)]);
      if (field.type === 'array') expect([type, path, field.maxItems]).toEqual([type, path, 100]);
    }
    // every top-level field is described in words of its own, not only by its type
    for (const name of Object.keys(catalogue(type).shape).filter((n) => n !== 'actor')) {
      const own =
        describeField(type, name) ?? (catalogue(type).shape as Record<string, z.ZodType>)[name]!.description;
      expect([type, name, own]).toEqual([type, name, expect.any(String)]);
    }
    expect(schema.properties.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schema.properties.occurredAt.description).toMatch(/with its offset/);
  }
  expect(undescribed).toEqual([]);
  const activated = schemas().ServicesActivatedEvent!.properties;
  expect(activated.firstReviewAgreedFor).toMatchObject({ type: 'string', format: 'date' });
  expect(schemas().TriagedEvent!.properties.route.enum).toEqual([
    'informationAndAdvice',
    'shortTermSupport',
    'assessment',
    'emergencyInterimSupport',
  ]);
  expect(schemas().ReferralReceivedEvent!.properties.summary).toMatchObject({ maxLength: 10_000 });
});

it('every response is a real schema, every error the one Error shape, every 503 with Retry-After', () => {
  const statuses = ['400', '404', '414', '431', '500', '503'];
  for (const [route, operations] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      expect([route, method, Object.keys(operation.responses)]).toEqual([
        route,
        method,
        expect.arrayContaining(method === 'get' ? statuses : [...statuses, '413', '415']),
      ]);
      // a GET has no body: no 413 or 415
      if (method === 'get')
        expect([route, Object.keys(operation.responses).filter((s) => s === '413' || s === '415')]).toEqual([
          route,
          [],
        ]);
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const schema = response.content['application/json'].schema as Json;
        // a $ref, or a description over one ($ref in allOf): never {} or bare additionalProperties
        const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
        expect([route, method, status, typeof ref]).toEqual([route, method, status, 'string']);
        expect(schemas()[ref.split('/').pop()]).toBeDefined();
        expect([route, method, status, response.description]).toEqual([
          route,
          method,
          status,
          expect.any(String),
        ]);
        if (status === '503') expect(response.headers['Retry-After'].schema.type).toBe('integer');
      }
    }
  }
  const problem = schemas().Problem!;
  expect(problem.required).toEqual(['field', 'message']);
  expect(Object.keys(problem.properties)).toEqual(['field', 'message', 'accepted']);
  expect(schemas().Error!.properties.problems.items).toEqual({ $ref: '#/components/schemas/Problem' });
  // no schema is left empty
  const empty = Object.entries(schemas()).filter(([, s]) => Object.keys(s).length === 0);
  expect(empty).toEqual([]);
  expect(JSON.stringify(document)).not.toContain('"additionalProperties":{}');
});

/**
 * The edge validates as the catalogue does: for each event's example, each field left out, each
 * field of the wrong kind, blank, too long, and an unknown field get the same verdict from the body
 * schema (what the API validates) as from the catalogue (what the journey's Update validator uses).
 */
describe.each(sendableEventTypes)(
  '%s: the body validates exactly as the catalogue',
  (type: SendableEventType) => {
    const example = eventDocs[type].example as Record<string, unknown>;
    const variants: [string, Record<string, unknown>][] = [['as is', example]];
    const walk = (value: unknown, set: (v: unknown) => Record<string, unknown>, at: string) => {
      variants.push(
        [`${at} = 7`, set(7)],
        [`${at} = "x"`, set('x')],
        [`${at} = " "`, set(' ')],
        [`${at} = NUL`, set('a\u0000b')],
        [`${at} = tab`, set('a\tb')],
        [`${at} = line break`, set('a\nb')],
        [`${at} = long`, set('x'.repeat(10_001))],
        [`${at} = []`, set([])],
        [`${at} = {}`, set({})],
        [`${at} = null`, set(null)],
        [`${at} = 2026-03-02T09:30:00`, set('2026-03-02T09:30:00')],
        [`${at} = 9999-12-31`, set('9999-12-31')],
      );
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) {
          walk(inner, (v) => set({ ...(value as object), [key]: v }), `${at}.${key}`);
          const { [key]: _left, ...without } = value as Record<string, unknown>;
          variants.push([`${at}.${key} left out`, set(without)]);
        }
        variants.push([`${at}.unknown`, set({ ...(value as object), unknownField: 1 })]);
      }
    };
    for (const [key, value] of Object.entries(example)) {
      if (key === 'type') continue;
      walk(value, (v) => ({ ...example, [key]: v }), key);
      const { [key]: _left, ...without } = example;
      variants.push([`${key} left out`, without]);
    }
    variants.push(['unknown field', { ...example, unknownField: 1 }]);

    it.each(variants)('%s', (_name, body) => {
      const atEdge = bodySchema(type).safeParse(body).success;
      const { occurredAt, ...rest } = body as { occurredAt?: unknown };
      const atJourney = catalogue(type).safeParse({
        ...rest,
        // the API fills in a missing occurredAt and the actor before the journey sees the event
        occurredAt: occurredAt === undefined ? '2026-03-02T09:30:00Z' : occurredAt,
        actor,
      }).success;
      expect(atEdge).toBe(atJourney);
    });
  },
);
