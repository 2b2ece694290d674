import type { CaseState } from '../activities/caseRecord';
import { stageOf, type JourneySnapshot } from '../machines';
import { isOpen } from '../machines/deadlines';
import { waitingOn } from '../machines/describeJourney';
import { stepOf } from '../machines/stages';
import { stageLimitDays } from '../machines/stuckLimits';
import type { Deadline } from '../machines/types';

const DAY_MS = 86_400_000;

/**
 * The journey after an applied event, for the case-event store's current-state row (issue 12).
 * Pure and cheap (it runs on every event): not the describe view, which judges every event type.
 * Deadlines: the open ones, and any the event changed, so the entry stays small however many
 * deadlines a journey has had over the years. The stuck thresholds are those the search
 * attributes carry (workflows/searchAttributeValues.ts).
 */
export function caseStateOf(
  before: JourneySnapshot,
  after: JourneySnapshot,
  order: { runNumber: number; eventsApplied: number; lastEventAt: string | undefined },
): CaseState {
  const { context } = after;
  const closed = after.status !== 'active';
  const waiting = closed ? undefined : waitingOn(after);
  const limitDays = stageLimitDays(after);
  const waitingLimitDays = waiting && context.profile.stuckAfterDays.waitingOn[waiting.party];
  const previous = new Map(before.context.deadlines.map((d) => [d.id, JSON.stringify(d)]));
  const deadlines = context.deadlines.filter(
    (d: Deadline) => isOpen(d) || previous.get(d.id) !== JSON.stringify(d),
  );
  const advocacy = (after.value as { open?: { advocacy?: unknown } }).open?.advocacy;
  // An unparseable instant gives no threshold, never an exception inside the workflow.
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
  const step = stepOf(after);
  return {
    ...(context.journeyNumber !== undefined && context.journeyNumber > 1
      ? { journeyNumber: context.journeyNumber }
      : {}),
    runNumber: order.runNumber,
    eventsApplied: order.eventsApplied,
    subject: context.subject,
    council: context.profile.council,
    stage: stageOf(after),
    ...(step ? { step } : {}),
    ...(context.stageEnteredAt ? { stageEnteredAt: context.stageEnteredAt } : {}),
    ...(context.team ? { team: context.team } : {}),
    ...(context.allocatedWorker ? { worker: context.allocatedWorker } : {}),
    closed,
    ...(context.closure
      ? {
          closure: {
            ...context.closure,
            ...(context.dateOfDeath ? { dateOfDeath: context.dateOfDeath } : {}),
          },
        }
      : {}),
    concerns: {
      openComplaints: context.complaints.filter((c) => !c.resolvedAt).length,
      safeguardingOpen: context.safeguarding.some((s) => !s.closedAt),
      inHospital: !!context.hospital,
      advocacy:
        advocacy === 'required'
          ? 'required'
          : advocacy === 'arranged' || context.advocacy.advocateId
            ? 'arranged'
            : 'notNeeded',
    },
    ...(waiting ? { waitingOn: waiting } : {}),
    ...defined(
      'stageStuckAfter',
      limitDays && context.stageEnteredAt
        ? iso(Date.parse(context.stageEnteredAt) + limitDays * DAY_MS)
        : undefined,
    ),
    ...defined(
      'waitingStuckAfter',
      waiting && waitingLimitDays ? iso(Date.parse(waiting.since) + waitingLimitDays * DAY_MS) : undefined,
    ),
    ...(order.lastEventAt ? { lastEventAt: order.lastEventAt } : {}),
    deadlines,
  };
}

/** `{ [key]: value }`, or nothing when the value is undefined (so JSON and comparisons agree). */
function defined<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
