import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import { londonDateOf, startOfLondonDay } from '../../machines/calendar/workingDays';
import { forgetClosedBefore } from '../../store/retention';
import { callerOf } from '../auth';
import { checkStore, storeCheckSchema } from '../caseStore';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

const forgetBodySchema = z.object({
  closedBefore: z.iso
    .date()
    .describe(
      "YYYY-MM-DD: the records of journeys that closed before this day began (London time) are removed — the cut-off the council's retention schedule gives",
    ),
  confirm: z
    .boolean()
    .default(false)
    .describe('false (the default): a dry run, which says who would be removed and removes nothing'),
  limit: z.number().int().min(1).max(5000).default(500).describe('at most this many people in one run'),
});

export const forgetResultSchema = z
  .object({
    closedBefore: z.string().describe('the cut-off as an instant'),
    dryRun: z.boolean(),
    people: z.array(
      z.object({
        personId: z.string(),
        closedAt: z.string(),
        removed: z.record(z.string(), z.number().int()).describe('rows of the record, by table'),
        copiesRemoved: z
          .number()
          .int()
          .describe(
            "files of the record's readable copies in the outbox (case record, letters, reminders and escalations)",
          ),
      }),
    ),
    more: z.boolean().describe('more journeys closed before the cut-off than the limit: run it again'),
  })
  .meta({
    id: 'ForgetResult',
    description: 'Who was (or, in a dry run, would be) removed under the retention cut-off',
  });

/** `care store check`, `care store rebuild` (issue 12 point 4) and `care store forget` (retention). */
export const storeRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, store, scope, readableCopies },
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
  app.post(
    '/store/forget',
    {
      onRequest: [auth.require('repair'), everyTeam],
      schema: {
        summary:
          "Remove the records of journeys closed before the retention schedule's cut-off (managers only)",
        description:
          'The council decides how long a record is kept after its journey closed; this removes, whole, the case-event ' +
          "store's records of journeys that closed before `closedBefore`, and writes each person in the destruction " +
          'log (`forgotten`: who, when, under which cut-off, how many rows; none of the content). The readable ' +
          "copies in this API's outbox (the default adapters': case record, letters, reminders, escalations) go " +
          'with it; a worker on another machine keeps its own outbox. A dry run unless ' +
          '`confirm` is true. The record of who looked (access log) is kept. Journeys still open are never touched.',
        tags: ['store'],
        body: forgetBodySchema,
        response: { 200: forgetResultSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { closedBefore, confirm, limit } = request.body;
      if (closedBefore > londonDateOf(new Date().toISOString()))
        throw new ApiError(400, `closedBefore ${closedBefore} is after today: give a day in the past`);
      return forgetClosedBefore(theStore().db, {
        closedBefore: new Date(startOfLondonDay(closedBefore)),
        by: callerOf(request).userId,
        dryRun: !confirm,
        limit,
        copies: readableCopies,
      });
    },
  );
};
