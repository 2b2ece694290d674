import { and, assertEvent, assign, emit, enqueueActions, not, setup } from 'xstate';
import {
  calendarOf,
  cancelDeadlines,
  directPaymentAgreementEnd,
  emergencyAssessmentStart,
  equipmentConfirmation,
  fundingAfterMove,
  isOpen,
  meetDeadlines,
  meetEarliest,
  nextReviewCycle,
  reachDeadline,
  reassessmentDue,
  reviewsAfterActivation,
  servicesEnd,
  unscheduledReview,
  withDeadlines,
} from './deadlines';
import {
  appealDecisionLetterData,
  arrangeTemporarySupport,
  cancelVariationsOnEnd,
  decideAppeal,
  endTemporarySupport,
  flagDirectPaymentVariation,
  metByReview,
  raiseAppeal,
} from './appealsAndMonitoring';
import type { InstructPayments, JourneyEffect, LetterRecipient } from './effects';
import type { EventOf, JourneyEvent } from './events';
import {
  directPaymentArrangement,
  effectivePostingDate,
  interimChoiceClock,
  interimInPlace,
  interimServicesStopped,
  journeyEndRecord,
  recordServicesArranged,
  repeatReferralReview,
  resolveServicesClock,
  surplusDecisionLetter,
  suspensionRecord,
} from './concerns/endingAndPayments';
import {
  initialContext,
  planUsesDirectPayment,
  rulesEdition,
  type JourneyContext,
  type JourneyInput,
} from './journeyContext';
import { importedContext, importTarget, importTargets } from './journeyImport';
import {
  earliestServiceEndDate,
  introducesDirectPayment,
  maxReviewIntervalMonths,
  refusalsFor,
} from './rules';
import type { DeadlineKind } from './types';

/**
 * One person's journey through self-directed support (JOURNEY.md), as a single XState v5 machine.
 *
 * The main stage runs alongside four independent concerns (complaints, safeguarding, hospital
 * stays, advocacy). Every transition is guarded by `rulesMet`, which asks the rule book
 * (rules.ts), so a refused event changes nothing and `checkEvent` can say why. Deadlines are
 * written into context as absolute instants (deadlines.ts); the machine never uses `after`.
 */

// A review meets an equipment confirmation too (R-REV-14): it asks more of the same visit.
const reviewKinds: DeadlineKind[] = [
  'firstReview',
  'annualReview',
  'unscheduledReview',
  'equipmentConfirmation',
];
/** The review cycle a new one replaces (R-REV-12: one running review clock, never none). */
const reviewCycleKinds: DeadlineKind[] = ['annualReview', 'monitoringCheck'];

const edition2 = (context: JourneyContext) => rulesEdition(context, 2);

/** An instruction to the payment arrangements, keyed by the event that caused it. */
function paymentInstruction(
  context: JourneyContext,
  event: JourneyEvent,
  instruction: InstructPayments['instruction'],
  reason: string,
  ruleId: string,
): InstructPayments {
  const calendar = calendarOf(context);
  const effectiveOn =
    event.type === 'PERSON_DIED'
      ? event.dateOfDeath
      : event.type === 'HOSPITAL_DISCHARGED'
        ? event.dischargedOn
        : calendar.londonDateOf(event.occurredAt);
  return {
    type: 'instructPayments',
    requestId: `${context.personId}:${event.eventId}:${instruction}Payments`,
    personId: context.personId,
    instruction,
    reason,
    ruleId,
    effectiveOn,
    ...(event.type === 'SURPLUS_RECOVERED' ? { amount: event.amount } : {}),
    ...interimServicesStopped(context, instruction),
  };
}

/** The person's name, address and formats as a referral gave them (letters are addressed with them). */
function referralPerson(event: EventOf<'REFERRAL_RECEIVED'>): LetterRecipient | undefined {
  if (!event.name) return undefined;
  return {
    name: event.name,
    address: event.address ?? [],
    ...(event.postcode ? { postcode: event.postcode.toUpperCase() } : {}),
    ...(event.accessibleFormats?.length ? { accessibleFormats: event.accessibleFormats } : {}),
  };
}

/**
 * Edition 4 (issue 11): every letter is addressed to the person by name and address, from the
 * latest referral that gave them (activities/personDetails.ts reads it; a council's port may not).
 */
function addressedTo(context: JourneyContext): { person?: LetterRecipient } {
  if (!rulesEdition(context, 4)) return {};
  const person = [...context.referrals].reverse().find((r) => r.person)?.person;
  return person ? { person } : {};
}

/** Who the person contacts about a letter: their worker, else their team, else the duty team. */
const contactPointOf = (context: JourneyContext): string =>
  context.allocatedWorker ?? (context.team ? `team ${context.team}` : 'the adult social care duty team');

/** R-END-5: the end letter goes to the person and/or their representative. */
function serviceEndLetterRecipients(
  context: JourneyContext,
  event: EventOf<'SERVICE_END_LETTER_POSTED'>,
): string[] {
  return [...new Set([context.personId, ...(event.representative ? [event.representative] : [])])];
}

/** Someone is being paid for this person: live services, or interim support in place. */
const somethingIsPaid = (context: JourneyContext) =>
  context.activatedAt !== undefined ||
  (context.interimSupport !== undefined && context.interimSupport.endedAt === undefined);

/** R-REV-10: the person, their carer and providers where involved. */
function reviewLetterRecipients(context: JourneyContext): string[] {
  return [
    ...new Set([
      context.personId,
      ...(context.carer ? [context.carer.carerId] : []),
      ...context.providers.map((p) => p.providerId),
      ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
    ]),
  ];
}

/** The plan a review revised, where it revised one. */
const revisedPlanOf = (event: EventOf<'REVIEW_COMPLETED'>) =>
  event.outcome === 'planRevised' ? event.revisedPlan : undefined;

/** R-REV-3 / R-REV-5: the next review on the date agreed, else at the longest interval the rules allow. */
function nextReviewDate(
  context: JourneyContext,
  event: EventOf<'REVIEW_COMPLETED'>,
  revisedPlan?: EventOf<'REVIEW_COMPLETED'>['revisedPlan'],
): string {
  const calendar = calendarOf(context);
  return (
    event.nextReviewOn ??
    calendar.addCalendarMonths(
      calendar.londonDateOf(event.occurredAt),
      maxReviewIntervalMonths(context, event.indicators, event.occurredAt, revisedPlan),
    )
  );
}

/** What the journey keeps of a review held (R-REV-8), with who was told of it and when (R-REV-13). */
const reviewRecord = (event: EventOf<'REVIEW_COMPLETED'>, nextReviewOn: string) => ({
  at: event.occurredAt,
  outcome: event.outcome,
  reviewType: event.reviewType,
  nextReviewOn,
  ...(event.notice ? { notice: { toldOn: event.notice.toldOn, told: event.notice.told } } : {}),
});

/**
 * R-REV-6 (edition 5): "at any time" means while any service is live — during a reassessment, a
 * notice period, and the funded weeks after a move too: a request or concern is taken and clocked,
 * a safeguarding concern or a discharge with changed needs that calls for a review starts one, and
 * a review held then is recorded (recordReviewWhileChanging).
 */
const reviewsWhileServicesChange = {
  UNSCHEDULED_REVIEW_REQUESTED: { guard: and(['rulesMet', 'edition5']), actions: 'requestUnscheduledReview' },
  SAFEGUARDING_CONCERN_RAISED: {
    guard: and([
      'rulesMet',
      'edition5',
      ({ event }: { event: JourneyEvent }) =>
        event.type === 'SAFEGUARDING_CONCERN_RAISED' && event.triggersUnscheduledReview,
    ]),
    actions: 'requestUnscheduledReview',
  },
  HOSPITAL_DISCHARGED: {
    guard: and([
      'rulesMet',
      'edition5',
      ({ event }: { event: JourneyEvent }) => event.type === 'HOSPITAL_DISCHARGED' && event.needsChanged,
    ]),
    actions: 'requestUnscheduledReview',
  },
  REVIEW_COMPLETED: { guard: and(['rulesMet', 'edition5']), actions: 'recordReviewWhileChanging' },
  MONITORING_CHECK_COMPLETED: { guard: and(['rulesMet', 'edition5']), actions: 'completeMonitoringCheck' },
  INFORMAL_REVIEW_COMPLETED: { guard: and(['rulesMet', 'edition5']), actions: 'completeInformalReview' },
  // R-REV-7: a direct payment is reviewed only after its finance team is contacted, in any stage.
  DIRECT_PAYMENT_FINANCE_CONTACTED: { guard: and(['rulesMet', 'edition5']), actions: 'recordFinanceContact' },
} as const;

/** The events a stage with services live takes beside its own road (R-REV-6). */
export const eventsWhileServicesChange: readonly string[] = Object.freeze(
  Object.keys(reviewsWhileServicesChange),
);

export const journeyMachine = setup({
  types: {
    context: {} as JourneyContext,
    events: {} as JourneyEvent,
    input: {} as JourneyInput,
    emitted: {} as JourneyEffect,
  },
  guards: {
    rulesMet: ({ context, event }) => refusalsFor(context, event).length === 0,
    importedTo: ({ event }, params: { to: string }) =>
      event.type === 'JOURNEY_IMPORTED' && importTarget(event).split('.').join(', ') === params.to,
    importsComplaints: ({ event }) => event.type === 'JOURNEY_IMPORTED' && event.complaints.length > 0,
    importsSafeguarding: ({ event }) => event.type === 'JOURNEY_IMPORTED' && event.safeguarding.length > 0,
    importsHospitalStay: ({ event }) => event.type === 'JOURNEY_IMPORTED' && event.hospital !== undefined,
    edition2: ({ context }) => edition2(context),
    edition5: ({ context }) => rulesEdition(context, 5),
    unscheduledReviewOpen: ({ context }) =>
      context.deadlines.some((d) => d.kind === 'unscheduledReview' && isOpen(d)),
    servicesEndReached: ({ context }) =>
      context.deadlines.some((d) => d.kind === 'servicesEnd' && d.status === 'takenEffect'),
    triagedTo: ({ event }, params: { route: string }) =>
      event.type === 'TRIAGED' && event.route === params.route,
    shortTermOutcome: ({ event }, params: { outcome: string }) =>
      event.type === 'SHORT_TERM_SUPPORT_ENDED' && event.outcome === params.outcome,
    noEligibleNeeds: ({ event }) => event.type === 'ASSESSMENT_COMPLETED' && event.eligibleNeeds.length === 0,
    hasUnmetEligibleNeeds: ({ event }) =>
      (event.type === 'ASSESSMENT_COMPLETED' || event.type === 'REASSESSMENT_COMPLETED') &&
      event.unmetEligibleNeeds.length > 0,
    reviewOutcome: ({ event }, params: { outcome: string }) =>
      event.type === 'REVIEW_COMPLETED' && event.outcome === params.outcome,
    reassessmentOutcome: ({ event }, params: { outcome: string }) =>
      event.type === 'REASSESSMENT_COMPLETED' && event.outcome === params.outcome,
    deadlineKind: ({ context, event }, params: { kind: string }) =>
      event.type === 'DEADLINE_REACHED' &&
      context.deadlines.some((d) => d.id === event.deadlineId && d.kind === params.kind),
    advocateNeeded: ({ event }) =>
      event.type === 'INVOLVEMENT_DIFFICULTY_ASSESSED' &&
      event.substantialDifficulty &&
      !event.appropriatePersonAvailable,
    resolvesLastComplaint: ({ context, event }) =>
      event.type === 'COMPLAINT_RESOLVED' &&
      context.complaints.filter((c) => !c.resolvedAt && c.complaintId !== event.complaintId).length === 0,
    closesLastConcern: ({ context, event }) =>
      event.type === 'SAFEGUARDING_CLOSED' &&
      context.safeguarding.filter((s) => !s.closedAt && s.concernId !== event.concernId).length === 0,
  },
  actions: {
    enterStage: assign({
      stageEnteredAt: ({ context, event }) =>
        // Issue 17: an imported journey has been at its stage since the day the case system says.
        event.type === 'JOURNEY_IMPORTED' && event.stageSince
          ? calendarOf(context).startOfLondonDay(event.stageSince)
          : 'occurredAt' in event
            ? event.occurredAt
            : undefined,
    }),
    /** Issue 17: the journey starts mid-way with the imported facts, its clocks set from them. */
    importJourney: assign(({ context, event }) => {
      assertEvent(event, 'JOURNEY_IMPORTED');
      return importedContext(context, event);
    }),
    close: assign({
      closure: ({ event }, params: { reason: string }) => ({
        reason: params.reason,
        at: 'occurredAt' in event ? event.occurredAt : '',
      }),
    }),
    /** The journey closed: nothing is left pending (R-DTH-1, R-EMG-2). */
    stopEverything: assign(({ context, event }) => {
      const at = 'occurredAt' in event ? event.occurredAt : '';
      return {
        ...cancelDeadlines(context, at),
        // R-EMG-2: interim support that already ended (at activation) keeps its end.
        interimSupport: context.interimSupport && {
          ...context.interimSupport,
          endedAt: context.interimSupport.endedAt ?? at,
        },
      };
    }),
    recordReferral: assign({
      referrals: ({ context, event }) => {
        assertEvent(event, 'REFERRAL_RECEIVED');
        const { referralId, receivedDate, source, urgency, summary } = event;
        const person = referralPerson(event);
        return [
          ...context.referrals,
          {
            referralId,
            receivedDate,
            source,
            urgency,
            summary,
            recordedAt: event.occurredAt,
            ...(person && { person }),
          },
        ];
      },
    }),
    recordUniversalOffer: assign({
      universalOffer: ({ event }) => {
        assertEvent(event, 'UNIVERSAL_OFFER_GIVEN');
        return { informationAndAdvice: event.informationAndAdvice, at: event.occurredAt };
      },
    }),
    recordTriage: assign({
      triageRoute: ({ event }) => {
        assertEvent(event, 'TRIAGED');
        return event.route;
      },
    }),
    allocate: assign(({ event }) => {
      assertEvent(event, 'WORKER_ALLOCATED');
      return { team: event.team, allocatedWorker: event.workerId };
    }),
    recordOrdinaryResidence: assign({
      ordinaryResidence: ({ event }) => {
        assertEvent(event, 'ORDINARY_RESIDENCE_ESTABLISHED');
        return { council: event.council, at: event.occurredAt };
      },
    }),
    /** R-EMG-1: the clock starts when interim services are set up; the person is told. */
    startInterimSupport: assign(({ context, event }) => {
      assertEvent(event, 'INTERIM_SUPPORT_STARTED');
      return {
        interimSupport: {
          services: event.services,
          startedAt: event.occurredAt,
          ...(event.managerApproval ? { approvedBy: event.managerApproval.managerId } : {}),
        },
        ...withDeadlines(context, event.occurredAt, [emergencyAssessmentStart(context, event.occurredAt)]),
      };
    }),
    sendFullerAssessmentNotice: emit(({ context, event }) => ({
      type: 'sendLetter' as const,
      letterId: `${context.personId}:${(event as { eventId: string }).eventId}:fullerAssessmentNotice`,
      letter: 'fullerAssessmentNotice' as const,
      personId: context.personId,
      recipients: [context.personId],
      ...addressedTo(context),
      ruleId: 'R-EMG-1',
      data: { services: context.interimSupport?.services ?? [] },
    })),
    startAssessment: assign(({ context, event }) => {
      assertEvent(event, 'ASSESSMENT_STARTED');
      return {
        ...meetDeadlines(context, ['emergencyAssessmentStart'], event.occurredAt),
        assessment: {
          startedAt: event.occurredAt,
          eligibleNeeds: [],
          ineligibleNeeds: [],
          unmetEligibleNeeds: [],
          outcomes: [],
          informalSupport: 'none' as const,
          equipmentConsidered: false,
        },
      };
    }),
    recordCapacity: assign({
      capacityAssessments: ({ context, event }) => {
        assertEvent(event, 'CAPACITY_ASSESSED');
        return [
          ...context.capacityAssessments,
          {
            decision: event.decision,
            hasCapacity: event.hasCapacity,
            at: event.occurredAt,
            ...(event.topic ? { topic: event.topic } : {}),
          },
        ];
      },
    }),
    /** R-ASM-7 */
    recordSuitablePerson: assign({
      suitablePerson: ({ event }) => {
        assertEvent(event, 'SUITABLE_PERSON_APPOINTED');
        return {
          suitablePersonId: event.suitablePersonId,
          relationship: event.relationship,
          riskAssessmentRecordedOn: event.riskAssessmentRecordedOn,
          at: event.occurredAt,
        };
      },
    }),
    /** R-PB-5: the health team or commissioning authority consulted about section 117 aftercare. */
    recordSection117Consultation: assign({
      section117Consultations: ({ context, event }) => {
        assertEvent(event, 'AFTERCARE_HEALTH_CONSULTED');
        return [
          ...(context.section117Consultations ?? []),
          {
            consultedWith: event.consultedWith,
            about: event.about,
            at: event.occurredAt,
            ...(event.notes ? { notes: event.notes } : {}),
          },
        ];
      },
    }),
    /** R-CMP-2: the challenge, the complaints offer and the response. */
    recordBudgetChallenge: assign({
      budgetChallenges: ({ context, event }) => {
        assertEvent(event, 'BUDGET_CHALLENGED');
        return [
          ...context.budgetChallenges,
          {
            challengeId: event.challengeId,
            budget: event.budget,
            raisedAt: event.occurredAt,
            response: event.response,
          },
        ];
      },
    }),
    recordPanelOffered: assign({
      budgetChallenges: ({ context, event }) => {
        assertEvent(event, 'ADJUDICATION_PANEL_OFFERED');
        return context.budgetChallenges.map((c) =>
          c.challengeId === event.challengeId ? { ...c, panelOfferedAt: event.occurredAt } : c,
        );
      },
    }),
    /** R-APL-1: the appeal and its clock (appealsAndMonitoring.ts); the stage is unchanged. */
    recordAppeal: assign(({ context, event }) => {
      assertEvent(event, 'APPEAL_RAISED');
      return raiseAppeal(context, event);
    }),
    recordAppealDecision: assign(({ context, event }) => {
      assertEvent(event, 'APPEAL_DECIDED');
      return decideAppeal(context, event);
    }),
    /** R-APL-1: the decision on the appeal, and why, to the person (and their advocate) in writing. */
    sendAppealDecisionLetter: emit(({ context, event }) => {
      assertEvent(event, 'APPEAL_DECIDED');
      return {
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:appealDecision`,
        letter: 'appealDecision' as const,
        personId: context.personId,
        recipients: [
          ...new Set([
            context.personId,
            ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
          ]),
        ],
        ...addressedTo(context),
        ruleId: 'R-APL-1',
        data: { ...appealDecisionLetterData(context, event), contactPoint: contactPointOf(context) },
      };
    }),
    /** R-DPM-1: finance's flag, and the clock for acting on it. */
    recordDirectPaymentVariation: assign(({ context, event }) => {
      assertEvent(event, 'DIRECT_PAYMENT_VARIATION_FLAGGED');
      return flagDirectPaymentVariation(context, event);
    }),
    /** R-DPM-2: temporary support while the person's own arrangements have broken down, clocked. */
    recordTemporarySupport: assign(({ context, event }) => {
      assertEvent(event, 'TEMPORARY_SUPPORT_ARRANGED');
      return arrangeTemporarySupport(context, event);
    }),
    recordTemporarySupportEnded: assign(({ context, event }) => {
      assertEvent(event, 'TEMPORARY_SUPPORT_ENDED');
      return endTemporarySupport(context, event);
    }),
    recordDeath: assign({
      dateOfDeath: ({ event }) => {
        assertEvent(event, 'PERSON_DIED');
        return event.dateOfDeath;
      },
    }),
    requireAdvocate: assign({
      advocacy: ({ event }) => ({
        required: true,
        requiredSince: (event as { occurredAt: string }).occurredAt,
      }),
    }),
    recordInvolvementAssessed: assign({
      advocacy: ({ context, event }) => {
        assertEvent(event, 'INVOLVEMENT_DIFFICULTY_ASSESSED');
        return { ...context.advocacy, involvementAssessedAt: event.occurredAt };
      },
    }),
    recordAdvocate: assign({
      advocacy: ({ context, event }) => {
        assertEvent(event, 'ADVOCATE_ARRANGED');
        return { ...context.advocacy, advocateId: event.advocateId, arrangedAt: event.occurredAt };
      },
    }),
    recordConsent: assign({
      consent: ({ event }) => {
        assertEvent(event, 'CONSENT_RECORDED');
        return { consentGiven: event.consentGiven, limits: event.limits, at: event.occurredAt };
      },
    }),
    recordCarer: assign({
      carer: ({ event }) => {
        assertEvent(event, 'CARER_IDENTIFIED');
        return { carerId: event.carerId, identifiedAt: event.occurredAt };
      },
    }),
    recordCarerOffer: assign({
      carer: ({ context, event }) => {
        assertEvent(event, 'CARER_ASSESSMENT_OFFERED');
        return {
          carerId: event.carerId,
          identifiedAt: context.carer?.identifiedAt ?? event.occurredAt,
          offeredAt: event.occurredAt,
          accepted: event.accepted,
        };
      },
    }),
    openCarerJourney: emit(({ context, event }) => {
      assertEvent(event, 'CARER_ASSESSMENT_OFFERED');
      return {
        type: 'openCarerJourney' as const,
        requestId: `${context.personId}:${event.eventId}:carer`,
        carerId: event.carerId,
        caredForPersonId: context.personId,
      };
    }),
    recordAssessment: assign({
      assessment: ({ context, event }) => {
        assertEvent(event, 'ASSESSMENT_COMPLETED');
        return {
          startedAt: context.assessment?.startedAt,
          completedAt: event.occurredAt,
          eligibleNeeds: event.eligibleNeeds,
          ineligibleNeeds: event.ineligibleNeeds,
          unmetEligibleNeeds: event.unmetEligibleNeeds,
          outcomes: event.outcomes,
          informalSupport: event.informalSupport,
          equipmentConsidered: event.equipmentConsidered,
        };
      },
    }),
    /** R-ASM-5 */
    sendDecisionLetter: emit(({ context, event }) => {
      assertEvent(event, 'ASSESSMENT_COMPLETED');
      return {
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:decisionLetter`,
        letter: 'decisionLetter' as const,
        personId: context.personId,
        recipients: [context.personId],
        ...addressedTo(context),
        ruleId: 'R-ASM-5',
        data: {
          eligibleNeeds: event.eligibleNeeds.map((n) => n.need),
          ineligibleNeeds: event.ineligibleNeeds,
          informationAndAdvice: context.universalOffer?.informationAndAdvice ?? [],
        },
      };
    }),
    /**
     * R-ASM-5 (edition 4): the eligibility decision in writing either way. Not eligible, or eligible
     * with every need met otherwise, is sendDecisionLetter; this is the eligible case the council
     * will meet: which needs, and what happens next (the indicative budget, then planning).
     */
    sendEligibleDecisionLetter: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ASSESSMENT_COMPLETED');
      if (!rulesEdition(context, 4)) return;
      enqueue.emit({
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:decisionLetter`,
        letter: 'decisionLetter' as const,
        personId: context.personId,
        recipients: [context.personId],
        ruleId: 'R-ASM-5',
        ...addressedTo(context),
        data: {
          eligibleNeeds: event.eligibleNeeds.map((n) => n.need),
          ineligibleNeeds: event.ineligibleNeeds,
          unmetEligibleNeeds: event.unmetEligibleNeeds.map((n) => n.need),
          informationAndAdvice: context.universalOffer?.informationAndAdvice ?? [],
          contactPoint: contactPointOf(context),
        },
      });
    }),
    /** R-IB-1 / R-IB-2: the RAS sees only the unmet eligible needs. */
    requestIndicativeBudget: emit(({ context, event }) => {
      assertEvent(event, ['ASSESSMENT_COMPLETED', 'REASSESSMENT_COMPLETED']);
      return {
        type: 'calculateIndicativeBudget' as const,
        requestId: `${context.personId}:${event.eventId}:ras`,
        personId: context.personId,
        unmetEligibleNeeds: event.unmetEligibleNeeds,
        informalSupport: event.informalSupport,
        equipmentConsidered: event.type === 'ASSESSMENT_COMPLETED' ? event.equipmentConsidered : true,
        // the RAS's answer is dated by the event that asked for it (edition 4: the workflow)
        requestedAt: event.occurredAt,
      };
    }),
    recordIndicativeBudget: assign({
      indicativeBudget: ({ event }) => {
        assertEvent(event, 'INDICATIVE_BUDGET_CALCULATED');
        return { amount: event.amount, basis: event.basis, calculatedAt: event.occurredAt };
      },
    }),
    /** Edition 3: a manager's figure instead of the RAS's, recorded with who, why and when. */
    recordBudgetOverride: assign({
      indicativeBudget: ({ context, event }) => {
        assertEvent(event, 'INDICATIVE_BUDGET_OVERRIDDEN');
        return {
          amount: event.amount,
          basis: `set by ${event.actor.userId} (${event.actor.role}) instead of the RAS: ${event.reason}`,
          calculatedAt: event.occurredAt,
          override: {
            by: event.actor,
            reason: event.reason,
            at: event.occurredAt,
            ...(context.indicativeBudget && { replacedAmount: context.indicativeBudget.amount }),
          },
        };
      },
    }),
    recordBudgetShared: assign({
      indicativeBudget: ({ context, event }) => {
        assertEvent(event, 'INDICATIVE_BUDGET_SHARED');
        return context.indicativeBudget && { ...context.indicativeBudget, sharedAt: event.occurredAt };
      },
    }),
    /**
     * R-IB-3 (edition 4): the indicative budget as it was shared, in writing: the amount, its basis,
     * that it is indicative (the personal budget is set at sign-off, R-PB-1), and what happens next.
     */
    sendIndicativeBudgetLetter: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'INDICATIVE_BUDGET_SHARED');
      const budget = context.indicativeBudget;
      if (!rulesEdition(context, 4) || !budget) return;
      const calendar = calendarOf(context);
      enqueue.emit({
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:indicativeBudgetLetter`,
        letter: 'indicativeBudgetLetter' as const,
        personId: context.personId,
        recipients: [
          ...new Set([
            context.personId,
            ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
          ]),
        ],
        ruleId: 'R-IB-3',
        ...addressedTo(context),
        data: {
          amount: budget.amount,
          // a manager's figure (edition 3) says why, not who: the letter is the person's
          basis: budget.override ? budget.override.reason : budget.basis,
          setBy: budget.override ? 'manager' : 'resourceAllocationSystem',
          calculatedOn: calendar.londonDateOf(budget.calculatedAt),
          sharedOn: calendar.londonDateOf(event.occurredAt),
          sharedWith: event.sharedWith,
          method: event.method,
          contactPoint: contactPointOf(context),
        },
      });
    }),
    startPlanning: assign({
      planning: ({ event }) => {
        assertEvent(event, 'PLANNING_STARTED');
        return { preparedBy: event.preparedBy, startedAt: event.occurredAt };
      },
    }),
    recordPlan: assign(({ context, event }) => {
      assertEvent(event, 'PLAN_SUBMITTED');
      // A changed plan must be validated again (R-PLN-1).
      return {
        plan: event.plan,
        planning: context.planning && { ...context.planning, validatedAt: undefined },
      };
    }),
    recordPlanValidated: assign({
      planning: ({ context, event }) =>
        context.planning && {
          ...context.planning,
          validatedAt: (event as { occurredAt: string }).occurredAt,
        },
    }),
    recordDispute: assign({
      planning: ({ context, event }) => {
        assertEvent(event, 'DISPUTE_RAISED');
        return (
          context.planning && {
            ...context.planning,
            dispute: { reasons: event.reasons, raisedAt: event.occurredAt },
          }
        );
      },
    }),
    /** R-PB-1: the personal budget is confirmed only here. */
    recordSignOff: assign(({ event }) => {
      assertEvent(event, 'PLAN_SIGNED_OFF');
      return {
        personalBudget: event.finalBudget,
        signOff: {
          finalBudget: event.finalBudget,
          at: event.occurredAt,
          by: event.actor,
          mismatchReason: event.mismatchReason,
          withDispute: event.withDispute && {
            reasons: event.withDispute.reasons,
            supportMeanwhile: event.withDispute.supportMeanwhile,
          },
          // R-PB-5: support for needs met under s117 is commissioned and changed only after consulting health
          ...(event.costing.s117Aftercare ? { s117Aftercare: true } : {}),
        },
      };
    }),
    /** R-SGN-3: the person, anyone they ask, and their advocate. */
    sendPlanCopy: emit(({ context, event }) => {
      assertEvent(event, 'PLAN_SIGNED_OFF');
      const recipients = [
        context.personId,
        ...event.copyTo,
        ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
      ];
      return {
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:planCopy`,
        letter: 'planCopy' as const,
        personId: context.personId,
        recipients: [...new Set(recipients)],
        ...addressedTo(context),
        ruleId: 'R-SGN-3',
        data: {
          accessibleFormat: event.accessibleFormat,
          personalBudget: event.finalBudget,
          plan: context.plan,
        },
      };
    }),
    recordAgreementSigned: assign({
      directPayment: ({ context, event }) => {
        assertEvent(event, 'DIRECT_PAYMENT_AGREEMENT_SIGNED');
        return { ...context.directPayment, agreementSignedOn: event.signedOn };
      },
    }),
    /** R-ACT-1 / R-ACT-2 / R-EMG-2 / R-REV-1 / R-REV-2 */
    activate: assign(({ context, event }) => {
      assertEvent(event, 'SERVICES_ACTIVATED');
      const informal =
        event.informalReview72h ??
        context.plan?.informalReview72h ??
        context.profile.reviews.informalReviewByDefault;
      // R-REV-12: services activated again (a plan revised at reassessment) start a new first
      // review, which replaces the review cycle still running.
      const base = edition2(context)
        ? { ...context, ...cancelDeadlines(context, event.occurredAt, reviewCycleKinds) }
        : context;
      // R-REV-14: equipment that is the only service is confirmed as suiting the person, not reviewed.
      const equipmentOnly = rulesEdition(context, 5) ? event.equipmentOnly : undefined;
      return {
        activatedAt: event.occurredAt,
        firstReviewAgreedFor: event.firstReviewAgreedFor,
        providers: event.providers ?? context.providers,
        ...(rulesEdition(context, 5) && { equipmentOnly: equipmentOnly && { items: equipmentOnly.items } }),
        interimSupport: context.interimSupport && {
          ...context.interimSupport,
          endedAt: context.interimSupport.endedAt ?? event.occurredAt,
        },
        ...withDeadlines(
          base,
          event.occurredAt,
          equipmentOnly
            ? [equipmentConfirmation(context, event.occurredAt)]
            : reviewsAfterActivation(context, event.occurredAt, informal, event.firstReviewAgreedFor),
        ),
      };
    }),
    /** R-REV-14: confirmed as suiting the person; no regular review follows for equipment alone. */
    confirmEquipment: assign(({ context, event }) => {
      assertEvent(event, 'EQUIPMENT_CONFIRMED');
      return {
        ...meetDeadlines(context, ['equipmentConfirmation'], event.occurredAt),
        equipmentOnly: context.equipmentOnly && { ...context.equipmentOnly, confirmedAt: event.occurredAt },
      };
    }),
    completeInformalReview: assign(({ context, event }) => {
      assertEvent(event, 'INFORMAL_REVIEW_COMPLETED');
      return meetDeadlines(context, ['informalReview'], event.occurredAt);
    }),
    recordFinanceContact: assign({
      directPayment: ({ context, event }) => {
        assertEvent(event, 'DIRECT_PAYMENT_FINANCE_CONTACTED');
        return { ...context.directPayment, financeContactedAt: event.occurredAt };
      },
    }),
    /**
     * R-REV-8: the review meets whatever review is pending and sets the next one (R-REV-3, R-REV-5,
     * R-REV-9), with R-REV-4 monitoring checks in between.
     */
    recordReview: assign(({ context, event }) => {
      assertEvent(event, 'REVIEW_COMPLETED');
      const revised = revisedPlanOf(event);
      const nextReviewOn = nextReviewDate(context, event, revised);
      // R-DPM-1: and a flagged direct-payment variation, which a review acts on.
      let deadlines = meetDeadlines(context, [...reviewKinds, ...metByReview], event.occurredAt);
      deadlines = cancelDeadlines(deadlines, event.occurredAt, ['monitoringCheck']);
      const continues = event.outcome === 'noChange' || event.outcome === 'planRevised';
      // R-REV-12: services stay live through a reassessment and an ending, so the review clock
      // runs on whatever the review decided, and the reassessment has a clock of its own.
      if (continues || edition2(context)) {
        deadlines = withDeadlines(
          deadlines,
          event.occurredAt,
          nextReviewCycle(context, event.occurredAt, nextReviewOn),
        );
      }
      if (!continues && edition2(context)) {
        deadlines = withDeadlines(deadlines, event.occurredAt, [reassessmentDue(context, event.occurredAt)]);
      }
      // R-ACT-1 / R-REV-5 (edition 5): a direct payment brought in at this review is a new
      // arrangement: it waits for its own agreement, counted from now, and is young from now.
      const newDirectPayment = rulesEdition(context, 5) && introducesDirectPayment(context, revised);
      // …and one taken out of the plan again leaves no arrangement whose age counts.
      const directPaymentTakenOut =
        rulesEdition(context, 5) &&
        !!revised &&
        !planUsesDirectPayment(revised) &&
        !!context.directPayment.introducedAt;
      return {
        ...deadlines,
        plan: event.outcome === 'planRevised' ? (event.revisedPlan ?? context.plan) : context.plan,
        ...(directPaymentTakenOut && {
          directPayment: { ...context.directPayment, introducedAt: undefined },
        }),
        ...(newDirectPayment && {
          directPayment: {
            ...context.directPayment,
            introducedAt: event.occurredAt,
            agreementSignedOn: undefined,
          },
        }),
        reviews: [
          ...context.reviews,
          {
            ...reviewRecord(event, nextReviewOn),
            ...(event.directPaymentOutcome ? { directPaymentOutcome: event.directPaymentOutcome } : {}),
          },
        ],
      };
    }),
    /**
     * R-REV-6 (edition 5): a review held while services are changing — during a reassessment, a
     * notice period, or the funded weeks after a move — meets the reviews pending and records its
     * decision; the stage's own clocks go on, and so does the review cycle until the journey
     * closes (after a move, when the funding ends: R-TRF-1).
     */
    recordReviewWhileChanging: assign(({ context, event }) => {
      assertEvent(event, 'REVIEW_COMPLETED');
      const nextReviewOn = nextReviewDate(context, event);
      const deadlines = withDeadlines(
        cancelDeadlines(
          meetDeadlines(context, reviewKinds, event.occurredAt),
          event.occurredAt,
          reviewCycleKinds,
        ),
        event.occurredAt,
        nextReviewCycle(context, event.occurredAt, nextReviewOn),
      );
      return { ...deadlines, reviews: [...context.reviews, reviewRecord(event, nextReviewOn)] };
    }),
    /** R-REV-6: a review in the notice period withdrew the ending: its date no longer applies. */
    withdrawEnding: assign(({ context, event }) => {
      assertEvent(event, 'REVIEW_COMPLETED');
      return cancelDeadlines(context, event.occurredAt, ['servicesEnd']);
    }),
    /** R-REV-10: after every review, the latest plan, a contact point and the next review's date. */
    sendReviewOutcome: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'REVIEW_COMPLETED');
      if (!edition2(context)) return;
      const review = context.reviews.at(-1);
      enqueue.emit({
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:reviewOutcome`,
        letter: 'reviewOutcome' as const,
        personId: context.personId,
        recipients: reviewLetterRecipients(context),
        ...addressedTo(context),
        ruleId: 'R-REV-10',
        data: {
          outcome: event.outcome,
          plan: context.plan,
          contactPoint:
            event.contactPoint ??
            context.allocatedWorker ??
            (context.team ? `team ${context.team}` : 'the adult social care duty team'),
          nextReviewOn: review?.nextReviewOn,
        },
      });
    }),
    completeMonitoringCheck: assign(({ context, event }) => {
      assertEvent(event, 'MONITORING_CHECK_COMPLETED');
      return meetEarliest(context, 'monitoringCheck', event.occurredAt);
    }),
    /** R-REV-6 (and R-SFG-1, R-HSP-1 when they trigger one) */
    requestUnscheduledReview: assign(({ context, event }) => {
      assertEvent(event, [
        'UNSCHEDULED_REVIEW_REQUESTED',
        'SAFEGUARDING_CONCERN_RAISED',
        'HOSPITAL_DISCHARGED',
      ]);
      const trigger =
        event.type === 'UNSCHEDULED_REVIEW_REQUESTED'
          ? event.trigger
          : event.type === 'SAFEGUARDING_CONCERN_RAISED'
            ? 'safeguarding'
            : 'hospitalDischarge';
      return withDeadlines(context, event.occurredAt, [
        unscheduledReview(context, event.occurredAt, trigger),
      ]);
    }),
    recordDirectPaymentNotice: assign(({ context, event }) => {
      assertEvent(event, 'DIRECT_PAYMENT_NOTICE_GIVEN');
      return {
        directPayment: {
          ...context.directPayment,
          notice: { by: event.by, reason: event.reason, givenOn: event.noticeGivenOn },
        },
        ...withDeadlines(context, event.occurredAt, [
          directPaymentAgreementEnd(context, event.noticeGivenOn),
        ]),
      };
    }),
    /** R-END-2: the agreement has ended; the council arranges support another way. */
    endDirectPayment: assign(({ context, event }) => ({
      // R-DPM-1: no account is left to act on (journeys before edition 5 have no such flags).
      ...cancelVariationsOnEnd(context, (event as { occurredAt: string }).occurredAt),
      plan: context.plan && {
        ...context.plan,
        budgetManagement: context.plan.budgetManagement.filter((o) => o !== 'directPayment').length
          ? context.plan.budgetManagement.filter((o) => o !== 'directPayment')
          : (['councilManaged'] as const).slice(),
        directPayment: undefined,
      },
      directPayment: {
        surplusRecovered: context.directPayment.surplusRecovered,
        endedAt: (event as { occurredAt: string }).occurredAt,
      },
    })),
    /**
     * Payments stop. Edition 2 instructs the payment arrangements (R-END-5), and only where
     * something is being paid; edition 1 recorded it on the case record.
     */
    stopPayments: enqueueActions(
      ({ context, event, enqueue }, params: { reason: string; ruleId: string; always?: boolean }) => {
        const requestId = `${context.personId}:${event.eventId}:stopPayments`;
        if (!edition2(context)) {
          if (params.always === false) return;
          enqueue.emit({
            type: 'stopPayments' as const,
            requestId,
            personId: context.personId,
            reason: params.reason,
            ruleId: params.ruleId,
          });
          return;
        }
        if (!somethingIsPaid(context) && params.always !== true) return;
        enqueue.emit(paymentInstruction(context, event, 'stop', params.reason, params.ruleId));
      },
    ),
    /** R-HSP-1 / R-END-5 / R-END-3: the payment arrangements are told (edition 2). */
    instructPayments: enqueueActions(
      (
        { context, event, enqueue },
        params: { instruction: InstructPayments['instruction']; reason: string; ruleId: string },
      ) => {
        if (!edition2(context)) return;
        enqueue.emit(paymentInstruction(context, event, params.instruction, params.reason, params.ruleId));
      },
    ),
    resumeSuspendedPayments: enqueueActions(({ context, event, enqueue }) => {
      if (!edition2(context) || !context.directPayment.suspendedAt) return;
      enqueue.emit(paymentInstruction(context, event, 'resume', 'hospitalDischarge', 'R-HSP-1'));
    }),
    /** R-END-4: a written record of the reasons and when payments stop, to everyone in the arrangement. */
    sendDirectPaymentEndNotice: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'DIRECT_PAYMENT_NOTICE_GIVEN');
      if (!edition2(context)) return;
      const ending = context.deadlines.find(
        (d) => d.kind === 'directPaymentAgreementEnd' && d.status === 'due',
      );
      enqueue.emit({
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:directPaymentEndNotice`,
        letter: 'directPaymentEndNotice' as const,
        personId: context.personId,
        recipients: directPaymentArrangement(context),
        ...addressedTo(context),
        ruleId: 'R-END-4',
        data: {
          noticeBy: event.by,
          reason: event.reason,
          noticeGivenOn: event.noticeGivenOn,
          paymentsStopOn: ending && calendarOf(context).londonDateOf(ending.dueAt),
        },
      });
    }),
    /** R-END-3 (edition 5): the decision and the amount, in writing, to the person. */
    sendSurplusDecision: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SURPLUS_RECOVERED');
      const letter = surplusDecisionLetter(context, event);
      if (letter) enqueue.emit({ ...letter, ...addressedTo(context) });
    }),
    /** R-END-4 / R-HSP-1 (edition 5): a hospital suspension's written record, to everyone in it. */
    sendSuspensionRecord: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'DIRECT_PAYMENT_SUSPENDED');
      const letter = suspensionRecord(context, event);
      if (letter) enqueue.emit({ ...letter, ...addressedTo(context) });
    }),
    /** R-END-4 (edition 5): the end of a journey with a live direct payment, in writing, to everyone in it. */
    sendJourneyEndRecord: enqueueActions(({ context, event, enqueue }) => {
      const letter = journeyEndRecord(context, event);
      if (letter) enqueue.emit({ ...letter, ...addressedTo(context) });
    }),
    /** R-EMG-2 (edition 5): however the journey ends, the interim services' payments stop. */
    stopInterimPayments: enqueueActions(({ context, event, enqueue }, params: { reason: string }) => {
      if (!rulesEdition(context, 5) || !interimInPlace(context)) return;
      enqueue.emit(paymentInstruction(context, event, 'stop', params.reason, 'R-EMG-2'));
    }),
    /** R-CMP-1 (edition 5): the budget refused, the council's arranging of services is clocked. */
    clockServicesArrangedInstead: assign(({ context, event }) => {
      assertEvent(event, 'BUDGET_COMPLAINT_INTERIM_CHOICE');
      return interimChoiceClock(context, event);
    }),
    recordServicesArranged: assign(({ context, event }) => {
      assertEvent(event, 'BUDGET_COMPLAINT_SERVICES_ARRANGED');
      return recordServicesArranged(context, event);
    }),
    closeServicesArrangedClock: assign(({ context, event }) => {
      assertEvent(event, 'COMPLAINT_RESOLVED');
      return resolveServicesClock(context, event);
    }),
    /** R-REF-4 (edition 5): a repeated referral on live services calls for an unscheduled review. */
    reviewOnRepeatReferral: assign(({ context, event }) => {
      assertEvent(event, 'REFERRAL_RECEIVED');
      return repeatReferralReview(context, event);
    }),
    recordSurplus: assign({
      directPayment: ({ context, event }) => {
        assertEvent(event, 'SURPLUS_RECOVERED');
        return {
          ...context.directPayment,
          surplusRecovered: context.directPayment.surplusRecovered + event.amount,
        };
      },
    }),
    suspendDirectPayment: assign({
      directPayment: ({ context, event }) => ({
        ...context.directPayment,
        suspendedAt: (event as { occurredAt: string }).occurredAt,
      }),
    }),
    recordReassessment: assign(({ context, event }) => {
      assertEvent(event, 'REASSESSMENT_COMPLETED');
      // A reassessment that continues services keeps the review the last review set; one that
      // ends them has no monitoring checks left to make.
      const deadlines =
        event.outcome === 'endServices'
          ? cancelDeadlines(context, event.occurredAt, ['monitoringCheck'])
          : context;
      return {
        // R-REV-12: the reassessment's own clock is met (edition 1 journeys have none); R-DPM-1:
        // a reassessment reviews the budget too, so it acts on a flagged variation.
        ...meetDeadlines(deadlines, ['reassessment', ...metByReview], event.occurredAt),
        reassessment: {
          completedAt: event.occurredAt,
          outcome: event.outcome,
          reasons: event.reasons,
          ...(edition2(context)
            ? {
                thirdPartySources: event.thirdPartySources,
                unmetNeedsMetOtherwise: event.unmetNeedsMetOtherwise,
              }
            : {}),
        },
      };
    }),
    /** R-REV-8: the reassessment sets the next review date (R-REV-3 / R-REV-4). */
    startReviewCycleAfterReassessment: assign(({ context, event }) => {
      assertEvent(event, 'REASSESSMENT_COMPLETED');
      const calendar = calendarOf(context);
      const months = edition2(context)
        ? maxReviewIntervalMonths(context, event.indicators, event.occurredAt)
        : context.profile.reviews.maxIntervalMonths;
      const nextReviewOn =
        event.nextReviewOn ?? calendar.addCalendarMonths(calendar.londonDateOf(event.occurredAt), months);
      // R-REV-12: the reassessment sets the next review, replacing the one the review set.
      const base = edition2(context) ? cancelDeadlines(context, event.occurredAt, reviewCycleKinds) : context;
      return withDeadlines(base, event.occurredAt, nextReviewCycle(context, event.occurredAt, nextReviewOn));
    }),
    recordReassessmentCopy: assign({
      reassessment: ({ context, event }) => {
        assertEvent(event, 'REASSESSMENT_COPY_PROVIDED');
        return context.reassessment && { ...context.reassessment, copyProvidedAt: event.occurredAt };
      },
    }),
    /** R-END-1: the end date is at least 10 working days after posting (the earliest, unless later is asked). */
    postServiceEndLetter: assign(({ context, event }) => {
      assertEvent(event, 'SERVICE_END_LETTER_POSTED');
      // R-TIM-1 (edition 5): posted when the journey sends it, never earlier than the event's day.
      const postedOn = effectivePostingDate(context, event);
      const endDate = event.endDate ?? earliestServiceEndDate(context, postedOn);
      return {
        endOfServices: {
          postedOn,
          endDate,
          reasons: event.reasons,
          ...(edition2(context) ? { recipients: serviceEndLetterRecipients(context, event) } : {}),
        },
        ...withDeadlines(context, event.occurredAt, [servicesEnd(context, endDate)]),
      };
    }),
    sendServiceEndLetter: emit(({ context, event }) => {
      assertEvent(event, 'SERVICE_END_LETTER_POSTED');
      return {
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:serviceEndLetter`,
        letter: 'serviceEndLetter' as const,
        personId: context.personId,
        recipients: edition2(context) ? serviceEndLetterRecipients(context, event) : [context.personId],
        ...addressedTo(context),
        ruleId: 'R-END-1',
        data: {
          postedOn: effectivePostingDate(context, event),
          endDate: event.endDate ?? earliestServiceEndDate(context, effectivePostingDate(context, event)),
          reasons: event.reasons,
          alternativesDiscussed: event.alternativesDiscussed,
          ...(edition2(context)
            ? {
                // R-END-5: the sources used, and how any unmet eligible need will be met otherwise
                thirdPartySources: context.reassessment?.thirdPartySources ?? [],
                unmetNeedsMetOtherwise: context.reassessment?.unmetNeedsMetOtherwise ?? [],
              }
            : {}),
        },
      };
    }),
    reach: assign(({ context, event }) => {
      assertEvent(event, 'DEADLINE_REACHED');
      return reachDeadline(context, event.deadlineId, event.occurredAt);
    }),
    /** R-TRF-1 */
    recordMove: assign(({ context, event }) => {
      assertEvent(event, 'MOVED_AWAY');
      // R-TRF-1 (edition 5): a move recorded ahead of its date changes nothing until that date, so
      // what falls due before the person moves stays due.
      // Services stay live through the funded weeks after the move too (R-REV-6), so their clocks
      // run on until the funding ends and the journey closes; only a review cycle that would
      // start after that is left to the receiving council (recordReviewWhileChanging).
      const cancelled = rulesEdition(context, 5) ? context : cancelDeadlines(context, event.occurredAt);
      return {
        move: { moveDate: event.moveDate, receivingCouncil: event.receivingCouncil },
        ...withDeadlines(cancelled, event.occurredAt, [fundingAfterMove(context, event.moveDate)]),
      };
    }),
    sendTransferPack: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MOVED_AWAY');
      // R-TRF-1 (edition 5): without the person's agreement nothing is prepared for the other council.
      if (rulesEdition(context, 5) && !event.consentToShareRecords) return;
      enqueue.emit({
        type: 'sendLetter' as const,
        letterId: `${context.personId}:${event.eventId}:transferPack`,
        letter: 'transferPack' as const,
        personId: context.personId,
        recipients: event.consentToShareRecords ? [event.receivingCouncil] : [],
        ...addressedTo(context),
        ruleId: 'R-TRF-1',
        data: {
          consentToShareRecords: event.consentToShareRecords,
          plan: context.plan,
          assessment: context.assessment,
        },
      });
    }),
    admitToHospital: assign({
      hospital: ({ event }) => {
        assertEvent(event, 'HOSPITAL_ADMITTED');
        return { admittedOn: event.admittedOn, hospital: event.hospital };
      },
    }),
    /** R-HSP-1: discharge resumes a suspended direct payment. */
    discharge: assign(({ context }) => ({
      hospital: undefined,
      directPayment: { ...context.directPayment, suspendedAt: undefined },
    })),
    recordComplaint: assign({
      complaints: ({ context, event }) => {
        assertEvent(event, 'COMPLAINT_RAISED');
        return [
          ...context.complaints,
          { complaintId: event.complaintId, about: event.about, raisedAt: event.occurredAt },
        ];
      },
    }),
    recordInterimChoice: assign({
      complaints: ({ context, event }) => {
        assertEvent(event, 'BUDGET_COMPLAINT_INTERIM_CHOICE');
        return context.complaints.map((c) =>
          c.complaintId === event.complaintId ? { ...c, interimChoice: event.choice } : c,
        );
      },
    }),
    resolveComplaint: assign({
      complaints: ({ context, event }) => {
        assertEvent(event, 'COMPLAINT_RESOLVED');
        return context.complaints.map((c) =>
          c.complaintId === event.complaintId ? { ...c, resolvedAt: event.occurredAt } : c,
        );
      },
    }),
    recordSafeguardingConcern: assign({
      safeguarding: ({ context, event }) => {
        assertEvent(event, 'SAFEGUARDING_CONCERN_RAISED');
        return [...context.safeguarding, { concernId: event.concernId, raisedAt: event.occurredAt }];
      },
    }),
    closeSafeguardingConcern: assign({
      safeguarding: ({ context, event }) => {
        assertEvent(event, 'SAFEGUARDING_CLOSED');
        return context.safeguarding.map((s) =>
          s.concernId === event.concernId ? { ...s, closedAt: event.occurredAt } : s,
        );
      },
    }),
  },
}).createMachine({
  id: 'journey',
  context: ({ input }) => initialContext(input),
  initial: 'open',
  states: {
    open: {
      type: 'parallel',
      on: {
        // R-REF-4: a repeated referral is recorded on the open journey.
        // R-REF-4 (edition 5): on live services it calls for an unscheduled review too.
        REFERRAL_RECEIVED: { guard: 'rulesMet', actions: ['recordReferral', 'reviewOnRepeatReferral'] },
        // R-CMP-1 (edition 5): the services the council arranges when the budget is refused.
        BUDGET_COMPLAINT_SERVICES_ARRANGED: { guard: 'rulesMet', actions: 'recordServicesArranged' },
        WORKER_ALLOCATED: { guard: 'rulesMet', actions: 'allocate' },
        ORDINARY_RESIDENCE_ESTABLISHED: { guard: 'rulesMet', actions: 'recordOrdinaryResidence' },
        UNIVERSAL_OFFER_GIVEN: { guard: 'rulesMet', actions: 'recordUniversalOffer' },
        CAPACITY_ASSESSED: { guard: 'rulesMet', actions: 'recordCapacity' },
        CONSENT_RECORDED: { guard: 'rulesMet', actions: 'recordConsent' },
        CARER_IDENTIFIED: { guard: 'rulesMet', actions: 'recordCarer' },
        // R-ASM-4 (edition 2): a carer's assessment can be offered at any stage, not only during
        // the assessment (whose own transition, deeper, is taken there).
        CARER_ASSESSMENT_OFFERED: [
          {
            guard: and([
              'rulesMet',
              'edition2',
              ({ event }) => event.type === 'CARER_ASSESSMENT_OFFERED' && event.accepted,
            ]),
            actions: ['recordCarerOffer', 'openCarerJourney'],
          },
          { guard: and(['rulesMet', 'edition2']), actions: 'recordCarerOffer' },
        ],
        SUITABLE_PERSON_APPOINTED: { guard: 'rulesMet', actions: 'recordSuitablePerson' },
        // R-CMP-2
        BUDGET_CHALLENGED: { guard: 'rulesMet', actions: 'recordBudgetChallenge' },
        ADJUDICATION_PANEL_OFFERED: { guard: 'rulesMet', actions: 'recordPanelOffered' },
        // R-APL-1: an appeal at any stage once the decision exists; it does not stop the journey.
        APPEAL_RAISED: { guard: 'rulesMet', actions: 'recordAppeal' },
        APPEAL_DECIDED: { guard: 'rulesMet', actions: ['recordAppealDecision', 'sendAppealDecisionLetter'] },
        // R-DPM-1 / R-DPM-2: wherever the live direct payment or services are (rules.ts says when).
        DIRECT_PAYMENT_VARIATION_FLAGGED: { guard: 'rulesMet', actions: 'recordDirectPaymentVariation' },
        TEMPORARY_SUPPORT_ARRANGED: { guard: 'rulesMet', actions: 'recordTemporarySupport' },
        TEMPORARY_SUPPORT_ENDED: { guard: 'rulesMet', actions: 'recordTemporarySupportEnded' },
        // R-PB-5: health consulted about s117 aftercare, before commissioning or any change
        AFTERCARE_HEALTH_CONSULTED: { guard: 'rulesMet', actions: 'recordSection117Consultation' },
        // Obligations fall overdue wherever the journey is; stages handle dates that take effect.
        DEADLINE_REACHED: [
          {
            // R-END-2: the agreement ends whatever stage the journey is at (live support replans).
            guard: and(['rulesMet', { type: 'deadlineKind', params: { kind: 'directPaymentAgreementEnd' } }]),
            actions: [
              'reach',
              'endDirectPayment',
              { type: 'stopPayments', params: { reason: 'directPaymentAgreementEnded', ruleId: 'R-END-2' } },
            ],
          },
          { guard: 'rulesMet', actions: 'reach' },
        ],
        // R-END-3: also after the agreement has ended.
        SURPLUS_RECOVERED: {
          guard: 'rulesMet',
          actions: [
            'recordSurplus',
            {
              type: 'instructPayments',
              params: { instruction: 'recoverSurplus', reason: 'surplus', ruleId: 'R-END-3' },
            },
            'sendSurplusDecision',
          ],
        },
        MOVED_AWAY: {
          guard: 'rulesMet',
          target: '.stage.movedAway',
          actions: ['recordMove', 'sendTransferPack', 'sendJourneyEndRecord'],
        },
        // R-DTH-1: everything stops at once; payments stop; no letters are sent.
        PERSON_DIED: {
          guard: 'rulesMet',
          target: '#journey.closed',
          actions: [
            'recordDeath',
            { type: 'close', params: { reason: 'died' } },
            { type: 'stopPayments', params: { reason: 'death', ruleId: 'R-DTH-1' } },
          ],
        },
        JOURNEY_WITHDRAWN: {
          guard: 'rulesMet',
          target: '#journey.closed',
          actions: [
            // R-END-4 (edition 5): a live direct payment's written record, to everyone in it.
            'sendJourneyEndRecord',
            { type: 'close', params: { reason: 'withdrawn' } },
            // R-END-5: withdrawal instructs the payment arrangements too (edition 2).
            { type: 'stopPayments', params: { reason: 'withdrawn', ruleId: 'R-END-5', always: false } },
          ],
        },
      },
      states: {
        stage: {
          initial: 'awaitingReferral',
          states: {
            awaitingReferral: {
              on: {
                // R-REF-1: a referral opens the journey.
                REFERRAL_RECEIVED: { guard: 'rulesMet', target: 'triage', actions: 'recordReferral' },
                // Issue 17: or an import, straight into the person's current stage.
                JOURNEY_IMPORTED: importTargets.map((target) => ({
                  // params as words (stage, step) so the diagram labels the branches apart
                  guard: and([
                    'rulesMet',
                    { type: 'importedTo', params: { to: target.split('.').join(', ') } },
                  ]),
                  target: `#journey.open.stage.${target}`,
                  actions: 'importJourney' as const,
                })),
              },
            },
            triage: {
              entry: 'enterStage',
              on: {
                // R-REF-2
                TRIAGED: [
                  {
                    guard: and([
                      'rulesMet',
                      { type: 'triagedTo', params: { route: 'informationAndAdvice' } },
                    ]),
                    target: '#journey.closed',
                    actions: ['recordTriage', { type: 'close', params: { reason: 'informationAndAdvice' } }],
                  },
                  {
                    guard: and(['rulesMet', { type: 'triagedTo', params: { route: 'shortTermSupport' } }]),
                    target: 'shortTermSupport',
                    actions: 'recordTriage',
                  },
                  {
                    guard: and(['rulesMet', { type: 'triagedTo', params: { route: 'assessment' } }]),
                    target: 'assessment',
                    actions: 'recordTriage',
                  },
                  {
                    guard: and([
                      'rulesMet',
                      { type: 'triagedTo', params: { route: 'emergencyInterimSupport' } },
                    ]),
                    target: 'interimSupport',
                    actions: 'recordTriage',
                  },
                ],
              },
            },
            shortTermSupport: {
              entry: 'enterStage',
              on: {
                SHORT_TERM_SUPPORT_ENDED: [
                  {
                    guard: and(['rulesMet', { type: 'shortTermOutcome', params: { outcome: 'needsMet' } }]),
                    target: '#journey.closed',
                    actions: { type: 'close', params: { reason: 'shortTermSupportMetNeeds' } },
                  },
                  { guard: 'rulesMet', target: 'assessment' },
                ],
              },
            },
            // R-EMG-1 / R-EMG-2
            interimSupport: {
              entry: 'enterStage',
              initial: 'settingUp',
              states: {
                settingUp: {
                  on: {
                    INTERIM_SUPPORT_STARTED: {
                      guard: 'rulesMet',
                      target: 'inPlace',
                      actions: ['startInterimSupport', 'sendFullerAssessmentNotice'],
                    },
                  },
                },
                inPlace: {
                  on: {
                    ASSESSMENT_STARTED: {
                      guard: 'rulesMet',
                      target: '#journey.open.stage.assessment.inProgress',
                      actions: 'startAssessment',
                    },
                  },
                },
              },
            },
            assessment: {
              entry: 'enterStage',
              initial: 'notStarted',
              states: {
                notStarted: {
                  on: {
                    ASSESSMENT_STARTED: {
                      guard: 'rulesMet',
                      target: 'inProgress',
                      actions: 'startAssessment',
                    },
                  },
                },
                inProgress: {
                  on: {
                    CARER_ASSESSMENT_OFFERED: [
                      {
                        guard: and([
                          'rulesMet',
                          ({ event }) => event.type === 'CARER_ASSESSMENT_OFFERED' && event.accepted,
                        ]),
                        actions: ['recordCarerOffer', 'openCarerJourney'],
                      },
                      { guard: 'rulesMet', actions: 'recordCarerOffer' },
                    ],
                    // R-ASM-6: paused without losing its deadlines' history.
                    ASSESSMENT_PAUSED: { guard: 'rulesMet', target: 'paused' },
                    ASSESSMENT_COMPLETED: [
                      {
                        // R-ASM-5
                        guard: and(['rulesMet', 'noEligibleNeeds']),
                        target: '#journey.closed',
                        actions: [
                          'recordAssessment',
                          'sendDecisionLetter',
                          { type: 'close', params: { reason: 'notEligible' } },
                          // R-EMG-2 (edition 5): interim services' payments stop with the journey.
                          { type: 'stopInterimPayments', params: { reason: 'notEligible' } },
                        ],
                      },
                      {
                        guard: and(['rulesMet', 'hasUnmetEligibleNeeds']),
                        target: '#journey.open.stage.indicativeBudget',
                        actions: [
                          'recordAssessment',
                          'requestIndicativeBudget',
                          'sendEligibleDecisionLetter',
                        ],
                      },
                      {
                        // Eligible, but every eligible need is met without the council.
                        guard: 'rulesMet',
                        target: '#journey.closed',
                        actions: [
                          'recordAssessment',
                          'sendDecisionLetter',
                          { type: 'close', params: { reason: 'eligibleNeedsMetOtherwise' } },
                          { type: 'stopInterimPayments', params: { reason: 'eligibleNeedsMetOtherwise' } },
                        ],
                      },
                    ],
                  },
                },
                paused: {
                  on: { ASSESSMENT_RESUMED: { guard: 'rulesMet', target: 'inProgress' } },
                },
              },
            },
            // R-IB-1 / R-IB-2 / R-IB-3
            indicativeBudget: {
              entry: 'enterStage',
              initial: 'calculating',
              states: {
                calculating: {
                  on: {
                    INDICATIVE_BUDGET_CALCULATED: {
                      guard: 'rulesMet',
                      target: 'calculated',
                      actions: 'recordIndicativeBudget',
                    },
                    // Edition 3: a manager's override where the profile allows it (rules.ts)
                    INDICATIVE_BUDGET_OVERRIDDEN: {
                      guard: 'rulesMet',
                      target: 'calculated',
                      actions: 'recordBudgetOverride',
                    },
                  },
                },
                calculated: {
                  on: {
                    INDICATIVE_BUDGET_SHARED: {
                      guard: 'rulesMet',
                      target: 'shared',
                      actions: ['recordBudgetShared', 'sendIndicativeBudgetLetter'],
                    },
                    INDICATIVE_BUDGET_OVERRIDDEN: {
                      guard: 'rulesMet',
                      target: 'calculated',
                      actions: 'recordBudgetOverride',
                    },
                  },
                },
                shared: {
                  on: {
                    // a new figure must be shared again before planning starts (R-IB-3)
                    INDICATIVE_BUDGET_OVERRIDDEN: {
                      guard: 'rulesMet',
                      target: 'calculated',
                      actions: 'recordBudgetOverride',
                    },
                    PLANNING_STARTED: {
                      guard: 'rulesMet',
                      target: '#journey.open.stage.planning',
                      actions: 'startPlanning',
                    },
                  },
                },
              },
            },
            // R-PLN-1..5, R-PB-1..3, R-SGN-1..3
            planning: {
              entry: 'enterStage',
              on: {
                PLAN_SUBMITTED: { guard: 'rulesMet', actions: 'recordPlan' },
                PLAN_VALIDATED: { guard: 'rulesMet', actions: 'recordPlanValidated' },
                DISPUTE_RAISED: { guard: 'rulesMet', actions: 'recordDispute' },
                PLAN_SIGNED_OFF: {
                  guard: 'rulesMet',
                  target: 'setUp',
                  actions: ['recordSignOff', 'sendPlanCopy'],
                },
              },
            },
            // R-ACT-1 / R-ACT-2
            setUp: {
              entry: 'enterStage',
              on: {
                DIRECT_PAYMENT_AGREEMENT_SIGNED: { guard: 'rulesMet', actions: 'recordAgreementSigned' },
                SERVICES_ACTIVATED: { guard: 'rulesMet', target: 'liveSupport', actions: 'activate' },
              },
            },
            // R-REV-1..9, R-END-2, R-END-3, R-HSP-1
            liveSupport: {
              entry: 'enterStage',
              on: {
                INFORMAL_REVIEW_COMPLETED: { guard: 'rulesMet', actions: 'completeInformalReview' },
                // R-REV-14: a major adaptation that is the only service may close the journey once
                // completed and working; the person alerts the council to any later concern.
                EQUIPMENT_CONFIRMED: [
                  {
                    guard: and([
                      'rulesMet',
                      ({ event }) => event.type === 'EQUIPMENT_CONFIRMED' && event.closeJourney,
                    ]),
                    target: '#journey.closed',
                    actions: ['confirmEquipment', { type: 'close', params: { reason: 'equipmentInPlace' } }],
                  },
                  { guard: 'rulesMet', actions: 'confirmEquipment' },
                ],
                DIRECT_PAYMENT_FINANCE_CONTACTED: { guard: 'rulesMet', actions: 'recordFinanceContact' },
                REVIEW_COMPLETED: [
                  {
                    guard: and(['rulesMet', { type: 'reviewOutcome', params: { outcome: 'reassessment' } }]),
                    target: 'reassessment',
                    actions: ['recordReview', 'sendReviewOutcome'],
                  },
                  {
                    // R-END-1: services end only after a reassessment, which the person gets a copy of.
                    guard: and(['rulesMet', { type: 'reviewOutcome', params: { outcome: 'servicesToEnd' } }]),
                    target: 'reassessment',
                    actions: ['recordReview', 'sendReviewOutcome'],
                  },
                  { guard: 'rulesMet', actions: ['recordReview', 'sendReviewOutcome'] },
                ],
                MONITORING_CHECK_COMPLETED: { guard: 'rulesMet', actions: 'completeMonitoringCheck' },
                UNSCHEDULED_REVIEW_REQUESTED: { guard: 'rulesMet', actions: 'requestUnscheduledReview' },
                DIRECT_PAYMENT_NOTICE_GIVEN: {
                  guard: 'rulesMet',
                  actions: ['recordDirectPaymentNotice', 'sendDirectPaymentEndNotice'],
                },
                DIRECT_PAYMENT_SUSPENDED: {
                  guard: 'rulesMet',
                  actions: [
                    'suspendDirectPayment',
                    {
                      type: 'instructPayments',
                      params: { instruction: 'suspend', reason: 'hospitalStay', ruleId: 'R-HSP-1' },
                    },
                    // R-END-4 (edition 5): a suspension is a change: its written record.
                    'sendSuspensionRecord',
                  ],
                },
                // R-ACT-1: a plan revised at review to a direct payment needs its agreement signed.
                DIRECT_PAYMENT_AGREEMENT_SIGNED: { guard: 'rulesMet', actions: 'recordAgreementSigned' },
                // R-SFG-1 and R-HSP-1: these concerns may call for an unscheduled review.
                SAFEGUARDING_CONCERN_RAISED: {
                  guard: and([
                    'rulesMet',
                    ({ event }) =>
                      event.type === 'SAFEGUARDING_CONCERN_RAISED' && event.triggersUnscheduledReview,
                  ]),
                  actions: 'requestUnscheduledReview',
                },
                HOSPITAL_DISCHARGED: {
                  guard: and([
                    'rulesMet',
                    ({ event }) => event.type === 'HOSPITAL_DISCHARGED' && event.needsChanged,
                  ]),
                  actions: 'requestUnscheduledReview',
                },
                // R-END-2: the agreement ends (payments stop) and the council re-plans. This
                // transition, not the `open` node's for the same event, is taken in live support.
                DEADLINE_REACHED: {
                  guard: and([
                    'rulesMet',
                    { type: 'deadlineKind', params: { kind: 'directPaymentAgreementEnd' } },
                  ]),
                  target: 'planning',
                  actions: [
                    'reach',
                    'endDirectPayment',
                    {
                      type: 'stopPayments',
                      params: { reason: 'directPaymentAgreementEnded', ruleId: 'R-END-2' },
                    },
                  ],
                },
              },
            },
            reassessment: {
              entry: 'enterStage',
              on: {
                ...reviewsWhileServicesChange,
                REASSESSMENT_COMPLETED: [
                  {
                    guard: and([
                      'rulesMet',
                      { type: 'reassessmentOutcome', params: { outcome: 'endServices' } },
                    ]),
                    target: 'endingServices',
                    actions: 'recordReassessment',
                  },
                  {
                    guard: and([
                      'rulesMet',
                      { type: 'reassessmentOutcome', params: { outcome: 'revisePlan' } },
                      'hasUnmetEligibleNeeds',
                    ]),
                    target: 'indicativeBudget',
                    actions: ['recordReassessment', 'requestIndicativeBudget'],
                  },
                  {
                    guard: and([
                      'rulesMet',
                      { type: 'reassessmentOutcome', params: { outcome: 'continue' } },
                    ]),
                    target: 'liveSupport',
                    actions: ['recordReassessment', 'startReviewCycleAfterReassessment'],
                  },
                ],
              },
            },
            // R-END-1
            endingServices: {
              entry: 'enterStage',
              initial: 'awaitingLetter',
              on: {
                ...reviewsWhileServicesChange,
                // R-REV-6 (edition 5): a review in the notice period decides on the ending: it goes
                // ahead (at once, if its date passed while the review was open), or it is withdrawn
                // for a reassessment or for the services to continue.
                REVIEW_COMPLETED: [
                  {
                    guard: and([
                      'rulesMet',
                      'edition5',
                      { type: 'reviewOutcome', params: { outcome: 'servicesToEnd' } },
                      'servicesEndReached',
                    ]),
                    target: '#journey.closed',
                    actions: [
                      'recordReviewWhileChanging',
                      { type: 'close', params: { reason: 'servicesEnded' } },
                      { type: 'stopPayments', params: { reason: 'servicesEnded', ruleId: 'R-END-1' } },
                    ],
                  },
                  {
                    guard: and([
                      'rulesMet',
                      'edition5',
                      { type: 'reviewOutcome', params: { outcome: 'servicesToEnd' } },
                    ]),
                    actions: 'recordReviewWhileChanging',
                  },
                  {
                    guard: and([
                      'rulesMet',
                      'edition5',
                      { type: 'reviewOutcome', params: { outcome: 'reassessment' } },
                    ]),
                    target: 'reassessment',
                    actions: ['withdrawEnding', 'recordReview', 'sendReviewOutcome'],
                  },
                  {
                    guard: and(['rulesMet', 'edition5']),
                    target: 'liveSupport',
                    actions: ['withdrawEnding', 'recordReview', 'sendReviewOutcome'],
                  },
                ],
                REASSESSMENT_COPY_PROVIDED: { guard: 'rulesMet', actions: 'recordReassessmentCopy' },
              },
              states: {
                awaitingLetter: {
                  on: {
                    SERVICE_END_LETTER_POSTED: {
                      guard: 'rulesMet',
                      target: 'noticeGiven',
                      actions: ['postServiceEndLetter', 'sendServiceEndLetter', 'sendJourneyEndRecord'],
                    },
                  },
                },
                noticeGiven: {
                  on: {
                    DEADLINE_REACHED: {
                      // R-REV-6 (edition 5): not while a review the services' own change triggered
                      // is open without a decision; the date is reached, and the review decides.
                      guard: and([
                        'rulesMet',
                        { type: 'deadlineKind', params: { kind: 'servicesEnd' } },
                        not(and(['edition5', 'unscheduledReviewOpen'])),
                      ]),
                      target: '#journey.closed',
                      actions: [
                        'reach',
                        { type: 'close', params: { reason: 'servicesEnded' } },
                        { type: 'stopPayments', params: { reason: 'servicesEnded', ruleId: 'R-END-1' } },
                      ],
                    },
                  },
                },
              },
            },
            // R-TRF-1: funding continues up to 6 weeks after the move, then the journey closes.
            movedAway: {
              entry: 'enterStage',
              on: {
                ...reviewsWhileServicesChange,
                DEADLINE_REACHED: {
                  guard: and(['rulesMet', { type: 'deadlineKind', params: { kind: 'fundingAfterMove' } }]),
                  target: '#journey.closed',
                  actions: [
                    'reach',
                    { type: 'close', params: { reason: 'movedAway' } },
                    { type: 'stopPayments', params: { reason: 'movedAway', ruleId: 'R-TRF-1' } },
                  ],
                },
              },
            },
          },
        },
        // R-CMP-1: complaints never stop the journey.
        complaints: {
          initial: 'none',
          states: {
            none: {
              on: {
                COMPLAINT_RAISED: { guard: 'rulesMet', target: 'open', actions: 'recordComplaint' },
                // Issue 17: imported with open complaints (recorded by importJourney).
                JOURNEY_IMPORTED: { guard: and(['rulesMet', 'importsComplaints']), target: 'open' },
              },
            },
            open: {
              on: {
                COMPLAINT_RAISED: { guard: 'rulesMet', actions: 'recordComplaint' },
                BUDGET_COMPLAINT_INTERIM_CHOICE: {
                  guard: 'rulesMet',
                  actions: ['recordInterimChoice', 'clockServicesArrangedInstead'],
                },
                COMPLAINT_RESOLVED: [
                  {
                    guard: and(['rulesMet', 'resolvesLastComplaint']),
                    target: 'none',
                    actions: ['closeServicesArrangedClock', 'resolveComplaint'],
                  },
                  { guard: 'rulesMet', actions: ['closeServicesArrangedClock', 'resolveComplaint'] },
                ],
              },
            },
          },
        },
        // R-SFG-1: alongside the journey; may trigger an unscheduled review.
        safeguarding: {
          initial: 'none',
          states: {
            none: {
              on: {
                SAFEGUARDING_CONCERN_RAISED: {
                  guard: 'rulesMet',
                  target: 'open',
                  actions: 'recordSafeguardingConcern',
                },
                JOURNEY_IMPORTED: { guard: and(['rulesMet', 'importsSafeguarding']), target: 'open' },
              },
            },
            open: {
              on: {
                SAFEGUARDING_CONCERN_RAISED: { guard: 'rulesMet', actions: 'recordSafeguardingConcern' },
                SAFEGUARDING_CLOSED: [
                  {
                    guard: and(['rulesMet', 'closesLastConcern']),
                    target: 'none',
                    actions: 'closeSafeguardingConcern',
                  },
                  { guard: 'rulesMet', actions: 'closeSafeguardingConcern' },
                ],
              },
            },
          },
        },
        // R-HSP-1 / R-TRF-2
        hospital: {
          initial: 'atHome',
          states: {
            atHome: {
              on: {
                HOSPITAL_ADMITTED: { guard: 'rulesMet', target: 'inHospital', actions: 'admitToHospital' },
                JOURNEY_IMPORTED: { guard: and(['rulesMet', 'importsHospitalStay']), target: 'inHospital' },
              },
            },
            inHospital: {
              on: {
                HOSPITAL_DISCHARGED: {
                  guard: 'rulesMet',
                  target: 'atHome',
                  // R-HSP-1: discharge resumes a suspended direct payment (told before it is cleared).
                  actions: ['resumeSuspendedPayments', 'discharge'],
                },
              },
            },
          },
        },
        // R-ASM-2
        advocacy: {
          initial: 'notNeeded',
          states: {
            notNeeded: {
              on: {
                INVOLVEMENT_DIFFICULTY_ASSESSED: [
                  {
                    guard: and(['rulesMet', 'advocateNeeded']),
                    target: 'required',
                    actions: 'requireAdvocate',
                  },
                  // No advocate needed: recorded, so the event is accepted (can() needs an action).
                  { guard: 'rulesMet', actions: 'recordInvolvementAssessed' },
                ],
                ADVOCATE_ARRANGED: { guard: 'rulesMet', target: 'arranged', actions: 'recordAdvocate' },
              },
            },
            required: {
              on: { ADVOCATE_ARRANGED: { guard: 'rulesMet', target: 'arranged', actions: 'recordAdvocate' } },
            },
            arranged: {},
          },
        },
      },
    },
    closed: { type: 'final', entry: 'stopEverything' },
  },
});

export type JourneyMachine = typeof journeyMachine;
