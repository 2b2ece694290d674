import { z } from 'zod';

/**
 * The council's policy profile: every number or choice where councils' policies differ
 * (JOURNEY.md: "the orchestrator makes the difference a setting of the council's policy profile").
 * Derbyshire is the default; Lancashire shows a council can differ without code changes.
 * Pure data: it travels into the machine as input and is kept in the snapshot, so a running
 * journey keeps the profile it was started with until a deliberate migration.
 */
export const policyProfileSchema = z.object({
  council: z.string().min(1),
  emergency: z.object({
    /** R-EMG-1: formal assessment must begin within this many working days of interim services. */
    assessmentStartWorkingDays: z.number().int().positive(),
  }),
  reviews: z.object({
    /** R-REV-1: whether the 72-hour informal review applies unless the plan says otherwise. */
    informalReviewByDefault: z.boolean(),
    informalReviewHours: z.number().int().positive(),
    /** R-REV-2 (Lancashire calls the first one a light-touch review). */
    firstReview: z.object({
      form: z.enum(['formal', 'lightTouch']),
      dueWeeks: z.number().int().positive(),
      overdueWeeks: z.number().int().positive(),
    }),
    /** R-REV-3: further reviews at most this many months apart. */
    maxIntervalMonths: z.number().int().positive(),
    /** R-REV-5: the interval where an indicator holds. */
    reducedIntervalMonths: z.number().int().positive(),
    /** R-REV-4: monitoring checks every N months where the next review is at least that far off. */
    monitoringCheckMonths: z.number().int().positive(),
    /** R-REV-6: an unscheduled review is due this many working days after it is asked for. */
    unscheduledReviewWorkingDays: z.number().int().positive(),
    /** R-REV-9: a review interval shorter than this needs a service manager's agreement. */
    agreedIntervalBelowMonths: z.number().int().positive(),
    /** R-REV-12: a reassessment decided at review is due within this many working days. */
    reassessmentWorkingDays: z.number().int().positive(),
  }),
  ending: z.object({
    /** R-END-1 */
    endLetterNoticeWorkingDays: z.number().int().positive(),
    /** R-END-2 */
    directPaymentNoticeWeeks: z.number().int().positive(),
    /** R-TRF-1 */
    fundingAfterMoveWeeks: z.number().int().positive(),
  }),
  signOff: z.object({
    /** R-SGN-1: annual personal budget (pounds) a team may sign off without the authoriser. */
    delegationLimit: z.number().nonnegative(),
    teamDelegationLimits: z.record(z.string(), z.number().nonnegative()),
    authoriserRole: z.enum(['manager']),
  }),
  /** R-TIM-1: how far in the future an event's occurredAt may be (clock skew), in minutes. */
  timing: z.object({ clockSkewAllowanceMinutes: z.number().int().nonnegative() }),
  /** Reminders before, escalations after a deadline (workflow timers, in working days). */
  notifications: z.object({
    reminderLeadWorkingDays: z.record(z.string(), z.number().int().nonnegative()),
    defaultReminderLeadWorkingDays: z.number().int().nonnegative(),
    escalationEveryWorkingDays: z.number().int().positive(),
    maxEscalations: z.number().int().nonnegative(),
  }),
  /** R-PLN-5 and "stuck": how many calendar days a case may sit in a stage or wait on someone. */
  stuckAfterDays: z.object({
    stage: z.record(z.string(), z.number().int().positive()),
    waitingOn: z.record(z.string(), z.number().int().positive()),
  }),
  /** R-HSP-1: a hospital stay this long (days) is significant. */
  significantHospitalStayDays: z.number().int().positive(),
  /** R-IB-2: the default RAS — points to pounds, moderated by sustainable informal support. */
  ras: z.object({
    poundsPerPoint: z.number().positive(),
    /** Each band of informal support reduces the sum by this fraction. */
    informalSupportReduction: z.object({
      none: z.number().min(0).max(1),
      some: z.number().min(0).max(1),
      substantial: z.number().min(0).max(1),
    }),
  }),
});
export type PolicyProfile = z.infer<typeof policyProfileSchema>;

export const derbyshire: PolicyProfile = {
  council: 'Derbyshire',
  emergency: { assessmentStartWorkingDays: 3 },
  reviews: {
    informalReviewByDefault: true,
    informalReviewHours: 72,
    firstReview: { form: 'formal', dueWeeks: 6, overdueWeeks: 8 },
    maxIntervalMonths: 12,
    reducedIntervalMonths: 6,
    monitoringCheckMonths: 6,
    unscheduledReviewWorkingDays: 10,
    agreedIntervalBelowMonths: 3,
    reassessmentWorkingDays: 20,
  },
  ending: { endLetterNoticeWorkingDays: 10, directPaymentNoticeWeeks: 4, fundingAfterMoveWeeks: 6 },
  signOff: { delegationLimit: 25_000, teamDelegationLimits: {}, authoriserRole: 'manager' },
  timing: { clockSkewAllowanceMinutes: 5 },
  notifications: {
    reminderLeadWorkingDays: {
      emergencyAssessmentStart: 1,
      informalReview: 0,
      firstReview: 5,
      annualReview: 5,
      monitoringCheck: 5,
      unscheduledReview: 2,
      reassessment: 5,
    },
    defaultReminderLeadWorkingDays: 2,
    escalationEveryWorkingDays: 5,
    maxEscalations: 3,
  },
  stuckAfterDays: {
    stage: {
      triage: 7,
      // R-EMG-3: emergency services waiting to be set up (approval, case notes)
      interimSupport: 2,
      shortTermSupport: 42,
      assessment: 28,
      indicativeBudget: 10,
      planning: 28,
      signOff: 10,
      setUp: 14,
      reassessment: 28,
      // R-END-1: waiting for the end letter after a reassessment decided services end
      endingServices: 10,
    },
    waitingOn: { directPaymentAgreement: 14, advocate: 10, carerAssessment: 28 },
  },
  significantHospitalStayDays: 28,
  ras: { poundsPerPoint: 120, informalSupportReduction: { none: 0, some: 0.1, substantial: 0.25 } },
};

/** LAN §3.7: the first review is a light-touch review at 6–8 weeks; no 72-hour review by default. */
export const lancashire: PolicyProfile = {
  ...derbyshire,
  council: 'Lancashire',
  reviews: {
    ...derbyshire.reviews,
    informalReviewByDefault: false,
    firstReview: { form: 'lightTouch', dueWeeks: 6, overdueWeeks: 8 },
  },
  signOff: { ...derbyshire.signOff, delegationLimit: 20_000 },
};

export const policyProfiles = { derbyshire, lancashire } as const;
export type PolicyProfileName = keyof typeof policyProfiles;
