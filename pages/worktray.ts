import { z } from 'zod';
import type { JourneyRow } from '../api/schemas';
import { journeyFiltersSchema } from '../api/visibility';
import type { ListFilters, PagesApi } from './apiCalls';
import {
  dueInWords,
  endOfWorkingDaysFromNow,
  eventInWords,
  holderOf,
  kindFacts,
  overdueFor,
  plainWords,
  timeLeft,
} from './words';

/**
 * The worktray (issue 13 point 2): overdue first, then due within the next 10 working days, then
 * stuck by kind. Each section is one API listing (GET /journeys with the filters), so its order and
 * what it holds are the API's.
 */

/** The filters in the query string (bookmarkable): the API's own filter schema, and each section's page. */
export const worktrayQuerySchema = journeyFiltersSchema
  .pick({ team: true, worker: true, stage: true, kind: true })
  .extend({
    overdueCursor: z.string().max(2000).optional(),
    duePage: z.coerce.number().int().min(1).max(10_000).optional(),
    stageCursor: z.string().max(2000).optional(),
    waitingCursor: z.string().max(2000).optional(),
    technicalCursor: z.string().max(2000).optional(),
    /** rows per section's page */
    limit: z.coerce.number().int().min(1).max(100).optional(),
  });
export type WorktrayQuery = z.infer<typeof worktrayQuerySchema>;

/** How far ahead "due soon" looks (issue 13: the next 10 working days). */
export const dueSoonWorkingDays = 10;
export const defaultPageSize = 25;

export interface WorktrayRow {
  personId: string;
  stageInWords: string;
  deadline: string;
  ruleIds: string[];
  when: string;
  /** overdue for / time left */
  how: string;
  holder: string;
  nextStep: string;
}

export interface WorktraySection {
  id: 'overdue' | 'dueSoon' | 'stage' | 'waiting' | 'technical';
  title: string;
  total: number;
  rows: WorktrayRow[];
  /** the query string of this section's next page, the other filters kept */
  nextPage?: string;
  previousPage?: string;
}

const nextStepOf = (row: JourneyRow) =>
  row.nextStep
    ? `${eventInWords(row.nextStep.event)} — ${row.nextStep.owner.id}, by ${dueInWords(row.nextStep.dueBy)}`
    : 'See the case';

function overdueRow(row: JourneyRow, now: Date, holidays: ReadonlySet<string>): WorktrayRow {
  const kinds = row.overdueKinds;
  // the kind whose clock started it: the first one (the search attribute lists them in order)
  const first = kinds[0];
  return {
    personId: row.personId,
    stageInWords: row.stageInWords ?? row.stage ?? '',
    deadline: kinds.map((k) => kindFacts(k)?.words ?? k).join(', ') || 'A deadline',
    ruleIds: kinds.map((k) => kindFacts(k)?.ruleId).filter((r): r is string => !!r),
    when: row.overdueSince ? `since ${dueInWords(row.overdueSince)}` : '',
    how: row.overdueSince ? overdueFor(row.overdueSince, first, now, holidays) : 'overdue',
    holder: holderOf(row),
    nextStep: nextStepOf(row),
  };
}

function dueRow(row: JourneyRow, now: Date, holidays: ReadonlySet<string>): WorktrayRow {
  const facts = kindFacts(row.nextDeadlineKind);
  return {
    personId: row.personId,
    stageInWords: row.stageInWords ?? row.stage ?? '',
    deadline: facts?.words ?? row.nextDeadlineKind ?? '',
    ruleIds: facts ? [facts.ruleId] : [],
    when: row.nextDeadlineAt ? `due by ${dueInWords(row.nextDeadlineAt)}` : '',
    how: row.nextDeadlineAt ? timeLeft(row.nextDeadlineAt, row.nextDeadlineKind, now, holidays) : '',
    holder: holderOf(row),
    nextStep: nextStepOf(row),
  };
}

function stuckRow(row: JourneyRow, kind: 'stage' | 'waiting' | 'technical'): WorktrayRow {
  const reasons = row.stuck.filter((s) => s.kind === kind).map((s) => plainWords(s.why));
  return {
    personId: row.personId,
    stageInWords: row.stageInWords ?? row.stage ?? '',
    deadline: reasons.join('; '),
    ruleIds: [],
    when: '',
    how: '',
    holder: holderOf(row),
    nextStep: nextStepOf(row),
  };
}

/** The query string of the worktray with one parameter changed (a section's page), the rest kept. */
export function withParam(
  query: WorktrayQuery,
  name: keyof WorktrayQuery,
  value: string | undefined,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== name) params.set(k, String(v));
  if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '?';
}

export async function buildWorktray(
  api: PagesApi,
  query: WorktrayQuery,
  now: Date,
  holidays: ReadonlySet<string>,
): Promise<WorktraySection[]> {
  const base: ListFilters = {
    ...(query.team ? { team: query.team } : {}),
    ...(query.worker ? { worker: query.worker } : {}),
    ...(query.stage ? { stage: query.stage } : {}),
  };
  const pageSize = query.limit ?? defaultPageSize;
  const horizon = endOfWorkingDaysFromNow(dueSoonWorkingDays, now, holidays);
  const stuckKinds = [
    { id: 'stage', title: 'Stuck: held in a stage longer than the policy allows' },
    { id: 'waiting', title: 'Stuck: waiting on someone outside' },
    { id: 'technical', title: 'Stuck: technical problems' },
  ] as const;

  const [overdue, notOverdue, ...stuck] = await Promise.all([
    api.list(
      { ...base, overdue: 'true', ...(query.kind ? { kind: query.kind } : {}) },
      { limit: pageSize, ...(query.overdueCursor ? { cursor: query.overdueCursor } : {}) },
    ),
    // Not overdue, soonest next deadline first: read until past the horizon.
    api.listAll({ ...base, overdue: 'false' }, (last) =>
      last.nextDeadlineAt ? Date.parse(last.nextDeadlineAt) <= horizon : false,
    ),
    ...stuckKinds.map(({ id }) => {
      const cursor = query[`${id}Cursor`];
      return api.list({ ...base, stuck: id }, { limit: pageSize, ...(cursor ? { cursor } : {}) });
    }),
  ]);

  const dueSoon = notOverdue.filter(
    (row) =>
      row.nextDeadlineAt &&
      Date.parse(row.nextDeadlineAt) <= horizon &&
      (!query.kind || row.nextDeadlineKind === query.kind),
  );
  const duePage = query.duePage ?? 1;
  const dueRows = dueSoon.slice((duePage - 1) * pageSize, duePage * pageSize);

  return [
    {
      id: 'overdue',
      title: 'Overdue',
      total: overdue.total,
      rows: overdue.journeys.map((row) => overdueRow(row, now, holidays)),
      ...(overdue.nextCursor ? { nextPage: withParam(query, 'overdueCursor', overdue.nextCursor) } : {}),
      ...(query.overdueCursor ? { previousPage: withParam(query, 'overdueCursor', undefined) } : {}),
    },
    {
      id: 'dueSoon',
      title: `Due within the next ${dueSoonWorkingDays} working days`,
      total: dueSoon.length,
      rows: dueRows.map((row) => dueRow(row, now, holidays)),
      ...(duePage * pageSize < dueSoon.length
        ? { nextPage: withParam(query, 'duePage', String(duePage + 1)) }
        : {}),
      ...(duePage > 1
        ? { previousPage: withParam(query, 'duePage', duePage > 2 ? String(duePage - 1) : undefined) }
        : {}),
    },
    ...stuckKinds.map(({ id, title }, i): WorktraySection => {
      const list = stuck[i]!;
      const param = `${id}Cursor` as const;
      return {
        id,
        title,
        total: list.total,
        rows: list.journeys.map((row) => stuckRow(row, id)),
        ...(list.nextCursor ? { nextPage: withParam(query, param, list.nextCursor) } : {}),
        ...(query[param] ? { previousPage: withParam(query, param, undefined) } : {}),
      };
    }),
  ];
}
