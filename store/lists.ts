import type { StoreDatabase } from './database';
import { journeyColumns, journeyStateRow, type JourneyStateRow } from './caseEventStore';

/**
 * The operations lists from the case-event store (issue 12 point 3): open journeys filtered by
 * team, worker, stage and overdue kind, or stuck (overdue, held in a stage or waiting past the
 * profile's limit, or technically failing — that set comes from Temporal and is passed in),
 * longest overdue first, then the soonest next deadline, then person id; paged by keyset, so a
 * page costs the same at row 50,000 as at row 1 (index journeys_open_by_urgency).
 */

export const listStuckKinds = ['overdue', 'stage', 'waiting', 'technical'] as const;

export interface ListFilters {
  stage?: string;
  team?: string;
  worker?: string;
  overdue?: boolean;
  /** only journeys with an overdue deadline of this kind */
  kind?: string;
  stuck?: (typeof listStuckKinds)[number] | 'any';
  /** due soon: only journeys whose next deadline falls due before this instant */
  dueBefore?: Date;
  /** access by team (api/scope.ts): only these teams' journeys, and the unallocated ones if so */
  withinTeams?: { teams: string[]; unallocated: boolean };
}

/** Where a page starts: the last row of the page before, by the list's order. */
export interface Keyset {
  overdueSince: string;
  nextDeadlineAt: string;
  personId: string;
}

export interface ListOptions {
  /** the instant "stuck after" limits are compared with */
  asOf: Date;
  limit: number;
  after?: Keyset;
  /** person ids Temporal reports as technically failing (activities or workflow tasks) */
  technical?: string[];
}

export interface ListPage {
  rows: JourneyStateRow[];
  total: number;
  /** the keyset of the last row, when there may be more */
  next: Keyset | undefined;
  /** the WHERE clause used, for the answer's `query` */
  where: string;
}

const NONE = 'infinity';
const urgencyKey = `coalesce(overdue_since, 'infinity'::timestamptz), coalesce(next_deadline_at, 'infinity'::timestamptz), person_id`;

function whereOf(filters: ListFilters, options: Pick<ListOptions, 'asOf' | 'technical'>) {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const clauses = ['NOT closed'];
  if (filters.stage) clauses.push(`stage = ${p(filters.stage)}`);
  if (filters.team) clauses.push(`team = ${p(filters.team)}`);
  if (filters.worker) clauses.push(`worker = ${p(filters.worker)}`);
  if (filters.withinTeams) {
    const inTeams = `team = ANY(${p(filters.withinTeams.teams)}::text[])`;
    clauses.push(filters.withinTeams.unallocated ? `(${inTeams} OR team IS NULL)` : inTeams);
  }
  if (filters.overdue !== undefined) clauses.push(`overdue_since IS ${filters.overdue ? 'NOT ' : ''}NULL`);
  if (filters.kind) clauses.push(`overdue_kinds @> ARRAY[${p(filters.kind)}]::text[]`);
  if (filters.dueBefore) clauses.push(`next_deadline_at < ${p(filters.dueBefore.toISOString())}`);
  if (filters.stuck) {
    const asOf = options.asOf.toISOString();
    const kinds = filters.stuck === 'any' ? listStuckKinds : [filters.stuck];
    const stuck = kinds.map((kind) => {
      switch (kind) {
        case 'overdue':
          return 'overdue_since IS NOT NULL';
        case 'stage':
          return `stage_stuck_after < ${p(asOf)}`;
        case 'waiting':
          return `waiting_stuck_after < ${p(asOf)}`;
        case 'technical':
          return `person_id = ANY(${p(options.technical ?? [])}::text[])`;
      }
    });
    clauses.push(stuck.length === 1 ? stuck[0]! : `(${stuck.join(' OR ')})`);
  }
  return { where: clauses.join(' AND '), params };
}

/** The list's query with the values in place, for people reading the answer (never executed). */
function readable(where: string, params: unknown[]): string {
  return where.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    return Array.isArray(value) ? `{${value.join(',')}}` : `'${String(value).replaceAll("'", "''")}'`;
  });
}

export async function listJourneys(
  db: StoreDatabase,
  filters: ListFilters,
  options: ListOptions,
): Promise<ListPage> {
  const { where, params } = whereOf(filters, options);
  const pageParams = [...params];
  let keyset = '';
  if (options.after) {
    pageParams.push(options.after.overdueSince, options.after.nextDeadlineAt, options.after.personId);
    const n = pageParams.length;
    keyset = ` AND (${urgencyKey}) > ($${n - 2}::timestamptz, $${n - 1}::timestamptz, $${n})`;
  }
  pageParams.push(options.limit + 1);
  const [page, count] = await Promise.all([
    db.query(
      `SELECT ${journeyColumns} FROM journeys WHERE ${where}${keyset} ORDER BY ${urgencyKey} LIMIT $${pageParams.length}`,
      pageParams,
    ),
    db.query<{ n: string | number }>(`SELECT count(*) AS n FROM journeys WHERE ${where}`, params),
  ]);
  const rows = page.rows.slice(0, options.limit).map(journeyStateRow);
  const last = rows.at(-1);
  return {
    rows,
    total: Number(count.rows[0]?.n ?? 0),
    next:
      page.rows.length > options.limit && last
        ? {
            overdueSince: last.overdueSince ?? NONE,
            nextDeadlineAt: last.nextDeadlineAt ?? NONE,
            personId: last.personId,
          }
        : undefined,
    where: readable(where, params),
  };
}

export interface OverdueCounts {
  totalOverdue: number;
  byTeam: { team: string | undefined; count: number; oldest: JourneyStateRow }[];
  byKind: { kind: string; count: number; oldest: JourneyStateRow }[];
}

/**
 * Overdue open journeys counted per team and per deadline kind, with the oldest case of each
 * (a journey overdue in several kinds counts once per kind). Two queries: the counts by GROUP BY,
 * each group's oldest case as the first entry of an index in the lists' order (migration 0002),
 * a few index lookups rather than a sort of every overdue row; the total is the teams' sum, as
 * every journey has one team or none.
 */
export async function overdueCounts(db: StoreDatabase): Promise<OverdueCounts> {
  const open = 'NOT closed AND overdue_since IS NOT NULL';
  // overdue_since is never null here, so this is the lists' order (urgencyKey)
  const oldestFirst = `overdue_since, coalesce(next_deadline_at, 'infinity'::timestamptz), person_id`;
  const [teams, kinds] = await Promise.all([
    db.query<{ team: string | null; n: string | number; person_id: string }>(
      `SELECT t.team, t.n, o.person_id
       FROM (SELECT team, count(*) AS n FROM journeys WHERE ${open} GROUP BY team) t
       CROSS JOIN LATERAL (
         SELECT person_id FROM journeys j WHERE j.team IS NOT DISTINCT FROM t.team AND ${open}
         ORDER BY ${oldestFirst} LIMIT 1) o
       ORDER BY t.team`,
    ),
    db.query<{ kind: string; n: string | number; person_id: string }>(
      `SELECT k.kind, k.n, o.person_id
       FROM (SELECT kind, count(*) AS n FROM journeys, unnest(overdue_kinds) AS kind WHERE ${open} GROUP BY kind) k
       CROSS JOIN LATERAL (
         SELECT person_id FROM journeys j WHERE j.overdue_kinds @> ARRAY[k.kind] AND ${open}
         ORDER BY ${oldestFirst} LIMIT 1) o
       ORDER BY k.kind`,
    ),
  ]);
  // the oldest cases read whole, once each (one may be the oldest of its team and of a kind)
  const ids = [...new Set([...teams.rows, ...kinds.rows].map((r) => r.person_id))];
  const whole = ids.length
    ? await db.query(`SELECT ${journeyColumns} FROM journeys WHERE person_id = ANY($1)`, [ids])
    : { rows: [] };
  const oldest = new Map(
    whole.rows.map((r) => [String((r as { person_id: unknown }).person_id), journeyStateRow(r)]),
  );
  return {
    totalOverdue: teams.rows.reduce((sum, r) => sum + Number(r.n), 0),
    byTeam: teams.rows.map((r) => ({
      team: r.team ?? undefined,
      count: Number(r.n),
      oldest: oldest.get(r.person_id)!,
    })),
    byKind: kinds.rows.map((r) => ({ kind: r.kind, count: Number(r.n), oldest: oldest.get(r.person_id)! })),
  };
}
