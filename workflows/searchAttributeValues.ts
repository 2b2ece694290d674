import type { SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import { stageOf, type JourneySnapshot } from '../machines';
import { waitingOn } from '../machines/describeJourney';
import { byDue } from '../machines/deadlines';
import { stageLimitDays as stageLimitDays_ } from '../machines/stuckLimits';
import * as SA from './searchAttributes';

const DAY_MS = 86_400_000;
const epochSeconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The journey's search attributes, derived from the snapshot: what operations lists filter on.
 * Returned as name → value (null to unset) so the workflow can upsert only what changed.
 */
export function searchAttributeValues(
  snapshot: JourneySnapshot,
  extra: { lastEventAt: string | undefined; technicalIssue: string | undefined },
): SearchAttributeUpdatePair[] {
  const { context } = snapshot;
  // Not the whole describe view: it judges every event type, and this runs on every event.
  const waiting = waitingOn(snapshot);
  const stage = stageOf(snapshot);
  const closed = snapshot.status !== 'active';
  const next = context.deadlines
    .filter((d) => d.status === 'due' && d.effect === 'obligation')
    .sort(byDue)[0];
  const overdue = context.deadlines.filter((d) => d.status === 'overdue');
  const overdueSince = overdue.length ? Math.min(...overdue.map((d) => Date.parse(d.overdueAt))) : undefined;
  const stageLimitDays = stageLimitDays_(snapshot);
  const stageStuckAfter =
    stageLimitDays && context.stageEnteredAt
      ? Date.parse(context.stageEnteredAt) + stageLimitDays * DAY_MS
      : undefined;
  const waitingLimitDays = waiting && context.profile.stuckAfterDays.waitingOn[waiting.party];
  const waitingStuckAfter =
    waiting && waitingLimitDays ? Date.parse(waiting.since) + waitingLimitDays * DAY_MS : undefined;

  return [
    { key: SA.JourneyStage, value: stage },
    { key: SA.JourneySubject, value: context.subject },
    { key: SA.PersonId, value: context.personId },
    { key: SA.Team, value: context.team ?? null },
    { key: SA.AllocatedWorker, value: context.allocatedWorker ?? null },
    { key: SA.NextDeadlineAt, value: next ? new Date(next.dueAt) : null },
    { key: SA.NextDeadlineKind, value: next?.kind ?? null },
    { key: SA.OverdueSince, value: overdueSince !== undefined ? new Date(overdueSince) : null },
    { key: SA.OverdueKinds, value: overdue.length ? [...new Set(overdue.map((d) => d.kind))].sort() : null },
    { key: SA.OpenComplaint, value: context.complaints.some((c) => !c.resolvedAt) },
    { key: SA.SafeguardingOpen, value: context.safeguarding.some((s) => !s.closedAt) },
    { key: SA.LastEventAt, value: extra.lastEventAt ? new Date(extra.lastEventAt) : null },
    {
      key: SA.StageStuckAfterEpoch,
      value: stageStuckAfter !== undefined ? epochSeconds(stageStuckAfter) : null,
    },
    { key: SA.WaitingOn, value: closed ? null : (waiting?.party ?? null) },
    {
      key: SA.WaitingStuckAfterEpoch,
      value: !closed && waitingStuckAfter !== undefined ? epochSeconds(waitingStuckAfter) : null,
    },
    { key: SA.TechnicalIssue, value: extra.technicalIssue ?? null },
  ] as SearchAttributeUpdatePair[];
}

/** Only the pairs whose value differs from what was last upserted (each upsert is a billed action). */
export function changedPairs(
  pairs: SearchAttributeUpdatePair[],
  last: Map<string, string>,
): SearchAttributeUpdatePair[] {
  const changed: SearchAttributeUpdatePair[] = [];
  for (const pair of pairs) {
    const value = JSON.stringify(pair.value);
    if (last.get(pair.key.name) === value) continue;
    // An attribute never set need not be unset.
    if (pair.value === null && !last.has(pair.key.name)) continue;
    last.set(pair.key.name, value);
    changed.push(pair);
  }
  return changed;
}

/**
 * What the run already has, from its own search attributes (`workflowInfo().typedSearchAttributes`),
 * in the form `changedPairs` compares. A run that continued as new starts with its predecessor's
 * attributes (Temporal copies them over), so it need upsert only what has changed since, not
 * everything again (patched 'search-attributes-seeded-from-run').
 */
export function upsertedFrom(current: TypedSearchAttributes): Map<string, string> {
  const seeded = new Map<string, string>();
  for (const key of SA.journeySearchAttributes) {
    const value = current.get(key);
    if (value === undefined || value === null) continue;
    seeded.set(key.name, JSON.stringify(value));
  }
  return seeded;
}
