import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { onRequestHookHandler } from 'fastify';
import { callerOf } from '../auth';
import { checkStore, storeCheckSchema } from '../caseStore';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

/** `care store check` and `care store rebuild` (issue 12 point 4). */
export const storeRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, store, scope },
) => {
  // every journey's row is compared (and named): only for callers who reach every team (issue 14)
  const everyTeam: onRequestHookHandler = async (request) => {
    if (!scope.seesEveryTeam(callerOf(request)))
      throw new ApiError(
        403,
        'the store check reads every team\'s journeys: it needs a caller whose teams are "*" (or an auditor)',
      );
  };
  const theStore = () => {
    if (!store)
      throw new ApiError(404, 'this API has no case-event store (it lists from Temporal visibility)');
    return store;
  };
  app.get(
    '/store/check',
    {
      onRequest: [auth.require('read'), everyTeam],
      schema: {
        summary:
          "Every running journey's current-state row in the case-event store against what the journey says",
        tags: ['store'],
        response: { 200: storeCheckSchema, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async () => checkStore(theStore(), journeys, { rebuild: false }),
  );
  app.post(
    '/store/rebuild',
    {
      onRequest: [auth.require('repair'), everyTeam],
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
