import type { CaseEventStore } from '../store/caseEventStore';
import { journeyWorkflowId } from '../workflows/definitions';
import type { PolicyProfile } from '../machines/policyProfile';
import type { Caller } from './auth';
import { ApiError, noJourneyMessage } from './errors';
import type { JourneyClient } from './journeyClient';

/**
 * Access by team (issue 14 point 4): whose journeys a caller reaches. The one place it is decided;
 * every route asks here. Documented in README ("Teams and access") and docs/data-protection.md.
 *
 * - An auditor reads every journey (and writes none: api/auth.ts's permissions).
 * - A caller whose teams are "*" (an integration configured so, the development tokens) reaches every journey.
 * - Everyone else reaches the journeys of their own teams: a practitioner and a manager the teams
 *   their sign-in names (the identity provider's team claim, or a static token's `teams`), an
 *   integration the teams its token names.
 * - A journey with no team yet (a referral not yet allocated) belongs to the front door: the
 *   policy profile's duty team (`unallocatedCases.dutyTeam`), whose members reach it, and every
 *   manager, who allocates it to a team.
 *
 * A journey outside the caller's reach answers exactly as a person with no journey does (404, the
 * same body), so its existence is not told either.
 */

/** What a list is narrowed to: SQL or a filter over rows (undefined: everything). */
export interface TeamFilter {
  teams: string[];
  /** journeys with no team too */
  unallocated: boolean;
}

export class AccessScope {
  constructor(private readonly profile: Pick<PolicyProfile, 'unallocatedCases'>) {}

  /** the team an unallocated journey belongs to */
  get dutyTeam(): string {
    return this.profile.unallocatedCases.dutyTeam;
  }

  /** Whether the caller reaches every journey, so nothing need be looked up or filtered. */
  seesEveryTeam(caller: Caller): boolean {
    return caller.role === 'auditor' || caller.teams === '*';
  }

  /** Whether a journey of `team` (undefined: not allocated yet) is within the caller's reach. */
  reaches(caller: Caller, team: string | undefined): boolean {
    if (this.seesEveryTeam(caller)) return true;
    const teams = caller.teams as string[];
    if (team === undefined) return caller.role === 'manager' || teams.includes(this.dutyTeam);
    return teams.includes(team);
  }

  /** A list's narrowing for the caller; undefined when they see every team. */
  filterFor(caller: Caller): TeamFilter | undefined {
    if (this.seesEveryTeam(caller)) return undefined;
    return { teams: caller.teams as string[], unallocated: this.reaches(caller, undefined) };
  }

  /** Whether the caller reaches a whole team (its dashboard, its statutory figures). */
  reachesTeam(caller: Caller, team: string): boolean {
    return this.seesEveryTeam(caller) || (caller.teams as string[]).includes(team);
  }
}

/** A row passes a list's narrowing. */
export const withinFilter = (filter: TeamFilter | undefined, team: string | undefined): boolean =>
  !filter || (team === undefined ? filter.unallocated : filter.teams.includes(team));

/**
 * The team a journey has now, for a check before acting on it: the case-event store's current-state
 * row (written as each event is applied), else the journey's own describe query. `unknown` when
 * there is no such journey (or it cannot answer now): the route then answers as it would anyway.
 */
export async function teamOfJourney(
  personId: string,
  sources: { store?: CaseEventStore | undefined; journeys: JourneyClient },
): Promise<{ team: string | undefined; closed: boolean } | 'unknown'> {
  const row = sources.store ? await sources.store.journey(personId) : undefined;
  if (row) return { team: row.team, closed: row.closed };
  try {
    const { view } = await sources.journeys.detail(personId, new Date());
    return { team: view.team, closed: view.closed };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // a journey that cannot answer its queries now still has its Team search attribute
    if (err.statusCode === 503) return teamFromVisibility(personId, sources.journeys);
    return 'unknown';
  }
}

/** The journey's team from its search attributes (a running journey that cannot answer queries). */
export async function teamFromVisibility(
  personId: string,
  journeys: JourneyClient,
): Promise<{ team: string | undefined; closed: boolean } | 'unknown'> {
  const asOf = new Date();
  const rows = await journeys
    .list(`WorkflowId = '${journeyWorkflowId(personId)}' AND ExecutionStatus = 'Running'`, asOf)
    .catch(() => []);
  const row = rows[0]?.row;
  return row ? { team: row.team, closed: false } : 'unknown';
}

/**
 * Before a route acts on one journey: out of the caller's reach, the route's own not-found answer
 * (`notFound`, the very error a person with no journey gets; by default that of a route acting on
 * an open journey), so reach and existence look alike.
 */
export async function requireReach(
  scope: AccessScope,
  caller: Caller,
  personId: string,
  sources: { store?: CaseEventStore | undefined; journeys: JourneyClient },
  notFound: () => ApiError = () => new ApiError(404, noJourneyMessage(personId)),
): Promise<void> {
  if (scope.seesEveryTeam(caller)) return;
  const found = await teamOfJourney(personId, sources);
  if (found !== 'unknown' && !scope.reaches(caller, found.team)) throw notFound();
}
