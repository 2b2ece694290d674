import type { Client } from '@temporalio/client';
import type { CaseEventStore } from '../store/caseEventStore';
import { describeQuery, journeyWorkflowId, timelineQuery } from '../workflows/definitions';
import { journeyRecordId } from '../workflows/journeyNumber';

/**
 * The lasting record against what Temporal committed, journey by journey: the store's event
 * entries must be the journey's own timeline (the same events, in the same order, each as the
 * attempt Temporal kept wrote it: the same recordedAt), its current-state row at the journey's own
 * place, and its open deadlines the journey's. Anything else is named.
 */

export interface StoreAgainstHistory {
  journeys: number;
  /** journeys whose store record is exactly what Temporal committed */
  equal: number;
  /** entries of events the journey never accepted */
  uncommitted: number;
  /** events the journey accepted that the store lacks */
  missing: number;
  /** entries the store holds as another attempt than the one Temporal kept wrote them */
  otherAttempt: number;
  problems: string[];
}

const openDeadlines = (deadlines: { id: string; status: string; dueAt: string }[]) =>
  deadlines
    .filter((d) => d.status === 'due' || d.status === 'overdue')
    .map((d) => `${d.id} ${d.status} ${new Date(d.dueAt).toISOString()}`)
    .sort();

export async function storeAgainstHistory(
  store: CaseEventStore,
  client: Client,
  personIds: string[],
): Promise<StoreAgainstHistory> {
  const result: StoreAgainstHistory = {
    journeys: personIds.length,
    equal: 0,
    uncommitted: 0,
    missing: 0,
    otherAttempt: 0,
    problems: [],
  };
  for (const personId of personIds) {
    const handle = client.workflow.getHandle(journeyWorkflowId(personId));
    const [{ timeline, position }, view, record] = await Promise.all([
      handle.query(timelineQuery),
      handle.query(describeQuery),
      store.personRecord(personId),
    ]);
    const journeyNumber = position?.journeyNumber ?? 1;
    const committed = new Map(timeline.map((e) => [journeyRecordId(journeyNumber, e.eventId), e.recordedAt]));
    const stored = new Map(
      record.entries
        .filter((e) => e.kind === 'event' && (e.journeyNumber ?? 1) === journeyNumber)
        .map((e) => [e.recordId, (e.entry as { recordedAt?: string }).recordedAt]),
    );
    const problems: string[] = [];
    for (const [id, recordedAt] of stored) {
      if (!committed.has(id)) {
        result.uncommitted++;
        problems.push(`${id} is in the store but the journey never accepted it`);
      } else if (committed.get(id) !== recordedAt) {
        result.otherAttempt++;
        problems.push(
          `${id} is in the store as recorded at ${recordedAt}; the journey kept the attempt at ${committed.get(id)}`,
        );
      }
    }
    for (const id of committed.keys()) {
      if (!stored.has(id)) {
        result.missing++;
        problems.push(`${id} was accepted but is not in the store`);
      }
    }
    const storedOrder = [...stored.keys()].filter((id) => committed.has(id));
    const committedOrder = [...committed.keys()].filter((id) => stored.has(id));
    if (storedOrder.join('|') !== committedOrder.join('|'))
      problems.push(`the store has the events in another order: ${storedOrder.join(', ')}`);
    const row = record.journey;
    if (position && (row?.runNumber !== position.runNumber || row?.eventsApplied !== position.eventsApplied))
      problems.push(
        `its row is at run ${row?.runNumber} after ${row?.eventsApplied} events; the journey at run ${position.runNumber} after ${position.eventsApplied}`,
      );
    if (row && row.stage !== view.stage)
      problems.push(`its row says stage ${row.stage}; the journey ${view.stage}`);
    const said = openDeadlines(view.deadlines);
    const kept = openDeadlines(record.deadlines);
    if (said.join('|') !== kept.join('|'))
      problems.push(`open deadlines differ: the journey ${said.join('; ')}; the store ${kept.join('; ')}`);
    if (problems.length) result.problems.push(...problems.map((p) => `${personId}: ${p}`));
    else result.equal++;
  }
  return result;
}
