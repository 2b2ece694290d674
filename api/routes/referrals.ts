import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventOf } from '../../machines/events';
import { actorOf, callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import { eventBodyFields, parseEventAtEdge, referralBodySchema } from '../openapi/eventBodies';
import type { RouteDeps } from '../server';
import { referralResultSchema } from '../schemas';
import { teamOfJourney } from '../scope';

const referralFields = [
  ...(eventBodyFields.REFERRAL_RECEIVED ?? []).filter((f) => f !== 'type'),
  'personId',
  'person',
];

/**
 * POST /referrals: opens a journey for the person (201), or — R-REF-4, one open journey per
 * person — records the referral on the journey already open (200). A referral the journey would
 * refuse opens nothing (JourneyClient.refer).
 */
export const referralRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, scope, store, people },
) => {
  app.post(
    '/referrals',
    {
      onRequest: auth.require('refer'),
      config: {
        describeBody: () => ({ what: 'a referral', knownFields: referralFields }),
        access: {
          action: 'write',
          people: (request) => {
            const personId = (request.body as { personId?: unknown } | null)?.personId;
            return typeof personId === 'string' ? [personId] : [];
          },
          eventType: () => 'REFERRAL_RECEIVED',
        },
      },
      schema: {
        summary: 'Receive a referral: open a journey, or record it on the open one',
        description:
          "The referral's fields are the REFERRAL_RECEIVED event's, with the person's id. A referral the journey " +
          'refuses (400 or 409, e.g. an occurredAt in the future) opens no journey. A new journey has no team until ' +
          "it is allocated (the duty team's and managers' to see). A referral for a person whose open journey is " +
          "held by a team outside the caller's is refused (403) and recorded nowhere: the duty team or that team records it. " +
          "With `person`, the person's record is written to the case-event store once the journey is open (never into the journey).",
        tags: ['journeys'],
        body: referralBodySchema,
        response: {
          200: referralResultSchema.describe(
            'Recorded on the journey already open for this person (or a resend)',
          ),
          201: referralResultSchema.describe('A new journey was opened'),
          ...errorResponses(400, 401, 403, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { personId, occurredAt, eventId, person, ...referral } = request.body;
      const caller = callerOf(request);
      if (person && !people)
        throw new ApiError(
          400,
          'this API has no case-event store to keep the person record in: send the referral without "person"',
        );
      if (!scope.seesEveryTeam(caller)) {
        // R-REF-4 would record it on the open journey: only one within the caller's reach
        const open = await teamOfJourney(personId, { store, journeys });
        if (open !== 'unknown' && !open.closed && !scope.reaches(caller, open.team)) {
          throw new ApiError(
            403,
            `person ${personId} has an open journey held by a team you do not work in, so this referral is not recorded: ` +
              `send it to the duty team (${scope.dutyTeam}) or to the team holding the case`,
          );
        }
      }
      const event = parseEventAtEdge(
        {
          type: 'REFERRAL_RECEIVED',
          eventId: eventId ?? `referral-${referral.referralId}`,
          occurredAt: occurredAt ?? new Date().toISOString(),
          actor: actorOf(request),
          ...referral,
        },
        'referral',
      ) as EventOf<'REFERRAL_RECEIVED'>;
      const result = await journeys.refer(event, personId, { occurredAtDefaulted: !occurredAt });
      // issue 26: the record goes to the store, never into the journey; a resend writes it again
      if (person) await people!.save(personId, person, actorOf(request), 'referral');
      return reply.code(result.journeyOpened ? 201 : 200).send(result);
    },
  );
};
