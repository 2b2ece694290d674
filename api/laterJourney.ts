import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { Refusal } from '../machines/types';
import type { JourneyStateRow } from '../store/caseEventStore';
import type { JourneySummary, JourneyWorkflowInput } from '../workflows/definitions';
import { journeyNumberOf } from '../workflows/journeyNumber';

/**
 * R-REF-4: one open journey per person, not one for ever. A referral for a person whose journey
 * has closed opens a new one under the same workflow id; it is numbered after the last, so what
 * it writes (deadline ids, and the notices, letters and records keyed by them) is its own.
 */

/** The person's last journey, closed, as Temporal or the case-event store knows it. */
export interface EarlierJourney {
  journeyNumber: number;
  closure?: { reason: string; at: string } | undefined;
}

/** What a referral (or an import) for the person finds. */
export type JourneyOpening =
  { open: true } | { open: false; journeyNumber: number; earlier: EarlierJourney | undefined };

/**
 * The closed last run's journey number, and its closure where the journey completed: from its
 * result (a journey that completed says both), else from the input its last run started with (a
 * run terminated, failed or timed out: its input carries the number across continue-as-new).
 */
export async function closedJourneyOf(
  handle: WorkflowHandle,
  description: WorkflowExecutionDescription,
  converter: LoadedDataConverter,
): Promise<EarlierJourney> {
  if (description.status.name === 'COMPLETED') {
    const summary = (await handle.result()) as JourneySummary;
    return { journeyNumber: journeyNumberOf(summary), closure: summary.closure };
  }
  const run = handle.workflowId;
  const history = await handle.client.getHandle(run, description.runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = await decodeFromPayloadsAtIndex<JourneyWorkflowInput>(converter, 0, started?.input?.payloads);
  return { journeyNumber: journeyNumberOf(input ?? {}) };
}

/**
 * The number the person's next journey takes: one after the last Temporal or the store knows of
 * (Temporal forgets a closed journey after its retention; the store keeps its row for years), 1 if
 * neither knows of one. The closure is the newest journey's, from whichever knows it.
 */
export function nextJourney(
  fromTemporal: EarlierJourney | undefined,
  row: Pick<JourneyStateRow, 'journeyNumber' | 'closure'> | undefined,
): Extract<JourneyOpening, { open: false }> {
  const fromStore: EarlierJourney | undefined = row && {
    journeyNumber: row.journeyNumber,
    closure: row.closure && { reason: row.closure.reason, at: row.closure.at },
  };
  const candidates = [fromTemporal, fromStore].filter((j): j is EarlierJourney => j !== undefined);
  if (!candidates.length) return { open: false, journeyNumber: 1, earlier: undefined };
  const last = Math.max(...candidates.map((j) => j.journeyNumber));
  const closure = candidates.find((j) => j.journeyNumber === last && j.closure)?.closure;
  return { open: false, journeyNumber: last + 1, earlier: { journeyNumber: last, closure } };
}

/**
 * R-DTH-1: a person whose journey closed on their death has no new one. A referral (or an import)
 * for their person id is refused: it is for somebody else, or the death was recorded for the
 * wrong person, which a manager puts right in the case record.
 */
export function refusalAfterDeath(
  personId: string,
  earlier: EarlierJourney | undefined,
): Refusal | undefined {
  if (earlier?.closure?.reason !== 'died') return undefined;
  return {
    ruleId: 'R-DTH-1',
    message: `person ${personId}'s journey closed on their death (recorded ${earlier.closure.at}): no new journey is opened for them. Check the person id; if the death was recorded for the wrong person, that is put right in the case record, not by a referral`,
    field: 'personId',
    accepted: 'the person id of a living person',
  };
}
