import { z } from 'zod';
import {
  allCarersPlanElements,
  carersPlanElements,
  commonPlanChecklist,
  planElements,
} from './planChecklist';
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
    /** R-REV-13: the least notice of a planned review the person and their representatives are given. */
    leastNoticeWorkingDays: z.number().int().nonnegative(),
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
   * R-CMP-1 (edition 5): the budget refused while a complaint about it is considered, the council
   * arranges the relevant services instead within this many working days. Absent (a JSON profile
   * written before it existed): 10, as the shipped profiles.
   */
  budgetComplaints: z
    .object({ servicesArrangedWorkingDays: z.number().int().positive() })
    .default({ servicesArrangedWorkingDays: 10 }),
  /**
   * R-PLN-3 / R-PLN-6 (rules edition 5): the council's own checklists (machines/planChecklist.ts).
   * `checklist`: what a care and support plan must contain before sign-off, and when revised at a
   * review. `carersPlanMustHave`: which of a carer's plan's contents (SBS §3) it must have; the
   * others are asked for and may be absent. Absent (a JSON profile written before it existed): the
   * lists every journey was held to until then.
   */
  plans: z
    .object({
      checklist: z.array(z.enum(planElements)).min(1),
      carersPlanMustHave: z.array(z.enum(carersPlanElements)),
    })
    .default({ checklist: [...commonPlanChecklist], carersPlanMustHave: [...allCarersPlanElements] }),
  /**
   * R-APL-1: an appeal against a decision on eligibility or the personal budget is decided, and the
   * decision sent in writing, within this many working days of being raised. Absent (a JSON profile
   * written before it existed): 20, as the shipped profiles.
   */
  appeals: z
    .object({ decisionWorkingDays: z.number().int().positive() })
    .default({ decisionWorkingDays: 20 }),
  /**
   * R-DPM-1 / R-DPM-2: a flagged variation in a direct payment's balance, or a concern about the
   * account, is acted on (a review) within `variationActionWorkingDays`; temporary support the
   * worker arranges when the person's own contingency arrangements break down is to have ended
   * within `temporarySupportWeeks`. Absent (a JSON profile written before): 10 and 4, as shipped.
   */
  directPaymentMonitoring: z
    .object({
      variationActionWorkingDays: z.number().int().positive(),
      temporarySupportWeeks: z.number().int().positive(),
    })
    .default({ variationActionWorkingDays: 10, temporarySupportWeeks: 4 }),
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
