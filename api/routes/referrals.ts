import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { journeyEventSchemas, parseJourneyEvent, type EventOf } from '../../machines/events';
import { callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import { personIdSchema, referralResultSchema } from '../schemas';

/** The catalogue's REFERRAL_RECEIVED schema: the referral's fields are validated exactly as the journey will. */
const referralReceived = journeyEventSchemas[0];
if (referralReceived.shape.type.value !== 'REFERRAL_RECEIVED') {
  throw new Error('machines/events.ts: REFERRAL_RECEIVED is expected first in journeyEventSchemas');
}

const referralBodySchema = referralReceived
  .pick({ referralId: true, receivedDate: true, source: true, urgency: true, summary: true, subject: true })
  .extend({
    personId: personIdSchema,
    occurredAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the referral was made; default: now'),
    eventId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Default: referral-<referralId>, so a resend is applied once'),
  })
  .strict()
  .meta({ id: 'Referral' });

/**
 * POST /referrals: opens a journey for the person (201), or — R-REF-4, one open journey per
 * person — records the referral on the journey already open (200).
 */
export const referralRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys, auth }) => {
  app.post(
    '/referrals',
    {
      onRequest: auth.require('refer'),
      schema: {
        summary: 'Receive a referral: open a journey, or record it on the open one',
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
      const parsed = parseJourneyEvent({
        type: 'REFERRAL_RECEIVED',
        eventId: eventId ?? `referral-${referral.referralId}`,
        occurredAt: occurredAt ?? new Date().toISOString(),
        actor: callerOf(request),
        ...referral,
      });
      if (!parsed.ok)
        throw new ApiError(400, `invalid referral: ${parsed.problems.join('; ')}`, {
          problems: parsed.problems,
        });
      const result = await journeys.refer(parsed.event as EventOf<'REFERRAL_RECEIVED'>, personId, {
        occurredAtDefaulted: !occurredAt,
      });
      return reply.code(result.journeyOpened ? 201 : 200).send(result);
    },
  );
};
