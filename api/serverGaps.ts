import { grpcCodeOf, grpcStatus, retryAfterSeconds, unavailable, type ApiError } from './errors';
import { TemporalReportedProblems } from './visibility';

/**
 * The lists' visibility queries are the API's own, built from filters it has already checked
 * (api/visibility.ts journeyListQuery). So when Temporal refuses one, the gap is the server's
 * (an attribute it does not have), never the caller's: the caller is not told to change anything.
 */

const reportedProblemsClause = ` OR ${TemporalReportedProblems.name} IS NOT NULL`;

/**
 * The query as this server can run it: without the TemporalReportedProblems test on a server that
 * lacks the attribute (runtime/serverVersion.ts). Journeys whose activities keep failing are still
 * found through TechnicalIssue.
 */
export function queryForServer(query: string, server: { reportedProblems: boolean }): string {
  return server.reportedProblems ? query : query.replaceAll(reportedProblemsClause, '');
}

/**
 * A list query Temporal refused as invalid (INVALID_ARGUMENT): 503 naming what the server lacks,
 * not 400. Other errors: undefined (the usual mapping applies).
 */
export function listQueryRefusal(err: unknown): ApiError | undefined {
  const code = grpcCodeOf(err);
  if (code !== grpcStatus.INVALID_ARGUMENT) return undefined;
  const message = (err as Error).message;
  // the SQL store says "column name 'X' is not a valid search attribute"; Elasticsearch, "invalid search attribute: X"
  const attribute =
    /'(\w+)' is not a valid search attribute/.exec(message)?.[1] ??
    /invalid search attribute:\s*'?(\w+)/i.exec(message)?.[1];
  const lacks = attribute
    ? `the search attribute ${attribute}`
    : 'something the journey lists need (a search attribute, or a query feature)';
  return unavailable(
    `Temporal cannot run the API's own list query: the server lacks ${lacks} (Temporal: ${message}). ` +
      "This is the server's set-up, not the request: the operator registers the journey search attributes " +
      '(`npm run setup:cluster`) or upgrades the server (see README, "Running on a cluster")',
    retryAfterSeconds.temporalDown,
  );
}
