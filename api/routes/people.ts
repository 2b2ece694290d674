import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  nhsNumberSchema,
  personRecordAmendmentSchema,
  personRecordKeptSchema,
  personRecordSchema,
  type PersonRecordFields,
} from '../../machines/personRecord';
import { recordCommands } from '../../store/personRecord';
import { PersonRecordRefused } from '../../store/personRecord';
import { actorOf, callerOf, type Caller } from '../auth';
import { ApiError, errorResponses, invalidRequest, noJourneyMessage } from '../errors';
import { problemsFromIssues } from '../problems';
import { personIdSchema } from '../schemas';
import { teamOfJourney } from '../scope';
import type { RouteDeps } from '../server';

/**
 * The person record (issue 26) through the API: read it, record it whole (PUT), amend it (PATCH),
 * read its history, and find people (GET /people). Kept in the case-event store only
 * (store/personRecord.ts), reached through the person-index port; every read and write is in the
 * person's access record, search results included. A person is reached as their journey is (their
 * team's staff; the front door's while it has no team: api/scope.ts).
 */

export const personRecordViewSchema = z
  .object({
    personId: z.string(),
    version: z.number().int().describe('Counts the changes: 1 for the record as first written'),
    recordedAt: z.string().describe('When this version was written (ISO instant)'),
    recordedBy: z.string().describe('Who wrote it'),
    record: personRecordKeptSchema,
  })
  .meta({ id: 'PersonRecordView', description: "A person's record as it is now" });

const recordWrittenSchema = personRecordViewSchema
  .extend({
    changed: z
      .array(z.string())
      .describe('The fields this write changed (none: it was the record already, and no version was added)'),
  })
  .meta({ id: 'PersonRecordWritten', description: 'The record after the write, and what it changed' });

export const personRecordHistorySchema = z
  .object({
    personId: z.string(),
    versions: z
      .array(
        z.object({
          version: z.number().int(),
          recordedAt: z.string().describe('When (ISO instant)'),
          recordedBy: z.string().describe('Who'),
          recordedRole: z.string(),
          via: z
            .enum(recordCommands)
            .describe('referral, record (PUT), amend (PATCH) or import: the command that wrote it'),
          changed: z.array(z.string()).describe('The fields this version changed'),
          record: personRecordKeptSchema.describe('The whole record as this version left it'),
        }),
      )
      .describe('Oldest first'),
  })
  .meta({
    id: 'PersonRecordHistory',
    description:
      "Every version of the person's record, with who changed what and when: for a subject access request too",
  });

const searchHitSchema = z.object({
  personId: z.string().describe("The person's reference (their journey's id)"),
  name: z.string().optional().describe('The name to call them by'),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  dateOfBirth: z.string().optional(),
  nhsNumber: z.string().optional().describe('10 digits'),
  postcode: z.string().optional(),
  addressLine: z.string().optional().describe("The address's first line, to tell people of one name apart"),
  team: z.string().optional().describe("The journey's team (absent: not yet allocated)"),
  stage: z.string().optional(),
  closed: z.boolean().optional(),
  hasRecord: z.boolean().describe('false: a journey with no person record yet (found by its reference)'),
});

export const personSearchResultSchema = z
  .object({
    people: z.array(searchHitSchema).describe('Best match first: every name word whole before a word begun'),
    more: z.boolean().describe('More people matched than the limit: narrow the search'),
  })
  .meta({
    id: 'PersonSearchResult',
    description: "People matching every criterion, within the caller's teams",
  });

const ukDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const searchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Free text as a person types it: a date of birth (14/05/1941 or 1941-05-14), an NHS number, a postcode and ' +
        'names, in any order, e.g. "ann smith 14/05/1941"; a single word with a digit in it is a reference',
    ),
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Any of the names, in any order, any case, accents or not; a word may be the start of a name ("ann smi")',
    ),
  dateOfBirth: z.iso.date({ message: 'write the date of birth as YYYY-MM-DD, e.g. 1941-05-14' }).optional(),
  nhsNumber: nhsNumberSchema.optional().describe('10 digits, spaces allowed; its check digit is checked'),
  postcode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9 ]{2,8}$/, 'write a postcode, or its start, e.g. "DE4 3AG" or "DE4"')
    .optional()
    .describe('A postcode, or its start (e.g. "DE4")'),
  reference: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("The person's reference (person id), or its start; any case"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
type SearchQuery = z.output<typeof searchQuerySchema>;

/** Free text as criteria: a date, an NHS number, a postcode, a reference, and the rest as names. */
export function criteriaOfText(text: string): Omit<SearchQuery, 'q' | 'limit'> {
  let rest = ` ${text} `;
  const criteria: Omit<SearchQuery, 'q' | 'limit'> = {};
  const take = (pattern: RegExp, use: (match: RegExpExecArray) => boolean) => {
    const match = pattern.exec(rest);
    if (match && use(match)) rest = rest.replace(match[0], ' ');
  };
  take(/\s(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})\s/, (m) => {
    const uk = ukDate.exec(m[1]!);
    criteria.dateOfBirth = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : m[1]!;
    return true;
  });
  take(/\s(\d{3}[ -]?\d{3}[ -]?\d{4})\s/, (m) => {
    criteria.nhsNumber = m[1]!;
    return true;
  });
  take(/\s([A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2})\s/, (m) => {
    criteria.postcode = m[1]!;
    return true;
  });
  const words = rest.trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && /\d/.test(words[0]!)) criteria.reference = words[0]!;
  else if (words.length) criteria.name = words.join(' ');
  return criteria;
}

/** Whom each search answered about, for its access record entries. */
const found = new WeakMap<FastifyRequest, string[]>();

const noRecordMessage = (personId: string) =>
  `no person record for ${personId}: record one with PUT /people/${personId}/record, or send it with the person's referral (POST /referrals, "person")`;

export const peopleRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { auth, scope, store, journeys, people },
) => {
  const thePeople = () => {
    if (!people)
      throw new ApiError(
        404,
        'this API has no case-event store, where person records are kept (CARE_DATABASE_URL)',
      );
    return people;
  };
  /**
   * The person is within the caller's reach as their journey is; a person with no journey belongs
   * to the front door. Out of reach answers as no record does.
   */
  async function reach(caller: Caller, personId: string, notFound: () => ApiError) {
    if (scope.seesEveryTeam(caller)) return;
    const journey = await teamOfJourney(personId, { store, journeys });
    if (!scope.reaches(caller, journey === 'unknown' ? undefined : journey.team)) throw notFound();
  }
  const params = z.object({ personId: personIdSchema });
  const notFound = (personId: string) => () => new ApiError(404, noRecordMessage(personId));
  const invalidRecord = (err: PersonRecordRefused, input: unknown) =>
    invalidRequest('person record', problemsFromIssues(err.issues, { part: 'body', input }));

  app.get(
    '/people/:personId/record',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read' } },
      schema: {
        summary:
          "A person's record: names, date of birth, NHS number, address, contacts, and the CLD person items",
        description:
          'Kept only in the case-event store; the NHS number and special-category fields are encrypted there. ' +
          "A person outside the caller's teams answers as one with no record (404). The read is recorded.",
        tags: ['people'],
        params,
        response: { 200: personRecordViewSchema, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      await reach(callerOf(request), personId, notFound(personId));
      const view = await thePeople().person(personId);
      if (!view) throw notFound(personId)();
      return view;
    },
  );

  app.get(
    '/people/:personId/record/history',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read' } },
      schema: {
        summary: "Every version of a person's record: who changed what, and when",
        description:
          'Oldest first, each version whole, with the command that wrote it and the fields it changed. With the ' +
          'journey (GET /journeys/{personId}) and who looked (GET /journeys/{personId}/access) it is what the council holds about the person.',
        tags: ['people'],
        params,
        response: { 200: personRecordHistorySchema, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      await reach(callerOf(request), personId, notFound(personId));
      const versions = await thePeople().history(personId);
      if (!versions.length) throw notFound(personId)();
      return { personId, versions };
    },
  );

  app.put(
    '/people/:personId/record',
    {
      onRequest: auth.require('sendEvents'),
      config: { access: { action: 'write', eventType: () => 'PERSON_RECORDED' }, bodyIs: 'person record' },
      schema: {
        summary: "Record a person's record whole (201 when new): the fields left out are removed",
        description:
          "For a person with a journey within the caller's teams (a referral opens one, and can carry the record: " +
          'POST /referrals, "person"). Every change is kept with who made it and when (GET …/record/history); a record ' +
          'the same as the one kept adds no version. The NHS number must pass its check digit.',
        tags: ['people'],
        params,
        body: personRecordSchema,
        response: {
          200: recordWrittenSchema.describe('The record was changed (or was this already)'),
          201: recordWrittenSchema.describe('The first record of this person'),
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { personId } = request.params;
      const caller = callerOf(request);
      const journey = await teamOfJourney(personId, { store, journeys });
      const noJourney = () => new ApiError(404, noJourneyMessage(personId, false));
      if (journey === 'unknown') throw noJourney();
      if (!scope.reaches(caller, journey.team)) throw noJourney();
      const written = await thePeople().save(personId, request.body, actorOf(request), 'record');
      return reply.code(written.created ? 201 : 200).send({ ...written.view, changed: written.changed });
    },
  );

  app.patch(
    '/people/:personId/record',
    {
      onRequest: auth.require('sendEvents'),
      config: { access: { action: 'write', eventType: () => 'PERSON_AMENDED' }, bodyIs: 'amendment' },
      schema: {
        summary: "Amend a person's record: the fields given replace the ones kept; null removes one",
        description:
          'e.g. a change of address: {"address": {"lines": ["Flat 2, 9 Bank Road", "Matlock"], "postcode": "DE4 3NF"}}. ' +
          "The address before is kept in the record's history with who changed it and when.",
        tags: ['people'],
        params,
        body: personRecordAmendmentSchema,
        response: { 200: recordWrittenSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      await reach(callerOf(request), personId, notFound(personId));
      try {
        const written = await thePeople().amend(personId, request.body, actorOf(request));
        if (!written) throw notFound(personId)();
        return { ...written.view, changed: written.changed };
      } catch (err) {
        if (err instanceof PersonRecordRefused) throw invalidRecord(err, request.body);
        throw err;
      }
    },
  );

  app.get(
    '/people',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read', people: (request) => found.get(request) ?? [] } },
      schema: {
        summary: 'Find people by name, date of birth, NHS number, postcode or reference',
        description:
          'Every criterion given must match. Names match in any order, any case, with or without accents, and a word ' +
          "may be a name's start. Only people within the caller's teams (an auditor's: every team's; the front door's " +
          'while their journey has no team). Each person found is recorded as read in their access record.',
        tags: ['people'],
        querystring: searchQuerySchema,
        response: { 200: personSearchResultSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { q, limit, ...given } = request.query;
      const fromText = q ? criteriaOfText(q) : {};
      const criteria = { ...fromText, ...given } as Omit<SearchQuery, 'q' | 'limit'>;
      if (fromText.nhsNumber !== undefined && given.nhsNumber === undefined) {
        const parsed = nhsNumberSchema.safeParse(fromText.nhsNumber);
        if (!parsed.success)
          throw invalidRequest('search', [{ field: 'q', message: parsed.error.issues[0]!.message }]);
        criteria.nhsNumber = parsed.data;
      }
      if (criteria.name !== undefined && !/[\p{L}\p{N}]/u.test(criteria.name))
        throw invalidRequest('search', [
          { field: q && !given.name ? 'q' : 'name', message: 'has no letters or digits to search for' },
        ]);
      if (!Object.values(criteria).some((v) => v !== undefined))
        throw invalidRequest('search', [
          {
            field: 'querystring',
            message: 'say whom to find: give q, or name, dateOfBirth, nhsNumber, postcode or reference',
          },
        ]);
      const result = await thePeople().search({ ...criteria, limit }, scope.filterFor(callerOf(request)));
      found.set(
        request,
        result.people.filter((p) => p.hasRecord).map((p) => p.personId),
      );
      return result;
    },
  );
};

/** The record a referral or an import carries, written after its journey is open (api/routes/referrals.ts, imports.ts). */
export type PersonRecordBody = PersonRecordFields;
