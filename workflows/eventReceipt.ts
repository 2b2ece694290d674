import { carerWait } from '../machines/concerns/endingAndPayments';
import { isOpen } from '../machines/deadlines';
import { waitingOn } from '../machines/describeJourney';
import type { JourneySnapshot } from '../machines';
import { eventEndingWait, eventMeetingDeadline } from '../machines/nextStep';
import { stageOf } from '../machines/stages';
import { stageLimitDays } from '../machines/stuckLimits';
import type { DeadlineKind } from '../machines/types';

/**
 * What an accepted event answers (patched 'national-scale-costs'): what the caller needs to go on,
 * not the journey's whole outline. An Update's result is encoded, encrypted and kept in the
 * journey's history with every event for as long as the run is open (up to two years of active
 * storage on Temporal Cloud), so it is kept under 1 KB: the outline (8.7 KB for a journey in live
 * support) is the describe query's to give, or the case-event store's.
 */
export interface EventReceipt {
  status: 'applied' | 'duplicate';
  eventId: string;
  /** the journey's version after the event: which of the person's journeys, its run, the events that run applied */
  version: { journeyNumber: number; runNumber: number; eventsApplied: number };
  /** where the journey is now (stage, or stage.step) */
  stage: string;
  /** applied: where it was before this event ('awaitingReferral': the event opened the journey) */
  from?: string;
  closed: boolean;
  /** what must happen next, soonest due first, at most RECEIPT_STEPS of them */
  nextSteps: BriefStep[];
  /** how many more next steps there are (the describe query lists them all) */
  moreSteps?: number;
}

/** A next step in brief: why, the event that would meet it where that is fixed, and by when. */
export interface BriefStep {
  because: 'deadline' | 'stageLimit' | 'waiting';
  /** deadline: its kind */
  kind?: DeadlineKind;
  /** waiting: on whom */
  party?: string;
  /** the event that meets it (a stage's limit: the describe query says which event moves it on) */
  event?: string;
  dueBy: string;
  /** deadline: it has fallen overdue */
  overdue?: true;
}

export const RECEIPT_STEPS = 3;
/** The bound the tests hold every receipt to, in bytes of JSON. */
export const RECEIPT_MAX_BYTES = 1_024;

const DAY_MS = 86_400_000;

/**
 * The journey's next steps in brief, from its snapshot alone: open obligations, the stage's limit,
 * a wait on someone outside. Cheap (no event judged), unlike the outline's next steps, which say
 * for each whether the machine allows its event now.
 */
export function briefNextSteps(snapshot: JourneySnapshot): BriefStep[] {
  if (snapshot.status !== 'active') return [];
  const { context } = snapshot;
  const steps: BriefStep[] = [];
  for (const d of context.deadlines) {
    const event = eventMeetingDeadline[d.kind];
    if (!isOpen(d) || d.effect !== 'obligation' || !event) continue;
    steps.push({
      because: 'deadline',
      kind: d.kind,
      event,
      dueBy: d.dueAt,
      ...(d.status === 'overdue' ? { overdue: true as const } : {}),
    });
  }
  const days = stageLimitDays(snapshot);
  const since = context.stageEnteredAt;
  if (days !== undefined && since && Number.isFinite(Date.parse(since))) {
    steps.push({ because: 'stageLimit', dueBy: new Date(Date.parse(since) + days * DAY_MS).toISOString() });
  }
  const waiting = waitingOn(snapshot);
  const carer = carerWait(context);
  for (const wait of [waiting, waiting?.party === carer?.party ? undefined : carer]) {
    if (!wait?.since || !Number.isFinite(Date.parse(wait.since))) continue;
    const event = eventEndingWait[wait.party];
    const limit = context.profile.stuckAfterDays.waitingOn[wait.party];
    if (!event || limit === undefined) continue;
    steps.push({
      because: 'waiting',
      party: wait.party,
      event,
      dueBy: new Date(Date.parse(wait.since) + limit * DAY_MS).toISOString(),
    });
  }
  return steps.sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy));
}

export function receiptOf(
  snapshot: JourneySnapshot,
  answer: {
    status: EventReceipt['status'];
    eventId: string;
    from?: string;
    stage: string;
    version: EventReceipt['version'];
  },
): EventReceipt {
  const steps = briefNextSteps(snapshot);
  return {
    status: answer.status,
    eventId: answer.eventId,
    version: answer.version,
    stage: answer.stage || stageOf(snapshot),
    ...(answer.from !== undefined ? { from: answer.from } : {}),
    closed: snapshot.status !== 'active',
    nextSteps: steps.slice(0, RECEIPT_STEPS),
    ...(steps.length > RECEIPT_STEPS ? { moreSteps: steps.length - RECEIPT_STEPS } : {}),
  };
}
