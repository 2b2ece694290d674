import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventOf } from '../../machines/events';
import { callerOf } from '../auth';
import { errorResponses } from '../errors';
import { eventBodyFields, parseEventAtEdge, referralBodySchema } from '../openapi/eventBodies';
import type { RouteDeps } from '../server';
import { referralResultSchema } from '../schemas';

const referralFields = [...(eventBodyFields.REFERRAL_RECEIVED ?? []).filter((f) => f !== 'type'), 'personId'];

/**
 * POST /referrals: opens a journey for the person (201), or — R-REF-4, one open journey per
 * person — records the referral on the journey already open (200). A referral the journey would
 * refuse opens nothing (JourneyClient.refer).
 */
export const referralRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys, auth }) => {
  app.post(
    '/referrals',
    {
      onRequest: auth.require('refer'),
      config: { describeBody: () => ({ what: 'a referral', knownFields: referralFields }) },
      schema: {
        summary: 'Receive a referral: open a journey, or record it on the open one',
        description:
          "The referral's fields are the REFERRAL_RECEIVED event's, with the person's id. A referral the journey " +
          'refuses (400 or 409, e.g. an occurredAt in the future) opens no journey.',
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
      const { personId, occurredAt, eventId, ...referral } = request.body;
      const event = parseEventAtEdge(
        {
          type: 'REFERRAL_RECEIVED',
          eventId: eventId ?? `referral-${referral.referralId}`,
          occurredAt: occurredAt ?? new Date().toISOString(),
          actor: callerOf(request),
          ...referral,
        },
        'referral',
      ) as EventOf<'REFERRAL_RECEIVED'>;
      const result = await journeys.refer(event, personId, { occurredAtDefaulted: !occurredAt });
      return reply.code(result.journeyOpened ? 201 : 200).send(result);
    },
  );
};
