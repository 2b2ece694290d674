import { createHash } from 'node:crypto';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type TypedSearchAttributes,
} from '@temporalio/common';
import { z } from 'zod';
import { journeyWorkflowType } from '../workflows/definitions';
import {
  AllocatedWorker,
  JourneyStage,
  LastEventAt,
  NextDeadlineAt,
  NextDeadlineKind,
  OpenComplaint,
  OverdueKinds,
  OverdueSince,
  PersonId,
  SafeguardingOpen,
  StageStuckAfterEpoch,
  Team,
  TechnicalIssue,
  WaitingOn,
  WaitingStuckAfterEpoch,
} from '../workflows/searchAttributes';
import { rowNextStep } from '../machines/nextStep';
import { defaultUnallocatedCases, policyProfiles, type PolicyProfile } from '../machines/policyProfile';
import { stageInWords } from '../machines/stages';
import { ApiError } from './errors';
import {
  deadlineKindSchema,
  stuckKinds,
  type JourneyRow,
  type OverdueReport,
  type StuckKind,
  type StuckReason,
} from './schemas';

/**
 * Lists of journeys come from Temporal visibility queries over the journey's search attributes,
 * never from asking each workflow. This module is pure: it builds the queries, turns a
 * workflow's search attributes into a row with its reasons for being stuck, sorts and pages.
 */

/**
 * Set by the Temporal server itself while a workflow task keeps failing (server 1.30.0+; an older
 * server refuses a query naming it, so JourneyClient.list leaves it out there: api/serverGaps.ts).
 */
export const TemporalReportedProblems = defineSearchAttributeKey(
  'TemporalReportedProblems',
  SearchAttributeType.KEYWORD_LIST,
);

/**
 * A value compared with a Keyword attribute. Backslashes are refused: the SQL visibility store
 * treats them inconsistently (`\'` escapes a quote, `\\` does not escape a backslash), so no
 * escaping of them is safe on every store.
 */
const keywordValue = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !/[\\\p{Cc}]/u.test(v), 'must not contain backslashes or control characters');

export const journeyFiltersSchema = z.object({
  stage: keywordValue.optional().describe('Machine stage id, e.g. planning'),
  team: keywordValue.optional(),
  worker: keywordValue.optional().describe('Allocated worker id'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only journeys with an overdue deadline; false: only those without'),
  stuck: z
    .enum([...stuckKinds, 'any'])
    .optional()
    .describe(
      'overdue: a statutory deadline passed unmet; stage: held in a stage past the profile limit; ' +
        'waiting: waiting on an outside party past the limit; technical: activities or workflow tasks failing; any: one of these',
    ),
  kind: deadlineKindSchema.optional().describe('Only journeys with an overdue deadline of this kind'),
});
export type JourneyFilters = z.infer<typeof journeyFiltersSchema>;

/** A string literal in a visibility query: single quotes, with an embedded quote doubled. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const stuckClauses: Record<StuckKind, (asOfEpoch: number) => string> = {
  overdue: () => `${OverdueSince.name} IS NOT NULL`,
  stage: (now) => `${StageStuckAfterEpoch.name} < ${now}`,
  waiting: (now) => `${WaitingStuckAfterEpoch.name} < ${now}`,
  technical: () => `(${TechnicalIssue.name} IS NOT NULL OR ${TemporalReportedProblems.name} IS NOT NULL)`,
};

/**
 * The visibility query for open journeys matching the filters. `asOf` is the instant the
 * "stuck after" thresholds are compared with (epoch seconds, as the attributes store them).
 */
export function journeyListQuery(filters: JourneyFilters, asOf: Date): string {
  const asOfEpoch = Math.floor(asOf.getTime() / 1000);
  const clauses = [`WorkflowType = ${quote(journeyWorkflowType)}`, `ExecutionStatus = 'Running'`];
  if (filters.stage) clauses.push(`${JourneyStage.name} = ${quote(filters.stage)}`);
  if (filters.team) clauses.push(`${Team.name} = ${quote(filters.team)}`);
  if (filters.worker) clauses.push(`${AllocatedWorker.name} = ${quote(filters.worker)}`);
  if (filters.overdue !== undefined)
    clauses.push(`${OverdueSince.name} IS ${filters.overdue ? 'NOT ' : ''}NULL`);
  if (filters.kind) clauses.push(`${OverdueKinds.name} = ${quote(filters.kind)}`);
  if (filters.stuck === 'any') {
    clauses.push(`(${stuckKinds.map((k) => stuckClauses[k](asOfEpoch)).join(' OR ')})`);
  } else if (filters.stuck) {
    clauses.push(stuckClauses[filters.stuck](asOfEpoch));
  }
  return clauses.join(' AND ');
}

const dayMs = 24 * 60 * 60 * 1000;
const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium' });
const fromEpochSeconds = (s: number | undefined) => (s === undefined ? undefined : new Date(s * 1000));

/** Which of the four kinds of stuck hold for a journey, each with a phrase saying why. */
export function stuckReasons(attributes: TypedSearchAttributes, asOf: Date): StuckReason[] {
  const reasons: StuckReason[] = [];
  const overdueSince = attributes.get(OverdueSince);
  if (overdueSince) {
    const days = Math.floor((asOf.getTime() - overdueSince.getTime()) / dayMs);
    const kinds = attributes.get(OverdueKinds) ?? [];
    reasons.push({
      kind: 'overdue',
      why: `${kinds.length ? kinds.join(', ') : 'a deadline'} overdue since ${londonDate.format(overdueSince)} (${days} day${days === 1 ? '' : 's'})`,
    });
  }
  const stageStuckAfter = fromEpochSeconds(attributes.get(StageStuckAfterEpoch));
  if (stageStuckAfter && stageStuckAfter < asOf) {
    const stage = attributes.get(JourneyStage) ?? 'its stage';
    reasons.push({
      kind: 'stage',
      why: `in ${stage} longer than the policy profile allows (since ${londonDate.format(stageStuckAfter)})`,
    });
  }
  const waitingStuckAfter = fromEpochSeconds(attributes.get(WaitingStuckAfterEpoch));
  if (waitingStuckAfter && waitingStuckAfter < asOf) {
    const party = attributes.get(WaitingOn) ?? 'an outside party';
    reasons.push({
      kind: 'waiting',
      why: `waiting on ${party} longer than the policy profile allows (since ${londonDate.format(waitingStuckAfter)})`,
    });
  }
  const technicalIssue = attributes.get(TechnicalIssue);
  if (technicalIssue) reasons.push({ kind: 'technical', why: `keeps failing: ${technicalIssue}` });
  const problems = attributes.get(TemporalReportedProblems);
  if (problems?.length) reasons.push({ kind: 'technical', why: `Temporal reports: ${problems.join(', ')}` });
  return reasons;
}

/** The part of a visibility record a row is made from (a WorkflowExecutionInfo fits). */
export interface VisibilityRecord {
  workflowId: string;
  typedSearchAttributes: TypedSearchAttributes;
}

/** A row, and the instants it sorts by. */
export interface SortableRow {
  row: JourneyRow;
  overdueSince: number | undefined;
  nextDeadlineAt: number | undefined;
}

/** The profile settings a row's next step reads: the stage limits, and who acts for unallocated cases. */
export type RowProfile = Pick<PolicyProfile, 'council' | 'stuckAfterDays' | 'unallocatedCases'>;

/**
 * A row from a journey's search attributes. Its one next step comes from those attributes too
 * (`rowNextStep`): a list is one visibility query, and asking each journey would be a query per row
 * that fails while a journey cannot answer. `profile` is the API's own (the stage limits, the duty
 * worker of an unallocated case); the journey's view has its own profile's.
 */
export function journeyRow(
  record: VisibilityRecord,
  asOf: Date,
  profile: RowProfile = defaultRowProfile,
): SortableRow {
  const a = record.typedSearchAttributes;
  const overdueSince = a.get(OverdueSince);
  const nextDeadlineAt = a.get(NextDeadlineAt);
  const lastEventAt = a.get(LastEventAt);
  const stage = a.get(JourneyStage);
  const stageStuckAfter = fromEpochSeconds(a.get(StageStuckAfterEpoch));
  const waitingStuckAfter = fromEpochSeconds(a.get(WaitingStuckAfterEpoch));
  const nextStep = rowNextStep(
    {
      stage,
      team: a.get(Team),
      worker: a.get(AllocatedWorker),
      overdueKinds: a.get(OverdueKinds) ?? [],
      overdueSince: overdueSince?.toISOString(),
      nextDeadlineKind: a.get(NextDeadlineKind),
      nextDeadlineAt: nextDeadlineAt?.toISOString(),
      waitingOn: a.get(WaitingOn),
      stageStuckAfter: stageStuckAfter?.toISOString(),
      waitingStuckAfter: waitingStuckAfter?.toISOString(),
    },
    profile,
  );
  return {
    row: {
      personId: a.get(PersonId) ?? record.workflowId.replace(/^journey-/, ''),
      stage,
      stageInWords: stage === undefined ? undefined : stageInWords(stage),
      team: a.get(Team),
      worker: a.get(AllocatedWorker),
      nextDeadlineAt: nextDeadlineAt?.toISOString(),
      nextDeadlineKind: a.get(NextDeadlineKind),
      overdueSince: overdueSince?.toISOString(),
      overdueKinds: a.get(OverdueKinds) ?? [],
      waitingOn: a.get(WaitingOn),
      lastEventAt: lastEventAt?.toISOString(),
      openComplaint: a.get(OpenComplaint) ?? false,
      safeguardingOpen: a.get(SafeguardingOpen) ?? false,
      stuck: stuckReasons(a, asOf),
      ...(nextStep && {
        nextStep: { ...nextStep, overdue: nextStep.overdue || Date.parse(nextStep.dueBy) < asOf.getTime() },
      }),
    },
    overdueSince: overdueSince?.getTime(),
    nextDeadlineAt: nextDeadlineAt?.getTime(),
  };
}

/** Without the API's profile: the stage limits every shipped profile shares, the placeholder duty worker. */
const defaultRowProfile: RowProfile = {
  council: '',
  stuckAfterDays: policyProfiles.derbyshire.stuckAfterDays,
  unallocatedCases: defaultUnallocatedCases,
};

/** Ascending, with missing values last. */
const ascending = (a: number | undefined, b: number | undefined) =>
  a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a - b;

/**
 * Longest overdue first, then the soonest next deadline, then by person id so pages are stable.
 * (Done here because the SQL visibility store does not support ORDER BY.)
 */
export function byUrgency(a: SortableRow, b: SortableRow): number {
  return (
    ascending(a.overdueSince, b.overdueSince) ||
    ascending(a.nextDeadlineAt, b.nextDeadlineAt) ||
    a.row.personId.localeCompare(b.row.personId)
  );
}

/**
 * An opaque cursor: where the next page starts, the instant the listing was judged against, and
 * a fingerprint of the filters, so a cursor cannot silently be used with different filters.
 */
const cursorSchema = z.object({
  offset: z.number().int().nonnegative(),
  asOf: z.number().int(),
  filters: z.string(),
});
type Cursor = z.infer<typeof cursorSchema>;

export function filtersFingerprint(filters: JourneyFilters): string {
  const canonical = JSON.stringify(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string, filters: JourneyFilters): Cursor {
  let cursor: Cursor;
  try {
    cursor = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError(400, 'invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
  if (cursor.filters !== filtersFingerprint(filters)) {
    throw new ApiError(400, 'invalid cursor: it belongs to a listing with different filters');
  }
  return cursor;
}

export interface Page {
  rows: JourneyRow[];
  total: number;
  nextCursor: string | undefined;
}

/** One page of already sorted rows. */
export function pageOf(
  sorted: SortableRow[],
  offset: number,
  limit: number,
  next: Omit<Cursor, 'offset'>,
): Page {
  const end = offset + limit;
  return {
    rows: sorted.slice(offset, end).map((s) => s.row),
    total: sorted.length,
    nextCursor: end < sorted.length ? encodeCursor({ ...next, offset: end }) : undefined,
  };
}

const unallocated = '(no team)';

/** Counts of overdue journeys per team and per deadline kind, with the oldest of each. */
export function summariseOverdue(overdue: SortableRow[], asOf: Date): OverdueReport {
  const oldestFirst = [...overdue].filter((r) => r.overdueSince !== undefined).sort(byUrgency);
  const byTeam = new Map<string, OverdueReport['byTeam'][number]>();
  const byKind = new Map<string, OverdueReport['byKind'][number]>();
  for (const { row } of oldestFirst) {
    const oldest = {
      personId: row.personId,
      overdueSince: row.overdueSince!,
      overdueKinds: row.overdueKinds,
      ...(row.team ? { team: row.team } : {}),
    };
    const team = row.team ?? unallocated;
    const teamEntry = byTeam.get(team) ?? { team, count: 0, oldest };
    byTeam.set(team, { ...teamEntry, count: teamEntry.count + 1 });
    for (const kind of row.overdueKinds.length ? row.overdueKinds : ['unknown']) {
      const kindEntry = byKind.get(kind) ?? { kind, count: 0, oldest };
      byKind.set(kind, { ...kindEntry, count: kindEntry.count + 1 });
    }
  }
  const mostFirst = <T extends { count: number; oldest: { overdueSince: string } }>(a: T, b: T) =>
    b.count - a.count || a.oldest.overdueSince.localeCompare(b.oldest.overdueSince);
  return {
    asOf: asOf.toISOString(),
    totalOverdue: oldestFirst.length,
    byTeam: [...byTeam.values()].sort(mostFirst),
    byKind: [...byKind.values()].sort(mostFirst),
  };
}
