import { z } from 'zod';
import { defaultUnallocatedCases } from './policyProfile';

/**
 * The shape of a council's policy profile (policyProfile.ts says what each setting is for), for a
 * profile read from a council's own file (temporal.config.ts). Kept apart from the profiles so the
 * machine, which only reads profiles, never loads zod.
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
  /**
   * R-PB-3: how the personal budget is worked out from the costing at sign-off
   * (machines/personalBudget.ts). `netOfContribution`: reasonable cost − assessed contribution −
   * other funding (DCC §4.3). `includesContribution`: reasonable cost − other funding, the person's
   * contribution being part of the budget (LAN §2.4). A profile without it (a JSON file written
   * before it existed) gets netOfContribution, what every journey used until then.
   */
  budget: z
    .object({
      personalBudget: z.enum(['netOfContribution', 'includesContribution']),
      /**
       * R-IB-2 (edition 3): whether a manager may set the indicative budget instead of the RAS's
       * figure (INDICATIVE_BUDGET_OVERRIDDEN, with a reason). Absent (a profile written before it
       * existed): no override.
       */
      managerMayOverrideIndicativeBudget: z.boolean().default(false),
    })
    .default({ personalBudget: 'netOfContribution', managerMayOverrideIndicativeBudget: false }),
  /**
   * Who acts for a case no worker is allocated to (issue 11): the owner of its next steps, and
   * where its reminders and escalations go (rules edition 4; before, the literal "duty-manager").
   * Absent (a JSON profile written before it existed): the duty team's placeholder ids below.
   */
  unallocatedCases: z
    .object({
      /** the team that holds cases not yet allocated (a referral at triage, R-REF-2) */
      dutyTeam: z.string().min(1).max(200),
      /** that team's duty worker: owns an unallocated case's next steps */
      dutyWorker: z.string().min(1).max(200),
    })
    .default(defaultUnallocatedCases),
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
