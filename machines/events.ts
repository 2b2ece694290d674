import { z } from 'zod';

/**
 * The event catalogue: every event a journey accepts, each with one zod schema. The machine's
 * types, the workflow's Update validator and the HTTP API all use these schemas, so an event is
 * well-formed in exactly one sense everywhere.
 *
 * Every event carries `type`, `eventId` (de-duplication: a retried event is applied once),
 * `occurredAt` (when it happened in the world; clocks start from it, and it may be earlier than
 * when it is recorded) and `actor` (who did it), then its own payload.
 */

export const roles = ['practitioner', 'manager', 'integration', 'auditor', 'system'] as const;
export const actorSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(roles),
});
export type Actor = z.infer<typeof actorSchema>;

const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();
const text = z.string().trim().min(1);
const money = z.number().nonnegative().finite();

const envelope = {
  eventId: z.string().min(1).max(200),
  occurredAt: instant,
  actor: actorSchema,
};

function event<T extends string, S extends z.ZodRawShape>(type: T, payload: S) {
  return z.strictObject({ type: z.literal(type), ...envelope, ...payload });
}

/** An assessed need with its RAS points (R-ASM-1, R-IB-2). */
export const needSchema = z.object({ need: text, points: z.number().int().nonnegative() });

export const budgetManagementOptions = [
  'directPayment',
  'councilManaged',
  'individualServiceFund',
  'careManagedAccount',
] as const;

/** What a direct payment would buy (R-PLN-4 decides which categories are prohibited). */
export const purchaseCategories = [
  'personalAssistant',
  'agencyCare',
  'dayActivity',
  'shortStayResidential',
  'longTermResidential',
  'healthcare',
  'familyMemberInHousehold',
  'councilService',
  'equipment',
  'unlawful',
  'other',
] as const;

export const purchaseSchema = z.object({
  description: text,
  category: z.enum(purchaseCategories),
  /** R-PLN-4: some prohibited uses are allowed when exceptional, with the reason recorded. */
  exceptional: z.object({ reason: text }).optional(),
  /** R-PLN-4: short residential stays of up to 4 weeks, separated by at least 4 weeks. */
  shortStay: z
    .object({
      lengthWeeks: z.number().positive(),
      weeksSincePreviousStay: z.number().nonnegative().optional(),
    })
    .optional(),
});

/**
 * The care and support plan. Every R-PLN-3 element is optional here so a draft can be saved;
 * sign-off is refused while any is missing, naming each one.
 */
export const planSchema = z.object({
  needsAndOutcomes: text.optional(),
  eligibleNeeds: z.array(text).optional(),
  ineligibleNeeds: z.array(text).optional(),
  informationAndAdvice: text.optional(),
  ownResourcesAndNetwork: text.optional(),
  councilWillMeet: text.optional(),
  personalBudget: money.optional(),
  /** R-PLN-2: one option or a combination. */
  budgetManagement: z.array(z.enum(budgetManagementOptions)).min(1),
  directPayment: z
    .object({
      needsMet: z.array(text).min(1).optional(),
      amount: money.optional(),
      frequency: z.enum(['weekly', 'fourWeekly', 'monthly', 'annually']).optional(),
      purchases: z.array(purchaseSchema).default([]),
    })
    .optional(),
  risks: text.optional(),
  contingencyPlan: text.optional(),
  stayingInControl: text.optional(),
  optionsConsidered: z.array(z.object({ option: text, chosen: z.boolean(), reason: text })).optional(),
  /** R-REV-1: whether the 72-hour informal review applies to this plan (else the profile decides). */
  informalReview72h: z.boolean().optional(),
  /** R-PLN-6 (a carer's plan): the carer's outcomes — social, educational, employment. */
  carerOutcomes: z.array(text).optional(),
  /** R-PLN-6 (a carer's plan): whom to contact in a crisis. */
  crisisContact: text.optional(),
});
export type Plan = z.infer<typeof planSchema>;

export const reviewIndicators = z.object({
  serviceOnlyFewMonthsOld: z.boolean(),
  needsLikelyToChange: z.boolean(),
  newProviderWithoutTrackRecord: z.boolean(),
  severalProvidersToCoordinate: z.boolean(),
});

export const journeyEventSchemas = [
  // Referral and triage
  event('REFERRAL_RECEIVED', {
    referralId: text,
    receivedDate: localDate,
    source: z.enum(['self', 'family', 'gp', 'hospital', 'provider', 'professional', 'other']),
    urgency: z.enum(['routine', 'urgent', 'emergency']),
    summary: text,
    subject: z.enum(['person', 'carer']).default('person'),
  }),
  event('UNIVERSAL_OFFER_GIVEN', {
    informationAndAdvice: z.array(text).min(1),
    signposting: z.array(text).default([]),
    prevention: z.array(text).default([]),
  }),
  event('TRIAGED', {
    route: z.enum(['informationAndAdvice', 'shortTermSupport', 'assessment', 'emergencyInterimSupport']),
    reason: text,
  }),
  event('WORKER_ALLOCATED', { team: text, workerId: text }),
  event('ORDINARY_RESIDENCE_ESTABLISHED', { council: text }),
  event('SHORT_TERM_SUPPORT_ENDED', {
    outcome: z.enum(['needsMet', 'assessmentNeeded']),
    notes: text.optional(),
  }),

  // Emergencies
  event('INTERIM_SUPPORT_STARTED', {
    services: z.array(text).min(1),
    /** R-EMG-3: set up with the approval of the relevant manager… */
    managerApproval: z.object({ managerId: text }).optional(),
    /** R-EMG-3: …and the case notes completed */
    caseNotesCompleted: z.boolean().optional(),
  }),

  // Assessment
  event('ASSESSMENT_STARTED', {}),
  event('CAPACITY_ASSESSED', {
    decision: text,
    hasCapacity: z.boolean(),
    /** R-ASM-7: which decision it is about, where the rules depend on it */
    topic: z.enum(['managingDirectPayment', 'consentToDirectPayment', 'careAndSupport', 'other']).optional(),
  }),
  /** R-ASM-7: a 'suitable person' takes the direct payment for someone unable to consent to or manage it. */
  event('SUITABLE_PERSON_APPOINTED', {
    suitablePersonId: text,
    relationship: text,
    /** the date the risk assessment of the suitable person was recorded */
    riskAssessmentRecordedOn: localDate.optional(),
  }),
  event('INVOLVEMENT_DIFFICULTY_ASSESSED', {
    substantialDifficulty: z.boolean(),
    appropriatePersonAvailable: z.boolean(),
  }),
  event('ADVOCATE_ARRANGED', { advocateId: text, organisation: text.optional() }),
  event('CONSENT_RECORDED', { consentGiven: z.boolean(), limits: text.optional() }),
  event('CARER_IDENTIFIED', { carerId: text }),
  event('CARER_ASSESSMENT_OFFERED', { carerId: text, accepted: z.boolean() }),
  event('ASSESSMENT_PAUSED', { reason: text }),
  event('ASSESSMENT_RESUMED', {}),
  event('ASSESSMENT_COMPLETED', {
    presentingNeeds: z.array(text).min(1),
    eligibleNeeds: z.array(needSchema),
    ineligibleNeeds: z.array(text),
    unmetEligibleNeeds: z.array(needSchema),
    outcomes: z.array(text).min(1),
    informalSupport: z.enum(['none', 'some', 'substantial']),
    equipmentConsidered: z.boolean(),
  }),

  // Indicative budget
  event('INDICATIVE_BUDGET_CALCULATED', { amount: money, basis: text }),
  event('INDICATIVE_BUDGET_SHARED', { sharedWith: z.array(text).min(1), method: text }),

  // Care and support planning
  event('PLANNING_STARTED', {
    preparedBy: z.enum(['person', 'familyOrFriends', 'advocate', 'broker', 'worker']),
  }),
  event('PLAN_SUBMITTED', { plan: planSchema }),
  event('PLAN_VALIDATED', {}),
  event('DISPUTE_RAISED', { reasons: z.array(text).min(1) }),

  // Personal budget and sign-off
  event('PLAN_SIGNED_OFF', {
    finalBudget: money,
    /** R-PB-3: personal budget = reasonable cost − assessed contribution − other funding */
    costing: z.object({
      reasonableCost: money,
      assessedContribution: money,
      otherFunding: money,
      s117Aftercare: z.boolean(),
    }),
    /** R-PB-2: required where the final budget differs from the indicative one */
    mismatchReason: text.optional(),
    agreedBy: z.object({
      person: z.boolean(),
      representative: text.optional(),
      advocate: text.optional(),
      workerId: text,
    }),
    /** R-SGN-3: anyone the person asks to have a copy, and the accessible format */
    copyTo: z.array(text).default([]),
    accessibleFormat: text,
    /** R-SGN-2: signed off with the dispute recorded */
    withDispute: z
      .object({ reasons: z.array(text).min(1), directedToComplaints: z.boolean(), supportMeanwhile: text })
      .optional(),
  }),

  // Service set-up
  event('DIRECT_PAYMENT_AGREEMENT_SIGNED', { signedOn: localDate }),
  event('SERVICES_ACTIVATED', {
    /** R-ACT-2: the projected first review, agreed with the person */
    firstReviewAgreedFor: localDate,
    informalReview72h: z.boolean().optional(),
    /** R-REV-5 / R-REV-10: who provides the services (a new provider, several to coordinate) */
    providers: z.array(z.object({ providerId: text, newWithoutTrackRecord: z.boolean() })).optional(),
  }),

  // Reviews
  event('INFORMAL_REVIEW_COMPLETED', { notes: text.optional() }),
  event('DIRECT_PAYMENT_FINANCE_CONTACTED', { concerns: z.boolean(), notes: text.optional() }),
  event('REVIEW_COMPLETED', {
    reviewType: z.enum(['formal', 'lightTouch', 'telephone']),
    outcome: z.enum(['noChange', 'planRevised', 'reassessment', 'servicesToEnd']),
    eligibilityRedetermined: z.boolean(),
    contingencyPlanReviewed: z.boolean(),
    indicators: reviewIndicators,
    /** defaults to the longest interval the rules allow */
    nextReviewOn: localDate.optional(),
    /** R-REV-9: a shorter interval agreed with the service manager */
    complexCase: z.object({ agreedWithServiceManager: text }).optional(),
    revisedPlan: planSchema.optional(),
    /** R-REV-11: a telephone ('light touch') review only where all of these hold */
    telephoneConditions: z
      .object({
        lowLevelNonPersonalCare: z.boolean(),
        noCommunicationDifficulty: z.boolean(),
        faceToFaceReviewInPreviousYear: z.boolean(),
        ableToMonitorAndAskForFaceToFace: z.boolean(),
        needsUnchanged: z.boolean(),
      })
      .optional(),
    /** R-END-4: a review held about changing or ending the direct payment says what was decided */
    directPaymentOutcome: z.enum(['continue', 'change', 'end']).optional(),
    /** R-REV-10: the contact point given to the person (defaults to the allocated worker or team) */
    contactPoint: text.optional(),
  }),
  event('MONITORING_CHECK_COMPLETED', { concerns: z.boolean(), notes: text.optional() }),
  event('UNSCHEDULED_REVIEW_REQUESTED', {
    trigger: z.enum([
      'personOrRepresentative',
      'concern',
      'providerAlert',
      'informalSupportChange',
      'safeguarding',
      'hospitalDischarge',
    ]),
    details: text.optional(),
  }),

  // Reassessment and ending services
  event('REASSESSMENT_COMPLETED', {
    outcome: z.enum(['continue', 'revisePlan', 'endServices']),
    reasons: text,
    unmetEligibleNeeds: z.array(needSchema),
    informalSupport: z.enum(['none', 'some', 'substantial']),
    thirdPartySources: z.array(text).default([]),
    /** where services continue: the next review (defaults to the longest interval allowed) */
    nextReviewOn: localDate.optional(),
    /** R-REV-5 can be stated at reassessment too */
    indicators: reviewIndicators.optional(),
    /** R-END-5: how each unmet eligible need will be met otherwise when services end */
    unmetNeedsMetOtherwise: z.array(z.object({ need: text, how: text })).optional(),
  }),
  event('REASSESSMENT_COPY_PROVIDED', { to: z.array(text).min(1) }),
  event('SERVICE_END_LETTER_POSTED', {
    postedOn: localDate,
    /** defaults to the earliest date R-END-1 allows */
    endDate: localDate.optional(),
    reasons: text,
    alternativesDiscussed: text,
    /** R-END-5: the letter goes to the person and/or their representative */
    representative: text.optional(),
  }),
  event('DIRECT_PAYMENT_NOTICE_GIVEN', {
    by: z.enum(['person', 'council']),
    reason: z.enum(['personChoice', 'cannotManage', 'hospitalStay', 'breach', 'other']),
    noticeGivenOn: localDate,
  }),
  event('SURPLUS_RECOVERED', { amount: money }),

  // Moves, hospital, death, withdrawal
  event('MOVED_AWAY', { moveDate: localDate, receivingCouncil: text, consentToShareRecords: z.boolean() }),
  event('HOSPITAL_ADMITTED', { admittedOn: localDate, hospital: text }),
  event('HOSPITAL_DISCHARGED', {
    dischargedOn: localDate,
    dischargeProtocolFollowed: z.boolean(),
    needsChanged: z.boolean(),
  }),
  event('DIRECT_PAYMENT_SUSPENDED', { reason: text }),
  event('PERSON_DIED', { dateOfDeath: localDate }),
  event('JOURNEY_WITHDRAWN', { reason: text }),

  // At any stage
  event('COMPLAINT_RAISED', {
    complaintId: text,
    about: z.enum(['budget', 'service', 'decision', 'other']),
    details: text,
  }),
  /** R-CMP-2: someone challenges the indicative or the personal budget. */
  event('BUDGET_CHALLENGED', {
    challengeId: text,
    budget: z.enum(['indicative', 'personal']),
    details: text,
    complaintsProcessOffered: z.boolean(),
    response: z.enum(['willUseComplaintsProcess', 'declined', 'undecided']),
  }),
  /** R-CMP-2: the SDS adjudication panel, a last resort. */
  event('ADJUDICATION_PANEL_OFFERED', {
    challengeId: text,
    groupManagerId: text,
    /** the group manager discussed it with the complaints manager first */
    discussedWithComplaintsManagerOn: localDate.optional(),
  }),
  event('BUDGET_COMPLAINT_INTERIM_CHOICE', {
    complaintId: text,
    choice: z.enum(['manageOnOfferedBudget', 'councilArrangesServices']),
  }),
  event('COMPLAINT_RESOLVED', { complaintId: text, outcome: text }),
  event('SAFEGUARDING_CONCERN_RAISED', {
    concernId: text,
    details: text,
    triggersUnscheduledReview: z.boolean(),
  }),
  event('SAFEGUARDING_CLOSED', { concernId: text, outcome: text }),

  // Raised by the workflow when a deadline's timer fires
  event('DEADLINE_REACHED', { deadlineId: text }),
] as const;

export const journeyEventSchema = z.discriminatedUnion('type', journeyEventSchemas);
export type JourneyEvent = z.infer<typeof journeyEventSchema>;
export type JourneyEventType = JourneyEvent['type'];
export type EventOf<T extends JourneyEventType> = Extract<JourneyEvent, { type: T }>;

export const journeyEventTypes = journeyEventSchemas.map((s) => s.shape.type.value) as JourneyEventType[];

/** Events only the system raises; people and integrations cannot send them. */
export const systemOnlyEvents: readonly JourneyEventType[] = ['DEADLINE_REACHED'];

export type ParsedEvent = { ok: true; event: JourneyEvent } | { ok: false; problems: string[] };

/** Parse an untrusted event, with every problem in words ("plan.risks: expected string"). */
export function parseJourneyEvent(input: unknown): ParsedEvent {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !journeyEventTypes.includes(type as JourneyEventType)) {
    return { ok: false, problems: [`unknown event type "${type}"`] };
  }
  const parsed = journeyEventSchema.safeParse(input);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) =>
      i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
    ),
  };
}
