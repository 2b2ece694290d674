/**
 * R-IMP-1 helpers: a journey that lived through its events, its timers fired as the workflow fires
 * them, and the JOURNEY_IMPORTED event a case system would send for the same person at a moment —
 * built from the lived journey's own record, as an export from another system would carry it.
 */
import { transition } from 'xstate';
import { checkEvent } from '../../machines/checkEvent';
import { calendarOf, firesAt, isOpen, nextDeadlineToFire } from '../../machines/deadlines';
import type { EventOf, JourneyEvent } from '../../machines/events';
import { planUsesDirectPayment } from '../../machines/journeyContext';
import { journeyMachine } from '../../machines/journeyMachine';
import { ev, system } from '../support/journeyEvents';
import { parsed, type Snapshot } from './journeyHarness';

export const integration = { userId: 'migration.team', role: 'integration' as const };

/** The journey's timers up to `until`: every deadline that fires by then is reached, in order. */
export function reachClocks(snapshot: Snapshot, until: string): Snapshot {
  let current = snapshot;
  for (;;) {
    const next = nextDeadlineToFire(current.context);
    if (!next || Date.parse(firesAt(next)) > Date.parse(until)) return current;
    const reached = ev('DEADLINE_REACHED', firesAt(next), { deadlineId: next.id }, { actor: system });
    current = transition(journeyMachine, current, parsed(reached))[0];
  }
}

/** The event sent at its time after the timers due before it, if the journey allows it. */
export function sendIfAllowed(snapshot: Snapshot, event: JourneyEvent): Snapshot | undefined {
  const before = reachClocks(snapshot, event.occurredAt);
  if (!checkEvent(before, event).allowed) return undefined;
  return transition(journeyMachine, before, parsed(event))[0];
}

/**
 * The person as a case system would export them at `at`, from the lived journey's record: the
 * stage's facts, the last review (its form, and the face-to-face one before it where it was not),
 * the last monitoring check since it, and whether the informal review is still to be held.
 * `nextReviewOn` is the agreed date where the lived review stated one (or indicators that decided
 * it); left empty otherwise, the import works out the interval itself.
 */
export function importedAt(
  lived: Snapshot,
  at: string,
  options: { nextReviewStated: boolean; row?: number },
): EventOf<'JOURNEY_IMPORTED'> {
  const { context } = lived;
  const calendar = calendarOf(context);
  const day = (instant: string) => calendar.londonDateOf(instant);
  if (!context.activatedAt || context.personalBudget === undefined || !context.plan)
    throw new Error('importedAt: the lived journey has no live services');
  const lastReview = context.reviews.at(-1);
  const checksMade = context.deadlines
    .filter((d) => d.kind === 'monitoringCheck' && (d.status === 'met' || d.status === 'metLate'))
    .map((d) => d.closedAt as string)
    .filter((t) => lastReview !== undefined && Date.parse(t) >= Date.parse(lastReview.at))
    .sort();
  const lastFaceToFace =
    lastReview && lastReview.reviewType !== 'formal'
      ? context.reviews.filter((r) => r.reviewType === 'formal' && r.at < lastReview.at).at(-1)
      : undefined;
  const directPayment = planUsesDirectPayment(context.plan);
  const nextReviewOn = lastReview
    ? options.nextReviewStated
      ? lastReview.nextReviewOn
      : undefined
    : context.firstReviewAgreedFor;
  return parsed(
    ev(
      'JOURNEY_IMPORTED',
      at,
      {
        source: { file: 'lived.csv', row: options.row ?? 2, system: 'the lived journey' },
        stage: 'liveSupport',
        subject: context.subject,
        ...(context.stageEnteredAt ? { stageSince: day(context.stageEnteredAt) } : {}),
        ...(context.team ? { team: context.team } : {}),
        ...(context.allocatedWorker ? { workerId: context.allocatedWorker } : {}),
        personalBudget: context.personalBudget,
        budgetManagement: context.plan.budgetManagement,
        servicesStartedOn: day(context.activatedAt),
        ...(directPayment
          ? {
              directPaymentAgreement: context.directPayment.agreementSignedOn
                ? { status: 'signed' as const, signedOn: context.directPayment.agreementSignedOn }
                : { status: 'awaited' as const },
            }
          : {}),
        ...(directPayment && context.directPayment.introducedAt
          ? { directPaymentStartedOn: day(context.directPayment.introducedAt) }
          : {}),
        ...(lastReview
          ? {
              lastReview: {
                on: day(lastReview.at),
                reviewType: lastReview.reviewType as 'formal' | 'lightTouch' | 'telephone',
              },
            }
          : {}),
        ...(nextReviewOn ? { nextReviewOn } : {}),
        informalReview72h: context.deadlines.some((d) => d.kind === 'informalReview' && isOpen(d)),
        ...(checksMade.length ? { lastMonitoringCheckOn: day(checksMade.at(-1) as string) } : {}),
        ...(lastFaceToFace ? { lastFaceToFaceReviewOn: day(lastFaceToFace.at) } : {}),
        complaints: [],
        safeguarding: [],
      },
      { actor: integration, eventId: `import-lived-${options.row ?? 2}` },
    ),
  ) as EventOf<'JOURNEY_IMPORTED'>;
}
