import { z } from 'zod';
import {
  balancePurposes,
  budgetManagementOptions,
  importStages,
  journeyEventTypes,
  purchaseCategories,
  roles,
} from './eventTypes';
import { dateWindow, instantInWindow, limits, localDateInWindow, thousands } from './limits';

export * from './eventTypes';

/**
 * The event catalogue: every event a journey accepts, each with one zod schema. The machine's
 * types, the workflow's Update validator and the HTTP API all use these schemas, so an event is
 * well-formed in exactly one sense everywhere.
 *
 * Every event carries `type`, `eventId` (de-duplication: a retried event is applied once),
 * `occurredAt` (when it happened in the world; clocks start from it, and it may be earlier than
 * when it is recorded) and `actor` (who did it), then its own payload.
 */

// ---- Bounded field types (machines/limits.ts): every string and list has a documented maximum ----

/**
 * No control characters (C0, U+0000–U+001F, and DEL) in any text an event or a request carries:
 * PostgreSQL's text cannot hold NUL, so an event with one would be accepted and then never written
 * to the case-event store, and none belongs in an id or a name (it cannot be shown, searched or
 * typed again). Long text keeps line breaks and tabs (a form's textarea sends CRLF). Checked as a
 * pattern, so the OpenAPI document says so too; the API's own schemas (api/schemas.ts) use this.
 */
/* eslint-disable no-control-regex -- control characters are exactly what these refuse */
const withoutControls = {
  all: /^[^\u0000-\u001f\u007f]*$/,
  keepingLineBreaks: /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/,
};
/* eslint-enable no-control-regex */
const controlNames: Record<number, string> = {
  0: 'NUL',
  9: 'a tab',
  10: 'a line break (LF)',
  13: 'a carriage return (CR)',
  27: 'ESC',
  127: 'DEL',
};
/** Why a value is refused: its first control character, named, and where it is. */
export function controlCharacterMessage(value: unknown, lineBreaks = false): string {
  const allowed = lineBreaks ? withoutControls.keepingLineBreaks : withoutControls.all;
  const chars = typeof value === 'string' ? [...value] : [];
  const at = chars.findIndex((c) => !allowed.test(c));
  const code = at < 0 ? 0 : chars[at]!.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return (
    `must not contain control characters such as NUL${lineBreaks ? ' (line breaks and tabs are fine)' : ''}` +
    (at < 0 ? '' : `: it has ${controlNames[code] ?? 'a control character'} (${hex}) at character ${at + 1}`)
  );
}
/** `schema` refusing control characters (`lineBreaks`: all but line breaks and tabs). */
export const withoutControlCharacters = <S extends z.ZodString>(schema: S, lineBreaks = false): S =>
  schema.regex(lineBreaks ? withoutControls.keepingLineBreaks : withoutControls.all, {
    error: (issue) => controlCharacterMessage(issue.input, lineBreaks),
  }) as S;

const text = withoutControlCharacters(z.string().trim().min(1));
/** An id (of an event, referral, worker, carer, complaint, …). */
const idText = text
  .max(limits.idChars)
  .describe(`An id: 1 to ${limits.idChars} characters, no control characters`);
/** Short text: a name, a need, a council, a method, one item of a list. */
const shortText = text
  .max(limits.shortTextChars)
  .describe(`Short text: 1 to ${limits.shortTextChars} characters, no control characters`);
/** Long text: a summary, details, reasons, notes, a written section of the plan. */
const longText = withoutControlCharacters(z.string().trim().min(1), true)
  .max(limits.longTextChars)
  .describe(
    `Long text: 1 to ${thousands(limits.longTextChars)} characters, no control characters but line breaks and tabs`,
  );

/** A list of at most `limits.listItems` items (and at least `min`). */
function list<T extends z.ZodType>(item: T, min = 0) {
  const bounded = z.array(item).min(min).max(limits.listItems);
  return bounded.describe(
    min > 0 ? `${min} to ${limits.listItems} items` : `At most ${limits.listItems} items`,
  );
}

const windowInWords = `between ${dateWindow.earliest} and ${dateWindow.latest}`;
/** An instant with its offset, in the plausible window (a malformed one gets only the format's message). */
const instant = z.iso
  .datetime({ offset: true })
  .refine((s) => !Number.isFinite(Date.parse(s)) || instantInWindow(s), {
    message: `must be ${windowInWords}`,
  })
  .describe(`An ISO 8601 instant with its offset, ${windowInWords}`);
/** A calendar date 'YYYY-MM-DD' in the plausible window. */
const localDate = z.iso
  .date()
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || localDateInWindow(d), {
    message: `must be ${windowInWords}`,
  })
  .describe(`A calendar date (YYYY-MM-DD), ${windowInWords}`);
const money = z.number().nonnegative().finite();

export const actorSchema = z.object({
  userId: idText,
  role: z.enum(roles),
});
export type Actor = z.infer<typeof actorSchema>;

const envelope = {
  eventId: idText.describe(
    `Unique per event (a resent eventId is applied once): 1 to ${limits.idChars} characters`,
  ),
  occurredAt: instant,
  actor: actorSchema,
};

function event<T extends string, S extends z.ZodRawShape>(type: T, payload: S) {
  return z.strictObject({ type: z.literal(type), ...envelope, ...payload });
}

/** An assessed need with its RAS points (R-ASM-1, R-IB-2). */
export const needSchema = z.object({ need: shortText, points: z.number().int().nonnegative() });

export const purchaseSchema = z.object({
  description: shortText,
  category: z.enum(purchaseCategories),
  /** R-PLN-4: some prohibited uses are allowed when exceptional, with the reason recorded. */
  exceptional: z.object({ reason: shortText }).optional(),
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
  needsAndOutcomes: longText.optional(),
  eligibleNeeds: list(shortText).optional(),
  ineligibleNeeds: list(shortText).optional(),
  informationAndAdvice: longText.optional(),
  ownResourcesAndNetwork: longText.optional(),
  councilWillMeet: longText.optional(),
  personalBudget: money.optional(),
  /** R-PLN-2: one option or a combination. */
  budgetManagement: list(z.enum(budgetManagementOptions), 1),
  directPayment: z
    .object({
      needsMet: list(shortText, 1).optional(),
      amount: money.optional(),
      frequency: z.enum(['weekly', 'fourWeekly', 'monthly', 'annually']).optional(),
      purchases: list(purchaseSchema).default([]),
    })
    .optional(),
  risks: longText.optional(),
  contingencyPlan: longText.optional(),
  stayingInControl: longText.optional(),
  optionsConsidered: list(z.object({ option: shortText, chosen: z.boolean(), reason: shortText })).optional(),
  /** R-REV-1: whether the 72-hour informal review applies to this plan (else the profile decides). */
  informalReview72h: z.boolean().optional(),
  /** R-PLN-6 (a carer's plan): the carer's outcomes — social, educational, employment. */
  carerOutcomes: list(shortText).optional(),
  /** R-PLN-6 (a carer's plan): whom to contact in a crisis. */
  crisisContact: shortText.optional(),
  /**
   * R-PLN-2 (edition 5): a direct payment is offered to everyone (SBS §2), so a plan records the
   * offer and the person's answer before it is signed off.
   */
  directPaymentOffer: z
    .object({ answer: z.enum(['accepted', 'declined']), notes: longText.optional() })
    .optional(),
  /** R-PLN-3 where the council's checklist asks (LAN §3.6): whom to call when the plan fails. */
  contingencyContacts: list(
    z.object({ name: shortText, telephone: shortText, email: shortText.optional() }),
  ).optional(),
  /** R-PLN-3 where the council's checklist asks (LAN §3.6): how the budget is spent and apportioned. */
  budgetApportionment: longText.optional(),
  /** R-PLN-3 where the council's checklist asks (LAN §3.6): charging policy was discussed. */
  chargingPolicyDiscussed: z.boolean().optional(),
});
export type Plan = z.infer<typeof planSchema>;

export const reviewIndicators = z.object({
  serviceOnlyFewMonthsOld: z.boolean(),
  needsLikelyToChange: z.boolean(),
  newProviderWithoutTrackRecord: z.boolean(),
  severalProvidersToCoordinate: z.boolean(),
});

/**
 * Each event's schema, built the first time it is asked for (`eventSchemaOf`): in the workflow every
 * journey has its own copy of the schemas (zod cannot be shared: runtime/workflowBundle.ts), and a
 * journey meets only some of the catalogue's events, so it builds only theirs.
 */
const catalogue = {
  // Referral and triage
  REFERRAL_RECEIVED: () =>
    event('REFERRAL_RECEIVED', {
      referralId: idText,
      receivedDate: localDate,
      source: z.enum(['self', 'family', 'gp', 'hospital', 'provider', 'professional', 'other']),
      urgency: z.enum(['routine', 'urgent', 'emergency']),
      summary: longText,
      subject: z.enum(['person', 'carer']).default('person'),
      /** Letters (activities/personDetails.ts): the person's name, postal address and formats asked for. */
      name: shortText
        .optional()
        .describe(
          `The person’s name as letters address them, e.g. "Mrs Ann Smith": 1 to ${limits.shortTextChars} characters`,
        ),
      address: list(shortText, 1)
        .optional()
        .describe(
          `The postal address without the postcode, one line each, e.g. ["4 Mill Lane", "Matlock"]: 1 to ${limits.listItems} items`,
        ),
      postcode: z
        .string()
        .trim()
        .max(8)
        .regex(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, 'must be a UK postcode, e.g. "DE4 3AG"')
        .optional()
        .describe('A UK postcode, e.g. "DE4 3AG": at most 8 characters'),
      accessibleFormats: list(z.enum(['largePrint', 'easyRead']))
        .optional()
        .describe(
          `Formats the person asked to have letters in as well as standard print: at most ${limits.listItems} items`,
        ),
    }),
  /**
   * Issue 17: a person the council already supports, brought in from its case system. Only a
   * journey's first event (as a referral opens one): the journey starts at `stage` with the facts
   * its clocks need, which are set from those facts by the same rules as for any journey.
   */
  JOURNEY_IMPORTED: () =>
    event('JOURNEY_IMPORTED', {
      source: z.strictObject({
        file: shortText,
        row: z.number().int().positive(),
        system: shortText.optional(),
      }),
      stage: z.enum(importStages),
      subject: z.enum(['person', 'carer']).default('person'),
      /** the council whose policy profile the case system's dates follow (the journey's must match) */
      policyProfile: shortText.optional(),
      stageSince: localDate.optional(),
      team: idText.optional(),
      workerId: idText.optional(),
      assessmentStartedOn: localDate.optional(),
      interimSupport: z
        .strictObject({
          setUpOn: localDate,
          services: list(shortText, 1),
          managerId: idText.optional(),
        })
        .optional(),
      indicativeBudget: z.strictObject({ amount: money, sharedOn: localDate.optional() }).optional(),
      personalBudget: money.optional(),
      budgetManagement: list(z.enum(budgetManagementOptions), 1).optional(),
      servicesStartedOn: localDate.optional(),
      directPaymentAgreement: z
        .strictObject({ status: z.enum(['signed', 'awaited']), signedOn: localDate.optional() })
        .optional(),
      lastReview: z
        .strictObject({
          on: localDate,
          reviewType: z.enum(['formal', 'lightTouch', 'telephone']).default('formal'),
        })
        .optional(),
      nextReviewOn: localDate.optional(),
      /**
       * R-IMP-1: the facts the lived journey's clocks need. R-REV-1: whether the 72-hour informal
       * review is still to be held (empty: as the profile says, while services are younger than its
       * hours); R-REV-4: the last monitoring check since the last review; R-REV-5: the day a direct
       * payment began, where later than services; R-REV-11: the last face-to-face review, where the
       * last review was not.
       */
      informalReview72h: z.boolean().optional(),
      lastMonitoringCheckOn: localDate.optional(),
      directPaymentStartedOn: localDate.optional(),
      lastFaceToFaceReviewOn: localDate.optional(),
      complaints: list(
        z.strictObject({
          complaintId: idText,
          about: z.enum(['budget', 'service', 'decision', 'other']).default('other'),
          raisedOn: localDate.optional(),
        }),
      ).default([]),
      safeguarding: list(z.strictObject({ concernId: idText, raisedOn: localDate.optional() })).default([]),
      hospital: z.strictObject({ admittedOn: localDate, hospital: shortText }).optional(),
    }),
  UNIVERSAL_OFFER_GIVEN: () =>
    event('UNIVERSAL_OFFER_GIVEN', {
      informationAndAdvice: list(shortText, 1),
      signposting: list(shortText).default([]),
      prevention: list(shortText).default([]),
    }),
  TRIAGED: () =>
    event('TRIAGED', {
      route: z.enum(['informationAndAdvice', 'shortTermSupport', 'assessment', 'emergencyInterimSupport']),
      reason: longText,
    }),
  WORKER_ALLOCATED: () => event('WORKER_ALLOCATED', { team: idText, workerId: idText }),
  ORDINARY_RESIDENCE_ESTABLISHED: () => event('ORDINARY_RESIDENCE_ESTABLISHED', { council: shortText }),
  SHORT_TERM_SUPPORT_ENDED: () =>
    event('SHORT_TERM_SUPPORT_ENDED', {
      outcome: z.enum(['needsMet', 'assessmentNeeded']),
      notes: longText.optional(),
    }),

  // Emergencies
  INTERIM_SUPPORT_STARTED: () =>
    event('INTERIM_SUPPORT_STARTED', {
      services: list(shortText, 1),
      /** R-EMG-3: set up with the approval of the relevant manager… */
      managerApproval: z.object({ managerId: idText }).optional(),
      /** R-EMG-3: …and the case notes completed */
      caseNotesCompleted: z.boolean().optional(),
    }),

  // Assessment
  ASSESSMENT_STARTED: () => event('ASSESSMENT_STARTED', {}),
  CAPACITY_ASSESSED: () =>
    event('CAPACITY_ASSESSED', {
      decision: shortText,
      hasCapacity: z.boolean(),
      /** R-ASM-7: which decision it is about, where the rules depend on it */
      topic: z
        .enum(['managingDirectPayment', 'consentToDirectPayment', 'careAndSupport', 'other'])
        .optional(),
    }),
  /** R-ASM-7: a 'suitable person' takes the direct payment for someone unable to consent to or manage it. */
  SUITABLE_PERSON_APPOINTED: () =>
    event('SUITABLE_PERSON_APPOINTED', {
      suitablePersonId: idText,
      relationship: shortText,
      /** the date the risk assessment of the suitable person was recorded */
      riskAssessmentRecordedOn: localDate.optional(),
    }),
  INVOLVEMENT_DIFFICULTY_ASSESSED: () =>
    event('INVOLVEMENT_DIFFICULTY_ASSESSED', {
      substantialDifficulty: z.boolean(),
      appropriatePersonAvailable: z.boolean(),
    }),
  ADVOCATE_ARRANGED: () =>
    event('ADVOCATE_ARRANGED', { advocateId: idText, organisation: shortText.optional() }),
  CONSENT_RECORDED: () =>
    event('CONSENT_RECORDED', { consentGiven: z.boolean(), limits: longText.optional() }),
  CARER_IDENTIFIED: () => event('CARER_IDENTIFIED', { carerId: idText }),
  CARER_ASSESSMENT_OFFERED: () =>
    event('CARER_ASSESSMENT_OFFERED', { carerId: idText, accepted: z.boolean() }),
  ASSESSMENT_PAUSED: () => event('ASSESSMENT_PAUSED', { reason: longText }),
  ASSESSMENT_RESUMED: () => event('ASSESSMENT_RESUMED', {}),
  ASSESSMENT_COMPLETED: () =>
    event('ASSESSMENT_COMPLETED', {
      presentingNeeds: list(shortText, 1),
      eligibleNeeds: list(needSchema),
      ineligibleNeeds: list(shortText),
      unmetEligibleNeeds: list(needSchema),
      outcomes: list(shortText, 1),
      informalSupport: z.enum(['none', 'some', 'substantial']),
      equipmentConsidered: z.boolean(),
    }),

  // Indicative budget
  /** R-IB-2: the council's RAS answer. From edition 3 only the journey's own RAS activity reports it. */
  INDICATIVE_BUDGET_CALCULATED: () =>
    event('INDICATIVE_BUDGET_CALCULATED', { amount: money, basis: longText }),
  /**
   * A manager sets the indicative budget instead of the RAS's figure, with the reason, where the
   * profile allows it (`budget.managerMayOverrideIndicativeBudget`); recorded with who and why.
   */
  INDICATIVE_BUDGET_OVERRIDDEN: () =>
    event('INDICATIVE_BUDGET_OVERRIDDEN', { amount: money, reason: longText }),
  INDICATIVE_BUDGET_SHARED: () =>
    event('INDICATIVE_BUDGET_SHARED', { sharedWith: list(shortText, 1), method: shortText }),

  // Care and support planning
  PLANNING_STARTED: () =>
    event('PLANNING_STARTED', {
      preparedBy: z.enum(['person', 'familyOrFriends', 'advocate', 'broker', 'worker']),
    }),
  PLAN_SUBMITTED: () => event('PLAN_SUBMITTED', { plan: planSchema }),
  PLAN_VALIDATED: () => event('PLAN_VALIDATED', {}),
  DISPUTE_RAISED: () => event('DISPUTE_RAISED', { reasons: list(shortText, 1) }),

  // Personal budget and sign-off
  PLAN_SIGNED_OFF: () =>
    event('PLAN_SIGNED_OFF', {
      finalBudget: money,
      /** R-PB-3: personal budget = reasonable cost − assessed contribution − other funding */
      costing: z.object({
        reasonableCost: money,
        assessedContribution: money,
        otherFunding: money,
        s117Aftercare: z.boolean(),
        /**
         * R-PB-4: the part of reasonableCost spent on short-term preventative services given as part
         * of an extended rehabilitative or assessment process (reablement, enablement), which no
         * personal budget includes (SBS §6 NB). Absent: none.
         */
        shortTermPreventativeCost: money.optional(),
      }),
      /** R-PB-2: required where the final budget differs from the indicative one */
      mismatchReason: longText.optional(),
      agreedBy: z.object({
        person: z.boolean(),
        representative: shortText.optional(),
        advocate: shortText.optional(),
        workerId: idText,
      }),
      /** R-SGN-3: anyone the person asks to have a copy, and the accessible format */
      copyTo: list(shortText).default([]),
      accessibleFormat: shortText,
      /** R-SGN-2: signed off with the dispute recorded */
      withDispute: z
        .object({
          reasons: list(shortText, 1),
          directedToComplaints: z.boolean(),
          supportMeanwhile: longText,
        })
        .optional(),
    }),

  /**
   * R-PB-5: the health team or commissioning authority consulted where needs are met under section
   * 117 of the Mental Health Act 1983, before support is commissioned or changed (LAN §1.3).
   */
  AFTERCARE_HEALTH_CONSULTED: () =>
    event('AFTERCARE_HEALTH_CONSULTED', {
      consultedWith: shortText,
      about: z.enum(['commissioning', 'change']),
      notes: longText.optional(),
    }),

  // Service set-up
  DIRECT_PAYMENT_AGREEMENT_SIGNED: () => event('DIRECT_PAYMENT_AGREEMENT_SIGNED', { signedOn: localDate }),
  SERVICES_ACTIVATED: () =>
    event('SERVICES_ACTIVATED', {
      /** R-ACT-2: the projected first review, agreed with the person */
      firstReviewAgreedFor: localDate,
      informalReview72h: z.boolean().optional(),
      /** R-REV-5 / R-REV-10: who provides the services (a new provider, several to coordinate) */
      providers: list(z.object({ providerId: idText, newWithoutTrackRecord: z.boolean() })).optional(),
      /**
       * R-REV-14: the only services are these — one-off simple equipment, or a major adaptation — so
       * they need a confirmation that they suit the person, not a regular review. Specific equipment
       * (bed rails) and equipment within a package of support are reviewed as any service.
       */
      equipmentOnly: z
        .object({
          items: list(z.object({ item: shortText, kind: z.enum(['simpleOneOff', 'majorAdaptation']) }), 1),
        })
        .optional(),
    }),
  /** R-REV-14: the equipment suits the person (and a major adaptation is completed and working). */
  EQUIPMENT_CONFIRMED: () =>
    event('EQUIPMENT_CONFIRMED', {
      suitable: z.boolean(),
      adaptationCompletedAndWorking: z.boolean().optional(),
      /** with nothing else to review, the journey may close once the equipment is confirmed */
      closeJourney: z.boolean().default(false),
      notes: longText.optional(),
    }),

  // Reviews
  INFORMAL_REVIEW_COMPLETED: () => event('INFORMAL_REVIEW_COMPLETED', { notes: longText.optional() }),
  DIRECT_PAYMENT_FINANCE_CONTACTED: () =>
    event('DIRECT_PAYMENT_FINANCE_CONTACTED', { concerns: z.boolean(), notes: longText.optional() }),
  REVIEW_COMPLETED: () =>
    event('REVIEW_COMPLETED', {
      reviewType: z.enum(['formal', 'lightTouch', 'telephone']),
      outcome: z.enum(['noChange', 'planRevised', 'reassessment', 'servicesToEnd']),
      eligibilityRedetermined: z.boolean(),
      contingencyPlanReviewed: z.boolean(),
      indicators: reviewIndicators,
      /** defaults to the longest interval the rules allow */
      nextReviewOn: localDate.optional(),
      /** R-REV-9: a shorter interval agreed with the service manager */
      complexCase: z.object({ agreedWithServiceManager: shortText }).optional(),
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
      contactPoint: shortText.optional(),
      /** R-REV-13: when the person and their chosen representatives were told of the review, and who */
      notice: z
        .object({
          toldOn: localDate,
          told: list(shortText, 1),
          /** R-ASM-2: whether an independent advocate is needed was considered */
          advocacyConsidered: z.boolean(),
        })
        .optional(),
      /** R-REV-13: why an unscheduled review is held at shorter notice than the profile's least */
      shortNoticeReason: longText.optional(),
    }),
  MONITORING_CHECK_COMPLETED: () =>
    event('MONITORING_CHECK_COMPLETED', { concerns: z.boolean(), notes: longText.optional() }),
  UNSCHEDULED_REVIEW_REQUESTED: () =>
    event('UNSCHEDULED_REVIEW_REQUESTED', {
      trigger: z.enum([
        'personOrRepresentative',
        'concern',
        'providerAlert',
        'informalSupportChange',
        'safeguarding',
        'hospitalDischarge',
      ]),
      details: longText.optional(),
    }),

  // Reassessment and ending services
  REASSESSMENT_COMPLETED: () =>
    event('REASSESSMENT_COMPLETED', {
      outcome: z.enum(['continue', 'revisePlan', 'endServices']),
      reasons: longText,
      unmetEligibleNeeds: list(needSchema),
      informalSupport: z.enum(['none', 'some', 'substantial']),
      thirdPartySources: list(shortText).default([]),
      /** where services continue: the next review (defaults to the longest interval allowed) */
      nextReviewOn: localDate.optional(),
      /** R-REV-5 can be stated at reassessment too */
      indicators: reviewIndicators.optional(),
      /** R-END-5: how each unmet eligible need will be met otherwise when services end */
      unmetNeedsMetOtherwise: list(z.object({ need: shortText, how: shortText })).optional(),
    }),
  REASSESSMENT_COPY_PROVIDED: () => event('REASSESSMENT_COPY_PROVIDED', { to: list(shortText, 1) }),
  SERVICE_END_LETTER_POSTED: () =>
    event('SERVICE_END_LETTER_POSTED', {
      postedOn: localDate,
      /** defaults to the earliest date R-END-1 allows */
      endDate: localDate.optional(),
      reasons: longText,
      alternativesDiscussed: longText,
      /** R-END-5: the letter goes to the person and/or their representative */
      representative: shortText.optional(),
    }),
  DIRECT_PAYMENT_NOTICE_GIVEN: () =>
    event('DIRECT_PAYMENT_NOTICE_GIVEN', {
      by: z.enum(['person', 'council']),
      reason: z.enum(['personChoice', 'cannotManage', 'hospitalStay', 'breach', 'other']),
      noticeGivenOn: localDate,
    }),
  SURPLUS_RECOVERED: () =>
    event('SURPLUS_RECOVERED', {
      /** pounds recovered */
      amount: money,
      /** R-END-3 (edition 5): the balance was discussed with the person on this date, before recovery */
      discussedWithPersonOn: localDate.optional(),
      /** R-END-3 (edition 5): what the balance is for, in parts (only some parts may be recovered) */
      balance: list(z.object({ purpose: z.enum(balancePurposes), amount: money })).optional(),
      /** R-END-3 (edition 5): money diverted to other purposes is sought back with hardship considered */
      hardshipConsidered: longText.optional(),
    }),

  // Moves, hospital, death, withdrawal
  MOVED_AWAY: () =>
    event('MOVED_AWAY', {
      moveDate: localDate,
      receivingCouncil: shortText,
      consentToShareRecords: z.boolean(),
    }),
  HOSPITAL_ADMITTED: () => event('HOSPITAL_ADMITTED', { admittedOn: localDate, hospital: shortText }),
  HOSPITAL_DISCHARGED: () =>
    event('HOSPITAL_DISCHARGED', {
      dischargedOn: localDate,
      dischargeProtocolFollowed: z.boolean(),
      needsChanged: z.boolean(),
    }),
  DIRECT_PAYMENT_SUSPENDED: () => event('DIRECT_PAYMENT_SUSPENDED', { reason: longText }),
  PERSON_DIED: () => event('PERSON_DIED', { dateOfDeath: localDate }),
  JOURNEY_WITHDRAWN: () => event('JOURNEY_WITHDRAWN', { reason: longText }),

  // At any stage
  COMPLAINT_RAISED: () =>
    event('COMPLAINT_RAISED', {
      complaintId: idText,
      about: z.enum(['budget', 'service', 'decision', 'other']),
      details: longText,
    }),
  /** R-CMP-2: someone challenges the indicative or the personal budget. */
  BUDGET_CHALLENGED: () =>
    event('BUDGET_CHALLENGED', {
      challengeId: idText,
      budget: z.enum(['indicative', 'personal']),
      details: longText,
      complaintsProcessOffered: z.boolean(),
      response: z.enum(['willUseComplaintsProcess', 'declined', 'undecided']),
    }),
  /** R-CMP-2: the SDS adjudication panel, a last resort. */
  ADJUDICATION_PANEL_OFFERED: () =>
    event('ADJUDICATION_PANEL_OFFERED', {
      challengeId: idText,
      groupManagerId: idText,
      /** the group manager discussed it with the complaints manager first */
      discussedWithComplaintsManagerOn: localDate.optional(),
    }),
  BUDGET_COMPLAINT_INTERIM_CHOICE: () =>
    event('BUDGET_COMPLAINT_INTERIM_CHOICE', {
      complaintId: idText,
      choice: z.enum(['manageOnOfferedBudget', 'councilArrangesServices']),
    }),
  /**
   * R-CMP-1: the budget refused while the complaint about it is considered, the council has arranged
   * the relevant services instead (DCC §7.14): meets the clock the refusal started.
   */
  BUDGET_COMPLAINT_SERVICES_ARRANGED: () =>
    event('BUDGET_COMPLAINT_SERVICES_ARRANGED', { complaintId: idText, services: list(shortText, 1) }),
  COMPLAINT_RESOLVED: () => event('COMPLAINT_RESOLVED', { complaintId: idText, outcome: longText }),
  SAFEGUARDING_CONCERN_RAISED: () =>
    event('SAFEGUARDING_CONCERN_RAISED', {
      concernId: idText,
      details: longText,
      triggersUnscheduledReview: z.boolean(),
    }),
  SAFEGUARDING_CLOSED: () => event('SAFEGUARDING_CLOSED', { concernId: idText, outcome: longText }),
  /** R-APL-1: the person asks the council to look at its decision on eligibility or the personal budget again. */
  APPEAL_RAISED: () =>
    event('APPEAL_RAISED', {
      appealId: idText,
      about: z.enum(['eligibility', 'personalBudget']),
      grounds: longText,
    }),
  /** R-APL-1: the appeal decided; the decision and its reasons go to the person in writing. */
  APPEAL_DECIDED: () =>
    event('APPEAL_DECIDED', {
      appealId: idText,
      outcome: z.enum(['upheld', 'partlyUpheld', 'notUpheld']),
      reasons: longText,
    }),

  // Direct payments not going to plan (DCC §7.10, §7.12)
  /** R-DPM-1: finance draws attention to a direct payment's balance, or to how the account is managed. */
  DIRECT_PAYMENT_VARIATION_FLAGGED: () =>
    event('DIRECT_PAYMENT_VARIATION_FLAGGED', {
      balance: z.number().finite(),
      kind: z.enum(['significantVariation', 'accountConcern']),
      details: longText,
    }),
  /** R-DPM-2: the worker arranges support while the person's own contingency arrangements have broken down. */
  TEMPORARY_SUPPORT_ARRANGED: () =>
    event('TEMPORARY_SUPPORT_ARRANGED', {
      supportId: idText,
      reason: longText,
      services: list(shortText, 1),
    }),
  TEMPORARY_SUPPORT_ENDED: () =>
    event('TEMPORARY_SUPPORT_ENDED', { supportId: idText, notes: longText.optional() }),

  // Raised by the workflow when a deadline's timer fires
  DEADLINE_REACHED: () => event('DEADLINE_REACHED', { deadlineId: idText }),
};

type Catalogue = typeof catalogue;
type EventSchema<T extends keyof Catalogue> = ReturnType<Catalogue[T]>;
export type JourneyEvent = { [T in keyof Catalogue]: z.infer<EventSchema<T>> }[keyof Catalogue];
/** An event as sent, before the catalogue fills its defaults (eventExamples.ts). */
export type JourneyEventInput = { [T in keyof Catalogue]: z.input<EventSchema<T>> }[keyof Catalogue];
export type JourneyEventType = JourneyEvent['type'];
export type EventOf<T extends JourneyEventType> = Extract<JourneyEvent, { type: T }>;

const built = new Map<JourneyEventType, EventSchema<JourneyEventType>>();

/** One event's schema, built on first use. */
export function eventSchemaOf<T extends JourneyEventType>(type: T): EventSchema<T> {
  let schema = built.get(type);
  if (!schema) {
    schema = catalogue[type]();
    built.set(type, schema);
  }
  return schema as EventSchema<T>;
}

/** Every event's schema, in the catalogue's order (for the API document, and the tests). */
export const journeyEventSchemas = () => journeyEventTypes.map((type) => eventSchemaOf(type));

type AnyEventSchema = EventSchema<JourneyEventType>;
const wholeCatalogue = () =>
  z.discriminatedUnion('type', journeyEventSchemas() as [AnyEventSchema, ...AnyEventSchema[]]);
let union: ReturnType<typeof wholeCatalogue> | undefined;
/** The whole catalogue as one schema, keyed by `type`: what an event without a known type is parsed by. */
export function journeyEventSchema(): ReturnType<typeof wholeCatalogue> {
  union ??= wholeCatalogue();
  return union;
}

/**
 * Each event's calendar-date fields as the schemas have them: eventTypes.ts `localDateFields` must
 * be this (test/machine/eventTypes.test.ts), so the machine can do without the schemas.
 */
export function dateFieldsOfSchemas(): Record<string, string[]> {
  return Object.fromEntries(
    journeyEventSchemas()
      .map((schema): [string, string[]] => [
        schema.shape.type.value,
        Object.entries(schema.shape as Record<string, z.ZodType>)
          .filter(
            ([, field]) =>
              field === localDate || (field instanceof z.ZodOptional && field.unwrap() === localDate),
          )
          .map(([name]) => name),
      ])
      .filter(([, fields]) => fields.length > 0),
  );
}

export type ParsedEvent = { ok: true; event: JourneyEvent } | { ok: false; problems: string[] };

/**
 * Parse an untrusted event, with every problem in words ("plan.risks: expected string").
 *
 * `jitless`: parse without compiling zod's fast path. zod compiles one per object schema on its
 * first parse, which pays where the schemas live long (the API). In the workflow every journey has
 * its own copy of the schemas (they cannot be shared: runtime/workflowBundle.ts), parses a handful
 * of events with each, and would compile them all again; the result is the same either way.
 */
export function parseJourneyEvent(input: unknown, options: { jitless?: boolean } = {}): ParsedEvent {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !journeyEventTypes.includes(type as JourneyEventType)) {
    return { ok: false, problems: [`unknown event type "${type}"`] };
  }
  const context = options.jitless ? { jitless: true } : undefined;
  // A known type is parsed by its own schema, as the union would dispatch it; anything else by the
  // union, for its words about the missing type (test/machine/parseModes.test.ts: the same answers).
  const parsed =
    typeof type === 'string'
      ? eventSchemaOf(type as JourneyEventType).safeParse(input, context)
      : journeyEventSchema().safeParse(input, context);
  if (parsed.success) return { ok: true, event: parsed.data as JourneyEvent };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) =>
      i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
    ),
  };
}
