import type { JourneyEventType } from './events';

/**
 * The event catalogue's names, without its zod schemas (events.ts): what the machine, its rules and
 * the journey's next steps need of the catalogue. Every journey a worker holds shares one copy of
 * the modules that import only this (the workflow bundle's preloaded modules,
 * runtime/workflowBundle.ts); zod, which the schemas need, cannot be shared, so it stays out.
 * test/machine/eventTypes.test.ts checks that these name what the schemas do.
 */

export const roles = ['practitioner', 'manager', 'integration', 'auditor', 'system'] as const;

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

/**
 * R-END-3 (DCC §7.10.3, §7.12): what a direct payment balance is for. A surplus to the needs in the
 * plan may be recovered after discussion; money diverted to other purposes may be sought back,
 * hardship considered; money held to save for an agreed purpose, for outstanding accounts or for tax
 * is never recovered.
 */
export const balancePurposes = [
  'surplusToNeeds',
  'divertedToOtherPurposes',
  'savingForAgreedPurpose',
  'outstandingAccounts',
  'tax',
] as const;

/**
 * Issue 17: the stages a journey can be imported at (JOURNEY_IMPORTED), as the machine names them:
 * a person the council already supports joins mid-journey, at the stage the case system has them in.
 */
export const importStages = [
  'assessment',
  'interimSupport',
  'indicativeBudget',
  'planning',
  'setUp',
  'liveSupport',
] as const;
export type ImportStage = (typeof importStages)[number];

/** Every event type, in the catalogue's order (events.ts `journeyEventSchemas`). */
export const journeyEventTypes: readonly JourneyEventType[] = [
  'REFERRAL_RECEIVED',
  'JOURNEY_IMPORTED',
  'UNIVERSAL_OFFER_GIVEN',
  'TRIAGED',
  'WORKER_ALLOCATED',
  'ORDINARY_RESIDENCE_ESTABLISHED',
  'SHORT_TERM_SUPPORT_ENDED',
  'INTERIM_SUPPORT_STARTED',
  'ASSESSMENT_STARTED',
  'CAPACITY_ASSESSED',
  'SUITABLE_PERSON_APPOINTED',
  'INVOLVEMENT_DIFFICULTY_ASSESSED',
  'ADVOCATE_ARRANGED',
  'CONSENT_RECORDED',
  'CARER_IDENTIFIED',
  'CARER_ASSESSMENT_OFFERED',
  'ASSESSMENT_PAUSED',
  'ASSESSMENT_RESUMED',
  'ASSESSMENT_COMPLETED',
  'INDICATIVE_BUDGET_CALCULATED',
  'INDICATIVE_BUDGET_OVERRIDDEN',
  'INDICATIVE_BUDGET_SHARED',
  'PLANNING_STARTED',
  'PLAN_SUBMITTED',
  'PLAN_VALIDATED',
  'DISPUTE_RAISED',
  'PLAN_SIGNED_OFF',
  'AFTERCARE_HEALTH_CONSULTED',
  'DIRECT_PAYMENT_AGREEMENT_SIGNED',
  'SERVICES_ACTIVATED',
  'EQUIPMENT_CONFIRMED',
  'INFORMAL_REVIEW_COMPLETED',
  'DIRECT_PAYMENT_FINANCE_CONTACTED',
  'REVIEW_COMPLETED',
  'MONITORING_CHECK_COMPLETED',
  'UNSCHEDULED_REVIEW_REQUESTED',
  'REASSESSMENT_COMPLETED',
  'REASSESSMENT_COPY_PROVIDED',
  'SERVICE_END_LETTER_POSTED',
  'DIRECT_PAYMENT_NOTICE_GIVEN',
  'SURPLUS_RECOVERED',
  'MOVED_AWAY',
  'HOSPITAL_ADMITTED',
  'HOSPITAL_DISCHARGED',
  'DIRECT_PAYMENT_SUSPENDED',
  'PERSON_DIED',
  'JOURNEY_WITHDRAWN',
  'COMPLAINT_RAISED',
  'BUDGET_CHALLENGED',
  'ADJUDICATION_PANEL_OFFERED',
  'BUDGET_COMPLAINT_INTERIM_CHOICE',
  'BUDGET_COMPLAINT_SERVICES_ARRANGED',
  'COMPLAINT_RESOLVED',
  'SAFEGUARDING_CONCERN_RAISED',
  'SAFEGUARDING_CLOSED',
  'APPEAL_RAISED',
  'APPEAL_DECIDED',
  'DIRECT_PAYMENT_VARIATION_FLAGGED',
  'TEMPORARY_SUPPORT_ARRANGED',
  'TEMPORARY_SUPPORT_ENDED',
  'DEADLINE_REACHED',
];

/**
 * Events only the system raises: people and integrations cannot send them (the API answers 403,
 * the journey refuses them). DEADLINE_REACHED comes from the journey's timers; from rules edition 3,
 * INDICATIVE_BUDGET_CALCULATED only from the journey's own RAS activity (issue 10: a manager who
 * must set another figure sends INDICATIVE_BUDGET_OVERRIDDEN, with the reason).
 */
export const systemOnlyEvents: readonly JourneyEventType[] = [
  'DEADLINE_REACHED',
  'INDICATIVE_BUDGET_CALCULATED',
];

/**
 * The rules edition from which each system-only event is refused from anyone but the system
 * (journeyContext.ts `rulesEdition`): a journey judged by an earlier edition accepts it as it did.
 */
export const systemOnlySinceEdition: Partial<Record<JourneyEventType, number>> = {
  INDICATIVE_BUDGET_CALCULATED: 3,
};

/** Whether only the system may raise this event on a journey judged by this edition of the rules. */
export const isSystemOnly = (type: JourneyEventType, edition: number): boolean =>
  systemOnlyEvents.includes(type) && edition >= (systemOnlySinceEdition[type] ?? 1);

/**
 * Each event's calendar-date fields (those of the catalogue's `localDate` type; an event without
 * any is left out), so the machine can hold them to the plausible date window itself (rules.ts)
 * should an event reach it unparsed.
 */
export const localDateFields: Readonly<Partial<Record<JourneyEventType, readonly string[]>>> = {
  REFERRAL_RECEIVED: ['receivedDate'],
  JOURNEY_IMPORTED: [
    'stageSince',
    'assessmentStartedOn',
    'servicesStartedOn',
    'nextReviewOn',
    'lastMonitoringCheckOn',
    'directPaymentStartedOn',
    'lastFaceToFaceReviewOn',
  ],
  SUITABLE_PERSON_APPOINTED: ['riskAssessmentRecordedOn'],
  DIRECT_PAYMENT_AGREEMENT_SIGNED: ['signedOn'],
  SERVICES_ACTIVATED: ['firstReviewAgreedFor'],
  REVIEW_COMPLETED: ['nextReviewOn'],
  REASSESSMENT_COMPLETED: ['nextReviewOn'],
  SERVICE_END_LETTER_POSTED: ['postedOn', 'endDate'],
  DIRECT_PAYMENT_NOTICE_GIVEN: ['noticeGivenOn'],
  SURPLUS_RECOVERED: ['discussedWithPersonOn'],
  MOVED_AWAY: ['moveDate'],
  HOSPITAL_ADMITTED: ['admittedOn'],
  HOSPITAL_DISCHARGED: ['dischargedOn'],
  PERSON_DIED: ['dateOfDeath'],
  ADJUDICATION_PANEL_OFFERED: ['discussedWithComplaintsManagerOn'],
};
