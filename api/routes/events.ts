import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseJourneyEvent, systemOnlyEvents, type JourneyEventType } from '../../machines/events';
import { callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import { applyEventResultSchema, eventBodySchema, personIdSchema } from '../schemas';

/**
 * POST /journeys/:personId/events: deliver one event through the journey's Update. The journey's
 * validator refuses a malformed event (400) or one its rules do not allow now (409, with the
 * reasons and rule ids) before anything enters history.
 */
export const eventRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys, auth }) => {
  app.post(
    '/journeys/:personId/events',
    {
      onRequest: auth.require('sendEvents'),
      schema: {
        summary: 'Send an event to a journey',
        description:
          'The body is a journey event without `actor`: the authenticated caller is the actor. ' +
          'Answers 400 if the event is malformed or unknown, 403 if the caller may not send it, ' +
          '404 if the person has no open journey, 409 if the journey does not allow it now (with the reasons), ' +
          'or if the eventId was already used for a different event (R-TIM-3: `conflict` names both; ' +
          'the same event resent is answered as a duplicate).',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        body: eventBodySchema,
        response: { 200: applyEventResultSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { actor, occurredAt, ...rest } = request.body;
      if (actor && (actor.userId !== caller.userId || actor.role !== caller.role)) {
        throw new ApiError(
          403,
          `cannot act as ${actor.userId} (${actor.role}): events are recorded as the authenticated caller ${caller.userId} (${caller.role}); leave actor out`,
        );
      }
      // DEADLINE_REACHED and the like come from the journey's own timers; letting a caller send
      // one would let them declare a statutory deadline passed. No role may, hence 403.
      if (systemOnlyEvents.includes(rest.type as JourneyEventType)) {
        throw new ApiError(
          403,
          `${rest.type} is raised only by the journey itself (when a deadline's timer fires)`,
        );
      }
      const parsed = parseJourneyEvent({
        ...rest,
        occurredAt: occurredAt ?? new Date().toISOString(),
        actor: caller,
      });
      if (!parsed.ok)
        throw new ApiError(400, `invalid event: ${parsed.problems.join('; ')}`, {
          problems: parsed.problems,
        });
      return journeys.apply(request.params.personId, parsed.event, { occurredAtDefaulted: !occurredAt });
    },
  );
};
