import { carerWait } from './concerns/endingAndPayments';
import { byDue, isOpen } from './deadlines';
import { eventsNow, type JourneySnapshot } from './acceptance';
import type { JourneyEvent } from './events';
import { planUsesDirectPayment, type JourneyContext } from './journeyContext';
import { dueFirst, nextSteps } from './nextStep';
import { stageInWords, stageOf, stepOf } from './stages';
import type { Deadline, IndicativeBudgetView, JourneyOutline, JourneyView, TimelineEntry } from './types';

const stepWords: Record<string, string> = {
  'interimSupport.settingUp': 'interim services being set up',
  'interimSupport.inPlace': 'interim services in place; formal assessment to begin',
  'assessment.notStarted': 'assessment not yet started',
  'assessment.inProgress': 'assessment in progress',
  'assessment.paused': 'assessment paused (fluctuating needs)',
  'indicativeBudget.calculating': 'waiting for the Resource Allocation System',
  'indicativeBudget.calculated': 'indicative budget worked out; to be shared with the person',
  'indicativeBudget.shared': 'indicative budget shared; planning can start',
  'endingServices.awaitingLetter': 'reassessment copy and end letter to send',
  'endingServices.noticeGiven': 'end letter posted; services end on the end date',
};

/** Who or what the journey is waiting on, outside the council's own staff. */
export function waitingOn(snapshot: JourneySnapshot): JourneyView['waitingOn'] {
  const { context } = snapshot;
  if (snapshot.status !== 'active') return undefined;
  const stage = stageOf(snapshot);
  if (context.advocacy.required && !context.advocacy.advocateId && context.advocacy.requiredSince) {
    return { party: 'advocate', since: context.advocacy.requiredSince };
  }
  if (
    (stage === 'setUp' || stage === 'liveSupport') &&
    planUsesDirectPayment(context.plan) &&
    !context.directPayment.agreementSignedOn
  ) {
    // R-ACT-1: a direct payment brought in at a review waits from that review, not from the
    // first activation (which would make it overdue the day it starts).
    return {
      party: 'directPaymentAgreement',
      since: context.directPayment.introducedAt ?? context.stageEnteredAt ?? '',
    };
  }
  if (stage === 'indicativeBudget' && stepOf(snapshot) === 'calculating') {
    return { party: 'resourceAllocationSystem', since: context.stageEnteredAt ?? '' };
  }
  // R-CAR-1 (edition 5): a carer identified and not yet offered an assessment, with the profile's limit.
  return carerWait(context);
}

function deadlineOrder(a: Deadline, b: Deadline): number {
  const open = Number(isOpen(b)) - Number(isOpen(a));
  return open !== 0 ? open : byDue(a, b);
}

/** R-IB-3: the indicative budget as the person is told it: amount, basis, when worked out. */
export function indicativeBudgetView(
  context: Pick<JourneyContext, 'indicativeBudget'>,
): IndicativeBudgetView | undefined {
  const budget = context.indicativeBudget;
  if (!budget) return undefined;
  return {
    amount: budget.amount,
    basis: budget.basis,
    calculatedAt: budget.calculatedAt,
    ...(budget.sharedAt ? { sharedAt: budget.sharedAt } : {}),
    ...(budget.override
      ? {
          overridden: {
            by: budget.override.by.userId,
            reason: budget.override.reason,
            ...(budget.override.replacedAmount !== undefined
              ? { replacedAmount: budget.override.replacedAmount }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * The figure a timeline entry of INDICATIVE_BUDGET_CALCULATED / _OVERRIDDEN records (issue 11):
 * the budget as the event left it, so the timeline and the case record show the amount.
 */
export function timelineBudget(
  event: Pick<JourneyEvent, 'type'>,
  after: Pick<JourneyContext, 'indicativeBudget'>,
): Pick<TimelineEntry, 'budget'> {
  const budget = after.indicativeBudget;
  if (
    !budget ||
    (event.type !== 'INDICATIVE_BUDGET_CALCULATED' && event.type !== 'INDICATIVE_BUDGET_OVERRIDDEN')
  )
    return {};
  return { budget: { amount: budget.amount, basis: budget.basis, calculatedAt: budget.calculatedAt } };
}

/** The journey without the reasons for what is not allowed (see JourneyOutline). */
export function outlineJourney(snapshot: JourneySnapshot): JourneyOutline {
  const { notAllowedNow, ...outline } = describeJourney(snapshot);
  void notAllowedNow;
  return outline;
}

/** A journey as people read it: where it is, what is due, and what can happen next. */
export function describeJourney(snapshot: JourneySnapshot): JourneyView {
  const { context } = snapshot;
  const stage = stageOf(snapshot);
  const step = stepOf(snapshot);
  const words = stageInWords(stage);
  const { allowed, notAllowed } = eventsNow(snapshot);
  const waiting = waitingOn(snapshot);
  const steps = nextSteps(snapshot, { allowedEvents: allowed, notAllowedNow: notAllowed }, waiting);
  const value = snapshot.value as { open?: Record<string, unknown> };
  const advocacy = value.open?.advocacy;
  return {
    personId: context.personId,
    subject: context.subject,
    council: context.profile.council,
    stage,
    stageInWords:
      step && stepWords[`${stage}.${step}`] ? `${words}: ${stepWords[`${stage}.${step}`]}` : words,
    stageEnteredAt: context.stageEnteredAt,
    closed: snapshot.status !== 'active',
    closure: context.closure && {
      ...context.closure,
      ...(context.dateOfDeath ? { dateOfDeath: context.dateOfDeath } : {}),
    },
    team: context.team,
    allocatedWorker: context.allocatedWorker,
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
    waitingOn: waiting,
    deadlines: [...context.deadlines].sort(deadlineOrder),
    indicativeBudget: indicativeBudgetView(context),
    nextSteps: steps,
    allowedEvents: dueFirst(allowed, steps),
    notAllowedNow: notAllowed,
  };
}
