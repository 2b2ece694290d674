import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemOnlyEvents, type JourneyEventType } from '../../machines/events';
import { bodyType } from '../accessRecord';
import { actorOf, callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import { describeEventBody, eventBodySchema, parseEventAtEdge } from '../openapi/eventBodies';
import type { RouteDeps } from '../server';
import { applyEventResultSchema, personIdSchema } from '../schemas';
import { requireReach } from '../scope';

/**
 * POST /journeys/:personId/events: deliver one event through the journey's Update. The body is
 * held to its event's own schema (the catalogue's, one per `type`) before anything else; the
 * journey's validator then refuses one its rules do not allow now (409, with the reasons and rule
 * ids) before anything enters history.
 */
export const eventRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, scope, store },
) => {
  app.post(
    '/journeys/:personId/events',
    {
      onRequest: auth.require('sendEvents'),
      /**
       * Before the body is validated: who the event is from is the token's business, so an actor
       * that is not the caller, or an event only the journey raises, is a 403 whatever the body.
       */
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
        const caller = callerOf(request);
        // DEADLINE_REACHED and the like come from the journey itself; letting a caller send one
        // would let them declare a statutory deadline passed. No role may, hence 403.
        if (systemOnlyEvents.includes(body.type as JourneyEventType)) {
          throw new ApiError(
            403,
            `${String(body.type)} is raised only by the journey itself (when a deadline's timer fires, or the RAS answers)`,
          );
        }
        if ('actor' in body) {
          const actor = body.actor as { userId?: unknown; role?: unknown } | null;
          if (actor?.userId !== caller.userId || actor?.role !== caller.role) {
            throw new ApiError(
              403,
              `cannot act as ${actor?.userId === undefined ? JSON.stringify(actor) : `${String(actor.userId)} (${String(actor.role)})`}: ` +
                `events are recorded as the authenticated caller ${caller.userId} (${caller.role}); leave actor out`,
            );
          }
          // The caller named themselves: the same as leaving it out.
          delete body.actor;
        }
      },
      config: {
        describeBody: describeEventBody,
        bodyIs: 'event',
        access: { action: 'write', eventType: bodyType },
      },
      schema: {
        summary: 'Send an event to a journey',
        description:
          'The body is one journey event: its `type` decides its fields (EventBody lists every type with its own ' +
          'schema and an example). Leave `actor` out: the authenticated caller is the actor. ' +
          'Answers 400 if the event is malformed or its type unknown (`problems` names each field and what would be accepted), ' +
          "403 if the caller may not send it, 404 if the person has no open journey (POST /referrals opens one) or it is outside the caller's teams, " +
          '409 if the journey does not allow it now (with the reasons, their rules and the fix), ' +
          'or if the eventId was already used for a different event (R-TIM-3: `conflict` names both; ' +
          'the same event resent is answered as a duplicate).',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        body: eventBodySchema,
        response: { 200: applyEventResultSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      // out of the caller's reach: exactly what a person with no open journey gets
      await requireReach(scope, callerOf(request), personId, { store, journeys });
      const { occurredAt, ...rest } = request.body as Record<string, unknown> & { occurredAt?: string };
      const event = parseEventAtEdge(
        { ...rest, occurredAt: occurredAt ?? new Date().toISOString(), actor: actorOf(request) },
        'event',
      );
      return journeys.apply(personId, event, { occurredAtDefaulted: !occurredAt });
    },
  );
};
