import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import { healthSchema } from '../schemas';

/** GET /healthz: no token needed, so load balancers and monitoring can call it. */
export const healthRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Is Temporal reachable, and is a live worker polling the task queue?',
        description:
          'Live: a poller Temporal has seen within pollerWindowSeconds (dead workers stay listed for minutes and are ' +
          "counted as stalePollers), and the start command's own worker running. 503 with the same body when not.",
        tags: ['health'],
        security: [],
        response: { 200: healthSchema, ...errorResponses(), 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const health = await journeys.health();
      return reply.code(health.ok ? 200 : 503).send(health);
    },
  );
};
