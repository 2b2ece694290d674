import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withoutControlCharacters } from '../../machines/events';
import type { PolicyProfile } from '../../machines/policyProfile';
import { cldPersonDetailsFrom } from '../../activities/personIndex';
import { exportCld, type CldExport } from '../../reports/cld/export';
import {
  storePersonDetails,
  type CldPersonDetails,
  type CldPersonDetailsService,
} from '../../reports/cld/personDetails';
import { problemKinds } from '../../reports/cld/validate';
import { reportingPeriod } from '../../reports/period';
import {
  dhscAgeBands,
  dhscLeftOutReasons,
  type DhscAgeBand,
  type DhscLeftOut,
} from '../../reports/timeliness/dhscWaitingTimes';
import { measureIds, timelinessReport } from '../../reports/timeliness/measures';
import { callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

/**
 * Statutory reporting (issue 15): the quarterly CLD return for DHSC, its problem rows and summary,
 * and the timeliness of the statutory clocks, all from the case-event store. For auditors and
 * managers: the return repeats every person's details.
 */

const reportRoles = ['auditor', 'manager'] as const;

const date = (name: 'from' | 'to', example: string) =>
  z
    .string()
    .describe(
      `The period's ${name === 'from' ? 'first' : 'last'} day, a London date YYYY-MM-DD, e.g. ${example}`,
    );
const periodQuery = z.object({ from: date('from', '2026-04-01'), to: date('to', '2026-06-30') });

const csvBody = (what: string) =>
  z.string().describe(`${what} as CSV (RFC 4180, CRLF line ends, a header row of DHSC's field names)`);

export const cldSummarySchema = z
  .object({
    release: z.string().describe('The CLD release the rows were checked against, e.g. "CLD Release 2"'),
    period: z.object({ from: z.string(), to: z.string() }),
    journeys: z.number().int().describe('Journeys with at least one row'),
    rows: z.number().int(),
    rowsByEventType: z
      .object({
        Request: z.number().int(),
        Assessment: z.number().int(),
        Service: z.number().int(),
        Review: z.number().int(),
      })
      .describe('Rows by CLD Event_Type'),
    rowsWithProblems: z.number().int().describe('Rows with at least one problem (in the problems file)'),
    rowsThatWouldFail: z
      .number()
      .int()
      .describe(
        "Rows DHSC's graded checks would fail (invalid, blankMandatory, release1Value) or drop (noIdentity)",
      ),
    problems: z.number().int(),
    problemsByField: z
      .record(z.string(), z.partialRecord(z.enum(problemKinds), z.number().int()))
      .describe(
        "Field → problem kind → count. invalid: not an allowed value (blanked in the export); blankMandatory: blank where DHSC's checks make it mandatory; release1Value: a Release 1 string; noIdentity: DHSC would drop the row; notRecorded: the journey does not record it (not mandatory); unconfirmed: DHSC's published code has no Release 2 list to check the value against",
      ),
  })
  .meta({ id: 'CldSummary' });

const cldCsvSchema = csvBody('The CLD return or its problem rows').meta({ id: 'CldCsv' });

export const cldExportSchema = z
  .object({
    summary: cldSummarySchema,
    csv: csvBody('The return'),
    problemsCsv: csvBody('The problem rows, one line per problem with its row'),
  })
  .meta({ id: 'CldExport' });

const waitSchema = z.object({
  cases: z.number().int(),
  medianDays: z.number().nullable().describe('Calendar days between the London dates; null with no cases'),
});
const byAgeBand = (what: string) =>
  z
    .object(
      Object.fromEntries(dhscAgeBands.map((band) => [band, waitSchema])) as Record<
        DhscAgeBand,
        typeof waitSchema
      >,
    )
    .describe(`${what}, by the age band of the event waited for (DHSC's Stage 4.2)`);
const teamTimelinessSchema = z.object({
  team: z.string().describe('The team, "(unallocated)" for journeys with none, or "all teams"'),
  measures: z.array(
    z.object({
      measure: z.enum(measureIds),
      ruleId: z.string().describe('The JOURNEY.md rule the clock comes from'),
      description: z.string(),
      met: z.number().int().describe('Met by its real date and entered in time'),
      metLate: z
        .number()
        .int()
        .describe(
          'Met after the instant it is judged at, or back-dated: met in time but entered after it (R-TIM-2)',
        ),
      missed: z.number().int().describe('Not met by the instant it is judged at, while the journey went on'),
      notCounted: z
        .number()
        .int()
        .describe(
          'No longer applied: the journey ended (death, move, services ended, closed) or the clock was cancelled before the instant it is judged at, and it was not met by then',
        ),
      open: z.number().int().describe('Not met, and judged after the last entry in the store (asOf)'),
      total: z.number().int().describe('met + metLate + missed + open'),
    }),
  ),
  referralToAssessment: waitSchema.describe(
    "The project's own: referral to the assessment begun, for assessments begun in the period",
  ),
  referralToServices: waitSchema.describe(
    "The project's own: referral to the first service, for first services begun in the period",
  ),
  dhscWaitingTimes: z
    .object({
      firstResponse: byAgeBand(
        'Request to first response (an assessment, or a service first), waits whose response began in the period',
      ),
      firstService: byAgeBand('Request to first service, waits whose service began in the period'),
      requests: z.object({
        begun: z.number().int().describe('Requests begun in the period'),
        leftOut: z
          .object(
            Object.fromEntries(dhscLeftOutReasons.map((r) => [r, z.number().int()])) as Record<
              DhscLeftOut,
              z.ZodNumber
            >,
          )
          .describe(
            "Of those, how many each stage of DHSC's method left out (waitingTimeDefinitions.dhsc.leftOut)",
          ),
      }),
    })
    .describe("DHSC's waiting-times method (its published SQL), beside the project's own medians"),
});
const definitionSchema = z.object({
  measure: z.enum(measureIds),
  ruleId: z.string(),
  description: z.string(),
  judgedAt: z.string().describe('The instant the measure is judged at'),
  countedIn: z.string().describe('The period a case counts in'),
  met: z.string(),
  metLate: z.string(),
  missed: z.string(),
  notCounted: z.string(),
  open: z.string(),
});
export const timelinessSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    team: z.string().optional(),
    asOf: z.string().describe('The last instant the store has an entry for: what the figures know up to'),
    council: z.string().describe("The council whose policy profile the measures' numbers come from"),
    definitions: z
      .array(definitionSchema)
      .describe('What each measure counts as met, met late, missed, not counted and open'),
    waitingTimeDefinitions: z.object({
      referralToAssessment: z.string(),
      referralToServices: z.string(),
      dhsc: z.object({
        name: z.string(),
        version: z.string().describe("The SQL's version, e.g. 1.1"),
        published: z.string().describe('The date the SQL gives for that version'),
        repository: z.string(),
        path: z.string(),
        commit: z.string().describe('The commit of the repository the method was read at'),
        applied: z.array(z.string()).describe("DHSC's stages as the store applies them"),
        notApplied: z
          .array(z.object({ stage: z.string(), why: z.string() }))
          .describe('Stages the store cannot apply as DHSC does, and what it does instead'),
        datesOfBirth: z
          .enum(['personRecord', 'notApplied'])
          .describe("Where Stage 1.3b's ages come from: the person record, or nowhere (no person records)"),
        leftOut: z
          .object(
            Object.fromEntries(dhscLeftOutReasons.map((r) => [r, z.string()])) as Record<
              DhscLeftOut,
              z.ZodString
            >,
          )
          .describe('What each reason a request is left out means'),
      }),
    }),
    teams: z.array(teamTimelinessSchema),
    overall: teamTimelinessSchema,
  })
  .meta({ id: 'TimelinessReport' });

/** The council's policy profile and extra bank holidays (temporal.config.ts), for the timeliness measures. */
export interface StatutoryReportDeps extends RouteDeps {
  council: { profile: PolicyProfile; extraBankHolidays: readonly string[] };
}

export const statutoryReportRoutes: FastifyPluginAsyncZod<StatutoryReportDeps> = async (
  app,
  { auth, store, scope, council, people },
) => {
  // any caller's token first (401), then the role (403), then the teams (403)
  const reportRolesOnly: onRequestHookHandler = async (request) => {
    const caller = callerOf(request);
    const { role } = caller;
    if (!(reportRoles as readonly string[]).includes(role))
      throw new ApiError(
        403,
        `role ${role} may not read statutory reports; they need role ${reportRoles.join(' or ')}`,
      );
    // issue 14: the return lists every person of every team; the timeliness of one team is its own
    const team = (request.query as { team?: unknown } | undefined)?.team;
    const teamOnly = request.routeOptions.url === '/reports/timeliness' && typeof team === 'string' && team;
    if (teamOnly ? !scope.reachesTeam(caller, team) : !scope.seesEveryTeam(caller))
      throw new ApiError(
        403,
        teamOnly
          ? `team ${team} is not one of yours: its statutory figures are its own team's, its managers' and auditors'`
          : `the statutory reports cover every team's people: they need an auditor, or a manager whose teams are "*"` +
              (request.routeOptions.url === '/reports/timeliness'
                ? ' (or ask for one of your teams: ?team=<team>)'
                : ''),
      );
  };
  const auditorsAndManagers = [auth.require('read'), reportRolesOnly];
  const theStore = () => {
    if (!store)
      throw new ApiError(404, 'this API has no case-event store, which the statutory reports are made from');
    return store;
  };
  const period = (query: { from: string; to: string }) => {
    try {
      return reportingPeriod(query.from, query.to);
    } catch (err) {
      const problems = (err as { problems?: string[] }).problems ?? [(err as Error).message];
      throw new ApiError(400, (err as Error).message, {
        problems: problems.map((p) => ({ field: `querystring.${p.split(':')[0]}`, message: p })),
      });
    }
  };
  /**
   * The person items come from each person's record (the person-index port), read as the caller so
   * the export is in every person's access record; what a record leaves out, the journey's own
   * facts fill (the referral's postcode).
   */
  const cld = async (query: { from: string; to: string }, request: FastifyRequest): Promise<CldExport> => {
    const caller = callerOf(request);
    const fromRecords =
      people &&
      cldPersonDetailsFrom(people, {
        userId: caller.userId,
        role: caller.role,
        via: caller.via,
        route: 'CLD return',
        ip: request.ip,
        ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
      });
    const personDetails: CldPersonDetailsService = {
      async personDetails(personId, facts) {
        const recorded = fromRecords ? await fromRecords.personDetails(personId) : {};
        return {
          ...(await storePersonDetails.personDetails(personId, facts)),
          ...recorded,
        } as CldPersonDetails;
      },
    };
    return exportCld(theStore().db, period(query), { personDetails });
  };

  /**
   * CSV by default (what an analyst's browser or curl gets); with `Accept: application/json`, the
   * same export as JSON with its summary.
   */
  const csvRoute = (
    url: string,
    summary: string,
    description: string,
    body: (e: CldExport) => string,
    name: string,
  ) =>
    app.get(
      url,
      {
        onRequest: auditorsAndManagers,
        schema: {
          summary,
          description,
          tags: ['reports'],
          querystring: periodQuery,
          response: {
            200: {
              description: `${summary} (text/csv), or with Accept: application/json the whole export with its summary`,
              content: {
                'text/csv': { schema: cldCsvSchema },
                'application/json': { schema: cldExportSchema },
              },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const exported = await cld(request.query, request);
        const accept = request.headers.accept ?? '';
        if (accept.includes('application/json') && !accept.includes('text/csv')) {
          const { csv, problemsCsv, summary: counts } = exported;
          return reply.type('application/json').send({ summary: counts, csv, problemsCsv });
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="cld-${request.query.from}-${request.query.to}${name}.csv"`,
          )
          .header('x-cld-rows', String(exported.summary.rows))
          .header('x-cld-problems', String(exported.summary.problems))
          .send(body(exported));
      },
    );

  csvRoute(
    '/reports/cld',
    'The CLD return for DHSC: one row per request, assessment, service and review in the period',
    'Dates are the London dates the events really happened (occurredAt), never when they were recorded. Every value has been checked against the allowed values of the CLD release; an invalid value is left blank here and listed in GET /reports/cld/problems, never sent silently.',
    (e) => e.csv,
    '',
  );
  csvRoute(
    '/reports/cld/problems',
    'The rows of the CLD return that would fail, one line per problem: the journey, the field, the kind and the reason',
    'Each line carries the whole row after its problem, so it can be corrected where the person is recorded (or in reports/cld/mapping.json) before the return is submitted.',
    (e) => e.problemsCsv,
    '.problems',
  );
  app.get(
    '/reports/cld/summary',
    {
      onRequest: auditorsAndManagers,
      schema: {
        summary: 'What the CLD return for the period holds: rows by event type, problems by field and kind',
        tags: ['reports'],
        querystring: periodQuery,
        response: { 200: cldSummarySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => (await cld(request.query, request)).summary,
  );
  app.get(
    '/reports/cld/export',
    {
      onRequest: auditorsAndManagers,
      schema: {
        summary:
          'The CLD return, its problem rows and its summary in one answer (what `care export cld` writes)',
        tags: ['reports'],
        querystring: periodQuery,
        response: { 200: cldExportSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { csv, problemsCsv, summary } = await cld(request.query, request);
      return { summary, csv, problemsCsv };
    },
  );
  app.get(
    '/reports/timeliness',
    {
      onRequest: auditorsAndManagers,
      schema: {
        summary:
          'How many statutory clocks were met in the period, per team: met, met late, missed, not counted, still open',
        description:
          "Each measure with its definition (definitions): the instant it is judged at, and what counts as met, met late (a back-dated entry too, R-TIM-2), missed, not counted (the journey had ended before it, or the clock no longer applied) and open, under the council's policy profile. With the project's own median days from referral to assessment and to the first service, and DHSC's waiting-times method (its published SQL, version and commit given) beside them.",
        tags: ['reports'],
        querystring: periodQuery.extend({
          team: withoutControlCharacters(z.string().min(1)).optional().describe('Only this team'),
        }),
        response: { 200: timelinessSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      timelinessReport(theStore().db, period(request.query), {
        profile: council.profile,
        extraBankHolidays: council.extraBankHolidays,
        ...(request.query.team ? { team: request.query.team } : {}),
      }),
  );
};
