import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkStore, storeCheckSchema } from '../caseStore';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

/** `care store check` and `care store rebuild` (issue 12 point 4). */
export const storeRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys, auth, store }) => {
  const theStore = () => {
    if (!store)
      throw new ApiError(404, 'this API has no case-event store (it lists from Temporal visibility)');
    return store;
  };
  app.get(
    '/store/check',
    {
      onRequest: auth.require('read'),
      schema: {
        summary:
          "Every running journey's current-state row in the case-event store against what the journey says",
        tags: ['store'],
        response: { 200: storeCheckSchema, ...errorResponses(401, 404, 503) },
      },
    },
    async () => checkStore(theStore(), journeys, { rebuild: false }),
  );
  app.post(
    '/store/rebuild',
    {
      onRequest: auth.require('repair'),
      schema: {
        summary:
          "Rewrite the store's current-state rows that differ from the running journeys (managers only)",
        tags: ['store'],
        response: { 200: storeCheckSchema, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async () => checkStore(theStore(), journeys, { rebuild: true }),
  );
};
