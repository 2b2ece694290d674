import type { LetterKind } from '../machines/effects';
import type { JourneyEventType } from '../machines/events';
import type { Role } from '../temporal.config';

/**
 * What the case page needs to know about each event beyond its schema: under which plain heading
 * it is offered, how to say when it happened, who may record it, and what recording it sets going
 * (a letter, money), so those are checked before they are sent.
 */

/** The events a person may record, under plain headings, in the order a journey meets them. */
export const eventGroups: { heading: string; events: JourneyEventType[] }[] = [
  {
    heading: 'Referral and triage',
    events: [
      'REFERRAL_RECEIVED',
      'UNIVERSAL_OFFER_GIVEN',
      'TRIAGED',
      'WORKER_ALLOCATED',
      'ORDINARY_RESIDENCE_ESTABLISHED',
      'SHORT_TERM_SUPPORT_ENDED',
    ],
  },
  { heading: 'Emergency support', events: ['INTERIM_SUPPORT_STARTED'] },
  {
    heading: 'Assessment',
    events: [
      'ASSESSMENT_STARTED',
      'CONSENT_RECORDED',
      'CAPACITY_ASSESSED',
      'SUITABLE_PERSON_APPOINTED',
      'INVOLVEMENT_DIFFICULTY_ASSESSED',
      'ADVOCATE_ARRANGED',
      'CARER_IDENTIFIED',
      'CARER_ASSESSMENT_OFFERED',
      'ASSESSMENT_PAUSED',
      'ASSESSMENT_RESUMED',
      'ASSESSMENT_COMPLETED',
    ],
  },
  { heading: 'Indicative budget', events: ['INDICATIVE_BUDGET_OVERRIDDEN', 'INDICATIVE_BUDGET_SHARED'] },
  {
    heading: 'Care and support plan',
    events: ['PLANNING_STARTED', 'PLAN_SUBMITTED', 'PLAN_VALIDATED', 'DISPUTE_RAISED'],
  },
  { heading: 'Sign-off and personal budget', events: ['PLAN_SIGNED_OFF', 'AFTERCARE_HEALTH_CONSULTED'] },
  {
    heading: 'Setting up services',
    events: ['DIRECT_PAYMENT_AGREEMENT_SIGNED', 'SERVICES_ACTIVATED', 'EQUIPMENT_CONFIRMED'],
  },
  {
    heading: 'Reviews',
    events: [
      'INFORMAL_REVIEW_COMPLETED',
      'MONITORING_CHECK_COMPLETED',
      'DIRECT_PAYMENT_FINANCE_CONTACTED',
      'REVIEW_COMPLETED',
      'UNSCHEDULED_REVIEW_REQUESTED',
    ],
  },
  {
    heading: 'Reassessment and ending services',
    events: [
      'REASSESSMENT_COMPLETED',
      'REASSESSMENT_COPY_PROVIDED',
      'SERVICE_END_LETTER_POSTED',
      'DIRECT_PAYMENT_NOTICE_GIVEN',
      'SURPLUS_RECOVERED',
    ],
  },
  {
    heading: 'Direct payments not going to plan',
    events: [
      'DIRECT_PAYMENT_VARIATION_FLAGGED',
      'TEMPORARY_SUPPORT_ARRANGED',
      'TEMPORARY_SUPPORT_ENDED',
      'DIRECT_PAYMENT_SUSPENDED',
    ],
  },
  {
    heading: 'Complaints, challenges and appeals',
    events: [
      'COMPLAINT_RAISED',
      'COMPLAINT_RESOLVED',
      'BUDGET_CHALLENGED',
      'ADJUDICATION_PANEL_OFFERED',
      'BUDGET_COMPLAINT_INTERIM_CHOICE',
      'BUDGET_COMPLAINT_SERVICES_ARRANGED',
      'APPEAL_RAISED',
      'APPEAL_DECIDED',
    ],
  },
  { heading: 'Safeguarding', events: ['SAFEGUARDING_CONCERN_RAISED', 'SAFEGUARDING_CLOSED'] },
  {
    heading: 'Hospital, moving, death and withdrawal',
    events: ['HOSPITAL_ADMITTED', 'HOSPITAL_DISCHARGED', 'MOVED_AWAY', 'PERSON_DIED', 'JOURNEY_WITHDRAWN'],
  },
];

/**
 * When each event happened, said in a sentence: the date and time input is "When the assessment
 * started" and a missing part is "Enter the date the assessment started".
 */
export const whenItHappened: Partial<Record<JourneyEventType, string>> = {
  REFERRAL_RECEIVED: 'the referral was received',
  JOURNEY_IMPORTED: 'the case was brought in',
  UNIVERSAL_OFFER_GIVEN: 'the universal offer was given',
  TRIAGED: 'the referral was triaged',
  WORKER_ALLOCATED: 'the worker was allocated',
  ORDINARY_RESIDENCE_ESTABLISHED: 'ordinary residence was established',
  SHORT_TERM_SUPPORT_ENDED: 'short-term support ended',
  INTERIM_SUPPORT_STARTED: 'interim support started',
  ASSESSMENT_STARTED: 'the assessment started',
  CAPACITY_ASSESSED: 'capacity was assessed',
  SUITABLE_PERSON_APPOINTED: 'the suitable person was appointed',
  INVOLVEMENT_DIFFICULTY_ASSESSED: 'the difficulty being involved was assessed',
  ADVOCATE_ARRANGED: 'the advocate was arranged',
  CONSENT_RECORDED: 'the person gave or refused consent',
  CARER_IDENTIFIED: 'the carer was identified',
  CARER_ASSESSMENT_OFFERED: 'the carer’s assessment was offered',
  ASSESSMENT_PAUSED: 'the assessment was paused',
  ASSESSMENT_RESUMED: 'the assessment started again',
  ASSESSMENT_COMPLETED: 'the assessment was completed',
  INDICATIVE_BUDGET_OVERRIDDEN: 'the indicative budget was set',
  INDICATIVE_BUDGET_SHARED: 'the indicative budget was shared',
  PLANNING_STARTED: 'planning started',
  PLAN_SUBMITTED: 'the plan was submitted',
  PLAN_VALIDATED: 'the plan was checked',
  DISPUTE_RAISED: 'the person disputed the plan',
  PLAN_SIGNED_OFF: 'the plan was signed off',
  AFTERCARE_HEALTH_CONSULTED: 'the health team was consulted',
  DIRECT_PAYMENT_AGREEMENT_SIGNED: 'the signed agreement was received',
  SERVICES_ACTIVATED: 'services started',
  EQUIPMENT_CONFIRMED: 'the equipment was confirmed',
  INFORMAL_REVIEW_COMPLETED: 'the informal review was completed',
  DIRECT_PAYMENT_FINANCE_CONTACTED: 'finance was contacted',
  REVIEW_COMPLETED: 'the review was completed',
  MONITORING_CHECK_COMPLETED: 'the monitoring check was completed',
  UNSCHEDULED_REVIEW_REQUESTED: 'the review was asked for',
  REASSESSMENT_COMPLETED: 'the reassessment was completed',
  REASSESSMENT_COPY_PROVIDED: 'the copy was given',
  SERVICE_END_LETTER_POSTED: 'the letter was sent',
  DIRECT_PAYMENT_NOTICE_GIVEN: 'notice was given',
  SURPLUS_RECOVERED: 'the surplus was recovered',
  MOVED_AWAY: 'the council heard of the move',
  HOSPITAL_ADMITTED: 'the council heard of the admission',
  HOSPITAL_DISCHARGED: 'the council heard of the discharge',
  DIRECT_PAYMENT_SUSPENDED: 'the direct payment was suspended',
  PERSON_DIED: 'the council heard of the death',
  JOURNEY_WITHDRAWN: 'the person withdrew',
  COMPLAINT_RAISED: 'the complaint was made',
  BUDGET_CHALLENGED: 'the budget was challenged',
  ADJUDICATION_PANEL_OFFERED: 'the panel was offered',
  BUDGET_COMPLAINT_INTERIM_CHOICE: 'the person chose',
  BUDGET_COMPLAINT_SERVICES_ARRANGED: 'the services were arranged',
  COMPLAINT_RESOLVED: 'the complaint was resolved',
  SAFEGUARDING_CONCERN_RAISED: 'the concern was raised',
  SAFEGUARDING_CLOSED: 'the concern was closed',
  APPEAL_RAISED: 'the appeal was made',
  APPEAL_DECIDED: 'the appeal was decided',
  DIRECT_PAYMENT_VARIATION_FLAGGED: 'finance raised it',
  TEMPORARY_SUPPORT_ARRANGED: 'temporary support was arranged',
  TEMPORARY_SUPPORT_ENDED: 'temporary support ended',
};

/**
 * Events the journey's rules let only some roles record (machines/rules.ts refuses the others, by
 * role): the pages do not offer their forms to anyone else. test/pages/forms.test.ts holds this
 * to the rules: every event whose rules answer a practitioner and a manager differently is here.
 */
export const onlyFor: Partial<Record<JourneyEventType, Role[]>> = {
  // R-IB-2: only a manager may set the indicative budget instead of the RAS's figure
  INDICATIVE_BUDGET_OVERRIDDEN: ['manager'],
  // bringing a caseload in is for a manager or the case system, and only as a journey's first event
  JOURNEY_IMPORTED: ['manager', 'integration'],
};

/**
 * Events whose rules answer by role only above an amount (R-SGN-1: sign-off above the delegation
 * limit needs the profile's authoriser): offered to everyone, the rule says when it needs another.
 */
export const roleByAmount: JourneyEventType[] = ['PLAN_SIGNED_OFF'];

/**
 * The letters each event sends (machines/journeyMachine.ts emits them; machines/effects.ts names
 * them): typed by letter, so a new kind of letter must be placed here.
 */
export const lettersSentBy: Record<LetterKind, JourneyEventType[]> = {
  fullerAssessmentNotice: ['INTERIM_SUPPORT_STARTED'],
  decisionLetter: ['ASSESSMENT_COMPLETED', 'REASSESSMENT_COMPLETED'],
  planCopy: ['PLAN_SIGNED_OFF'],
  serviceEndLetter: ['SERVICE_END_LETTER_POSTED'],
  transferPack: ['MOVED_AWAY'],
  reviewOutcome: ['REVIEW_COMPLETED'],
  directPaymentEndNotice: ['DIRECT_PAYMENT_NOTICE_GIVEN'],
  indicativeBudgetLetter: ['INDICATIVE_BUDGET_SHARED'],
  appealDecision: ['APPEAL_DECIDED'],
  directPaymentChangeRecord: [
    'DIRECT_PAYMENT_SUSPENDED',
    'JOURNEY_WITHDRAWN',
    'SERVICE_END_LETTER_POSTED',
    'MOVED_AWAY',
  ],
  surplusRecoveryDecision: ['SURPLUS_RECOVERED'],
};

/** Letters sent only in some cases, and which. */
const letterOnlyWhen: Partial<Record<LetterKind, string>> = {
  directPaymentChangeRecord: 'where a direct payment is in place',
};

/** What recording an event sets going with money: a budget, payments started, stopped or recovered. */
export const moneyMovedBy: Partial<Record<JourneyEventType, string>> = {
  INDICATIVE_BUDGET_OVERRIDDEN: 'It sets the indicative budget in place of the council’s calculation.',
  PLAN_SIGNED_OFF: 'It sets the personal budget the council pays.',
  SERVICES_ACTIVATED: 'Services start, paid from the personal budget.',
  SURPLUS_RECOVERED: 'The council’s payment arrangements are told to recover the amount.',
  DIRECT_PAYMENT_SUSPENDED: 'Direct payments are suspended.',
  PERSON_DIED: 'Every payment stops at once (no letter is sent).',
  MOVED_AWAY: 'Funding continues for the weeks the council’s policy allows, then stops.',
  JOURNEY_WITHDRAWN: 'Payments stop.',
};

/** What recording each event sends or pays, in sentences for its "check your answers" page. */
export function consequencesOf(type: string, letterTitle: (kind: LetterKind) => string): string[] {
  const letters = (Object.entries(lettersSentBy) as [LetterKind, JourneyEventType[]][])
    .filter(([, events]) => events.includes(type as JourneyEventType))
    .map(
      ([kind]) =>
        `A letter is sent${letterOnlyWhen[kind] ? `, ${letterOnlyWhen[kind]}` : ''}: “${letterTitle(kind)}”.`,
    );
  const money = moneyMovedBy[type as JourneyEventType];
  return [...letters, ...(money ? [money] : [])];
}

/** Whether recording this event is checked first: it sends a letter or moves money. */
export const checkedFirst = (type: string): boolean =>
  Object.values(lettersSentBy).some((events) => events.includes(type as JourneyEventType)) ||
  moneyMovedBy[type as JourneyEventType] !== undefined;

/** Whether a role may record this event through the pages. */
export const offeredTo = (type: string, role: Role): boolean =>
  role !== 'auditor' && (onlyFor[type as JourneyEventType]?.includes(role) ?? true);
