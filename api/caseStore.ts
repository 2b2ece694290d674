import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { z } from 'zod';
import { journeyEventTypes } from '../machines/events';
import { stageInWords } from '../machines/stages';
import type { JourneyView } from '../machines/types';
import type { CaseEventStore } from '../store/caseEventStore';
import type { JourneyStateRow, PersonRecord } from '../store/caseEventStore';
import { listJourneys, overdueCounts, type Keyset } from '../store/lists';
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
import { ApiError } from './errors';
import type { JourneyClient } from './journeyClient';
import type { JourneyDetail, JourneyList, JourneyRow, OverdueReport, StuckReason } from './schemas';
import { filtersFingerprint, journeyListQuery, journeyRow, type JourneyFilters } from './visibility';

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

export function rowFromStore(state: JourneyStateRow, asOf: Date, technical: StuckReason[] = []): JourneyRow {
  const { row } = journeyRow(
    { workflowId: `journey-${state.personId}`, typedSearchAttributes: attributesOf(state) },
    asOf,
  );
  return { ...row, stuck: [...row.stuck, ...technical] };
}

/** What Temporal says is technically failing now, by person (one small visibility query). */
async function technicalNow(journeys: JourneyClient, asOf: Date): Promise<Map<string, StuckReason[]>> {
  const rows = await journeys.list(journeyListQuery({ stuck: 'technical' }, asOf), asOf);
  return new Map(rows.map(({ row }) => [row.personId, row.stuck.filter((s) => s.kind === 'technical')]));
}

const storeCursorSchema = z.object({
  after: z.object({ overdueSince: z.string(), nextDeadlineAt: z.string(), personId: z.string() }),
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
): Promise<JourneyList> {
  const position = page.cursor ? decodeStoreCursor(page.cursor, filters) : undefined;
  // Later pages keep the first page's "now", so a case does not hop between pages as time passes.
  const asOf = new Date((position?.asOf ?? Math.floor(Date.now() / 1000)) * 1000);
  const technical = await technicalNow(journeys, asOf);
  const result = await listJourneys(store.db, filters, {
    asOf,
    limit: page.limit,
    ...(position ? { after: position.after as Keyset } : {}),
    technical: [...technical.keys()],
  });
  return {
    journeys: result.rows.map((state) => rowFromStore(state, asOf, technical.get(state.personId))),
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

/** GET /reports/overdue from the store, counted by the database. */
export async function overdueReportFromStore(store: CaseEventStore, asOf: Date): Promise<OverdueReport> {
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

/** Why nothing can be sent to a journey read from the store. */
const goneReason = {
  message:
    "the journey's workflow is no longer in Temporal (closed, past the namespace's retention): its record is read from the case-event store and it takes no more events; a new referral opens a new journey",
};

/**
 * GET /journeys/{id} for a journey Temporal no longer has: its whole story from the store (every
 * accepted event, every refusal, every deadline as it ended). Health says where it came from.
 */
export function detailFromStore(personId: string, record: PersonRecord): JourneyDetail {
  const journey = record.journey!;
  const open = (d: { status: string }) => d.status === 'due' || d.status === 'overdue';
  const deadlines = [...record.deadlines].sort(
    (a, b) => Number(open(b)) - Number(open(a)) || Date.parse(a.dueAt) - Date.parse(b.dueAt),
  );
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
  const first = record.timeline[0];
  return {
    personId,
    view,
    timeline: record.timeline,
    refused: record.refused,
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
