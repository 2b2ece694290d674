import { z } from 'zod';
import {
  eventSchemaOf,
  journeyEventSchema,
  journeyEventSchemas,
  systemOnlyEvents,
  type JourneyEvent,
  type JourneyEventType,
} from '../../machines/events';
import { describeField, eventDocs, type SendableEventType } from '../../machines/eventExamples';
import { dateWindow, limits, thousands } from '../../machines/limits';
import { invalidRequest } from '../errors';
import { problemsFromIssues } from '../problems';
import { personIdSchema } from '../schemas';
import { personRecordSchema } from '../../machines/personRecord';

/**
 * The bodies callers send, generated from the event catalogue (machines/events.ts): each event's
 * own schema without `actor` (the API sets it from the token) and with `occurredAt` optional
 * (default: now), with the words and example from machines/eventExamples.ts. Every field keeps the
 * catalogue's schema (a described copy validates exactly as the original), so the document and the
 * edge validate as the journey's Update validator does; test/api/contract.document.test.ts holds
 * them to that.
 */

/** 'REFERRAL_RECEIVED' → 'ReferralReceived': the event's schema name in the OpenAPI document. */
export const schemaNameOf = (type: string): string =>
  type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** The description zod keeps for a schema, looking through optional/default wrappers. */
function descriptionOf(schema: z.ZodType): string | undefined {
  if (schema.description) return schema.description;
  const inner = (schema._zod.def as { innerType?: z.ZodType }).innerType;
  return inner ? descriptionOf(inner) : undefined;
}

/**
 * The schema with its field descriptions (by path, from eventExamples.ts), and otherwise the same:
 * objects, arrays and wrappers are copied with the same definition (checks, strictness, defaults),
 * only their children documented.
 */
function documented(schema: z.ZodType, type: string, path: string): z.ZodType {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  let copy: z.ZodType = schema;
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(
      Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => [
        name,
        documented(field, type, path ? `${path}.${name}` : name),
      ]),
    );
    copy = schema.clone({ ...def, shape } as never);
  } else if (schema instanceof z.ZodArray) {
    copy = schema.clone({
      ...def,
      element: documented(schema.element as z.ZodType, type, `${path}[]`),
    } as never);
  } else if (def.type === 'optional' || def.type === 'default') {
    copy = schema.clone({ ...def, innerType: documented(def.innerType as z.ZodType, type, path) } as never);
  }
  const own = path ? describeField(type, path) : undefined;
  const ofType = descriptionOf(schema);
  const description = [own, ofType].filter(Boolean).join('. ');
  return description ? copy.describe(description) : copy;
}

const sendable = journeyEventSchemas().filter(
  (schema) => !systemOnlyEvents.includes(schema.shape.type.value),
);

type CatalogueSchema = ReturnType<typeof journeyEventSchemas>[number];

/** One event's body: its catalogue schema without actor, occurredAt optional, documented, with its example. */
function eventBody(schema: CatalogueSchema): z.ZodObject {
  const type = schema.shape.type.value as SendableEventType;
  const strict = schema as unknown as z.ZodObject<typeof schema.shape>;
  const body = strict.omit({ actor: true }).extend({ occurredAt: schema.shape.occurredAt.optional() });
  const doc = eventDocs[type];
  return (documented(body, type, '') as z.ZodObject).meta({
    id: `${schemaNameOf(type)}Event`,
    title: type,
    description: doc.summary,
    example: doc.example,
  });
}

export const eventBodySchemas = sendable.map(eventBody);

/** The fields an event body may have, by event type (what a 400 for an unknown field lists). */
export const eventBodyFields: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  eventBodySchemas.map((schema) => [
    (schema.shape as { type: z.ZodLiteral<string> }).type.value,
    Object.keys(schema.shape),
  ]),
);

export const sendableEventTypes = sendable.map((schema) => schema.shape.type.value) as SendableEventType[];

export const eventBodySchema = z
  .discriminatedUnion('type', eventBodySchemas as unknown as [z.ZodObject, ...z.ZodObject[]])
  .meta({
    id: 'EventBody',
    description:
      'A journey event, one schema per `type` (the discriminator); each lists its fields with their formats and ' +
      `limits, and an example. Leave \`actor\` out: the authenticated caller is the actor. Every text field and list ` +
      `has a maximum (ids ${limits.idChars} characters, short text ${limits.shortTextChars}, long text ` +
      `${thousands(limits.longTextChars)}, lists ${limits.listItems} items); every date lies between ` +
      `${dateWindow.earliest} and ${dateWindow.latest}. ${systemOnlyEvents.join(' and ')} come only from the ` +
      'journey itself (403). Referrals that open a journey go to POST /referrals.',
  });

/** The catalogue's REFERRAL_RECEIVED, documented, as POST /referrals takes it (every field of the event). */
const referralReceived = documented(
  eventSchemaOf('REFERRAL_RECEIVED'),
  'REFERRAL_RECEIVED',
  '',
) as z.ZodObject<ReturnType<typeof eventSchemaOf<'REFERRAL_RECEIVED'>>['shape']>;
const { type: _type, eventId: _eventId, ...referralExample } = eventDocs.REFERRAL_RECEIVED.example;

export const referralBodySchema = referralReceived
  .omit({ type: true, actor: true, eventId: true, occurredAt: true })
  .extend({
    personId: personIdSchema,
    occurredAt: referralReceived.shape.occurredAt.optional(),
    eventId: referralReceived.shape.eventId
      .optional()
      .describe(
        `The referral's event id: default referral-<referralId>, so a resend is applied once. 1 to ${limits.idChars} characters`,
      ),
    person: personRecordSchema
      .optional()
      .describe(
        "The person's record (names, date of birth, NHS number, address, …), written to the council's case-event store " +
          'once the journey is open, never into the journey itself (PUT /people/{personId}/record takes it too)',
      ),
  })
  .meta({
    id: 'Referral',
    description:
      "A referral: opens the person's journey (201), or is recorded on the one already open (200, R-REF-4). " +
      'A referral the journey would refuse opens nothing.',
    example: { personId: 'P-100', ...referralExample },
  });

/** The catalogue's own schema for an event type (what the journey's Update validator parses with). */
export const catalogueSchemaOf = (type: JourneyEventType) => eventSchemaOf(type);

/** What a body is, for its 400s: 'a TRIAGED event' and the fields that event has. */
export function describeEventBody(body: unknown): { what?: string; knownFields?: readonly string[] } {
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !eventBodyFields[type]) return {};
  return { what: `a ${type} event`, knownFields: eventBodyFields[type] };
}

/**
 * The event the journey gets, parsed by the catalogue itself (journeyEventSchema, as the journey's
 * Update validator parses it): a problem found here is a 400 naming its field, like Fastify's.
 */
export function parseEventAtEdge(candidate: Record<string, unknown>, what: string): JourneyEvent {
  const parsed = journeyEventSchema().safeParse(candidate);
  if (parsed.success) return parsed.data as JourneyEvent;
  throw invalidRequest(
    what,
    problemsFromIssues(parsed.error.issues, {
      part: 'body',
      input: candidate,
      ...describeEventBody(candidate),
    }),
  );
}
