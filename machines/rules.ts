import { calendarOf, isOpen } from './deadlines';
import type { EventOf, JourneyEvent, JourneyEventType, Plan } from './events';
import { planUsesDirectPayment, rulesEdition, type JourneyContext } from './journeyContext';
import { timeRefusals } from './timeRules';
import type { Refusal } from './types';

/**
 * The rule book: for each event, the JOURNEY.md rules it is held to. The machine's guards call
 * these, and `checkEvent` returns their refusals as the reasons an event is not allowed — so a
 * rule is written once and the refusal says why in the words of the rule.
 *
 * `before` holds what must already be true of the journey (it needs no payload, so "what can
 * happen next" can be worked out from the snapshot alone); `check` judges the event's payload.
 */
interface EventRule<T extends JourneyEventType> {
  ruleIds: string[];
  before?: (context: JourneyContext) => Refusal[];
  check?: (context: JourneyContext, event: EventOf<T>) => Refusal[];
}
type RuleBook = { [T in JourneyEventType]: EventRule<T> };

const refuse = (ruleId: string | undefined, message: string): Refusal =>
  ruleId ? { ruleId, message } : { message };
const when = (condition: boolean, ruleId: string | undefined, message: string): Refusal[] =>
  condition ? [refuse(ruleId, message)] : [];

const dateOf = (context: JourneyContext, instant: string) => calendarOf(context).londonDateOf(instant);

// ---- Rules shared by several events -------------------------------------------------------

/** R-ASM-2: an advocate must be arranged before the assessment or plan is finalised. */
const advocateArrangedIfRequired = (context: JourneyContext): Refusal[] =>
  when(
    context.advocacy.required && !context.advocacy.advocateId,
    'R-ASM-2',
    'an independent advocate must be arranged first: the person would have substantial difficulty being involved and has no appropriate person to help',
  );

const usesDirectPayment = (context: JourneyContext): Refusal[] =>
  when(!planUsesDirectPayment(context.plan), 'R-PLN-2', 'the plan does not include a direct payment');

/** R-PLN-4: what a direct payment cannot buy. */
export function prohibitedDirectPaymentUses(plan: Plan): Refusal[] {
  const refusals: Refusal[] = [];
  for (const purchase of plan.directPayment?.purchases ?? []) {
    const what = `"${purchase.description}"`;
    switch (purchase.category) {
      case 'longTermResidential':
        refusals.push(refuse('R-PLN-4', `a direct payment cannot buy long-term residential care (${what})`));
        break;
      case 'healthcare':
        refusals.push(refuse('R-PLN-4', `a direct payment cannot buy healthcare (${what})`));
        break;
      case 'unlawful':
        refusals.push(refuse('R-PLN-4', `a direct payment cannot buy anything unlawful (${what})`));
        break;
      case 'shortStayResidential': {
        const stay = purchase.shortStay;
        if (!stay || stay.lengthWeeks > 4 || (stay.weeksSincePreviousStay ?? Infinity) < 4) {
          refusals.push(
            refuse(
              'R-PLN-4',
              `a short residential stay must last at most 4 weeks and be at least 4 weeks after the previous one (${what})`,
            ),
          );
        }
        break;
      }
      case 'familyMemberInHousehold':
      case 'councilService':
      case 'equipment':
        if (!purchase.exceptional) {
          const label = {
            familyMemberInHousehold: 'a spouse, partner or close relative living in the same household',
            councilService: 'services from a council',
            equipment: 'equipment',
          }[purchase.category];
          refusals.push(
            refuse(
              'R-PLN-4',
              `a direct payment cannot buy ${label} unless it is marked exceptional with a reason (${what})`,
            ),
          );
        }
        break;
      default:
        break;
    }
  }
  return refusals;
}

/** R-PLN-3: every element a plan must contain before sign-off, each named when missing. */
export function missingPlanElements(plan: Plan | undefined): string[] {
  if (!plan) return ['the plan itself (no plan has been submitted)'];
  const missing: string[] = [];
  const need = (present: unknown, name: string) => {
    if (present === undefined || (Array.isArray(present) && present.length === 0)) missing.push(name);
  };
  need(plan.needsAndOutcomes, 'the needs and outcomes');
  need(plan.eligibleNeeds, 'the eligible needs');
  if (plan.ineligibleNeeds === undefined) missing.push('the ineligible needs');
  need(plan.informationAndAdvice, 'information and advice to reduce or prevent needs');
  need(plan.ownResourcesAndNetwork, "what the person's own resources and network will meet");
  need(plan.councilWillMeet, 'what the council will meet and how');
  need(plan.personalBudget, 'the personal budget');
  if (plan.budgetManagement.includes('directPayment')) {
    need(plan.directPayment?.needsMet, 'the needs the direct payment meets');
    need(plan.directPayment?.amount, 'the amount of the direct payment');
    need(plan.directPayment?.frequency, 'the frequency of the direct payment');
  }
  need(plan.risks, 'how risks are managed');
  need(plan.contingencyPlan, 'a contingency plan');
  need(plan.stayingInControl, 'how the person stays in control');
  if (!plan.optionsConsidered?.some((o) => !o.chosen)) {
    missing.push('the options considered, including those rejected, with reasons');
  }
  return missing;
}

/** R-SGN-1: the delegation limit that applies to the allocated team. */
export function delegationLimit(context: JourneyContext): number {
  const { signOff } = context.profile;
  const teamLimit = context.team === undefined ? undefined : signOff.teamDelegationLimits[context.team];
  return teamLimit ?? signOff.delegationLimit;
}

/** R-END-1: the earliest end date a letter posted on this date may set. */
export function earliestServiceEndDate(context: JourneyContext, postedOn: string): string {
  return calendarOf(context).addWorkingDays(postedOn, context.profile.ending.endLetterNoticeWorkingDays);
}

/** R-REV-3 / R-REV-5: the longest interval to the next review. */
export function maxReviewIntervalMonths(
  context: JourneyContext,
  indicators: EventOf<'REVIEW_COMPLETED'>['indicators'],
): number {
  const anyIndicator = Object.values(indicators).some(Boolean);
  return anyIndicator
    ? context.profile.reviews.reducedIntervalMonths
    : context.profile.reviews.maxIntervalMonths;
}

const pennies = (n: number) => Math.round(n * 100);

// ---- The rule book ------------------------------------------------------------------------

export const ruleBook: RuleBook = {
  REFERRAL_RECEIVED: {
    ruleIds: ['R-REF-1', 'R-REF-4', 'R-CAR-1'],
    check: (context, event) => [
      ...when(
        context.referrals.some((r) => r.referralId === event.referralId),
        'R-REF-4',
        `referral ${event.referralId} is already recorded on this journey`,
      ),
      ...when(
        event.subject !== context.subject,
        'R-CAR-1',
        `this journey is for a ${context.subject}; a referral for a ${event.subject} opens a journey of its own`,
      ),
    ],
  },
  UNIVERSAL_OFFER_GIVEN: { ruleIds: ['R-REF-1'] },
  TRIAGED: {
    ruleIds: ['R-REF-2', 'R-REF-1'],
    check: (context, event) =>
      when(
        event.route !== 'emergencyInterimSupport' && !context.universalOffer,
        'R-REF-1',
        'the universal offer (information, advice, signposting, prevention) must be given before triage routes the referral onward',
      ),
  },
  WORKER_ALLOCATED: { ruleIds: [] },
  ORDINARY_RESIDENCE_ESTABLISHED: { ruleIds: ['R-REF-3'] },
  SHORT_TERM_SUPPORT_ENDED: { ruleIds: ['R-REF-2'] },
  INTERIM_SUPPORT_STARTED: { ruleIds: ['R-EMG-1'] },
  ASSESSMENT_STARTED: { ruleIds: ['R-EMG-1', 'R-ASM-1'] },
  CAPACITY_ASSESSED: { ruleIds: ['R-ASM-2'] },
  INVOLVEMENT_DIFFICULTY_ASSESSED: { ruleIds: ['R-ASM-2'] },
  ADVOCATE_ARRANGED: { ruleIds: ['R-ASM-2'] },
  CONSENT_RECORDED: { ruleIds: ['R-ASM-3'] },
  CARER_IDENTIFIED: { ruleIds: ['R-ASM-4'] },
  CARER_ASSESSMENT_OFFERED: {
    ruleIds: ['R-ASM-4', 'R-CAR-1'],
    check: (context, event) =>
      when(
        context.carer?.carerId !== event.carerId,
        'R-ASM-4',
        `carer ${event.carerId} has not been identified on this journey`,
      ),
  },
  ASSESSMENT_PAUSED: { ruleIds: ['R-ASM-6'] },
  ASSESSMENT_RESUMED: { ruleIds: ['R-ASM-6'] },
  ASSESSMENT_COMPLETED: {
    ruleIds: ['R-ASM-1', 'R-ASM-5', 'R-IB-1'],
    before: (context) => [
      ...when(
        !context.consent,
        'R-ASM-3',
        'consent to share information, and any limits on it, must be recorded',
      ),
      ...advocateArrangedIfRequired(context),
      ...when(
        !!context.carer && !context.carer.offeredAt,
        'R-ASM-4',
        "a carer has been identified: a carer's assessment must be offered",
      ),
    ],
    check: (context, event) => {
      const eligible = new Set(event.eligibleNeeds.map((n) => n.need));
      return [
        ...event.unmetEligibleNeeds
          .filter((n) => !eligible.has(n.need))
          .map((n) => refuse('R-ASM-1', `unmet need "${n.need}" is not among the eligible needs`)),
        ...when(
          event.unmetEligibleNeeds.length > 0 && !context.universalOffer,
          'R-IB-1',
          'universal and preventative options must be applied before an indicative budget is worked out',
        ),
      ];
    },
  },
  INDICATIVE_BUDGET_CALCULATED: { ruleIds: ['R-IB-1', 'R-IB-2'] },
  INDICATIVE_BUDGET_SHARED: { ruleIds: ['R-IB-3'] },
  PLANNING_STARTED: {
    ruleIds: ['R-IB-3', 'R-REF-3', 'R-PLN-1'],
    before: (context) => [
      ...when(
        !context.indicativeBudget?.sharedAt,
        'R-IB-3',
        'the indicative budget must be shared with the person before planning starts',
      ),
      ...when(
        !context.ordinaryResidence,
        'R-REF-3',
        'ordinary residence must be established before care and support planning',
      ),
      ...advocateArrangedIfRequired(context),
    ],
  },
  PLAN_SUBMITTED: {
    ruleIds: ['R-PLN-2', 'R-PLN-4'],
    check: (_context, event) => [
      ...when(
        !!event.plan.directPayment && !event.plan.budgetManagement.includes('directPayment'),
        'R-PLN-2',
        'direct payment details are given but the budget management options do not include a direct payment',
      ),
      ...prohibitedDirectPaymentUses(event.plan),
    ],
  },
  PLAN_VALIDATED: {
    ruleIds: ['R-PLN-1'],
    before: (context) => when(!context.plan, 'R-PLN-1', 'there is no plan to validate yet'),
  },
  DISPUTE_RAISED: { ruleIds: ['R-SGN-2'] },
  PLAN_SIGNED_OFF: {
    ruleIds: ['R-PLN-3', 'R-PB-1', 'R-PB-2', 'R-PB-3', 'R-SGN-1', 'R-SGN-2', 'R-SGN-3'],
    before: (context) => [
      ...missingPlanElements(context.plan).map((m) => refuse('R-PLN-3', `the plan is missing ${m}`)),
      ...when(
        !!context.planning && context.planning.preparedBy !== 'worker' && !context.planning.validatedAt,
        'R-PLN-1',
        'a plan not prepared by the council must be validated by it before sign-off',
      ),
      ...advocateArrangedIfRequired(context),
      ...(context.plan ? prohibitedDirectPaymentUses(context.plan) : []),
    ],
    check: (context, event) => {
      const { costing } = event;
      const refusals: Refusal[] = [];
      if (costing.s117Aftercare && costing.assessedContribution > 0) {
        refusals.push(
          refuse('R-PB-3', 's117 Mental Health Act aftercare is free: the assessed contribution must be 0'),
        );
      }
      const expected = Math.max(
        0,
        costing.reasonableCost - costing.assessedContribution - costing.otherFunding,
      );
      if (pennies(expected) !== pennies(event.finalBudget)) {
        refusals.push(
          refuse(
            'R-PB-3',
            `the personal budget must be the reasonable cost less the assessed contribution and other funding: £${expected.toFixed(2)}, not £${event.finalBudget.toFixed(2)}`,
          ),
        );
      }
      const indicative = context.indicativeBudget?.amount;
      if (
        indicative !== undefined &&
        pennies(indicative) !== pennies(event.finalBudget) &&
        !event.mismatchReason
      ) {
        refusals.push(
          refuse(
            'R-PB-2',
            `the final budget (£${event.finalBudget.toFixed(2)}) differs from the indicative budget (£${indicative.toFixed(2)}): record the reason`,
          ),
        );
      }
      const limit = delegationLimit(context);
      const authoriser = context.profile.signOff.authoriserRole;
      if (event.finalBudget > limit && event.actor.role !== authoriser) {
        refusals.push(
          refuse(
            'R-SGN-1',
            `a budget of £${event.finalBudget.toFixed(2)} is above the delegation limit of £${limit.toFixed(2)}: it needs sign-off by a ${authoriser}`,
          ),
        );
      }
      if (event.withDispute) {
        refusals.push(
          ...when(
            !context.planning?.dispute,
            'R-SGN-2',
            'sign-off with a dispute needs the dispute raised first, so planning is revisited',
          ),
          ...when(
            !event.withDispute.directedToComplaints,
            'R-SGN-2',
            'the person must be directed to the complaints procedure',
          ),
        );
      } else {
        refusals.push(
          ...when(
            !event.agreedBy.person,
            'R-SGN-1',
            'the person has not agreed the plan: sign off only with their agreement, or with the dispute recorded',
          ),
        );
      }
      refusals.push(
        ...when(
          !!context.advocacy.advocateId && !event.agreedBy.advocate,
          'R-SGN-1',
          'the advocate must be part of the sign-off',
        ),
      );
      return refusals;
    },
  },
  DIRECT_PAYMENT_AGREEMENT_SIGNED: {
    ruleIds: ['R-ACT-1'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...when(
        !!context.directPayment.agreementSignedOn,
        'R-ACT-1',
        'the direct payment agreement is already signed',
      ),
    ],
  },
  SERVICES_ACTIVATED: {
    ruleIds: ['R-ACT-1', 'R-ACT-2', 'R-EMG-2', 'R-REV-1', 'R-REV-2'],
    before: (context) =>
      when(
        planUsesDirectPayment(context.plan) && !context.directPayment.agreementSignedOn,
        'R-ACT-1',
        'a direct payment is not activated until the direct payment agreement is signed',
      ),
    check: (context, event) => {
      const calendar = calendarOf(context);
      const start = calendar.londonDateOf(event.occurredAt);
      const latest = calendar.addCalendarWeeks(start, context.profile.reviews.firstReview.overdueWeeks);
      return when(
        event.firstReviewAgreedFor < start || event.firstReviewAgreedFor > latest,
        'R-ACT-2',
        `the first review must be agreed for a date between ${start} and ${latest}`,
      );
    },
  },
  INFORMAL_REVIEW_COMPLETED: {
    ruleIds: ['R-REV-1'],
    before: (context) =>
      when(
        !context.deadlines.some((d) => d.kind === 'informalReview' && isOpen(d)),
        'R-REV-1',
        'no informal review is pending',
      ),
  },
  DIRECT_PAYMENT_FINANCE_CONTACTED: { ruleIds: ['R-REV-7'], before: usesDirectPayment },
  REVIEW_COMPLETED: {
    ruleIds: ['R-REV-2', 'R-REV-3', 'R-REV-4', 'R-REV-5', 'R-REV-7', 'R-REV-8', 'R-REV-9'],
    before: (context) => {
      const since = context.reviews.at(-1)?.at ?? context.activatedAt;
      const contacted = context.directPayment.financeContactedAt;
      return when(
        planUsesDirectPayment(context.plan) &&
          (!contacted || (since !== undefined && Date.parse(contacted) < Date.parse(since))),
        'R-REV-7',
        'before reviewing a direct payment, the direct payment finance team must be contacted',
      );
    },
    check: (context, event) => {
      const calendar = calendarOf(context);
      const today = calendar.londonDateOf(event.occurredAt);
      const maxMonths = maxReviewIntervalMonths(context, event.indicators);
      const latest = calendar.addCalendarMonths(today, maxMonths);
      const next = event.nextReviewOn;
      const agreedBelow = context.profile.reviews.agreedIntervalBelowMonths;
      return [
        ...when(!event.eligibilityRedetermined, 'R-REV-8', 'every review re-determines eligibility'),
        ...when(!event.contingencyPlanReviewed, 'R-REV-8', 'every review reviews the contingency plan'),
        ...when(
          next !== undefined && next > latest,
          maxMonths < context.profile.reviews.maxIntervalMonths ? 'R-REV-5' : 'R-REV-3',
          `the next review must be no later than ${latest} (at most ${maxMonths} months away)`,
        ),
        ...when(next !== undefined && next <= today, 'R-REV-8', 'the next review date must be in the future'),
        ...when(
          next !== undefined &&
            next < calendar.addCalendarMonths(today, agreedBelow) &&
            !event.complexCase?.agreedWithServiceManager,
          'R-REV-9',
          `a review less than ${agreedBelow} months away needs the service manager's agreement (complex case)`,
        ),
        ...when(
          event.outcome === 'planRevised' && !event.revisedPlan,
          'R-REV-8',
          'a revised plan must be recorded with the review',
        ),
        ...when(
          event.outcome === 'planRevised' &&
            context.personalBudget !== undefined &&
            (event.revisedPlan?.personalBudget ?? 0) > context.personalBudget,
          'R-REV-8',
          'a plan revised at review stays within the personal budget; a larger budget needs a reassessment',
        ),
        ...(event.revisedPlan ? prohibitedDirectPaymentUses(event.revisedPlan) : []),
      ];
    },
  },
  MONITORING_CHECK_COMPLETED: {
    ruleIds: ['R-REV-4'],
    before: (context) =>
      when(
        !context.deadlines.some((d) => d.kind === 'monitoringCheck' && isOpen(d)),
        'R-REV-4',
        'no monitoring check is pending',
      ),
  },
  UNSCHEDULED_REVIEW_REQUESTED: { ruleIds: ['R-REV-6'] },
  REASSESSMENT_COMPLETED: {
    ruleIds: ['R-REV-8', 'R-END-1'],
    check: (context, event) => {
      const calendar = calendarOf(context);
      const today = calendar.londonDateOf(event.occurredAt);
      const latest = calendar.addCalendarMonths(today, context.profile.reviews.maxIntervalMonths);
      return [
        ...when(
          event.outcome === 'revisePlan' && event.unmetEligibleNeeds.length === 0,
          'R-IB-1',
          'a revised plan needs unmet eligible needs for the indicative budget to cover',
        ),
        ...when(
          event.nextReviewOn !== undefined && (event.nextReviewOn <= today || event.nextReviewOn > latest),
          'R-REV-3',
          `the next review must be after today and no later than ${latest}`,
        ),
      ];
    },
  },
  REASSESSMENT_COPY_PROVIDED: { ruleIds: ['R-END-1'] },
  SERVICE_END_LETTER_POSTED: {
    ruleIds: ['R-END-1'],
    before: (context) =>
      when(
        !context.reassessment?.copyProvidedAt,
        'R-END-1',
        'the person must have a copy of the reassessment before any end date is set',
      ),
    check: (context, event) => {
      const earliest = earliestServiceEndDate(context, event.postedOn);
      return when(
        event.endDate !== undefined && event.endDate < earliest,
        'R-END-1',
        `the end date must be at least ${context.profile.ending.endLetterNoticeWorkingDays} working days after the letter is posted: the earliest allowed is ${earliest}`,
      );
    },
  },
  DIRECT_PAYMENT_NOTICE_GIVEN: {
    ruleIds: ['R-END-2'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...when(!!context.directPayment.notice, 'R-END-2', 'notice has already been given on this agreement'),
    ],
  },
  SURPLUS_RECOVERED: {
    ruleIds: ['R-END-3'],
    before: (context) =>
      when(
        !planUsesDirectPayment(context.plan) && !context.directPayment.endedAt,
        'R-END-3',
        'there is no direct payment, current or ended, to recover a surplus from',
      ),
  },
  MOVED_AWAY: { ruleIds: ['R-TRF-1'] },
  HOSPITAL_ADMITTED: { ruleIds: ['R-HSP-1'] },
  HOSPITAL_DISCHARGED: {
    ruleIds: ['R-HSP-1', 'R-TRF-2'],
    before: (context) => when(!context.hospital, 'R-HSP-1', 'the person is not in hospital'),
    check: (context, event) => [
      ...when(
        !event.dischargeProtocolFollowed,
        'R-TRF-2',
        'transfer of care from hospital must follow the hospital discharge protocol',
      ),
      ...when(
        !!context.hospital && event.dischargedOn < context.hospital.admittedOn,
        undefined,
        `discharge date ${event.dischargedOn} is before the admission on ${context.hospital?.admittedOn}`,
      ),
    ],
  },
  DIRECT_PAYMENT_SUSPENDED: {
    ruleIds: ['R-HSP-1'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...when(!!context.directPayment.suspendedAt, 'R-HSP-1', 'the direct payment is already suspended'),
    ],
    check: (context, event) => {
      const admitted = context.hospital?.admittedOn;
      const days = context.profile.significantHospitalStayDays;
      const significantFrom = admitted && calendarOf(context).addCalendarDays(admitted, days);
      return when(
        !significantFrom || dateOf(context, event.occurredAt) < significantFrom,
        'R-HSP-1',
        `a direct payment is suspended only for a significant hospital stay (${days} days or more)`,
      );
    },
  },
  PERSON_DIED: { ruleIds: ['R-DTH-1'] },
  JOURNEY_WITHDRAWN: { ruleIds: [] },
  COMPLAINT_RAISED: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        context.complaints.some((c) => c.complaintId === event.complaintId),
        'R-CMP-1',
        `complaint ${event.complaintId} is already recorded`,
      ),
  },
  BUDGET_COMPLAINT_INTERIM_CHOICE: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        !context.complaints.some(
          (c) => c.complaintId === event.complaintId && c.about === 'budget' && !c.resolvedAt,
        ),
        'R-CMP-1',
        `there is no open complaint ${event.complaintId} about the budget`,
      ),
  },
  COMPLAINT_RESOLVED: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        !context.complaints.some((c) => c.complaintId === event.complaintId && !c.resolvedAt),
        'R-CMP-1',
        `there is no open complaint ${event.complaintId}`,
      ),
  },
  SAFEGUARDING_CONCERN_RAISED: {
    ruleIds: ['R-SFG-1'],
    check: (context, event) =>
      when(
        context.safeguarding.some((s) => s.concernId === event.concernId),
        'R-SFG-1',
        `safeguarding concern ${event.concernId} is already recorded`,
      ),
  },
  SAFEGUARDING_CLOSED: {
    ruleIds: ['R-SFG-1'],
    check: (context, event) =>
      when(
        !context.safeguarding.some((s) => s.concernId === event.concernId && !s.closedAt),
        'R-SFG-1',
        `there is no open safeguarding concern ${event.concernId}`,
      ),
  },
  DEADLINE_REACHED: {
    ruleIds: [],
    check: (context, event) => {
      const deadline = context.deadlines.find((d) => d.id === event.deadlineId);
      if (!deadline) return [refuse(undefined, `there is no deadline ${event.deadlineId}`)];
      if (deadline.status !== 'due')
        return [refuse(deadline.ruleId, `deadline ${deadline.id} is ${deadline.status}`)];
      const firesAt = deadline.effect === 'effective' ? deadline.dueAt : deadline.overdueAt;
      return [
        ...when(
          Date.parse(event.occurredAt) < Date.parse(firesAt),
          deadline.ruleId,
          `deadline ${deadline.id} is not reached until ${firesAt}`,
        ),
        ...when(event.actor.role !== 'system', undefined, 'only the system reports a deadline reached'),
      ];
    },
  },
};

/** Rules that hold for every event, whoever sends it. */
function universalRules(context: JourneyContext, event: JourneyEvent): Refusal[] {
  return [
    ...when(event.actor.role === 'auditor', undefined, 'an auditor may read journeys but not change them'),
    ...journeyOpened(context, event.type),
    ...(rulesEdition(context, 2) ? timeRefusals(context, event) : []),
  ];
}

/** R-REF-1: a referral opens the journey; nothing else happens before it. */
function journeyOpened(context: JourneyContext, type: JourneyEventType): Refusal[] {
  return when(
    context.referrals.length === 0 && type !== 'REFERRAL_RECEIVED',
    'R-REF-1',
    'the journey has no referral yet: a referral opens it',
  );
}

/** Every refusal for this event on this journey: what must already be true, then the payload. */
export function refusalsFor(context: JourneyContext, event: JourneyEvent): Refusal[] {
  const rule = ruleBook[event.type] as EventRule<typeof event.type>;
  return [
    ...universalRules(context, event),
    ...(rule.before?.(context) ?? []),
    ...(rule.check?.(context, event) ?? []),
  ];
}

/** What must already be true for this kind of event (no payload needed). */
export function preconditionRefusals(context: JourneyContext, type: JourneyEventType): Refusal[] {
  return [...journeyOpened(context, type), ...(ruleBook[type].before?.(context) ?? [])];
}

/** The rule ids an accepted event is recorded under (a reached deadline: its own rule). */
export function ruleIdsFor(context: JourneyContext, event: JourneyEvent): string[] {
  if (event.type === 'DEADLINE_REACHED') {
    const deadline = context.deadlines.find((d) => d.id === event.deadlineId);
    return deadline ? [deadline.ruleId] : [];
  }
  return ruleBook[event.type].ruleIds;
}
