import { englandAndWalesCalendar } from '../../machines/calendar';
import type { Actor, JourneyEvent, JourneyEventType, Plan } from '../../machines/events';

/**
 * Builders for well-formed journey events, shared by the machine, workflow, API and benchmark
 * code. Each builder takes the payload fields that matter and fills in the envelope.
 */

export const practitioner: Actor = { userId: 'worker.ann', role: 'practitioner' };
export const manager: Actor = { userId: 'manager.bob', role: 'manager' };
export const system: Actor = { userId: 'care-journeys', role: 'system' };

let counter = 0;
type Payload<T extends JourneyEventType> = Omit<
  Extract<JourneyEvent, { type: T }>,
  'type' | 'eventId' | 'occurredAt' | 'actor'
>;

export function ev<T extends JourneyEventType>(
  type: T,
  occurredAt: string,
  payload: Payload<T>,
  options: { actor?: Actor; eventId?: string } = {},
): Extract<JourneyEvent, { type: T }> {
  return {
    type,
    eventId: options.eventId ?? `${type.toLowerCase()}-${++counter}`,
    occurredAt,
    actor: options.actor ?? practitioner,
    ...payload,
  } as Extract<JourneyEvent, { type: T }>;
}

/** R-EMG-3: emergency services set up with the manager's approval and the case notes done. */
export function interimSupportStarted(occurredAt: string, services: string[] = ['emergency home care']) {
  return ev('INTERIM_SUPPORT_STARTED', occurredAt, {
    services,
    managerApproval: { managerId: manager.userId },
    caseNotesCompleted: true,
  });
}

/**
 * A plan with every R-PLN-3 element of every council's checklist (Lancashire's too), recording the
 * direct payment offer and an answer that agrees with how the budget is managed (R-PLN-2).
 */
export function completePlan(overrides: Partial<Plan> = {}): Plan {
  const budgetManagement = overrides.budgetManagement ?? ['councilManaged'];
  return {
    directPaymentOffer: { answer: budgetManagement.includes('directPayment') ? 'accepted' : 'declined' },
    contingencyContacts: [{ name: 'Daughter (Jane)', telephone: '01629 000111' }],
    budgetApportionment: 'All of it on the agency: 7 hours a week at £25.71 an hour',
    chargingPolicyDiscussed: true,
    needsAndOutcomes: 'Personal care each morning; to keep going to the day centre',
    eligibleNeeds: ['personal care', 'social participation'],
    ineligibleNeeds: ['gardening'],
    informationAndAdvice: 'Falls prevention advice; local befriending service',
    ownResourcesAndNetwork: 'Daughter helps with shopping',
    councilWillMeet: 'Home care 7 hours a week through an agency',
    personalBudget: 9360,
    budgetManagement: ['councilManaged'],
    risks: 'Falls risk managed with a pendant alarm',
    contingencyPlan: 'Agency covers absence; daughter as back-up',
    stayingInControl: 'Chooses the visit times and the agency',
    optionsConsidered: [
      { option: 'Home care', chosen: true, reason: 'Keeps her at home' },
      { option: 'Residential care', chosen: false, reason: 'Needs can be met at home' },
    ],
    ...overrides,
  };
}

type Purchases = NonNullable<Plan['directPayment']>['purchases'];

/** A complete plan met through a direct payment of £180 a week, with these purchases. */
export function directPaymentPlan(
  purchases: Purchases = [{ description: 'Personal assistant', category: 'personalAssistant' }],
): Plan {
  return completePlan({
    budgetManagement: ['directPayment'],
    directPayment: { needsMet: ['personal care'], amount: 180, frequency: 'weekly', purchases },
  });
}

export const noIndicators = {
  serviceOnlyFewMonthsOld: false,
  needsLikelyToChange: false,
  newProviderWithoutTrackRecord: false,
  severalProvidersToCoordinate: false,
};

/**
 * R-REV-13: the person and their daughter told of the review three weeks ahead (at least the
 * profiles' ten working days, whatever bank holidays fall between), advocacy considered.
 */
export function reviewNotice(occurredAt: string, daysAhead = 21): Payload<'REVIEW_COMPLETED'>['notice'] {
  const toldOn = new Date(Date.parse(occurredAt) - daysAhead * 86_400_000).toISOString().slice(0, 10);
  return { toldOn, told: ['the person', 'her daughter'], advocacyConsidered: true };
}

/** A formal review that re-determines eligibility and the contingency plan (R-REV-8), no change unless said. */
export function reviewWith(occurredAt: string, overrides: Partial<Payload<'REVIEW_COMPLETED'>> = {}) {
  return ev('REVIEW_COMPLETED', occurredAt, {
    reviewType: 'formal',
    outcome: 'noChange',
    eligibilityRedetermined: true,
    contingencyPlanReviewed: true,
    indicators: noIndicators,
    notice: reviewNotice(occurredAt),
    ...overrides,
  });
}

/** `reviewWith` for the common case: an outcome and the R-REV-5 indicators. */
export function review(
  occurredAt: string,
  outcome: Payload<'REVIEW_COMPLETED'>['outcome'] = 'noChange',
  indicators: Payload<'REVIEW_COMPLETED'>['indicators'] = noIndicators,
) {
  return reviewWith(occurredAt, { outcome, indicators });
}

/**
 * R-END-3 (edition 5): a surplus recovered after a discussion with the person the day before, the
 * amount all of it surplus to needs.
 */
export function surplusRecovered(
  occurredAt: string,
  amount: number,
  overrides: Partial<Payload<'SURPLUS_RECOVERED'>> = {},
) {
  const dayBefore = new Date(Date.parse(occurredAt) - 86_400_000).toISOString().slice(0, 10);
  return ev('SURPLUS_RECOVERED', occurredAt, {
    amount,
    discussedWithPersonOn: dayBefore,
    balance: [{ purpose: 'surplusToNeeds', amount }],
    ...overrides,
  });
}

export function referral(
  occurredAt: string,
  referralId = `ref-${++counter}`,
  overrides: Partial<Payload<'REFERRAL_RECEIVED'>> = {},
) {
  return ev(
    'REFERRAL_RECEIVED',
    occurredAt,
    {
      referralId,
      receivedDate: occurredAt.slice(0, 10),
      source: 'gp',
      urgency: 'routine',
      summary: 'Struggling with personal care after a fall',
      subject: 'person',
      ...overrides,
    },
    { actor: { userId: 'cms', role: 'integration' } },
  );
}

/**
 * The road's INDICATIVE_BUDGET_CALCULATED is what the journey's own RAS activity produces once the
 * assessment is complete. A driver on a running journey waits for that (`hasIndicativeBudget`)
 * instead of sending it, or whichever came second would be refused.
 */
export const isRasResult = (event: JourneyEvent): boolean =>
  event.type === 'INDICATIVE_BUDGET_CALCULATED' && event.actor.role === 'system';

/** The journey has its indicative budget once sharing it is allowed. */
export const hasIndicativeBudget = (view: { allowedEvents: string[] }): boolean =>
  view.allowedEvents.includes('INDICATIVE_BUDGET_SHARED');

/**
 * The ordinary road from referral to services starting, one event a day from `start`, with a
 * council-managed budget of £9,360 (below the Derbyshire delegation limit).
 */
export function pathToActivation(start: string, opts: { directPayment?: boolean } = {}): JourneyEvent[] {
  const day = (n: number) => new Date(Date.parse(start) + n * 86_400_000).toISOString();
  const plan = opts.directPayment ? directPaymentPlan() : completePlan();
  const events: JourneyEvent[] = [
    referral(day(0)),
    ev('UNIVERSAL_OFFER_GIVEN', day(0), {
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('WORKER_ALLOCATED', day(0), { team: 'north', workerId: 'worker.ann' }),
    ev('TRIAGED', day(1), { route: 'assessment', reason: 'Needs a care and support assessment' }),
    ev('ASSESSMENT_STARTED', day(2), {}),
    ev('CONSENT_RECORDED', day(2), { consentGiven: true }),
    ev('ORDINARY_RESIDENCE_ESTABLISHED', day(2), { council: 'Derbyshire' }),
    ev('ASSESSMENT_COMPLETED', day(3), {
      presentingNeeds: ['help washing and dressing'],
      eligibleNeeds: [
        { need: 'personal care', points: 60 },
        { need: 'social participation', points: 18 },
      ],
      ineligibleNeeds: ['gardening'],
      unmetEligibleNeeds: [
        { need: 'personal care', points: 60 },
        { need: 'social participation', points: 18 },
      ],
      outcomes: ['stay living at home'],
      informalSupport: 'none',
      equipmentConsidered: true,
    }),
    ev(
      'INDICATIVE_BUDGET_CALCULATED',
      day(3),
      { amount: 9360, basis: '78 points × £120' },
      { actor: system },
    ),
    ev('INDICATIVE_BUDGET_SHARED', day(4), { sharedWith: ['person'], method: 'letter' }),
    ev('PLANNING_STARTED', day(5), { preparedBy: 'worker' }),
    ev('PLAN_SUBMITTED', day(6), { plan }),
    ev('PLAN_SIGNED_OFF', day(7), {
      finalBudget: 9360,
      costing: { reasonableCost: 9360, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
      agreedBy: { person: true, workerId: 'worker.ann' },
      copyTo: [],
      accessibleFormat: 'large print',
    }),
  ];
  if (opts.directPayment)
    events.push(ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', day(8), { signedOn: day(8).slice(0, 10) }));
  // R-ACT-2: the first review agreed for 6 weeks after the (London) date services start
  const calendar = englandAndWalesCalendar();
  const firstReviewAgreedFor = calendar.addCalendarWeeks(calendar.londonDateOf(day(9)), 6);
  events.push(ev('SERVICES_ACTIVATED', day(9), { firstReviewAgreedFor }));
  return events;
}
