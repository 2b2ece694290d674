import type { JourneyEventInput, JourneyEventType } from './events';

/**
 * What the event catalogue (events.ts) looks like in the API's document: for every event a caller
 * may send, one sentence on what it records (with its rule) and a real example; for every field, a
 * description. The catalogue says what validates; this module only says it in words, so the
 * OpenAPI document (api/openapi/eventBodies.ts) is generated from both and cannot drift: a test
 * (test/api/contract.document.test.ts) holds every example to its event's own schema and every
 * field of the catalogue to a description here.
 *
 * The examples follow one person (P-100) from a GP's referral on Monday 2 March 2026 to the end of
 * services, so each is consistent with the others: the needs assessed make the RAS's £9,360, the
 * plan is complete, the sign-off agrees with the indicative budget, the first review is agreed six
 * weeks after services start.
 */

/** Events only the journey itself raises (events.ts `systemOnlyEvents`): the API refuses them. */
export type SystemOnlyEventType = 'DEADLINE_REACHED' | 'INDICATIVE_BUDGET_CALCULATED';
/** The events a caller may send to POST /journeys/{personId}/events (the referral: POST /referrals). */
export type SendableEventType = Exclude<JourneyEventType, SystemOnlyEventType>;

type EventInput = JourneyEventInput;
/** An event as a caller sends it: no actor (the API sets it from the token). */
export type EventBodyExample<T extends JourneyEventType> = Omit<Extract<EventInput, { type: T }>, 'actor'>;

export interface EventDoc<T extends SendableEventType> {
  /** What the event records, and the rule behind it. */
  summary: string;
  example: EventBodyExample<T>;
}

const completePlanExample = {
  needsAndOutcomes: 'Help washing and dressing each morning; to keep going to the day centre on Thursdays',
  eligibleNeeds: ['personal care', 'social participation'],
  ineligibleNeeds: ['gardening'],
  informationAndAdvice: 'Falls prevention advice; the local befriending service',
  ownResourcesAndNetwork: 'Her daughter helps with shopping twice a week',
  councilWillMeet: 'Home care, 7 hours a week, through an agency',
  personalBudget: 9360,
  budgetManagement: ['councilManaged' as const],
  risks: 'Falls: managed with a pendant alarm and a morning visit',
  contingencyPlan: 'The agency covers absence; her daughter is the back-up',
  stayingInControl: 'She chooses the visit times and can change agency',
  optionsConsidered: [
    { option: 'Home care', chosen: true, reason: 'Keeps her at home' },
    { option: 'Residential care', chosen: false, reason: 'Her needs can be met at home' },
  ],
  directPaymentOffer: {
    answer: 'declined' as const,
    notes: 'Would rather the council arranged the agency; knows she can ask for one at any time',
  },
};

const noIndicatorsExample = {
  serviceOnlyFewMonthsOld: false,
  needsLikelyToChange: false,
  newProviderWithoutTrackRecord: false,
  severalProvidersToCoordinate: false,
};

export const eventDocs: { [T in SendableEventType]: EventDoc<T> } = {
  REFERRAL_RECEIVED: {
    summary:
      'A referral (R-REF-1). Send it to POST /referrals, which opens the journey; sent here, it is recorded on the open journey (R-REF-4).',
    example: {
      type: 'REFERRAL_RECEIVED',
      eventId: 'referral-R-2026-0142',
      occurredAt: '2026-03-02T09:30:00Z',
      referralId: 'R-2026-0142',
      receivedDate: '2026-03-02',
      source: 'gp',
      urgency: 'routine',
      summary: 'Struggling with personal care since a fall in February; lives alone',
      subject: 'person',
      name: 'Mrs Ann Smith',
      address: ['4 Mill Lane', 'Matlock'],
      postcode: 'DE4 3AG',
    },
  },
  JOURNEY_IMPORTED: {
    summary:
      "A person the council already supports, brought in from its case system (issue 17): a journey's first event only. Send it with POST /imports (or `care import`), which starts the journey at its stage; the clocks are set from the facts by the same rules as for any journey, and one already past is overdue at once.",
    example: {
      type: 'JOURNEY_IMPORTED',
      eventId: 'import-P-2041',
      occurredAt: '2026-03-02T08:00:00Z',
      source: { file: 'caseload-2026-03-01.csv', row: 2, system: 'Mosaic' },
      stage: 'liveSupport',
      subject: 'person',
      policyProfile: 'Derbyshire',
      team: 'north',
      workerId: 'worker.ann',
      personalBudget: 9360,
      budgetManagement: ['directPayment'],
      servicesStartedOn: '2024-05-13',
      directPaymentAgreement: { status: 'signed', signedOn: '2024-05-10' },
      lastReview: { on: '2025-05-20', reviewType: 'formal' },
      nextReviewOn: '2026-05-20',
      lastMonitoringCheckOn: '2025-11-18',
      complaints: [{ complaintId: 'C-88', about: 'service', raisedOn: '2026-02-11' }],
      safeguarding: [],
    },
  },
  UNIVERSAL_OFFER_GIVEN: {
    summary: 'Information, advice, signposting and prevention given at first contact (R-REF-1, R-IB-1).',
    example: {
      type: 'UNIVERSAL_OFFER_GIVEN',
      eventId: 'e-100-1',
      occurredAt: '2026-03-02T11:00:00Z',
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: ['Age UK befriending service'],
      prevention: ['Pendant alarm'],
    },
  },
  TRIAGED: {
    summary: 'Where the referral goes next (R-REF-2).',
    example: {
      type: 'TRIAGED',
      eventId: 'e-100-2',
      occurredAt: '2026-03-03T10:00:00Z',
      route: 'assessment',
      reason: 'Needs a care and support assessment',
    },
  },
  WORKER_ALLOCATED: {
    summary: 'The team and worker who carry the case.',
    example: {
      type: 'WORKER_ALLOCATED',
      eventId: 'e-100-3',
      occurredAt: '2026-03-03T10:30:00Z',
      team: 'north',
      workerId: 'worker.ann',
    },
  },
  ORDINARY_RESIDENCE_ESTABLISHED: {
    summary: 'The council responsible for the person; needed before planning (R-REF-3).',
    example: {
      type: 'ORDINARY_RESIDENCE_ESTABLISHED',
      eventId: 'e-100-6',
      occurredAt: '2026-03-04T11:00:00Z',
      council: 'Derbyshire',
    },
  },
  SHORT_TERM_SUPPORT_ENDED: {
    summary: 'Short-term support (reablement) is over: needs met, or an assessment is needed (R-REF-2).',
    example: {
      type: 'SHORT_TERM_SUPPORT_ENDED',
      eventId: 'e-200-4',
      occurredAt: '2026-03-30T15:00:00Z',
      outcome: 'needsMet',
      notes: 'Independent with washing and dressing after six weeks of reablement',
    },
  },
  INTERIM_SUPPORT_STARTED: {
    summary:
      "Emergency services before a formal assessment (R-EMG-1), with the manager's approval and the case notes completed (R-EMG-3).",
    example: {
      type: 'INTERIM_SUPPORT_STARTED',
      eventId: 'e-300-3',
      occurredAt: '2026-03-02T18:00:00Z',
      services: ['emergency home care'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    },
  },
  ASSESSMENT_STARTED: {
    summary: 'The care and support assessment begins (R-ASM-1).',
    example: { type: 'ASSESSMENT_STARTED', eventId: 'e-100-4', occurredAt: '2026-03-04T10:00:00Z' },
  },
  CAPACITY_ASSESSED: {
    summary: 'A capacity assessment for one decision (R-ASM-2, R-ASM-7).',
    example: {
      type: 'CAPACITY_ASSESSED',
      eventId: 'e-100-20',
      occurredAt: '2026-03-04T10:15:00Z',
      decision: 'Whether to accept home care',
      hasCapacity: true,
      topic: 'careAndSupport',
    },
  },
  SUITABLE_PERSON_APPOINTED: {
    summary:
      'A suitable person takes the direct payment for someone unable to consent to or manage it (R-ASM-7).',
    example: {
      type: 'SUITABLE_PERSON_APPOINTED',
      eventId: 'e-400-9',
      occurredAt: '2026-03-05T10:00:00Z',
      suitablePersonId: 'sp-17',
      relationship: 'daughter',
      riskAssessmentRecordedOn: '2026-03-05',
    },
  },
  INVOLVEMENT_DIFFICULTY_ASSESSED: {
    summary: 'Whether the person has substantial difficulty being involved, and who can help (R-ASM-2).',
    example: {
      type: 'INVOLVEMENT_DIFFICULTY_ASSESSED',
      eventId: 'e-100-21',
      occurredAt: '2026-03-04T10:20:00Z',
      substantialDifficulty: false,
      appropriatePersonAvailable: true,
    },
  },
  ADVOCATE_ARRANGED: {
    summary: 'An independent advocate, where one is required (R-ASM-2).',
    example: {
      type: 'ADVOCATE_ARRANGED',
      eventId: 'e-500-5',
      occurredAt: '2026-03-05T09:00:00Z',
      advocateId: 'adv-3',
      organisation: 'Derbyshire Advocacy Service',
    },
  },
  CONSENT_RECORDED: {
    summary: 'Consent to share information, with any limits (R-ASM-3).',
    example: {
      type: 'CONSENT_RECORDED',
      eventId: 'e-100-5',
      occurredAt: '2026-03-04T10:30:00Z',
      consentGiven: true,
      limits: 'Not to be shared with her son',
    },
  },
  CARER_IDENTIFIED: {
    summary: "A carer is identified; a carer's assessment must be offered (R-ASM-4).",
    example: {
      type: 'CARER_IDENTIFIED',
      eventId: 'e-100-22',
      occurredAt: '2026-03-04T10:40:00Z',
      carerId: 'carer-8',
    },
  },
  CARER_ASSESSMENT_OFFERED: {
    summary: "A carer's assessment offered to the carer, and whether they accepted (R-ASM-4).",
    example: {
      type: 'CARER_ASSESSMENT_OFFERED',
      eventId: 'e-100-23',
      occurredAt: '2026-03-04T10:45:00Z',
      carerId: 'carer-8',
      accepted: false,
    },
  },
  ASSESSMENT_PAUSED: {
    summary: 'The assessment is paused, with the reason (e.g. fluctuating needs, R-ASM-6).',
    example: {
      type: 'ASSESSMENT_PAUSED',
      eventId: 'e-600-5',
      occurredAt: '2026-03-05T12:00:00Z',
      reason: 'In hospital for a week; her needs will be assessed on discharge',
    },
  },
  ASSESSMENT_RESUMED: {
    summary: 'A paused assessment carries on.',
    example: { type: 'ASSESSMENT_RESUMED', eventId: 'e-600-6', occurredAt: '2026-03-12T10:00:00Z' },
  },
  ASSESSMENT_COMPLETED: {
    summary:
      "The assessment's findings (R-ASM-1): presenting, eligible and unmet eligible needs with their RAS points; the journey then asks the RAS for the indicative budget (R-IB-2).",
    example: {
      type: 'ASSESSMENT_COMPLETED',
      eventId: 'e-100-7',
      occurredAt: '2026-03-05T15:00:00Z',
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
    },
  },
  INDICATIVE_BUDGET_OVERRIDDEN: {
    summary:
      "A manager sets the indicative budget instead of the RAS's figure, with the reason, where the profile allows it (budget.managerMayOverrideIndicativeBudget).",
    example: {
      type: 'INDICATIVE_BUDGET_OVERRIDDEN',
      eventId: 'e-700-8',
      occurredAt: '2026-03-06T09:00:00Z',
      amount: 9800,
      reason: 'Night-time needs the points table does not count',
    },
  },
  INDICATIVE_BUDGET_SHARED: {
    summary: 'The indicative budget shared with the person, before planning starts (R-IB-3).',
    example: {
      type: 'INDICATIVE_BUDGET_SHARED',
      eventId: 'e-100-8',
      occurredAt: '2026-03-06T10:00:00Z',
      sharedWith: ['person', 'daughter'],
      method: 'letter',
    },
  },
  PLANNING_STARTED: {
    summary: 'Care and support planning starts, and who prepares the plan (R-PLN-1).',
    example: {
      type: 'PLANNING_STARTED',
      eventId: 'e-100-9',
      occurredAt: '2026-03-09T10:00:00Z',
      preparedBy: 'worker',
    },
  },
  PLAN_SUBMITTED: {
    summary: 'The care and support plan, or a draft of it; sign-off needs every R-PLN-3 element.',
    example: {
      type: 'PLAN_SUBMITTED',
      eventId: 'e-100-10',
      occurredAt: '2026-03-10T10:00:00Z',
      plan: completePlanExample,
    },
  },
  PLAN_VALIDATED: {
    summary: 'The submitted plan is checked and ready for sign-off (R-PLN-1).',
    example: { type: 'PLAN_VALIDATED', eventId: 'e-100-24', occurredAt: '2026-03-10T14:00:00Z' },
  },
  DISPUTE_RAISED: {
    summary: 'The person disputes the plan; the council revisits planning (R-SGN-2).',
    example: {
      type: 'DISPUTE_RAISED',
      eventId: 'e-800-11',
      occurredAt: '2026-03-11T10:00:00Z',
      reasons: ['Wants morning visits before 8am'],
    },
  },
  PLAN_SIGNED_OFF: {
    summary:
      'The plan signed off (R-SGN-1) with the personal budget (R-PB-1, R-PB-3), who agreed, and who gets a copy in which format (R-SGN-3).',
    example: {
      type: 'PLAN_SIGNED_OFF',
      eventId: 'e-100-11',
      occurredAt: '2026-03-11T10:00:00Z',
      finalBudget: 9360,
      costing: { reasonableCost: 9360, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
      agreedBy: { person: true, workerId: 'worker.ann' },
      copyTo: ['daughter'],
      accessibleFormat: 'large print',
    },
  },
  AFTERCARE_HEALTH_CONSULTED: {
    summary:
      'Where needs are met under section 117 of the Mental Health Act 1983, the health team or commissioning authority consulted before support is commissioned, and again before any change to it (R-PB-5).',
    example: {
      type: 'AFTERCARE_HEALTH_CONSULTED',
      eventId: 'e-117-01',
      occurredAt: '2026-03-13T10:00:00Z',
      consultedWith: 'Derbyshire Community Mental Health Team (north)',
      about: 'commissioning',
      notes: 'Agreed the home care package and the shared funding arrangement',
    },
  },
  DIRECT_PAYMENT_AGREEMENT_SIGNED: {
    summary: 'The direct payment agreement is signed; a direct payment starts only after it (R-ACT-1).',
    example: {
      type: 'DIRECT_PAYMENT_AGREEMENT_SIGNED',
      eventId: 'e-900-12',
      occurredAt: '2026-03-12T10:00:00Z',
      signedOn: '2026-03-12',
    },
  },
  SERVICES_ACTIVATED: {
    summary:
      'Services start (R-ACT-1), with the first review agreed with the person (R-ACT-2; due at 6 weeks, R-REV-2).',
    example: {
      type: 'SERVICES_ACTIVATED',
      eventId: 'e-100-12',
      occurredAt: '2026-03-16T09:00:00Z',
      firstReviewAgreedFor: '2026-04-27',
      providers: [{ providerId: 'prov-22', newWithoutTrackRecord: false }],
    },
  },
  INFORMAL_REVIEW_COMPLETED: {
    summary: 'The informal review 72 hours after services start (R-REV-1).',
    example: {
      type: 'INFORMAL_REVIEW_COMPLETED',
      eventId: 'e-100-13',
      occurredAt: '2026-03-19T10:00:00Z',
      notes: 'Visits on time; she is happy with the carers',
    },
  },
  DIRECT_PAYMENT_FINANCE_CONTACTED: {
    summary: 'The direct payment finance team contacted before a direct payment is reviewed (R-REV-7).',
    example: {
      type: 'DIRECT_PAYMENT_FINANCE_CONTACTED',
      eventId: 'e-900-14',
      occurredAt: '2026-04-24T10:00:00Z',
      concerns: false,
      notes: 'Account balance in line with the plan',
    },
  },
  REVIEW_COMPLETED: {
    summary:
      "A review (R-REV-2, R-REV-3) with its outcome (R-REV-8), the indicators that set the next review's interval (R-REV-5), and when the person and their representatives were told of it (R-REV-13).",
    example: {
      type: 'REVIEW_COMPLETED',
      eventId: 'e-100-14',
      occurredAt: '2026-04-27T10:00:00Z',
      reviewType: 'formal',
      outcome: 'noChange',
      eligibilityRedetermined: true,
      contingencyPlanReviewed: true,
      indicators: noIndicatorsExample,
      contactPoint: 'North team duty line, 01629 533190',
      notice: { toldOn: '2026-04-06', told: ['Mrs Patel', 'her son'], advocacyConsidered: true },
    },
  },
  EQUIPMENT_CONFIRMED: {
    summary:
      'Equipment that is the only service confirmed as suiting the person, an adaptation completed and working (R-REV-14); the journey may close then.',
    example: {
      type: 'EQUIPMENT_CONFIRMED',
      eventId: 'e-700-12',
      occurredAt: '2026-05-11T10:00:00Z',
      suitable: true,
      adaptationCompletedAndWorking: true,
      closeJourney: true,
      notes: 'Wet room in use since April; Mr Hughes showers without help',
    },
  },
  MONITORING_CHECK_COMPLETED: {
    summary: 'A monitoring check between reviews (R-REV-4).',
    example: {
      type: 'MONITORING_CHECK_COMPLETED',
      eventId: 'e-100-25',
      occurredAt: '2026-10-26T10:00:00Z',
      concerns: false,
      notes: 'Telephone check with her daughter; no change',
    },
  },
  UNSCHEDULED_REVIEW_REQUESTED: {
    summary: 'A review asked for outside the schedule, and why (R-REV-6).',
    example: {
      type: 'UNSCHEDULED_REVIEW_REQUESTED',
      eventId: 'e-100-26',
      occurredAt: '2026-05-04T10:00:00Z',
      trigger: 'hospitalDischarge',
      details: 'Discharged after a second fall; needs may have changed',
    },
  },
  REASSESSMENT_COMPLETED: {
    summary:
      'A reassessment after a review (R-REV-8): services continue, the plan is revised, or services end (R-END-1, R-END-5).',
    example: {
      type: 'REASSESSMENT_COMPLETED',
      eventId: 'e-100-15',
      occurredAt: '2026-04-28T10:00:00Z',
      outcome: 'endServices',
      reasons: 'Her needs are now met by the community group she attends and her daughter',
      unmetEligibleNeeds: [],
      informalSupport: 'substantial',
      thirdPartySources: ['care worker notes', 'GP letter of 20 April'],
    },
  },
  REASSESSMENT_COPY_PROVIDED: {
    summary: 'A copy of the reassessment given, before any end date is set (R-END-1).',
    example: {
      type: 'REASSESSMENT_COPY_PROVIDED',
      eventId: 'e-100-16',
      occurredAt: '2026-04-28T11:00:00Z',
      to: ['person', 'daughter'],
    },
  },
  SERVICE_END_LETTER_POSTED: {
    summary:
      'The letter confirming that services end, posted with an end date at least 10 working days later (R-END-1), the reasons and alternatives (R-END-5).',
    example: {
      type: 'SERVICE_END_LETTER_POSTED',
      eventId: 'e-100-17',
      occurredAt: '2026-04-29T10:00:00Z',
      postedOn: '2026-04-29',
      reasons: 'No unmet eligible needs after the reassessment of 28 April',
      alternativesDiscussed: 'The befriending service; a carer assessment for her daughter',
    },
  },
  DIRECT_PAYMENT_NOTICE_GIVEN: {
    summary: 'Written notice ending a direct payment agreement; it ends 4 weeks later (R-END-2).',
    example: {
      type: 'DIRECT_PAYMENT_NOTICE_GIVEN',
      eventId: 'e-900-18',
      occurredAt: '2026-05-01T10:00:00Z',
      by: 'person',
      reason: 'personChoice',
      noticeGivenOn: '2026-05-01',
    },
  },
  SURPLUS_RECOVERED: {
    summary:
      'A surplus direct payment balance recovered, after a discussion with the person, never money held for an agreed purpose, outstanding accounts or tax; the decision goes to the person in writing (R-END-3).',
    example: {
      type: 'SURPLUS_RECOVERED',
      eventId: 'e-900-19',
      occurredAt: '2026-06-01T10:00:00Z',
      amount: 412.5,
      discussedWithPersonOn: '2026-05-27',
      balance: [
        { purpose: 'surplusToNeeds', amount: 412.5 },
        { purpose: 'savingForAgreedPurpose', amount: 300 },
      ],
    },
  },
  MOVED_AWAY: {
    summary: 'The person moves to another council’s area, on a date (R-MOV).',
    example: {
      type: 'MOVED_AWAY',
      eventId: 'e-100-27',
      occurredAt: '2026-06-01T10:00:00Z',
      moveDate: '2026-07-01',
      receivingCouncil: 'Nottinghamshire',
      consentToShareRecords: true,
    },
  },
  HOSPITAL_ADMITTED: {
    summary: 'The person is admitted to hospital.',
    example: {
      type: 'HOSPITAL_ADMITTED',
      eventId: 'e-100-28',
      occurredAt: '2026-05-02T22:00:00Z',
      admittedOn: '2026-05-02',
      hospital: 'Royal Derby Hospital',
    },
  },
  HOSPITAL_DISCHARGED: {
    summary: 'The person is discharged from hospital, and whether their needs changed.',
    example: {
      type: 'HOSPITAL_DISCHARGED',
      eventId: 'e-100-29',
      occurredAt: '2026-05-04T09:00:00Z',
      dischargedOn: '2026-05-04',
      dischargeProtocolFollowed: true,
      needsChanged: true,
    },
  },
  DIRECT_PAYMENT_SUSPENDED: {
    summary: 'A direct payment suspended (e.g. a long hospital stay), with the reason.',
    example: {
      type: 'DIRECT_PAYMENT_SUSPENDED',
      eventId: 'e-900-20',
      occurredAt: '2026-05-10T10:00:00Z',
      reason: 'In hospital for more than four weeks',
    },
  },
  PERSON_DIED: {
    summary: 'The person has died: everything stops at once, payments too (R-DTH-1).',
    example: {
      type: 'PERSON_DIED',
      eventId: 'e-100-30',
      occurredAt: '2026-09-14T10:00:00Z',
      dateOfDeath: '2026-09-13',
    },
  },
  JOURNEY_WITHDRAWN: {
    summary: 'The person withdraws; the journey closes with the reason.',
    example: {
      type: 'JOURNEY_WITHDRAWN',
      eventId: 'e-100-31',
      occurredAt: '2026-03-05T10:00:00Z',
      reason: 'Moving in with her daughter; no longer wants support',
    },
  },
  COMPLAINT_RAISED: {
    summary: 'A complaint, at any stage; it does not stop the journey (R-CMP-1).',
    example: {
      type: 'COMPLAINT_RAISED',
      eventId: 'e-100-32',
      occurredAt: '2026-04-01T10:00:00Z',
      complaintId: 'cmp-5',
      about: 'service',
      details: 'Carers arrived after 10am three times this week',
    },
  },
  BUDGET_CHALLENGED: {
    summary:
      'Someone challenges the indicative or the personal budget; they must be told of the complaints process (R-CMP-2).',
    example: {
      type: 'BUDGET_CHALLENGED',
      eventId: 'e-100-33',
      occurredAt: '2026-03-07T10:00:00Z',
      challengeId: 'chl-2',
      budget: 'indicative',
      details: 'Her daughter says the budget does not cover night-time help',
      complaintsProcessOffered: true,
      response: 'undecided',
    },
  },
  ADJUDICATION_PANEL_OFFERED: {
    summary: 'The SDS adjudication panel offered for a budget challenge, a last resort (R-CMP-2).',
    example: {
      type: 'ADJUDICATION_PANEL_OFFERED',
      eventId: 'e-100-34',
      occurredAt: '2026-03-20T10:00:00Z',
      challengeId: 'chl-2',
      groupManagerId: 'manager.carol',
      discussedWithComplaintsManagerOn: '2026-03-19',
    },
  },
  BUDGET_COMPLAINT_INTERIM_CHOICE: {
    summary:
      'While a complaint about the budget is open, what the person chose meanwhile (R-CMP-1): manage on the offered budget, or council-arranged services.',
    example: {
      type: 'BUDGET_COMPLAINT_INTERIM_CHOICE',
      eventId: 'e-100-35',
      occurredAt: '2026-03-21T10:00:00Z',
      complaintId: 'cmp-6',
      choice: 'councilArrangesServices',
    },
  },
  BUDGET_COMPLAINT_SERVICES_ARRANGED: {
    summary:
      'The budget refused while the complaint about it is considered, the council has arranged the relevant services instead (R-CMP-1): meets the clock the refusal started.',
    example: {
      type: 'BUDGET_COMPLAINT_SERVICES_ARRANGED',
      eventId: 'e-100-36',
      occurredAt: '2026-03-26T10:00:00Z',
      complaintId: 'cmp-6',
      services: ['Home care, 7 hours a week, through the council’s framework agency'],
    },
  },
  COMPLAINT_RESOLVED: {
    summary: 'A complaint resolved, with the outcome.',
    example: {
      type: 'COMPLAINT_RESOLVED',
      eventId: 'e-100-36',
      occurredAt: '2026-04-08T10:00:00Z',
      complaintId: 'cmp-5',
      outcome: 'The agency moved her visit to 8am; apology given',
    },
  },
  SAFEGUARDING_CONCERN_RAISED: {
    summary: 'A safeguarding concern; it may trigger an unscheduled review (R-REV-6).',
    example: {
      type: 'SAFEGUARDING_CONCERN_RAISED',
      eventId: 'e-100-37',
      occurredAt: '2026-04-10T10:00:00Z',
      concernId: 'sg-4',
      details: 'Unexplained bruising reported by a carer',
      triggersUnscheduledReview: true,
    },
  },
  SAFEGUARDING_CLOSED: {
    summary: 'A safeguarding concern closed, with the outcome.',
    example: {
      type: 'SAFEGUARDING_CLOSED',
      eventId: 'e-100-38',
      occurredAt: '2026-04-20T10:00:00Z',
      concernId: 'sg-4',
      outcome: 'Explained by a fall; falls plan updated',
    },
  },
  APPEAL_RAISED: {
    summary:
      'The person appeals against the decision on eligibility (once the assessment is completed) or on the personal budget (once the plan is signed off): the council looks at the case again and must decide within the profile’s limit. It does not stop the journey (R-APL-1).',
    example: {
      type: 'APPEAL_RAISED',
      eventId: 'e-100-apl-1',
      occurredAt: '2026-04-02T10:00:00Z',
      appealId: 'apl-1',
      about: 'personalBudget',
      grounds: 'The budget does not pay for the evening visit she needs to get ready for bed',
    },
  },
  APPEAL_DECIDED: {
    summary:
      'An appeal decided, with the reasons; the decision goes to the person in writing and meets the appeal’s clock (R-APL-1).',
    example: {
      type: 'APPEAL_DECIDED',
      eventId: 'e-100-apl-2',
      occurredAt: '2026-04-20T10:00:00Z',
      appealId: 'apl-1',
      outcome: 'partlyUpheld',
      reasons: 'An evening visit three nights a week is needed; the budget is revised at a review',
    },
  },
  DIRECT_PAYMENT_VARIATION_FLAGGED: {
    summary:
      'Finance draws attention to a significant variation in a live direct payment’s balance, or to a concern about how the account is managed; it must be acted on (a review) within the profile’s limit (R-DPM-1).',
    example: {
      type: 'DIRECT_PAYMENT_VARIATION_FLAGGED',
      eventId: 'e-100-dpm-1',
      occurredAt: '2026-05-04T10:00:00Z',
      balance: 2840.5,
      kind: 'significantVariation',
      details:
        'The balance has grown by £1,200 in three months: personal assistant hours are not being paid for',
    },
  },
  TEMPORARY_SUPPORT_ARRANGED: {
    summary:
      'The person’s own contingency arrangements have broken down (their personal assistant is ill): the worker arranges support until they can make their own arrangements again, clocked until it ends (R-DPM-2).',
    example: {
      type: 'TEMPORARY_SUPPORT_ARRANGED',
      eventId: 'e-100-dpm-2',
      occurredAt: '2026-05-11T10:00:00Z',
      supportId: 'tmp-1',
      reason: 'Her personal assistant is in hospital and the back-up assistant has moved away',
      services: ['agency home care, mornings'],
    },
  },
  TEMPORARY_SUPPORT_ENDED: {
    summary: 'Temporary support ended: the person can make their own arrangements again (R-DPM-2).',
    example: {
      type: 'TEMPORARY_SUPPORT_ENDED',
      eventId: 'e-100-dpm-3',
      occurredAt: '2026-05-25T10:00:00Z',
      supportId: 'tmp-1',
      notes: 'Her personal assistant is back at work',
    },
  },
};

/**
 * What each field means, by name; `EVENT_TYPE.field` where one event means something else by it.
 * Nested fields by path (`plan.stayingInControl`). The catalogue's own description of the field's
 * type (its limits, its date window) follows in the document.
 */
export const fieldDescriptions: Readonly<Record<string, string>> = {
  // the envelope
  type: 'The event type: it decides which fields the event has (the discriminator)',
  eventId: 'Your id for this event; a different event under an id already used is refused (R-TIM-3)',
  occurredAt:
    'When it happened, with its offset (e.g. 2026-03-02T09:30:00Z); clocks start from it, so a late entry keeps the statutory dates right. Default: now. Not later than now (R-TIM-1)',
  // referral
  referralId: "The referral's id in the referrer's or the council's system",
  receivedDate: 'The date the council received the referral',
  source: 'Who referred',
  urgency: 'How urgent the referrer or the front door judged it; emergency allows interim support (R-EMG-1)',
  summary: 'What the referral says, in words',
  subject: "Whose journey this is: the person's, or a carer's own (R-CAR-1). Default: person",
  // an import (issue 17)
  'JOURNEY_IMPORTED.source':
    'Where the person came from: the file and row of the import, and the case system',
  'JOURNEY_IMPORTED.source.file': 'The file the row is in (its name, as the import read it)',
  'JOURNEY_IMPORTED.source.row': "The row's number in the file (the header is row 1 in a CSV)",
  'JOURNEY_IMPORTED.source.system': 'The case system the caseload was exported from',
  'JOURNEY_IMPORTED.stage': 'The stage the person is at in the case system; the journey starts there',
  'JOURNEY_IMPORTED.subject': "Whose journey: the person's, or a carer's own (R-CAR-1). Default: person",
  'JOURNEY_IMPORTED.policyProfile':
    "The council whose policy profile the case system's dates follow; it must be the council this service is configured for",
  'JOURNEY_IMPORTED.stageSince':
    'The day the person reached that stage (stage time limits and waits count from it). Default: the import',
  'JOURNEY_IMPORTED.team': 'The team carrying the case',
  'JOURNEY_IMPORTED.workerId': 'The allocated worker, if any',
  'JOURNEY_IMPORTED.assessmentStartedOn':
    'Stage assessment: the day the assessment began (empty: not yet begun)',
  'JOURNEY_IMPORTED.interimSupport': 'Stage interimSupport: the emergency interim support in place',
  'JOURNEY_IMPORTED.interimSupport.setUpOn':
    'The day interim services were set up: the formal assessment must begin within 3 working days of it (R-EMG-1)',
  'JOURNEY_IMPORTED.interimSupport.services': 'The interim services in place',
  'JOURNEY_IMPORTED.interimSupport.managerId': 'The manager who approved them (R-EMG-3)',
  'JOURNEY_IMPORTED.indicativeBudget': 'The indicative budget, where one has been worked out (R-IB-2)',
  'JOURNEY_IMPORTED.indicativeBudget.amount': 'The indicative budget in pounds a year',
  'JOURNEY_IMPORTED.indicativeBudget.sharedOn': 'The day it was shared with the person (R-IB-3)',
  'JOURNEY_IMPORTED.personalBudget':
    'Stages setUp and liveSupport: the personal budget signed off, in pounds a year (R-PB-1)',
  'JOURNEY_IMPORTED.budgetManagement': 'How the budget is managed (R-PLN-2)',
  'JOURNEY_IMPORTED.servicesStartedOn':
    'Stage liveSupport: the day services started (the first review counts from it, R-REV-2)',
  'JOURNEY_IMPORTED.directPaymentAgreement':
    'A direct payment: its agreement, signed or still awaited (R-ACT-1)',
  'JOURNEY_IMPORTED.directPaymentAgreement.status': 'signed, or awaited (then the person is at stage setUp)',
  'JOURNEY_IMPORTED.directPaymentAgreement.signedOn': 'The day the agreement was signed',
  'JOURNEY_IMPORTED.lastReview':
    'The last review held (empty: none since services started; the first review is then due, R-REV-2)',
  'JOURNEY_IMPORTED.lastReview.on': 'The day of the last review',
  'JOURNEY_IMPORTED.lastReview.reviewType': 'How it was held (R-REV-11). Default: formal',
  'JOURNEY_IMPORTED.nextReviewOn':
    'The next review as agreed (R-REV-3; with no review held yet, the first review agreed, R-ACT-2). Default: the longest interval after the last review, 6 months where R-REV-5 held then (a service or direct payment only a few months old)',
  'JOURNEY_IMPORTED.informalReview72h':
    'Whether the 72-hour informal review is still to be held (R-REV-1): true sets it, overdue at once if its hours have passed; false: held already, or not appropriate. Default: as the profile says, while services are younger than its hours (R-IMP-1)',
  'JOURNEY_IMPORTED.lastMonitoringCheckOn':
    'The day of the last monitoring check since the last review (R-REV-4): it met the checks due up to it. Default: none made; a check already past is overdue at once (R-IMP-1)',
  'JOURNEY_IMPORTED.directPaymentStartedOn':
    'The day the direct payment now in place was brought in at a review, where later than services: R-REV-5 counts its few months from it, and an agreement still awaited (then at live support) is waited on from it (R-ACT-1)',
  'JOURNEY_IMPORTED.lastFaceToFaceReviewOn':
    'Where the last review was light touch or by telephone: the day of the last face-to-face review before it (R-REV-11 asks for one in the previous year)',
  'JOURNEY_IMPORTED.complaints': 'Complaints still open (R-CMP-1)',
  'JOURNEY_IMPORTED.complaints[].complaintId': "The complaint's id; its resolution names it",
  'JOURNEY_IMPORTED.complaints[].about': 'What it is about. Default: other',
  'JOURNEY_IMPORTED.complaints[].raisedOn': 'The day it was raised. Default: the import',
  'JOURNEY_IMPORTED.safeguarding': 'Safeguarding concerns still open (R-SFG-1)',
  'JOURNEY_IMPORTED.safeguarding[].concernId': "The concern's id; its closure names it",
  'JOURNEY_IMPORTED.safeguarding[].raisedOn': 'The day it was raised. Default: the import',
  'JOURNEY_IMPORTED.hospital': 'A hospital stay under way (R-HSP-1)',
  'JOURNEY_IMPORTED.hospital.admittedOn': 'The day the person was admitted',
  'JOURNEY_IMPORTED.hospital.hospital': 'The hospital',
  // first contact and triage
  informationAndAdvice: 'The information and advice given',
  signposting: 'Other services the person was pointed to',
  prevention: 'Preventative support offered (R-IB-1)',
  route: 'Where triage sends the referral (R-REF-2)',
  reason: 'Why, in words',
  team: "The team carrying the case (its duty worker is the case's owner while it is unallocated)",
  workerId: 'The allocated worker',
  council: 'The council of ordinary residence (R-REF-3)',
  outcome: 'What came of it',
  'SHORT_TERM_SUPPORT_ENDED.outcome': 'Needs met by short-term support, or an assessment is needed',
  notes: 'Notes for the case record',
  services: 'The interim services set up',
  managerApproval: 'The manager who approved the emergency services (R-EMG-3)',
  'managerApproval.managerId': 'The approving manager',
  caseNotesCompleted: 'Whether the case notes are completed (R-EMG-3)',
  // assessment
  decision: 'The decision the capacity assessment is about',
  hasCapacity: 'Whether the person has capacity for that decision',
  topic: 'Which decision it is, where the rules depend on it (R-ASM-7)',
  suitablePersonId: 'The suitable person (R-ASM-7)',
  relationship: 'Their relationship to the person',
  riskAssessmentRecordedOn: 'The date the risk assessment of the suitable person was recorded',
  substantialDifficulty: 'Whether the person has substantial difficulty being involved (R-ASM-2)',
  appropriatePersonAvailable: 'Whether an appropriate person can help them be involved',
  advocateId: 'The independent advocate',
  organisation: 'The advocacy organisation',
  consentGiven: 'Whether the person consents to information being shared (R-ASM-3)',
  limits: 'Any limits the person puts on sharing',
  carerId: 'The carer',
  accepted: "Whether the carer accepted the carer's assessment",
  presentingNeeds: 'The needs the person presents with (R-ASM-1)',
  eligibleNeeds: 'The needs that meet the eligibility criteria, each with its RAS points (R-ASM-1, R-IB-2)',
  ineligibleNeeds: 'The needs that do not meet the eligibility criteria',
  unmetEligibleNeeds: 'Eligible needs not met otherwise: the RAS counts only these (R-IB-1)',
  'unmetEligibleNeeds[].need': 'The need, in words',
  'unmetEligibleNeeds[].points': 'Its RAS points',
  'eligibleNeeds[].need': 'The need, in words',
  'eligibleNeeds[].points': 'Its RAS points',
  outcomes: 'The outcomes the person wants to achieve',
  informalSupport: 'How much sustainable informal support there is; the RAS moderates by it (R-IB-2)',
  equipmentConsidered: 'Whether equipment was considered (R-IB-2)',
  // budget
  amount: 'An amount in pounds',
  'INDICATIVE_BUDGET_OVERRIDDEN.amount': 'The indicative budget the manager sets, in pounds',
  'SURPLUS_RECOVERED.amount': 'The surplus recovered, in pounds',
  discussedWithPersonOn: 'The date the balance was discussed with the person, before recovery (R-END-3)',
  'SURPLUS_RECOVERED.balance':
    'What the balance is for, in parts: only a surplus to needs, or money diverted to other purposes, may be recovered (R-END-3)',
  'SURPLUS_RECOVERED.balance[].purpose':
    'What this part is for: surplus to needs, diverted to other purposes, saving for an agreed purpose, outstanding accounts, tax',
  'SURPLUS_RECOVERED.balance[].amount': 'This part of the balance, in pounds',
  hardshipConsidered:
    'What was considered about hardship, where money diverted to other purposes is sought back (R-END-3)',
  sharedWith: 'Whom the indicative budget was shared with (R-IB-3)',
  method: 'How it was shared (letter, in person, …)',
  // planning
  preparedBy: 'Who prepares the plan (R-PLN-1)',
  plan: 'The care and support plan; every R-PLN-3 element is needed for sign-off (a draft may leave some out)',
  'plan.needsAndOutcomes': 'The needs and the outcomes the plan is for (R-PLN-3)',
  'plan.eligibleNeeds': 'The eligible needs (R-PLN-3)',
  'plan.ineligibleNeeds': 'The needs that are not eligible (R-PLN-3)',
  'plan.informationAndAdvice': 'Information and advice for the ineligible needs (R-PLN-3)',
  'plan.ownResourcesAndNetwork': "What the person's own resources and network provide (R-PLN-3)",
  'plan.councilWillMeet': 'What the council will meet, and how (R-PLN-3)',
  'plan.personalBudget': 'The personal budget written in the plan, in pounds (R-SGN-5)',
  'plan.budgetManagement': 'How the budget is managed: one option or a combination (R-PLN-2)',
  'plan.directPayment': 'The direct payment, where the budget is taken as one (R-PLN-2, R-PLN-4, R-SGN-5)',
  'plan.directPayment.needsMet': 'The needs the direct payment meets',
  'plan.directPayment.amount': 'The direct payment, in pounds per period (R-SGN-5)',
  'plan.directPayment.frequency': 'How often it is paid',
  'plan.directPayment.purchases': 'What it buys; some uses are prohibited (R-PLN-4)',
  'plan.directPayment.purchases[].description': 'The purchase, in words',
  'plan.directPayment.purchases[].category': 'Its category: R-PLN-4 decides which are prohibited',
  'plan.directPayment.purchases[].exceptional':
    'A prohibited use allowed as exceptional, with the reason (R-PLN-4)',
  'plan.directPayment.purchases[].shortStay':
    'A short residential stay: up to 4 weeks, 4 weeks apart (R-PLN-4)',
  'plan.risks': 'The risks and how they are managed (R-PLN-3)',
  'plan.contingencyPlan': 'What happens if the support fails (R-PLN-3)',
  'plan.stayingInControl': 'How the person stays in control of their support (R-PLN-3)',
  'plan.optionsConsidered': 'The options considered and why each was chosen or not (R-PLN-3)',
  'plan.informalReview72h':
    'Whether the 72-hour informal review applies (R-REV-1); default: the profile decides',
  'plan.carerOutcomes': "A carer's plan: the carer's outcomes (R-PLN-6)",
  'plan.crisisContact': "A carer's plan: whom to contact in a crisis (R-PLN-6)",
  'plan.directPaymentOffer':
    "A direct payment was offered (it is offered to everyone) and the person's answer; needed for sign-off (R-PLN-2)",
  'plan.directPaymentOffer.answer':
    "The person's answer: accepted (the budget is managed by a direct payment, wholly or in part) or declined",
  'plan.directPaymentOffer.notes': 'Anything the person said about it',
  'plan.contingencyContacts':
    "Contacts for the contingency plan, with telephone numbers; where the council's checklist asks (R-PLN-3)",
  'plan.contingencyContacts[].name': 'Who to contact',
  'plan.contingencyContacts[].telephone': 'Their telephone number',
  'plan.contingencyContacts[].email': 'Their email address, if available',
  'plan.budgetApportionment':
    "How the budget is spent and apportioned; where the council's checklist asks (R-PLN-3)",
  'plan.chargingPolicyDiscussed':
    "Whether charging policy was discussed with the person or their representative; where the council's checklist asks (R-PLN-3)",
  reasons: 'The reasons, in words',
  // sign-off
  finalBudget: 'The personal budget confirmed at sign-off, in pounds (R-PB-1)',
  costing:
    'How the personal budget is made up (R-PB-3): reasonable cost − assessed contribution − other funding',
  'costing.reasonableCost': 'The reasonable cost of meeting the eligible needs, in pounds',
  'costing.assessedContribution': "The person's assessed contribution, in pounds",
  'costing.otherFunding': 'Other funding, in pounds',
  'costing.s117Aftercare':
    'Whether this is section 117 aftercare (no contribution; the health team is consulted before services start, R-PB-5)',
  'costing.shortTermPreventativeCost':
    'The part of the reasonable cost spent on reablement or enablement, which no personal budget includes (R-PB-4); default: none',
  mismatchReason: 'Required where the final budget differs from the indicative one: why (R-PB-2)',
  agreedBy: 'Who agreed the plan (R-SGN-1)',
  'agreedBy.person': 'Whether the person agreed',
  'agreedBy.representative': 'Their representative, if any',
  'agreedBy.advocate': 'Their advocate, if any',
  'agreedBy.workerId': 'The worker who signed off',
  copyTo: 'Anyone the person asks to have a copy of the plan (R-SGN-3)',
  accessibleFormat: 'The accessible format of the copy, e.g. large print, easy read, standard (R-SGN-3)',
  withDispute: 'Signed off with a dispute recorded (R-SGN-2)',
  // services and reviews
  signedOn: 'The date the direct payment agreement was signed',
  firstReviewAgreedFor: 'The projected date of the first review, agreed with the person (R-ACT-2)',
  informalReview72h: 'Whether the 72-hour informal review applies (R-REV-1); default: as the plan says',
  providers: 'Who provides the services (R-REV-5, R-REV-10)',
  concerns: 'Whether there are concerns',
  reviewType: 'How the review was held (R-REV-11: telephone only where its conditions hold)',
  'REVIEW_COMPLETED.outcome': 'The outcome (R-REV-8); servicesToEnd leads to a reassessment',
  eligibilityRedetermined: 'Whether eligibility was determined again (R-REV-8)',
  contingencyPlanReviewed: 'Whether the contingency plan was reviewed (R-REV-8)',
  indicators: 'What sets the next review at 6 months rather than 12 (R-REV-5)',
  nextReviewOn: 'The next review; default: the longest interval the rules allow',
  complexCase: 'A shorter interval agreed with the service manager (R-REV-9)',
  revisedPlan: 'The revised plan, where the review revises it (R-REV-8)',
  telephoneConditions: 'A telephone review: every one of these must hold (R-REV-11)',
  directPaymentOutcome: 'A review about changing or ending the direct payment: what was decided (R-END-4)',
  contactPoint: 'The contact point given to the person; default: the allocated worker or team (R-REV-10)',
  notice: 'When the person and their chosen representatives were told of the review, and who (R-REV-13)',
  'notice.toldOn': 'The date they were told; at least the profile’s least notice before a planned review',
  'notice.told': 'Who was told: the person and each representative',
  'notice.advocacyConsidered': 'Whether the need for an independent advocate was considered (R-ASM-2)',
  shortNoticeReason:
    'Why an unscheduled review is held at shorter notice than the profile’s least (R-REV-13)',
  equipmentOnly: 'The only services are these: one-off simple equipment or a major adaptation (R-REV-14)',
  'equipmentOnly.items': 'Each piece of equipment or adaptation',
  'equipmentOnly.items[].item': 'What it is, e.g. a grab rail or a wet room',
  'equipmentOnly.items[].kind': 'One-off simple equipment, or a major adaptation (R-REV-14)',
  suitable: 'Whether the equipment suits the person (R-REV-14); if not, hold a review instead',
  adaptationCompletedAndWorking:
    'A major adaptation: whether it is completed and working appropriately (R-REV-14)',
  closeJourney: 'Close the journey now that nothing else needs reviewing (R-REV-14)',
  trigger: 'What prompted the unscheduled review (R-REV-6)',
  details: 'The details, in words',
  'REASSESSMENT_COMPLETED.outcome': 'Services continue, the plan is revised, or services end (R-END-1)',
  thirdPartySources: 'The third-party sources of information used (R-END-5)',
  unmetNeedsMetOtherwise: 'Services ending: how each unmet eligible need will be met otherwise (R-END-5)',
  to: 'Who was given a copy of the reassessment (R-END-1)',
  postedOn: 'The date the letter was posted',
  endDate: 'The date services end; default and earliest: 10 working days after posting (R-END-1)',
  alternativesDiscussed: 'The alternatives discussed with the person (R-END-5)',
  representative: 'The representative the letter also goes to (R-END-5)',
  by: 'Who gives notice (R-END-2)',
  'DIRECT_PAYMENT_NOTICE_GIVEN.reason': 'Why the agreement ends (R-END-2)',
  noticeGivenOn: 'The date written notice was given; the agreement ends 4 weeks later (R-END-2)',
  moveDate: 'The date of the move',
  receivingCouncil: 'The council the person moves to',
  consentToShareRecords: 'Whether the person consents to records going to the receiving council',
  admittedOn: 'The date of admission',
  hospital: 'The hospital',
  dischargedOn: 'The date of discharge',
  dischargeProtocolFollowed: 'Whether the discharge protocol was followed',
  needsChanged: "Whether the person's needs changed",
  dateOfDeath: 'The date of death (R-DTH-1)',
  complaintId: 'Your id for the complaint; its resolution names it',
  about: 'What the complaint is about; a budget complaint opens an interim choice (R-CMP-1)',
  challengeId: 'Your id for the budget challenge',
  budget: 'Which budget is challenged (R-CMP-2)',
  complaintsProcessOffered: 'Whether the complaints process was offered (R-CMP-2)',
  response: "The person's response to that offer",
  groupManagerId: 'The group manager offering the panel',
  discussedWithComplaintsManagerOn: 'The date the group manager discussed it with the complaints manager',
  choice: 'What the person chose while the budget complaint is open (R-CMP-1)',
  'BUDGET_COMPLAINT_SERVICES_ARRANGED.services':
    'The services the council arranged instead of the refused budget',
  concernId: 'Your id for the safeguarding concern; its closure names it',
  triggersUnscheduledReview: 'Whether the concern triggers an unscheduled review (R-REV-6)',
  consultedWith: 'The health team or commissioning authority consulted (R-PB-5)',
  'AFTERCARE_HEALTH_CONSULTED.about':
    'What the consultation was about: commissioning support, or a change to it (R-PB-5)',
  // nested
  'plan.optionsConsidered[].option': 'The option, in words',
  'plan.optionsConsidered[].chosen': 'Whether it was chosen',
  'plan.optionsConsidered[].reason': 'Why it was chosen or not',
  'plan.directPayment.purchases[].shortStay.lengthWeeks': 'The length of the stay, in weeks (at most 4)',
  'plan.directPayment.purchases[].shortStay.weeksSincePreviousStay':
    'Weeks since the previous stay ended (at least 4)',
  'plan.directPayment.purchases[].exceptional.reason': 'Why the use is exceptional',
  'withDispute.reasons': 'What is disputed',
  'withDispute.directedToComplaints': 'Whether the person was directed to the complaints process',
  'withDispute.supportMeanwhile': 'The support provided meanwhile',
  'providers[].providerId': 'The provider',
  'providers[].newWithoutTrackRecord': 'Whether it is a new provider without a track record (R-REV-5)',
  'indicators.serviceOnlyFewMonthsOld': 'The service is only a few months old (R-REV-5)',
  'indicators.needsLikelyToChange': "The person's needs are likely to change (R-REV-5)",
  'indicators.newProviderWithoutTrackRecord': 'A new provider without a track record (R-REV-5)',
  'indicators.severalProvidersToCoordinate': 'Several providers to coordinate (R-REV-5)',
  'complexCase.agreedWithServiceManager': 'The service manager who agreed the shorter interval (R-REV-9)',
  'telephoneConditions.lowLevelNonPersonalCare': 'The support is low-level and not personal care',
  'telephoneConditions.noCommunicationDifficulty': 'The person has no communication difficulty',
  'telephoneConditions.faceToFaceReviewInPreviousYear':
    'There was a face-to-face review in the previous year',
  'telephoneConditions.ableToMonitorAndAskForFaceToFace':
    'The person can monitor their support and ask for a face-to-face review',
  'telephoneConditions.needsUnchanged': "The person's needs are unchanged",
  'unmetNeedsMetOtherwise[].need': 'The unmet eligible need',
  'unmetNeedsMetOtherwise[].how': 'How it will be met once services end',
  // appeals and direct payments not going to plan (R-APL-1, R-DPM-1, R-DPM-2)
  appealId: 'Your id for the appeal; its decision names it',
  'APPEAL_RAISED.about':
    'Which decision is appealed against: eligibility (after the assessment) or the personal budget (after sign-off)',
  grounds: 'Why the person thinks the decision is wrong, in their words',
  'APPEAL_DECIDED.outcome': 'Whether the appeal is upheld, partly upheld or not upheld',
  'APPEAL_DECIDED.reasons': 'Why: the letter to the person gives these reasons',
  balance: 'The direct payment account’s balance finance reports, in pounds (below zero if overdrawn)',
  kind: 'What finance draws attention to: a significant variation in the balance, or how the account is managed',
  'DIRECT_PAYMENT_VARIATION_FLAGGED.details': 'What finance found, in words',
  supportId: 'Your id for the temporary support; its end names it',
  'TEMPORARY_SUPPORT_ARRANGED.reason':
    "Why the person's own contingency arrangements broke down (e.g. their personal assistant is ill)",
  'TEMPORARY_SUPPORT_ARRANGED.services': 'The support the worker arranged meanwhile',
};

/** Fields that share another's meaning: a revised plan is a plan. */
const samePathAs = (path: string) => path.replace(/^revisedPlan(?=\.|$)/, 'plan');

/** The description of a field of an event: the event's own meaning of it, else the shared one. */
export const describeField = (type: string, path: string): string | undefined =>
  fieldDescriptions[`${type}.${path}`] ??
  fieldDescriptions[path] ??
  (path.startsWith('revisedPlan.') ? fieldDescriptions[samePathAs(path)] : undefined);
