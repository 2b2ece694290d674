import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { z } from 'zod';
import { journeyEventTypes, withoutControlCharacters } from '../machines/events';
import { stageInWords } from '../machines/stages';
import type { JourneyView, TimelineEntry } from '../machines/types';
import type { CaseEventStore } from '../store/caseEventStore';
import type { JourneyStateRow, PersonRecord } from '../store/caseEventStore';
import { listJourneys, overdueCounts, type Keyset, type ListFilters } from '../store/lists';
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
  WaitingOn,
  WaitingStuckAfterEpoch,
} from '../workflows/searchAttributes';
import { journeyNumberOf, journeyOfDeadlineId, journeyRecordId } from '../workflows/journeyNumber';
import { ApiError } from './errors';
import type { JourneyClient } from './journeyClient';
import type { JourneyDetail, JourneyList, JourneyRow, OverdueReport, StuckReason } from './schemas';
import type { TeamFilter } from './scope';
import {
  filtersFingerprint,
  journeyListQuery,
  journeyRow,
  summariseOverdue,
  type JourneyFilters,
  type RowProfile,
} from './visibility';

/**
 * The lists and a closed journey's record from the case-event store (issue 12). A store row is
 * turned into the same JourneyRow as a visibility record (through the same journeyRow and its
 * stuck reasons), so both sources answer alike; technical health (activities or workflow tasks
 * failing) is Temporal's, merged in.
 */

const epoch = (iso: string | undefined) =>
  iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000);

/** The store's row as the search attributes would carry it. */
function attributesOf(state: JourneyStateRow): TypedSearchAttributes {
  const pairs: SearchAttributePair[] = [{ key: PersonId, value: state.personId }];
  const add = (pair: { key: SearchAttributePair['key']; value: unknown }) => {
    if (pair.value !== undefined) pairs.push(pair as SearchAttributePair);
  };
  const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));
  add({ key: JourneyStage, value: state.stage });
  add({ key: Team, value: state.team });
  add({ key: AllocatedWorker, value: state.worker });
  add({ key: NextDeadlineAt, value: date(state.nextDeadlineAt) });
  add({ key: NextDeadlineKind, value: state.nextDeadlineKind });
  add({ key: OverdueSince, value: date(state.overdueSince) });
  if (state.overdueKinds.length) add({ key: OverdueKinds, value: state.overdueKinds });
  add({ key: WaitingOn, value: state.closed ? undefined : state.waitingOn });
  add({ key: LastEventAt, value: date(state.lastEventAt) });
  add({ key: OpenComplaint, value: state.concerns.openComplaints > 0 });
  add({ key: SafeguardingOpen, value: state.concerns.safeguardingOpen });
  add({ key: StageStuckAfterEpoch, value: epoch(state.stageStuckAfter) });
  add({ key: WaitingStuckAfterEpoch, value: state.closed ? undefined : epoch(state.waitingStuckAfter) });
  return new TypedSearchAttributes(pairs);
}

export function rowFromStore(
  state: JourneyStateRow,
  asOf: Date,
  technical: StuckReason[] = [],
  profile?: RowProfile,
): JourneyRow {
  const { row } = journeyRow(
    { workflowId: `journey-${state.personId}`, typedSearchAttributes: attributesOf(state) },
    asOf,
    profile,
  );
  return { ...row, stuck: [...row.stuck, ...technical] };
}

/** What Temporal says is technically failing now, by person (one small visibility query). */
async function technicalNow(journeys: JourneyClient, asOf: Date): Promise<Map<string, StuckReason[]>> {
  const rows = await journeys.list(journeyListQuery({ stuck: 'technical' }, asOf), asOf);
  return new Map(rows.map(({ row }) => [row.personId, row.stuck.filter((s) => s.kind === 'technical')]));
}

/** A cursor is the caller's to send back: its values reach the store's SQL, so no control characters (NUL). */
const cursorText = withoutControlCharacters(z.string());
const storeCursorSchema = z.object({
  after: z.object({ overdueSince: cursorText, nextDeadlineAt: cursorText, personId: cursorText }),
  asOf: z.number().int(),
  filters: z.string(),
});

function encodeStoreCursor(cursor: z.infer<typeof storeCursorSchema>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeStoreCursor(text: string, filters: JourneyFilters): z.infer<typeof storeCursorSchema> {
  let cursor: z.infer<typeof storeCursorSchema>;
  try {
    cursor = storeCursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError(400, 'invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
  if (cursor.filters !== filtersFingerprint(filters)) {
    throw new ApiError(400, 'invalid cursor: it belongs to a listing with different filters');
  }
  return cursor;
}

/** GET /journeys from the store: keyset pages in the store's order, technical health from Temporal. */
export async function listFromStore(
  store: CaseEventStore,
  journeys: JourneyClient,
  filters: JourneyFilters,
  page: { cursor: string | undefined; limit: number },
  /** access by team (api/scope.ts): only the caller's teams' journeys; undefined: every team */
  withinTeams?: TeamFilter,
): Promise<JourneyList> {
  const position = page.cursor ? decodeStoreCursor(page.cursor, filters) : undefined;
  // Later pages keep the first page's "now", so a case does not hop between pages as time passes.
  const asOf = new Date((position?.asOf ?? Math.floor(Date.now() / 1000)) * 1000);
  const technical = await technicalNow(journeys, asOf);
  const result = await listJourneys(
    store.db,
    { ...filters, ...(withinTeams ? { withinTeams } : {}) },
    {
      asOf,
      limit: page.limit,
      ...(position ? { after: position.after as Keyset } : {}),
      technical: [...technical.keys()],
    },
  );
  return {
    journeys: result.rows.map((state) =>
      rowFromStore(state, asOf, technical.get(state.personId), journeys.policyProfile),
    ),
    total: result.total,
    ...(result.next
      ? {
          nextCursor: encodeStoreCursor({
            after: result.next,
            asOf: Math.floor(asOf.getTime() / 1000),
            filters: filtersFingerprint(filters),
          }),
        }
      : {}),
    asOf: asOf.toISOString(),
    query: `case-event store: ${result.where}`,
  };
}

/**
 * GET /reports/overdue from the store, counted by the database; for a caller who reaches only some
 * teams (api/scope.ts), counted over their journeys alone, read page by page.
 */
export async function overdueReportFromStore(
  store: CaseEventStore,
  asOf: Date,
  withinTeams?: TeamFilter,
): Promise<OverdueReport> {
  if (withinTeams) return overdueWithinTeams(store, asOf, withinTeams);
  const counts = await overdueCounts(store.db);
  const oldest = (state: JourneyStateRow) => ({
    personId: state.personId,
    overdueSince: state.overdueSince!,
    overdueKinds: state.overdueKinds,
    ...(state.team ? { team: state.team } : {}),
  });
  const mostFirst = <T extends { count: number; oldest: { overdueSince: string } }>(a: T, b: T) =>
    b.count - a.count || a.oldest.overdueSince.localeCompare(b.oldest.overdueSince);
  return {
    asOf: asOf.toISOString(),
    totalOverdue: counts.totalOverdue,
    byTeam: counts.byTeam
      .map((t) => ({ team: t.team ?? '(no team)', count: t.count, oldest: oldest(t.oldest) }))
      .sort(mostFirst),
    byKind: counts.byKind
      .map((k) => ({ kind: k.kind, count: k.count, oldest: oldest(k.oldest) }))
      .sort(mostFirst),
  };
}

async function overdueWithinTeams(
  store: CaseEventStore,
  asOf: Date,
  withinTeams: TeamFilter,
): Promise<OverdueReport> {
  const filters: ListFilters = { overdue: true, withinTeams };
  const rows: JourneyStateRow[] = [];
  let after: Keyset | undefined;
  do {
    const page = await listJourneys(store.db, filters, { asOf, limit: 1000, ...(after ? { after } : {}) });
    rows.push(...page.rows);
    after = page.next;
  } while (after);
  const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  return summariseOverdue(
    rows.map((state) => ({
      row: rowFromStore(state, asOf),
      overdueSince: ms(state.overdueSince),
      nextDeadlineAt: ms(state.nextDeadlineAt),
    })),
    asOf,
  );
}

/** Why nothing can be sent to a journey read from the store. */
const goneReason = {
  message:
    "the journey's workflow is no longer in Temporal (closed, past the namespace's retention): its record is read from the case-event store and it takes no more events; a new referral opens a new journey",
};

/**
 * GET /journeys/{id} for a journey Temporal no longer has: its whole story from the store (every
 * accepted event, every refusal, every deadline as it ended). Health says where it came from.
 * R-REF-4: of the person's current (latest) journey, as Temporal would tell it; an earlier
 * journey's entries stay in the case record (and its letters and notices in the correspondence).
 */
export function detailFromStore(personId: string, record: PersonRecord): JourneyDetail {
  const journey = record.journey!;
  const current = journey.journeyNumber;
  const timeline = record.entries
    .filter((e) => e.kind === 'event' && journeyNumberOf(e) === current)
    .map((e) => e.entry as TimelineEntry);
  // refusals carry no journey: those since the current journey began
  const began = current > 1 ? timeline[0]?.recordedAt : undefined;
  const refused = began
    ? record.refused.filter((r) => Date.parse(r.recordedAt) >= Date.parse(began))
    : record.refused;
  const open = (d: { status: string }) => d.status === 'due' || d.status === 'overdue';
  const deadlines = record.deadlines
    .filter((d) => journeyOfDeadlineId(d.id) === current)
    .sort((a, b) => Number(open(b)) - Number(open(a)) || Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const view: JourneyView = {
    personId,
    subject: journey.subject,
    council: journey.council ?? '',
    stage: journey.stage,
    stageInWords: stageInWords(journey.stage),
    stageEnteredAt: journey.stageEnteredAt,
    closed: journey.closed,
    closure: journey.closure,
    team: journey.team,
    allocatedWorker: journey.worker,
    concerns: journey.concerns,
    waitingOn: journey.state.waitingOn,
    deadlines,
    indicativeBudget: undefined,
    nextSteps: [],
    allowedEvents: [],
    notAllowedNow: journeyEventTypes.map((type) => ({ type, reasons: [goneReason] })),
  };
  const first = timeline[0];
  return {
    personId,
    view,
    timeline,
    refused,
    health: {
      status: 'NOT_IN_TEMPORAL',
      runId: '',
      startedAt: first?.recordedAt ?? journey.stageEnteredAt ?? '',
      ...(journey.closure ? { closedAt: journey.closure.at } : {}),
      historyLength: 0,
      pendingActivities: [],
      reportedProblems: [],
      healthy: true,
    },
    stuck: [],
  };
}

/** `care store check` / `rebuild`: one journey whose store row differs from what it says itself. */
export const storeDifferenceSchema = z.object({
  personId: z.string(),
  differences: z.array(
    z.object({ field: z.string(), journey: z.string().describe('what the journey says'), store: z.string() }),
  ),
});
export const storeCheckSchema = z
  .object({
    asOf: z.string(),
    checked: z
      .number()
      .int()
      .describe('journeys compared: those running in Temporal and those open in the store'),
    differing: z
      .array(storeDifferenceSchema)
      .describe('journeys whose store row differs, with each difference'),
    uncommitted: z
      .array(z.object({ personId: z.string(), recordIds: z.array(z.string()) }))
      .describe(
        'case-record entries of events the journey never accepted: written by a workflow task that a crash stopped ' +
          'before Temporal committed it, and not overtaken since. Only entries written more than two minutes ' +
          'before the check are counted (a task may still be committing younger ones). A rebuild removes them ' +
          'and puts back the row and deadlines the standing entries left.',
      ),
    missing: z
      .array(z.object({ personId: z.string(), eventIds: z.array(z.string()) }))
      .describe(
        'events the journey accepted that the store does not hold yet: the journey keeps writing them (its page ' +
          'shows "keeps failing: recordCaseEvent" while the store refuses)',
      ),
    notInTemporal: z
      .array(z.object({ personId: z.string(), stage: z.string() }))
      .describe(
        'journeys open in the store that Temporal does not have (its history lost or deleted): no rebuild can ' +
          "come from Temporal; the store's record is all there is",
      ),
    rebuilt: z.number().int().optional().describe('rebuild only: rows written from the journeys'),
    unanswered: z.array(z.object({ personId: z.string(), error: z.string() })),
  })
  .meta({ id: 'StoreCheck' });
export type StoreCheck = z.infer<typeof storeCheckSchema>;

/** The fields the current-state row shares with the journey's own view, as text to compare. */
function comparable(v: {
  stage: string;
  team?: string | undefined;
  worker?: string | undefined;
  closed: boolean;
  concerns: JourneyView['concerns'];
  openDeadlines: { id: string; status: string; dueAt: string }[];
}): Record<string, string> {
  return {
    stage: v.stage,
    team: v.team ?? '(none)',
    worker: v.worker ?? '(none)',
    closed: String(v.closed),
    concerns: JSON.stringify(v.concerns),
    openDeadlines:
      v.openDeadlines
        .map((d) => `${d.id} ${d.status} ${new Date(d.dueAt).toISOString()}`)
        .sort()
        .join('; ') || '(none)',
  };
}

const openOf = (deadlines: { id: string; status: string; dueAt: string }[]) =>
  deadlines.filter((d) => d.status === 'due' || d.status === 'overdue');

/** A workflow task runs for seconds at most (its timeout is 10 s): an entry older than this is settled. */
const UNCOMMITTED_AFTER_MS = 120_000;

/**
 * The store against what Temporal committed, both ways, for every journey running in Temporal or
 * open in the store: entries of events the journey never accepted (a crash before the commit),
 * events it accepted that the store lacks, journeys the store has that Temporal does not, and each
 * current-state row against the journey's describe query. `rebuild` removes the uncommitted entries
 * and writes the row (and its deadlines) from what the journey says wherever they differ or the row
 * is missing. Journeys are asked a few at a time.
 */
export async function checkStore(
  store: CaseEventStore,
  journeys: JourneyClient,
  options: {
    rebuild: boolean;
    /** entries younger than this may belong to a workflow task still committing (default two minutes) */
    settledAfterMs?: number;
  },
): Promise<StoreCheck> {
  const asOf = new Date();
  const running = await journeys.list(journeyListQuery({}, asOf), asOf);
  const differing: StoreCheck['differing'] = [];
  const uncommitted: StoreCheck['uncommitted'] = [];
  const missing: StoreCheck['missing'] = [];
  const notInTemporal: StoreCheck['notInTemporal'] = [];
  const unanswered: StoreCheck['unanswered'] = [];
  let rebuilt = 0;
  const people = [...new Set([...running.map((r) => r.row.personId), ...(await store.openJourneyPeople())])];
  const queue = [...people];
  const settledBefore = new Date(
    asOf.getTime() - (options.settledAfterMs ?? UNCOMMITTED_AFTER_MS),
  ).toISOString();
  const one = async (personId: string) => {
    let view: JourneyDetail['view'];
    try {
      const committed = await journeys.committed(personId);
      if (!committed) {
        const row = await store.journey(personId);
        if (row && !row.closed) notInTemporal.push({ personId, stage: row.stage });
        return;
      }
      const { position } = committed;
      if (position) {
        const beyond = await store.withdrawBeyond(personId, position, settledBefore, {
          dryRun: !options.rebuild,
        });
        if (beyond.length) uncommitted.push({ personId, recordIds: beyond });
        const held = new Set(await store.eventRecordIds(personId, position.journeyNumber));
        const lacking = committed.eventIds.filter(
          (id) => !held.has(journeyRecordId(position.journeyNumber, id)),
        );
        if (lacking.length) missing.push({ personId, eventIds: lacking });
      }
      view = (await journeys.detail(personId, asOf)).view;
    } catch (err) {
      unanswered.push({ personId, error: (err as Error).message });
      return;
    }
    const row = await store.journey(personId);
    const said = comparable({ ...view, worker: view.allocatedWorker, openDeadlines: openOf(view.deadlines) });
    const kept = row
      ? comparable({
          ...row,
          openDeadlines: openOf(row.state.deadlines.length ? await openDeadlinesOf(store, personId) : []),
        })
      : undefined;
    const differences = Object.entries(said)
      .filter(([field, value]) => kept?.[field] !== value)
      .map(([field, value]) => ({ field, journey: value, store: kept?.[field] ?? '(no row)' }));
    if (!differences.length) return;
    differing.push({ personId, differences });
    if (!options.rebuild) return;
    await store.db.transaction((tx) =>
      store.putState(
        tx,
        personId,
        {
          ...(row && row.journeyNumber > 1 ? { journeyNumber: row.journeyNumber } : {}),
          runNumber: row?.runNumber ?? 0,
          eventsApplied: row?.eventsApplied ?? 0,
          subject: view.subject,
          council: view.council,
          stage: view.stage,
          ...(view.stageEnteredAt ? { stageEnteredAt: view.stageEnteredAt } : {}),
          ...(view.team ? { team: view.team } : {}),
          ...(view.allocatedWorker ? { worker: view.allocatedWorker } : {}),
          closed: view.closed,
          ...(view.closure ? { closure: view.closure } : {}),
          concerns: view.concerns,
          ...(view.waitingOn ? { waitingOn: view.waitingOn } : {}),
          // the journey's view has no stuck thresholds: the row's own are kept until its next event
          ...(row?.stageStuckAfter ? { stageStuckAfter: row.stageStuckAfter } : {}),
          ...(row?.waitingStuckAfter ? { waitingStuckAfter: row.waitingStuckAfter } : {}),
          ...(row?.lastEventAt ? { lastEventAt: row.lastEventAt } : {}),
          deadlines: view.deadlines,
        },
        'rebuild',
        true,
      ),
    );
    rebuilt++;
  };
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await one(next);
    }),
  );
  const byPerson = (a: { personId: string }, b: { personId: string }) => a.personId.localeCompare(b.personId);
  for (const list of [differing, uncommitted, missing, notInTemporal]) list.sort(byPerson);
  return {
    asOf: asOf.toISOString(),
    checked: people.length,
    differing,
    uncommitted,
    missing,
    notInTemporal,
    ...(options.rebuild ? { rebuilt } : {}),
    unanswered,
  };
}

async function openDeadlinesOf(store: CaseEventStore, personId: string) {
  const { rows } = await store.db.query<{ deadline_id: string; status: string; due_at: Date }>(
    "SELECT deadline_id, status, due_at FROM deadlines WHERE person_id = $1 AND status IN ('due', 'overdue')",
    [personId],
  );
  return rows.map((r) => ({ id: r.deadline_id, status: r.status, dueAt: new Date(r.due_at).toISOString() }));
}
